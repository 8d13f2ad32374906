//! Native figures for `cargo xtask bench` that compare the engine's process kernel (wasmi, an
//! interpreter) with Wasmer (singlepass, a compiler), in one optimized run on the real clock:
//!
//! - a shell loop spawning `seq` and piping 1000 lines into `wc -l`:
//!   `sh -c 'for i in $(seq 1 1000); do echo $i; done | wc -l'`, in both, and their ratio;
//! - process spawn latency in the engine: spawn `true` and run it to its exit (no container).
//!
//! Usage: `cargo run --profile native-bench -p conformance --example runtimes_bench -- [RUNS]` (the guests
//! built first: `cargo xtask images`). Prints `name: value unit` lines.

use conformance::engine_side::{list_applets, EngineHost};
use conformance::wasmer_side::WasmerHost;
use conformance::{read_guest, Run, Setup};
use std::time::{Duration, Instant};

const LOOP: &str = "for i in $(seq 1 1000); do echo $i; done | wc -l";

type Result<T = ()> = std::result::Result<T, String>;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[m],
        _ => (xs[m - 1] + xs[m]) / 2.0,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run(argv: &[&str]) -> Run {
    Run { argv: argv.iter().map(|a| a.to_string()).collect(), stdin: Vec::new() }
}

fn main() -> std::process::ExitCode {
    let runs: usize = std::env::args().nth(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    match bench(runs.max(1)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("runtimes_bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn bench(runs: usize) -> Result {
    let busybox = read_guest("busybox")?;
    let applets = list_applets(&busybox)?;
    let setup = Setup { busybox, applets, programs: Vec::new(), files: Vec::new() };
    let mut engine = EngineHost::new(setup.clone());
    let wasmer = WasmerHost::new(setup).map_err(|e| format!("{e:#}"))?;
    let shell_loop = run(&["sh", "-c", LOOP]);

    // One warm-up run each: both compile busybox once and cache it.
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for i in 0..=runs {
        let fs = engine.tree()?;
        let started = Instant::now();
        let out = engine.run_in(&shell_loop, fs)?;
        let took = started.elapsed();
        if out.stdout != b"1000\n" || out.code != 0 {
            return Err(format!("engine: {LOOP} printed {:?}, exit {}", out.stdout_text(), out.code));
        }
        let started = Instant::now();
        let out = wasmer.run(&shell_loop).map_err(|e| format!("{e:#}"))?;
        let took_wasmer = started.elapsed();
        if out.stdout != b"1000\n" || out.code != 0 {
            return Err(format!("wasmer: {LOOP} printed {:?}, exit {}", out.stdout_text(), out.code));
        }
        if i > 0 {
            ours.push(ms(took));
            theirs.push(ms(took_wasmer));
        }
    }
    let (ours, theirs) = (median(ours), median(theirs));
    println!("sh_seq_loop_1000_engine_ms_median: {ours:.1} ms");
    println!("sh_seq_loop_1000_wasmer_ms_median: {theirs:.1} ms");
    println!("sh_seq_loop_1000_engine_over_wasmer: {:.2} x", ours / theirs);

    let spawns = runs * 20;
    let truth = run(&["true"]);
    let mut latencies = Vec::new();
    for i in 0..=spawns {
        let fs = engine.tree()?;
        let started = Instant::now();
        let out = engine.run_in(&truth, fs)?;
        let took = started.elapsed();
        if out.code != 0 {
            return Err(format!("engine: `true` exited with {}", out.code));
        }
        if i > 0 {
            latencies.push(ms(took));
        }
    }
    println!("engine_spawn_true_to_exit_ms_median: {:.2} ms", median(latencies));
    Ok(())
}
