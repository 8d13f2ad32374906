//! Stage 6, project: which files make the project, what it is called, and how its containers
//! are labelled. Compose looks for `compose.yaml`, `compose.yml`, `docker-compose.yaml`,
//! `docker-compose.yml` in the working folder then its parents (or takes `-f`), adds the
//! matching `*.override.*` file, and names the project from `-p`, `COMPOSE_PROJECT_NAME`, the
//! `name:` key, or the folder's name lowered to `[a-z0-9_-]`. Every container it creates carries
//! `com.docker.compose.*` labels: that is how `ps` and `down` find a project's containers.

use super::error::ComposeError;
use super::model::{Project, Service};

/// The default file names, in the order Compose prefers them.
pub const FILE_NAMES: &[&str] = &["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
/// The override files read after each of them.
const OVERRIDE_NAMES: &[&str] =
    &["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

/// The Compose version the playground imitates.
pub const COMPOSE_VERSION: &str = "2.36.2";

/// The files of a project found from `dir` upwards: the first folder holding one of the default
/// names; its override file joins it. Also returns the warning Compose prints when the folder
/// holds several candidates.
pub fn find_files(dir: &str, exists: &dyn Fn(&str) -> bool) -> Result<(Vec<String>, Option<String>), ComposeError> {
    // The folder and its parents; "" stands for the root (its files are "/compose.yaml").
    let mut folders = vec![dir.trim_end_matches('/').to_string()];
    while let Some((parent, _)) = folders.last().and_then(|d| d.rsplit_once('/')) {
        folders.push(parent.to_string());
    }
    folders.dedup();
    for dir in folders {
        let found: Vec<String> = FILE_NAMES.iter().map(|n| format!("{dir}/{n}")).filter(|p| exists(p)).collect();
        let Some(first) = found.first() else { continue };
        let warning = (found.len() > 1)
            .then(|| format!("Found multiple config files with supported names: {}\nUsing {first}", found.join(", ")));
        let mut files = vec![first.clone()];
        if let Some(o) = OVERRIDE_NAMES.iter().map(|n| format!("{dir}/{n}")).find(|p| exists(p)) {
            files.push(o);
        }
        return Ok((files, warning));
    }
    Err(ComposeError::NoConfigFile)
}

/// Compose's `NormalizeProjectName`: lower case, only `[a-z0-9_-]`, no leading `_` or `-`.
pub fn normalize_name(s: &str) -> String {
    let kept: String = s
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    kept.trim_start_matches(['_', '-']).to_string()
}

/// A name given with `-p` or `COMPOSE_PROJECT_NAME` must already be normal.
pub fn check_name(name: &str) -> Result<(), ComposeError> {
    if normalize_name(name) != name {
        return Err(ComposeError::InvalidProjectName(name.to_string()));
    }
    Ok(())
}

/// The project's name: imposed (`-p`, `COMPOSE_PROJECT_NAME`), else the file's `name:`
/// (normalised), else the working folder's name (normalised).
pub fn project_name(imposed: Option<&str>, from_file: Option<&str>, working_dir: &str) -> Result<String, ComposeError> {
    if let Some(name) = imposed.filter(|n| !n.is_empty()) {
        check_name(name)?;
        return Ok(name.to_string());
    }
    let name = match from_file.map(normalize_name).filter(|n| !n.is_empty()) {
        Some(n) => n,
        None => normalize_name(working_dir.trim_end_matches('/').rsplit('/').next().unwrap_or("")),
    };
    if name.is_empty() {
        return Err(ComposeError::EmptyProjectName);
    }
    Ok(name)
}

/// A container's name: `container_name`, or `<project>-<service>-<number>`.
pub fn container_name(project: &str, service: &Service, number: u32) -> String {
    match &service.container_name {
        Some(n) => n.clone(),
        None => format!("{project}-{}-{number}", service.name),
    }
}

/// The labels Compose puts on a service's container, in Docker's (sorted) order.
pub fn container_labels(
    project: &Project,
    service: &Service,
    number: u32,
    config_hash: &str,
    image_id: &str,
) -> Vec<(String, String)> {
    let p = "com.docker.compose";
    let depends: Vec<String> =
        service.depends_on.iter().map(|(name, d)| format!("{name}:{}:{}", d.condition, d.restart)).collect();
    let mut labels: Vec<(String, String)> = service.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    labels.extend([
        (format!("{p}.config-hash"), config_hash.to_string()),
        (format!("{p}.container-number"), number.to_string()),
        (format!("{p}.depends_on"), depends.join(",")),
        (format!("{p}.image"), image_id.to_string()),
        (format!("{p}.oneoff"), "False".to_string()),
        (format!("{p}.project"), project.name.clone()),
        (format!("{p}.project.config_files"), project.config_files.join(",")),
        (format!("{p}.project.working_dir"), project.working_dir.clone()),
        (format!("{p}.service"), service.name.clone()),
        (format!("{p}.version"), COMPOSE_VERSION.to_string()),
    ]);
    labels.sort();
    labels
}

/// The labels of a network or volume Compose creates.
pub fn resource_labels(project: &str, kind: &str, key: &str) -> Vec<(String, String)> {
    vec![
        (format!("com.docker.compose.{kind}"), key.to_string()),
        ("com.docker.compose.project".to_string(), project.to_string()),
        ("com.docker.compose.version".to_string(), COMPOSE_VERSION.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_compose_rules() {
        assert_eq!(normalize_name("Mon_App.2"), "mon_app2");
        assert_eq!(normalize_name("My Proj"), "myproj");
        assert_eq!(normalize_name("_-x"), "x");
        assert_eq!(project_name(None, None, "/home/eleve/compose-app").unwrap(), "compose-app");
        assert_eq!(project_name(None, Some("My Proj"), "/x/app").unwrap(), "myproj");
        assert_eq!(project_name(Some("web"), Some("other"), "/x/app").unwrap(), "web");
        assert_eq!(
            project_name(Some("Bad Name"), None, "/x").unwrap_err().to_string(),
            "invalid project name \"Bad Name\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number"
        );
        assert_eq!(project_name(None, Some("_-"), "/x/__").unwrap_err().to_string(), "project name must not be empty");
    }

    #[test]
    fn files_are_found_upwards_with_their_override() {
        let files = ["/home/eleve/app/docker-compose.yml", "/home/eleve/app/docker-compose.override.yml"];
        let exists = |p: &str| files.contains(&p);
        let (found, warning) = find_files("/home/eleve/app/src", &exists).unwrap();
        assert_eq!(found, files);
        assert_eq!(warning, None);
        assert_eq!(find_files("/tmp", &exists).unwrap_err(), ComposeError::NoConfigFile);
        let both = ["/a/compose.yaml", "/a/docker-compose.yml"];
        let (found, warning) = find_files("/a", &|p: &str| both.contains(&p)).unwrap();
        assert_eq!(found, ["/a/compose.yaml"]);
        assert_eq!(
            warning.unwrap(),
            "Found multiple config files with supported names: /a/compose.yaml, /a/docker-compose.yml\nUsing /a/compose.yaml"
        );
    }
}
