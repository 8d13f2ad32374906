//! Why a Dockerfile is rejected, worded as BuildKit words it. BuildKit has two kinds of errors:
//! the ones its instruction parser raises are prefixed `dockerfile parse error on line N:`
//! (`unknown instruction: RUNN`, `FROM requires either one or three arguments`); the ones its
//! line scanner raises (`unterminated heredoc`, `file with no instructions`, a malformed `ENV`)
//! are printed bare, and `docker build` shows the offending lines above them. Both carry the
//! line so the CLI can print that excerpt.

use thiserror::Error;

/// Which part of BuildKit's parser would have raised the error; it decides the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Raised while reading lines, directives, heredocs and arguments, or while expanding
    /// variables: the message is printed as is.
    Syntax,
    /// Raised while turning a line into an instruction: printed as
    /// `dockerfile parse error on line N: <message>`.
    Instruction,
}

/// A Dockerfile that cannot be parsed, or a word whose variables cannot be expanded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.render())]
pub struct ParseError {
    /// The 1-based line where the offending instruction starts, when there is one.
    pub line: Option<usize>,
    /// The line where it ends (continuations and heredocs span several lines).
    pub end_line: Option<usize>,
    /// BuildKit's message, without the `dockerfile parse error on line N:` prefix.
    pub message: String,
    /// Whether [`Display`](std::fmt::Display) adds that prefix.
    pub kind: ErrorKind,
}

impl ParseError {
    /// An error of the line scanner (printed bare).
    pub(crate) fn syntax(message: impl Into<String>) -> Self {
        Self { line: None, end_line: None, message: message.into(), kind: ErrorKind::Syntax }
    }

    /// An error of the instruction parser (printed with the line prefix).
    pub(crate) fn instruction(message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::Instruction, ..Self::syntax(message) }
    }

    /// Places the error on lines `start..=end` unless it already has a place.
    pub(crate) fn at(mut self, start: usize, end: usize) -> Self {
        if self.line.is_none() {
            self.line = Some(start);
            self.end_line = Some(end.max(start));
        }
        self
    }

    fn render(&self) -> String {
        match (self.kind, self.line) {
            (ErrorKind::Instruction, Some(line)) => {
                format!("dockerfile parse error on line {line}: {}", self.message)
            }
            _ => self.message.clone(),
        }
    }
}

/// Quotes a string as Go's `%q` (`strconv.Quote`) does, since BuildKit's messages use it:
/// `"a\tb"`, `"\x00"`, `"\u00a0"`. Printability follows Rust's idea of control and whitespace
/// characters, which matches Go's `unicode.IsPrint` on everything but rare format characters.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    let format = matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF);
    !c.is_control() && !c.is_whitespace() && !format
}
