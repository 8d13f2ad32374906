//! The daemon watching its containers between ticks, as containerd's shims and Docker's restart
//! manager do: output is moved from the main process's pipes into the log (within the log
//! driver's size limits), an exited main process ends the container (every process left in its
//! group is killed, like a PID namespace going away), the restart policy may start it again
//! after a back-off, and `--rm` containers are removed once their exit has been seen.

use super::restart::next_delay_ms;
use super::{Container, LogEntry, LogStream, State};
use crate::process::{Kernel, ProcStatus, Signal};
use crate::Daemon;

/// The most log bytes kept per container when the driver sets no limit. Docker's json-file keeps
/// everything on disk; the playground lives in the page's memory, so a chatty container must not
/// exhaust it.
pub const DEFAULT_LOG_CAP: u64 = 4 * 1024 * 1024;

/// Parses a `--log-opt max-size` value (`10m`, `512k`, `1g`, bytes).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim().to_ascii_lowercase();
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s.as_str(), ""),
    };
    let n: f64 = digits.parse().ok()?;
    let mult = match unit.trim_end_matches('b') {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((n * mult) as u64)
}

/// How many log bytes a container keeps: `max-size` × `max-file` when set, else the default cap.
fn log_cap(c: &Container) -> u64 {
    let opt = |k: &str| c.host.log_opts.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let (default_size, default_files) = match c.host.log_driver.as_str() {
        "local" => (20 * 1024 * 1024, 5),
        _ => (DEFAULT_LOG_CAP, 1),
    };
    let size = opt("max-size").and_then(parse_size).unwrap_or(default_size);
    let files: u64 = opt("max-file").and_then(|v| v.parse().ok()).unwrap_or(default_files);
    (size.saturating_mul(files.max(1))).min(DEFAULT_LOG_CAP.max(size))
}

/// Moves new output into the log, dropping the oldest entries past the cap.
fn drain_output(c: &mut Container, now: u64) -> bool {
    let Some(run) = &c.process else { return false };
    let mut changed = false;
    if let Some(tty) = &run.tty {
        let bytes = tty.take_output();
        if !bytes.is_empty() {
            changed = true;
            c.logs.push(LogEntry { stream: LogStream::Stdout, time_ms: now, bytes });
        }
    }
    let Some(run) = &c.process else { return changed };
    // One stream, as Docker's log: stdout and stderr writes in the order they happened.
    for (i, bytes) in crate::process::drain_in_order(&[&run.stdout, &run.stderr]) {
        let stream = if i == 0 { LogStream::Stdout } else { LogStream::Stderr };
        changed = true;
        c.logs.push(LogEntry { stream, time_ms: now, bytes });
    }
    if changed {
        let cap = log_cap(c);
        let mut total: u64 = c.logs.iter().map(|e| e.bytes.len() as u64).sum();
        let mut drop = 0;
        while total > cap && drop < c.logs.len() {
            total -= c.logs[drop].bytes.len() as u64;
            drop += 1;
        }
        c.logs.drain(..drop);
    }
    changed
}

/// Records the main process's exit, tears the group down, and schedules a restart if the policy
/// wants one.
fn record_exit(c: &mut Container, kernel: &mut Kernel, now: u64) -> bool {
    let Some(run) = &c.process else { return false };
    let Some(ProcStatus::Exited(code)) = kernel.status(run.pid) else { return false };
    kernel.reap(run.pid);
    kernel.kill_group(run.group, Signal::Kill);
    kernel.thaw_group(run.group);
    if let Some(h) = &mut c.health {
        h.stop(kernel);
    }
    let started_ms = match c.state {
        State::Running { started_ms, .. } => started_ms,
        _ => now,
    };
    let restarting = c.host.restart.should_restart(code, c.restart_count, c.manually_stopped);
    c.state = State::Exited { code, started_ms, finished_ms: now, restarting };
    c.process = None;
    if restarting {
        c.restart_delay_ms = next_delay_ms(c.restart_delay_ms, now.saturating_sub(started_ms));
        c.restart_at = Some(now + c.restart_delay_ms);
    }
    true
}

impl Daemon {
    /// One round of supervision. Returns true if anything changed (output, an exit, a restart,
    /// a removal), so whoever waits on it gets a turn before the page sleeps.
    pub(crate) fn supervise(&mut self) -> bool {
        let now = self.now_ms();
        let mut changed = false;
        let removed: Vec<_> = self
            .containers
            .newest_first()
            .filter(|c| c.auto_remove && matches!(c.state, State::Exited { restarting: false, .. }))
            .map(|c| c.id.clone())
            .collect();
        for id in removed {
            // `--rm` takes the container's anonymous volumes with it.
            if let Some(gone) = self.containers.remove(&id) {
                self.remove_anonymous_volumes(&gone.mounts);
            }
            changed = true;
        }
        let (mut due, mut exited) = (Vec::new(), Vec::new());
        for c in self.containers.iter_mut() {
            changed |= drain_output(c, now);
            if record_exit(c, &mut self.kernel, now) {
                changed = true;
                exited.push(c.id.clone());
            }
            if c.restart_at.is_some_and(|t| t <= now) {
                due.push(c.id.clone());
            }
        }
        // A stopped container gives its addresses and ports back.
        for id in exited {
            self.leave_networks(&id);
        }
        for id in due {
            if let Some(c) = self.containers.find_mut(id.as_str()) {
                c.restart_at = None;
                c.restart_count += 1;
            }
            if self.start_container(id.as_str()).is_err() {
                if let Some(c) = self.containers.find_mut(id.as_str()) {
                    if let State::Exited { restarting, .. } = &mut c.state {
                        *restarting = false;
                    }
                }
            }
            changed = true;
        }
        changed |= self.supervise_health();
        changed
    }

    /// True while some container waits for a restart or a health check (the page must keep
    /// ticking).
    pub(crate) fn timers_pending(&self) -> bool {
        self.containers.newest_first().any(|c| c.restart_at.is_some()) || self.health_pending()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_sizes_parse_like_dockers_options() {
        assert_eq!(parse_size("10m"), Some(10 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Some(512 * 1024));
        assert_eq!(parse_size("100"), Some(100));
        assert_eq!(parse_size("1.5g"), Some(1_610_612_736));
        assert_eq!(parse_size("lots"), None);
    }
}
