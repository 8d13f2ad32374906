//! `grep [-EFiovwxnchlLqrRsH] [-e PAT]... [-f FILE] [PATTERN] [FILE]...` (also `egrep`,
//! `fgrep`): prints matching lines. Exit status 0 when something matched, 1 when not, 2 on error.

use std::io::Write;

use regex::Regex;

use crate::util::{self, err, errstr, opts::Opts};

struct Grep {
    o: Opts,
    res: Vec<Regex>,
    fixed: Vec<String>,
    prefix: bool,
    matched: bool,
    error: bool,
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
}

impl Grep {
    /// The match spans of a line (for -o), or whether it matches at all.
    fn spans(&self, line: &str) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        let icase = self.o.has('i');
        for f in &self.fixed {
            let (hay, needle) =
                if icase { (line.to_lowercase(), f.to_lowercase()) } else { (line.to_string(), f.clone()) };
            if needle.is_empty() {
                v.push((0, 0));
                continue;
            }
            let mut start = 0;
            while let Some(i) = hay.get(start..).and_then(|h| h.find(&needle)) {
                v.push((start + i, start + i + needle.len()));
                start += i + needle.len().max(1);
            }
        }
        for re in &self.res {
            for m in re.find_iter(line) {
                v.push((m.start(), m.end()));
            }
        }
        v.sort();
        v
    }

    fn line_matches(&self, line: &str) -> bool {
        let spans = self.spans(line);
        let word = |s: usize, e: usize| {
            let before = line[..s].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            let after = line[e..].chars().next().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            before && after
        };
        spans.iter().any(|&(s, e)| {
            if self.o.has('x') {
                s == 0 && e == line.len()
            } else if self.o.has('w') {
                word(s, e)
            } else {
                true
            }
        })
    }

    fn file(&mut self, name: &str, display: &str) {
        let mut r = match util::open_input(name) {
            Ok(r) => r,
            Err(e) => {
                if !self.o.has('s') {
                    err("grep", format_args!("{display}: {}", errstr(&e)));
                }
                self.error = true;
                return;
            }
        };
        let mut buf = Vec::new();
        let mut count = 0u64;
        let mut lineno = 0u64;
        let invert = self.o.has('v');
        while let Ok(true) = util::read_line(&mut r, &mut buf) {
            lineno += 1;
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            let binary = buf.contains(&0);
            let text = String::from_utf8_lossy(&buf);
            if self.line_matches(&text) == invert {
                continue;
            }
            count += 1;
            self.matched = true;
            if self.o.has('q') {
                return;
            }
            if self.o.has('l') || self.o.has('L') {
                break;
            }
            if self.o.has('c') {
                continue;
            }
            if binary {
                let _ = writeln!(self.out, "Binary file {display} matches");
                break;
            }
            let mut pre = String::new();
            if self.prefix {
                pre.push_str(display);
                pre.push(':');
            }
            if self.o.has('n') {
                pre.push_str(&format!("{lineno}:"));
            }
            let ok = if self.o.has('o') && !invert {
                let mut ok = true;
                for (s, e) in self.spans(&text) {
                    if e > s {
                        ok &= writeln!(self.out, "{pre}{}", &text[s..e]).is_ok();
                    }
                }
                ok
            } else {
                self.out.write_all(pre.as_bytes()).is_ok()
                    && self.out.write_all(&buf).is_ok()
                    && self.out.write_all(b"\n").is_ok()
            };
            if !ok {
                self.error = true;
                return;
            }
        }
        if self.o.has('c') {
            let _ = if self.prefix { writeln!(self.out, "{display}:{count}") } else { writeln!(self.out, "{count}") };
        }
        if self.o.has('l') && count > 0 {
            let _ = writeln!(self.out, "{display}");
        }
        if self.o.has('L') && count == 0 {
            let _ = writeln!(self.out, "{display}");
        }
    }

    fn walk(&mut self, path: &str) {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let Ok(rd) = std::fs::read_dir(path) else {
                    return;
                };
                let mut names: Vec<String> =
                    rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
                names.sort();
                for n in names {
                    let p = format!("{}/{n}", path.trim_end_matches('/'));
                    let is_link = std::fs::symlink_metadata(&p).map(|m| m.file_type().is_symlink()).unwrap_or(false);
                    if is_link && !self.o.has('R') {
                        continue;
                    }
                    self.walk(&p);
                }
            }
            _ => self.file(path, path),
        }
    }
}

pub fn main(args: &[String]) -> i32 {
    let name = util::basename(&args[0]).to_string();
    let mut o = match crate::util::opts::parse(&args[1..], "EFGiyvwxnchlLqrRsHhoe:f:m:A:B:C:a") {
        Ok(o) => o,
        Err(e) => {
            super::usage_error("grep", &e);
            return 2;
        }
    };
    let mut patterns: Vec<String> = o.values('e').iter().map(|s| s.to_string()).collect();
    for f in o.values('f') {
        match std::fs::read_to_string(f) {
            Ok(t) => patterns.extend(t.lines().map(str::to_string)),
            Err(e) => {
                err("grep", format_args!("{f}: {}", errstr(&e)));
                return 2;
            }
        }
    }
    if patterns.is_empty() {
        if o.operands.is_empty() {
            super::usage("grep");
            return 2;
        }
        let p = o.operands.remove(0);
        patterns.extend(p.split('\n').map(str::to_string));
    }
    let fixed = o.has('F') || name == "fgrep";
    let extended = o.has('E') || name == "egrep";
    let icase = o.has('i') || o.has('y');
    let mut res = Vec::new();
    let mut fixed_pats = Vec::new();
    for p in &patterns {
        if fixed {
            fixed_pats.push(p.clone());
            continue;
        }
        match util::regex::compile(p, extended, icase) {
            Ok(r) => res.push(r),
            Err(e) => {
                err("grep", e);
                return 2;
            }
        }
    }
    let recursive = o.has('r') || o.has('R');
    let mut files = o.operands.clone();
    if files.is_empty() {
        files.push(if recursive { ".".to_string() } else { "-".to_string() });
    }
    let prefix = o.has('H') || ((files.len() > 1 || recursive) && !o.has('h'));
    let mut g = Grep { o, res, fixed: fixed_pats, prefix, matched: false, error: false, out: util::stdout() };
    for f in &files {
        if g.matched && g.o.has('q') {
            break;
        }
        if recursive {
            g.walk(f);
        } else {
            let display = if f == "-" { "(standard input)".to_string() } else { f.clone() };
            if std::fs::metadata(f).map(|m| m.is_dir()).unwrap_or(false) {
                if !g.o.has('s') {
                    err("grep", format_args!("{f}: Is a directory"));
                }
                continue;
            }
            g.file(f, &display);
        }
    }
    let status = if g.error && !(g.matched && g.o.has('q')) {
        2
    } else if g.matched {
        0
    } else {
        1
    };
    let mut out = std::mem::replace(&mut g.out, util::stdout());
    let code = util::finish(&mut out, "grep", status);
    if code == 141 {
        141
    } else {
        status
    }
}
