//! `docker pause` and `docker unpause`: every process of the container is frozen (the cgroup
//! freezer: the kernel stops scheduling its process group) and later thawed where it stopped.
//! A paused container is still running: it keeps its memory and state, `docker stop` and
//! `docker kill` still work (the signal is sent, then the container is thawed so it can act on
//! it), but `docker exec` is refused and health checks stop until it is unpaused.

use super::State;
use crate::{Daemon, Error};

impl Daemon {
    /// Freezes a running container's processes.
    pub fn pause_container(&mut self, key: &str) -> Result<(), Error> {
        let c = self.containers.find_mut(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let group = match (&mut c.state, &c.process) {
            (State::Running { paused: true, .. }, _) => {
                return Err(Error::Conflict(format!("Container {} is already paused", c.id)))
            }
            (State::Running { paused, .. }, Some(run)) => {
                *paused = true;
                run.group
            }
            (State::Exited { restarting: true, .. }, _) => {
                return Err(Error::Conflict(format!(
                    "Container {} is restarting, wait until the container is running",
                    c.id
                )))
            }
            _ => return Err(Error::Conflict(format!("container {} is not running", c.id))),
        };
        self.kernel.freeze_group(group);
        self.stop_health(key);
        Ok(())
    }

    /// Thaws a paused container.
    pub fn unpause_container(&mut self, key: &str) -> Result<(), Error> {
        let c = self.containers.find_mut(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        if !c.state.is_paused() {
            return Err(Error::Conflict(format!("Container {} is not paused", c.id)));
        }
        if let State::Running { paused, .. } = &mut c.state {
            *paused = false;
        }
        if let Some(run) = &c.process {
            let group = run.group;
            self.kernel.thaw_group(group);
        }
        self.resume_health(key);
        Ok(())
    }

    /// Thaws a paused container without the checks of `docker unpause` (after a stop signal,
    /// as Docker does so that the container can act on it).
    pub(crate) fn thaw_after_signal(&mut self, key: &str) {
        if self.containers.find(key).is_some_and(|c| c.state.is_paused()) {
            let _ = self.unpause_container(key);
        }
    }
}
