//! The few things that differ between the browser and a native run: time, randomness and where
//! the bundled image blobs come from. Each is a small trait with an in-memory default here;
//! the `web` crate implements them with browser APIs. Everything else in the engine is plain Rust,
//! so `cargo test -p engine` exercises the same code the page runs.

mod blobs;
mod clock;
mod entropy;

pub use blobs::{BlobPoll, BlobSource, DirBlobSource, MemoryBlobSource};
pub use clock::{Clock, ManualClock, SystemClock};
pub use entropy::{Entropy, SeededEntropy};

/// The platform services an [`crate::Engine`] is built with.
pub struct Platform {
    pub clock: Box<dyn Clock>,
    pub entropy: Box<dyn Entropy>,
    pub blobs: Box<dyn BlobSource>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform").finish_non_exhaustive()
    }
}
