//! `head [-n N] [-c N] [FILE]...` and `tail [-n [+]N] [-c N] [-f] [FILE]...`. The old forms
//! `head -5` and `tail -5`/`tail +5` are accepted too.

use std::collections::VecDeque;
use std::io::{BufRead, Read, Write};

use crate::sys;
use crate::util::{self, err, errstr, opts};

/// Rewrites `-5` into `-n 5` (and `+5` for tail).
fn legacy(args: &[String], tail: bool) -> Vec<String> {
    let mut v = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let num = a.strip_prefix('-').filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if let (Some(n), true) = (num, i == 0) {
            v.push("-n".to_string());
            v.push(n.to_string());
        } else if tail && i == 0 && a.starts_with('+') && a[1..].chars().all(|c| c.is_ascii_digit()) && a.len() > 1 {
            v.push("-n".to_string());
            v.push(a.clone());
        } else {
            v.push(a.clone());
        }
    }
    v
}

fn count(name: &str, s: &str) -> Result<(bool, u64), i32> {
    let (plus, digits) = match s.strip_prefix('+') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('-').unwrap_or(s)),
    };
    let (digits, mult) = match digits.chars().last() {
        Some('k') => (&digits[..digits.len() - 1], 1024),
        Some('m') => (&digits[..digits.len() - 1], 1024 * 1024),
        Some('b') => (&digits[..digits.len() - 1], 512),
        _ => (digits, 1),
    };
    match digits.parse::<u64>() {
        Ok(n) => Ok((plus, n * mult)),
        Err(_) => {
            err(name, format_args!("invalid number '{s}'"));
            Err(1)
        }
    }
}

fn header(out: &mut dyn Write, f: &str, first: bool) {
    let name = if f == "-" { "standard input" } else { f };
    let _ = writeln!(out, "{}==> {name} <==", if first { "" } else { "\n" });
}

pub fn head(args: &[String]) -> i32 {
    let o = match opts::parse(&legacy(&args[1..], false), "n:c:qv") {
        Ok(o) => o,
        Err(e) => return super::usage_error("head", &e),
    };
    let lines = match o.value('n').map(|n| count("head", n)) {
        Some(Ok((_, n))) => n,
        Some(Err(s)) => return s,
        None => 10,
    };
    let bytes = match o.value('c').map(|n| count("head", n)) {
        Some(Ok((_, n))) => Some(n),
        Some(Err(s)) => return s,
        None => None,
    };
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    let mut out = util::stdout();
    let mut status = 0;
    let show = (files.len() > 1 && !o.has('q')) || o.has('v');
    for (i, f) in files.iter().enumerate() {
        let mut r = match util::open_input(f) {
            Ok(r) => r,
            Err(e) => {
                err("head", format_args!("can't open '{f}': {}", errstr(&e)));
                status = 1;
                continue;
            }
        };
        if show {
            header(&mut out, f, i == 0);
        }
        if let Some(n) = bytes {
            let mut buf = Vec::new();
            let _ = r.take(n).read_to_end(&mut buf);
            let _ = out.write_all(&buf);
            continue;
        }
        let mut line = Vec::new();
        for _ in 0..lines {
            match util::read_line(&mut r, &mut line) {
                Ok(true) => {
                    if out.write_all(&line).is_err() {
                        return 141;
                    }
                }
                _ => break,
            }
        }
    }
    util::finish(&mut out, "head", status)
}

pub fn tail(args: &[String]) -> i32 {
    let o = match opts::parse(&legacy(&args[1..], true), "n:c:fFqvs:") {
        Ok(o) => o,
        Err(e) => return super::usage_error("tail", &e),
    };
    let (from_start, lines) = match o.value('n').map(|n| count("tail", n)) {
        Some(Ok(v)) => v,
        Some(Err(s)) => return s,
        None => (false, 10),
    };
    let bytes = match o.value('c').map(|n| count("tail", n)) {
        Some(Ok(v)) => Some(v),
        Some(Err(s)) => return s,
        None => None,
    };
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    let mut out = util::stdout();
    let mut status = 0;
    let show = (files.len() > 1 && !o.has('q')) || o.has('v');
    for (i, f) in files.iter().enumerate() {
        let mut r = match util::open_input(f) {
            Ok(r) => r,
            Err(e) => {
                err("tail", format_args!("can't open '{f}': {}", errstr(&e)));
                status = 1;
                continue;
            }
        };
        if show {
            header(&mut out, f, i == 0);
        }
        if let Some((plus, n)) = bytes {
            let data = util::read_all(&mut r).unwrap_or_default();
            let start = if plus {
                (n.saturating_sub(1) as usize).min(data.len())
            } else {
                data.len().saturating_sub(n as usize)
            };
            let _ = out.write_all(&data[start..]);
            continue;
        }
        let mut line = Vec::new();
        if from_start {
            let mut k = 1;
            while let Ok(true) = util::read_line(&mut r, &mut line) {
                if k >= lines && out.write_all(&line).is_err() {
                    return 141;
                }
                k += 1;
            }
        } else {
            let mut ring: VecDeque<Vec<u8>> = VecDeque::new();
            while let Ok(true) = util::read_line(&mut r, &mut line) {
                if lines == 0 {
                    continue;
                }
                if ring.len() as u64 == lines {
                    ring.pop_front();
                }
                ring.push_back(std::mem::take(&mut line));
            }
            for l in ring {
                let _ = out.write_all(&l);
            }
        }
        if (o.has('f') || o.has('F')) && f != "-" && files.len() == 1 {
            let _ = out.flush();
            follow(&mut r, &mut out);
        }
    }
    util::finish(&mut out, "tail", status)
}

/// `tail -f`: keeps printing what is appended, polling once a second.
fn follow(r: &mut Box<dyn BufRead>, out: &mut dyn Write) {
    let mut buf = vec![0u8; 8192];
    loop {
        match r.read(&mut buf) {
            Ok(0) => sys::sleep(std::time::Duration::from_secs(1)),
            Ok(n) => {
                if out.write_all(&buf[..n]).and_then(|()| out.flush()).is_err() {
                    return;
                }
            }
            Err(_) => return,
        }
    }
}
