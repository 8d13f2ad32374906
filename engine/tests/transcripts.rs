//! Golden transcripts: each folder under `tests/transcripts/` holds `commands` (what the learner
//! types, one command per line) and `expected` (the exact terminal output, prompts included).
//! The engine runs with a manual clock and seeded ids, so output is stable. Lines of `commands`
//! starting with `#` are directives: `# advance 5s` moves the clock; `# resize 40x24` resizes the
//! terminal; `# reload` saves the engine, goes through the snapshot's portable form and restores
//! it in a new engine, as a page reload does (the output shows `# reload` there, then the new
//! session); `# known-failure` flips the expectation so that a fix announces itself (as in
//! ruffle's test suite).
//!
//! Re-record after an intended change: `UPDATE_TRANSCRIPTS=1 cargo test -p engine --test transcripts`
//! (`TRANSCRIPTS=<name prefix>` limits a run to some of them).
//! The catalog must be built first (`cargo xtask images`; `cargo xtask test` does it).

use engine::platform::{DirBlobSource, ManualClock, Platform};
use engine::{Activity, Engine, TerminalMode};
use std::path::{Path, PathBuf};

/// 2026-01-15T10:00:00Z: the transcripts' "now".
const EPOCH_MS: u64 = 1_768_471_200_000;
const TICK_MICROS: u64 = 10_000;
const MAX_TICKS_PER_COMMAND: usize = 20_000;

fn catalog() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/playground-images");
    assert!(dir.join("index.json").exists(), "no image catalog at {}: run `cargo xtask images` first", dir.display());
    dir
}

/// Ticks until nothing more happens without input: the prompt is back (background containers
/// may go on), or a command waits for the learner to type (a `[y/N]` question, stdin).
fn settle(engine: &mut Engine, clock: &ManualClock, out: &mut Vec<u8>) {
    let mut busy_at_prompt = 0;
    for _ in 0..MAX_TICKS_PER_COMMAND {
        let activity = engine.tick(TICK_MICROS);
        out.extend(engine.take_output());
        if activity != Activity::Busy && engine.awaiting_input() {
            return;
        }
        // Containers may keep running in the background while the prompt waits.
        if engine.at_prompt() {
            busy_at_prompt += 1;
            if busy_at_prompt > 100 {
                return;
            }
        }
        clock.advance_micros(TICK_MICROS);
    }
    panic!("command did not finish; output so far:\n{}", String::from_utf8_lossy(out));
}

/// What a page reload does: the engine is saved (through the portable form, as a file would keep
/// it) and a new one restored from it. The new engine's ids come from another seed, as a new
/// page's random numbers would.
fn reload(engine: &Engine, clock: &ManualClock, reloads: u64) -> Engine {
    let snapshot = engine.snapshot().expect("snapshot");
    let snapshot = engine::persist::Snapshot::from_bytes(&snapshot.to_bytes()).expect("portable form");
    let platform = Platform::for_tests(clock.clone(), 42 + reloads, Box::new(DirBlobSource::new(catalog())));
    Engine::restore(platform, TerminalMode::Transcript, &snapshot).expect("restore")
}

fn run_transcript(commands: &str) -> String {
    let clock = ManualClock::new(EPOCH_MS);
    let platform = Platform::for_tests(clock.clone(), 42, Box::new(DirBlobSource::new(catalog())));
    let mut engine = Engine::new(platform, TerminalMode::Transcript);
    let mut reloads = 0;
    let mut out = Vec::new();
    settle(&mut engine, &clock, &mut out);
    for line in commands.lines() {
        if let Some(directive) = line.strip_prefix('#') {
            let directive = directive.trim();
            if let Some(secs) = directive.strip_prefix("advance ").and_then(|s| s.strip_suffix('s')) {
                // Time passes with the engine running, as it would while the learner reads.
                let secs: u64 = secs.parse().expect("# advance Ns");
                for _ in 0..secs * 1_000_000 / TICK_MICROS {
                    clock.advance_micros(TICK_MICROS);
                    engine.tick(TICK_MICROS);
                    out.extend(engine.take_output());
                }
            }
            if let Some((cols, rows)) = directive.strip_prefix("resize ").and_then(|s| s.split_once('x')) {
                // The learner resizes the window (or the page's layout changes).
                engine.resize(cols.parse().expect("# resize COLSxROWS"), rows.parse().expect("# resize COLSxROWS"));
            }
            if directive == "reload" {
                reloads += 1;
                engine = reload(&engine, &clock, reloads);
                out.extend_from_slice(b"\n# reload\n");
                settle(&mut engine, &clock, &mut out);
            }
            continue;
        }
        engine.write_input(format!("{line}\n").as_bytes());
        settle(&mut engine, &clock, &mut out);
    }
    assert!(engine.at_prompt(), "the last command is still waiting for input:\n{}", String::from_utf8_lossy(&out));
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn transcripts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    // `TRANSCRIPTS=servers-` runs (or re-records) only the transcripts whose name starts so.
    let only = std::env::var("TRANSCRIPTS").unwrap_or_default();
    for dir in dirs {
        if !dir.file_name().unwrap().to_string_lossy().starts_with(only.as_str()) {
            continue;
        }
        let commands = std::fs::read_to_string(dir.join("commands")).unwrap();
        let known_failure = commands.lines().any(|l| l.trim() == "# known-failure");
        let actual = run_transcript(&commands);
        let expected_path = dir.join("expected");
        if update && !known_failure {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match (actual == expected, known_failure) {
            (true, true) => failures.push(format!("{name}: passes now; remove `# known-failure`")),
            (false, false) => failures.push(format!("{name}:\n--- expected\n{expected}\n--- actual\n{actual}")),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
