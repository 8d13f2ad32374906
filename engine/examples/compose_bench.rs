//! Native figure for `cargo xtask bench` (optimized, real clock): `docker compose up -d` of a
//! five-service project (nginx, redis, two busybox workers, httpd; a network and a volume)
//! typed at the host shell, until the prompt is back with every container running, images
//! already pulled; then `docker compose down -v` for the next run.
//!
//! Usage: `cargo run --release -p engine --example compose_bench -- CATALOG_DIR [RUNS]`.
//! Prints `name: value unit` lines, like `tests/bench.mjs`.

use engine::platform::{DirBlobSource, Platform};
use engine::{Activity, Engine, TerminalMode};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The page's tick budget.
const TICK_MICROS: u64 = 8_000;
/// Longest a command may take before the bench gives up.
const COMMAND_LIMIT: Duration = Duration::from_secs(120);
const PROJECT: &str = "/home/eleve/bench";

const COMPOSE: &str = "services:
  web:
    image: nginx
    ports: [\"8080:80\"]
    networks: [back]
    depends_on: [cache]
  cache:
    image: redis
    volumes: [data:/data]
    networks: [back]
  worker1:
    image: busybox
    command: sleep 1000
    networks: [back]
  worker2:
    image: busybox
    command: sleep 1000
    networks: [back]
  site:
    image: httpd
    networks: [back]
networks:
  back: {}
volumes:
  data: {}
";

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

/// Ticks until the engine waits for input again; the output meanwhile.
fn settle(engine: &mut Engine) -> Result<String> {
    let started = Instant::now();
    let mut out = Vec::new();
    loop {
        let activity = engine.tick(TICK_MICROS);
        out.extend(engine.take_output());
        if activity != Activity::Busy && engine.awaiting_input() {
            return Ok(String::from_utf8_lossy(&out).into_owned());
        }
        if started.elapsed() > COMMAND_LIMIT {
            return Err(format!("no prompt after {COMMAND_LIMIT:?}; output:\n{}", String::from_utf8_lossy(&out)));
        }
        if activity != Activity::Busy {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

fn type_command(engine: &mut Engine, command: &str) -> Result<(String, Duration)> {
    let started = Instant::now();
    engine.write_input(format!("{command}\n").as_bytes());
    let out = settle(engine)?;
    Ok((out, started.elapsed()))
}

fn running(engine: &mut Engine) -> usize {
    engine.daemon().containers.newest_first().filter(|c| c.state.is_running()).count()
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let catalog = PathBuf::from(args.next().unwrap_or_else(|| "target/playground-images".into()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    match bench(&catalog, runs.max(1)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("compose_bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn bench(catalog: &PathBuf, runs: usize) -> Result {
    let mut e = Engine::new(Platform::native(Box::new(DirBlobSource::new(catalog))), TerminalMode::Transcript);
    settle(&mut e)?;
    let fs = &e.daemon().host_fs;
    fs.mkdir_p(PROJECT, 0o755).map_err(|x| x.to_string())?;
    fs.write_file(&format!("{PROJECT}/compose.yaml"), COMPOSE.as_bytes().to_vec(), 0o644).map_err(|x| x.to_string())?;
    type_command(&mut e, &format!("cd {PROJECT}"))?;
    let (out, _) = type_command(&mut e, "docker compose pull")?;
    if !out.contains("Pulled") {
        return Err(format!("docker compose pull failed:\n{out}"));
    }
    let mut times = Vec::new();
    // One warm-up run: the programs' compiled modules are cached after it.
    for i in 0..=runs {
        let (out, took) = type_command(&mut e, "docker compose up -d")?;
        let up = running(&mut e);
        if up != 5 {
            return Err(format!("{up} containers running after docker compose up -d:\n{out}"));
        }
        if i > 0 {
            times.push(took.as_secs_f64() * 1000.0);
        }
        type_command(&mut e, "docker compose down -v -t 0")?;
    }
    println!("compose_up_5_services_ms_median: {:.1} ms", median(times));
    Ok(())
}
