//! `sort [-nrufbgh] [-t SEP] [-k POS] [-o FILE] [FILE]...` and `uniq [-cdui] [-f N] [-s N]`.

use std::cmp::Ordering;
use std::io::Write;

use crate::util::{self, err, errstr, opts};

/// A leading number like strtod: optional blanks, sign, digits, fraction.
fn leading_number(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    let b = t.as_bytes();
    if end < b.len() && (b[end] == b'-' || b[end] == b'+') {
        end += 1;
    }
    while end < b.len() && (b[end].is_ascii_digit() || b[end] == b'.') {
        end += 1;
    }
    t[..end].parse().unwrap_or(0.0)
}

fn human_value(s: &str) -> f64 {
    let t = s.trim();
    let n = leading_number(t);
    let suffix = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '+');
    let mult = match suffix.chars().next() {
        Some('K') | Some('k') => 1e3,
        Some('M') => 1e6,
        Some('G') => 1e9,
        Some('T') => 1e12,
        _ => 1.0,
    };
    n * mult
}

struct Key {
    start_field: usize,
    start_char: usize,
    end_field: Option<usize>,
    numeric: bool,
    reverse: bool,
}

fn parse_key(spec: &str) -> Option<Key> {
    let (start, end) = match spec.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (spec, None),
    };
    let flags = |s: &str| s.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>();
    let digits = |s: &str| s.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect::<String>();
    let sd = digits(start);
    let (sf, sc) = match sd.split_once('.') {
        Some((f, c)) => (f.parse().ok()?, c.parse().ok()?),
        None => (sd.parse().ok()?, 1),
    };
    let mut all_flags = flags(start);
    let end_field = match end {
        Some(e) => {
            all_flags.push_str(&flags(e));
            let ed = digits(e);
            Some(ed.split('.').next()?.parse().ok()?)
        }
        None => None,
    };
    Some(Key {
        start_field: sf,
        start_char: sc,
        end_field,
        numeric: all_flags.contains('n'),
        reverse: all_flags.contains('r'),
    })
}

fn fields(line: &str, sep: Option<char>) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    match sep {
        Some(c) => {
            let mut start = 0;
            for (i, ch) in line.char_indices() {
                if ch == c {
                    v.push((start, i));
                    start = i + ch.len_utf8();
                }
            }
            v.push((start, line.len()));
        }
        None => {
            // Each field includes its leading blanks.
            let b = line.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let start = i;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                while i < b.len() && b[i] != b' ' && b[i] != b'\t' {
                    i += 1;
                }
                v.push((start, i));
            }
        }
    }
    v
}

fn key_text<'a>(line: &'a str, k: &Key, sep: Option<char>) -> &'a str {
    let f = fields(line, sep);
    let Some(&(s, _)) = f.get(k.start_field.saturating_sub(1)) else {
        return "";
    };
    let field_text = &line[s..];
    let skip = if sep.is_none() { field_text.len() - field_text.trim_start().len() } else { 0 };
    let start = s + skip + field_text[skip..].chars().take(k.start_char - 1).map(char::len_utf8).sum::<usize>();
    let end = match k.end_field {
        Some(e) => f.get(e.saturating_sub(1)).map_or(line.len(), |x| x.1),
        None => line.len(),
    };
    if start >= end || start > line.len() {
        ""
    } else {
        &line[start..end]
    }
}

pub fn sort(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "nrufbghsdMVzt:k:o:T:S:") {
        Ok(o) => o,
        Err(e) => return super::usage_error("sort", &e),
    };
    let sep = o.value('t').and_then(|t| t.chars().next());
    let mut keys = Vec::new();
    for k in o.values('k') {
        match parse_key(k) {
            Some(key) => keys.push(key),
            None => {
                err("sort", format_args!("invalid key '{k}'"));
                return 1;
            }
        }
    }
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    let mut lines: Vec<String> = Vec::new();
    let mut status = 0;
    for f in &files {
        match util::open_input(f).and_then(util::read_all) {
            Ok(data) => {
                let text = String::from_utf8_lossy(&data).into_owned();
                lines.extend(text.lines().map(str::to_string));
            }
            Err(e) => {
                err("sort", format_args!("can't open '{f}': {}", errstr(&e)));
                status = 2;
            }
        }
    }
    let numeric = o.has('n') || o.has('g');
    let cmp_text = |a: &str, b: &str, num: bool| -> Ordering {
        let (a, b) = if o.has('b') { (a.trim_start(), b.trim_start()) } else { (a, b) };
        if o.has('h') {
            return human_value(a).partial_cmp(&human_value(b)).unwrap_or(Ordering::Equal);
        }
        if num {
            return leading_number(a).partial_cmp(&leading_number(b)).unwrap_or(Ordering::Equal);
        }
        if o.has('f') {
            return a.to_uppercase().cmp(&b.to_uppercase());
        }
        a.cmp(b)
    };
    let compare = |a: &String, b: &String| -> Ordering {
        for k in &keys {
            let (x, y) = (key_text(a, k, sep), key_text(b, k, sep));
            let mut c = cmp_text(x, y, k.numeric || numeric);
            if k.reverse {
                c = c.reverse();
            }
            if c != Ordering::Equal {
                return c;
            }
        }
        let c = if keys.is_empty() { cmp_text(a, b, numeric) } else { Ordering::Equal };
        if c == Ordering::Equal && !o.has('s') && !o.has('u') {
            a.cmp(b)
        } else {
            c
        }
    };
    if o.has('r') {
        lines.sort_by(|a, b| compare(b, a));
    } else {
        lines.sort_by(compare);
    }
    if o.has('u') {
        lines.dedup_by(|a, b| compare(a, b) == Ordering::Equal);
    }
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in &lines {
        text.push_str(l);
        text.push('\n');
    }
    if let Some(path) = o.value('o') {
        if let Err(e) = std::fs::write(path, text) {
            err("sort", format_args!("can't open '{path}': {}", errstr(&e)));
            return 2;
        }
        return status;
    }
    let mut out = util::stdout();
    let _ = out.write_all(text.as_bytes());
    util::finish(&mut out, "sort", status)
}

pub fn uniq(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "cduif:s:w:") {
        Ok(o) => o,
        Err(e) => return super::usage_error("uniq", &e),
    };
    let skip_fields: usize = o.value('f').and_then(|v| v.parse().ok()).unwrap_or(0);
    let skip_chars: usize = o.value('s').and_then(|v| v.parse().ok()).unwrap_or(0);
    let width: Option<usize> = o.value('w').and_then(|v| v.parse().ok());
    let input = o.operands.first().cloned().unwrap_or_else(|| "-".to_string());
    let mut r = match util::open_input(&input) {
        Ok(r) => r,
        Err(e) => {
            err("uniq", format_args!("can't open '{input}': {}", errstr(&e)));
            return 1;
        }
    };
    let mut out: Box<dyn Write> = match o.operands.get(1) {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                err("uniq", format_args!("can't open '{p}': {}", errstr(&e)));
                return 1;
            }
        },
        None => Box::new(util::stdout()),
    };
    let key = |l: &str| -> String {
        let mut s = l;
        for _ in 0..skip_fields {
            s = s.trim_start_matches([' ', '\t']);
            s = s.trim_start_matches(|c| c != ' ' && c != '\t');
        }
        let s: String = s.chars().skip(skip_chars).collect();
        let s: String = match width {
            Some(w) => s.chars().take(w).collect(),
            None => s,
        };
        if o.has('i') {
            s.to_lowercase()
        } else {
            s
        }
    };
    let mut prev: Option<(String, String, u64)> = None;
    let mut buf = Vec::new();
    let emit = |out: &mut dyn Write, line: &str, n: u64| -> bool {
        if (o.has('d') && n < 2) || (o.has('u') && n > 1) {
            return true;
        }
        let r = if o.has('c') { writeln!(out, "{n:7} {line}") } else { writeln!(out, "{line}") };
        r.is_ok()
    };
    loop {
        let more = matches!(util::read_line(&mut r, &mut buf), Ok(true));
        if !more {
            break;
        }
        let text = String::from_utf8_lossy(&buf);
        let line = text.strip_suffix('\n').unwrap_or(&text).to_string();
        let k = key(&line);
        match &mut prev {
            Some((pk, _, n)) if *pk == k => *n += 1,
            _ => {
                if let Some((_, pl, n)) = prev.take() {
                    if !emit(&mut out, &pl, n) {
                        return 141;
                    }
                }
                prev = Some((k, line, 1));
            }
        }
    }
    if let Some((_, pl, n)) = prev {
        emit(&mut out, &pl, n);
    }
    util::finish(&mut out, "uniq", 0)
}
