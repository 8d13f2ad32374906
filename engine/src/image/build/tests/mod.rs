//! Tests of the Dockerfile parser, one file per area, with inline Dockerfiles.

use super::{parse, Dockerfile, Instruction};

mod course;
mod errors;
mod expand;
mod heredocs;
mod instructions;
mod json;
mod lines;
mod robustness;
mod warnings;

/// Parses a Dockerfile that must be valid.
fn parse_ok(text: &str) -> Dockerfile {
    match parse(text) {
        Ok(d) => d,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

/// The instructions of the first stage.
fn instructions(text: &str) -> Vec<Instruction> {
    parse_ok(text).stages[0].instructions.iter().map(|l| l.value.clone()).collect()
}

/// The one instruction written after `FROM alpine`.
fn one(line: &str) -> Instruction {
    let all = instructions(&format!("FROM alpine\n{line}\n"));
    assert_eq!(all.len(), 1, "{line:?} gave {all:?}");
    all[0].clone()
}

/// The full message `docker build` would print for an invalid Dockerfile.
fn error(text: &str) -> String {
    match parse(text) {
        Ok(d) => panic!("{text:?} should fail, gave {d:?}"),
        Err(e) => e.to_string(),
    }
}

fn s(v: &str) -> String {
    v.to_string()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}
