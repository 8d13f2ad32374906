//! `ls [-1aAdFhilnrRStl] [FILE]...`: lists directory contents like BusyBox (`-l` columns:
//! mode, links, owner, group, size, date, name). Names are in columns on a terminal, one per
//! line otherwise. Mode and ownership come from `sys::mode_info`.

use std::fs::Metadata;
use std::path::Path;

use crate::sys::{self, procfs};
use crate::util::{self, err, errstr, opts::Opts};

struct Entry {
    name: String,
    path: String,
    meta: Option<Metadata>,
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u32,
    ino: u64,
}

fn entry(name: String, path: String, follow: bool) -> Result<Entry, std::io::Error> {
    let meta = if follow {
        std::fs::metadata(&path).or_else(|_| std::fs::symlink_metadata(&path))
    } else {
        std::fs::symlink_metadata(&path)
    }?;
    let info = sys::mode_info(Path::new(&path), follow && !meta.file_type().is_symlink()).ok();
    let mode = info.map(|i| i.mode).unwrap_or_else(|| fallback_mode(&meta));
    Ok(Entry {
        name,
        path,
        meta: Some(meta),
        mode,
        uid: info.map_or(0, |i| i.uid),
        gid: info.map_or(0, |i| i.gid),
        nlink: info.map_or(1, |i| i.nlink),
        ino: info.map_or(0, |i| i.ino),
    })
}

/// Type bits alone when the permission bits are unknown.
fn fallback_mode(m: &Metadata) -> u32 {
    let t = m.file_type();
    if t.is_dir() {
        0o040000
    } else if t.is_symlink() {
        0o120000
    } else {
        0o100000
    }
}

pub fn mode_string(mode: u32) -> String {
    let t = match mode & 0o170000 {
        0o040000 => 'd',
        0o120000 => 'l',
        0o020000 => 'c',
        0o060000 => 'b',
        0o010000 => 'p',
        0o140000 => 's',
        _ => '-',
    };
    let mut s = String::from(t);
    let bits = [
        (0o400, 'r'),
        (0o200, 'w'),
        (0o100, 'x'),
        (0o040, 'r'),
        (0o020, 'w'),
        (0o010, 'x'),
        (0o004, 'r'),
        (0o002, 'w'),
        (0o001, 'x'),
    ];
    for (i, (b, c)) in bits.iter().enumerate() {
        let set = mode & b != 0;
        let special = match i {
            2 => mode & 0o4000 != 0,
            5 => mode & 0o2000 != 0,
            8 => mode & 0o1000 != 0,
            _ => false,
        };
        s.push(match (special, set, i) {
            (true, true, 8) => 't',
            (true, false, 8) => 'T',
            (true, true, _) => 's',
            (true, false, _) => 'S',
            (false, true, _) => *c,
            _ => '-',
        });
    }
    s
}

/// `Jan  1 12:34` for the last six months, `Jan  1  2020` otherwise.
pub fn ls_time(t: i64) -> String {
    let tm = util::gmtime(t);
    let recent = (util::now() - t).abs() < 15_778_476;
    let mon = util::MONTHS[(tm.mon - 1) as usize];
    if recent {
        format!("{mon} {:2} {:02}:{:02}", tm.mday, tm.hour, tm.min)
    } else {
        format!("{mon} {:2}  {}", tm.mday, tm.year)
    }
}

fn blocks_1k(m: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        m.blocks() / 2
    }
    #[cfg(not(unix))]
    {
        m.len().div_ceil(4096) * 4
    }
}

struct Ls {
    o: Opts,
    out: Vec<u8>,
    width: usize,
    columns: bool,
    status: i32,
}

impl Ls {
    fn suffix(&self, e: &Entry) -> &'static str {
        if !self.o.has('F') && !self.o.has('p') {
            return "";
        }
        match e.mode & 0o170000 {
            0o040000 => "/",
            0o120000 if self.o.has('F') => "@",
            0o010000 if self.o.has('F') => "|",
            0o140000 if self.o.has('F') => "=",
            _ if self.o.has('F') && e.mode & 0o111 != 0 => "*",
            _ => "",
        }
    }

    fn long_line(&self, e: &Entry) -> String {
        let m = e.meta.as_ref();
        let user = if self.o.has('n') {
            e.uid.to_string()
        } else {
            procfs::user_name(e.uid).unwrap_or_else(|| e.uid.to_string())
        };
        let group = if self.o.has('n') {
            e.gid.to_string()
        } else {
            procfs::group_name(e.gid).unwrap_or_else(|| e.gid.to_string())
        };
        let size = m.map_or(0, Metadata::len);
        let size = if self.o.has('h') { util::human(size) } else { size.to_string() };
        let mut s = String::new();
        if self.o.has('i') {
            s.push_str(&format!("{:8} ", e.ino));
        }
        s.push_str(&format!(
            "{} {:4} {:<8} {:<8} {:>9} {} {}{}",
            mode_string(e.mode),
            e.nlink,
            user,
            group,
            size,
            ls_time(m.map_or(0, util::mtime)),
            e.name,
            self.suffix(e)
        ));
        if e.mode & 0o170000 == 0o120000 {
            if let Ok(t) = std::fs::read_link(&e.path) {
                s.push_str(&format!(" -> {}", t.to_string_lossy()));
            }
        }
        s
    }

    fn print(&mut self, entries: &[Entry]) {
        if self.o.has('l') || self.o.has('n') {
            for e in entries {
                let l = self.long_line(e);
                self.out.extend_from_slice(l.as_bytes());
                self.out.push(b'\n');
            }
            return;
        }
        let names: Vec<String> = entries
            .iter()
            .map(|e| {
                let ino = if self.o.has('i') { format!("{:8} ", e.ino) } else { String::new() };
                format!("{ino}{}{}", e.name, self.suffix(e))
            })
            .collect();
        if !self.columns || names.is_empty() {
            for n in names {
                self.out.extend_from_slice(n.as_bytes());
                self.out.push(b'\n');
            }
            return;
        }
        let maxw = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 2;
        let cols = (self.width / maxw).max(1);
        let rows = names.len().div_ceil(cols);
        for r in 0..rows {
            let mut line = String::new();
            for c in 0..cols {
                let Some(n) = names.get(c * rows + r) else {
                    break;
                };
                let last = c + 1 == cols || (c + 1) * rows + r >= names.len();
                if last {
                    line.push_str(n);
                } else {
                    line.push_str(&format!("{n:<maxw$}"));
                }
            }
            self.out.extend_from_slice(line.trim_end().as_bytes());
            self.out.push(b'\n');
        }
    }

    fn sort(&self, v: &mut [Entry]) {
        v.sort_by(|a, b| a.name.cmp(&b.name));
        if self.o.has('t') {
            v.sort_by_key(|e| std::cmp::Reverse(e.meta.as_ref().map_or(0, util::mtime)));
        } else if self.o.has('S') {
            v.sort_by_key(|e| std::cmp::Reverse(e.meta.as_ref().map_or(0, Metadata::len)));
        }
        if self.o.has('r') {
            v.reverse();
        }
    }

    fn list_dir(&mut self, path: &str, header: bool) {
        let rd = match std::fs::read_dir(path) {
            Ok(rd) => rd,
            Err(e) => {
                err("ls", format_args!("can't open '{path}': {}", errstr(&e)));
                self.status = 1;
                return;
            }
        };
        let mut entries = Vec::new();
        let all = self.o.has('a');
        if all {
            for d in [".", ".."] {
                if let Ok(e) = entry(d.to_string(), format!("{path}/{d}"), false) {
                    entries.push(e);
                }
            }
        }
        for d in rd.flatten() {
            let name = d.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && !all && !self.o.has('A') {
                continue;
            }
            let p = format!("{}/{name}", path.trim_end_matches('/'));
            match entry(name, p, false) {
                Ok(e) => entries.push(e),
                Err(e) => {
                    err("ls", errstr(&e));
                    self.status = 1;
                }
            }
        }
        self.sort(&mut entries);
        if header {
            self.out.extend_from_slice(format!("{path}:\n").as_bytes());
        }
        if self.o.has('l') || self.o.has('n') {
            let total: u64 = entries.iter().map(|e| e.meta.as_ref().map_or(0, blocks_1k)).sum();
            self.out.extend_from_slice(format!("total {total}\n").as_bytes());
        }
        self.print(&entries);
        if self.o.has('R') {
            for e in &entries {
                if e.mode & 0o170000 == 0o040000 && e.name != "." && e.name != ".." {
                    self.out.push(b'\n');
                    let p = e.path.clone();
                    self.list_dir(&p, true);
                }
            }
        }
    }
}

pub fn main(args: &[String]) -> i32 {
    let o = match crate::util::opts::parse(&args[1..], "1aAdFhilnprRStLHCx") {
        Ok(o) => o,
        Err(e) => return super::usage_error("ls", &e),
    };
    let tty = sys::isatty(1);
    let columns = (tty || o.has('C') || o.has('x')) && !o.has('1');
    let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).or_else(sys::terminal_width).unwrap_or(80);
    let mut ls = Ls { o, out: Vec::new(), width, columns, status: 0 };
    let operands = if ls.o.operands.is_empty() { vec![".".to_string()] } else { ls.o.operands.clone() };
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let follow = !(ls.o.has('l') || ls.o.has('n') || ls.o.has('d') || ls.o.has('F')) || ls.o.has('L') || ls.o.has('H');
    for p in &operands {
        let is_dir_link = std::fs::metadata(p).map(|m| m.is_dir()).unwrap_or(false) && !ls.o.has('d');
        match entry(p.clone(), p.clone(), follow || is_dir_link) {
            Ok(e) => {
                if e.mode & 0o170000 == 0o040000 && !ls.o.has('d') {
                    dirs.push(e);
                } else {
                    files.push(e);
                }
            }
            Err(e) => {
                err("ls", format_args!("{p}: {}", errstr(&e)));
                ls.status = 2;
            }
        }
    }
    ls.sort(&mut files);
    ls.sort(&mut dirs);
    ls.print(&files);
    let header = operands.len() > 1 || ls.o.has('R');
    for (i, d) in dirs.iter().enumerate() {
        if i > 0 || !files.is_empty() {
            ls.out.push(b'\n');
        }
        ls.list_dir(&d.path, header);
    }
    let mut out = util::stdout();
    let _ = std::io::Write::write_all(&mut out, &ls.out);
    util::finish(&mut out, "ls", ls.status)
}
