//! The lines and words of Apache's configuration files: `#` comments, `\` continuations,
//! blank-separated words with `"..."` quoting, and the `*`/`?` patterns of `Include` and
//! `<Files>`.

/// One logical line: where it starts, and its words.
pub struct Line {
    pub file: String,
    pub no: usize,
    pub words: Vec<String>,
}

/// Splits a line into words: blanks separate, `"..."` quotes (with `\"`).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut w = String::new();
        if c == '"' || c == '\'' {
            let q = c;
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek().is_some_and(|&n| n == q || n == '\\') => w.extend(chars.next()),
                    c if c == q => break,
                    c => w.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                w.push(c);
                chars.next();
            }
        }
        out.push(w);
    }
    out
}

/// The logical lines of a file: comments and blank lines dropped, continuations joined.
pub fn lines(file: &str, text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if pending.is_empty() {
            start = i + 1;
        }
        let t = raw.trim();
        if let Some(cont) = t.strip_suffix('\\') {
            pending.push_str(cont);
            pending.push(' ');
            continue;
        }
        pending.push_str(t);
        let full = std::mem::take(&mut pending);
        if full.is_empty() || full.starts_with('#') {
            continue;
        }
        out.push(Line { file: file.to_string(), no: start, words: words(&full) });
    }
    out
}

/// `*` and `?` matching (for `Include`, `<Files>`).
pub fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some((b'*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some((b'?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}
