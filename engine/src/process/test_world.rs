//! The kernel harness the process tests share: a kernel with a manual clock and seeded entropy,
//! an empty filesystem, and a way to run until nothing more can happen.

use super::{Kernel, RunOutcome};
use crate::fs::Fs;
use crate::platform::{Clock, Entropy, ManualClock, SeededEntropy};
use std::cell::RefCell;
use std::rc::Rc;

pub(super) struct World {
    pub(super) k: Kernel,
    pub(super) clock: ManualClock,
    pub(super) fs: Fs,
}

impl World {
    /// A kernel at a fixed time, few slices per run, and an empty filesystem.
    pub(super) fn new() -> World {
        let clock = ManualClock::new(1_700_000_000_000);
        let entropy: Rc<RefCell<dyn Entropy>> = Rc::new(RefCell::new(SeededEntropy::new(3)));
        let mut k = Kernel::new(Rc::new(clock.clone()), entropy);
        k.set_max_slices_per_run(16);
        World { k, clock, fs: Fs::new() }
    }

    /// Runs until nothing can run (or `rounds` calls).
    pub(super) fn settle(&mut self, rounds: usize) -> RunOutcome {
        let mut outcome = RunOutcome::Busy;
        for _ in 0..rounds {
            outcome = self.k.run(self.clock.monotonic_micros() + 1_000_000);
            if outcome != RunOutcome::Busy {
                break;
            }
        }
        outcome
    }
}
