//! A container's lifecycle state and how `docker ps` words it: `Created`, `Up 3 seconds`,
//! `Up 3 seconds (Paused)`, `Exited (0) 5 seconds ago`, `Restarting (1) Less than a second ago`.
//! As in Docker, a paused container is still a running one (it can be stopped, killed,
//! inspected), whose processes are frozen.

use crate::units::human_duration;

/// Where a container is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Created,
    Running {
        started_ms: u64,
        /// Frozen by `docker pause`.
        paused: bool,
    },
    /// The main process exited with `code`; `restarting` while a restart policy is about to
    /// start it again.
    Exited {
        code: i32,
        started_ms: u64,
        finished_ms: u64,
        restarting: bool,
    },
}

impl State {
    /// The `STATUS` column of `docker ps` at time `now_ms`.
    pub fn status_text(&self, now_ms: u64) -> String {
        match *self {
            State::Created => "Created".into(),
            State::Running { started_ms, paused } => {
                let up = format!("Up {}", human_duration(now_ms.saturating_sub(started_ms)));
                if paused {
                    format!("{up} (Paused)")
                } else {
                    up
                }
            }
            State::Exited { code, finished_ms, restarting, .. } => {
                let word = if restarting { "Restarting" } else { "Exited" };
                format!("{word} ({code}) {} ago", human_duration(now_ms.saturating_sub(finished_ms)))
            }
        }
    }

    /// The one-word state of `docker inspect` and `--filter status=`.
    pub fn name(&self) -> &'static str {
        match self {
            State::Created => "created",
            State::Running { paused: true, .. } => "paused",
            State::Running { .. } => "running",
            State::Exited { restarting: true, .. } => "restarting",
            State::Exited { .. } => "exited",
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self, State::Running { .. })
    }

    pub fn is_paused(&self) -> bool {
        matches!(self, State::Running { paused: true, .. })
    }

    /// Running, or about to run again: what `docker ps` without `-a` lists.
    pub fn is_up(&self) -> bool {
        matches!(self, State::Running { .. } | State::Exited { restarting: true, .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_column_reads_like_docker_ps() {
        assert_eq!(State::Created.status_text(0), "Created");
        assert_eq!(State::Running { started_ms: 0, paused: false }.status_text(3_000), "Up 3 seconds");
        assert_eq!(State::Running { started_ms: 0, paused: false }.status_text(200), "Up Less than a second");
        let paused = State::Running { started_ms: 0, paused: true };
        assert_eq!(paused.status_text(5_000), "Up 5 seconds (Paused)");
        assert_eq!(paused.name(), "paused");
        assert!(paused.is_running() && paused.is_up());
        let exited = State::Exited { code: 0, started_ms: 0, finished_ms: 1_000, restarting: false };
        assert_eq!(exited.status_text(6_000), "Exited (0) 5 seconds ago");
        let restarting = State::Exited { code: 1, started_ms: 0, finished_ms: 1_000, restarting: true };
        assert_eq!(restarting.status_text(1_200), "Restarting (1) Less than a second ago");
        assert_eq!(restarting.name(), "restarting");
    }
}
