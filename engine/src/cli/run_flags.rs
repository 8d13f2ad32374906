//! The `docker run`/`docker create` flags that shape how the daemon runs the container (its
//! `HostConfig`): restart policy, logging, memory and process limits, the user, and environment
//! files read from the host; and the health check flags (`--health-*`, a `Config` setting).
//! Checked on the client side with Docker's messages.

use super::Matches;
use crate::container::{parse_size, HostConfig, RestartPolicy};
use crate::daemon::Daemon;
use crate::host::absolute;
use crate::image::HealthConfig;

const LOG_DRIVERS: &[&str] = &["json-file", "local", "none"];
const LOG_OPTS: &[&str] = &["max-size", "max-file", "compress", "mode", "max-buffer-size", "tag", "labels", "env"];

/// Docker's smallest `--memory`.
const MIN_MEMORY: u64 = 6 * 1024 * 1024;

/// Reads `--env-file` files: `KEY=value` lines; blank lines and `#` comments are skipped.
fn env_files(daemon: &Daemon, files: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for f in files {
        let path = absolute(&daemon.client_cwd, f);
        let text =
            daemon.host_fs.read_file(&path).map_err(|e| format!("open {path}: {}", e.to_string().to_lowercase()))?;
        for line in String::from_utf8_lossy(&text).lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // A bare name takes the host's value; the host shell has no such variables here.
            if line.contains('=') {
                out.push(line.to_string());
            }
        }
    }
    Ok(out)
}

/// The `HostConfig` and the extra environment the flags ask for, or the client's error text.
pub fn host_config(m: &Matches, daemon: &Daemon) -> Result<(HostConfig, Vec<String>), String> {
    let restart = RestartPolicy::parse(m.value("restart").unwrap_or("no"))?;
    if m.flag("rm") && restart != RestartPolicy::No {
        return Err("Conflicting options: cannot specify both --restart and --rm".into());
    }
    let log_driver = m.value("log-driver").unwrap_or("json-file").to_string();
    if !LOG_DRIVERS.contains(&log_driver.as_str()) {
        return Err(format!("Error response from daemon: logger: no log driver named '{log_driver}' is registered"));
    }
    let mut log_opts = Vec::new();
    for opt in m.list("log-opt") {
        let Some((k, v)) = opt.split_once('=') else {
            return Err(format!("invalid key value pair format in driver options: {opt}"));
        };
        if !LOG_OPTS.contains(&k) {
            return Err(format!("Error response from daemon: unknown log opt '{k}' for {log_driver} log driver"));
        }
        if k == "max-size" && parse_size(v).is_none() {
            return Err(format!("Error response from daemon: invalid size: '{v}'"));
        }
        log_opts.push((k.to_string(), v.to_string()));
    }
    let memory = match m.value("memory") {
        None => None,
        Some(v) => match parse_size(v) {
            Some(b) if b < MIN_MEMORY => {
                return Err("Error response from daemon: Minimum memory limit allowed is 6MB".into())
            }
            Some(b) => Some(b),
            None => return Err(format!("invalid argument \"{v}\" for \"-m, --memory\" flag: invalid size: '{v}'")),
        },
    };
    let pids_limit = m.value("pids-limit").and_then(|v| v.parse::<i64>().ok());
    let user = m.value("user").unwrap_or_default().to_string();
    let env = env_files(daemon, m.list("env-file"))?;
    let stop_signal = m.value("stop-signal").filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(s) = stop_signal.as_deref().filter(|s| crate::process::Signal::parse(s).is_none()) {
        return Err(format!("Error response from daemon: Invalid signal: {s}"));
    }
    let stop_timeout = match m.value("stop-timeout") {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            format!("invalid argument \"{v}\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax")
        })?),
    };
    let host = HostConfig {
        restart,
        log_driver,
        log_opts,
        memory,
        pids_limit,
        user,
        stop_signal,
        stop_timeout,
        ..HostConfig::default()
    };
    Ok((host, env))
}

// ---- Mounts: `-v`, `--mount`, `--tmpfs`, `--volumes-from` (see `crate::volume`). ----

/// What the mount flags ask for, sorted the way the client sends it to the daemon.
#[derive(Debug, Default)]
pub struct MountFlags {
    /// `HostConfig.Binds`: `-v` with a source.
    pub binds: Vec<String>,
    /// `Config.Volumes`: lone `-v /path`.
    pub anonymous: Vec<String>,
    pub mounts: Vec<crate::volume::MountSpec>,
    pub tmpfs: Vec<(String, String)>,
    pub volumes_from: Vec<String>,
}

impl MountFlags {
    /// Puts the daemon's part in the container's `HostConfig`.
    pub fn apply(&mut self, host: &mut HostConfig) {
        host.binds = std::mem::take(&mut self.binds);
        host.mounts = std::mem::take(&mut self.mounts);
        host.tmpfs = std::mem::take(&mut self.tmpfs);
        host.volumes_from = std::mem::take(&mut self.volumes_from);
    }
}

/// Reads the mount flags; `Err` is the client's whole message for stderr.
pub fn mount_flags(m: &Matches, spec: &super::Spec, cwd: &str) -> Result<MountFlags, String> {
    use crate::volume::flags::{parse_mount_flag, parse_tmpfs_flag, parse_volume_flag, MountFlagError, VolumeFlag};
    let run_help = format!("\nRun '{} --help' for more information\n", spec.name);
    let mut out = MountFlags::default();
    for v in m.list("volume") {
        match parse_volume_flag(v, cwd).map_err(|e| format!("docker: {e}\n{run_help}"))? {
            VolumeFlag::Bind(b) => out.binds.push(b),
            VolumeFlag::Anonymous(path) if !out.anonymous.contains(&path) => out.anonymous.push(path),
            VolumeFlag::Anonymous(_) => {}
        }
    }
    for v in m.list("mount") {
        match parse_mount_flag(v, cwd) {
            Ok(mount) => out.mounts.push(mount),
            Err(MountFlagError::Invalid(e)) => {
                return Err(format!(
                    "invalid argument \"{v}\" for \"--mount\" flag: {e}\n\nUsage:  {}\n{run_help}",
                    spec.usage
                ))
            }
            Err(MountFlagError::Daemon(e)) => {
                return Err(format!("docker: Error response from daemon: {e}\n{run_help}"))
            }
        }
    }
    out.tmpfs = m.list("tmpfs").iter().map(|t| parse_tmpfs_flag(t)).collect();
    out.volumes_from = m.list("volumes-from").to_vec();
    Ok(out)
}

// --- Health checks ----------------------------------------------------------------------------

/// A `--health-*` duration, as Go's flag package parses it.
fn health_duration(m: &Matches, name: &str) -> Result<i64, String> {
    match m.value(name) {
        None => Ok(0),
        Some(v) => crate::image::build::parse_go_duration(v)
            .map_err(|e| format!("invalid argument \"{v}\" for \"--{name}\" flag: {e}")),
    }
}

/// The health check the flags ask for (Docker's client rules): `--no-healthcheck` disables the
/// image's, `--health-cmd` replaces its test (run by the container's shell), the other flags
/// override its timings; `None` keeps the image's as it is.
pub fn healthcheck(m: &Matches) -> Result<Option<HealthConfig>, String> {
    let retries = m.value("health-retries").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let cmd = m.value("health-cmd").unwrap_or_default();
    let mut durations = [0i64; 4];
    let names = ["health-interval", "health-timeout", "health-start-period", "health-start-interval"];
    for (slot, name) in durations.iter_mut().zip(names) {
        *slot = health_duration(m, name)?;
    }
    let have_settings = !cmd.is_empty() || retries != 0 || durations.iter().any(|d| *d != 0);
    if m.flag("no-healthcheck") {
        if have_settings {
            return Err("--no-healthcheck conflicts with --health-* options".into());
        }
        return Ok(Some(HealthConfig { test: vec!["NONE".into()], ..HealthConfig::default() }));
    }
    if !have_settings {
        return Ok(None);
    }
    // In Docker's order: interval, timeout, retries, start period, start interval.
    let negative = |i: usize| durations[i] < 0;
    for (bad, name) in [
        (negative(0), "health-interval"),
        (negative(1), "health-timeout"),
        (retries < 0, "health-retries"),
        (negative(2), "health-start-period"),
        (negative(3), "health-start-interval"),
    ] {
        if bad {
            return Err(format!("--{name} cannot be negative"));
        }
    }
    let [interval, timeout, start_period, start_interval] = durations;
    let test = if cmd.is_empty() { Vec::new() } else { vec!["CMD-SHELL".to_string(), cmd.to_string()] };
    Ok(Some(HealthConfig { test, interval, timeout, start_period, start_interval, retries }))
}
