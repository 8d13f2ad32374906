//! `docker build`'s input: the Dockerfile. A Dockerfile is a list of instructions (`FROM`,
//! `RUN`, `COPY`, `ENV`, `CMD`...) grouped into build stages, each starting with `FROM`. This
//! module parses it as BuildKit (Docker's builder) does: same line rules (comments,
//! continuations, the `# escape=` directive, heredocs), same exec/shell forms, same variable
//! substitution rules, same error messages and lint warnings. Building the image from the
//! parsed stages is the builder's job.
//!
//! ```
//! use engine::image::build::{parse, Instruction, ShellOrExec};
//! let file = parse("FROM alpine AS base\nRUN apk add curl\nCMD [\"curl\", \"--help\"]\n").unwrap();
//! let stage = &file.stages[0];
//! assert_eq!((stage.from.as_str(), stage.name.as_deref()), ("alpine", Some("base")));
//! assert_eq!(stage.instructions[0].text, "RUN apk add curl");
//! assert!(matches!(&stage.instructions[1].value, Instruction::Cmd(ShellOrExec::Exec(_))));
//! ```

mod directives;
mod dockerfile;
mod duration;
mod error;
mod expand;
mod flags;
mod healthcheck;
mod heredoc;
mod instruction;
mod lines;
mod lint;
mod node;
mod parse;
mod pattern;
mod substitute;
mod suggest;
mod words;

#[cfg(test)]
mod tests;

pub use directives::Directives;
pub use dockerfile::{parse, Dockerfile, Located, Stage};
pub(crate) use duration::parse_go_duration;
pub use error::{ErrorKind, ParseError};
pub use expand::{expand, expand_for_display, expand_heredoc, expand_words, Vars};
pub use instruction::{Add, Arg, Copy, Healthcheck, Heredoc, Instruction, Run, ShellOrExec};
pub use lint::{render_warnings, Warning};
