//! The Docker daemon: the state behind the CLI (images, containers) and the kernel that runs
//! container processes. The CLI asks it to do things; it never prints anything itself.

use crate::container::{ContainerStore, LogEntry, LogStream, State};
use crate::engine::Activity;
use crate::fs::Fs;
use crate::image::{ImageStore, Pull, PullEvent};
use crate::platform::{BlobSource, Clock, Entropy, Platform};
use crate::process::{Kernel, ProcStatus, RunOutcome};
use crate::Error;
use std::cell::RefCell;
use std::rc::Rc;

/// The daemon's state.
pub struct Daemon {
    pub(crate) clock: Rc<dyn Clock>,
    pub(crate) entropy: Rc<RefCell<dyn Entropy>>,
    blobs: Box<dyn BlobSource>,
    pub images: ImageStore,
    pub containers: ContainerStore,
    pub(crate) kernel: Kernel,
    /// The host's filesystem (the daemon runs on the learner's machine and sees its files).
    pub host_fs: Fs,
}

impl Daemon {
    pub fn new(platform: Platform) -> Self {
        let kernel = Kernel::new(platform.clock.clone(), platform.entropy.clone());
        Self {
            clock: platform.clock,
            entropy: platform.entropy,
            blobs: platform.blobs,
            images: ImageStore::default(),
            containers: ContainerStore::default(),
            kernel,
            // An in-memory tree with a few fixed folders: creating it cannot fail.
            host_fs: crate::host::new_host_fs().unwrap_or_default(),
        }
    }

    /// The monotonic clock, in microseconds.
    pub fn now_micros(&self) -> u64 {
        self.clock.monotonic_micros()
    }

    /// Wall-clock time, milliseconds since the epoch.
    pub fn now_ms(&self) -> u64 {
        self.clock.unix_millis()
    }

    /// Advances a pull with whatever blobs have arrived; `Ok(Some(id))` when the image is stored.
    pub fn poll_pull(
        &mut self,
        pull: &mut Pull,
        events: &mut Vec<PullEvent>,
    ) -> Result<Option<crate::ids::Digest>, Error> {
        Ok(pull.poll(self.blobs.as_mut(), &mut self.images, events)?)
    }

    /// Runs container processes until `deadline`, moves their output into the containers' logs,
    /// and records the exits.
    pub fn run_background(&mut self, deadline: u64) -> Activity {
        let outcome = self.kernel.run(deadline);
        if self.collect() {
            // Output or an exit: whoever waits on it must get a turn before the page sleeps.
            return Activity::Busy;
        }
        match outcome {
            RunOutcome::Busy => Activity::Busy,
            RunOutcome::Waiting { .. } => Activity::Waiting,
            RunOutcome::Idle => Activity::Idle,
        }
    }

    /// Drains output pipes into logs and turns finished main processes into exited containers.
    ///
    /// A `--rm` container that exited is removed on the next collection, so that whoever is
    /// attached to it reads its last output and exit status first.
    /// Returns true if anything changed.
    fn collect(&mut self) -> bool {
        let mut changed = false;
        let now = self.clock.unix_millis();
        let removed: Vec<_> = self
            .containers
            .newest_first()
            .filter(|c| c.auto_remove && matches!(c.state, State::Exited { .. }))
            .map(|c| c.id.clone())
            .collect();
        for id in removed {
            self.containers.remove(&id);
            changed = true;
        }
        for c in self.containers.iter_mut() {
            let Some(run) = &c.process else { continue };
            for (pipe, stream) in [
                (&run.stdout, LogStream::Stdout),
                (&run.stderr, LogStream::Stderr),
            ] {
                let bytes = pipe.drain();
                if !bytes.is_empty() {
                    changed = true;
                    c.logs.push(LogEntry {
                        stream,
                        time_ms: now,
                        bytes,
                    });
                }
            }
            let pid = run.pid;
            if let Some(ProcStatus::Exited(code)) = self.kernel.status(pid) {
                self.kernel.reap(pid);
                let started_ms = match c.state {
                    State::Running { started_ms } => started_ms,
                    _ => now,
                };
                c.state = State::Exited {
                    code,
                    started_ms,
                    finished_ms: now,
                };
                c.process = None;
                changed = true;
            }
        }
        changed
    }
}
