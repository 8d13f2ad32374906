//! The configuration as a tree of directives (`name args... ;` or `name args... { ... }`),
//! with every `include` replaced by the directives of the files it names (a glob like
//! `conf.d/*.conf` takes the matching files in alphabetical order, none is fine; a plain path
//! must exist). Each directive remembers its file and line for error messages.

use super::lexer::{tokenize, Token};
use std::fmt;
use std::io;

/// One directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub args: Vec<String>,
    pub file: String,
    /// The line of its `;` or `{`, where nginx reports errors about it.
    pub line: usize,
    pub block: Option<Vec<Directive>>,
}

impl Directive {
    /// `in /etc/nginx/conf.d/default.conf:3`, the suffix of nginx's messages.
    pub fn at(&self) -> Location {
        Location { file: self.file.clone(), line: self.line }
    }
}

/// Where an error is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

/// A configuration error, printed as nginx does after `nginx: [emerg] `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfError {
    pub message: String,
    pub at: Option<Location>,
}

impl ConfError {
    pub fn new(message: impl Into<String>, at: Option<Location>) -> Self {
        ConfError { message: message.into(), at }
    }
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            // Directives given with `-g` are "in command line", without a line.
            Some(at) if at.line == 0 => write!(f, "{} in {}", self.message, at.file),
            Some(at) => write!(f, "{} in {}:{}", self.message, at.file, at.line),
            None => f.write_str(&self.message),
        }
    }
}

/// Where configuration files come from (the real filesystem, or a map in tests).
pub trait Files {
    fn read(&self, path: &str) -> io::Result<String>;
    /// The files of `dir` (names only).
    fn list(&self, dir: &str) -> io::Result<Vec<String>>;
}

/// The real filesystem.
#[derive(Debug)]
pub struct Disk;

impl Files for Disk {
    fn read(&self, path: &str) -> io::Result<String> {
        std::fs::read_to_string(path)
    }
    fn list(&self, dir: &str) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type().is_ok_and(|t| !t.is_dir()) {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        Ok(names)
    }
}

const MAX_INCLUDE_DEPTH: usize = 16;

/// Reads `path` and every file it includes; relative include paths are relative to `prefix`
/// (`/etc/nginx/`).
pub fn load(files: &dyn Files, path: &str, prefix: &str) -> Result<Vec<Directive>, ConfError> {
    let text = files
        .read(path)
        .map_err(|e| ConfError::new(format!("open() \"{path}\" failed ({})", guest_server::errno::text(&e)), None))?;
    parse_file(files, path, &text, prefix, 0)
}

fn parse_file(
    files: &dyn Files,
    path: &str,
    text: &str,
    prefix: &str,
    depth: usize,
) -> Result<Vec<Directive>, ConfError> {
    let at = |line| Some(Location { file: path.to_string(), line });
    let tokens = tokenize(text).map_err(|e| ConfError::new(e.message, at(e.line)))?;
    let last_line = text.matches('\n').count() + 1;
    let mut p = Parser { files, path, prefix, depth, tokens, pos: 0, last_line };
    p.block(false)
}

struct Parser<'a> {
    files: &'a dyn Files,
    path: &'a str,
    prefix: &'a str,
    depth: usize,
    tokens: Vec<(Token, usize)>,
    pos: usize,
    last_line: usize,
}

impl Parser<'_> {
    fn at(&self, line: usize) -> Option<Location> {
        Some(Location { file: self.path.to_string(), line })
    }

    fn err(&self, message: impl Into<String>, line: usize) -> ConfError {
        ConfError::new(message, self.at(line))
    }

    fn next(&mut self) -> Option<(Token, usize)> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// Directives until the end of the file (top level) or the block's `}`.
    fn block(&mut self, inner: bool) -> Result<Vec<Directive>, ConfError> {
        let mut out = Vec::new();
        loop {
            let (name, _) = match self.next() {
                None if inner => return Err(self.err("unexpected end of file, expecting \"}\"", self.last_line)),
                None => return Ok(out),
                Some((Token::Close, _)) if inner => return Ok(out),
                Some((Token::Close, line)) => return Err(self.err("unexpected \"}\"", line)),
                Some((Token::Semicolon, line)) => return Err(self.err("unexpected \";\"", line)),
                Some((Token::Open, line)) => return Err(self.err("unexpected \"{\"", line)),
                Some((Token::Word(w), line)) => (w, line),
            };
            let mut args = Vec::new();
            let directive = loop {
                match self.next() {
                    Some((Token::Word(w), _)) => args.push(w),
                    Some((Token::Semicolon, line)) => {
                        break Directive { name, args, file: self.path.into(), line, block: None };
                    }
                    Some((Token::Open, line)) => {
                        let block = self.block(true)?;
                        break Directive { name, args, file: self.path.into(), line, block: Some(block) };
                    }
                    Some((Token::Close, line)) => return Err(self.err("unexpected \"}\"", line)),
                    None => return Err(self.err("unexpected end of file, expecting \";\" or \"}\"", self.last_line)),
                }
            };
            if directive.name == "include" && directive.block.is_none() {
                out.extend(self.include(&directive)?);
            } else {
                out.push(directive);
            }
        }
    }

    fn include(&self, d: &Directive) -> Result<Vec<Directive>, ConfError> {
        let [pattern] = d.args.as_slice() else {
            return Err(self.err("invalid number of arguments in \"include\" directive", d.line));
        };
        if self.depth >= MAX_INCLUDE_DEPTH {
            return Err(self.err("too deep includes (is a file including itself?)", d.line));
        }
        let full = if pattern.starts_with('/') { pattern.clone() } else { format!("{}{pattern}", self.prefix) };
        let paths = if full.contains(['*', '?', '[']) {
            let (dir, name) = full.rsplit_once('/').unwrap_or(("", &full));
            let mut names: Vec<String> =
                self.files.list(dir).unwrap_or_default().into_iter().filter(|n| glob_match(name, n)).collect();
            names.sort();
            names.into_iter().map(|n| format!("{dir}/{n}")).collect()
        } else {
            vec![full]
        };
        let mut out = Vec::new();
        for path in paths {
            let text = self.files.read(&path).map_err(|e| {
                self.err(format!("open() \"{path}\" failed ({})", guest_server::errno::text(&e)), d.line)
            })?;
            out.extend(parse_file(self.files, &path, &text, self.prefix, self.depth + 1)?);
        }
        Ok(out)
    }
}

/// Shell-style matching of one path component: `*`, `?`; a leading dot must be matched
/// explicitly, as glob(3) does.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some(('?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    go(&pattern.chars().collect::<Vec<_>>(), &name.chars().collect::<Vec<_>>())
}

#[cfg(test)]
#[path = "tree_tests.rs"]
pub mod tests_support;
