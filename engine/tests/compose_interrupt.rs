//! Ctrl-C during an attached `docker compose up`: Compose stops the containers it attached to
//! (`Gracefully stopping...`, then the `[+] Stopping` block) and ends with status 130. The
//! transcripts cannot press Ctrl-C while a command runs, so this drives the engine directly.
//! Needs the catalog (`cargo xtask images`); without it the test says so and passes.

use engine::platform::{DirBlobSource, ManualClock, Platform};
use engine::{Engine, TerminalMode};
use std::path::Path;

const TICK_MICROS: u64 = 10_000;

fn run_for(engine: &mut Engine, clock: &ManualClock, ticks: usize, out: &mut Vec<u8>) {
    for _ in 0..ticks {
        engine.tick(TICK_MICROS);
        out.extend(engine.take_output());
        clock.advance_micros(TICK_MICROS);
    }
}

#[test]
fn ctrl_c_stops_an_attached_up() {
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/playground-images");
    if !catalog.join("index.json").exists() {
        eprintln!("skipped: no image catalog; run `cargo xtask images`");
        return;
    }
    let clock = ManualClock::new(1_768_471_200_000);
    let platform = Platform::for_tests(clock.clone(), 7, Box::new(DirBlobSource::new(catalog)));
    let mut engine = Engine::new(platform, TerminalMode::Transcript);
    let mut out = Vec::new();
    run_for(&mut engine, &clock, 300, &mut out);
    let fs = &engine.daemon().host_fs;
    fs.mkdir_p("/home/eleve/app", 0o755).unwrap();
    let compose = "services:\n  web:\n    image: busybox\n    command: sh -c 'echo pret; sleep 1000'\n";
    fs.write_file("/home/eleve/app/compose.yaml", compose.as_bytes().to_vec(), 0o644).unwrap();
    engine.write_input(b"cd app && docker compose up; echo status=$?\n");
    run_for(&mut engine, &clock, 300, &mut out);
    let before = String::from_utf8_lossy(&out).into_owned();
    assert!(before.contains("pret"), "no output from the container:\n{before}");
    engine.write_input(b"\x03");
    // `sleep` under `sh` as PID 1 ignores SIGTERM: the grace period (10 s) ends with SIGKILL.
    run_for(&mut engine, &clock, 1_200, &mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    assert!(text.contains("Gracefully stopping... (press Ctrl+C again to force)"), "{text}");
    assert!(text.contains("Container app-web-1  Stopped"), "{text}");
    assert!(text.contains("status=130"), "{text}");
    assert!(engine.at_prompt(), "{text}");
}
