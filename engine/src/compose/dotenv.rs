//! `.env` files: the project's `.env` (variables for interpolation) and a service's `env_file`
//! (variables for its container). One `KEY=VALUE` a line, `export KEY=VALUE` too; `#` starts a
//! comment; single quotes keep the text as written; double quotes read `\n` escapes and span
//! lines; unquoted and double-quoted values interpolate `${VAR}` from the lines above and the
//! shell; a bare `KEY` takes its value from the shell, or is left out.

use super::interpolate::{substitute, Env};

/// A line that is not `KEY=VALUE`, as compose-go's parser words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DotenvError {
    #[error("line {0}: key cannot contain a space")]
    KeySpace(usize),
    #[error("line {line}: unexpected character \"{character}\" in variable name \"{text}\"")]
    BadCharacter { line: usize, character: char, text: String },
    #[error("line {line}: unterminated quoted value {text}")]
    Unterminated { line: usize, text: String },
}

/// Parses `text`; `lookup` is the shell's environment (for bare keys and `${VAR}`).
/// Returns the variables in file order.
pub fn parse(text: &str, lookup: &Env, warnings: &mut Vec<String>) -> Result<Vec<(String, String)>, DotenvError> {
    let mut out: Vec<(String, String)> = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let raw = lines[i].trim_end_matches('\r');
        i += 1;
        let line = raw.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
        let (key, rest) = match line.find(['=', ':']) {
            Some(n) => (line[..n].trim_end(), Some(&line[n + 1..])),
            None => (line.trim_end(), None),
        };
        if let Some(bad) = key.chars().find(|c| !(c.is_alphanumeric() || c.is_whitespace() || "_.-[]".contains(*c))) {
            return Err(DotenvError::BadCharacter { line: number, character: bad, text: line.to_string() });
        }
        if key.contains(char::is_whitespace) {
            return Err(DotenvError::KeySpace(number));
        }
        // Variables seen so far win over the shell's for what follows.
        let mut scope = lookup.clone();
        scope.extend(out.iter().cloned());
        let Some(rest) = rest else {
            if let Some(v) = lookup.get(key) {
                out.push((key.to_string(), v.clone()));
            }
            continue;
        };
        let rest = rest.trim_start();
        let unterminated = || DotenvError::Unterminated { line: number, text: rest.to_string() };
        let value = if let Some(body) = rest.strip_prefix('\'') {
            let (text, consumed) = quoted(body, '\'', &lines[i..]).ok_or_else(unterminated)?;
            i += consumed;
            text
        } else if let Some(body) = rest.strip_prefix('"') {
            let (text, consumed) = quoted(body, '"', &lines[i..]).ok_or_else(unterminated)?;
            i += consumed;
            let text = unescape(&text);
            substitute(&text, &scope, warnings).unwrap_or(text)
        } else {
            let value = match rest.find(" #") {
                Some(n) => &rest[..n],
                None => rest,
            };
            let value = value.trim();
            substitute(value, &scope, warnings).unwrap_or_else(|_| value.to_string())
        };
        out.retain(|(k, _)| k != key);
        out.push((key.to_string(), value));
    }
    Ok(out)
}

/// The text up to the closing quote, which may be on a later line; returns the text and how
/// many further lines it took; `None` if the quote is never closed.
fn quoted(first: &str, quote: char, more: &[&str]) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut line = first;
    let mut consumed = 0;
    loop {
        let mut escaped = false;
        for (n, c) in line.char_indices() {
            if c == quote && !escaped {
                text.push_str(&line[..n]);
                return Some((text, consumed));
            }
            escaped = quote == '"' && c == '\\' && !escaped;
        }
        text.push_str(line);
        match more.get(consumed) {
            Some(next) => {
                text.push('\n');
                line = next.trim_end_matches('\r');
                consumed += 1;
            }
            None => return None,
        }
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_compose_reads() {
        let text = "# comment\nA=1\nexport B=\"two words\" # c\nC='single $A'\nD=\"double ${A} \\n x\"\nE=unquoted # comment\nF=${A}-x\nG\nH=\nI = spaced\nJ=\"multi\nline\"\nK=last\n";
        let shell: Env = [("G".to_string(), "fromshell".to_string())].into_iter().collect();
        let mut w = Vec::new();
        let vars = parse(text, &shell, &mut w).unwrap();
        let get = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("A"), Some("1"));
        assert_eq!(get("B"), Some("two words"));
        assert_eq!(get("C"), Some("single $A"));
        assert_eq!(get("D"), Some("double 1 \n x"));
        assert_eq!(get("E"), Some("unquoted"));
        assert_eq!(get("F"), Some("1-x"));
        assert_eq!(get("G"), Some("fromshell"));
        assert_eq!(get("H"), Some(""));
        assert_eq!(get("I"), Some("spaced"));
        assert_eq!(get("J"), Some("multi\nline"));
        assert_eq!(get("K"), Some("last"));
        assert!(w.is_empty());
        let no_shell = Env::new();
        assert_eq!(parse("G\n", &no_shell, &mut w).unwrap(), vec![]);
    }

    #[test]
    fn a_bad_name_is_an_error() {
        let e = |t: &str| parse(t, &Env::new(), &mut Vec::new()).unwrap_err().to_string();
        assert_eq!(e("OK=1\nBAD KEY=2\n"), "line 2: key cannot contain a space");
        assert_eq!(e("A$B=1\n"), "line 1: unexpected character \"$\" in variable name \"A$B=1\"");
        assert_eq!(e("A=\"open\n"), "line 1: unterminated quoted value \"open");
    }
}
