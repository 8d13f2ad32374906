//! Physical to logical lines: continuations, comments, blank lines, directives, line endings.

use super::{instructions, one, parse_ok, s};
use crate::image::build::{Instruction, ShellOrExec};

fn shell(cmd: &str) -> Instruction {
    Instruction::Run(crate::image::build::Run {
        cmd: ShellOrExec::Shell(cmd.into()),
        mounts: vec![],
        network: None,
        security: None,
        devices: vec![],
        heredocs: vec![],
    })
}

#[test]
fn continuation_lines_are_joined_keeping_their_indentation() {
    let file = parse_ok("FROM alpine\nRUN apk add \\\n    curl \\\n    git\nCMD sh\n");
    let run = &file.stages[0].instructions[0];
    assert_eq!(run.text, "RUN apk add     curl     git");
    assert_eq!((run.line, run.end_line), (2, 4));
    assert_eq!(run.value, shell("apk add     curl     git"));
    assert_eq!(file.stages[0].instructions[1].line, 5);
}

#[test]
fn spaces_after_the_continuation_character_are_allowed() {
    assert_eq!(one("RUN a \\  \t\n b"), shell("a  b"));
}

#[test]
fn comments_and_blank_lines_inside_a_continuation_are_skipped() {
    let text = "FROM alpine\nRUN apt-get update && \\\n    # le cache\n\n    apt-get install -y curl\n";
    let file = parse_ok(text);
    let run = &file.stages[0].instructions[0];
    assert_eq!(run.value, shell("apt-get update &&     apt-get install -y curl"));
    assert_eq!((run.line, run.end_line), (2, 5));
}

#[test]
fn a_hash_inside_a_line_is_not_a_comment() {
    assert_eq!(one("RUN echo hi # not a comment"), shell("echo hi # not a comment"));
}

#[test]
fn indented_comments_and_instructions() {
    let all = instructions("  # a comment\n\tFROM alpine\n   RUN true\n  \t\n");
    assert_eq!(all, vec![shell("true")]);
}

#[test]
fn an_escaped_escape_character_does_not_continue_the_line() {
    let all = instructions("FROM alpine\nRUN echo foo\\\\\nRUN true\n");
    assert_eq!(all, vec![shell("echo foo\\\\"), shell("true")]);
}

#[test]
fn a_continuation_at_the_end_of_the_file_ends_the_instruction() {
    assert_eq!(instructions("FROM alpine\nRUN echo \\"), vec![shell("echo")]);
}

#[test]
fn a_lone_continuation_character_joins_nothing() {
    assert_eq!(one("RUN a \\\n\\\n b"), shell("a  b"));
}

#[test]
fn instruction_names_are_case_insensitive() {
    let file = parse_ok("from alpine AS base\nrun echo hi\nCmd [\"sh\"]\n");
    assert_eq!(file.stages[0].name.as_deref(), Some("base"));
    assert_eq!(file.stages[0].instructions[0].value, shell("echo hi"));
    assert_eq!(file.stages[0].instructions[0].text, "run echo hi");
}

#[test]
fn crlf_line_endings() {
    let file = parse_ok("FROM alpine\r\nRUN a \\\r\n  b\r\nCMD [\"sh\"]\r\n");
    assert_eq!(file.stages[0].instructions[0].value, shell("a   b"));
    assert_eq!(file.stages[0].instructions.len(), 2);
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let file = parse_ok("\u{feff}# escape=`\nFROM alpine\n");
    assert_eq!(file.directives.escape, '`');
}

#[test]
fn escape_directive_backtick() {
    let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  c:\\\nCOPY test.txt c:\\\n";
    let file = parse_ok(text);
    assert_eq!(file.directives.escape, '`');
    let all: Vec<_> = file.stages[0].instructions.iter().map(|l| &l.value).collect();
    assert_eq!(*all[0], shell("dir   c:\\"));
    match all[1] {
        Instruction::Copy(c) => assert_eq!((c.sources.clone(), c.dest.as_str()), (vec![s("test.txt")], "c:\\")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn all_three_directives() {
    let text = "# syntax=docker/dockerfile:1\n#check = skip=JSONArgsRecommended\n# ESCAPE = `\n\nFROM alpine\n";
    let d = parse_ok(text).directives;
    assert_eq!(d.syntax.as_deref(), Some("docker/dockerfile:1"));
    assert_eq!(d.check.as_deref(), Some("skip=JSONArgsRecommended"));
    assert_eq!(d.escape, '`');
}

#[test]
fn directives_must_come_first() {
    // After a comment, a blank line or an instruction, it is only a comment.
    for text in [
        "# a comment\n# escape=`\nFROM alpine\n",
        "\n# escape=`\nFROM alpine\n",
        "FROM alpine\n# escape=`\n",
        "# unknown=directive\n# escape=`\nFROM alpine\n",
    ] {
        assert_eq!(parse_ok(text).directives.escape, '\\', "{text:?}");
    }
}

#[test]
fn without_directives_the_escape_is_a_backslash() {
    let d = parse_ok("FROM alpine\n").directives;
    assert_eq!((d.syntax, d.escape, d.check), (None, '\\', None));
}

#[test]
fn line_numbers_count_every_physical_line() {
    let file = parse_ok("# comment\n\nFROM alpine\n\n\nRUN a \\\n  b\n\nCMD c\n");
    let stage = &file.stages[0];
    assert_eq!((stage.line, stage.end_line, stage.text.as_str()), (3, 3, "FROM alpine"));
    let lines: Vec<_> = stage.instructions.iter().map(|l| (l.line, l.end_line)).collect();
    assert_eq!(lines, vec![(6, 7), (9, 9)]);
}

#[test]
fn a_line_of_64_kib_is_accepted() {
    let long = format!("FROM alpine\nRUN echo {}\n", "x".repeat(65_536 - 10));
    parse_ok(&long);
}
