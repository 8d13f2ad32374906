//! `test EXPR` and `[ EXPR ]`: file tests, string and integer comparisons, `!`, `-a`, `-o`,
//! parentheses (POSIX rules for 1-4 arguments, then precedence parsing). A shell builtin too.

use std::io::Write;

/// Evaluates `argv` (argv[0] is `test` or `[`); 0 true, 1 false, 2 error.
pub fn test(argv: &[String], err: &mut dyn Write) -> i32 {
    let name = argv[0].as_str();
    let mut args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if name == "[" {
        if args.last() != Some(&"]") {
            let _ = writeln!(err, "[: missing ]");
            return 2;
        }
        args.pop();
    }
    let mut p = P { args: &args, pos: 0 };
    let r = match args.len() {
        0 => Ok(false),
        _ => p.expr(),
    };
    match r {
        Ok(_) if p.pos < args.len() => {
            let _ = writeln!(err, "{name}: {}: unknown operand", args[p.pos]);
            2
        }
        Ok(v) => i32::from(!v),
        Err(msg) => {
            let _ = writeln!(err, "{name}: {msg}");
            2
        }
    }
}

struct P<'a> {
    args: &'a [&'a str],
    pos: usize,
}

const BINARY: [&str; 14] = ["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "<", ">"];

impl<'a> P<'a> {
    fn peek(&self, off: usize) -> Option<&'a str> {
        self.args.get(self.pos + off).copied()
    }

    fn expr(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.peek(0) == Some("-o") {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.not()?;
        while self.peek(0) == Some("-a") {
            self.pos += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, String> {
        if self.peek(0) == Some("!") && self.peek(1).is_some() {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let Some(a) = self.peek(0) else {
            return Err("argument expected".into());
        };
        if self.args.len() - self.pos == 1 {
            self.pos += 1;
            return Ok(!a.is_empty());
        }
        if let (Some(op), Some(b)) = (self.peek(1), self.peek(2)) {
            if BINARY.contains(&op) {
                self.pos += 3;
                return binary(a, op, b);
            }
        }
        if a == "(" {
            self.pos += 1;
            let v = self.expr()?;
            if self.peek(0) != Some(")") {
                return Err("closing paren expected".into());
            }
            self.pos += 1;
            return Ok(v);
        }
        if a.len() == 2 && a.starts_with('-') {
            if let Some(operand) = self.peek(1) {
                if let Some(v) = unary(a, operand)? {
                    self.pos += 2;
                    return Ok(v);
                }
            }
        }
        self.pos += 1;
        Ok(!a.is_empty())
    }
}

fn int(s: &str) -> Result<i64, String> {
    s.trim().parse().map_err(|_| format!("{s}: bad number"))
}

fn binary(a: &str, op: &str, b: &str) -> Result<bool, String> {
    Ok(match op {
        "=" | "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        "-eq" => int(a)? == int(b)?,
        "-ne" => int(a)? != int(b)?,
        "-lt" => int(a)? < int(b)?,
        "-le" => int(a)? <= int(b)?,
        "-gt" => int(a)? > int(b)?,
        "-ge" => int(a)? >= int(b)?,
        "-nt" | "-ot" => {
            let ma = std::fs::metadata(a).ok().and_then(|m| m.modified().ok());
            let mb = std::fs::metadata(b).ok().and_then(|m| m.modified().ok());
            match (ma, mb) {
                (Some(x), Some(y)) => {
                    if op == "-nt" {
                        x > y
                    } else {
                        x < y
                    }
                }
                (Some(_), None) => op == "-nt",
                (None, Some(_)) => op == "-ot",
                _ => false,
            }
        }
        _ => {
            let (x, y) = (std::fs::canonicalize(a), std::fs::canonicalize(b));
            matches!((x, y), (Ok(x), Ok(y)) if x == y)
        }
    })
}

/// A unary test; None when `op` is not a unary operator.
fn unary(op: &str, f: &str) -> Result<Option<bool>, String> {
    let meta = || std::fs::metadata(f);
    let kind =
        |k: u32| crate::sys::mode_info(std::path::Path::new(f), true).map(|m| m.mode & 0o170000 == k).unwrap_or(false);
    let mode =
        |mask: u32| crate::sys::mode_info(std::path::Path::new(f), true).map(|m| m.mode & mask != 0).unwrap_or(false);
    Ok(Some(match op {
        "-n" => !f.is_empty(),
        "-z" => f.is_empty(),
        "-e" => meta().is_ok(),
        "-f" => meta().map(|m| m.is_file()).unwrap_or(false),
        "-d" => meta().map(|m| m.is_dir()).unwrap_or(false),
        "-s" => meta().map(|m| m.len() > 0).unwrap_or(false),
        "-L" | "-h" => std::fs::symlink_metadata(f).map(|m| m.file_type().is_symlink()).unwrap_or(false),
        "-r" | "-w" => meta().is_ok(),
        "-x" => meta().is_ok() && (meta().map(|m| m.is_dir()).unwrap_or(false) || mode(0o111)),
        "-b" => kind(0o060000),
        "-c" => kind(0o020000),
        "-p" => kind(0o010000),
        "-S" => kind(0o140000),
        "-u" => mode(0o4000),
        "-g" => mode(0o2000),
        "-k" => mode(0o1000),
        "-t" => crate::sys::isatty(int(f)?.clamp(0, 1 << 20) as u32),
        _ => return Ok(None),
    }))
}

pub fn main(args: &[String]) -> i32 {
    let mut err = std::io::stderr().lock();
    test(args, &mut err)
}
