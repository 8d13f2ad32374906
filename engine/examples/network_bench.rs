//! Network figures for `cargo xtask bench` (run optimized, on the real clock, in one process),
//! everything typed at the host shell as a learner would:
//!
//! - container to container: an nginx container and an alpine client (with curl) on a
//!   user-defined network; one curl process makes N sequential requests to `http://web/`.
//!   Requests per second = (N - 1) / (the command's wall time - the same command's with one
//!   request), so `docker exec` and curl's start are left out; latency = curl's `%{time_total}`
//!   per request, which the native engine's clock makes wall-clock time, median (p50);
//! - host to a published port (`-p 8080:80`): the host's own wget fetching N URLs in one process
//!   (requests per second), and curl in a `--network host` container for per-request latency
//!   (the host's namespace, so the same path through the published port);
//! - DNS: 100 containers on one network, `nslookup` of the 100th name from the first one, the
//!   whole command's wall time (median), and a loop of 100 lookups (one per name) in one shell,
//!   per lookup, beside the same loop starting `/bin/true` (what starting a program costs).
//!
//! Usage: `cargo run --release -p engine --example network_bench -- CATALOG_DIR [REQUESTS]`.
//! Prints `name: value unit` lines, like `tests/bench.mjs`.

use engine::platform::{DirBlobSource, Platform};
use engine::{Activity, Engine, TerminalMode};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The page's tick budget.
const TICK_MICROS: u64 = 8_000;
/// Longest a command may take before the bench gives up.
const COMMAND_LIMIT: Duration = Duration::from_secs(300);
/// Containers on the DNS bench's network.
const DNS_CONTAINERS: usize = 100;
/// Single commands timed for a median.
const RUNS: usize = 20;

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

/// Types `command` at the prompt; its output (prompt and echo left out) and how long until the
/// prompt was back.
fn type_command(engine: &mut Engine, command: &str) -> Result<(String, Duration)> {
    let started = Instant::now();
    engine.write_input(format!("{command}\n").as_bytes());
    let out = settle(engine)?;
    Ok((out, started.elapsed()))
}

/// Types `command` and fails if the output has `bad` in it.
fn expect(engine: &mut Engine, command: &str, bad: &[&str]) -> Result<(String, Duration)> {
    let (out, took) = type_command(engine, command)?;
    if bad.iter().any(|b| out.contains(b)) {
        return Err(format!("`{command}` printed:\n{out}"));
    }
    Ok((out, took))
}

/// Retries `command` (a request) until its output has `want`: a server takes a moment to listen.
fn wait_for(engine: &mut Engine, command: &str, want: &str) -> Result {
    let started = Instant::now();
    loop {
        let (out, _) = type_command(engine, command)?;
        if out.contains(want) {
            return Ok(());
        }
        if started.elapsed() > COMMAND_LIMIT {
            return Err(format!("`{command}` never printed {want:?}; last output:\n{out}"));
        }
    }
}

/// curl fetching `url` `n` times in one process, printing each transfer's total time (seconds);
/// the argument list is made in the container's shell, so the command line stays short.
fn curl_times(n: usize, url: &str) -> String {
    format!(
        "sh -c 'set --; for i in $(seq {n}); do set -- \"$@\" -o /dev/null {url}; done; curl -s -w \"%{{time_total}}\\n\" \"$@\"'"
    )
}

/// The `%{time_total}` lines of curl's output, in milliseconds; exactly `n` of them.
fn parse_times(out: &str, n: usize) -> Result<Vec<f64>> {
    let times: Vec<f64> = out.lines().filter_map(|l| l.trim().parse::<f64>().ok()).map(|s| s * 1000.0).collect();
    if times.len() != n {
        return Err(format!("expected {n} transfer times, got {}:\n{out}", times.len()));
    }
    Ok(times)
}

/// Requests per second from a command making `n` requests, the same command's start-up and
/// ending (`one`: its time with a single request) left out.
fn rps(n: usize, one: Duration, all: Duration) -> f64 {
    (n as f64 - 1.0) / all.saturating_sub(one).as_secs_f64().max(1e-9)
}

fn engine(catalog: &PathBuf) -> Result<Engine> {
    let mut engine = Engine::new(Platform::native(Box::new(DirBlobSource::new(catalog))), TerminalMode::Transcript);
    settle(&mut engine)?;
    Ok(engine)
}

const ERRORS: &[&str] = &["Error", "docker:", "not found", "failed"];

fn http(e: &mut Engine, n: usize) -> Result {
    expect(e, "docker network create benchnet", ERRORS)?;
    expect(e, "docker run -d --name web --network benchnet -p 8080:80 nginx", ERRORS)?;
    expect(e, "docker run -d --name client --network benchnet alpine sleep 1000000", ERRORS)?;
    expect(e, "docker run -d --name hostclient --network host alpine sleep 1000000", ERRORS)?;
    expect(e, "docker exec client apk add -q curl", &["ERROR"])?;
    expect(e, "docker exec hostclient apk add -q curl", &["ERROR"])?;
    wait_for(e, "docker exec client curl -s http://web/", "Welcome to nginx")?;
    // Warm-up: the programs' compiled modules are cached after their first run.
    expect(e, &format!("docker exec client {}", curl_times(5, "http://web/")), ERRORS)?;

    let (_, one) = expect(e, &format!("docker exec client {}", curl_times(1, "http://web/")), ERRORS)?;
    let (out, took) = expect(e, &format!("docker exec client {}", curl_times(n, "http://web/")), ERRORS)?;
    let times = parse_times(&out, n)?;
    println!(
        "http_container_to_container_rps: {:.1} requests/s ({n} sequential requests in one curl)",
        rps(n, one, took)
    );
    println!("http_container_to_container_p50_ms: {:.2} ms", median(times));

    let wget = |k: usize| format!("wget -q -O /dev/null $(for i in $(seq {k}); do echo http://localhost:8080/; done)");
    let (_, one) = expect(e, &wget(1), ERRORS)?;
    let (_, took) = expect(e, &wget(n), ERRORS)?;
    println!(
        "http_host_to_published_port_rps: {:.1} requests/s ({n} sequential requests in the host's wget)",
        rps(n, one, took)
    );
    let (out, _) = expect(e, &format!("docker exec hostclient {}", curl_times(n, "http://localhost:8080/")), ERRORS)?;
    let times = parse_times(&out, n)?;
    println!("http_host_to_published_port_p50_ms: {:.2} ms (curl in a --network host container)", median(times));
    Ok(())
}

fn dns(e: &mut Engine) -> Result {
    expect(e, "docker network create dnsnet", ERRORS)?;
    let started = Instant::now();
    expect(
        e,
        &format!(
            "for i in $(seq {DNS_CONTAINERS}); do docker run -d --name d$i --network dnsnet busybox sleep 1000000 > /dev/null; done"
        ),
        ERRORS,
    )?;
    let (out, _) = type_command(e, "docker ps -q --filter network=dnsnet | wc -l")?;
    if !out.lines().any(|l| l.trim() == DNS_CONTAINERS.to_string()) {
        return Err(format!("expected {DNS_CONTAINERS} containers on dnsnet:\n{out}"));
    }
    println!("dns_start_100_containers_ms: {:.0} ms", ms(started.elapsed()));
    let lookup = format!("docker exec d1 nslookup d{DNS_CONTAINERS}");
    let mut single = Vec::new();
    for _ in 0..RUNS {
        let (out, took) = expect(e, &lookup, &["can't find", "Error"])?;
        if !out.contains("Address: 172.") {
            return Err(format!("`{lookup}` printed:\n{out}"));
        }
        single.push(ms(took));
    }
    println!("dns_nslookup_100th_name_ms_median: {:.2} ms (docker exec d1 nslookup d{DNS_CONTAINERS}, {DNS_CONTAINERS} containers)", median(single));
    // What the loop costs without the lookups: starting a program as many times.
    let (_, spawn) =
        expect(e, &format!("docker exec d1 sh -c 'for i in $(seq {DNS_CONTAINERS}); do /bin/true; done'"), ERRORS)?;
    println!(
        "process_spawn_in_loop_ms: {:.2} ms per program (/bin/true {DNS_CONTAINERS} times in one shell, for comparison)",
        ms(spawn) / DNS_CONTAINERS as f64
    );
    let (_, took) = expect(
        e,
        &format!(
            "docker exec d1 sh -c 'for i in $(seq {DNS_CONTAINERS}); do nslookup d$i > /dev/null || echo miss$i; done'"
        ),
        &["miss1", "miss2", "miss3", "miss4", "miss5", "miss6", "miss7", "miss8", "miss9"],
    )?;
    println!(
        "dns_lookup_in_loop_ms: {:.2} ms per lookup (nslookup of each of the {DNS_CONTAINERS} names in one shell)",
        ms(took) / DNS_CONTAINERS as f64
    );
    Ok(())
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let catalog = PathBuf::from(args.next().unwrap_or_else(|| "target/playground-images".into()));
    let n: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(200);
    let run = || -> Result {
        let mut e = engine(&catalog)?;
        http(&mut e, n.max(1))?;
        dns(&mut engine(&catalog)?)
    };
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("network_bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
