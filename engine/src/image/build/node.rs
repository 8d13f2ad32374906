//! The first pass over an instruction line, as BuildKit's line parsers do it: the keyword is
//! looked up (case-insensitively), the `--flags` are set apart, and the arguments are cut the
//! way that instruction wants them: exec-form JSON or shell form (`RUN`, `CMD`, `ENTRYPOINT`,
//! `SHELL`), JSON or a word list (`COPY`, `ADD`, `VOLUME`), `key=value` pairs (`ENV`, `LABEL`),
//! shell-like words (`ARG`), whitespace-separated words (`FROM`, `EXPOSE`), the whole rest
//! (`WORKDIR`, `USER`...), or a nested instruction (`ONBUILD`). What each argument means is
//! decided in the second pass ([`super::parse`]).

use super::error::{go_quote, ParseError};
use super::heredoc::{heredocs_in_line, HeredocWord};
use super::words::{parse_json, parse_words, split_command, split_whitespace};

/// One instruction line after the first pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    /// The keyword as written (`RUN`, `run`, `Run`).
    pub command: String,
    /// The `--name=value` words after the keyword, unquoted.
    pub flags: Vec<String>,
    /// The arguments. `ENV` and `LABEL` give triples: key, value, and `=` (or `""` for the
    /// legacy `ENV key value` form).
    pub args: Vec<String>,
    /// The arguments were a JSON array (exec form).
    pub json: bool,
    /// The instruction behind `ONBUILD`.
    pub child: Option<Box<Node>>,
}

impl Node {
    /// Parses one logical line.
    pub(crate) fn parse(line: &str, escape: char) -> Result<Self, ParseError> {
        Self::parse_nested(line, escape, false)
    }

    /// Parses a line, or (`nested`) the rest of an `ONBUILD` line. An `ONBUILD` behind an
    /// `ONBUILD` is refused later on, so its own trigger is not parsed: a line of a thousand
    /// `ONBUILD`s must not recurse a thousand times.
    fn parse_nested(line: &str, escape: char, nested: bool) -> Result<Self, ParseError> {
        let (command, flags, rest) = split_command(line, escape);
        let mut node = Node { command, flags, args: Vec::new(), json: false, child: None };
        match node.command.to_ascii_lowercase().as_str() {
            "add" | "copy" | "volume" => match parse_json(&rest)? {
                Some(args) => (node.args, node.json) = (args, true),
                None => node.args = whitespace_words(&rest),
            },
            "cmd" | "entrypoint" | "run" | "shell" => {
                (node.args, node.json) = maybe_json(&rest)?;
            }
            "env" => node.args = name_values(&rest, "ENV", escape)?,
            "label" => node.args = name_values(&rest, "LABEL", escape)?,
            "arg" => node.args = parse_words(&rest, escape),
            "expose" | "from" => node.args = whitespace_words(&rest),
            "healthcheck" => (node.args, node.json) = health_config(&rest)?,
            "maintainer" | "stopsignal" | "user" | "workdir" if !rest.is_empty() => {
                node.args = vec![rest];
            }
            "onbuild" if !rest.is_empty() && !nested => {
                let child = Node::parse_nested(&rest, escape, true)?;
                node.args = std::iter::once(child.command.clone()).chain(child.args.iter().cloned()).collect();
                node.child = Some(Box::new(child));
            }
            // Unknown instructions are reported by the second pass.
            _ => {}
        }
        Ok(node)
    }

    /// Whether the lines after this one may hold heredoc bodies: a shell-form `RUN`, `COPY` or
    /// `ADD`, possibly behind `ONBUILD`.
    pub(crate) fn takes_heredocs(&self) -> bool {
        let node = match (&self.child, self.command.eq_ignore_ascii_case("onbuild")) {
            (Some(child), true) => child,
            _ => self,
        };
        let name = node.command.to_ascii_lowercase();
        matches!(name.as_str(), "run" | "copy" | "add") && !node.json
    }

    /// The heredoc openers on `line` if this instruction takes heredocs.
    pub(crate) fn heredoc_words(&self, line: &str) -> Result<Vec<HeredocWord>, ParseError> {
        if self.takes_heredocs() && line.contains("<<") {
            heredocs_in_line(line)
        } else {
            Ok(Vec::new())
        }
    }
}

fn whitespace_words(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        Vec::new()
    } else {
        split_whitespace(rest, 0)
    }
}

/// Exec form if `rest` is a JSON array of strings, else the whole text as one shell command.
fn maybe_json(rest: &str) -> Result<(Vec<String>, bool), ParseError> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    Ok(match parse_json(rest)? {
        Some(args) => (args, true),
        None => (vec![rest.to_string()], false),
    })
}

/// `KEY name=value ...`, or the legacy `KEY name value` (the value is the rest of the line).
fn name_values(rest: &str, key: &str, escape: char) -> Result<Vec<String>, ParseError> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let parts = split_whitespace(rest, 2);
        let [name, value] = parts.as_slice() else {
            return Err(ParseError::syntax(format!("{key} must have two arguments")));
        };
        return Ok(vec![name.clone(), value.clone(), String::new()]);
    }
    let mut args = Vec::with_capacity(words.len() * 3);
    for word in &words {
        let Some((name, value)) = word.split_once('=') else {
            return Err(ParseError::syntax(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                go_quote(word)
            )));
        };
        args.extend([name.to_string(), value.to_string(), "=".to_string()]);
    }
    Ok(args)
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK CMD <command>`: the type word, then the command.
fn health_config(rest: &str) -> Result<(Vec<String>, bool), ParseError> {
    let sep = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if sep == 0 {
        return Ok((Vec::new(), false));
    }
    let command = rest[sep..].trim_start();
    let (args, json) = maybe_json(command)?;
    let mut all = vec![rest[..sep].to_string()];
    all.extend(args);
    Ok((all, json))
}
