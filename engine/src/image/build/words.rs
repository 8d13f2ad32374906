//! How BuildKit cuts an instruction's line into words before it knows what they mean: the
//! instruction keyword, the `--flag=value` words that follow it, then the arguments, either as
//! a JSON array (`["python", "app.py"]`, the *exec form*), as whitespace-separated words, or as
//! shell-like words where quotes group spaces (`ENV a="x y"`). Quotes and escapes are kept in
//! the words: they are only interpreted when variables are expanded.

use super::error::ParseError;

/// The whitespace BuildKit splits on (`[\t\v\f\r ]+`): ASCII only.
fn is_split_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Splits `s` on runs of ASCII whitespace, at most `limit` parts (`0`: no limit).
pub(crate) fn split_whitespace(s: &str, limit: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        if limit != 0 && parts.len() + 1 == limit {
            parts.push(rest.to_string());
            return parts;
        }
        match rest.find(is_split_space) {
            Some(i) => {
                parts.push(rest[..i].to_string());
                rest = rest[i..].trim_start_matches(is_split_space);
            }
            None => {
                parts.push(rest.to_string());
                return parts;
            }
        }
    }
}

/// Cuts a logical line into the keyword, its `--flags`, and the rest of the line.
pub(crate) fn split_command(line: &str, escape: char) -> (String, Vec<String>, String) {
    let parts = split_whitespace(line.trim(), 2);
    let command = parts.first().cloned().unwrap_or_default();
    match parts.get(1) {
        Some(rest) => {
            let (args, flags) = extract_flags(rest, escape);
            (command, flags, args.trim().to_string())
        }
        None => (command, Vec::new(), String::new()),
    }
}

#[derive(PartialEq)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// Takes the leading words that start with `--` off `line`; a lone `--` ends them.
fn extract_flags(line: &str, escape: char) -> (String, Vec<String>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let n = chars.len();
    let rest_at = |pos: usize| chars.get(pos).map_or("", |&(i, _)| &line[i..]).to_string();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= n {
        let at_end = pos == n;
        let mut ch = chars.get(pos).map_or('\0', |&(_, c)| c);
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            let next_is_dash = chars.get(pos + 1).is_some_and(|&(_, c)| c == '-');
            if ch != '-' || !next_is_dash {
                return (rest_at(pos), words);
            }
            phase = Phase::Word;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if word == "--" {
                    return (rest_at(pos), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == escape {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = chars[pos].1;
            }
            word.push(ch);
            pos += 1;
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == escape {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = chars[pos].1;
        }
        word.push(ch);
        pos += 1;
    }
    (String::new(), words)
}

/// Shell-like words (`ENV`, `LABEL`, `ARG`): whitespace separates words except inside quotes;
/// the quotes and escape characters stay in the words.
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<String> {
    let chars: Vec<char> = rest.chars().collect();
    let n = chars.len();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut pos = 0;
    while pos <= n {
        let at_end = pos == n;
        let mut ch = chars.get(pos).copied().unwrap_or('\0');
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            phase = Phase::Word;
        }
        if at_end {
            if blank_ok || !word.is_empty() {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                // An escape outside quotes keeps itself and the next character, even a quote.
                word.push(ch);
                pos += 1;
                ch = chars[pos];
            }
            word.push(ch);
            pos += 1;
            continue;
        }
        // Inside quotes: the escape character escapes, except inside single quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            word.push(ch);
            ch = chars[pos];
        }
        word.push(ch);
        pos += 1;
    }
    words
}

/// The exec form: `Some(words)` if `rest` is a JSON array of strings, `None` if it is not JSON
/// at all (the caller falls back to the shell form, as Docker does). A JSON array holding
/// anything but strings is an error.
pub(crate) fn parse_json(rest: &str) -> Result<Option<Vec<String>>, ParseError> {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Ok(None);
    }
    let Ok(values) = serde_json::from_str::<Vec<serde_json::Value>>(rest) else {
        return Ok(None);
    };
    values
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            _ => Err(ParseError::syntax("when using JSON array syntax, arrays must be comprised of strings only")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
