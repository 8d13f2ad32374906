//! awk source to tokens: numbers, strings, names, operators and newlines; a `/` starts a regex
//! unless it follows an operand, as awk's grammar requires.

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Re(String),
    Name(String),
    Func(String),
    Op(&'static str),
    Newline,
    Eof,
}

const OPS: [&str; 42] = [
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~", "**", "{", "}",
    "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~", "$", "=", "\\", "#",
];

pub const KEYWORDS: [&str; 15] = [
    "BEGIN", "END", "if", "else", "while", "for", "do", "break", "continue", "next", "exit", "print", "printf",
    "delete", "in",
];

pub fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch == ' ' || ch == '\t' || ch == '\r' {
            i += 1;
            continue;
        }
        if ch == '\\' && c.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if ch == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if ch == '\n' {
            out.push(Tok::Newline);
            i += 1;
            continue;
        }
        if ch.is_ascii_digit() || (ch == '.' && c.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '.') {
                if (c[i] == 'e' || c[i] == 'E') && matches!(c.get(i + 1), Some('+') | Some('-')) {
                    i += 1;
                }
                i += 1;
            }
            let t: String = c[start..i].iter().collect();
            let v = if let Some(h) = t.strip_prefix("0x") {
                i64::from_str_radix(h, 16).map(|v| v as f64).ok()
            } else {
                t.parse().ok()
            };
            out.push(Tok::Num(v.ok_or_else(|| format!("bad number {t}"))?));
            continue;
        }
        if ch == '_' || ch.is_ascii_alphabetic() {
            let start = i;
            while i < c.len() && (c[i] == '_' || c[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            let name: String = c[start..i].iter().collect();
            if c.get(i) == Some(&'(') && !KEYWORDS.contains(&name.as_str()) {
                out.push(Tok::Func(name));
            } else {
                out.push(Tok::Name(name));
            }
            continue;
        }
        if ch == '"' {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&x) = c.get(i) else {
                    return Err("unterminated string".into());
                };
                i += 1;
                match x {
                    '"' => break,
                    '\\' => {
                        let n = c.get(i).copied().unwrap_or('\\');
                        i += 1;
                        match n {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            '\\' => s.push('\\'),
                            '"' => s.push('"'),
                            '/' => s.push('/'),
                            'a' => s.push('\x07'),
                            'b' => s.push('\x08'),
                            '\n' => {}
                            '0'..='7' => {
                                let mut v = n.to_digit(8).unwrap_or(0);
                                let mut k = 0;
                                while k < 2 && c.get(i).is_some_and(|d| d.is_digit(8)) {
                                    v = v * 8 + c[i].to_digit(8).unwrap_or(0);
                                    i += 1;
                                    k += 1;
                                }
                                s.push(char::from_u32(v).unwrap_or('?'));
                            }
                            other => {
                                s.push('\\');
                                s.push(other);
                            }
                        }
                    }
                    _ => s.push(x),
                }
            }
            out.push(Tok::Str(s));
            continue;
        }
        let operand_before = matches!(
            out.last(),
            Some(
                Tok::Num(_)
                    | Tok::Str(_)
                    | Tok::Name(_)
                    | Tok::Op(")")
                    | Tok::Op("]")
                    | Tok::Op("$")
                    | Tok::Op("++")
                    | Tok::Op("--")
            )
        );
        if ch == '/' && !operand_before {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&x) = c.get(i) else {
                    return Err("unterminated regexp".into());
                };
                i += 1;
                if x == '\\' && c.get(i) == Some(&'/') {
                    s.push('/');
                    i += 1;
                } else if x == '\\' {
                    s.push('\\');
                    if let Some(&n) = c.get(i) {
                        s.push(n);
                        i += 1;
                    }
                } else if x == '/' {
                    break;
                } else if x == '\n' {
                    return Err("newline in regexp".into());
                } else {
                    s.push(x);
                }
            }
            out.push(Tok::Re(s));
            continue;
        }
        let op = OPS
            .iter()
            .find(|op| op.chars().enumerate().all(|(k, oc)| c.get(i + k) == Some(&oc)))
            .ok_or_else(|| format!("unexpected character '{ch}'"))?;
        i += op.len();
        out.push(Tok::Op(if *op == "**" { "^" } else { op }));
    }
    out.push(Tok::Eof);
    Ok(out)
}
