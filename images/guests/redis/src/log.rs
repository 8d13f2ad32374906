//! Redis's log lines: `1:M 01 Apr 2025 10:00:00.123 * Ready to accept connections tcp`: the
//! pid, the role (`C` while starting, `M` for a master), the time, a level mark (`.` debug,
//! `-` verbose, `*` notice, `#` warning) and the message, on stdout (no `logfile` set).

use guest_server::clock::Civil;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

static ROLE: AtomicU8 = AtomicU8::new(b'C');
/// 0 debug, 1 verbose, 2 notice, 3 warning, 4 nothing.
static LEVEL: AtomicU8 = AtomicU8::new(2);

pub fn set_role(role: u8) {
    ROLE.store(role, Ordering::Relaxed);
}

pub fn set_level(name: &str) {
    let l = match name {
        "debug" => 0,
        "verbose" => 1,
        "warning" => 3,
        "nothing" => 4,
        _ => 2,
    };
    LEVEL.store(l, Ordering::Relaxed);
}

fn write(level: u8, mark: char, message: &str) {
    if level < LEVEL.load(Ordering::Relaxed) {
        return;
    }
    let role = ROLE.load(Ordering::Relaxed) as char;
    let line = format!("{}:{role} {} {mark} {message}\n", guest_server::pid(), Civil::now().redis_log());
    let mut out = std::io::stdout();
    let _ = out.write_all(line.as_bytes());
    let _ = out.flush();
}

pub fn notice(message: &str) {
    write(2, '*', message);
}

pub fn warning(message: &str) {
    write(3, '#', message);
}

pub fn verbose(message: &str) {
    write(1, '-', message);
}

/// What Redis's signal handler prints: `1:signal-handler (1743501723) Received SIGTERM ...`.
pub fn signal_handler(message: &str) {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let line = format!("{}:signal-handler ({secs}) {message}\n", guest_server::pid());
    let _ = std::io::stdout().write_all(line.as_bytes());
}
