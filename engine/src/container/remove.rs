//! `docker rm`: a container and its writable layer are deleted. A running container is refused
//! unless forced (`-f`), in which case it is killed first, as Docker does. With `-v` its
//! anonymous volumes go too, unless another container uses them; named volumes always stay.

use crate::process::Signal;
use crate::{Daemon, Error};

/// How `docker rm` removes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemoveOptions {
    /// `-f`: kill it first if it runs.
    pub force: bool,
    /// `-v`: remove its anonymous volumes too.
    pub volumes: bool,
}

impl Daemon {
    /// Removes a container; `force` kills it first if it runs. Its volumes stay.
    pub fn remove_container(&mut self, key: &str, force: bool) -> Result<(), Error> {
        self.remove_container_with(key, RemoveOptions { force, volumes: false })
    }

    /// Removes a container as `docker rm [-f] [-v]` does.
    pub fn remove_container_with(&mut self, key: &str, opts: RemoveOptions) -> Result<(), Error> {
        let force = opts.force;
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
        self.leave_networks(&id);
        if let Some(gone) = self.containers.remove(&id) {
            if opts.volumes {
                self.remove_anonymous_volumes(&gone.mounts);
            }
        }
        Ok(())
    }
}
