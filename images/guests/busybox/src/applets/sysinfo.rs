//! Applets about the system: `date`, `sleep`, `hostname`, `id`, `whoami`, `uname`, `free`,
//! `ps`, `df`. Kernel facts come from `sys::procfs` (files the engine serves); when a file is
//! missing the applet says so and fails instead of inventing output.

use std::fmt::Write as _;
use std::time::Duration;

use super::net;
use crate::sys::{self, procfs};
use crate::util::{self, err, errstr, opts};

/// strftime for UTC (the containers' time zone).
pub fn strftime(fmt: &str, t: i64, nanos: u32) -> String {
    let tm = util::gmtime(t);
    let mut s = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            s.push(c);
            continue;
        }
        let Some(f) = it.next() else {
            s.push('%');
            break;
        };
        let h12 = if tm.hour.is_multiple_of(12) { 12 } else { tm.hour % 12 };
        let _ = match f {
            'a' => write!(s, "{}", util::DAYS[tm.wday as usize]),
            'A' => write!(
                s,
                "{}",
                ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][tm.wday as usize]
            ),
            'b' | 'h' => write!(s, "{}", util::MONTHS[(tm.mon - 1) as usize]),
            'B' => write!(
                s,
                "{}",
                [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December"
                ][(tm.mon - 1) as usize]
            ),
            'c' => write!(s, "{}", strftime("%a %b %e %H:%M:%S %Y", t, nanos)),
            'C' => write!(s, "{:02}", tm.year / 100),
            'd' => write!(s, "{:02}", tm.mday),
            'D' => write!(s, "{}", strftime("%m/%d/%y", t, nanos)),
            'e' => write!(s, "{:2}", tm.mday),
            'F' => write!(s, "{}-{:02}-{:02}", tm.year, tm.mon, tm.mday),
            'H' => write!(s, "{:02}", tm.hour),
            'I' => write!(s, "{h12:02}"),
            'j' => write!(s, "{:03}", tm.yday + 1),
            'k' => write!(s, "{:2}", tm.hour),
            'l' => write!(s, "{h12:2}"),
            'm' => write!(s, "{:02}", tm.mon),
            'M' => write!(s, "{:02}", tm.min),
            'n' => writeln!(s),
            'N' => write!(s, "{nanos:09}"),
            'p' => write!(s, "{}", if tm.hour < 12 { "AM" } else { "PM" }),
            'P' => write!(s, "{}", if tm.hour < 12 { "am" } else { "pm" }),
            'r' => write!(s, "{}", strftime("%I:%M:%S %p", t, nanos)),
            'R' => write!(s, "{:02}:{:02}", tm.hour, tm.min),
            's' => write!(s, "{t}"),
            'S' => write!(s, "{:02}", tm.sec),
            't' => write!(s, "\t"),
            'T' => write!(s, "{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec),
            'u' => write!(s, "{}", if tm.wday == 0 { 7 } else { tm.wday }),
            'w' => write!(s, "{}", tm.wday),
            'y' => write!(s, "{:02}", tm.year % 100),
            'Y' => write!(s, "{}", tm.year),
            'z' => write!(s, "+0000"),
            'Z' => write!(s, "UTC"),
            '%' => write!(s, "%"),
            other => write!(s, "%{other}"),
        };
    }
    s
}

/// Parses `-d` dates: `@EPOCH`, `YYYY-MM-DD[ T]HH:MM[:SS]`, `YYYY-MM-DD`, `HH:MM[:SS]`.
fn parse_date(s: &str) -> Option<i64> {
    if let Some(e) = s.strip_prefix('@') {
        return e.trim().parse().ok();
    }
    let s = s.trim().trim_end_matches('Z').trim_end_matches(" UTC");
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (Some(d), Some(t)),
        None if s.contains('-') => (Some(s), None),
        None => (None, Some(s)),
    };
    let day = match date {
        Some(d) => {
            let p: Vec<&str> = d.split('-').collect();
            if p.len() != 3 {
                return None;
            }
            util::days_from_civil(p[0].parse().ok()?, p[1].parse().ok()?, p[2].parse().ok()?)
        }
        None => util::now().div_euclid(86400),
    };
    let secs = match time {
        Some(t) => {
            let p: Vec<i64> = t.split(':').map(|x| x.parse().ok()).collect::<Option<Vec<_>>>()?;
            p.first()? * 3600 + p.get(1).copied().unwrap_or(0) * 60 + p.get(2).copied().unwrap_or(0)
        }
        None => 0,
    };
    Some(day * 86400 + secs)
}

pub fn date(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "uRId:r:D:s:") {
        Ok(o) => o,
        Err(e) => return super::usage_error("date", &e),
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let mut t = now.as_secs() as i64;
    let nanos = now.subsec_nanos();
    if let Some(d) = o.value('d') {
        match parse_date(d) {
            Some(v) => t = v,
            None => {
                err("date", format_args!("invalid date '{d}'"));
                return 1;
            }
        }
    }
    if let Some(f) = o.value('r') {
        match std::fs::metadata(f) {
            Ok(m) => t = util::mtime(&m),
            Err(e) => {
                err("date", format_args!("{f}: {}", errstr(&e)));
                return 1;
            }
        }
    }
    if o.value('s').is_some() {
        err("date", "can't set date: Operation not permitted");
        return 1;
    }
    let fmt = match o.operands.first() {
        Some(f) if f.starts_with('+') => f[1..].to_string(),
        Some(f) => {
            err("date", format_args!("invalid date '{f}'"));
            return 1;
        }
        None if o.has('R') => "%a, %d %b %Y %H:%M:%S +0000".to_string(),
        None if o.has('I') => "%Y-%m-%d".to_string(),
        None => "%a %b %e %H:%M:%S %Z %Y".to_string(),
    };
    println!("{}", strftime(&fmt, t, nanos));
    0
}

pub fn sleep(args: &[String]) -> i32 {
    if args.len() < 2 {
        super::usage("sleep");
        return 1;
    }
    let mut total = 0f64;
    for a in &args[1..] {
        let (num, mult) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1.0),
            Some('m') => (&a[..a.len() - 1], 60.0),
            Some('h') => (&a[..a.len() - 1], 3600.0),
            Some('d') => (&a[..a.len() - 1], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        match num.parse::<f64>() {
            // `sleep infinity` (strtod reads `inf`/`infinity`) sleeps for good, as in BusyBox.
            Ok(v) if v >= 0.0 => total += v * mult,
            _ => {
                err("sleep", format_args!("invalid number '{a}'"));
                return 1;
            }
        }
    }
    sys::sleep(Duration::from_secs_f64(total.min(1e9)));
    0
}

pub fn hostname(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "sfdiF:") {
        Ok(o) => o,
        Err(e) => return super::usage_error("hostname", &e),
    };
    if let Some(name) = o.operands.first() {
        if let Err(e) = procfs::set_hostname(name) {
            err("hostname", format_args!("sethostname: {}", errstr(&e)));
            return 1;
        }
        return 0;
    }
    let h = match procfs::hostname() {
        Ok(h) => h,
        Err(e) => {
            err("hostname", errstr(&e));
            return 1;
        }
    };
    if o.has('d') || o.has('f') || o.has('i') {
        // The host's entry as gethostbyname finds it: /etc/hosts (Docker writes the container's
        // address there), then DNS.
        return match net::host_entry(&h) {
            Some((canonical, addrs)) => {
                let (short, domain) = canonical.split_once('.').unwrap_or((&canonical, ""));
                if o.has('f') {
                    println!("{canonical}");
                } else if o.has('s') {
                    println!("{short}");
                } else if o.has('d') {
                    if !domain.is_empty() {
                        println!("{domain}");
                    }
                } else {
                    let list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
                    println!("{}", list.join(" "));
                }
                0
            }
            None => {
                err("hostname", format_args!("{h}: Host not found"));
                1
            }
        };
    }
    let h = if o.has('s') { h.split('.').next().unwrap_or("").to_string() } else { h };
    println!("{h}");
    0
}

fn name_or_id(name: Option<String>, id: u32) -> String {
    name.map(|n| format!("{id}({n})")).unwrap_or_else(|| id.to_string())
}

pub fn id(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "ugGnr") {
        Ok(o) => o,
        Err(e) => return super::usage_error("id", &e),
    };
    let (uid, gid, user, groups) = if let Some(u) = o.operands.first() {
        let Some((uid, gid)) = procfs::user_by_name(u) else {
            err("id", format_args!("unknown user {u}"));
            return 1;
        };
        let mut g: Vec<u32> = vec![gid];
        g.extend(procfs::groups_of(u).into_iter().map(|x| x.0).filter(|x| *x != gid));
        (uid, gid, Some(u.clone()), g)
    } else {
        match procfs::ids() {
            Ok(ids) => {
                let user = procfs::user_name(ids.euid);
                let mut g = vec![ids.egid];
                g.extend(ids.groups.iter().copied().filter(|x| *x != ids.egid));
                let (uid, gid) = if o.has('r') { (ids.uid, ids.gid) } else { (ids.euid, ids.egid) };
                (uid, gid, user, g)
            }
            Err(e) => {
                err("id", errstr(&e));
                return 1;
            }
        }
    };
    let _ = user;
    let names = o.has('n');
    let out = if o.has('u') {
        if names {
            procfs::user_name(uid).unwrap_or(uid.to_string())
        } else {
            uid.to_string()
        }
    } else if o.has('g') {
        if names {
            procfs::group_name(gid).unwrap_or(gid.to_string())
        } else {
            gid.to_string()
        }
    } else if o.has('G') {
        groups
            .iter()
            .map(|g| if names { procfs::group_name(*g).unwrap_or(g.to_string()) } else { g.to_string() })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        let gl: Vec<String> = groups.iter().map(|g| name_or_id(procfs::group_name(*g), *g)).collect();
        format!(
            "uid={} gid={} groups={}",
            name_or_id(procfs::user_name(uid), uid),
            name_or_id(procfs::group_name(gid), gid),
            gl.join(",")
        )
    };
    println!("{out}");
    0
}

pub fn whoami(_: &[String]) -> i32 {
    match procfs::ids() {
        Ok(ids) => match procfs::user_name(ids.euid) {
            Some(n) => {
                println!("{n}");
                0
            }
            None => {
                err("whoami", format_args!("unknown uid {}", ids.euid));
                1
            }
        },
        Err(e) => {
            err("whoami", errstr(&e));
            1
        }
    }
}

pub fn uname(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "asnrvmpio") {
        Ok(o) => o,
        Err(e) => return super::usage_error("uname", &e),
    };
    let u = match procfs::uname() {
        Ok(u) => u,
        Err(e) => {
            err("uname", errstr(&e));
            return 1;
        }
    };
    let all = o.has('a');
    let mut parts = Vec::new();
    let any = ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'].iter().any(|c| o.has(*c));
    if all || o.has('s') || !any {
        parts.push(u.sysname.clone());
    }
    if all || o.has('n') {
        parts.push(u.nodename.clone());
    }
    if all || o.has('r') {
        parts.push(u.release.clone());
    }
    if all || o.has('v') {
        parts.push(u.version.clone());
    }
    if all || o.has('m') {
        parts.push(u.machine.clone());
    }
    if o.has('p') || o.has('i') {
        parts.push("unknown".into());
    }
    if all || o.has('o') {
        parts.push("GNU/Linux".into());
    }
    println!("{}", parts.join(" "));
    0
}

pub fn free(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "bkmght") {
        Ok(o) => o,
        Err(e) => return super::usage_error("free", &e),
    };
    let info = match procfs::meminfo() {
        Ok(i) => i,
        Err(e) => {
            err("free", errstr(&e));
            return 1;
        }
    };
    let get = |k: &str| info.iter().find(|(n, _)| n == k).map_or(0, |(_, v)| *v);
    let (total, free, shared) = (get("MemTotal"), get("MemFree"), get("Shmem"));
    let cache = get("Buffers") + get("Cached") + get("SReclaimable");
    let used = total.saturating_sub(free).saturating_sub(cache);
    let avail = info.iter().find(|(n, _)| n == "MemAvailable").map_or(free + cache, |(_, v)| *v);
    let (st, sf) = (get("SwapTotal"), get("SwapFree"));
    let fmt = |kb: u64| -> String {
        if o.has('h') {
            util::human(kb * 1024)
        } else if o.has('b') {
            (kb * 1024).to_string()
        } else if o.has('m') {
            (kb / 1024).to_string()
        } else if o.has('g') {
            (kb / 1024 / 1024).to_string()
        } else {
            kb.to_string()
        }
    };
    let mut s = format!(
        "{:7}{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "", "total", "used", "free", "shared", "buff/cache", "available"
    );
    s.push_str(&format!(
        "{:7}{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "Mem:",
        fmt(total),
        fmt(used),
        fmt(free),
        fmt(shared),
        fmt(cache),
        fmt(avail)
    ));
    s.push_str(&format!("{:7}{:>12}{:>12}{:>12}\n", "Swap:", fmt(st), fmt(st - sf.min(st)), fmt(sf)));
    print!("{s}");
    0
}

pub fn ps(args: &[String]) -> i32 {
    // BSD-style words (`ps aux`) are accepted and ignored, as BusyBox does; the output is
    // always BusyBox's.
    let dashed: Vec<String> = args[1..].iter().filter(|a| a.starts_with('-')).cloned().collect();
    if let Err(e) = opts::parse(&dashed, "AaefdlTw") {
        return super::usage_error("ps", &e);
    }
    let pids = match procfs::pids() {
        Ok(p) => p,
        Err(e) => {
            err("ps", errstr(&e));
            return 1;
        }
    };
    let mut s = String::from("PID   USER     TIME  COMMAND\n");
    for pid in pids {
        let Ok(p) = procfs::process(pid) else {
            continue;
        };
        let user = p.uid.map(|u| procfs::user_name(u).unwrap_or_else(|| u.to_string())).unwrap_or_else(|| "?".into());
        let secs = p.ticks / 100;
        let time = format!("{}:{:02}", secs / 60, secs % 60);
        let cmd = if p.cmdline.is_empty() { format!("[{}]", p.comm) } else { p.cmdline.join(" ") };
        let _ = p.state;
        let _ = p.ppid;
        let _ = p.vsize;
        s.push_str(&format!("{:5} {:<8.8} {:>5} {cmd}\n", p.pid, user, time));
    }
    print!("{s}");
    0
}

pub fn df(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "hkmTaP") {
        Ok(o) => o,
        Err(e) => return super::usage_error("df", &e),
    };
    let mounts = match procfs::mounts() {
        Ok(m) => m,
        Err(e) => {
            err("df", errstr(&e));
            return 1;
        }
    };
    let human = o.has('h');
    let mut s = if human {
        format!("{:<20} {:>9} {:>9} {:>9} {:>4} Mounted on\n", "Filesystem", "Size", "Used", "Available", "Use%")
    } else {
        format!(
            "{:<20} {:>9} {:>9} {:>9} {:>4} Mounted on\n",
            "Filesystem",
            if o.has('m') { "1M-blocks" } else { "1K-blocks" },
            "Used",
            "Available",
            "Use%"
        )
    };
    for m in mounts {
        if !o.operands.is_empty()
            && !o
                .operands
                .iter()
                .any(|p| sys::absolute(std::path::Path::new(p)).map(|a| a.starts_with(&m.target)).unwrap_or(false))
        {
            continue;
        }
        if m.blocks == 0 && !o.has('a') {
            continue;
        }
        let bs = m.block_size;
        let total = m.blocks * bs;
        let used = (m.blocks - m.free.min(m.blocks)) * bs;
        let avail = m.avail * bs;
        let pct = if used + avail == 0 { 0 } else { (used * 100).div_ceil(used + avail) };
        let f = |b: u64| {
            if human {
                util::human(b)
            } else if o.has('m') {
                (b / (1 << 20)).to_string()
            } else {
                (b / 1024).to_string()
            }
        };
        let _ = m.fstype;
        s.push_str(&format!(
            "{:<20} {:>9} {:>9} {:>9} {:>3}% {}\n",
            m.source,
            f(total),
            f(used),
            f(avail),
            pct,
            m.target
        ));
    }
    print!("{s}");
    0
}
