//! The Docker daemon: the state behind the CLI (images, containers) and the kernel that runs
//! container processes. The CLI asks it to do things; it never prints anything itself.

use crate::engine::Activity;
use crate::platform::Platform;

/// The daemon's state.
pub struct Daemon {
    platform: Platform,
}

impl Daemon {
    pub fn new(platform: Platform) -> Self {
        Self { platform }
    }

    /// The monotonic clock, in microseconds.
    pub fn now_micros(&self) -> u64 {
        self.platform.clock.monotonic_micros()
    }

    /// Runs container processes (the ones no command waits on) until `deadline`.
    pub fn run_background(&mut self, _deadline: u64) -> Activity {
        Activity::Idle
    }
}
