//! From physical lines to logical lines, as BuildKit reads a Dockerfile: leading whitespace is
//! dropped, a line whose first non-blank character is `#` is a comment, and a line ending with
//! the escape character (`\`, or `` ` `` after `# escape=`` ` ``) continues on the next one.
//! Comment lines and blank lines inside a continuation are skipped (blank ones earn a
//! `NoEmptyContinuation` warning). Parser directives are read from the top lines. Heredoc
//! bodies (`RUN <<EOF` ... `EOF`) are read raw, line by line, when the instruction asks.

use super::directives::{DirectiveParser, Directives};
use super::error::ParseError;

/// Go's `bufio.Scanner` refuses longer lines; BuildKit reports it.
const MAX_LINE: usize = 64 * 1024;

/// One instruction's text, its continuations joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogicalLine {
    /// 1-based line where it starts.
    pub start: usize,
    /// 1-based line where it ends.
    pub end: usize,
    /// The joined text, continuation characters removed.
    pub text: String,
    /// A blank line sat inside the continuation.
    pub empty_continuation: bool,
}

/// Reads a Dockerfile line by line.
#[derive(Debug)]
pub(crate) struct Scanner<'a> {
    lines: Vec<&'a str>,
    /// Physical lines consumed so far (the 1-based number of the last one read).
    consumed: usize,
    directives: DirectiveParser,
    /// A line longer than Go's scanner accepts stopped the reading there.
    pub too_long: bool,
}

fn trim_newline(s: &str) -> &str {
    s.trim_end_matches(['\r', '\n'])
}

fn is_comment(s: &str) -> bool {
    s.trim_start().starts_with('#')
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = Vec::new();
        let mut too_long = false;
        for line in text.split_inclusive('\n') {
            let fits = if line.ends_with('\n') { line.len() <= MAX_LINE } else { line.len() < MAX_LINE };
            if !fits {
                too_long = true;
                break;
            }
            lines.push(line);
        }
        Self { lines, consumed: 0, directives: DirectiveParser::default(), too_long }
    }

    /// The directives read so far (all of them, once the first instruction has been read).
    pub(crate) fn directives(&self) -> &Directives {
        &self.directives.found
    }

    pub(crate) fn escape(&self) -> char {
        self.directives.found.escape
    }

    /// The 1-based number of the last physical line read.
    pub(crate) fn current_line(&self) -> usize {
        self.consumed
    }

    fn take(&mut self) -> Option<&'a str> {
        let line = self.lines.get(self.consumed).copied()?;
        self.consumed += 1;
        Some(line)
    }

    /// Strips the newline (and leading whitespace on an instruction's first line), looks for a
    /// directive, and blanks out comments.
    fn process(&mut self, raw: &'a str, strip_left: bool) -> Result<&'a str, ParseError> {
        let mut line = trim_newline(raw);
        if strip_left {
            line = line.trim_start();
        }
        let line_no = self.consumed;
        self.directives.parse_line(line).map_err(|e| e.at(line_no, line_no))?;
        Ok(if is_comment(line) { "" } else { line })
    }

    /// Removes a trailing continuation character; false if the line does not continue.
    /// The escape character continues the line when only spaces or tabs follow it and it is
    /// not itself escaped.
    fn trim_continuation(&self, line: &'a str) -> (&'a str, bool) {
        let escape = self.escape();
        let body = line.trim_end_matches([' ', '\t']);
        let Some(before) = body.strip_suffix(escape) else {
            return (line, true);
        };
        if before.ends_with(escape) {
            return (line, true);
        }
        (before, false)
    }

    /// The next instruction line, or `None` at the end of the file.
    pub(crate) fn next_line(&mut self) -> Result<Option<LogicalLine>, ParseError> {
        loop {
            let Some(raw) = self.take() else {
                return Ok(None);
            };
            let line = self.process(raw, true)?;
            let start = self.consumed;
            let (line, mut done) = self.trim_continuation(line);
            if done && line.is_empty() {
                continue;
            }
            let mut text = line.to_string();
            let mut empty_continuation = false;
            while !done {
                let Some(raw) = self.take() else { break };
                let line = self.process(raw, false)?;
                if is_comment(raw) {
                    continue;
                }
                if line.trim_start().is_empty() {
                    empty_continuation = true;
                    continue;
                }
                let (line, end) = self.trim_continuation(line);
                done = end;
                text.push_str(line);
            }
            return Ok(Some(LogicalLine { start, end: self.consumed, text, empty_continuation }));
        }
    }

    /// Reads a heredoc body up to its terminator line (compared after stripping the newline,
    /// and leading tabs for `<<-`). The body keeps its lines as written, newlines included.
    /// `None` if the file ends first.
    pub(crate) fn read_heredoc(&mut self, name: &str, chomp: bool) -> Option<String> {
        let mut content = String::new();
        while let Some(raw) = self.take() {
            let mut candidate = trim_newline(raw);
            if chomp {
                candidate = candidate.trim_start_matches('\t');
            }
            if candidate == name {
                return Some(content);
            }
            content.push_str(raw);
        }
        None
    }
}
