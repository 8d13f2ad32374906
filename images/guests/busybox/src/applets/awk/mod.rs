//! `awk [-F SEP] [-v VAR=VAL]... [-f FILE | 'PROGRAM'] [FILE]...`: a documented subset of POSIX
//! awk. Supported: patterns (`BEGIN`, `END`, expressions, `/re/`, ranges), `print`/`printf`
//! (with `>`/`>>` to files), `if/else`, `while`, `do`, `for`, `for (k in a)`, `next`, `exit`,
//! `break`, `continue`, `delete`, `getline [var]`, arrays, fields (assignable), `NR NF FNR FS
//! OFS ORS RS FILENAME RSTART RLENGTH SUBSEP`, and the functions `length substr index split
//! sub gsub match sprintf tolower toupper int sqrt exp log sin cos atan2 rand srand system`.
//! Not supported: user-defined functions, pipes in `print`/`getline`, multi-char `RS`.

mod builtins;
mod lex;
mod parse;
mod value;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};

use parse::{Expr, Parser, Pattern, Rule, Stmt};
use regex::Regex;
use value::{num_to_str, Val};

use crate::util::{self, err, errstr};

enum Flow {
    Next,
    Exit(i32),
    Break,
    Continue,
}

struct Awk {
    vars: HashMap<String, Val>,
    arrays: HashMap<String, BTreeMap<String, Val>>,
    fields: Vec<String>,
    record: String,
    nf: usize,
    files: HashMap<String, std::fs::File>,
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    input: Option<Box<dyn BufRead>>,
    rand_state: u64,
    regex_cache: HashMap<String, Regex>,
}

type R<T> = Result<T, Flow>;

impl Awk {
    fn var(&self, n: &str) -> Val {
        match n {
            "NF" => Val::Num(self.nf as f64),
            _ => self.vars.get(n).cloned().unwrap_or(Val::Uninit),
        }
    }
    fn var_str(&self, n: &str) -> String {
        self.var(n).str()
    }

    fn set_record(&mut self, rec: String) {
        self.record = rec;
        self.split_record();
    }

    fn split_record(&mut self) {
        let fs = self.var_str("FS");
        self.fields = self.split(&self.record.clone(), &fs);
        self.nf = self.fields.len();
    }

    fn split(&mut self, s: &str, fs: &str) -> Vec<String> {
        if fs == " " {
            return s.split_whitespace().map(str::to_string).collect();
        }
        if s.is_empty() {
            return Vec::new();
        }
        if fs.chars().count() == 1 && fs != "\\" {
            let c = fs.chars().next().unwrap_or(' ');
            if c == '\t' || !".[]()*+?^$|{}".contains(c) {
                return s.split(c).map(str::to_string).collect();
            }
        }
        match self.regex(fs) {
            Some(re) => re.split(s).map(str::to_string).collect(),
            None => vec![s.to_string()],
        }
    }

    fn regex(&mut self, pat: &str) -> Option<Regex> {
        if let Some(r) = self.regex_cache.get(pat) {
            return Some(r.clone());
        }
        let r = util::regex::compile(pat, true, false).ok()?;
        self.regex_cache.insert(pat.to_string(), r.clone());
        Some(r)
    }

    fn get_field(&self, i: usize) -> Val {
        if i == 0 {
            return Val::StrNum(self.record.clone());
        }
        self.fields.get(i - 1).map_or(Val::Uninit, |f| Val::StrNum(f.clone()))
    }

    fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(v);
            return;
        }
        while self.fields.len() < i {
            self.fields.push(String::new());
        }
        self.fields[i - 1] = v;
        self.nf = self.nf.max(i);
        self.rebuild();
    }

    fn rebuild(&mut self) {
        self.fields.truncate(self.nf);
        while self.fields.len() < self.nf {
            self.fields.push(String::new());
        }
        self.record = self.fields.join(&self.var_str("OFS"));
    }

    fn key(&mut self, idx: &[Expr]) -> R<String> {
        let mut parts = Vec::new();
        for e in idx {
            parts.push(self.eval(e)?.str());
        }
        Ok(parts.join(&self.var_str("SUBSEP")))
    }

    fn assign(&mut self, lv: &Expr, v: Val) -> R<Val> {
        match lv {
            Expr::Var(n) if n == "NF" => {
                self.nf = v.num().max(0.0) as usize;
                self.rebuild();
            }
            Expr::Var(n) => {
                self.vars.insert(n.clone(), v.clone());
                if n == "FS" {
                    // Takes effect from the next record, like POSIX says.
                }
            }
            Expr::Field(e) => {
                let i = self.eval(e)?.num().max(0.0) as usize;
                self.set_field(i, v.str());
            }
            Expr::Index(a, idx) => {
                let k = self.key(idx)?;
                self.arrays.entry(a.clone()).or_default().insert(k, v.clone());
            }
            _ => {}
        }
        Ok(v)
    }

    fn compare(a: &Val, b: &Val) -> std::cmp::Ordering {
        match (a.numeric_for_compare(), b.numeric_for_compare()) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            _ => a.str().cmp(&b.str()),
        }
    }

    fn match_re(&mut self, e: &Expr) -> R<Option<Regex>> {
        Ok(match e {
            Expr::Re(r) => Some(r.clone()),
            other => {
                let s = self.eval(other)?.str();
                self.regex(&s)
            }
        })
    }

    fn eval(&mut self, e: &Expr) -> R<Val> {
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Re(r) => Val::Num(f64::from(u8::from(r.is_match(&self.record)))),
            Expr::Var(n) => self.var(n),
            Expr::Field(i) => {
                let i = self.eval(i)?.num();
                self.get_field(i.max(0.0) as usize)
            }
            Expr::Index(a, idx) => {
                let k = self.key(idx)?;
                self.arrays.entry(a.clone()).or_default().entry(k).or_insert(Val::Uninit).clone()
            }
            Expr::Assign(op, lv, rhs) => {
                let r = self.eval(rhs)?;
                let v = match op {
                    None => r,
                    Some(c) => {
                        let cur = self.eval(lv)?.num();
                        Val::Num(arith(*c, cur, r.num()))
                    }
                };
                let v = if let Val::Uninit = v { Val::Str(String::new()) } else { v };
                self.assign(lv, v)?
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => Val::Num(f64::from(u8::from(self.eval(a)?.truthy() && self.eval(b)?.truthy()))),
            Expr::Or(a, b) => Val::Num(f64::from(u8::from(self.eval(a)?.truthy() || self.eval(b)?.truthy()))),
            Expr::Not(a) => Val::Num(f64::from(u8::from(!self.eval(a)?.truthy()))),
            Expr::Neg(a) => Val::Num(-self.eval(a)?.num()),
            Expr::Bin(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                match *op {
                    "concat" => Val::Str(x.str() + &y.str()),
                    "<" | "<=" | ">" | ">=" | "==" | "!=" => {
                        let o = Self::compare(&x, &y);
                        use std::cmp::Ordering::*;
                        let r = match *op {
                            "<" => o == Less,
                            "<=" => o != Greater,
                            ">" => o == Greater,
                            ">=" => o != Less,
                            "==" => o == Equal,
                            _ => o != Equal,
                        };
                        Val::Num(f64::from(u8::from(r)))
                    }
                    _ => Val::Num(arith(op.chars().next().unwrap_or('+'), x.num(), y.num())),
                }
            }
            Expr::Match(neg, s, re) => {
                let s = self.eval(s)?.str();
                let hit = self.match_re(re)?.is_some_and(|r| r.is_match(&s));
                Val::Num(f64::from(u8::from(hit != *neg)))
            }
            Expr::In(keys, arr) => {
                let k = self.key(keys)?;
                Val::Num(f64::from(u8::from(self.arrays.get(arr).is_some_and(|a| a.contains_key(&k)))))
            }
            Expr::Incr(pre, d, lv) => {
                let old = self.eval(lv)?.num();
                self.assign(lv, Val::Num(old + d))?;
                Val::Num(if *pre { old + d } else { old })
            }
            Expr::Getline(target) => {
                let mut line = Vec::new();
                let got = match self.input.as_mut() {
                    Some(r) => util::read_line(r.as_mut(), &mut line).unwrap_or(false),
                    None => false,
                };
                if !got {
                    return Ok(Val::Num(0.0));
                }
                let s = String::from_utf8_lossy(&line).trim_end_matches('\n').to_string();
                match target {
                    Some(t) => {
                        self.assign(t, Val::StrNum(s))?;
                    }
                    None => {
                        self.set_record(s);
                        let nr = self.var("NR").num() + 1.0;
                        self.vars.insert("NR".into(), Val::Num(nr));
                    }
                }
                Val::Num(1.0)
            }
            Expr::Call(name, args) => self.call(name, args)?,
        })
    }

    fn write(&mut self, text: &str, redir: &Option<(bool, Expr)>) -> R<()> {
        match redir {
            None => {
                if self.out.write_all(text.as_bytes()).is_err() {
                    return Err(Flow::Exit(2));
                }
            }
            Some((append, e)) => {
                let name = self.eval(e)?.str();
                if !self.files.contains_key(&name) {
                    let f = if *append {
                        std::fs::OpenOptions::new().append(true).create(true).open(&name)
                    } else if name == "/dev/stderr" {
                        std::fs::OpenOptions::new().write(true).open(&name)
                    } else {
                        std::fs::File::create(&name)
                    };
                    match f {
                        Ok(f) => {
                            self.files.insert(name.clone(), f);
                        }
                        Err(e) => {
                            err("awk", format_args!("can't redirect to '{name}': {}", errstr(&e)));
                            return Err(Flow::Exit(2));
                        }
                    }
                }
                if let Some(f) = self.files.get_mut(&name) {
                    let _ = f.write_all(text.as_bytes());
                }
            }
        }
        Ok(())
    }

    fn exec(&mut self, s: &Stmt) -> R<()> {
        match s {
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::Print(args, redir) => {
                let text = if args.is_empty() {
                    self.record.clone()
                } else {
                    let mut parts = Vec::new();
                    for a in args {
                        let v = self.eval(a)?;
                        parts.push(match v {
                            Val::Num(n) if n != n.trunc() => super::printf::format_float(n, 'g', 6, ""),
                            other => other.str(),
                        });
                    }
                    parts.join(&self.var_str("OFS"))
                };
                let text = text + &self.var_str("ORS");
                self.write(&text, redir)?;
            }
            Stmt::Printf(args, redir) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let text = self.format(&vals);
                self.write(&text, redir)?;
            }
            Stmt::If(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.exec(a)?;
                } else if let Some(b) = b {
                    self.exec(b)?;
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truthy() {
                    match self.exec(body) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                }
            }
            Stmt::Do(body, c) => loop {
                match self.exec(body) {
                    Err(Flow::Break) => break,
                    Err(Flow::Continue) | Ok(()) => {}
                    Err(f) => return Err(f),
                }
                if !self.eval(c)?.truthy() {
                    break;
                }
            },
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.exec(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truthy() {
                            break;
                        }
                    }
                    match self.exec(body) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                    if let Some(s) = step {
                        self.exec(s)?;
                    }
                }
            }
            Stmt::ForIn(var, arr, body) => {
                let keys: Vec<String> = self.arrays.get(arr).map(|a| a.keys().cloned().collect()).unwrap_or_default();
                for k in keys {
                    self.vars.insert(var.clone(), Val::StrNum(k));
                    match self.exec(body) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                }
            }
            Stmt::Block(v) => {
                for s in v {
                    self.exec(s)?;
                }
            }
            Stmt::Next => return Err(Flow::Next),
            Stmt::Exit(e) => {
                let code = match e {
                    Some(e) => self.eval(e)?.num() as i32,
                    None => 0,
                };
                return Err(Flow::Exit(code));
            }
            Stmt::Break => return Err(Flow::Break),
            Stmt::Continue => return Err(Flow::Continue),
            Stmt::Delete(arr, idx) => match idx {
                Some(i) => {
                    let k = self.key(i)?;
                    if let Some(a) = self.arrays.get_mut(arr) {
                        a.remove(&k);
                    }
                }
                None => {
                    self.arrays.remove(arr);
                }
            },
        }
        Ok(())
    }

    fn run_action(&mut self, action: &Option<Vec<Stmt>>) -> R<()> {
        match action {
            Some(stmts) => {
                for s in stmts {
                    self.exec(s)?;
                }
                Ok(())
            }
            None => self.exec(&Stmt::Print(Vec::new(), None)),
        }
    }
}

fn arith(op: char, a: f64, b: f64) -> f64 {
    match op {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        '/' => {
            if b == 0.0 {
                err("awk", "division by zero");
                f64::NAN
            } else {
                a / b
            }
        }
        '%' => {
            if b == 0.0 {
                err("awk", "division by zero in %");
                f64::NAN
            } else {
                a % b
            }
        }
        '^' => a.powf(b),
        _ => 0.0,
    }
}

fn unescape_assign(v: &str) -> String {
    let mut out = Vec::new();
    super::echo::unescape(v, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

pub fn main(args: &[String]) -> i32 {
    let mut fs = None;
    let mut assigns = Vec::new();
    let mut program = None;
    let mut i = 1;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("-F") {
            fs = Some(if v.is_empty() {
                i += 1;
                args.get(i - 1).cloned().unwrap_or_default()
            } else {
                v.to_string()
            });
        } else if let Some(v) = a.strip_prefix("-v") {
            let v = if v.is_empty() {
                i += 1;
                args.get(i - 1).cloned().unwrap_or_default()
            } else {
                v.to_string()
            };
            assigns.push(v);
        } else if a == "-f" {
            let Some(f) = args.get(i) else {
                return super::usage_error("awk", "option requires an argument -- 'f'");
            };
            i += 1;
            match std::fs::read_to_string(f) {
                Ok(t) => program = Some(t),
                Err(e) => {
                    err("awk", format_args!("can't open '{f}': {}", errstr(&e)));
                    return 2;
                }
            }
        } else if a.starts_with('-') && a.len() > 1 {
            return super::usage_error("awk", &format!("invalid option -- '{}'", &a[1..2]));
        } else {
            i -= 1;
            break;
        }
    }
    let program = match program {
        Some(p) => p,
        None => match args.get(i) {
            Some(p) => {
                i += 1;
                p.clone()
            }
            None => {
                super::usage("awk");
                return 1;
            }
        },
    };
    let rules: Vec<Rule> = match parse::lex(&program).and_then(|t| Parser::new(t).program()) {
        Ok(r) => r,
        Err(e) => {
            err("awk", format_args!("cmd. line:1: {e}"));
            return 2;
        }
    };
    let mut awk = Awk {
        vars: HashMap::new(),
        arrays: HashMap::new(),
        fields: Vec::new(),
        record: String::new(),
        nf: 0,
        files: HashMap::new(),
        out: util::stdout(),
        input: None,
        rand_state: 1,
        regex_cache: HashMap::new(),
    };
    for (k, v) in
        [("FS", " "), ("OFS", " "), ("ORS", "\n"), ("RS", "\n"), ("SUBSEP", "\x1c"), ("NR", "0"), ("FNR", "0")]
    {
        awk.vars.insert(k.into(), Val::Str(v.into()));
    }
    let env: BTreeMap<String, Val> = std::env::vars().map(|(k, v)| (k, Val::StrNum(v))).collect();
    awk.arrays.insert("ENVIRON".into(), env);
    if let Some(f) = fs {
        let f = if f == "t" { "\t".to_string() } else { unescape_assign(&f) };
        awk.vars.insert("FS".into(), Val::Str(f));
    }
    for a in assigns {
        if let Some((k, v)) = a.split_once('=') {
            awk.vars.insert(k.to_string(), Val::StrNum(unescape_assign(v)));
        }
    }
    let operands: Vec<String> = args[i.min(args.len())..].to_vec();
    let mut exit_code = None;
    for r in rules.iter().filter(|r| matches!(r.pattern, Pattern::Begin)) {
        if let Err(Flow::Exit(c)) = awk.run_action(&r.action) {
            exit_code = Some(c);
            break;
        }
    }
    let has_main = rules.iter().any(|r| !matches!(r.pattern, Pattern::Begin));
    let mut in_range = vec![false; rules.len()];
    if exit_code.is_none() && has_main {
        let mut files: Vec<String> =
            operands.iter().filter(|a| !a.contains('=') || a.starts_with('/')).cloned().collect();
        if files.is_empty() {
            files.push("-".into());
        }
        'files: for f in operands
            .iter()
            .map(String::as_str)
            .chain(if operands.iter().all(|a| a.contains('=') && !a.starts_with('/')) { Some("-") } else { None })
        {
            if let Some((k, v)) = f
                .split_once('=')
                .filter(|(k, _)| crate::util::pattern::Pattern::parse("[A-Za-z_]*").matches(k) && !f.starts_with('/'))
            {
                awk.vars.insert(k.to_string(), Val::StrNum(unescape_assign(v)));
                continue;
            }
            let r = match util::open_input(f) {
                Ok(r) => r,
                Err(e) => {
                    err("awk", format_args!("cannot open \"{f}\" ({})", errstr(&e)));
                    exit_code = Some(2);
                    continue;
                }
            };
            awk.vars.insert("FILENAME".into(), Val::Str(if f == "-" { String::new() } else { f.to_string() }));
            awk.vars.insert("FNR".into(), Val::Num(0.0));
            awk.input = Some(r);
            let mut line = Vec::new();
            loop {
                let got = match awk.input.as_mut() {
                    Some(r) => util::read_line(r.as_mut(), &mut line).unwrap_or(false),
                    None => false,
                };
                if !got {
                    break;
                }
                let text = String::from_utf8_lossy(&line);
                let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
                awk.set_record(text);
                let nr = awk.var("NR").num() + 1.0;
                awk.vars.insert("NR".into(), Val::Num(nr));
                let fnr = awk.var("FNR").num() + 1.0;
                awk.vars.insert("FNR".into(), Val::Num(fnr));
                for (ri, rule) in rules.iter().enumerate() {
                    let hit = match &rule.pattern {
                        Pattern::Begin | Pattern::End => continue,
                        Pattern::All => Ok(true),
                        Pattern::Expr(e) => awk.eval(e).map(|v| v.truthy()),
                        Pattern::Range(a, b) => {
                            if in_range[ri] {
                                awk.eval(b).map(|v| {
                                    in_range[ri] = !v.truthy();
                                    true
                                })
                            } else {
                                awk.eval(a).and_then(|v| {
                                    if v.truthy() {
                                        in_range[ri] = !awk.eval(b)?.truthy();
                                        Ok(true)
                                    } else {
                                        Ok(false)
                                    }
                                })
                            }
                        }
                    };
                    let r = match hit {
                        Ok(true) => awk.run_action(&rule.action),
                        Ok(false) => Ok(()),
                        Err(f) => Err(f),
                    };
                    match r {
                        Err(Flow::Next) => break,
                        Err(Flow::Exit(c)) => {
                            exit_code = Some(c);
                            break 'files;
                        }
                        _ => {}
                    }
                }
            }
            let _ = &files;
        }
    }
    let mut ran_end_exit = None;
    {
        for r in rules.iter().filter(|r| matches!(r.pattern, Pattern::End)) {
            if let Err(Flow::Exit(c)) = awk.run_action(&r.action) {
                ran_end_exit = Some(c);
                break;
            }
        }
    }
    let code = ran_end_exit.or(exit_code).unwrap_or(0);
    util::finish(&mut awk.out, "awk", code)
}
