//! `find [PATH]... [EXPRESSION]`: walks directory trees. Tests: `-name -iname -path -type
//! -maxdepth -mindepth -newer -size -empty -mtime`; actions: `-print -print0 -exec ... \;|+
//! -delete`; operators `! -not -a -and -o -or ( )`.

use std::io::Write;

use crate::util::{self, err, errstr, pattern::Pattern};

enum Expr {
    True,
    Name(Pattern, bool),
    Path(Pattern),
    Type(char),
    Newer(i64),
    Size(i64, char, u64),
    Empty,
    Mtime(i64, char),
    Print(bool),
    Exec(Vec<String>, bool),
    Delete,
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

struct P<'a> {
    t: &'a [String],
    i: usize,
    maxdepth: Option<usize>,
    mindepth: usize,
    has_action: bool,
}

impl P<'_> {
    fn peek(&self) -> Option<&str> {
        self.t.get(self.i).map(String::as_str)
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut l = self.and()?;
        while matches!(self.peek(), Some("-o") | Some("-or")) {
            self.i += 1;
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut l = self.not()?;
        loop {
            match self.peek() {
                Some("-a") | Some("-and") => self.i += 1,
                Some("-o") | Some("-or") | Some(")") | None => return Ok(l),
                _ => {}
            }
            let r = self.not()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
    }
    fn not(&mut self) -> Result<Expr, String> {
        if matches!(self.peek(), Some("!") | Some("-not")) {
            self.i += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.primary()
    }
    fn arg(&mut self, opt: &str) -> Result<String, String> {
        let v = self.t.get(self.i).cloned().ok_or_else(|| format!("{opt}: requires an argument"))?;
        self.i += 1;
        Ok(v)
    }
    fn primary(&mut self) -> Result<Expr, String> {
        let Some(tok) = self.peek().map(str::to_string) else {
            return Ok(Expr::True);
        };
        self.i += 1;
        Ok(match tok.as_str() {
            "(" => {
                let e = self.or()?;
                if self.peek() != Some(")") {
                    return Err("missing ')'".into());
                }
                self.i += 1;
                e
            }
            "-name" | "-iname" => {
                let a = self.arg(&tok)?;
                let icase = tok == "-iname";
                Expr::Name(Pattern::parse(&if icase { a.to_lowercase() } else { a }), icase)
            }
            "-path" | "-wholename" => Expr::Path(Pattern::parse(&self.arg(&tok)?)),
            "-type" => {
                let a = self.arg(&tok)?;
                match a.chars().next() {
                    Some(c) if "fdlpscb".contains(c) => Expr::Type(c),
                    _ => return Err(format!("invalid argument '{a}' to '-type'")),
                }
            }
            "-maxdepth" | "-mindepth" => {
                let a = self.arg(&tok)?;
                let n: usize = a.parse().map_err(|_| format!("invalid number '{a}'"))?;
                if tok == "-maxdepth" {
                    self.maxdepth = Some(n);
                } else {
                    self.mindepth = n;
                }
                Expr::True
            }
            "-newer" => {
                let a = self.arg(&tok)?;
                let m = std::fs::metadata(&a).map_err(|e| format!("{a}: {}", errstr(&e)))?;
                Expr::Newer(util::mtime(&m))
            }
            "-mtime" => {
                let a = self.arg(&tok)?;
                let (cmp, n) = split_sign(&a);
                Expr::Mtime(n.parse().map_err(|_| format!("invalid number '{a}'"))?, cmp)
            }
            "-size" => {
                let a = self.arg(&tok)?;
                let (cmp, rest) = split_sign(&a);
                let unit = rest.chars().last().filter(|c| c.is_ascii_alphabetic()).unwrap_or('b');
                let num = rest.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                let mult = match unit {
                    'c' => 1,
                    'w' => 2,
                    'k' => 1024,
                    'M' => 1 << 20,
                    'G' => 1 << 30,
                    _ => 512,
                };
                Expr::Size(num.parse().map_err(|_| format!("invalid number '{a}'"))?, cmp, mult)
            }
            "-empty" => Expr::Empty,
            "-print" | "-print0" => {
                self.has_action = true;
                Expr::Print(tok == "-print0")
            }
            "-delete" => {
                self.has_action = true;
                Expr::Delete
            }
            "-exec" | "-ok" => {
                self.has_action = true;
                let mut cmd = Vec::new();
                loop {
                    let Some(a) = self.t.get(self.i).cloned() else {
                        return Err("-exec: missing ';'".into());
                    };
                    self.i += 1;
                    if a == ";" {
                        break Expr::Exec(cmd, false);
                    }
                    if a == "+" && cmd.last().is_some_and(|l| l == "{}") {
                        cmd.pop();
                        break Expr::Exec(cmd, true);
                    }
                    cmd.push(a);
                }
            }
            "-follow" | "-xdev" | "-depth" => Expr::True,
            other => return Err(format!("unrecognized: {other}")),
        })
    }
}

fn split_sign(a: &str) -> (char, &str) {
    match a.chars().next() {
        Some(c @ ('+' | '-')) => (c, &a[1..]),
        _ => ('=', a),
    }
}

fn cmp(v: i64, n: i64, c: char) -> bool {
    match c {
        '+' => v > n,
        '-' => v < n,
        _ => v == n,
    }
}

struct Find {
    batch: Vec<(Vec<String>, Vec<String>)>,
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    status: i32,
}

impl Find {
    fn eval(&mut self, e: &Expr, path: &str, meta: &std::fs::Metadata) -> bool {
        match e {
            Expr::True => true,
            Expr::Name(p, icase) => {
                let b = util::basename(path);
                if *icase {
                    p.matches(&b.to_lowercase())
                } else {
                    p.matches(b)
                }
            }
            Expr::Path(p) => p.matches(path),
            Expr::Type(c) => {
                let t = meta.file_type();
                match c {
                    'f' => t.is_file(),
                    'd' => t.is_dir(),
                    'l' => t.is_symlink(),
                    _ => crate::sys::mode_info(std::path::Path::new(path), false)
                        .map(|m| {
                            let k = m.mode & 0o170000;
                            matches!((c, k), ('p', 0o010000) | ('s', 0o140000) | ('c', 0o020000) | ('b', 0o060000))
                        })
                        .unwrap_or(false),
                }
            }
            Expr::Newer(t) => util::mtime(meta) > *t,
            Expr::Mtime(n, c) => cmp((util::now() - util::mtime(meta)) / 86400, *n, *c),
            Expr::Size(n, c, mult) => cmp((meta.len() as i64 + *mult as i64 - 1) / *mult as i64, *n, *c),
            Expr::Empty => {
                if meta.is_dir() {
                    std::fs::read_dir(path).map(|mut r| r.next().is_none()).unwrap_or(false)
                } else {
                    meta.len() == 0
                }
            }
            Expr::Print(zero) => {
                let _ = self.out.write_all(path.as_bytes());
                let _ = self.out.write_all(if *zero { b"\0" } else { b"\n" });
                true
            }
            Expr::Delete => {
                let r = if meta.is_dir() { std::fs::remove_dir(path) } else { std::fs::remove_file(path) };
                if let Err(e) = r {
                    err("find", format_args!("{path}: {}", errstr(&e)));
                    self.status = 1;
                }
                true
            }
            Expr::Exec(cmd, plus) => {
                if *plus {
                    match self.batch.iter_mut().find(|(c, _)| c == cmd) {
                        Some((_, v)) => v.push(path.to_string()),
                        None => self.batch.push((cmd.clone(), vec![path.to_string()])),
                    }
                    return true;
                }
                let argv: Vec<String> = cmd.iter().map(|a| a.replace("{}", path)).collect();
                let _ = self.out.flush();
                util::process::run("find", &argv) == 0
            }
            Expr::Not(x) => !self.eval(x, path, meta),
            Expr::And(a, b) => self.eval(a, path, meta) && self.eval(b, path, meta),
            Expr::Or(a, b) => self.eval(a, path, meta) || self.eval(b, path, meta),
        }
    }

    fn walk(&mut self, e: &Expr, path: &str, depth: usize, min: usize, max: Option<usize>) {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(er) => {
                err("find", format_args!("{path}: {}", errstr(&er)));
                self.status = 1;
                return;
            }
        };
        let is_delete = matches!(e, Expr::Delete) || matches!(e, Expr::And(_, b) if matches!(**b, Expr::Delete));
        if depth >= min && !is_delete {
            self.eval(e, path, &meta);
        }
        if meta.is_dir() && max.is_none_or(|m| depth < m) {
            match std::fs::read_dir(path) {
                Ok(rd) => {
                    let mut names: Vec<String> =
                        rd.flatten().map(|d| d.file_name().to_string_lossy().into_owned()).collect();
                    names.sort();
                    for n in names {
                        let child = if path.ends_with('/') { format!("{path}{n}") } else { format!("{path}/{n}") };
                        self.walk(e, &child, depth + 1, min, max);
                    }
                }
                Err(er) => {
                    err("find", format_args!("{path}: {}", errstr(&er)));
                    self.status = 1;
                }
            }
        }
        if depth >= min && is_delete {
            self.eval(e, path, &meta);
        }
    }
}

pub fn main(args: &[String]) -> i32 {
    let rest = &args[1..];
    let split =
        rest.iter().position(|a| a.starts_with('-') && a.len() > 1 || a == "(" || a == "!").unwrap_or(rest.len());
    let mut paths: Vec<String> = rest[..split].to_vec();
    if paths.is_empty() {
        paths.push(".".to_string());
    }
    let mut p = P { t: &rest[split..], i: 0, maxdepth: None, mindepth: 0, has_action: false };
    let expr = match p.or() {
        Ok(e) if p.i >= p.t.len() => e,
        Ok(_) => {
            err("find", format_args!("unexpected '{}'", p.t[p.i]));
            return 1;
        }
        Err(e) => {
            err("find", e);
            return 1;
        }
    };
    let expr = if p.has_action { expr } else { Expr::And(Box::new(expr), Box::new(Expr::Print(false))) };
    let mut f = Find { batch: Vec::new(), out: util::stdout(), status: 0 };
    for path in &paths {
        f.walk(&expr, path, 0, p.mindepth, p.maxdepth);
    }
    let _ = f.out.flush();
    for (cmd, files) in std::mem::take(&mut f.batch) {
        let mut argv = cmd;
        argv.extend(files);
        if util::process::run("find", &argv) != 0 {
            f.status = 1;
        }
    }
    let status = f.status;
    util::finish(&mut f.out, "find", status)
}
