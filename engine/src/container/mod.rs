//! Containers: a root filesystem made from an image's layers, a configuration taken from the
//! image and the `docker run` flags, and a main process whose life is the container's life
//! (created -> running -> exited). One file per verb, as in youki's libcontainer: each adds its
//! verb to [`crate::Daemon`].

pub(crate) mod commit;
mod create;
mod exec;
pub mod health;
mod kill;
mod logs;
mod pause;
mod remove;
mod rename;
mod restart;
pub(crate) mod start;
mod state;
mod store;
mod supervise;

pub use commit::CommitOptions;
pub use create::CreateOptions;
pub use exec::{ExecHandle, ExecOptions};
pub use health::{Health, HealthResult, HealthStatus};
pub use logs::{LogEntry, LogStream};
pub use remove::RemoveOptions;
pub use restart::RestartPolicy;
pub use state::State;
pub use store::ContainerStore;
pub use supervise::{parse_size, DEFAULT_LOG_CAP};

use crate::fs::Fs;
use crate::ids::{ContainerId, Digest};
use crate::process::{GroupId, Pid, Pipe};

/// What a container runs and how (the `Config` of `docker inspect`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub hostname: String,
    pub env: Vec<String>,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub working_dir: String,
    pub tty: bool,
    pub open_stdin: bool,
    pub labels: Vec<(String, String)>,
    /// The image as the user named it (`hello-world`), shown in `docker ps`.
    pub image: String,
    /// The health check (the image's, merged with `--health-*`); see [`health`].
    pub healthcheck: Option<crate::image::HealthConfig>,
    /// `Config.Volumes`: the paths that get an anonymous volume (the image's `VOLUME`s and
    /// lone `-v /path`).
    pub volumes: Vec<String>,
}

impl Config {
    /// The full command line: entrypoint followed by command, as Docker combines them.
    pub fn argv(&self) -> Vec<String> {
        self.entrypoint.iter().chain(self.cmd.iter()).cloned().collect()
    }
}

/// A container's main process and its stdio pipes while it runs.
#[derive(Debug)]
pub struct Running {
    /// The container's terminal (`-t`): its processes' stdin, stdout and stderr.
    pub tty: Option<crate::process::Tty>,
    pub pid: Pid,
    /// The container's process group: the main process and everything it starts.
    pub group: GroupId,
    pub stdin: Pipe,
    pub stdout: Pipe,
    pub stderr: Pipe,
}

/// How the daemon runs a container (the `HostConfig` of `docker inspect`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostConfig {
    pub restart: RestartPolicy,
    /// `json-file` (default), `local` or `none`.
    pub log_driver: String,
    pub log_opts: Vec<(String, String)>,
    /// Bytes of memory each process may use (`--memory`); `None` for the playground's default.
    pub memory: Option<u64>,
    /// Processes the container may have at once (`--pids-limit`); `None` for the default.
    pub pids_limit: Option<i64>,
    /// `-u`: the user the main process runs as.
    pub user: String,
    /// `-v SRC:DST[:MODE]` strings (`HostConfig.Binds`).
    pub binds: Vec<String>,
    /// `--mount` entries (`HostConfig.Mounts`).
    pub mounts: Vec<crate::volume::MountSpec>,
    /// `--tmpfs` paths and their options (`HostConfig.Tmpfs`).
    pub tmpfs: Vec<(String, String)>,
    /// `--volumes-from` containers, with `:ro` or `:rw`.
    pub volumes_from: Vec<String>,
    /// The signal `docker stop` sends (`--stop-signal`, else the image's `STOPSIGNAL`), as
    /// written; `None`: `SIGTERM`. `docker inspect` shows it as `Config.StopSignal`.
    pub stop_signal: Option<String>,
    /// Seconds `docker stop` waits before `SIGKILL` (`--stop-timeout`; -1: forever); `None`: 10.
    /// `docker inspect` shows it as `Config.StopTimeout`.
    pub stop_timeout: Option<i64>,
}

/// Seconds `docker stop` waits for a container to exit before killing it, unless told.
pub const DEFAULT_STOP_TIMEOUT: i64 = 10;

impl HostConfig {
    /// The signal `docker stop` sends.
    pub fn stop_signal(&self) -> crate::process::Signal {
        self.stop_signal.as_deref().and_then(crate::process::Signal::parse).unwrap_or(crate::process::Signal::Term)
    }

    /// Seconds `docker stop` waits (negative: no limit).
    pub fn stop_timeout(&self) -> i64 {
        self.stop_timeout.unwrap_or(DEFAULT_STOP_TIMEOUT)
    }
}

/// A container.
#[derive(Debug)]
pub struct Container {
    pub id: ContainerId,
    /// The name without Docker's leading slash.
    pub name: String,
    pub image_id: Digest,
    pub config: Config,
    pub created_ms: u64,
    pub state: State,
    /// Its root filesystem: the image's layers plus its own changes, with its volumes, bind
    /// mounts and tmpfs mounted on it.
    pub fs: Fs,
    /// Its mounts (volumes, bind mounts, `--mount` tmpfs), by destination.
    pub mounts: Vec<crate::volume::MountPoint>,
    /// What its processes wrote to stdout and stderr (`docker logs`).
    pub logs: Vec<LogEntry>,
    /// Remove it when it exits (`--rm`).
    pub auto_remove: bool,
    pub host: HostConfig,
    /// How many times the restart policy restarted it.
    pub restart_count: u32,
    /// Stopped or killed by the user: the restart policy does not apply.
    pub manually_stopped: bool,
    /// While restarting: when to start again (ms since the epoch) and the delay used.
    pub restart_at: Option<u64>,
    pub restart_delay_ms: u64,
    pub process: Option<Running>,
    /// `State.Health`: set once a container with a health check has started.
    pub health: Option<Health>,
    /// Its networks, ports, links and DNS settings, and while it runs, its network namespace.
    pub net: crate::network::ContainerNet,
}
