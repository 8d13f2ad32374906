//! `docker kill` and the signal half of `docker stop`: a signal sent to the container's main
//! process. What the process does with it is up to the process (and the kernel's defaults: a
//! container's PID 1 ignores the signals it has no handler for, except SIGKILL).
//!
//! As moby's `killWithSignal` decides: when the container has a stop signal (`--stop-signal` or
//! the image's `STOPSIGNAL`), only that signal or `SIGKILL` counts as stopping it; without one,
//! any signal does. A container stopped this way is not restarted by its restart policy, and a
//! paused one is thawed after the signal is sent, so that it can act on it.

use super::State;
use crate::process::Signal;
use crate::{Daemon, Error};

impl Daemon {
    /// Sends `signal` to a running container's main process. A container waiting to be restarted
    /// just stays stopped.
    pub fn signal_container(&mut self, key: &str, signal: Signal) -> Result<(), Error> {
        let c = self.containers.find_mut(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let stops = match c.host.stop_signal.as_deref().and_then(Signal::parse) {
            Some(stop) if signal != Signal::Kill => signal == stop,
            _ => true,
        };
        if stops {
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
        if stops {
            self.thaw_after_signal(key);
        }
        Ok(())
    }

    /// Sends a container the signal `docker stop` sends it: its stop signal, `SIGTERM` by default.
    pub fn send_stop_signal(&mut self, key: &str) -> Result<(), Error> {
        let signal = self.containers.find(key).map_or(Signal::Term, |c| c.host.stop_signal());
        self.signal_container(key, signal)
    }
}
