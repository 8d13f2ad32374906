//! `docker kill` and the signal half of `docker stop`: a signal sent to the container's main
//! process. What the process does with it is up to the process (and the kernel's defaults: a
//! container's PID 1 ignores the signals it has no handler for, except SIGKILL). A container
//! stopped this way is not restarted by its restart policy.

use super::State;
use crate::process::Signal;
use crate::{Daemon, Error};

impl Daemon {
    /// Sends `signal` to a running container's main process. A container waiting to be restarted
    /// just stays stopped.
    pub fn signal_container(&mut self, key: &str, signal: Signal) -> Result<(), Error> {
        let c = self.containers.find_mut(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        if matches!(signal, Signal::Kill | Signal::Term | Signal::Int) {
            c.manually_stopped = true;
        }
        if let State::Exited { restarting: true, .. } = c.state {
            c.restart_at = None;
            if let State::Exited { restarting, .. } = &mut c.state {
                *restarting = false;
            }
            return Ok(());
        }
        let Some(run) = &c.process else {
            return Err(Error::NotRunning(format!("cannot kill container: {key}: container {} is not running", c.id)));
        };
        let pid = run.pid;
        self.kernel.kill(pid, signal);
        // Docker thaws a paused container after sending it the signal (for a container without
        // a STOPSIGNAL, whatever the signal), so that it can act on it.
        self.thaw_after_signal(key);
        Ok(())
    }
}
