//! The host's terminal and the `docker` CLI: arbitrary bytes are typed into a fresh engine (in
//! transcript mode, a line at a time), and the engine runs a bounded number of ticks after each
//! line. That reaches the host's line reader and shell, the dispatch of every `docker`
//! command and each command's flag parsing, `--format` templates, and what the commands do with
//! a small in-memory catalog. Nothing may panic.

#![no_main]

use engine::platform::{ManualClock, Platform};
use engine::{Activity, Engine, TerminalMode};
use libfuzzer_sys::fuzz_target;
use playground_fuzz::catalog;

const TICK_MICROS: u64 = 10_000;
const TICKS_PER_LINE: usize = 200;
const MAX_LINES: usize = 24;

thread_local! {
    static CATALOG: engine::platform::MemoryBlobSource = catalog();
}

fuzz_target!(|data: &[u8]| {
    let clock = ManualClock::new(1_768_471_200_000);
    let blobs = CATALOG.with(Clone::clone);
    let platform = Platform::for_tests(clock.clone(), 42, Box::new(blobs));
    let mut engine = Engine::new(platform, TerminalMode::Transcript);
    for line in data.split(|&b| b == b'\n').take(MAX_LINES) {
        engine.write_input(line);
        engine.write_input(b"\n");
        for _ in 0..TICKS_PER_LINE {
            let activity = engine.tick(TICK_MICROS);
            let _ = engine.take_output();
            if activity == Activity::Idle {
                break;
            }
            clock.advance_micros(TICK_MICROS);
        }
    }
});
