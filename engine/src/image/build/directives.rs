//! Parser directives: special comments at the very top of a Dockerfile, before any instruction,
//! comment or blank line: `# syntax=docker/dockerfile:1` (which frontend builds the file),
//! `# escape=`` ` `` (the escape and line-continuation character, `\` by default; Windows
//! Dockerfiles use a backtick) and `# check=skip=JSONArgsRecommended` (which lint checks run).
//! Once anything else has been read, a line like `# escape=x` is just a comment.

use super::error::ParseError;

/// The parser directives a Dockerfile declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    /// `# syntax=...`: the frontend image BuildKit would use (kept, not acted upon).
    pub syntax: Option<String>,
    /// `# escape=...`: the escape and line-continuation character, `\` unless set to `` ` ``.
    pub escape: char,
    /// `# check=...`: lint configuration, e.g. `skip=JSONArgsRecommended;error=true`.
    pub check: Option<String>,
}

impl Default for Directives {
    fn default() -> Self {
        Self { syntax: None, escape: '\\', check: None }
    }
}

/// Reads directives line by line until the first line that is not one.
#[derive(Debug, Default)]
pub(crate) struct DirectiveParser {
    done: bool,
    escape_seen: bool,
    pub(crate) found: Directives,
}

/// Go's `\s` in regular expressions: ASCII spaces without `\v`.
fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// Matches `name\s*=\s*(.+?)\s*$` the way Go's regexp does, returning the name and the value.
fn match_directive(line: &str) -> Option<(&str, &str)> {
    let name_end = line
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(line.len(), |(i, _)| i);
    if name_end == 0 {
        return None;
    }
    let name = &line[..name_end];
    let rest = line[name_end..].trim_start_matches(is_re_space);
    let rest = rest.strip_prefix('=')?;
    if rest.is_empty() {
        return None;
    }
    let value = rest.trim_matches(is_re_space);
    if !value.is_empty() {
        return Some((name, value));
    }
    // Only spaces after `=`: the lazy group still takes the last one.
    let last = rest.char_indices().last().map_or(0, |(i, _)| i);
    Some((name, &rest[last..]))
}

impl DirectiveParser {
    /// Looks at one line (already stripped of its newline). Returns true if it was a directive.
    pub(crate) fn parse_line(&mut self, line: &str) -> Result<bool, ParseError> {
        if self.done {
            return Ok(false);
        }
        let Some(body) = line.strip_prefix('#') else {
            self.done = true;
            return Ok(false);
        };
        let Some((name, value)) = match_directive(body.trim_start()) else {
            self.done = true;
            return Ok(false);
        };
        let key = name.to_ascii_lowercase();
        let slot = match key.as_str() {
            "syntax" => self.found.syntax.is_some(),
            "check" => self.found.check.is_some(),
            "escape" => self.escape_seen,
            _ => {
                self.done = true;
                return Ok(false);
            }
        };
        if slot {
            return Err(ParseError::syntax(format!("only one {key} parser directive can be used")));
        }
        match key.as_str() {
            "syntax" => self.found.syntax = Some(value.to_string()),
            "check" => self.found.check = Some(value.to_string()),
            _ => {
                self.escape_seen = true;
                self.found.escape = match value {
                    "`" => '`',
                    "\\" => '\\',
                    _ => {
                        return Err(ParseError::syntax(format!(
                            "invalid escape token '{value}' does not match ` or \\"
                        )))
                    }
                };
            }
        }
        Ok(true)
    }
}
