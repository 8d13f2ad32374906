//! Heredocs on `RUN`, `COPY` and `ADD`.

use super::{error, instructions, one, parse_ok, s};
use crate::image::build::{Heredoc, Instruction, ShellOrExec};

fn doc(name: &str, content: &str, expand: bool) -> Heredoc {
    Heredoc { name: name.into(), content: content.into(), expand, chomp: false, fd: None }
}

fn run_parts(i: &Instruction) -> (ShellOrExec, Vec<Heredoc>) {
    match i {
        Instruction::Run(r) => (r.cmd.clone(), r.heredocs.clone()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn run_heredoc() {
    let file = parse_ok("FROM alpine\nRUN <<EOF\napk add curl\necho done\nEOF\nCMD [\"sh\"]\n");
    let run = &file.stages[0].instructions[0];
    assert_eq!((run.line, run.end_line, run.text.as_str()), (2, 5, "RUN <<EOF"));
    let (cmd, docs) = run_parts(&run.value);
    assert_eq!(cmd, ShellOrExec::Shell(s("<<EOF")));
    assert_eq!(docs, vec![doc("EOF", "apk add curl\necho done\n", true)]);
    assert_eq!(file.stages[0].instructions[1].line, 6);
}

#[test]
fn heredoc_with_a_command_and_spaces() {
    let (cmd, docs) = run_parts(&one("RUN python3 << PY > /out.txt\nprint('hi')\nPY"));
    assert_eq!(cmd, ShellOrExec::Shell(s("python3 << PY > /out.txt")));
    assert_eq!(docs, vec![doc("PY", "print('hi')\n", true)]);
}

#[test]
fn dash_strips_leading_tabs() {
    let (_, docs) = run_parts(&one("RUN <<-EOF\n\techo a\n\t\techo b\n  echo c\n\tEOF"));
    assert_eq!(docs, vec![Heredoc { chomp: true, ..doc("EOF", "echo a\necho b\n  echo c\n", true) }]);
}

#[test]
fn quoted_delimiters_turn_off_expansion() {
    for (opener, expand) in [("<<EOF", true), ("<<'EOF'", false), ("<<\"EOF\"", false), ("<<E\"O\"F", false)] {
        let (_, docs) = run_parts(&one(&format!("RUN cat {opener}\n$HOME\nEOF")));
        assert_eq!(docs, vec![doc("EOF", "$HOME\n", expand)], "{opener}");
    }
}

#[test]
fn several_heredocs_on_one_line() {
    let (cmd, docs) = run_parts(&one("RUN <<A bash && <<B sh\necho a\nA\necho b\nB"));
    assert_eq!(cmd, ShellOrExec::Shell(s("<<A bash && <<B sh")));
    assert_eq!(docs, vec![doc("A", "echo a\n", true), doc("B", "echo b\n", true)]);
}

#[test]
fn file_descriptor() {
    let (_, docs) = run_parts(&one("RUN cat 3<<EOF\nx\nEOF"));
    assert_eq!(docs, vec![Heredoc { fd: Some(3), ..doc("EOF", "x\n", true) }]);
}

#[test]
fn copy_heredoc_is_an_inline_file() {
    let file = parse_ok("FROM alpine\nCOPY <<EOF /etc/motd\nBienvenue !\nEOF\nCOPY --chmod=755 <<run.sh <<-'b.txt' /usr/local/bin/\n#!/bin/sh\nrun.sh\n\tB\n\tb.txt\n");
    let all = &file.stages[0].instructions;
    match &all[0].value {
        Instruction::Copy(c) => {
            assert!(c.sources.is_empty());
            assert_eq!(c.dest, "/etc/motd");
            assert_eq!(c.heredocs, vec![doc("EOF", "Bienvenue !\n", true)]);
        }
        other => panic!("{other:?}"),
    }
    match &all[1].value {
        Instruction::Copy(c) => {
            assert_eq!(c.chmod.as_deref(), Some("755"));
            assert_eq!(
                c.heredocs,
                vec![doc("run.sh", "#!/bin/sh\n", true), Heredoc { chomp: true, ..doc("b.txt", "B\n", false) },]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((all[1].line, all[1].end_line), (5, 9));
}

#[test]
fn add_heredoc() {
    match one("ADD <<EOF /x\ny\nEOF") {
        Instruction::Add(a) => assert_eq!(a.heredocs, vec![doc("EOF", "y\n", true)]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn heredoc_lines_are_raw() {
    // No comments, continuations or directives inside: the body is kept as written.
    let (_, docs) = run_parts(&one("RUN <<EOF\n# not a comment \\\n\nFROM x\nEOF"));
    assert_eq!(docs, vec![doc("EOF", "# not a comment \\\n\nFROM x\n", true)]);
    // The delimiter must be alone on its line.
    let (_, docs) = run_parts(&one("RUN <<EOF\n EOF\nEOF \nEOF"));
    assert_eq!(docs, vec![doc("EOF", " EOF\nEOF \n", true)]);
}

#[test]
fn crlf_bodies_keep_their_line_endings() {
    let (_, docs) = run_parts(&one("RUN <<EOF\r\na\r\nEOF\r"));
    assert_eq!(docs, vec![doc("EOF", "a\r\n", true)]);
}

#[test]
fn no_heredoc_in_exec_form_quotes_or_other_instructions() {
    let all = instructions("FROM alpine\nRUN [\"cat\", \"<<EOF\"]\nRUN echo \"<<EOF\"\nENV A=<<EOF\nCMD cat <<EOF\n");
    assert_eq!(all.len(), 4);
}

#[test]
fn onbuild_heredoc() {
    match one("ONBUILD RUN <<EOF\necho hi\nEOF") {
        Instruction::Onbuild { expression, trigger } => {
            assert_eq!(expression, "RUN <<EOF\necho hi\nEOF");
            assert_eq!(run_parts(&trigger).1, vec![doc("EOF", "echo hi\n", true)]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unterminated_heredoc() {
    assert_eq!(error("FROM alpine\nRUN <<EOF\necho hi\n"), "unterminated heredoc");
    let err = crate::image::build::parse("FROM alpine\nRUN <<EOF\necho hi\n").unwrap_err();
    assert_eq!((err.line, err.end_line), (Some(2), Some(3)));
}

#[test]
fn heredoc_cannot_be_a_destination() {
    assert_eq!(
        error("FROM alpine\nCOPY a <<EOF\nx\nEOF\n"),
        "dockerfile parse error on line 2: COPY cannot accept a heredoc as a destination"
    );
}
