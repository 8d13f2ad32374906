//! `xargs [-0rt] [-n N] [-I STR] [-d DELIM] [COMMAND [ARG]...]`: builds command lines from
//! standard input (default command: `echo`).

use std::io::Read;

use crate::util::{self, opts};

/// Splits input like xargs: blanks and newlines separate, quotes and backslashes group.
fn words(input: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut quote: Option<char> = None;
    let mut it = input.chars();
    while let Some(c) = it.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    have = true;
                }
                '\\' => {
                    if let Some(n) = it.next() {
                        cur.push(n);
                        have = true;
                    }
                }
                c if c.is_whitespace() => {
                    if have || !cur.is_empty() {
                        v.push(std::mem::take(&mut cur));
                        have = false;
                    }
                }
                _ => cur.push(c),
            },
        }
    }
    if have || !cur.is_empty() {
        v.push(cur);
    }
    v
}

pub fn main(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "+0rtxpn:I:i:d:s:L:P:E:e:") {
        Ok(o) => o,
        Err(e) => return super::usage_error("xargs", &e),
    };
    let mut cmd: Vec<String> = if o.operands.is_empty() { vec!["echo".to_string()] } else { o.operands.clone() };
    let mut raw = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut raw);
    let input = String::from_utf8_lossy(&raw).into_owned();
    let replace = o.value('I').or(o.value('i')).map(str::to_string);
    let items: Vec<String> = if o.has('0') {
        input.split('\0').filter(|s| !s.is_empty()).map(str::to_string).collect()
    } else if let Some(d) = o.value('d') {
        let d = match d {
            "\\n" => '\n',
            "\\t" => '\t',
            other => other.chars().next().unwrap_or('\n'),
        };
        input.split(d).filter(|s| !s.is_empty()).map(str::to_string).collect()
    } else if replace.is_some() {
        input.lines().map(|l| l.trim_start().to_string()).filter(|l| !l.is_empty()).collect()
    } else {
        words(&input)
    };
    if items.is_empty() && o.has('r') {
        return 0;
    }
    let per: usize = o.value('n').or(o.value('L')).and_then(|n| n.parse().ok()).unwrap_or(usize::MAX).max(1);
    let mut status = 0;
    let run = |argv: Vec<String>| -> i32 {
        if o.has('t') {
            eprintln!("{}", argv.join(" "));
        }
        match util::process::run("xargs", &argv) {
            0 => 0,
            127 => 127,
            126 => 126,
            255 => 124,
            _ => 123,
        }
    };
    if let Some(r) = replace {
        for item in &items {
            let argv: Vec<String> = cmd.iter().map(|a| a.replace(&r, item)).collect();
            let s = run(argv);
            if s >= 126 {
                return s;
            }
            status = status.max(s);
        }
        return status;
    }
    if items.is_empty() {
        return run(cmd);
    }
    let base = cmd.len();
    for chunk in items.chunks(per.min(items.len())) {
        cmd.truncate(base);
        cmd.extend(chunk.iter().cloned());
        let s = run(cmd.clone());
        if s >= 126 {
            return s;
        }
        status = status.max(s);
    }
    status
}
