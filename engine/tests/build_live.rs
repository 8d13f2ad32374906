//! `docker build` on the page's terminal (interactive mode) redraws its `[+] Building` summary
//! in place while the build runs, as BuildKit's tty display does; transcripts (and pipes) get the
//! final summary only. Needs the catalog (`cargo xtask images`), like the transcripts.

use engine::platform::{DirBlobSource, ManualClock, Platform};
use engine::{Activity, Engine, TerminalMode};
use std::path::Path;

const TICK_MICROS: u64 = 10_000;

fn run(engine: &mut Engine, clock: &ManualClock, line: &str) -> String {
    engine.write_input(line.as_bytes());
    let mut out = Vec::new();
    for _ in 0..5_000 {
        let activity = engine.tick(TICK_MICROS);
        out.extend(engine.take_output());
        if activity != Activity::Busy && engine.at_prompt() && !out.is_empty() {
            break;
        }
        clock.advance_micros(TICK_MICROS);
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn a_build_on_a_live_terminal_redraws_its_summary() {
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/playground-images");
    assert!(catalog.join("index.json").exists(), "run `cargo xtask images` first");
    let clock = ManualClock::new(1_768_471_200_000);
    let platform = Platform::for_tests(clock.clone(), 7, Box::new(DirBlobSource::new(catalog)));
    let mut engine = Engine::new(platform, TerminalMode::Interactive);
    run(&mut engine, &clock, "");
    let fs = &engine.daemon().host_fs;
    fs.mkdir_p("/home/eleve/ctx", 0o755).unwrap();
    let dockerfile = "FROM busybox\nRUN echo debut && sleep 1 && echo fin\n";
    fs.write_file("/home/eleve/ctx/Dockerfile", dockerfile.as_bytes().to_vec(), 0o644).unwrap();
    run(&mut engine, &clock, "docker pull busybox\r");
    let out = run(&mut engine, &clock, "docker build -t live ctx\r");
    // Frames while the RUN step sleeps: its output so far, then the cursor goes back up.
    let running = out.find(" => => # debut").unwrap_or_else(|| panic!("no running output: {out:?}"));
    assert!(out[running..].contains("\x1b[K"), "later frames erase what they overwrite");
    assert!(out.contains("A\r[+] Building"), "frames are redrawn in place: {out:?}");
    assert!(out.contains("FINISHED"), "{out:?}");
    // The last frame is the summary, as without a live terminal.
    let last = out.rfind("[+] Building").unwrap();
    assert!(out[last..].contains(" => [2/2] RUN echo debut && sleep 1 && echo fin"), "{out:?}");
    assert!(!out[last..].contains(" => => # "), "the final summary has no running output");
}
