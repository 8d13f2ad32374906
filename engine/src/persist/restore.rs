//! What a restored snapshot looks like: a Docker daemon coming back after its machine went away.
//! Processes do not survive that, so this follows moby's `daemon.restore`:
//! - a container that was running (paused, or restarting) is stopped with exit code 255, `FinishedAt`
//!   the time of the restart (containerd has no exit status for it): `Exited (255)`;
//! - the daemon then starts again the containers its restart policy asks for
//!   (`ShouldRestart()`, for containers started before): `always` ones, even if the user had
//!   stopped them (Docker's documentation: "If it is manually stopped, it is restarted only when
//!   Docker daemon restarts"), `unless-stopped` ones the user had not stopped, `on-failure` ones
//!   whose exit code is not 0 (255 counts) while retries remain. Starting them resets their
//!   restart count, as `containerStart(..., resetRestartManager: true)` does;
//! - a `--rm` container that is not started again is removed, with its anonymous volumes.
//!
//! The host's own files come back once its programs are installed (they are saved as changes
//! to a freshly installed host, see [`super::host`]); the containers are mounted and started
//! after that, so a bind mount sees the learner's files.

use super::records::StateRecord;
use crate::container::{Container, RestartPolicy, State};
use crate::ids::ContainerId;
use crate::process::Tty;
use crate::Daemon;

/// The exit code of a container whose process was lost with the daemon.
pub const LOST_EXIT_CODE: i32 = 255;

/// The state a container is in when the daemon comes back at `now_ms`.
pub(super) fn state_after_restart(saved: StateRecord, now_ms: u64) -> State {
    match saved {
        StateRecord::Created => State::Created,
        StateRecord::Running { started_ms, .. } | StateRecord::Exited { started_ms, restarting: true, .. } => {
            State::Exited { code: LOST_EXIT_CODE, started_ms, finished_ms: now_ms, restarting: false }
        }
        StateRecord::Exited { code, started_ms, finished_ms, restarting: false } => {
            State::Exited { code, started_ms, finished_ms, restarting: false }
        }
    }
}

/// Whether the daemon starts `c` again when it comes back.
fn starts_again(c: &Container) -> bool {
    // A container never started stays created.
    let State::Exited { code, .. } = c.state else { return false };
    match c.host.restart {
        RestartPolicy::No => false,
        RestartPolicy::Always => true,
        RestartPolicy::UnlessStopped => !c.manually_stopped,
        RestartPolicy::OnFailure(max) => code != 0 && (max == 0 || c.restart_count < max),
    }
}

/// The part of a restore that waits for the host: its files, its shell's history, and the
/// containers to mount and start once they are there.
#[derive(Debug, Default)]
pub struct PendingRestore {
    /// The host's files beyond a fresh host (a [`super::tree`] archive).
    pub(super) host_files: Vec<u8>,
    pub(super) history: Vec<String>,
    /// The containers that were running when the snapshot was made (for `--rm`).
    pub(super) were_running: Vec<ContainerId>,
}

impl PendingRestore {
    /// Puts the host's files back on the freshly installed host, then brings the containers back
    /// as a restarting daemon does.
    pub(crate) fn finish(self, daemon: &mut Daemon, tty: &Tty) {
        // The archive was checked when the snapshot was read; a failure here (a path the fresh
        // host now has as another kind of file) loses only that path.
        let _ = super::tree::apply(&daemon.host_fs.without_mounts(), &self.host_files);
        tty.set_history(self.history);
        let ids: Vec<ContainerId> = daemon.containers.newest_first().map(|c| c.id.clone()).collect();
        for id in ids.iter().rev() {
            // A mount whose volume or host folder is gone is made again at the next start, which
            // reports the problem then, as Docker's `prepareMountPoints` only logs it.
            let _ = daemon.mount_container(id.as_str(), false);
        }
        for id in ids.iter().rev() {
            let Some(c) = daemon.containers.find_mut(id.as_str()) else { continue };
            if starts_again(c) {
                c.restart_count = 0;
                c.manually_stopped = false;
                // Docker logs a container that fails to start here and leaves it stopped.
                let _ = daemon.start_container(id.as_str());
            } else if c.auto_remove && self.were_running.contains(id) {
                if let Some(gone) = daemon.containers.remove(id) {
                    daemon.remove_anonymous_volumes(&gone.mounts);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_containers_stop_with_255_at_the_restart() {
        let running = StateRecord::Running { started_ms: 10, paused: false };
        assert_eq!(
            state_after_restart(running, 99),
            State::Exited { code: 255, started_ms: 10, finished_ms: 99, restarting: false }
        );
        let exited = StateRecord::Exited { code: 3, started_ms: 1, finished_ms: 2, restarting: false };
        assert_eq!(
            state_after_restart(exited, 99),
            State::Exited { code: 3, started_ms: 1, finished_ms: 2, restarting: false }
        );
        let restarting = StateRecord::Exited { code: 3, started_ms: 1, finished_ms: 2, restarting: true };
        assert!(matches!(state_after_restart(restarting, 99), State::Exited { code: 255, finished_ms: 99, .. }));
        assert_eq!(state_after_restart(StateRecord::Created, 99), State::Created);
    }
}
