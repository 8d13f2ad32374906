//! `echo [-neE] [ARG]...`: prints its arguments. Also the shell's `echo` builtin.

use std::io::Write;

/// Writes the output of `echo args` to `out`; returns the exit status.
pub fn echo(args: &[String], out: &mut dyn Write) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let Some(flags) = a.strip_prefix('-') else {
            break;
        };
        if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut buf = Vec::new();
    for (k, a) in args[i..].iter().enumerate() {
        if k > 0 {
            buf.push(b' ');
        }
        if escapes {
            if unescape(a, &mut buf) {
                return write(out, &buf);
            }
        } else {
            buf.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        buf.push(b'\n');
    }
    write(out, &buf)
}

fn write(out: &mut dyn Write, buf: &[u8]) -> i32 {
    match out.write_all(buf).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 141,
        Err(_) => 1,
    }
}

/// Appends `s` with backslash escapes processed; true when `\c` asked to stop output.
pub fn unescape(s: &str, buf: &mut Vec<u8>) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            buf.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let c = b[i];
        i += 1;
        match c {
            b'n' => buf.push(b'\n'),
            b't' => buf.push(b'\t'),
            b'r' => buf.push(b'\r'),
            b'a' => buf.push(7),
            b'b' => buf.push(8),
            b'e' => buf.push(0x1b),
            b'f' => buf.push(12),
            b'v' => buf.push(11),
            b'\\' => buf.push(b'\\'),
            b'c' => return true,
            b'0'..=b'7' => {
                // `\0NNN` (echo) or `\NNN`: up to three octal digits after an optional 0.
                let mut v: u32 = 0;
                let mut n = 0;
                let mut j = if c == b'0' { i } else { i - 1 };
                while n < 3 && j < b.len() && (b'0'..=b'7').contains(&b[j]) {
                    v = v * 8 + u32::from(b[j] - b'0');
                    j += 1;
                    n += 1;
                }
                i = j;
                buf.push((v & 0xff) as u8);
            }
            b'x' => {
                let mut v: u32 = 0;
                let mut n = 0;
                while n < 2 && i < b.len() && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    buf.extend_from_slice(b"\\x");
                } else {
                    buf.push(v as u8);
                }
            }
            other => {
                buf.push(b'\\');
                buf.push(other);
            }
        }
    }
    false
}

pub fn main(args: &[String]) -> i32 {
    let mut out = std::io::stdout().lock();
    echo(&args[1..], &mut out)
}
