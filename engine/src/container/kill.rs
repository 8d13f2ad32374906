//! `docker kill` and the signal half of `docker stop`: a signal sent to the container's main
//! process. What the process does with it is up to the process (and the kernel's defaults).

use crate::process::Signal;
use crate::{Daemon, Error};

impl Daemon {
    /// Sends `signal` to a running container's main process.
    pub fn signal_container(&mut self, key: &str, signal: Signal) -> Result<(), Error> {
        let c = self
            .containers
            .find(key)
            .ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let Some(run) = &c.process else {
            return Err(Error::NotRunning(format!(
                "cannot kill container: {key}: container {} is not running",
                c.id
            )));
        };
        let pid = run.pid;
        self.kernel.kill(pid, signal);
        Ok(())
    }
}
