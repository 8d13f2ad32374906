//! Heredocs: `RUN <<EOF`, `COPY <<EOF /etc/motd`, several on one line (`RUN <<A <<B`).
//! The lines after the instruction, up to a line holding only the delimiter, are the heredoc's
//! content. `<<-EOF` strips leading tabs (from the content and before the delimiter); a quoted
//! delimiter (`<<"EOF"`, `<<'EOF'`) turns off variable expansion in the content; `3<<EOF`
//! names a file descriptor. Only `RUN`, `COPY` and `ADD` (also behind `ONBUILD`) take heredocs,
//! and only in their shell form.

use super::error::ParseError;
use super::expand::{no_vars, Lex};

/// An inline document attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter, unquoted: `EOF`. For `COPY` it is also the source's file name.
    pub name: String,
    /// The lines between the instruction and the delimiter, newlines included. With `<<-`
    /// their leading tabs are already removed.
    pub content: String,
    /// Whether variables in the content are expanded (the delimiter was not quoted); see
    /// [`super::expand_heredoc`].
    pub expand: bool,
    /// Whether the delimiter was written `<<-` (leading tabs stripped).
    pub chomp: bool,
    /// The file descriptor written before `<<` (`3<<EOF`), if any.
    pub fd: Option<u32>,
}

/// What the `<<word` says, before the content is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeredocWord {
    pub name: String,
    pub expand: bool,
    pub chomp: bool,
    pub fd: Option<u32>,
}

impl HeredocWord {
    /// Attaches the content read from the file (raw), stripping tabs for `<<-`.
    pub(crate) fn with_content(&self, raw: &str) -> Heredoc {
        Heredoc {
            name: self.name.clone(),
            content: if self.chomp { chomp(raw) } else { raw.to_string() },
            expand: self.expand,
            chomp: self.chomp,
            fd: self.fd,
        }
    }
}

/// Removes the leading tabs of every line.
pub(crate) fn chomp(content: &str) -> String {
    content.split_inclusive('\n').map(|line| line.trim_start_matches('\t')).collect()
}

fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// Reads one word as a heredoc opener (`[fd]<<[-]word`), or `None` if it is not one.
pub(crate) fn parse_heredoc(word: &str) -> Result<Option<HeredocWord>, ParseError> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(rest) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    if rest.contains('<') {
        return Ok(None);
    }
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(is_re_space);
    if rest.is_empty() {
        return Ok(None);
    }
    let vars = no_vars;
    let mut lex = Lex::new('\\', &vars);
    lex.skip_unset = true;
    let (_, cooked) = lex.process(rest)?;
    if cooked.len() != 1 {
        return Ok(None);
    }
    lex.raw_quotes = true;
    let (_, raw) = lex.process(rest)?;
    if raw.len() != cooked.len() {
        return Err(ParseError::syntax(format!("internal lexing of heredoc produced inconsistent results: {rest}")));
    }
    let ([name], [raw]) = (cooked.as_slice(), raw.as_slice()) else {
        return Ok(None);
    };
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    Ok(Some(HeredocWord {
        expand: quotes(name) == quotes(raw),
        name: name.clone(),
        chomp,
        fd: word[..digits].parse::<u32>().ok(),
    }))
}

/// The heredoc openers on an instruction's line, in order.
pub(crate) fn heredocs_in_line(line: &str) -> Result<Vec<HeredocWord>, ParseError> {
    let vars = no_vars;
    let mut lex = Lex::new('\\', &vars);
    lex.raw_quotes = true;
    lex.raw_escapes = true;
    lex.skip_unset = true;
    // A line the shell lexer cannot read (an unbalanced quote) has no heredocs.
    let words = lex.process(line).map(|(_, w)| w).unwrap_or_default();
    let mut docs = Vec::new();
    for word in words {
        if let Some(doc) = parse_heredoc(&word)? {
            docs.push(doc);
        }
    }
    Ok(docs)
}
