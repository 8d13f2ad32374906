//! `redis-server`'s start: options, the start-up log Redis 7 prints, loading `dump.rdb`,
//! binding port 6379, then the event loop until a shutdown.

use crate::config::Settings;
use crate::log;
use crate::server::Server;
use crate::store::Store;
use guest_net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use guest_server::signals::{self, SIGINT, SIGTERM};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// `Redis server v=7.4.2 sha=00000000:0 malloc=libc bits=64 build=...`.
pub fn version_line() -> String {
    let v = crate::version::get();
    let build = crate::rdb::crc64(0, format!("redis-{v}-wasm32-wasip1").as_bytes());
    format!("Redis server v={v} sha=00000000:0 malloc=libc bits=64 build={build:016x}")
}

const USAGE: &str = "Usage: ./redis-server [/path/to/redis.conf] [options] [-]
       ./redis-server - (read config from stdin)
       ./redis-server -v or --version
       ./redis-server -h or --help

Examples:
       ./redis-server (run the server with default conf)
       echo 'maxmemory 128mb' | ./redis-server -
       ./redis-server /etc/redis/6379.conf
       ./redis-server --port 7777
       ./redis-server /etc/myredis.conf --loglevel verbose -
";

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Loads the snapshot, if any, with Redis's log lines.
fn load(store: &mut Store) {
    let path = store.settings.rdb_path();
    let Ok(bytes) = std::fs::read(&path) else { return };
    let started = Instant::now();
    let now = now_ms();
    match crate::rdb::decode(&bytes, store.settings.databases, now) {
        Ok(loaded) => {
            log::notice(&format!("Loading RDB produced by version {}", loaded.version));
            log::notice(&format!("RDB age {} seconds", (now / 1000).saturating_sub(loaded.ctime)));
            log::notice(&format!("RDB memory usage when created {:.2} Mb", loaded.used_mem as f64 / 1_048_576.0));
            log::notice(&format!("Done loading RDB, keys loaded: {}, keys expired: {}.", loaded.keys, loaded.expired));
            log::notice(&format!("DB loaded from disk: {:.3} seconds", started.elapsed().as_secs_f64()));
            store.dbs = loaded.dbs;
        }
        Err(e) => {
            log::warning(&e);
            log::warning("Fatal error loading the DB, check server logs. Exiting.");
            std::process::exit(1);
        }
    }
}

/// The addresses of `bind` (`*` is every IPv4 address; IPv6 ones are skipped: the playground's
/// networks are IPv4 only; a leading `-` marks an optional address).
fn bind_addrs(settings: &Settings) -> Vec<SocketAddr> {
    let mut out = Vec::new();
    for b in &settings.bind {
        let b = b.trim_start_matches('-');
        let ip = match b {
            "*" => Some(Ipv4Addr::UNSPECIFIED),
            other => other.parse::<Ipv4Addr>().ok(),
        };
        if let Some(ip) = ip {
            out.push(SocketAddr::new(IpAddr::V4(ip), settings.port));
        }
    }
    out
}

/// Runs `redis-server` with its arguments; the exit code.
pub fn main(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("-v" | "--version") => {
            println!("{}", version_line());
            return 0;
        }
        Some("-h" | "--help") => {
            eprint!("{USAGE}");
            return 1;
        }
        _ => {}
    }
    let settings = match Settings::from_args(args) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{}", e.report());
            return 1;
        }
    };
    log::set_level(&settings.loglevel);
    let pid = guest_server::pid();
    log::notice("oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
    log::notice(&format!(
        "Redis version={}, bits=64, commit=00000000, modified=0, pid={pid}, just started",
        crate::version::get()
    ));
    match &settings.config_file {
        None => log::warning("Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf"),
        Some(_) => log::notice("Configuration loaded"),
    }
    log::set_role(b'M');
    log::notice("monotonic clock: POSIX clock_gettime");
    let mut listeners = Vec::new();
    for addr in bind_addrs(&settings) {
        match TcpListener::bind(addr).and_then(|l| l.set_nonblocking(true).map(|()| l)) {
            Ok(l) => listeners.push(l),
            Err(e) => {
                let shown = if addr.ip().is_unspecified() { "*".to_string() } else { addr.ip().to_string() };
                let why =
                    guest_server::errno::text(&e).split_once(": ").map(|(_, m)| m.to_string()).unwrap_or_default();
                log::warning(&format!(
                    "Warning: Could not create server TCP listening socket {shown}:{}: bind: {why}",
                    settings.port
                ));
                log::warning(&format!("Failed listening on port {} (tcp), aborting.", settings.port));
                return 1;
            }
        }
    }
    log::notice(&format!("Running mode=standalone, port={}.", settings.port));
    let mut store = Store::new(settings, now_ms());
    log::notice("Server initialized");
    load(&mut store);
    log::notice("Ready to accept connections tcp");
    signals::catch(&[SIGTERM, SIGINT]);
    let mut server = Server::new(store, listeners);
    server.run();
    0
}
