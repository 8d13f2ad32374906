//! Wall-clock and monotonic time. `std::time::Instant` panics on wasm32-unknown-unknown, so
//! nothing in the engine reads time except through this trait.

use std::cell::Cell;
use std::rc::Rc;

/// A source of time.
pub trait Clock {
    /// Milliseconds since the Unix epoch (container `Created`, `Up 3 seconds`, log timestamps).
    /// In the browser: `Date.now()`. Natively: the system clock. In tests: a manual clock.
    fn unix_millis(&self) -> u64;
    /// A monotonic reading in microseconds, used for scheduling budgets and sleeps.
    /// In the browser: `performance.now()`. Natively: an `Instant` since start.
    fn monotonic_micros(&self) -> u64;
}

/// The native clock.
#[derive(Debug)]
pub struct SystemClock {
    start: std::time::Instant,
}

impl Default for SystemClock {
    fn default() -> Self {
        Self { start: std::time::Instant::now() }
    }
}

impl Clock for SystemClock {
    fn unix_millis(&self) -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
    }
    fn monotonic_micros(&self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }
}

/// A clock that only moves when told to; cloned handles share the same time. For golden
/// transcripts, so `docker ps` prints the same "Up 2 seconds" on every run.
#[derive(Debug, Clone)]
pub struct ManualClock {
    micros: Rc<Cell<u64>>,
    epoch_millis: u64,
}

impl ManualClock {
    /// A clock whose wall time starts at `epoch_millis` and whose monotonic time starts at 0.
    pub fn new(epoch_millis: u64) -> Self {
        Self { micros: Rc::new(Cell::new(0)), epoch_millis }
    }
    /// Moves both readings forward.
    pub fn advance_micros(&self, micros: u64) {
        self.micros.set(self.micros.get().saturating_add(micros));
    }
}

impl Clock for ManualClock {
    fn unix_millis(&self) -> u64 {
        self.epoch_millis + self.micros.get() / 1000
    }
    fn monotonic_micros(&self) -> u64 {
        self.micros.get()
    }
}
