//! Health checks (`HEALTHCHECK` in a Dockerfile, `docker run --health-cmd`): while a container
//! runs, the daemon runs its test command inside it on a schedule, like a `docker exec`, and
//! keeps score. Exit status 0 is a success; after `retries` failures in a row the container is
//! `unhealthy`; a success makes it `healthy` again. Until the first success it is `starting`,
//! and failures during the start period do not count. The last five results are kept (what
//! `docker inspect` shows under `State.Health`), and `docker ps` adds the status to `Up ...`.
//!
//! The schedule follows Docker's monitor: the first check one interval after the start (the
//! start interval while starting within the start period), the next one interval after the end
//! of the previous one; a check that runs past its timeout is killed and counts as a failure
//! (exit code -1). Pausing stops the monitor and unpausing starts a new one; when the monitor
//! stops, Docker marks the container `unhealthy` (it says so "for compatibility reasons"), and
//! so does the playground.

use super::{Container, ExecHandle, ExecOptions, State};
use crate::image::HealthConfig;
use crate::process::{Kernel, ProcStatus, Signal};
use crate::units::{go_duration, human_duration};
use crate::{Daemon, Error};
use std::collections::VecDeque;

const SECOND: i64 = 1_000_000_000;
/// Docker's defaults when a duration (or the retries) is zero.
const DEFAULT_INTERVAL: i64 = 30 * SECOND;
const DEFAULT_TIMEOUT: i64 = 30 * SECOND;
const DEFAULT_START_INTERVAL: i64 = 5 * SECOND;
const DEFAULT_RETRIES: i64 = 3;
/// Results kept in `State.Health.Log`.
pub const MAX_LOG_ENTRIES: usize = 5;
/// Bytes of a check's output kept; longer output is cut and ends with `...`.
pub const MAX_OUTPUT_LEN: usize = 4096;

/// Where a container's health stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthStatus {
    Starting,
    Healthy,
    Unhealthy,
}

impl HealthStatus {
    /// The word of `docker inspect` and `docker ps --filter health=`.
    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Starting => "starting",
            HealthStatus::Healthy => "healthy",
            HealthStatus::Unhealthy => "unhealthy",
        }
    }

    /// What `docker ps` adds after `Up ...`: `health: starting`, `healthy`, `unhealthy`.
    pub fn describe(self) -> &'static str {
        match self {
            HealthStatus::Starting => "health: starting",
            other => other.as_str(),
        }
    }
}

/// One run of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthResult {
    /// Start and end, milliseconds since the epoch.
    pub start_ms: u64,
    pub end_ms: u64,
    /// 0 healthy, 1 unhealthy, -1 the check could not run or timed out.
    pub exit_code: i32,
    pub output: String,
}

/// A check in progress.
#[derive(Debug)]
struct Probe {
    handle: ExecHandle,
    start_ms: u64,
    output: Vec<u8>,
    truncated: bool,
}

impl Probe {
    /// Keeps what the check wrote, up to [`MAX_OUTPUT_LEN`].
    fn collect(&mut self) {
        for bytes in [self.handle.stdout.drain(), self.handle.stderr.drain()] {
            let keep = MAX_OUTPUT_LEN.saturating_sub(self.output.len()).min(bytes.len());
            self.output.extend_from_slice(&bytes[..keep]);
            self.truncated |= keep < bytes.len();
        }
    }

    fn output(&self) -> String {
        let text = String::from_utf8_lossy(&self.output).into_owned();
        if self.truncated {
            text + "..."
        } else {
            text
        }
    }
}

/// The schedule while the container runs unpaused.
#[derive(Debug)]
struct Monitor {
    /// When the next check starts (ms since the epoch), unless one is running.
    next_ms: u64,
    probe: Option<Probe>,
}

/// A container's health (`State.Health`): present once a container with a check has started.
#[derive(Debug)]
pub struct Health {
    pub status: HealthStatus,
    pub failing_streak: u32,
    /// The last results, oldest first.
    pub log: VecDeque<HealthResult>,
    monitor: Option<Monitor>,
}

/// The command a check runs: `CMD` runs its arguments, `CMD-SHELL` its line with `/bin/sh -c`.
/// `None` when checks are off (`NONE`, no test, or an unknown type).
pub fn probe_argv(config: &HealthConfig) -> Option<Vec<String>> {
    let (kind, rest) = config.test.split_first()?;
    match kind.as_str() {
        "CMD" if !rest.is_empty() => Some(rest.to_vec()),
        "CMD-SHELL" if !rest.is_empty() => {
            Some(["/bin/sh", "-c"].iter().map(|s| s.to_string()).chain(rest.iter().cloned()).collect())
        }
        _ => None,
    }
}

/// Milliseconds for a configured duration, Docker's default when zero.
fn millis(nanos: i64, default: i64) -> u64 {
    let n = if nanos > 0 { nanos } else { default };
    u64::try_from(n / 1_000_000).unwrap_or(0).max(1)
}

/// `docker run`'s client-side checks and the daemon's (`validateHealthCheck`), with their words.
pub fn validate(config: &HealthConfig) -> Result<(), String> {
    for (value, name) in [
        (config.interval, "Interval"),
        (config.timeout, "Timeout"),
        (config.start_period, "StartPeriod"),
        (config.start_interval, "StartInterval"),
    ] {
        if value != 0 && value < 1_000_000 {
            return Err(format!("{name} in Healthcheck cannot be less than 1ms"));
        }
    }
    if config.retries < 0 {
        return Err("Retries in Healthcheck cannot be negative".into());
    }
    Ok(())
}

/// The container's check merged over the image's, as Docker merges them: what the container
/// leaves empty or zero comes from the image.
pub fn merge(user: Option<&HealthConfig>, image: Option<&HealthConfig>) -> Option<HealthConfig> {
    let Some(user) = user else { return image.cloned() };
    let Some(image) = image else { return Some(user.clone()) };
    let pick = |u: i64, i: i64| if u == 0 { i } else { u };
    Some(HealthConfig {
        test: if user.test.is_empty() { image.test.clone() } else { user.test.clone() },
        interval: pick(user.interval, image.interval),
        timeout: pick(user.timeout, image.timeout),
        start_period: pick(user.start_period, image.start_period),
        start_interval: pick(user.start_interval, image.start_interval),
        retries: pick(user.retries, image.retries),
    })
}

impl Health {
    /// A result counts as Docker's `handleProbeResult` counts it.
    fn record(&mut self, result: HealthResult, config: &HealthConfig, started_ms: u64) {
        let retries = if config.retries > 0 { config.retries } else { DEFAULT_RETRIES };
        let in_start_period =
            config.start_period > 0 && result.start_ms.saturating_sub(started_ms) < millis(config.start_period, 0);
        if result.exit_code == 0 {
            self.failing_streak = 0;
            self.status = HealthStatus::Healthy;
        } else if !(self.status == HealthStatus::Starting && in_start_period) {
            self.failing_streak += 1;
            if i64::from(self.failing_streak) >= retries {
                self.status = HealthStatus::Unhealthy;
            }
        }
        if self.log.len() >= MAX_LOG_ENTRIES {
            self.log.pop_front();
        }
        self.log.push_back(result);
    }

    /// The pause before the next check: the start interval while starting within the start
    /// period, the interval otherwise.
    fn interval_ms(&self, config: &HealthConfig, started_ms: u64, now: u64) -> u64 {
        let in_start_period =
            config.start_period > 0 && now.saturating_sub(started_ms) < millis(config.start_period, 0);
        if in_start_period && self.status == HealthStatus::Starting {
            millis(config.start_interval, DEFAULT_START_INTERVAL)
        } else {
            millis(config.interval, DEFAULT_INTERVAL)
        }
    }

    /// A health brought back from a snapshot ([`crate::persist`]): no monitor runs until the
    /// container starts.
    pub(crate) fn restored(status: HealthStatus, failing_streak: u32, log: VecDeque<HealthResult>) -> Self {
        Self { status, failing_streak, log, monitor: None }
    }

    /// True while a monitor is scheduled (the page must keep ticking).
    pub(crate) fn monitoring(&self) -> bool {
        self.monitor.is_some()
    }

    /// Stops the monitor, killing a check in progress. Docker then reports `unhealthy`.
    pub(crate) fn stop(&mut self, kernel: &mut Kernel) {
        if let Some(monitor) = self.monitor.take() {
            if let Some(probe) = monitor.probe {
                kernel.kill(probe.handle.pid, Signal::Kill);
                kernel.reap(probe.handle.pid);
            }
            self.status = HealthStatus::Unhealthy;
        }
    }
}

impl Container {
    /// The `STATUS` column of `docker ps`: the state, with the health of a running container.
    pub fn status_text(&self, now_ms: u64) -> String {
        match (&self.state, &self.health) {
            (State::Running { started_ms, paused: false }, Some(h)) => {
                format!("Up {} ({})", human_duration(now_ms.saturating_sub(*started_ms)), h.status.describe())
            }
            _ => self.state.status_text(now_ms),
        }
    }

    /// The word `docker ps --filter health=` matches: `none` without a check.
    pub fn health_word(&self) -> &'static str {
        self.health.as_ref().map_or("none", |h| h.status.as_str())
    }

    fn started_ms(&self) -> u64 {
        match self.state {
            State::Running { started_ms, .. } => started_ms,
            _ => 0,
        }
    }
}

impl Daemon {
    /// The health of a container, for whoever waits on it (`depends_on: condition:
    /// service_healthy`): `None` when it has no check, or has not started yet.
    pub fn container_health(&self, key: &str) -> Result<Option<&Health>, Error> {
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        Ok(c.health.as_ref())
    }

    /// A container has just started (or restarted): `starting`, a streak of zero, and a new
    /// monitor, if it has a check.
    pub(crate) fn init_health(&mut self, key: &str) {
        let now = self.now_ms();
        let kernel = &mut self.kernel;
        let Some(c) = self.containers.find_mut(key) else { return };
        let Some(config) = c.config.healthcheck.clone().filter(|h| probe_argv(h).is_some()) else { return };
        let started = c.started_ms();
        let health = c.health.get_or_insert_with(|| Health {
            status: HealthStatus::Starting,
            failing_streak: 0,
            log: VecDeque::new(),
            monitor: None,
        });
        health.stop(kernel);
        health.status = HealthStatus::Starting;
        health.failing_streak = 0;
        let next_ms = now + health.interval_ms(&config, started, now);
        health.monitor = Some(Monitor { next_ms, probe: None });
    }

    /// Stops a container's monitor (pause, exit, removal).
    pub(crate) fn stop_health(&mut self, key: &str) {
        let kernel = &mut self.kernel;
        if let Some(h) = self.containers.find_mut(key).and_then(|c| c.health.as_mut()) {
            h.stop(kernel);
        }
    }

    /// Starts a new monitor after an unpause; the status stays as it was.
    pub(crate) fn resume_health(&mut self, key: &str) {
        let now = self.now_ms();
        let Some(c) = self.containers.find_mut(key) else { return };
        let started = c.started_ms();
        let (Some(config), Some(h)) = (c.config.healthcheck.as_ref(), c.health.as_mut()) else { return };
        if probe_argv(config).is_some() && h.monitor.is_none() {
            h.monitor = Some(Monitor { next_ms: now + h.interval_ms(config, started, now), probe: None });
        }
    }

    /// One round of health monitoring: checks that are due start, finished ones are counted,
    /// late ones are killed. True if anything changed.
    pub(crate) fn supervise_health(&mut self) -> bool {
        let now = self.now_ms();
        let mut due = Vec::new();
        let mut changed = false;
        for c in self.containers.iter_mut() {
            let started = c.started_ms();
            let (Some(config), Some(h)) = (c.config.healthcheck.as_ref(), c.health.as_mut()) else { continue };
            let Some(monitor) = h.monitor.as_mut() else { continue };
            let Some(probe) = monitor.probe.as_mut() else {
                if now >= monitor.next_ms {
                    due.push(c.id.clone());
                }
                continue;
            };
            probe.collect();
            let timeout = millis(config.timeout, DEFAULT_TIMEOUT);
            let (exit_code, output) = match self.kernel.status(probe.handle.pid) {
                Some(ProcStatus::Exited(code)) => (code, probe.output()),
                _ if now.saturating_sub(probe.start_ms) >= timeout => {
                    self.kernel.kill(probe.handle.pid, Signal::Kill);
                    let limit = go_duration(i64::try_from(timeout).unwrap_or(0) * 1_000_000);
                    let out = probe.output();
                    let msg = if out.is_empty() {
                        format!("Health check exceeded timeout ({limit})")
                    } else {
                        format!("Health check exceeded timeout ({limit}): {out}")
                    };
                    (-1, msg)
                }
                _ => continue,
            };
            self.kernel.reap(probe.handle.pid);
            let result = HealthResult { start_ms: probe.start_ms, end_ms: now, exit_code, output };
            monitor.probe = None;
            h.record(result, config, started);
            let next = now + h.interval_ms(config, started, now);
            if let Some(m) = h.monitor.as_mut() {
                m.next_ms = next;
            }
            changed = true;
        }
        for id in due {
            changed = true;
            self.start_probe(id.as_str(), now);
        }
        changed
    }

    /// Starts a check in the container, as an exec; one that cannot start is a failure at once.
    fn start_probe(&mut self, key: &str, now: u64) {
        let Some(argv) = self.containers.find(key).and_then(|c| probe_argv(c.config.healthcheck.as_ref()?)) else {
            return;
        };
        let opts = ExecOptions { cmd: argv, ..ExecOptions::default() };
        let started = self.exec_in_container(key, &opts);
        let Some(c) = self.containers.find_mut(key) else { return };
        let started_ms = c.started_ms();
        let (Some(config), Some(h)) = (c.config.healthcheck.as_ref(), c.health.as_mut()) else { return };
        match started {
            Ok(handle) => {
                if let Some(m) = h.monitor.as_mut() {
                    m.probe = Some(Probe { handle, start_ms: now, output: Vec::new(), truncated: false });
                }
            }
            Err(e) => {
                let result = HealthResult { start_ms: now, end_ms: now, exit_code: -1, output: e.to_string() };
                h.record(result, config, started_ms);
                let next = now + h.interval_ms(config, started_ms, now);
                if let Some(m) = h.monitor.as_mut() {
                    m.next_ms = next;
                }
            }
        }
    }

    /// True while some container's health is monitored (checks are due later).
    pub(crate) fn health_pending(&self) -> bool {
        self.containers.newest_first().any(|c| c.health.as_ref().is_some_and(Health::monitoring))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(test: &[&str]) -> HealthConfig {
        HealthConfig { test: test.iter().map(|s| s.to_string()).collect(), ..HealthConfig::default() }
    }

    fn result(start_ms: u64, exit_code: i32) -> HealthResult {
        HealthResult { start_ms, end_ms: start_ms, exit_code, output: String::new() }
    }

    #[test]
    fn tests_become_commands() {
        assert_eq!(probe_argv(&config(&["CMD-SHELL", "exit 1"])).unwrap(), vec!["/bin/sh", "-c", "exit 1"]);
        assert_eq!(probe_argv(&config(&["CMD", "true", "x"])).unwrap(), vec!["true", "x"]);
        assert_eq!(probe_argv(&config(&["NONE"])), None);
        assert_eq!(probe_argv(&config(&[])), None);
    }

    #[test]
    fn results_count_like_dockers_monitor() {
        let cfg = HealthConfig { retries: 2, start_period: 10 * SECOND, ..config(&["CMD", "true"]) };
        let mut h = Health { status: HealthStatus::Starting, failing_streak: 0, log: VecDeque::new(), monitor: None };
        // Failures in the start period do not count while starting.
        h.record(result(5_000, 1), &cfg, 0);
        assert_eq!((h.status, h.failing_streak), (HealthStatus::Starting, 0));
        h.record(result(11_000, 1), &cfg, 0);
        assert_eq!((h.status, h.failing_streak), (HealthStatus::Starting, 1));
        h.record(result(12_000, 1), &cfg, 0);
        assert_eq!((h.status, h.failing_streak), (HealthStatus::Unhealthy, 2));
        h.record(result(13_000, 0), &cfg, 0);
        assert_eq!((h.status, h.failing_streak), (HealthStatus::Healthy, 0));
        for t in 0..5 {
            h.record(result(20_000 + t, 1), &cfg, 0);
        }
        assert_eq!(h.log.len(), MAX_LOG_ENTRIES);
        assert_eq!(h.log.front().map(|r| r.start_ms), Some(20_000));
        // The start interval applies only while starting within the start period.
        let cfg = HealthConfig { start_interval: SECOND, ..cfg };
        h.status = HealthStatus::Starting;
        assert_eq!(h.interval_ms(&cfg, 0, 1_000), 1_000);
        assert_eq!(h.interval_ms(&cfg, 0, 11_000), 30_000);
    }

    #[test]
    fn container_settings_override_the_images() {
        let image = HealthConfig { interval: 5 * SECOND, retries: 4, ..config(&["CMD", "img"]) };
        let user = HealthConfig { retries: 1, ..HealthConfig::default() };
        let merged = merge(Some(&user), Some(&image)).unwrap();
        assert_eq!((merged.test[1].as_str(), merged.interval, merged.retries), ("img", 5 * SECOND, 1));
        assert_eq!(
            validate(&HealthConfig { interval: 10, ..user }).unwrap_err(),
            "Interval in Healthcheck cannot be less than 1ms"
        );
    }
}
