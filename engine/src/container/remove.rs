//! `docker rm`: a container and its writable layer are deleted. A running container is refused
//! unless forced (`-f`), in which case it is killed first, as Docker does.

use crate::process::Signal;
use crate::{Daemon, Error};

impl Daemon {
    /// Removes a container; `force` kills it first if it runs.
    pub fn remove_container(&mut self, key: &str, force: bool) -> Result<(), Error> {
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let id = c.id.clone();
        if let Some(run) = &c.process {
            if !force && c.state.is_paused() {
                return Err(Error::Conflict(format!(
                    "cannot remove container \"/{}\": container is paused and must be unpaused first",
                    c.name
                )));
            }
            if !force {
                return Err(Error::Conflict(format!(
                    "cannot remove container \"/{}\": container is running: stop the container before removing or force remove",
                    c.name
                )));
            }
            let (pid, group) = (run.pid, run.group);
            self.stop_health(key);
            self.kernel.kill_group(group, Signal::Kill);
            self.kernel.thaw_group(group);
            self.kernel.reap(pid);
        }
        self.containers.remove(&id);
        Ok(())
    }
}
