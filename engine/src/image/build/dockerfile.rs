//! A whole Dockerfile: parser directives, the global `ARG`s declared before the first `FROM`
//! (usable in `FROM` lines only), and the build stages, each starting with a `FROM` and holding
//! the instructions up to the next one. [`parse`] reads the text in BuildKit's two passes
//! (lines, then instructions), so errors come out in the same order as with `docker build`.

use super::directives::Directives;
use super::error::ParseError;
use super::heredoc::HeredocWord;
use super::instruction::{Arg, Instruction};
use super::lines::Scanner;
use super::lint::{self, LintLine, Warning};
use super::node::Node;
use super::parse::{parse_line, Line, Parsed};

/// A value with where it came from: what `docker build` shows for a step
/// (`[2/5] RUN apk add curl`) and points at when a step fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// 1-based line where the instruction starts.
    pub line: usize,
    /// 1-based line where it ends (continuation lines and heredoc bodies included).
    pub end_line: usize,
    /// The instruction as written, continuation lines joined, without heredoc bodies.
    pub text: String,
    pub value: T,
}

/// A build stage: `FROM image [AS name]` and what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The base image, unexpanded (`python:3.9-slim`, `${BASE}`, `scratch`, or an earlier
    /// stage's name); expand it with the global `ARG`s.
    pub from: String,
    /// The `AS` name, lower-cased as BuildKit does.
    pub name: Option<String>,
    /// `--platform=...`, unexpanded.
    pub platform: Option<String>,
    /// Where the `FROM` line is, and its text.
    pub line: usize,
    pub end_line: usize,
    pub text: String,
    pub instructions: Vec<Located<Instruction>>,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Directives,
    /// `ARG`s before the first `FROM`: they can only be used in `FROM` lines (and re-declared
    /// inside a stage to be used there).
    pub global_args: Vec<Arg>,
    /// At least one.
    pub stages: Vec<Stage>,
    warnings: Vec<Warning>,
}

impl Dockerfile {
    /// The lint warnings BuildKit would print for this file, in its order.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The stage a `--target` or `COPY --from` names: a stage name (case-insensitive) or an
    /// index.
    pub fn stage(&self, name_or_index: &str) -> Option<&Stage> {
        let lower = name_or_index.to_lowercase();
        self.stages
            .iter()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
            .or_else(|| name_or_index.parse::<usize>().ok().and_then(|i| self.stages.get(i)))
    }
}

/// One line after the first pass.
struct Entry {
    start: usize,
    end: usize,
    text: String,
    node: Node,
    heredocs: Vec<(HeredocWord, String)>,
    empty_continuation: Option<usize>,
}

/// The first pass: logical lines, their words, and the heredoc bodies after them.
fn read_lines(scanner: &mut Scanner<'_>) -> Result<Vec<Entry>, ParseError> {
    let mut entries = Vec::new();
    while let Some(line) = scanner.next_line()? {
        let located = |e: ParseError, end: usize| e.at(line.start, end);
        let node = Node::parse(&line.text, scanner.escape()).map_err(|e| located(e, line.end))?;
        let words = node.heredoc_words(&line.text).map_err(|e| located(e, line.end))?;
        let mut heredocs = Vec::with_capacity(words.len());
        for word in words {
            let Some(raw) = scanner.read_heredoc(&word.name, word.chomp) else {
                let current = scanner.current_line();
                return Err(located(ParseError::syntax("unterminated heredoc"), current));
            };
            heredocs.push((word, raw));
        }
        entries.push(Entry {
            start: line.start,
            end: scanner.current_line(),
            text: line.text.trim().to_string(),
            empty_continuation: line.empty_continuation.then_some(line.end),
            node,
            heredocs,
        });
    }
    Ok(entries)
}

/// Parses a Dockerfile. Errors are worded and ordered as BuildKit's; see [`ParseError`].
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    if text.is_empty() {
        return Err(ParseError::syntax("the Dockerfile cannot be empty"));
    }
    let mut scanner = Scanner::new(text);
    let entries = read_lines(&mut scanner)?;
    let last = scanner.current_line();
    if entries.is_empty() {
        return Err(ParseError::syntax("file with no instructions").at(last, last));
    }
    if scanner.too_long {
        let message = "dockerfile line greater than max allowed size of 65535";
        return Err(ParseError::syntax(message).at(last, last));
    }
    let directives = scanner.directives().clone();

    let mut parsed = Vec::with_capacity(entries.len());
    let mut global_args = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    for e in &entries {
        let line = Line { node: &e.node, text: &e.text, heredocs: &e.heredocs };
        let p = parse_line(&line).map_err(|err| err.at(e.start, e.end))?;
        match &p {
            Parsed::From(from) => stages.push(Stage {
                from: from.image.clone(),
                name: from.name.clone(),
                platform: from.platform.clone(),
                line: e.start,
                end_line: e.end,
                text: e.text.clone(),
                instructions: Vec::new(),
            }),
            Parsed::Instruction(Instruction::Arg(args)) if stages.is_empty() => {
                global_args.extend(args.iter().cloned());
            }
            Parsed::Instruction(instruction) => {
                let Some(stage) = stages.last_mut() else {
                    let err = ParseError::syntax("no build stage in current context");
                    return Err(err.at(e.start, e.end));
                };
                stage.instructions.push(Located {
                    line: e.start,
                    end_line: e.end,
                    text: e.text.clone(),
                    value: instruction.clone(),
                });
            }
        }
        parsed.push(p);
    }
    if stages.is_empty() {
        return Err(ParseError::syntax("dockerfile contains no stages to build"));
    }

    let lint_lines: Vec<LintLine<'_>> = entries
        .iter()
        .zip(&parsed)
        .map(|(e, p)| LintLine { node: &e.node, parsed: p, line: e.start, empty_continuation: e.empty_continuation })
        .collect();
    let warnings = lint::check(&lint_lines, &skipped_checks(directives.check.as_deref()));
    Ok(Dockerfile { directives, global_args, stages, warnings })
}

/// The rules a `# check=skip=A,B` directive turns off (`all` for every rule).
fn skipped_checks(check: Option<&str>) -> Vec<String> {
    let Some(check) = check else {
        return Vec::new();
    };
    check
        .split(';')
        .filter_map(|part| part.split_once('='))
        .filter(|(k, _)| k.trim() == "skip")
        .flat_map(|(_, v)| v.split(',').map(|r| r.trim().to_string()))
        .collect()
}
