//! `printf FORMAT [ARG]...`: formatted output (`%s %b %c %d %i %u %o %x %X %e %f %g %%`, flags,
//! width, precision, `*`); the format is reused while arguments remain. Also a shell builtin.

use std::io::Write;

use super::echo::unescape;

/// Runs printf, writing output to `out` and messages to `err`; returns the exit status.
pub fn printf(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let args = match args.first() {
        Some(a) if a == "--" => &args[1..],
        _ => args,
    };
    let Some(format) = args.first() else {
        let _ = writeln!(err, "printf: usage: printf FORMAT [ARGUMENT...]");
        return 1;
    };
    let mut rest = &args[1..];
    let mut buf = Vec::new();
    let mut status = 0;
    loop {
        let before = rest.len();
        let stop = one_pass(format, &mut rest, &mut buf, err, &mut status);
        if stop || rest.is_empty() || rest.len() == before {
            break;
        }
    }
    match out.write_all(&buf) {
        Ok(()) => status,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 141,
        Err(_) => 1,
    }
}

fn next_arg<'a>(rest: &mut &'a [String]) -> Option<&'a str> {
    let (first, tail) = rest.split_first()?;
    *rest = tail;
    Some(first.as_str())
}

/// One pass of the format over `args[1..]` (awk's `printf`/`sprintf`: no format reuse).
pub fn printf_once(args: &[String], out: &mut Vec<u8>, err: &mut dyn Write) {
    let Some(format) = args.first() else { return };
    let mut rest = &args[1..];
    let mut status = 0;
    one_pass(format, &mut rest, out, err, &mut status);
}

/// Parses a numeric argument like printf does: `'c` is the character code.
fn number(s: &str, err: &mut dyn Write, status: &mut i32) -> i64 {
    let t = s.trim();
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return c.chars().next().map_or(0, |c| c as i64);
    }
    if t.is_empty() {
        return 0;
    }
    let parsed = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if t.len() > 1 && t.starts_with('0') && t.chars().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&t[1..], 8).ok()
    } else {
        t.parse::<i64>().ok().or_else(|| t.parse::<u64>().ok().map(|u| u as i64))
    };
    match parsed {
        Some(v) => v,
        None => {
            let _ = writeln!(err, "printf: invalid number '{s}'");
            *status = 1;
            // Use the leading digits, like strtol.
            let digits: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
            digits.parse().unwrap_or(0)
        }
    }
}

fn float(s: &str, err: &mut dyn Write, status: &mut i32) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    t.parse().unwrap_or_else(|_| {
        let _ = writeln!(err, "printf: invalid number '{s}'");
        *status = 1;
        0.0
    })
}

/// One pass over the format; true when `\c` stops all output.
fn one_pass(format: &str, rest: &mut &[String], buf: &mut Vec<u8>, err: &mut dyn Write, status: &mut i32) -> bool {
    let f: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < f.len() {
        let c = f[i];
        if c == '\\' {
            let mut j = i + 1;
            let mut esc = String::from("\\");
            if j < f.len() {
                esc.push(f[j]);
                j += 1;
                if f[i + 1] == '0' || f[i + 1].is_digit(8) || f[i + 1] == 'x' {
                    let max = if f[i + 1] == 'x' {
                        2
                    } else if f[i + 1] == '0' {
                        3
                    } else {
                        2
                    };
                    let mut n = 0;
                    while n < max && j < f.len() && f[j].is_ascii_hexdigit() && (f[i + 1] == 'x' || f[j].is_digit(8)) {
                        esc.push(f[j]);
                        j += 1;
                        n += 1;
                    }
                }
            }
            if f.get(i + 1) == Some(&'"') {
                buf.push(b'"');
            } else if unescape(&esc, buf) {
                return true;
            }
            i = j;
            continue;
        }
        if c != '%' {
            let mut tmp = [0u8; 4];
            buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
            i += 1;
            continue;
        }
        if f.get(i + 1) == Some(&'%') {
            buf.push(b'%');
            i += 2;
            continue;
        }
        // %[flags][width][.precision]conv
        let mut j = i + 1;
        let mut flags = String::new();
        while j < f.len() && "-+ #0".contains(f[j]) {
            flags.push(f[j]);
            j += 1;
        }
        let mut width: Option<usize> = None;
        if f.get(j) == Some(&'*') {
            let w = number(next_arg(rest).unwrap_or(""), err, status);
            if w < 0 {
                flags.push('-');
            }
            width = Some(w.unsigned_abs() as usize);
            j += 1;
        } else {
            let start = j;
            while j < f.len() && f[j].is_ascii_digit() {
                j += 1;
            }
            if j > start {
                width = f[start..j].iter().collect::<String>().parse().ok();
            }
        }
        let mut prec: Option<usize> = None;
        if f.get(j) == Some(&'.') {
            j += 1;
            if f.get(j) == Some(&'*') {
                prec = Some(number(next_arg(rest).unwrap_or(""), err, status).max(0) as usize);
                j += 1;
            } else {
                let start = j;
                while j < f.len() && f[j].is_ascii_digit() {
                    j += 1;
                }
                prec = Some(f[start..j].iter().collect::<String>().parse().unwrap_or(0));
            }
        }
        while j < f.len() && "hlLqjzt".contains(f[j]) {
            j += 1;
        }
        let Some(&conv) = f.get(j) else {
            let _ = writeln!(err, "printf: %{}: invalid format", f[i + 1..].iter().collect::<String>());
            *status = 1;
            return true;
        };
        i = j + 1;
        let arg = next_arg(rest);
        let body: Vec<u8> = match conv {
            's' => {
                let s = arg.unwrap_or("");
                let s: String = match prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.to_string(),
                };
                s.into_bytes()
            }
            'b' => {
                let mut v = Vec::new();
                let stop = unescape(arg.unwrap_or(""), &mut v);
                if let Some(p) = prec {
                    v.truncate(p);
                }
                if stop {
                    pad(buf, &v, width, &flags, false);
                    return true;
                }
                v
            }
            'c' => arg.and_then(|a| a.chars().next()).map(|c| c.to_string().into_bytes()).unwrap_or_default(),
            'd' | 'i' => {
                let n = number(arg.unwrap_or(""), err, status);
                let mut s = n.unsigned_abs().to_string();
                if let Some(p) = prec {
                    while s.len() < p {
                        s.insert(0, '0');
                    }
                }
                let sign = if n < 0 {
                    "-"
                } else if flags.contains('+') {
                    "+"
                } else if flags.contains(' ') {
                    " "
                } else {
                    ""
                };
                format!("{sign}{s}").into_bytes()
            }
            'u' | 'o' | 'x' | 'X' => {
                let n = number(arg.unwrap_or(""), err, status) as u64;
                let mut s = match conv {
                    'u' => n.to_string(),
                    'o' => format!("{n:o}"),
                    'x' => format!("{n:x}"),
                    _ => format!("{n:X}"),
                };
                if let Some(p) = prec {
                    while s.len() < p {
                        s.insert(0, '0');
                    }
                }
                if flags.contains('#') && n != 0 {
                    s = match conv {
                        'o' => format!("0{s}"),
                        'x' => format!("0x{s}"),
                        'X' => format!("0X{s}"),
                        _ => s,
                    };
                }
                s.into_bytes()
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let v = float(arg.unwrap_or(""), err, status);
                let s = format_float(v, conv, prec.unwrap_or(6), &flags);
                s.into_bytes()
            }
            other => {
                let _ = writeln!(err, "printf: %{other}: invalid format");
                *status = 1;
                return true;
            }
        };
        let numeric = !matches!(conv, 's' | 'b' | 'c');
        pad(buf, &body, width, &flags, numeric && prec.is_none() || matches!(conv, 'f' | 'e' | 'g' | 'E' | 'G' | 'F'));
    }
    false
}

/// Formats a float like C's printf `%f`, `%e`, `%g`.
pub fn format_float(v: f64, conv: char, prec: usize, flags: &str) -> String {
    let sign = if v.is_sign_negative() && v != 0.0 {
        "-"
    } else if flags.contains('+') {
        "+"
    } else if flags.contains(' ') {
        " "
    } else {
        ""
    };
    let a = v.abs();
    let body = match conv {
        'f' | 'F' => format!("{a:.prec$}"),
        'e' | 'E' => exp_form(a, prec, conv == 'E'),
        _ => {
            let p = if prec == 0 { 1 } else { prec };
            let exp = if a == 0.0 { 0 } else { a.log10().floor() as i32 };
            let s = if exp < -4 || exp >= p as i32 {
                exp_form(a, p - 1, conv == 'G')
            } else {
                let decimals = (p as i32 - 1 - exp).max(0) as usize;
                format!("{a:.decimals$}")
            };
            if flags.contains('#') {
                s
            } else {
                strip_zeros(&s)
            }
        }
    };
    format!("{sign}{body}")
}

fn strip_zeros(s: &str) -> String {
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mant = if mant.contains('.') { mant.trim_end_matches('0').trim_end_matches('.') } else { mant };
    format!("{mant}{exp}")
}

fn exp_form(a: f64, prec: usize, upper: bool) -> String {
    let s = format!("{a:.prec$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let sign = if e < 0 { '-' } else { '+' };
    let out = format!("{m}e{sign}{:02}", e.abs());
    if upper {
        out.to_uppercase()
    } else {
        out
    }
}

fn pad(buf: &mut Vec<u8>, body: &[u8], width: Option<usize>, flags: &str, zero_ok: bool) {
    let len = String::from_utf8_lossy(body).chars().count();
    let w = width.unwrap_or(0);
    if len >= w {
        buf.extend_from_slice(body);
        return;
    }
    let fill = w - len;
    if flags.contains('-') {
        buf.extend_from_slice(body);
        buf.extend(std::iter::repeat_n(b' ', fill));
    } else if flags.contains('0') && zero_ok {
        let sign = body.first().filter(|c| matches!(c, b'-' | b'+' | b' ')).map(|_| 1).unwrap_or(0);
        buf.extend_from_slice(&body[..sign]);
        buf.extend(std::iter::repeat_n(b'0', fill));
        buf.extend_from_slice(&body[sign..]);
    } else {
        buf.extend(std::iter::repeat_n(b' ', fill));
        buf.extend_from_slice(body);
    }
}

pub fn main(args: &[String]) -> i32 {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    printf(&args[1..], &mut out, &mut err)
}
