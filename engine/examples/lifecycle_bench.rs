//! Native figures for `cargo xtask bench` (run optimized, on the real clock, in one process):
//!
//! - a container's life through the daemon API: create, start, run to its exit (`busybox true`);
//! - the same through the learner's path: `docker run --rm busybox true` typed at the host shell;
//! - `docker build` of a 10-instruction Dockerfile, cold (an engine whose build cache is empty,
//!   base image already pulled) and fully cached (the same build again), and their ratio.
//!
//! Usage: `cargo run --release -p engine --example lifecycle_bench -- CATALOG_DIR [RUNS]`.
//! Prints `name: value unit` lines, like `tests/bench.mjs`.

use engine::container::CreateOptions;
use engine::platform::{DirBlobSource, Platform};
use engine::{Engine, TerminalMode};
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod bench_support;
use bench_support::*;

const DOCKERFILE: &str = "FROM busybox
WORKDIR /app
COPY message.txt .
RUN echo one > /app/one
RUN echo two > /app/two && cat /app/one
ENV GREETING=hello
LABEL course=docker
RUN ls /app > /app/listing
EXPOSE 8080
CMD [\"cat\", \"/app/listing\"]
";
const CONTEXT: &str = "/home/eleve/bench";

/// A booted engine with busybox pulled and the build context written.
fn engine(catalog: &PathBuf) -> Result<Engine> {
    let mut engine = Engine::new(Platform::native(Box::new(DirBlobSource::new(catalog))), TerminalMode::Transcript);
    settle(&mut engine)?;
    let (out, _) = type_command(&mut engine, "docker pull busybox")?;
    if !out.contains("Status:") {
        return Err(format!("docker pull busybox failed:\n{out}"));
    }
    let fs = &engine.daemon().host_fs;
    fs.mkdir_p(CONTEXT, 0o755).map_err(|e| e.to_string())?;
    fs.write_file(&format!("{CONTEXT}/Dockerfile"), DOCKERFILE.as_bytes().to_vec(), 0o644)
        .map_err(|e| e.to_string())?;
    fs.write_file(&format!("{CONTEXT}/message.txt"), b"bench\n".to_vec(), 0o644).map_err(|e| e.to_string())?;
    Ok(engine)
}

/// Create, start, and run to the exit through the daemon API.
fn container_lifecycle(engine: &mut Engine) -> Result<Duration> {
    let started = Instant::now();
    let daemon = engine.daemon();
    let opts = CreateOptions { image: "busybox".into(), cmd: vec!["true".into()], ..CreateOptions::default() };
    let id = daemon.create_container(opts).map_err(|e| e.to_string())?;
    daemon.start_container(id.as_str()).map_err(|e| e.to_string())?;
    loop {
        let deadline = daemon.now_micros() + TICK_MICROS;
        daemon.run_background(deadline);
        match daemon.containers.find(id.as_str()).map(|c| c.state) {
            Some(engine::container::State::Exited { code: 0, .. }) => break,
            Some(engine::container::State::Exited { code, .. }) => return Err(format!("`true` exited with {code}")),
            _ if started.elapsed() > COMMAND_LIMIT => return Err("the container did not exit".into()),
            _ => {}
        }
    }
    let elapsed = started.elapsed();
    daemon.remove_container(id.as_str(), false).map_err(|e| e.to_string())?;
    Ok(elapsed)
}

fn build(engine: &mut Engine) -> Result<Duration> {
    let (out, took) = type_command(engine, &format!("docker build -q -t bench {CONTEXT}"))?;
    if !out.contains("sha256:") {
        return Err(format!("docker build failed:\n{out}"));
    }
    Ok(took)
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let catalog = PathBuf::from(args.next().unwrap_or_else(|| "target/playground-images".into()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    match bench(&catalog, runs.max(1)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lifecycle_bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn bench(catalog: &PathBuf, runs: usize) -> Result {
    let mut e = engine(catalog)?;
    container_lifecycle(&mut e)?; // warm-up: the program's compiled module is cached after it
    let api: Vec<f64> = (0..runs).map(|_| container_lifecycle(&mut e).map(ms)).collect::<Result<_>>()?;
    println!("container_create_start_exit_ms_median: {:.2} ms", median(api));
    let mut cli = Vec::new();
    for _ in 0..runs {
        let (out, took) = type_command(&mut e, "docker run --rm busybox true")?;
        if out.contains("Error") || out.contains("docker:") {
            return Err(format!("docker run --rm busybox true printed:\n{out}"));
        }
        cli.push(ms(took));
    }
    println!("docker_run_rm_true_ms_median: {:.2} ms", median(cli));
    // Cold: each build in an engine of its own (empty build cache), busybox already there.
    let colds = 3;
    let mut cold = Vec::new();
    for _ in 0..colds {
        let mut fresh = engine(catalog)?;
        cold.push(ms(build(&mut fresh)?));
        e = fresh;
    }
    let cached: Vec<f64> = (0..runs.min(10)).map(|_| build(&mut e).map(ms)).collect::<Result<_>>()?;
    let (cold, cached) = (median(cold), median(cached));
    println!("build_10_instructions_cold_ms_median: {cold:.1} ms ({colds} runs)");
    println!("build_10_instructions_cached_ms_median: {cached:.1} ms");
    println!("build_cold_over_cached_ratio: {:.1} x", cold / cached);
    Ok(())
}
