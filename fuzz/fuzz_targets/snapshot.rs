//! Snapshots read back after a reload (`Snapshot::from_bytes`, then `Engine::restore`): whatever
//! the bytes (a damaged file, a truncated IndexedDB record), reading and restoring must never
//! panic; a bad snapshot is a `SnapshotError`. The state archive is also tried alone, as the
//! page's storage hands it over (`Snapshot::from_parts`).

#![no_main]

use engine::persist::Snapshot;
use engine::platform::{ManualClock, MemoryBlobSource, Platform};
use engine::{Engine, TerminalMode};
use libfuzzer_sys::fuzz_target;

fn restore(snapshot: &Snapshot) {
    let platform = Platform::for_tests(ManualClock::new(1_768_471_200_000), 1, Box::new(MemoryBlobSource::default()));
    if let Ok(mut engine) = Engine::restore(platform, TerminalMode::Transcript, snapshot) {
        // The host's part waits for the catalog, which is empty here: ticking reports the failed
        // installation and puts the restored files in place.
        for _ in 0..4 {
            engine.tick(1_000);
        }
        let _ = engine.snapshot();
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(snapshot) = Snapshot::from_bytes(data) {
        let _ = snapshot.to_bytes();
        restore(&snapshot);
    }
    restore(&Snapshot::from_parts(data.to_vec(), []));
});
