//! Variable substitution in Dockerfile words, as BuildKit's shell lexer does it for the
//! instructions that support it (`ENV`, `ARG`, `LABEL`, `COPY`, `ADD`, `WORKDIR`, `EXPOSE`,
//! `VOLUME`, `USER`, `STOPSIGNAL`, and `FROM` with the global `ARG`s): `$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?message}`,
//! `${VAR#pattern}`, `${VAR%pattern}`, `${VAR/pattern/replacement}`. Quotes group and are
//! removed; nothing is expanded inside single quotes; the escape character (`\` or `` ` ``)
//! makes the next character literal. The shell forms of `RUN`, `CMD` and `ENTRYPOINT` are not
//! expanded here: the shell in the container does that.

use super::error::{go_quote, ParseError};
use super::pattern;

/// The variables an expansion sees: `Some(value)` if set (possibly empty), `None` if unset.
pub type Vars<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Expands one word: `expand("${HOME:-/root}/app", vars, '\\')`. The builder calls it with the
/// build-time variables (the stage's `ARG`s and `ENV`s at that point) and the Dockerfile's
/// escape character ([`super::Directives::escape`]).
pub fn expand(word: &str, vars: Vars<'_>, escape: char) -> Result<String, ParseError> {
    Lex::new(escape, vars).process(word).map(|(word, _)| word)
}

/// Expands and then splits on unquoted whitespace, as `EXPOSE` does: with `PORTS="80 443"`,
/// `EXPOSE $PORTS` declares two ports.
pub fn expand_words(word: &str, vars: Vars<'_>, escape: char) -> Result<Vec<String>, ParseError> {
    Lex::new(escape, vars).process(word).map(|(_, words)| words)
}

/// Expands the body of a heredoc whose delimiter was not quoted (`COPY <<EOF /file`): only
/// `$` references and `\` escapes count, quotes are kept as they are.
pub fn expand_heredoc(content: &str, vars: Vars<'_>) -> Result<String, ParseError> {
    let mut lex = Lex::new('\\', vars);
    lex.skip_quotes = true;
    lex.process(content).map(|(word, _)| word)
}

/// The text BuildKit shows for a build step (`[2/5] RUN echo $HOME`): known variables are
/// replaced, unknown ones and quotes are left as written. Never fails: on a syntax error the
/// text is shown unchanged.
pub fn expand_for_display(text: &str, vars: Vars<'_>, escape: char) -> String {
    let mut lex = Lex::new(escape, vars);
    lex.raw_quotes = true;
    lex.skip_unset = true;
    lex.process(text).map_or_else(|_| text.to_string(), |(word, _)| word)
}

/// One configuration of BuildKit's shell lexer.
pub(crate) struct Lex<'v> {
    escape: char,
    /// Keep quote characters in the result.
    pub raw_quotes: bool,
    /// Keep escape characters in the result.
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters.
    pub skip_quotes: bool,
    /// Leave references to unset variables as written.
    pub skip_unset: bool,
    vars: Vars<'v>,
}

/// No variables at all (heredoc delimiters are read that way).
pub(crate) fn no_vars(_: &str) -> Option<String> {
    None
}

/// The words being built while scanning: whitespace from expanded variables splits words,
/// quoted text never does.
#[derive(Default)]
struct Words {
    buf: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if c.is_whitespace() {
            if self.in_word && !self.buf.is_empty() {
                self.words.push(std::mem::take(&mut self.buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }
    fn add_raw_char(&mut self, c: char) {
        self.buf.push(c);
        self.in_word = true;
    }
    fn add_str(&mut self, s: &str) {
        s.chars().for_each(|c| self.add_char(c));
    }
    fn add_raw_str(&mut self, s: &str) {
        self.buf.push_str(s);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<String> {
        if !self.buf.is_empty() {
            self.words.push(self.buf);
        }
        self.words
    }
}

/// How deeply `${...}` may nest (`${A:-${B:-${C}}}` is 3). BuildKit has no limit; the page's
/// stack has one, and no real Dockerfile comes near this.
const MAX_NESTING: usize = 64;

/// The scanner over one word.
struct Scan<'l, 'v> {
    lex: &'l Lex<'v>,
    chars: Vec<char>,
    pos: usize,
    /// Open `${` around the current position.
    depth: usize,
}

type Step<T> = Result<T, String>;

impl<'v> Lex<'v> {
    pub(crate) fn new(escape: char, vars: Vars<'v>) -> Self {
        Self { escape, raw_quotes: false, raw_escapes: false, skip_quotes: false, skip_unset: false, vars }
    }

    /// The expanded word and its split into words.
    pub(crate) fn process(&self, word: &str) -> Result<(String, Vec<String>), ParseError> {
        let mut scan = Scan { lex: self, chars: word.chars().collect(), pos: 0, depth: 0 };
        scan.until(None, self.raw_escapes)
            .map_err(|e| ParseError::syntax(format!("failed to process {}: {e}", go_quote(word))))
    }
}

fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

impl Scan<'_, '_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn get(&self, name: &str) -> Option<String> {
        (self.lex.vars)(name)
    }

    /// Scans up to `stop` (consumed) or the end of the word.
    fn until(&mut self, stop: Option<char>, raw_escapes: bool) -> Step<(String, Vec<String>)> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += 1;
                return Ok((result, words.finish()));
            }
            let special = match c {
                '$' => Some(self.dollar()?),
                '<' => Some(self.possible_heredoc()),
                '\'' if !self.lex.skip_quotes => Some(self.single_quote()?),
                '"' if !self.lex.skip_quotes => Some(self.double_quote(raw_escapes)?),
                _ => None,
            };
            if let Some(text) = special {
                result.push_str(&text);
                if c == '$' {
                    words.add_str(&text);
                } else {
                    words.add_raw_str(&text);
                }
                continue;
            }
            self.pos += 1;
            if c == self.lex.escape {
                if raw_escapes {
                    words.add_raw_char(c);
                    result.push(c);
                }
                let Some(next) = self.next() else { break };
                words.add_raw_char(next);
                result.push(next);
            } else {
                words.add_char(c);
                result.push(c);
            }
        }
        match stop {
            Some(stop) => Err(format!("unexpected end of statement while looking for matching {stop}")),
            None => Ok((result, words.finish())),
        }
    }

    fn single_quote(&mut self) -> Step<String> {
        let mut result = String::new();
        self.pos += 1;
        if self.lex.raw_quotes {
            result.push('\'');
        }
        loop {
            match self.next() {
                None => return Err("unexpected end of statement while looking for matching single-quote".into()),
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn double_quote(&mut self, raw_escapes: bool) -> Step<String> {
        let mut result = String::new();
        self.pos += 1;
        if self.lex.raw_quotes {
            result.push('"');
        }
        loop {
            match self.peek() {
                None => return Err("unexpected end of statement while looking for matching double-quote".into()),
                Some('"') => {
                    self.pos += 1;
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                }
                Some(mut c) => {
                    self.pos += 1;
                    if c == self.lex.escape {
                        if raw_escapes {
                            result.push(c);
                        }
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.lex.escape => {
                                self.pos += 1;
                                c = n;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(c);
                }
            }
        }
    }

    fn possible_heredoc(&mut self) -> String {
        self.pos += 1;
        if self.peek() != Some('<') {
            return "<".into();
        }
        self.pos += 1;
        let mut result = String::from("<<");
        while let Some(c @ ('\t' | '\r' | ' ')) = self.peek() {
            result.push(c);
            self.pos += 1;
        }
        result
    }

    /// A variable name: letters, digits and `_`; or all the digits of a positional parameter;
    /// or one special parameter character.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    name.push(d);
                    self.pos += 1;
                }
                return name;
            }
            if name.is_empty() && is_special_param(c) {
                self.pos += 1;
                return c.to_string();
            }
            if !c.is_alphanumeric() && c != '_' {
                break;
            }
            name.push(c);
            self.pos += 1;
        }
        name
    }

    fn dollar(&mut self) -> Step<String> {
        self.pos += 1;
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.get(&name) {
                Some(value) => value,
                None if self.lex.skip_unset => format!("${name}"),
                None => String::new(),
            });
        }
        self.pos += 1;
        if self.depth >= MAX_NESTING {
            return Err("syntax error: substitutions nested too deeply".into());
        }
        self.depth += 1;
        let result = self.braced();
        self.depth -= 1;
        result
    }

    /// After `${`.
    fn braced(&mut self) -> Step<String> {
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.name();
        // Go prints the end of input as U+FFFD.
        let mut op = self.next().unwrap_or('\u{fffd}');
        let mut ops = op.to_string();
        match op {
            '}' => {
                return Ok(match self.get(&name) {
                    Some(value) => value,
                    None if self.lex.skip_unset => format!("${{{name}}}"),
                    None => String::new(),
                })
            }
            '/' => return self.replace(&name),
            ':' | '+' | '-' | '?' | '#' | '%' => {}
            _ => return Err(format!("unsupported modifier ({ops}) in substitution")),
        }
        let null_is_unset = op == ':';
        if null_is_unset {
            op = self.next().unwrap_or('\u{fffd}');
            ops.push(op);
        }
        let raw = op == '#' || op == '%';
        if null_is_unset && raw {
            return Err(format!("unsupported modifier ({ops}) in substitution"));
        }
        let (word, _) = self.until(Some('}'), raw).map_err(|e| {
            if self.peek().is_none() {
                "syntax error: missing '}'".to_string()
            } else {
                e
            }
        })?;
        let value = self.get(&name);
        if value.is_none() && self.lex.skip_unset {
            return Ok(format!("${{{name}{ops}{word}}}"));
        }
        let set = value.is_some();
        let value = value.unwrap_or_default();
        let missing = !set || (null_is_unset && value.is_empty());
        match op {
            '-' => Ok(if missing { word } else { value }),
            '+' => Ok(if missing { String::new() } else { word }),
            '?' if missing => {
                let default = if set { "is not allowed to be empty" } else { "is not allowed to be unset" };
                let message = if word.is_empty() { default } else { &word };
                Err(format!("{name}: {message}"))
            }
            '?' => Ok(value),
            '#' | '%' => {
                let (greedy, pat) = match word.strip_prefix(op) {
                    Some(p) => (true, p),
                    None => (false, word.as_str()),
                };
                if op == '%' {
                    pattern::trim_suffix(pat, &value, greedy)
                } else {
                    pattern::trim_prefix(pat, &value, greedy)
                }
            }
            _ => Err(format!("unsupported modifier ({ops}) in substitution")),
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    fn replace(&mut self, name: &str) -> Step<String> {
        let all = self.peek() == Some('/');
        if all {
            self.pos += 1;
        }
        let (pat, _) = self.until(Some('/'), true).map_err(|e| {
            if self.peek().is_none() {
                "syntax error: missing '/' in ${}".to_string()
            } else {
                e
            }
        })?;
        let (replacement, _) = self.until(Some('}'), true).map_err(|e| {
            if self.peek().is_none() {
                "syntax error: missing '}'".to_string()
            } else {
                e
            }
        })?;
        match self.get(name) {
            Some(value) => pattern::replace(&pat, &value, &replacement, all),
            None if self.lex.skip_unset => Ok(format!("${{{name}/{pat}/{replacement}}}")),
            None => pattern::replace(&pat, "", &replacement, all),
        }
    }
}
