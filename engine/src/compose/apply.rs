//! Stage 8, apply: what the project asks of the engine. A service becomes containers named
//! `<project>-<service>-<n>` (or its `container_name`), created from its image with its command,
//! environment, user, restart policy and Compose's labels; the labels are how `ps`, `logs` and
//! `down` find the project's containers again, and the config hash tells `up` whether a
//! container still matches its service or must be recreated.
//!
//! Networks, volumes, published ports and mounts belong to other parts of the engine: they are
//! reached through the [`Resources`] seam ([`super::resources::EngineResources`] on the engine).

use super::config::project_node;
use super::emit::{emit, Node};
use super::model::{Network, Project, Service, Volume};
use super::project::{container_labels, container_name};
use crate::container::{Container, CreateOptions, HostConfig, RestartPolicy};
use crate::daemon::Daemon;
use sha2::{Digest as _, Sha256};

/// What a resource operation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    /// It was there already (an external network, a volume kept from an earlier `up`).
    Exists,
    Removed,
    /// Nothing to do (nothing to remove).
    Absent,
}

/// The engine's networks, volumes, ports and mounts, as Compose needs them.
pub trait Resources {
    /// Creates the project's network if it does not exist (`app_default`).
    fn ensure_network(
        &mut self,
        daemon: &mut Daemon,
        key: &str,
        network: &Network,
        project: &str,
    ) -> Result<Outcome, String>;
    /// Creates the project's volume if it does not exist (`app_data`).
    fn ensure_volume(
        &mut self,
        daemon: &mut Daemon,
        key: &str,
        volume: &Volume,
        project: &str,
    ) -> Result<Outcome, String>;
    /// Adds the service's networks (with aliases), published ports and mounts to a container
    /// about to be created.
    fn attach(
        &mut self,
        daemon: &mut Daemon,
        project: &Project,
        service: &Service,
        opts: &mut CreateOptions,
    ) -> Result<Outcome, String>;
    fn remove_network(&mut self, daemon: &mut Daemon, network: &Network) -> Result<Outcome, String>;
    fn remove_volume(&mut self, daemon: &mut Daemon, volume: &Volume) -> Result<Outcome, String>;
}

/// The hash Compose labels a container with: its service's configuration, so that a changed
/// file makes `up` recreate the container. As Compose's `ServiceHash`, it leaves out what does
/// not shape the container: the build, the pull policy, the scale, dependencies and profiles.
pub fn config_hash(project: &Project, service: &Service) -> String {
    let mut service = service.clone();
    service.build = None;
    service.extras.remove("pull_policy");
    service.extras.remove("scale");
    if let Some(d) = &mut service.deploy {
        d.replicas = None;
        if d.extras.is_empty() {
            service.deploy = None;
        }
    }
    service.depends_on.clear();
    service.profiles.clear();
    let node = project_node(&Project {
        name: project.name.clone(),
        services: [(service.name.clone(), service)].into_iter().collect(),
        ..Project::default()
    });
    let text = match node {
        Node::Map(entries) => emit(&Node::Map(entries.into_iter().filter(|(k, _)| k == "services").collect())),
        other => emit(&other),
    };
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn label<'a>(c: &'a Container, key: &str) -> Option<&'a str> {
    c.config.labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The project's containers on the engine (by its labels), with their service and number,
/// sorted by service then number; `run`'s one-off containers are left out.
pub fn project_containers<'a>(daemon: &'a Daemon, project: &str) -> Vec<(&'a Container, String, u32)> {
    project_containers_with(daemon, project, false)
}

/// The project's containers, `run`'s one-off containers too when `one_off`.
pub fn project_containers_with<'a>(
    daemon: &'a Daemon,
    project: &str,
    one_off: bool,
) -> Vec<(&'a Container, String, u32)> {
    let mut out: Vec<(&Container, String, u32)> = daemon
        .containers
        .newest_first()
        .filter(|c| label(c, "com.docker.compose.project") == Some(project))
        .filter(|c| one_off || label(c, "com.docker.compose.oneoff") != Some("True"))
        .map(|c| {
            let service = label(c, "com.docker.compose.service").unwrap_or_default().to_string();
            let number = label(c, "com.docker.compose.container-number").and_then(|n| n.parse().ok()).unwrap_or(1);
            (c, service, number)
        })
        .collect();
    out.sort_by(|a, b| (&a.1, a.2).cmp(&(&b.1, b.2)));
    out
}

/// The hash a container was created with.
pub fn container_hash(c: &Container) -> Option<&str> {
    label(c, "com.docker.compose.config-hash")
}

/// The options to create container `number` of `service`.
pub fn create_options(
    project: &Project,
    service: &Service,
    number: u32,
    image_id: &str,
) -> Result<CreateOptions, String> {
    let restart = match service.restart.as_deref() {
        None => RestartPolicy::No,
        Some(r) => RestartPolicy::parse(r)?,
    };
    let (entrypoint, mut cmd) = match &service.entrypoint {
        None => (None, Vec::new()),
        Some(e) => match e.split_first() {
            Some((first, rest)) => (Some(first.clone()), rest.to_vec()),
            None => (Some(String::new()), Vec::new()),
        },
    };
    cmd.extend(service.command.clone().unwrap_or_default());
    let hash = config_hash(project, service);
    Ok(CreateOptions {
        image: service.image_name(&project.name),
        name: Some(container_name(&project.name, service, number)),
        cmd,
        entrypoint,
        env: service.environment.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}"))).collect(),
        working_dir: service.working_dir.clone(),
        hostname: service.hostname.clone(),
        tty: service.tty,
        open_stdin: service.stdin_open,
        auto_remove: false,
        host: HostConfig {
            restart,
            log_driver: "json-file".into(),
            user: service.user.clone().unwrap_or_default(),
            ..HostConfig::default()
        },
        labels: container_labels(project, service, number, &hash, image_id),
        network: Default::default(),
        volumes: Vec::new(),
        healthcheck: service.healthcheck.as_ref().map(|h| crate::image::HealthConfig {
            test: if h.disable { vec!["NONE".into()] } else { h.test.clone() },
            interval: h.interval.unwrap_or(0),
            timeout: h.timeout.unwrap_or(0),
            start_period: h.start_period.unwrap_or(0),
            start_interval: h.start_interval.unwrap_or(0),
            retries: h.retries.unwrap_or(0),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::model::Dependency;

    #[test]
    fn a_service_becomes_create_options_with_compose_labels() {
        let mut web = Service {
            name: "web".into(),
            image: Some("nginx".into()),
            entrypoint: Some(vec!["/bin/sh".into(), "-c".into()]),
            command: Some(vec!["echo hi".into()]),
            restart: Some("unless-stopped".into()),
            ..Service::default()
        };
        web.environment.insert("A".into(), Some("1".into()));
        web.environment.insert("UNSET".into(), None);
        web.depends_on
            .insert("db".into(), Dependency { condition: "service_started".into(), restart: false, required: true });
        let project = Project {
            name: "app".into(),
            working_dir: "/home/eleve/app".into(),
            config_files: vec!["/home/eleve/app/compose.yaml".into()],
            services: [("web".to_string(), web.clone())].into_iter().collect(),
            ..Project::default()
        };
        let opts = create_options(&project, &web, 1, "sha256:abc").unwrap();
        assert_eq!(opts.name.as_deref(), Some("app-web-1"));
        assert_eq!(opts.entrypoint.as_deref(), Some("/bin/sh"));
        assert_eq!(opts.cmd, ["-c", "echo hi"]);
        assert_eq!(opts.env, ["A=1"]);
        assert_eq!(opts.host.restart, RestartPolicy::parse("unless-stopped").unwrap());
        let get = |k: &str| opts.labels.iter().find(|(l, _)| l == k).map(|(_, v)| v.as_str());
        assert_eq!(get("com.docker.compose.project"), Some("app"));
        assert_eq!(get("com.docker.compose.service"), Some("web"));
        assert_eq!(get("com.docker.compose.container-number"), Some("1"));
        assert_eq!(get("com.docker.compose.oneoff"), Some("False"));
        assert_eq!(get("com.docker.compose.depends_on"), Some("db:service_started:false"));
        assert_eq!(get("com.docker.compose.project.working_dir"), Some("/home/eleve/app"));
        assert_eq!(get("com.docker.compose.version"), Some("2.36.2"));
        assert_eq!(get("com.docker.compose.config-hash").map(str::len), Some(64));
        let mut changed = web.clone();
        changed.image = Some("httpd".into());
        assert_ne!(config_hash(&project, &web), config_hash(&project, &changed));
    }
}
