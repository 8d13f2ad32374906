//! Small utilities: `env`, `printenv`, `which`, `seq`, `yes`, `clear`, `stat`, `du`.

use std::io::Write;
use std::path::Path;

use super::ls::{ls_time, mode_string};
use crate::sys::{self, procfs};
use crate::util::{self, err, errstr, opts};

pub fn env(args: &[String]) -> i32 {
    let mut env: Vec<(String, String)> = std::env::vars().collect();
    let mut i = 1;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-i" | "-" => env.clear(),
            "-u" => {
                i += 1;
                if let Some(n) = args.get(i) {
                    env.retain(|(k, _)| k != n);
                }
            }
            "--" => {
                i += 1;
                break;
            }
            s if s.starts_with('-') && s.len() > 1 => {
                return super::usage_error("env", &format!("invalid option -- '{}'", &s[1..2]))
            }
            _ => break,
        }
        i += 1;
    }
    while let Some((k, v)) = args.get(i).and_then(|a| a.split_once('=')) {
        env.retain(|(x, _)| x != k);
        env.push((k.to_string(), v.to_string()));
        i += 1;
    }
    let list: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if i >= args.len() {
        let mut out = util::stdout();
        for kv in &list {
            let _ = writeln!(out, "{kv}");
        }
        return util::finish(&mut out, "env", 0);
    }
    util::process::run_with_env("env", &args[i..], &list)
}

pub fn printenv(args: &[String]) -> i32 {
    if args.len() < 2 {
        let mut out = util::stdout();
        for (k, v) in std::env::vars() {
            let _ = writeln!(out, "{k}={v}");
        }
        return util::finish(&mut out, "printenv", 0);
    }
    let mut status = 0;
    for n in &args[1..] {
        match std::env::var(n) {
            Ok(v) => println!("{v}"),
            Err(_) => status = 1,
        }
    }
    status
}

pub fn which(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "a") {
        Ok(o) => o,
        Err(e) => return super::usage_error("which", &e),
    };
    if o.operands.is_empty() {
        super::usage("which");
        return 1;
    }
    let path = std::env::var("PATH").unwrap_or_default();
    let mut status = 0;
    for name in &o.operands {
        if name.contains('/') {
            match util::process::find_in_path(name, "") {
                Some(p) => println!("{p}"),
                None => status = 1,
            }
            continue;
        }
        let mut found = false;
        for dir in path.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            if let Some(p) = util::process::find_in_path(&format!("{}/{name}", dir.trim_end_matches('/')), "") {
                println!("{p}");
                found = true;
                if !o.has('a') {
                    break;
                }
            }
        }
        if !found {
            status = 1;
        }
    }
    status
}

pub fn seq(args: &[String]) -> i32 {
    let mut sep = "\n".to_string();
    let mut width = false;
    let mut nums = Vec::new();
    let mut i = 1;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-s" => {
                sep = args.get(i).cloned().unwrap_or_default();
                i += 1;
            }
            "-w" => width = true,
            s if s.starts_with("-s") => sep = s[2..].to_string(),
            _ => nums.push(a.clone()),
        }
    }
    let parsed: Result<Vec<f64>, &String> = nums.iter().map(|n| n.parse::<f64>().map_err(|_| n)).collect();
    let v = match parsed {
        Ok(v) => v,
        Err(n) => {
            err("seq", format_args!("invalid number '{n}'"));
            return 1;
        }
    };
    let (first, step, last) = match v.as_slice() {
        [l] => (1.0, 1.0, *l),
        [f, l] => (*f, 1.0, *l),
        [f, s, l] => (*f, *s, *l),
        _ => {
            super::usage("seq");
            return 1;
        }
    };
    if step == 0.0 {
        err("seq", "invalid increment '0'");
        return 1;
    }
    let decimals = nums.iter().map(|n| n.split_once('.').map_or(0, |(_, d)| d.len())).max().unwrap_or(0);
    let fmt = |x: f64| format!("{x:.decimals$}");
    let w = if width { fmt(first).len().max(fmt(last).len()) } else { 0 };
    let mut out = util::stdout();
    let mut k = 0u64;
    let mut firstline = true;
    loop {
        let x = first + step * k as f64;
        if (step > 0.0 && x > last + 1e-9) || (step < 0.0 && x < last - 1e-9) {
            break;
        }
        let s = fmt(x);
        let s = if width && s.len() < w { format!("{}{s}", "0".repeat(w - s.len())) } else { s };
        if !firstline && out.write_all(sep.as_bytes()).is_err() {
            return 141;
        }
        firstline = false;
        if out.write_all(s.as_bytes()).is_err() {
            return 141;
        }
        k += 1;
    }
    if !firstline {
        let _ = out.write_all(b"\n");
    }
    util::finish(&mut out, "seq", 0)
}

pub fn yes(args: &[String]) -> i32 {
    let line = if args.len() > 1 { args[1..].join(" ") } else { "y".to_string() };
    let chunk = format!("{line}\n").repeat((4096 / (line.len() + 1)).max(1));
    let mut out = std::io::stdout().lock();
    loop {
        if out.write_all(chunk.as_bytes()).is_err() {
            return 141;
        }
    }
}

pub fn clear(_: &[String]) -> i32 {
    print!("\x1b[H\x1b[J");
    let _ = std::io::stdout().flush();
    0
}

fn file_type_name(mode: u32, size: u64) -> &'static str {
    match mode & 0o170000 {
        0o040000 => "directory",
        0o120000 => "symbolic link",
        0o020000 => "character special file",
        0o060000 => "block special file",
        0o010000 => "fifo",
        0o140000 => "socket",
        _ if size == 0 => "regular empty file",
        _ => "regular file",
    }
}

pub fn stat(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "c:Lft") {
        Ok(o) => o,
        Err(e) => return super::usage_error("stat", &e),
    };
    if o.operands.is_empty() {
        super::usage("stat");
        return 1;
    }
    let follow = o.has('L');
    let mut status = 0;
    let mut out = String::new();
    for f in &o.operands {
        let meta = if follow { std::fs::metadata(f) } else { std::fs::symlink_metadata(f) };
        let (meta, info) = match (meta, sys::mode_info(Path::new(f), follow)) {
            (Ok(m), Ok(i)) => (m, i),
            (Err(e), _) | (_, Err(e)) => {
                err("stat", format_args!("can't stat '{f}': {}", errstr(&e)));
                status = 1;
                continue;
            }
        };
        let user = procfs::user_name(info.uid).unwrap_or_else(|| "UNKNOWN".into());
        let group = procfs::group_name(info.gid).unwrap_or_else(|| "UNKNOWN".into());
        let mtime = util::mtime(&meta);
        let stamp = |t: i64| super::sysinfo::strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", t, 0);
        if let Some(fmt) = o.value('c') {
            let mut s = String::new();
            let mut it = fmt.chars();
            while let Some(c) = it.next() {
                if c != '%' {
                    s.push(c);
                    continue;
                }
                match it.next() {
                    Some('n') => s.push_str(f),
                    Some('s') => s.push_str(&meta.len().to_string()),
                    Some('a') => s.push_str(&format!("{:o}", info.mode & 0o7777)),
                    Some('A') => s.push_str(&mode_string(info.mode)),
                    Some('u') => s.push_str(&info.uid.to_string()),
                    Some('g') => s.push_str(&info.gid.to_string()),
                    Some('U') => s.push_str(&user),
                    Some('G') => s.push_str(&group),
                    Some('F') => s.push_str(file_type_name(info.mode, meta.len())),
                    Some('Y') => s.push_str(&mtime.to_string()),
                    Some('y') => s.push_str(&stamp(mtime)),
                    Some('f') => s.push_str(&format!("{:x}", info.mode)),
                    Some('%') => s.push('%'),
                    Some(other) => {
                        s.push('?');
                        let _ = other;
                    }
                    None => s.push('%'),
                }
            }
            out.push_str(&s);
            out.push('\n');
            continue;
        }
        let name = if info.mode & 0o170000 == 0o120000 {
            format!(
                "'{f}' -> '{}'",
                std::fs::read_link(f).map(|t| t.to_string_lossy().into_owned()).unwrap_or_default()
            )
        } else {
            format!("'{f}'")
        };
        out.push_str(&format!("  File: {name}\n"));
        out.push_str(&format!(
            "  Size: {:<10}\tBlocks: {:<10} IO Block: 4096   {}\n",
            meta.len(),
            meta.len().div_ceil(512),
            file_type_name(info.mode, meta.len())
        ));
        out.push_str(&format!(
            "Access: ({:04o}/{})  Uid: ({:5}/{:>8})   Gid: ({:5}/{:>8})\n",
            info.mode & 0o7777,
            mode_string(info.mode),
            info.uid,
            user,
            info.gid,
            group
        ));
        let atime = meta
            .accessed()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(mtime, |d| d.as_secs() as i64);
        out.push_str(&format!("Access: {}\nModify: {}\nChange: {}\n", stamp(atime), stamp(mtime), stamp(mtime)));
        let _ = ls_time;
    }
    print!("{out}");
    status
}

fn du_size(m: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        m.blocks() * 512
    }
    #[cfg(not(unix))]
    {
        m.len().div_ceil(4096) * 4096
    }
}

struct Du {
    all: bool,
    summary: bool,
    human: bool,
    mega: bool,
    depth: Option<usize>,
    out: String,
    status: i32,
}

impl Du {
    fn show(&mut self, bytes: u64, path: &str) {
        let v = if self.human {
            util::human(bytes)
        } else if self.mega {
            bytes.div_ceil(1 << 20).to_string()
        } else {
            bytes.div_ceil(1024).to_string()
        };
        self.out.push_str(&format!("{v}\t{path}\n"));
    }

    fn walk(&mut self, path: &str, depth: usize) -> u64 {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => {
                err("du", format_args!("{path}: {}", errstr(&e)));
                self.status = 1;
                return 0;
            }
        };
        let mut total = du_size(&meta);
        if meta.is_dir() {
            if let Ok(rd) = std::fs::read_dir(path) {
                let mut names: Vec<String> =
                    rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
                names.sort();
                for n in names {
                    total += self.walk(&format!("{}/{n}", path.trim_end_matches('/')), depth + 1);
                }
            }
        }
        let within = self.depth.is_none_or(|d| depth <= d);
        if depth == 0 || (!self.summary && within && (meta.is_dir() || self.all)) {
            self.show(total, path);
        }
        total
    }
}

pub fn du(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "ashkmcxLd:") {
        Ok(o) => o,
        Err(e) => return super::usage_error("du", &e),
    };
    let mut du = Du {
        all: o.has('a'),
        summary: o.has('s'),
        human: o.has('h'),
        mega: o.has('m'),
        depth: o.value('d').and_then(|d| d.parse().ok()),
        out: String::new(),
        status: 0,
    };
    let paths = if o.operands.is_empty() { vec![".".to_string()] } else { o.operands.clone() };
    let mut grand = 0;
    for p in &paths {
        grand += du.walk(p, 0);
    }
    if o.has('c') {
        du.show(grand, "total");
    }
    print!("{}", du.out);
    du.status
}
