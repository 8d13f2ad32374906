//! `kill [-s SIG | -SIG] PID...` and `kill -l`: sends signals through the engine (`proc_signal`).

use crate::sys;
use crate::util::{err, errstr};

/// Signal names (without `SIG`) and their numbers, as on Linux.
pub const SIGNALS: [(&str, i32); 31] = [
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ILL", 4),
    ("TRAP", 5),
    ("ABRT", 6),
    ("BUS", 7),
    ("FPE", 8),
    ("KILL", 9),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("STKFLT", 16),
    ("CHLD", 17),
    ("CONT", 18),
    ("STOP", 19),
    ("TSTP", 20),
    ("TTIN", 21),
    ("TTOU", 22),
    ("URG", 23),
    ("XCPU", 24),
    ("XFSZ", 25),
    ("VTALRM", 26),
    ("PROF", 27),
    ("WINCH", 28),
    ("POLL", 29),
    ("PWR", 30),
    ("SYS", 31),
];

/// A signal given as a name (`TERM`, `SIGTERM`) or number.
pub fn parse_signal(s: &str) -> Option<i32> {
    if let Ok(n) = s.parse::<i32>() {
        return (0..=64).contains(&n).then_some(n);
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    SIGNALS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

pub fn main(args: &[String]) -> i32 {
    let mut sig = 15;
    let mut i = 1;
    if let Some(a) = args.get(1) {
        if a == "-l" {
            let mut out = String::new();
            match args.get(2) {
                Some(n) => match n.parse::<i32>().ok().and_then(|n| SIGNALS.iter().find(|s| s.1 == n % 128)) {
                    Some((name, _)) => out.push_str(&format!("{name}\n")),
                    None => match parse_signal(n) {
                        Some(v) => out.push_str(&format!("{v}\n")),
                        None => {
                            err("kill", format_args!("unknown signal '{n}'"));
                            return 1;
                        }
                    },
                },
                None => {
                    for (name, n) in SIGNALS {
                        out.push_str(&format!("{n:2}) {name}\n"));
                    }
                }
            }
            print!("{out}");
            return 0;
        }
        if a == "-s" || a == "-n" {
            match args.get(2).and_then(|s| parse_signal(s)) {
                Some(s) => sig = s,
                None => {
                    err("kill", format_args!("bad signal name '{}'", args.get(2).map_or("", |s| s)));
                    return 1;
                }
            }
            i = 3;
        } else if let Some(s) = a.strip_prefix('-') {
            if s != "-" {
                match parse_signal(s) {
                    Some(v) => sig = v,
                    None => {
                        err("kill", format_args!("bad signal name '{s}'"));
                        return 1;
                    }
                }
            }
            i = 2;
        }
    }
    if args.len() <= i {
        crate::applets::usage("kill");
        return 1;
    }
    let mut status = 0;
    for p in &args[i..] {
        match p.parse::<u32>() {
            Ok(pid) => {
                if let Err(e) = sys::kill(pid, sig) {
                    err("kill", format_args!("can't kill pid {pid}: {}", errstr(&e)));
                    status = 1;
                }
            }
            Err(_) => {
                err("kill", format_args!("invalid number '{p}'"));
                status = 1;
            }
        }
    }
    status
}
