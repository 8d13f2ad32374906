//! Small file applets: `mkdir`, `rmdir`, `rm`, `touch`, `ln`, `chmod`, `basename`, `dirname`,
//! `pwd`.

use std::path::Path;

use crate::sys;
use crate::util::{self, err, errstr, opts};

pub fn mkdir(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "pvm:") {
        Ok(o) => o,
        Err(e) => return super::usage_error("mkdir", &e),
    };
    if o.operands.is_empty() {
        super::usage("mkdir");
        return 1;
    }
    let mode = o.value('m').map(|m| u32::from_str_radix(m, 8));
    let mut status = 0;
    for d in &o.operands {
        let r = if o.has('p') { std::fs::create_dir_all(d) } else { std::fs::create_dir(d) };
        match r {
            Ok(()) => {
                if let Some(Ok(m)) = mode {
                    let _ = sys::chmod(Path::new(d), m);
                }
                if o.has('v') {
                    println!("created directory: '{d}'");
                }
            }
            Err(e) => {
                err("mkdir", format_args!("can't create directory '{d}': {}", errstr(&e)));
                status = 1;
            }
        }
    }
    status
}

pub fn rmdir(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "p") {
        Ok(o) => o,
        Err(e) => return super::usage_error("rmdir", &e),
    };
    if o.operands.is_empty() {
        super::usage("rmdir");
        return 1;
    }
    let mut status = 0;
    for d in &o.operands {
        let mut path = d.trim_end_matches('/').to_string();
        loop {
            if let Err(e) = std::fs::remove_dir(&path) {
                err("rmdir", format_args!("'{path}': {}", errstr(&e)));
                status = 1;
                break;
            }
            if !o.has('p') {
                break;
            }
            match path.rfind('/') {
                Some(i) if i > 0 => path.truncate(i),
                _ => break,
            }
        }
    }
    status
}

fn remove(path: &str, recursive: bool, force: bool, verbose: bool) -> i32 {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => {
            if force && e.kind() == std::io::ErrorKind::NotFound {
                return 0;
            }
            err("rm", format_args!("can't remove '{path}': {}", errstr(&e)));
            return 1;
        }
    };
    if meta.is_dir() {
        if !recursive {
            err("rm", format_args!("'{path}' is a directory"));
            return 1;
        }
        let mut status = 0;
        match std::fs::read_dir(path) {
            Ok(rd) => {
                let mut names: Vec<String> =
                    rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
                names.sort();
                for n in names {
                    status |= remove(&format!("{}/{n}", path.trim_end_matches('/')), true, force, verbose);
                }
            }
            Err(e) => {
                err("rm", format_args!("can't remove '{path}': {}", errstr(&e)));
                return 1;
            }
        }
        if let Err(e) = std::fs::remove_dir(path) {
            err("rm", format_args!("can't remove '{path}': {}", errstr(&e)));
            return 1;
        }
        if verbose {
            println!("removed directory: '{path}'");
        }
        return status;
    }
    match std::fs::remove_file(path) {
        Ok(()) => {
            if verbose {
                println!("removed '{path}'");
            }
            0
        }
        Err(e) => {
            err("rm", format_args!("can't remove '{path}': {}", errstr(&e)));
            1
        }
    }
}

pub fn rm(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "rRfiv") {
        Ok(o) => o,
        Err(e) => return super::usage_error("rm", &e),
    };
    if o.operands.is_empty() {
        if o.has('f') {
            return 0;
        }
        super::usage("rm");
        return 1;
    }
    let rec = o.has('r') || o.has('R');
    let mut status = 0;
    for p in &o.operands {
        let base = util::basename(p);
        if base == "." || base == ".." {
            err("rm", format_args!("can't remove '.' or '..'"));
            status = 1;
            continue;
        }
        status |= remove(p, rec, o.has('f'), o.has('v'));
    }
    status
}

pub fn touch(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "cd:t:r:am") {
        Ok(o) => o,
        Err(e) => return super::usage_error("touch", &e),
    };
    if o.operands.is_empty() {
        super::usage("touch");
        return 1;
    }
    let time = match o.value('r') {
        Some(r) => match std::fs::metadata(r).and_then(|m| m.modified()) {
            Ok(t) => t,
            Err(e) => {
                err("touch", format_args!("{r}: {}", errstr(&e)));
                return 1;
            }
        },
        None => std::time::SystemTime::now(),
    };
    let mut status = 0;
    for f in &o.operands {
        let file = if o.has('c') {
            match std::fs::OpenOptions::new().append(true).open(f) {
                Ok(file) => file,
                Err(_) => continue,
            }
        } else {
            match std::fs::OpenOptions::new().append(true).create(true).open(f) {
                Ok(file) => file,
                Err(e) => {
                    // A directory cannot be opened for writing: set its time through read access.
                    match std::fs::File::open(f) {
                        Ok(file) => file,
                        Err(_) => {
                            err("touch", format_args!("{f}: {}", errstr(&e)));
                            status = 1;
                            continue;
                        }
                    }
                }
            }
        };
        let _ = file.set_modified(time);
    }
    status
}

pub fn ln(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "sfnvT") {
        Ok(o) => o,
        Err(e) => return super::usage_error("ln", &e),
    };
    let ops = &o.operands;
    if ops.is_empty() {
        super::usage("ln");
        return 1;
    }
    let (targets, dest): (Vec<&String>, String) = if ops.len() == 1 {
        (vec![&ops[0]], util::basename(&ops[0]).to_string())
    } else {
        (ops[..ops.len() - 1].iter().collect(), ops[ops.len() - 1].clone())
    };
    let dest_is_dir = !o.has('n') && std::fs::metadata(&dest).map(|m| m.is_dir()).unwrap_or(false);
    if targets.len() > 1 && !dest_is_dir {
        err("ln", format_args!("{dest}: not a directory"));
        return 1;
    }
    let mut status = 0;
    for t in targets {
        let link =
            if dest_is_dir { format!("{}/{}", dest.trim_end_matches('/'), util::basename(t)) } else { dest.clone() };
        if o.has('f') && std::fs::symlink_metadata(&link).is_ok() {
            let _ = std::fs::remove_file(&link);
        }
        let r = if o.has('s') { sys::symlink(Path::new(t), Path::new(&link)) } else { std::fs::hard_link(t, &link) };
        if let Err(e) = r {
            err("ln", format_args!("{link}: {}", errstr(&e)));
            status = 1;
        } else if o.has('v') {
            println!("'{link}' -> '{t}'");
        }
    }
    status
}

/// Applies a symbolic (`u+x,go-w`, `a=r`) or octal mode to `old`.
pub fn parse_mode(spec: &str, old: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok();
    }
    let mut mode = old & 0o7777;
    for clause in spec.split(',') {
        let mut chars = clause.chars().peekable();
        let mut who = 0u32;
        while let Some(&c) = chars.peek() {
            match c {
                'u' => who |= 0o4700,
                'g' => who |= 0o2070,
                'o' => who |= 0o1007,
                'a' => who |= 0o7777,
                _ => break,
            }
            chars.next();
        }
        let all = who == 0;
        if all {
            who = 0o7777 & !0o022;
        }
        let mut any_op = false;
        while let Some(op) = chars.next() {
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            any_op = true;
            let mut bits = 0u32;
            while let Some(&c) = chars.peek() {
                match c {
                    'r' => bits |= 0o444,
                    'w' => bits |= 0o222,
                    'x' => bits |= 0o111,
                    'X' => {
                        if is_dir || old & 0o111 != 0 {
                            bits |= 0o111;
                        }
                    }
                    's' => bits |= 0o6000,
                    't' => bits |= 0o1000,
                    '+' | '-' | '=' => break,
                    _ => return None,
                }
                chars.next();
            }
            let who_mask = if all && op == '=' { 0o7777 } else { who };
            match op {
                '+' => mode |= bits & who,
                '-' => mode &= !(bits & who),
                _ => mode = (mode & !who_mask) | (bits & who),
            }
        }
        if !any_op {
            return None;
        }
    }
    Some(mode)
}

fn chmod_one(path: &str, spec: &str, recursive: bool) -> i32 {
    let info = match sys::mode_info(Path::new(path), true) {
        Ok(i) => i,
        Err(e) => {
            err("chmod", format_args!("{path}: {}", errstr(&e)));
            return 1;
        }
    };
    let is_dir = info.mode & 0o170000 == 0o040000;
    let Some(mode) = parse_mode(spec, info.mode, is_dir) else {
        err("chmod", format_args!("invalid mode '{spec}'"));
        return 1;
    };
    let mut status = 0;
    if let Err(e) = sys::chmod(Path::new(path), mode) {
        err("chmod", format_args!("{path}: {}", errstr(&e)));
        status = 1;
    }
    if recursive && is_dir {
        if let Ok(rd) = std::fs::read_dir(path) {
            for e in rd.flatten() {
                let child = format!("{}/{}", path.trim_end_matches('/'), e.file_name().to_string_lossy());
                if std::fs::symlink_metadata(&child).map(|m| !m.file_type().is_symlink()).unwrap_or(false) {
                    status |= chmod_one(&child, spec, true);
                }
            }
        }
    }
    status
}

pub fn chmod(args: &[String]) -> i32 {
    // Modes like `-x` look like options: only `-R` (and friends) are options here.
    let mut recursive = false;
    let mut rest = Vec::new();
    for a in &args[1..] {
        match a.as_str() {
            "-R" => recursive = true,
            "-v" | "-c" | "-f" => {}
            _ => rest.push(a.clone()),
        }
    }
    if rest.len() < 2 {
        super::usage("chmod");
        return 1;
    }
    let spec = rest.remove(0);
    let mut status = 0;
    for p in &rest {
        status |= chmod_one(p, &spec, recursive);
    }
    status
}

pub fn basename(args: &[String]) -> i32 {
    let Some(path) = args.get(1) else {
        super::usage("basename");
        return 1;
    };
    let mut b = util::basename(path).to_string();
    if let Some(suffix) = args.get(2) {
        if b != *suffix {
            if let Some(s) = b.strip_suffix(suffix.as_str()) {
                b = s.to_string();
            }
        }
    }
    println!("{b}");
    0
}

pub fn dirname(args: &[String]) -> i32 {
    let Some(path) = args.get(1) else {
        super::usage("dirname");
        return 1;
    };
    let t = path.trim_end_matches('/');
    let d = if t.is_empty() {
        if path.starts_with('/') { "/" } else { "." }.to_string()
    } else {
        match t.rfind('/') {
            None => ".".to_string(),
            Some(i) => {
                let d = t[..i].trim_end_matches('/');
                if d.is_empty() {
                    "/".to_string()
                } else {
                    d.to_string()
                }
            }
        }
    };
    println!("{d}");
    0
}

pub fn pwd(_: &[String]) -> i32 {
    let logical = std::env::var("PWD").ok().filter(|p| p.starts_with('/'));
    let cwd = sys::getcwd().map(|p| p.to_string_lossy().into_owned());
    match (logical, cwd) {
        (Some(l), Ok(c)) if std::fs::canonicalize(&l).ok() == std::fs::canonicalize(&c).ok() => {
            println!("{l}")
        }
        (_, Ok(c)) => println!("{c}"),
        (_, Err(e)) => {
            err("pwd", errstr(&e));
            return 1;
        }
    }
    0
}
