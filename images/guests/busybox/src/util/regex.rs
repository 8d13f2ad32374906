//! POSIX regular expressions (basic and extended, with the GNU extensions BusyBox accepts)
//! translated into the `regex` crate's syntax. Back-references inside a pattern are not
//! supported; `\1`..`\9` in sed replacements are (they are capture groups).

use regex::Regex;

/// Compiles a POSIX regex. `extended`: ERE (grep -E, sed -E, awk); otherwise BRE.
pub fn compile(pat: &str, extended: bool, icase: bool) -> Result<Regex, String> {
    let translated = translate(pat, extended)?;
    let full = if icase { format!("(?i){translated}") } else { translated };
    regex::RegexBuilder::new(&full).size_limit(1 << 22).build().map_err(|_| format!("bad regex '{pat}'"))
}

fn esc(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() || c == ' ' {
        out.push(c);
    } else if c == '\n' {
        out.push_str("\\n");
    } else if c == '\t' {
        out.push_str("\\t");
    } else {
        out.push('\\');
        out.push(c);
    }
}

/// Copies a bracket expression starting after `[`; returns the index after the closing `]`.
fn bracket(p: &[char], mut i: usize, out: &mut String) -> Result<usize, String> {
    out.push('[');
    if p.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = p.get(i) else {
            return Err("unterminated [".to_string());
        };
        if c == ']' && !first {
            out.push(']');
            return Ok(i + 1);
        }
        first = false;
        if c == '[' && matches!(p.get(i + 1), Some(':') | Some('=') | Some('.')) {
            let kind = p[i + 1];
            let rest: String = p[i + 2..].iter().collect();
            let close = format!("{kind}]");
            if let Some(end) = rest.find(&close) {
                let name = &rest[..end];
                if kind == ':' {
                    out.push_str(&format!("[:{name}:]"));
                } else {
                    for ch in name.chars() {
                        esc(ch, out);
                    }
                }
                i += 2 + name.chars().count() + 2;
                continue;
            }
        }
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&e| e != ']') {
            esc(c, out);
            out.push('-');
            esc(p[i + 2], out);
            i += 3;
            continue;
        }
        esc(c, out);
        i += 1;
    }
}

fn translate(pat: &str, ere: bool) -> Result<String, String> {
    let p: Vec<char> = pat.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Whether the previous item can take a repetition operator (for a leading `*` in BRE).
    let mut atom_before = false;
    while i < p.len() {
        let c = p[i];
        i += 1;
        match c {
            '\\' => {
                let Some(&n) = p.get(i) else {
                    return Err("trailing backslash".to_string());
                };
                i += 1;
                atom_before = true;
                match n {
                    '(' if !ere => {
                        out.push('(');
                        atom_before = false;
                    }
                    ')' if !ere => out.push(')'),
                    '{' if !ere => {
                        let end = p[i..].iter().collect::<String>().find("\\}");
                        let Some(end) = end else {
                            return Err("unmatched \\{".to_string());
                        };
                        let body: String = p[i..i + end].iter().collect();
                        out.push('{');
                        out.push_str(&body);
                        out.push('}');
                        i += end + 2;
                    }
                    '|' if !ere => {
                        out.push('|');
                        atom_before = false;
                    }
                    '+' | '?' if !ere => out.push(n),
                    '<' | '>' => out.push_str("\\b"),
                    'b' | 'B' => {
                        out.push('\\');
                        out.push(n);
                    }
                    'w' => out.push_str("[0-9A-Za-z_]"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    's' => out.push_str("[ \\t\\n\\r\\f\\v]"),
                    'S' => out.push_str("[^ \\t\\n\\r\\f\\v]"),
                    'n' => out.push_str("\\n"),
                    't' => out.push_str("\\t"),
                    '1'..='9' => return Err("back-references are not supported".to_string()),
                    other => esc(other, &mut out),
                }
            }
            '[' => {
                i = bracket(&p, i, &mut out)?;
                atom_before = true;
            }
            '.' => {
                out.push('.');
                atom_before = true;
            }
            '^' => {
                if ere || out.is_empty() || out.ends_with('(') || out.ends_with('|') {
                    out.push('^');
                } else {
                    out.push_str("\\^");
                }
                atom_before = false;
            }
            '$' => {
                let at_end = i == p.len()
                    || (!ere && p[i..].starts_with(&['\\', ')']))
                    || (!ere && p[i..].starts_with(&['\\', '|']));
                if ere || at_end {
                    out.push('$');
                } else {
                    out.push_str("\\$");
                }
                atom_before = false;
            }
            '*' => {
                if atom_before {
                    out.push('*');
                } else {
                    out.push_str("\\*");
                    atom_before = true;
                }
            }
            '+' | '?' if ere => {
                if atom_before {
                    out.push(c);
                } else {
                    esc(c, &mut out);
                    atom_before = true;
                }
            }
            '{' if ere => {
                let rest: String = p[i..].iter().collect();
                match rest.find('}') {
                    Some(end)
                        if atom_before && rest[..end].chars().all(|x| x.is_ascii_digit() || x == ',') && end > 0 =>
                    {
                        out.push('{');
                        out.push_str(&rest[..end]);
                        out.push('}');
                        i += end + 1;
                    }
                    _ => {
                        out.push_str("\\{");
                        atom_before = true;
                    }
                }
            }
            '(' if ere => {
                out.push('(');
                atom_before = false;
            }
            ')' if ere => {
                out.push(')');
                atom_before = true;
            }
            '|' if ere => {
                out.push('|');
                atom_before = false;
            }
            other => {
                esc(other, &mut out);
                atom_before = true;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_and_extended() {
        let r = compile("a\\(b*\\)c", false, false).unwrap();
        assert_eq!(r.captures("xabbc").unwrap().get(1).unwrap().as_str(), "bb");
        assert!(compile("a+b", false, false).unwrap().is_match("a+b"));
        assert!(compile("a+b", true, false).unwrap().is_match("aab"));
        assert!(compile("^[[:digit:]]\\{2\\}$", false, false).unwrap().is_match("42"));
        assert!(compile("*a", false, false).unwrap().is_match("*a"));
        assert!(compile("HELLO", false, true).unwrap().is_match("hello"));
        assert!(compile("a|b", true, false).unwrap().is_match("b"));
        assert!(compile("[]a]", false, false).unwrap().is_match("]"));
        assert!(compile("x$y", false, false).unwrap().is_match("x$y"));
    }
}
