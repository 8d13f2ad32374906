//! The typed model of a Compose project, after normalisation: every short syntax has become its
//! long form (`"8080:80"` is a [`Port`] with a target and a published port, `./x:/y` a bind
//! [`Mount`], `depends_on: [db]` a [`Dependency`] on `service_started`), paths are absolute, the
//! environment is resolved. This is what `docker compose config` prints and what `up` applies.

use super::interpolate::Env;
use super::value::Map;
use std::collections::BTreeMap;

/// A loaded project.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Project {
    /// `-p`, `COMPOSE_PROJECT_NAME`, the `name:` key, or the folder's name.
    pub name: String,
    /// The project's folder (the first file's folder unless `--project-directory`).
    pub working_dir: String,
    /// The files it was read from, absolute.
    pub config_files: Vec<String>,
    /// The services to run (those of inactive profiles are in `disabled`).
    pub services: BTreeMap<String, Service>,
    pub disabled: BTreeMap<String, Service>,
    /// Networks and volumes that services use, with their names on the engine.
    pub networks: BTreeMap<String, Network>,
    pub volumes: BTreeMap<String, Volume>,
    /// The variables interpolation used (shell and `.env`).
    pub environment: Env,
}

/// One service: how to make its containers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Service {
    pub name: String,
    pub profiles: Vec<String>,
    pub build: Option<Build>,
    pub command: Option<Vec<String>>,
    pub container_name: Option<String>,
    pub depends_on: BTreeMap<String, Dependency>,
    pub deploy: Option<Deploy>,
    pub entrypoint: Option<Vec<String>>,
    /// `None` values are variables listed without a value and unset everywhere (`- DEBUG`).
    pub environment: BTreeMap<String, Option<String>>,
    /// `env_file:` entries (absolute path, required), read into `environment` once the project
    /// holds together (see [`super::normalize::resolve_env_files`]).
    pub env_files: Vec<(String, bool)>,
    pub expose: Vec<String>,
    pub hostname: Option<String>,
    pub healthcheck: Option<Healthcheck>,
    pub image: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub links: Vec<String>,
    pub network_mode: Option<String>,
    /// Networks by their key in the file; `None` is `name: null` (no per-network settings).
    pub networks: BTreeMap<String, Option<ServiceNetwork>>,
    pub ports: Vec<Port>,
    pub restart: Option<String>,
    pub stdin_open: bool,
    pub tty: bool,
    pub user: Option<String>,
    pub volumes: Vec<Mount>,
    pub working_dir: Option<String>,
    /// Attributes the model does not type (`cap_add`, `extra_hosts`...), kept as written, in
    /// Compose's attribute order when printed.
    pub extras: Map,
}

/// `build:` — a folder with a Dockerfile.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Build {
    pub context: String,
    pub dockerfile: String,
    pub args: BTreeMap<String, String>,
    pub target: Option<String>,
}

/// `depends_on:` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// `service_started`, `service_healthy` or `service_completed_successfully`.
    pub condition: String,
    pub restart: bool,
    pub required: bool,
}

/// `deploy:` — only the replica count matters on one engine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Deploy {
    pub replicas: Option<i64>,
    pub extras: Map,
}

/// `healthcheck:` — durations in nanoseconds, printed back as Go prints durations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub timeout: Option<i64>,
    pub interval: Option<i64>,
    pub retries: Option<i64>,
    pub start_period: Option<i64>,
    pub start_interval: Option<i64>,
    pub disable: bool,
}

/// A service's settings on one network.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceNetwork {
    pub aliases: Vec<String>,
    pub ipv4_address: Option<String>,
    pub ipv6_address: Option<String>,
}

/// A published or exposed port (long syntax).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Port {
    pub name: Option<String>,
    pub mode: String,
    pub host_ip: Option<String>,
    pub target: u32,
    /// A port or a range (`8080-8081`); `None` lets the engine choose.
    pub published: Option<String>,
    pub protocol: String,
    pub app_protocol: Option<String>,
}

/// What a mount is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountType {
    Volume,
    Bind,
    Tmpfs,
}

impl MountType {
    pub fn as_str(self) -> &'static str {
        match self {
            MountType::Volume => "volume",
            MountType::Bind => "bind",
            MountType::Tmpfs => "tmpfs",
        }
    }
}

/// A mount (long syntax).
#[derive(Debug, Clone, PartialEq)]
pub struct Mount {
    pub kind: MountType,
    /// A volume's key in the file, or an absolute host path; none for anonymous volumes and tmpfs.
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
    /// `bind:` options: `create_host_path` (short syntax), SELinux label, propagation.
    pub bind: Option<BindOptions>,
    /// `volume:` options (`nocopy`); `Some` with defaults prints as `volume: {}`.
    pub volume: Option<VolumeOptions>,
    /// `tmpfs:` options.
    pub tmpfs: Option<TmpfsOptions>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BindOptions {
    pub selinux: Option<String>,
    pub propagation: Option<String>,
    pub create_host_path: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct VolumeOptions {
    pub nocopy: bool,
    pub subpath: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TmpfsOptions {
    /// Bytes.
    pub size: Option<i64>,
    pub mode: Option<u32>,
}

/// A top-level network.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Network {
    /// The name on the engine (`app_default`, or the external network's own name).
    pub name: String,
    pub driver: Option<String>,
    pub driver_opts: BTreeMap<String, String>,
    pub ipam: Option<Ipam>,
    pub external: bool,
    pub internal: bool,
    pub attachable: bool,
    pub labels: BTreeMap<String, String>,
    pub enable_ipv6: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ipam {
    pub driver: Option<String>,
    pub config: Vec<IpamPool>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IpamPool {
    pub subnet: Option<String>,
    pub gateway: Option<String>,
    pub ip_range: Option<String>,
}

/// A top-level volume.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Volume {
    pub name: String,
    pub driver: Option<String>,
    pub driver_opts: BTreeMap<String, String>,
    pub external: bool,
    pub labels: BTreeMap<String, String>,
}

impl Service {
    /// The image a service runs: its own, or `<project>-<service>` when it is built.
    pub fn image_name(&self, project: &str) -> String {
        match &self.image {
            Some(i) => i.clone(),
            None => format!("{project}-{}", self.name),
        }
    }

    /// How many containers `up` makes: `scale:`, else `deploy.replicas`, else one (Compose's
    /// `GetScale`).
    pub fn replicas(&self) -> i64 {
        if let Some(super::value::Value::Int(n)) = self.extras.get("scale") {
            return *n;
        }
        self.deploy.as_ref().and_then(|d| d.replicas).unwrap_or(1)
    }

    /// `--scale SERVICE=NUM`: overrides both `scale:` and `deploy.replicas`.
    pub fn set_scale(&mut self, n: i64) {
        self.extras.insert("scale", super::value::Value::Int(n));
        self.deploy.get_or_insert_with(Deploy::default).replicas = Some(n);
    }
}
