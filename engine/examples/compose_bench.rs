//! Native figure for `cargo xtask bench` (optimized, real clock): `docker compose up -d` of a
//! five-service project (nginx, redis, two busybox workers, httpd; a network and a volume)
//! typed at the host shell, until the prompt is back with every container running, images
//! already pulled; then `docker compose down -v` for the next run.
//!
//! Usage: `cargo run --release -p engine --example compose_bench -- CATALOG_DIR [RUNS]`.
//! Prints `name: value unit` lines, like `tests/bench.mjs`.

use engine::platform::{DirBlobSource, Platform};
use engine::{Engine, TerminalMode};
use std::path::PathBuf;

mod bench_support;
use bench_support::*;

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
