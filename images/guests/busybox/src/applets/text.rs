//! Line and character filters: `wc`, `cut`, `tr`, `tee`.

use std::io::{Read, Write};

use crate::util::{self, err, errstr, opts};

pub fn wc(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "lwcmL") {
        Ok(o) => o,
        Err(e) => return super::usage_error("wc", &e),
    };
    let any = o.has('l') || o.has('w') || o.has('c') || o.has('m') || o.has('L');
    let (sl, sw, sc) = if any { (o.has('l'), o.has('w'), o.has('c') || o.has('m')) } else { (true, true, true) };
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    let mut totals = [0u64; 4];
    let mut out = util::stdout();
    let mut status = 0;
    let mut lines_out = Vec::new();
    for f in &files {
        let mut r = match util::open_input(f) {
            Ok(r) => r,
            Err(e) => {
                err("wc", format_args!("can't open '{f}': {}", errstr(&e)));
                status = 1;
                continue;
            }
        };
        let (mut l, mut w, mut c, mut maxlen, mut cur) = (0u64, 0u64, 0u64, 0u64, 0u64);
        let mut in_word = false;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            for &b in &buf[..n] {
                c += 1;
                if b == b'\n' {
                    l += 1;
                    maxlen = maxlen.max(cur);
                    cur = 0;
                } else {
                    cur += 1;
                }
                if b.is_ascii_whitespace() {
                    in_word = false;
                } else if !in_word {
                    in_word = true;
                    w += 1;
                }
            }
        }
        maxlen = maxlen.max(cur);
        totals[0] += l;
        totals[1] += w;
        totals[2] += c;
        totals[3] = totals[3].max(maxlen);
        lines_out.push(([l, w, c, maxlen], (f != "-" || !o.operands.is_empty()).then(|| f.clone())));
    }
    if files.len() > 1 {
        lines_out.push((totals, Some("total".to_string())));
    }
    let selected = [sl, sw, sc, o.has('L')];
    let single = selected.iter().filter(|x| **x).count() == 1;
    for (v, name) in lines_out {
        let fields: Vec<String> = selected
            .iter()
            .zip(v)
            .filter(|(on, _)| **on)
            .map(|(_, n)| if single { n.to_string() } else { format!("{n:9}") })
            .collect();
        let mut line = fields.join(" ");
        if let Some(n) = name {
            line.push(' ');
            line.push_str(&n);
        }
        if writeln!(out, "{line}").is_err() {
            return 141;
        }
    }
    util::finish(&mut out, "wc", status)
}

/// A list like `1,3-5,7-` as inclusive 1-based ranges.
fn ranges(spec: &str) -> Option<Vec<(usize, usize)>> {
    let mut v = Vec::new();
    for part in spec.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (
                if a.is_empty() { 1 } else { a.parse().ok()? },
                if b.is_empty() { usize::MAX } else { b.parse().ok()? },
            ),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if a == 0 || b < a {
            return None;
        }
        v.push((a, b));
    }
    Some(v)
}

pub fn cut(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "d:f:c:b:sn") {
        Ok(o) => o,
        Err(e) => return super::usage_error("cut", &e),
    };
    let (spec, fields) = match (o.value('f'), o.value('c').or(o.value('b'))) {
        (Some(f), None) => (f, true),
        (None, Some(c)) => (c, false),
        _ => {
            err("cut", "expected a list of bytes, characters, or fields");
            return 1;
        }
    };
    let Some(list) = ranges(spec) else {
        err("cut", format_args!("invalid range '{spec}'"));
        return 1;
    };
    let delim = o.value('d').map(|d| d.chars().next().unwrap_or('\t')).unwrap_or('\t');
    let selected = |i: usize| list.iter().any(|(a, b)| *a <= i && i <= *b);
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    let mut out = util::stdout();
    let mut status = 0;
    let mut line = Vec::new();
    for f in &files {
        let mut r = match util::open_input(f) {
            Ok(r) => r,
            Err(e) => {
                err("cut", format_args!("can't open '{f}': {}", errstr(&e)));
                status = 1;
                continue;
            }
        };
        while let Ok(true) = util::read_line(&mut r, &mut line) {
            let text = String::from_utf8_lossy(&line);
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let res: String = if fields {
                if !text.contains(delim) {
                    if o.has('s') {
                        continue;
                    }
                    text.to_string()
                } else {
                    let parts: Vec<&str> =
                        text.split(delim).enumerate().filter(|(i, _)| selected(i + 1)).map(|(_, p)| p).collect();
                    parts.join(&delim.to_string())
                }
            } else {
                text.chars().enumerate().filter(|(i, _)| selected(i + 1)).map(|(_, c)| c).collect()
            };
            if writeln!(out, "{res}").is_err() {
                return 141;
            }
        }
    }
    util::finish(&mut out, "cut", status)
}

/// Expands a `tr` set: ranges `a-z`, escapes, classes `[:upper:]`, repeats `[x*n]`.
fn tr_set(s: &str) -> Vec<char> {
    let mut chars = Vec::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    let unesc = |i: &mut usize| -> char {
        let c = b[*i];
        *i += 1;
        if c != '\\' || *i >= b.len() {
            return c;
        }
        let n = b[*i];
        *i += 1;
        match n {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '\\' => '\\',
            'a' => '\x07',
            'b' => '\x08',
            'f' => '\x0c',
            'v' => '\x0b',
            '0'..='7' => {
                let mut v = n.to_digit(8).unwrap_or(0);
                while *i < b.len() && b[*i].is_digit(8) && v < 32 {
                    v = v * 8 + b[*i].to_digit(8).unwrap_or(0);
                    *i += 1;
                }
                char::from_u32(v).unwrap_or('?')
            }
            other => other,
        }
    };
    while i < b.len() {
        if b[i] == '[' && b.get(i + 1) == Some(&':') {
            let rest: String = b[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let class = &rest[..end];
                let all = (0u8..=127).map(char::from);
                let pick: Vec<char> = match class {
                    "upper" => all.filter(char::is_ascii_uppercase).collect(),
                    "lower" => all.filter(char::is_ascii_lowercase).collect(),
                    "digit" => all.filter(char::is_ascii_digit).collect(),
                    "alpha" => all.filter(char::is_ascii_alphabetic).collect(),
                    "alnum" => all.filter(char::is_ascii_alphanumeric).collect(),
                    "space" => all.filter(|c| c.is_ascii_whitespace() || *c == '\x0b').collect(),
                    "blank" => vec![' ', '\t'],
                    "punct" => all.filter(char::is_ascii_punctuation).collect(),
                    "xdigit" => all.filter(char::is_ascii_hexdigit).collect(),
                    "cntrl" => all.filter(char::is_ascii_control).collect(),
                    _ => Vec::new(),
                };
                chars.extend(pick);
                i += 2 + end + 2;
                continue;
            }
        }
        if b[i] == '[' && b.get(i + 2) == Some(&'*') {
            if let Some(end) = b[i..].iter().position(|c| *c == ']') {
                let c = b[i + 1];
                let n: usize = b[i + 3..i + end].iter().collect::<String>().parse().unwrap_or(0);
                chars.extend(std::iter::repeat_n(c, if n == 0 { 1 } else { n }));
                i += end + 1;
                continue;
            }
        }
        let c = unesc(&mut i);
        if i + 1 < b.len() && b[i] == '-' {
            i += 1;
            let e = unesc(&mut i);
            if e >= c {
                chars.extend((c as u32..=e as u32).filter_map(char::from_u32));
            }
            continue;
        }
        chars.push(c);
    }
    chars
}

pub fn tr(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "dscC") {
        Ok(o) => o,
        Err(e) => return super::usage_error("tr", &e),
    };
    let ops = &o.operands;
    if ops.is_empty() || (ops.len() < 2 && !o.has('d') && !o.has('s')) {
        super::usage("tr");
        return 1;
    }
    let set1 = tr_set(&ops[0]);
    let set2 = ops.get(1).map(|s| tr_set(s)).unwrap_or_default();
    let complement = o.has('c') || o.has('C');
    let in1 = |c: char| set1.contains(&c) != complement;
    let mut data = String::new();
    let mut raw = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut raw);
    data.push_str(&String::from_utf8_lossy(&raw));
    let mut out = String::with_capacity(data.len());
    let mut last: Option<char> = None;
    let squeeze_set: &[char] = if o.has('d') || ops.len() < 2 { &set1 } else { &set2 };
    for c in data.chars() {
        let mapped = if o.has('d') {
            if in1(c) {
                continue;
            }
            c
        } else if ops.len() >= 2 && in1(c) {
            if complement {
                set2.last().copied().unwrap_or(c)
            } else {
                let idx = set1.iter().position(|x| *x == c).unwrap_or(0);
                set2.get(idx).or(set2.last()).copied().unwrap_or(c)
            }
        } else {
            c
        };
        if o.has('s') && last == Some(mapped) && (squeeze_set.contains(&mapped) != (complement && ops.len() < 2)) {
            continue;
        }
        last = Some(mapped);
        out.push(mapped);
    }
    let mut w = util::stdout();
    let _ = w.write_all(out.as_bytes());
    util::finish(&mut w, "tr", 0)
}

pub fn tee(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "ai") {
        Ok(o) => o,
        Err(e) => return super::usage_error("tee", &e),
    };
    let mut status = 0;
    let mut files: Vec<std::fs::File> = Vec::new();
    for f in &o.operands {
        let r = if o.has('a') {
            std::fs::OpenOptions::new().append(true).create(true).open(f)
        } else {
            std::fs::File::create(f)
        };
        match r {
            Ok(file) => files.push(file),
            Err(e) => {
                err("tee", format_args!("{f}: {}", errstr(&e)));
                status = 1;
            }
        }
    }
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut buf = vec![0u8; 16 * 1024];
    let mut stdout_ok = true;
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if stdout_ok && stdout.write_all(&buf[..n]).and_then(|()| stdout.flush()).is_err() {
            stdout_ok = false;
        }
        for f in files.iter_mut() {
            if f.write_all(&buf[..n]).is_err() {
                status = 1;
            }
        }
    }
    status
}
