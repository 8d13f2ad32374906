//! The few things that differ between the browser and a native run: time, randomness, where
//! the bundled image blobs come from, and where snapshots are kept between page loads. Each is a
//! small trait with an in-memory default here; the `web` crate implements them with browser APIs.
//! Everything else in the engine is plain Rust, so `cargo test -p engine` exercises the same code
//! the page runs.

mod blobs;
mod clock;
mod entropy;
mod storage;

pub use blobs::{BlobPoll, BlobSource, DirBlobSource, MemoryBlobSource};
pub use clock::{Clock, ManualClock, SystemClock};
pub use entropy::{Entropy, SeededEntropy};
pub use storage::{FileStorage, MemoryStorage, Storage, StorageError, StoragePoll, Stored};

use std::cell::RefCell;
use std::rc::Rc;

/// The platform services an [`crate::Engine`] is built with.
/// The clock and entropy are shared (`Rc`) because the process kernel hands them to every guest.
pub struct Platform {
    pub clock: Rc<dyn Clock>,
    pub entropy: Rc<RefCell<dyn Entropy>>,
    pub blobs: Box<dyn BlobSource>,
}

impl Platform {
    /// A deterministic native platform for tests and transcripts: a manual clock, a seeded
    /// generator and the given catalog.
    pub fn for_tests(clock: ManualClock, seed: u64, blobs: Box<dyn BlobSource>) -> Self {
        Self { clock: Rc::new(clock), entropy: Rc::new(RefCell::new(SeededEntropy::new(seed))), blobs }
    }

    /// The native platform: system clock, entropy seeded from the time, the given catalog.
    pub fn native(blobs: Box<dyn BlobSource>) -> Self {
        let clock = SystemClock::default();
        let seed = clock.unix_millis() ^ 0x5DEE_CE66_D1CE_5EED;
        Self { clock: Rc::new(clock), entropy: Rc::new(RefCell::new(SeededEntropy::new(seed))), blobs }
    }
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform").finish_non_exhaustive()
    }
}
