//! The snapshot's records of a container's configuration and state: plain serde structs that
//! mirror [`crate::container::Container`] and what it holds. They are the format, written down:
//! renaming a field of the engine's own types does not change what a saved snapshot means, and a
//! field added here with `#[serde(default)]` reads older snapshots unchanged.

use crate::container::{Config, Health, HealthResult, HealthStatus, HostConfig, RestartPolicy, State};
use crate::image::HealthConfig;
use crate::volume::{MountPoint, MountSpec, MountType, VolumeOptions};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// [`Config`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfigRecord {
    pub hostname: String,
    pub env: Vec<String>,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub working_dir: String,
    pub tty: bool,
    pub open_stdin: bool,
    pub labels: Vec<(String, String)>,
    pub image: String,
    pub volumes: Vec<String>,
    pub healthcheck: Option<HealthConfig>,
}

impl From<&Config> for ConfigRecord {
    fn from(c: &Config) -> Self {
        Self {
            hostname: c.hostname.clone(),
            env: c.env.clone(),
            cmd: c.cmd.clone(),
            entrypoint: c.entrypoint.clone(),
            working_dir: c.working_dir.clone(),
            tty: c.tty,
            open_stdin: c.open_stdin,
            labels: c.labels.clone(),
            image: c.image.clone(),
            volumes: c.volumes.clone(),
            healthcheck: c.healthcheck.clone(),
        }
    }
}

impl From<ConfigRecord> for Config {
    fn from(r: ConfigRecord) -> Self {
        Self {
            hostname: r.hostname,
            env: r.env,
            cmd: r.cmd,
            entrypoint: r.entrypoint,
            working_dir: r.working_dir,
            tty: r.tty,
            open_stdin: r.open_stdin,
            labels: r.labels,
            image: r.image,
            volumes: r.volumes,
            healthcheck: r.healthcheck,
        }
    }
}

/// [`VolumeOptions`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VolumeOptionsRecord {
    pub no_copy: bool,
    pub labels: BTreeMap<String, String>,
    pub driver: Option<String>,
    pub options: BTreeMap<String, String>,
    pub subpath: Option<String>,
}

/// [`MountSpec`] (a `--mount`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MountSpecRecord {
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
    pub target: String,
    pub read_only: bool,
    pub propagation: Option<String>,
    pub volume: Option<VolumeOptionsRecord>,
    pub tmpfs_size: Option<u64>,
    pub tmpfs_mode: Option<u32>,
}

fn mount_type(name: &str) -> Result<MountType, String> {
    MountType::parse(name).ok_or_else(|| format!("unknown mount type {name:?}"))
}

impl From<&MountSpec> for MountSpecRecord {
    fn from(m: &MountSpec) -> Self {
        Self {
            kind: m.kind.as_str().to_string(),
            source: m.source.clone(),
            target: m.target.clone(),
            read_only: m.read_only,
            propagation: m.propagation.clone(),
            volume: m.volume.as_ref().map(|v| VolumeOptionsRecord {
                no_copy: v.no_copy,
                labels: v.labels.clone(),
                driver: v.driver.clone(),
                options: v.options.clone(),
                subpath: v.subpath.clone(),
            }),
            tmpfs_size: m.tmpfs_size,
            tmpfs_mode: m.tmpfs_mode,
        }
    }
}

impl MountSpecRecord {
    fn into_spec(self) -> Result<MountSpec, String> {
        Ok(MountSpec {
            kind: mount_type(&self.kind)?,
            source: self.source,
            target: self.target,
            read_only: self.read_only,
            propagation: self.propagation,
            volume: self.volume.map(|v| VolumeOptions {
                no_copy: v.no_copy,
                labels: v.labels,
                driver: v.driver,
                options: v.options,
                subpath: v.subpath,
            }),
            tmpfs_size: self.tmpfs_size,
            tmpfs_mode: self.tmpfs_mode,
        })
    }
}

/// [`HostConfig`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HostConfigRecord {
    /// `no`, `always`, `unless-stopped`, `on-failure` or `on-failure:N`, as `--restart` takes it.
    pub restart: String,
    pub log_driver: String,
    pub log_opts: Vec<(String, String)>,
    pub memory: Option<u64>,
    pub pids_limit: Option<i64>,
    pub user: String,
    pub binds: Vec<String>,
    pub mounts: Vec<MountSpecRecord>,
    pub tmpfs: Vec<(String, String)>,
    pub volumes_from: Vec<String>,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<i64>,
}

fn restart_text(policy: RestartPolicy) -> String {
    match policy {
        RestartPolicy::OnFailure(n) if n > 0 => format!("on-failure:{n}"),
        other => other.name().to_string(),
    }
}

impl From<&HostConfig> for HostConfigRecord {
    fn from(h: &HostConfig) -> Self {
        Self {
            restart: restart_text(h.restart),
            log_driver: h.log_driver.clone(),
            log_opts: h.log_opts.clone(),
            memory: h.memory,
            pids_limit: h.pids_limit,
            user: h.user.clone(),
            binds: h.binds.clone(),
            mounts: h.mounts.iter().map(MountSpecRecord::from).collect(),
            tmpfs: h.tmpfs.clone(),
            volumes_from: h.volumes_from.clone(),
            stop_signal: h.stop_signal.clone(),
            stop_timeout: h.stop_timeout,
        }
    }
}

impl HostConfigRecord {
    pub fn into_host_config(self) -> Result<HostConfig, String> {
        Ok(HostConfig {
            restart: RestartPolicy::parse(&self.restart)?,
            log_driver: self.log_driver,
            log_opts: self.log_opts,
            memory: self.memory,
            pids_limit: self.pids_limit,
            user: self.user,
            binds: self.binds,
            mounts: self.mounts.into_iter().map(MountSpecRecord::into_spec).collect::<Result<_, _>>()?,
            tmpfs: self.tmpfs,
            volumes_from: self.volumes_from,
            stop_signal: self.stop_signal,
            stop_timeout: self.stop_timeout,
        })
    }
}

/// [`MountPoint`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MountPointRecord {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub source: String,
    pub destination: String,
    pub driver: String,
    pub mode: String,
    pub rw: bool,
    pub propagation: String,
    pub copy_data: bool,
    pub anonymous: bool,
    pub source_must_exist: bool,
    pub subpath: Option<String>,
    pub tmpfs_size: Option<u64>,
    pub tmpfs_mode: Option<u32>,
}

impl From<&MountPoint> for MountPointRecord {
    fn from(m: &MountPoint) -> Self {
        Self {
            kind: m.kind.as_str().to_string(),
            name: m.name.clone(),
            source: m.source.clone(),
            destination: m.destination.clone(),
            driver: m.driver.clone(),
            mode: m.mode.clone(),
            rw: m.rw,
            propagation: m.propagation.clone(),
            copy_data: m.copy_data,
            anonymous: m.anonymous,
            source_must_exist: m.source_must_exist,
            subpath: m.subpath.clone(),
            tmpfs_size: m.tmpfs_size,
            tmpfs_mode: m.tmpfs_mode,
        }
    }
}

impl MountPointRecord {
    pub fn into_mount_point(self) -> Result<MountPoint, String> {
        Ok(MountPoint {
            kind: mount_type(&self.kind)?,
            name: self.name,
            source: self.source,
            destination: self.destination,
            driver: self.driver,
            mode: self.mode,
            rw: self.rw,
            propagation: self.propagation,
            copy_data: self.copy_data,
            anonymous: self.anonymous,
            source_must_exist: self.source_must_exist,
            subpath: self.subpath,
            tmpfs_size: self.tmpfs_size,
            tmpfs_mode: self.tmpfs_mode,
        })
    }
}

/// [`State`], as it was when the snapshot was made. A `running` (or `restarting`) container is
/// not running any more when the snapshot is restored: see [`super::restore`].
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum StateRecord {
    Created,
    Running {
        started_ms: u64,
        #[serde(default)]
        paused: bool,
    },
    Exited {
        code: i32,
        started_ms: u64,
        finished_ms: u64,
        restarting: bool,
    },
}

impl From<State> for StateRecord {
    fn from(s: State) -> Self {
        match s {
            State::Created => StateRecord::Created,
            State::Running { started_ms, paused } => StateRecord::Running { started_ms, paused },
            State::Exited { code, started_ms, finished_ms, restarting } => {
                StateRecord::Exited { code, started_ms, finished_ms, restarting }
            }
        }
    }
}

/// The tree a container's saved layer applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerBase {
    /// Its image's layers (the usual case).
    Image,
    /// Nothing: the image was gone when the snapshot was made, the whole tree is saved.
    Empty,
}

/// One container.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContainerRecord {
    pub id: String,
    pub name: String,
    pub image_id: String,
    pub config: ConfigRecord,
    pub created_ms: u64,
    pub state: StateRecord,
    #[serde(default)]
    pub mounts: Vec<MountPointRecord>,
    #[serde(default)]
    pub auto_remove: bool,
    pub host: HostConfigRecord,
    #[serde(default)]
    pub restart_count: u32,
    #[serde(default)]
    pub manually_stopped: bool,
    pub layer_base: LayerBase,
    /// The entry holding its own files beyond the base (see [`super::tree`]).
    pub layer: String,
    /// The entry holding its logs (see [`super::logs`]).
    pub logs: String,
    /// Its network settings.
    #[serde(default)]
    pub net: super::networks::ContainerNetRecord,
    /// `State.Health`, once it has started with a health check.
    #[serde(default)]
    pub health: Option<HealthRecord>,
}

/// One result of a health check.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HealthResultRecord {
    pub start_ms: u64,
    pub end_ms: u64,
    pub exit_code: i32,
    pub output: String,
}

/// [`Health`]: where it stood and the last results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HealthRecord {
    /// `starting`, `healthy` or `unhealthy`.
    pub status: String,
    pub failing_streak: u32,
    pub log: Vec<HealthResultRecord>,
}

impl From<&Health> for HealthRecord {
    fn from(h: &Health) -> Self {
        Self {
            status: h.status.as_str().to_string(),
            failing_streak: h.failing_streak,
            log: h
                .log
                .iter()
                .map(|r| HealthResultRecord {
                    start_ms: r.start_ms,
                    end_ms: r.end_ms,
                    exit_code: r.exit_code,
                    output: r.output.clone(),
                })
                .collect(),
        }
    }
}

impl HealthRecord {
    /// The health of a stopped container. `was_monitored`: its checks were running when the
    /// snapshot was made; their monitor stopped with the daemon, which makes it `unhealthy`, as
    /// when a container exits.
    pub fn into_health(self, was_monitored: bool) -> Result<Health, String> {
        let status = match self.status.as_str() {
            _ if was_monitored => HealthStatus::Unhealthy,
            "starting" => HealthStatus::Starting,
            "healthy" => HealthStatus::Healthy,
            "unhealthy" => HealthStatus::Unhealthy,
            other => return Err(format!("unknown health status {other:?}")),
        };
        let log = self
            .log
            .into_iter()
            .map(|r| HealthResult { start_ms: r.start_ms, end_ms: r.end_ms, exit_code: r.exit_code, output: r.output })
            .collect();
        Ok(Health::restored(status, self.failing_streak, log))
    }
}
