//! The Docker daemon: the state behind the CLI (images, containers, volumes) and the kernel that
//! runs container processes. The CLI asks it to do things; it never prints anything itself.

use crate::container::ContainerStore;
use crate::engine::Activity;
use crate::fs::Fs;
use crate::image::{ImageStore, Pull, PullEvent};
use crate::platform::{BlobSource, Clock, Entropy, Platform};
use crate::process::{Kernel, RunOutcome};
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
    /// Docker networks (`docker network ls`) and their address bookkeeping.
    pub networks: crate::network::NetworkStore,
    /// The volumes and their files.
    pub volumes: crate::volume::VolumeStore,
    pub(crate) kernel: Kernel,
    /// The host's filesystem (the daemon runs on the learner's machine and sees its files).
    pub host_fs: Fs,
    /// The working directory of the `docker` client whose command is being dispatched: the
    /// client sends the daemon absolute paths, resolved against it.
    pub(crate) client_cwd: String,
    /// The environment of that client (`docker compose` interpolates `${VAR}` from it).
    pub(crate) client_env: Vec<String>,
    /// `docker build`'s cache of steps.
    pub(crate) build_cache: crate::image::builder::BuildCache,
    /// The internet's web servers the engine plays (the package mirrors).
    pub(crate) web: crate::network::internet::WebServers,
    /// The playground's registry: what `docker push` uploaded, and its accounts.
    pub registry: crate::image::Registry,
}

impl Daemon {
    pub fn new(platform: Platform) -> Self {
        let kernel = Kernel::new(platform.clock.clone(), platform.entropy.clone());
        let mut daemon = Self {
            clock: platform.clock,
            entropy: platform.entropy,
            blobs: platform.blobs,
            images: ImageStore::default(),
            containers: ContainerStore::default(),
            networks: Default::default(),
            volumes: Default::default(),
            kernel,
            // An in-memory tree with a few fixed folders: creating it cannot fail.
            host_fs: crate::host::new_host_fs().unwrap_or_default(),
            build_cache: Default::default(),
            web: Default::default(),
            registry: Default::default(),
            client_cwd: crate::host::HOME.to_string(),
            client_env: Vec::new(),
        };
        daemon.init_networks();
        daemon
    }

    /// The monotonic clock, in microseconds.
    pub fn now_micros(&self) -> u64 {
        self.clock.monotonic_micros()
    }

    /// Wall-clock time, milliseconds since the epoch.
    pub fn now_ms(&self) -> u64 {
        self.clock.unix_millis()
    }

    /// Polls a file of the bundled catalog.
    pub(crate) fn poll_blob(&mut self, path: &str) -> crate::platform::BlobPoll {
        self.blobs.poll(path)
    }

    /// Advances a pull with whatever blobs have arrived; `Ok(Some(id))` when the image is stored.
    pub fn poll_pull(
        &mut self,
        pull: &mut Pull,
        events: &mut Vec<PullEvent>,
    ) -> Result<Option<crate::ids::Digest>, Error> {
        Ok(pull.poll(self.blobs.as_mut(), &self.registry, &mut self.images, events)?)
    }

    /// Runs container processes until `deadline`, moves their output into the containers' logs,
    /// and records the exits.
    pub fn run_background(&mut self, deadline: u64) -> Activity {
        let outcome = self.kernel.run(deadline);
        let served = self.web.pump(&self.kernel.net, &mut *self.blobs);
        if self.supervise() || served {
            // Output or an exit: whoever waits on it must get a turn before the page sleeps.
            return Activity::Busy;
        }
        match outcome {
            RunOutcome::Busy => Activity::Busy,
            // Every process waits on input or a child: nothing happens until someone types.
            RunOutcome::Waiting { wake_at_micros: None } if !self.timers_pending() => Activity::Idle,
            RunOutcome::Waiting { .. } => Activity::Waiting,
            RunOutcome::Idle if self.timers_pending() => Activity::Waiting,
            RunOutcome::Idle => Activity::Idle,
        }
    }
}
