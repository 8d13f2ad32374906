//! The loader: runs the stages in Compose's order over the project's files. For each file and
//! each YAML document in it: parse, interpolate, merge onto what came before, make lists
//! unique, validate against the schema (and warn about `version:`); then normalise the whole,
//! apply profiles, check consistency and cycles. Files are read from the host's filesystem
//! through a closure, so the loader knows nothing of where they live.

use super::check::{apply_profiles, check};
use super::dotenv;
use super::error::ComposeError;
use super::graph::check_cycles;
use super::interpolate::{interpolate, substitute, Env};
use super::merge::{enforce_unicity, merge};
use super::model::Project;
use super::normalize::{absolute, normalize, resolve_env_files, Context};
use super::parse::parse;
use super::project::{find_files, project_name};
use super::validate::validate;
use super::value::{Map, Value};

/// What the command line and the shell give the loader.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `-f` values, as typed (relative to `cwd`); empty to look for the default names.
    pub files: Vec<String>,
    /// `-p`.
    pub project_name: Option<String>,
    /// `--project-directory`.
    pub project_directory: Option<String>,
    /// `--env-file` values; empty for the project folder's `.env`.
    pub env_files: Vec<String>,
    /// `--profile` values.
    pub profiles: Vec<String>,
    /// The client's working directory and the user's home (for `~`).
    pub cwd: String,
    pub home: String,
    /// The shell's environment.
    pub shell_env: Env,
}

/// Reads a host file; `None` if there is none.
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

fn dir_of(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

/// The files of the project, absolute, each with its text.
fn read_files(
    opts: &LoadOptions,
    read: ReadFile,
    warnings: &mut Vec<String>,
) -> Result<Vec<(String, String)>, ComposeError> {
    let mut paths: Vec<String> = opts.files.iter().map(|f| absolute(&opts.cwd, &opts.home, f)).collect();
    if paths.is_empty() {
        if let Some(list) = opts.shell_env.get("COMPOSE_FILE").filter(|l| !l.is_empty()) {
            paths = list.split(':').map(|f| absolute(&opts.cwd, &opts.home, f)).collect();
        } else {
            let (found, warning) = find_files(&opts.cwd, &|p| read(p).is_some())?;
            warnings.extend(warning);
            paths = found;
        }
    }
    paths
        .into_iter()
        .map(|p| match read(&p) {
            Some(bytes) => Ok((p, String::from_utf8_lossy(&bytes).into_owned())),
            None => Err(ComposeError::Open(p)),
        })
        .collect()
}

/// The interpolation environment: the shell's, then what `.env` adds (the shell wins).
fn environment(
    opts: &LoadOptions,
    working_dir: &str,
    read: ReadFile,
    warnings: &mut Vec<String>,
) -> Result<Env, ComposeError> {
    let mut env = opts.shell_env.clone();
    let explicit = !opts.env_files.is_empty();
    let files: Vec<String> = if explicit {
        opts.env_files.iter().map(|f| absolute(&opts.cwd, &opts.home, f)).collect()
    } else {
        vec![format!("{}/.env", working_dir.trim_end_matches('/'))]
    };
    for path in files {
        let Some(bytes) = read(&path) else {
            if explicit {
                return Err(ComposeError::EnvFileNotFound(path));
            }
            continue;
        };
        let vars = dotenv::parse(&String::from_utf8_lossy(&bytes), &opts.shell_env, warnings)
            .map_err(|error| ComposeError::Dotenv { path: path.clone(), error })?;
        for (k, v) in vars {
            env.entry(k).or_insert(v);
        }
    }
    Ok(env)
}

/// The documents of a file; the top level of each must be a mapping.
fn documents(text: &str) -> Result<Vec<Map>, ComposeError> {
    let mut docs = Vec::new();
    for doc in parse(text)? {
        match doc {
            Value::Map(m) => docs.push(m),
            Value::Null => {}
            Value::Seq(_) => return Err(ComposeError::NotAMapping { line: 1, tag: "!!seq".into() }),
            other => {
                let tag = match other {
                    Value::Bool(_) => "!!bool",
                    Value::Int(_) => "!!int",
                    Value::Float(_) => "!!float",
                    _ => "!!str",
                };
                let text = other.scalar_text().unwrap_or_default();
                return Err(ComposeError::NotAMapping { line: 1, tag: format!("{tag} `{text}`") });
            }
        }
    }
    Ok(docs)
}

/// `services` and each service must be mappings before anything is merged.
fn check_shape(doc: &Map) -> Result<(), ComposeError> {
    let Some(services) = doc.get("services") else { return Ok(()) };
    let Value::Map(services) = services else { return Err(ComposeError::MustBeMapping("services".into())) };
    for (name, s) in services.iter() {
        if !matches!(s, Value::Map(_) | Value::Null) {
            return Err(ComposeError::MustBeMapping(format!("services.{name}")));
        }
    }
    Ok(())
}

/// Top-level attributes and service attributes the schema accepts but the playground does not
/// implement.
const UNSUPPORTED_TOP: &[&str] = &["include", "secrets", "configs", "models"];
const UNSUPPORTED_SERVICE: &[&str] = &["extends", "secrets", "configs", "models"];

/// Refuses what the playground would otherwise have to ignore.
fn check_supported(dict: &Map) -> Result<(), ComposeError> {
    if let Some(key) = UNSUPPORTED_TOP.iter().find(|k| dict.get(k).is_some()) {
        return Err(ComposeError::Unsupported((*key).to_string()));
    }
    if let Some(Value::Map(services)) = dict.get("services") {
        for (name, service) in services.iter() {
            let Value::Map(service) = service else { continue };
            if let Some(key) = UNSUPPORTED_SERVICE.iter().find(|k| service.get(k).is_some()) {
                return Err(ComposeError::Unsupported(format!("services.{name}.{key}")));
            }
        }
    }
    Ok(())
}

/// Loads a project. Warnings (unset variables, `version:`) are pushed as they come, also when
/// loading fails later.
pub fn load(opts: &LoadOptions, read: ReadFile, warnings: &mut Vec<String>) -> Result<Project, ComposeError> {
    let files = read_files(opts, read, warnings)?;
    let first = files.first().map(|(p, _)| p.clone()).ok_or(ComposeError::NoConfigFile)?;
    let working_dir = match &opts.project_directory {
        Some(d) => absolute(&opts.cwd, &opts.home, d),
        None => dir_of(&first),
    };
    let mut env = environment(opts, &working_dir, read, warnings)?;
    let mut parsed = Vec::new();
    for (path, text) in &files {
        parsed.push((path.clone(), documents(text)?));
    }
    // The name: `-p`, COMPOSE_PROJECT_NAME, the last `name:` of the files, or the folder.
    let imposed = opts.project_name.clone().or_else(|| env.get("COMPOSE_PROJECT_NAME").cloned());
    let from_file = parsed
        .iter()
        .flat_map(|(_, docs)| docs.iter())
        .filter_map(|d| d.get("name").and_then(Value::scalar_text))
        .rfind(|n| !n.is_empty())
        .map(|n| substitute(&n, &env, &mut Vec::new()).unwrap_or(n));
    let name = project_name(imposed.as_deref(), from_file.as_deref(), &working_dir)?;
    env.insert("COMPOSE_PROJECT_NAME".into(), name.clone());

    let mut dict = Map::new();
    for (path, docs) in parsed {
        let mut warned = false;
        for mut doc in docs {
            interpolate(&mut doc, &env, warnings)?;
            check_shape(&doc)?;
            dict = merge(dict, doc);
            enforce_unicity(&mut dict)?;
            validate(&dict).map_err(|error| ComposeError::Schema { file: path.clone(), error })?;
            if dict.remove("version").is_some() && !warned {
                warnings.push(format!(
                    "{path}: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion"
                ));
                warned = true;
            }
        }
    }
    if dict.is_empty() {
        return Err(ComposeError::Empty);
    }
    check_supported(&dict)?;
    let ctx = Context { project: &name, working_dir: &working_dir, home: &opts.home, env: &env, read_file: read };
    let mut project = normalize(&dict, &ctx)?;
    project.config_files = files.into_iter().map(|(p, _)| p).collect();
    let mut profiles = opts.profiles.clone();
    if profiles.is_empty() {
        if let Some(list) = env.get("COMPOSE_PROFILES") {
            profiles = list.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect();
        }
    }
    apply_profiles(&mut project, &profiles);
    check(&mut project)?;
    check_cycles(&project.services)?;
    resolve_env_files(&mut project, read)?;
    Ok(project)
}
