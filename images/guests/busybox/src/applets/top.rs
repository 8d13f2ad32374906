//! `top`: the processes and memory of the machine (the container), refreshed every few
//! seconds. `-b` (batch) prints plain frames one after the other, for pipes and logs; without
//! it each frame first clears the screen. `-n N` stops after N frames, `-d SEC` sets the delay.
//!
//! Everything comes from `/proc`: `meminfo` (the `Mem:` line), `loadavg`, and each process's
//! `stat`. `%CPU` is measured: the CPU ticks each process used between two readings (the
//! first frame compares with a reading taken a moment before).

use super::usage_error;
use crate::sys::{self, procfs};
use crate::util::{err, errstr, opts};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// CPU ticks (1/100 s) per pid at one instant.
fn sample() -> BTreeMap<u32, u64> {
    procfs::pids().unwrap_or_default().into_iter().filter_map(|p| Some((p, procfs::process(p).ok()?.ticks))).collect()
}

fn frame(prev: &BTreeMap<u32, u64>, elapsed: Duration) -> Result<String, String> {
    let info = procfs::meminfo().map_err(|e| format!("can't read '/proc/meminfo': {}", errstr(&e)))?;
    let get = |k: &str| info.iter().find(|(n, _)| n == k).map_or(0, |(_, v)| *v);
    let total = get("MemTotal");
    let mut s = format!(
        "Mem: {}K used, {}K free, {}K shrd, {}K buff, {}K cached\n",
        total.saturating_sub(get("MemFree")),
        get("MemFree"),
        get("Shmem"),
        get("Buffers"),
        get("Cached")
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        s.push_str(&format!("Load average: {}\n", load.trim()));
    }
    s.push_str("  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND\n");
    let interval = elapsed.as_secs_f64().max(0.01) * 100.0;
    for pid in procfs::pids().map_err(|e| errstr(&e))? {
        let Ok(p) = procfs::process(pid) else { continue };
        let user = p.uid.map(|u| procfs::user_name(u).unwrap_or_else(|| u.to_string())).unwrap_or_else(|| "?".into());
        let used = p.ticks.saturating_sub(prev.get(&pid).copied().unwrap_or(p.ticks));
        let cpu = (used as f64 * 100.0 / interval).round() as u64;
        let vsz = p.vsize / 1024;
        let pvsz = (vsz * 100).checked_div(total).unwrap_or(0);
        let cmd = if p.cmdline.is_empty() { format!("[{}]", p.comm) } else { p.cmdline.join(" ") };
        s.push_str(&format!(
            "{:5} {:5} {:<8.8} {:<4} {:>5} {:>3}% {:>3}% {cmd}\n",
            p.pid, p.ppid, user, p.state, vsz, pvsz, cpu
        ));
    }
    Ok(s)
}

pub fn main(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "bn:d:") {
        Ok(o) => o,
        Err(e) => return usage_error("top", &e),
    };
    let frames = match o.value('n').map(str::parse::<u64>) {
        None => u64::MAX,
        Some(Ok(n)) => n.max(1),
        Some(Err(_)) => {
            err("top", format_args!("invalid number '{}'", o.value('n').unwrap_or("")));
            return 1;
        }
    };
    let delay = match o.value('d').map(str::parse::<f64>) {
        None => 5.0,
        Some(Ok(d)) if d >= 0.0 && d.is_finite() => d,
        Some(_) => {
            err("top", format_args!("invalid number '{}'", o.value('d').unwrap_or("")));
            return 1;
        }
    };
    let mut prev = sample();
    let mut at = Instant::now();
    sys::sleep(Duration::from_millis(200));
    for n in 0..frames {
        if n > 0 {
            sys::sleep(Duration::from_secs_f64(delay));
        }
        let elapsed = at.elapsed();
        let text = match frame(&prev, elapsed) {
            Ok(t) => t,
            Err(e) => {
                err("top", e);
                return 1;
            }
        };
        prev = sample();
        at = Instant::now();
        let clear = if o.has('b') { "" } else { "\x1b[H\x1b[J" };
        let out = format!("{clear}{text}{}", if o.has('b') { "\n" } else { "" });
        if sys::write_all(1, out.as_bytes()).is_err() {
            return 0;
        }
    }
    0
}
