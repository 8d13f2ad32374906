//! Shell patterns in `${VAR#pattern}`, `${VAR%pattern}` and `${VAR/pattern/replacement}`:
//! `*` matches any run of characters, `?` any one character, `\` makes `*`, `?` or `\`
//! literal. `#`/`%` remove the shortest matching prefix/suffix, `##`/`%%` the longest; `/`
//! replaces the first (longest) match, `//` every match. As in BuildKit (which turns the
//! pattern into a Go regular expression), wildcards do not match a newline.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Lit(char),
    Any,
    Star,
}

fn compile(pattern: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => toks.push(Tok::Star),
            '?' => toks.push(Tok::Any),
            '\\' => {
                // `\}` and `\/` were escapes of the `${...}` syntax, not of the pattern.
                if matches!(chars.peek(), Some('}' | '/')) {
                    continue;
                }
                match chars.next() {
                    Some(c @ ('*' | '?' | '\\')) => toks.push(Tok::Lit(c)),
                    other => return Err(format!("invalid escape '\\{}'", other.unwrap_or('\u{fffd}'))),
                }
            }
            c => toks.push(Tok::Lit(c)),
        }
    }
    Ok(toks)
}

fn invalid(pattern: &str, err: String) -> String {
    format!("invalid pattern ({pattern}) in substitution: {err}")
}

/// Adds the states reachable without consuming input (a `*` may match nothing).
fn close(toks: &[Tok], states: &mut [bool]) {
    for i in 0..toks.len() {
        if states[i] && toks[i] == Tok::Star {
            states[i + 1] = true;
        }
    }
}

/// Every end position of a match of the whole pattern starting at `start`, in order.
fn match_ends(toks: &[Tok], value: &[char], start: usize) -> Vec<usize> {
    let m = toks.len();
    let mut states = vec![false; m + 1];
    states[0] = true;
    close(toks, &mut states);
    let mut ends = Vec::new();
    let mut pos = start;
    loop {
        if states[m] {
            ends.push(pos);
        }
        let Some(&c) = value.get(pos) else { break };
        let mut next = vec![false; m + 1];
        let mut any = false;
        for (i, tok) in toks.iter().enumerate() {
            if !states[i] {
                continue;
            }
            match *tok {
                Tok::Lit(x) if x == c => next[i + 1] = true,
                Tok::Any if c != '\n' => next[i + 1] = true,
                Tok::Star if c != '\n' => next[i] = true,
                _ => continue,
            }
            any = true;
        }
        if !any {
            break;
        }
        close(toks, &mut next);
        states = next;
        pos += 1;
    }
    ends
}

/// `${VAR#pattern}` (shortest) and `${VAR##pattern}` (greedy, longest).
pub(crate) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let toks = compile(pattern).map_err(|e| invalid(pattern, e))?;
    let chars: Vec<char> = value.chars().collect();
    let ends = match_ends(&toks, &chars, 0);
    let cut = if greedy { ends.last() } else { ends.first() };
    Ok(match cut {
        Some(&n) => chars[n..].iter().collect(),
        None => value.to_string(),
    })
}

/// Reverses a pattern, keeping each escape before the character it escapes.
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = vec!['\0'; chars.len()];
    let last = chars.len().saturating_sub(1);
    let mut i = 0;
    while i < chars.len() {
        let at = last - i;
        if chars[i] == '\\' && i != last {
            out[at - 1] = '\\';
            out[at] = chars[i + 1];
            i += 2;
        } else {
            out[at] = chars[i];
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// `${VAR%pattern}` and `${VAR%%pattern}`: BuildKit reverses both strings and trims a prefix.
pub(crate) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// The leftmost match at or after `from`, longest there: `(start, end)`.
fn find(toks: &[Tok], value: &[char], from: usize) -> Option<(usize, usize)> {
    (from..=value.len()).find_map(|start| match_ends(toks, value, start).last().map(|&end| (start, end)))
}

/// `${VAR/pattern/replacement}` and `${VAR//pattern/replacement}`, with the rules of Go's
/// `ReplaceAllString` for empty matches.
pub(crate) fn replace(pattern: &str, value: &str, replacement: &str, all: bool) -> Result<String, String> {
    let toks = compile(pattern).map_err(|e| invalid(pattern, e))?;
    let chars: Vec<char> = value.chars().collect();
    let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    if !all {
        return Ok(match find(&toks, &chars, 0) {
            Some((a, b)) => format!("{}{replacement}{}", slice(0, a), slice(b, chars.len())),
            None => value.to_string(),
        });
    }
    let mut out = String::new();
    let mut last_end = 0;
    let mut search = 0;
    while search <= chars.len() {
        let Some((a, b)) = find(&toks, &chars, search) else {
            break;
        };
        out.push_str(&slice(last_end, a));
        if b > last_end || a == 0 {
            out.push_str(replacement);
        }
        last_end = b;
        search = if search + 1 > b { search + 1 } else { b };
    }
    out.push_str(&slice(last_end.min(chars.len()), chars.len()));
    Ok(out)
}
