//! `cp [-rRapfniv] SRC... DEST` and `mv [-fniv] SRC... DEST`.

use std::path::Path;

use crate::sys;
use crate::util::{self, err, errstr, opts};

fn dest_for(src: &str, dest: &str, into_dir: bool) -> String {
    if into_dir {
        format!("{}/{}", dest.trim_end_matches('/'), util::basename(src))
    } else {
        dest.to_string()
    }
}

fn copy(src: &str, dst: &str, o: &opts::Opts) -> i32 {
    let recursive = o.has('r') || o.has('R') || o.has('a');
    let follow = !(o.has('a') || o.has('P') || o.has('d')) || o.has('L');
    let meta = if follow { std::fs::metadata(src) } else { std::fs::symlink_metadata(src) };
    let meta = match meta {
        Ok(m) => m,
        Err(e) => {
            err("cp", format_args!("can't stat '{src}': {}", errstr(&e)));
            return 1;
        }
    };
    if meta.file_type().is_symlink() {
        let target = match std::fs::read_link(src) {
            Ok(t) => t,
            Err(e) => {
                err("cp", format_args!("{src}: {}", errstr(&e)));
                return 1;
            }
        };
        let _ = std::fs::remove_file(dst);
        if let Err(e) = sys::symlink(&target, Path::new(dst)) {
            err("cp", format_args!("can't create symlink '{dst}': {}", errstr(&e)));
            return 1;
        }
        return 0;
    }
    if meta.is_dir() {
        if !recursive {
            err("cp", format_args!("omitting directory '{src}'"));
            return 1;
        }
        if let Err(e) = std::fs::create_dir(dst) {
            if !std::fs::metadata(dst).map(|m| m.is_dir()).unwrap_or(false) {
                err("cp", format_args!("can't create directory '{dst}': {}", errstr(&e)));
                return 1;
            }
        }
        let mut status = 0;
        match std::fs::read_dir(src) {
            Ok(rd) => {
                for e in rd.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    status |= copy(
                        &format!("{}/{name}", src.trim_end_matches('/')),
                        &format!("{}/{name}", dst.trim_end_matches('/')),
                        o,
                    );
                }
            }
            Err(e) => {
                err("cp", format_args!("can't open '{src}': {}", errstr(&e)));
                status = 1;
            }
        }
        if let Ok(info) = sys::mode_info(Path::new(src), true) {
            let _ = sys::chmod(Path::new(dst), info.mode);
        }
        return status;
    }
    if o.has('n') && std::fs::symlink_metadata(dst).is_ok() {
        return 0;
    }
    if o.has('f') {
        if let Ok(m) = std::fs::symlink_metadata(dst) {
            if !m.is_dir() {
                let _ = std::fs::remove_file(dst);
            }
        }
    }
    if let Err(e) = std::fs::copy(src, dst) {
        err("cp", format_args!("can't create '{dst}': {}", errstr(&e)));
        return 1;
    }
    if let Ok(info) = sys::mode_info(Path::new(src), true) {
        let _ = sys::chmod(Path::new(dst), info.mode);
    }
    if o.has('p') || o.has('a') {
        if let (Ok(t), Ok(f)) = (meta.modified(), std::fs::File::options().append(true).open(dst)) {
            let _ = f.set_modified(t);
        }
    }
    if o.has('v') {
        println!("'{src}' -> '{dst}'");
    }
    0
}

fn targets(name: &str, o: &opts::Opts) -> Option<(Vec<String>, String, bool)> {
    if o.operands.len() < 2 {
        super::usage(name);
        return None;
    }
    let mut srcs = o.operands.clone();
    let dest = srcs.pop().unwrap_or_default();
    let into_dir = !o.has('T') && std::fs::metadata(&dest).map(|m| m.is_dir()).unwrap_or(false);
    if srcs.len() > 1 && !into_dir {
        err(name, format_args!("'{dest}' is not a directory"));
        return None;
    }
    Some((srcs, dest, into_dir))
}

pub fn cp(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "rRapfnivdPLHT") {
        Ok(o) => o,
        Err(e) => return super::usage_error("cp", &e),
    };
    let Some((srcs, dest, into_dir)) = targets("cp", &o) else {
        return 1;
    };
    let mut status = 0;
    for s in &srcs {
        let d = dest_for(s, &dest, into_dir);
        if sys::absolute(Path::new(s)).ok() == sys::absolute(Path::new(&d)).ok() {
            err("cp", format_args!("'{s}' and '{d}' are the same file"));
            status = 1;
            continue;
        }
        status |= copy(s, &d, &o);
    }
    status
}

pub fn mv(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "fnivT") {
        Ok(o) => o,
        Err(e) => return super::usage_error("mv", &e),
    };
    let Some((srcs, dest, into_dir)) = targets("mv", &o) else {
        return 1;
    };
    let mut status = 0;
    for s in &srcs {
        let d = dest_for(s, &dest, into_dir);
        if std::fs::symlink_metadata(s).is_err() {
            err("mv", format_args!("can't stat '{s}': No such file or directory"));
            status = 1;
            continue;
        }
        if o.has('n') && std::fs::symlink_metadata(&d).is_ok() {
            continue;
        }
        if std::fs::rename(s, &d).is_err() {
            // Across filesystems (volumes): copy, then remove.
            let copy_opts = opts::parse(&["-a".to_string()], "a").unwrap_or_default();
            if copy(s, &d, &copy_opts) != 0 {
                err("mv", format_args!("can't rename '{s}'"));
                status = 1;
                continue;
            }
            let r = if std::fs::symlink_metadata(s).map(|m| m.is_dir()).unwrap_or(false) {
                std::fs::remove_dir_all(s)
            } else {
                std::fs::remove_file(s)
            };
            if let Err(e) = r {
                err("mv", format_args!("can't remove '{s}': {}", errstr(&e)));
                status = 1;
            }
        }
        if o.has('v') {
            println!("'{s}' -> '{d}'");
        }
    }
    status
}
