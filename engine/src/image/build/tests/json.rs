//! Exec form (a JSON array of strings) versus shell form, decided as Docker decides it.

use super::{error, one, s, strings};
use crate::image::build::{Instruction, ShellOrExec};

fn cmd(line: &str) -> ShellOrExec {
    match one(line) {
        Instruction::Cmd(c) => c,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_json_array_of_strings_is_the_exec_form() {
    assert_eq!(
        cmd(r#"CMD ["flask", "run", "--host=0.0.0.0"]"#),
        ShellOrExec::Exec(strings(&["flask", "run", "--host=0.0.0.0"]))
    );
    assert_eq!(cmd(r#"CMD   [ "a" ,"b"  ]  "#), ShellOrExec::Exec(strings(&["a", "b"])));
    assert_eq!(cmd("CMD []"), ShellOrExec::Exec(vec![]));
}

#[test]
fn json_escapes_are_decoded() {
    assert_eq!(
        cmd(r#"CMD ["echo", "a\"b", "caf\u00e9", "tab\there", "back\\slash"]"#),
        ShellOrExec::Exec(strings(&["echo", "a\"b", "café", "tab\there", "back\\slash"]))
    );
}

#[test]
fn malformed_json_falls_back_to_the_shell_form() {
    for line in [
        r#"CMD ["python", "app.py""#,
        "CMD ['python', 'app.py']",
        r#"CMD ["python", "app.py"] extra"#,
        r#"CMD [python]"#,
        r#"CMD ["a",]"#,
    ] {
        let rest = line.trim_start_matches("CMD ");
        assert_eq!(cmd(line), ShellOrExec::Shell(s(rest)), "{line}");
    }
}

#[test]
fn a_json_array_of_non_strings_is_an_error() {
    for bad in [r#"CMD ["a", 1]"#, "RUN [null]", r#"ENTRYPOINT [["nested"]]"#, "VOLUME [true]"] {
        assert_eq!(
            error(&format!("FROM alpine\n{bad}\n")),
            "when using JSON array syntax, arrays must be comprised of strings only",
            "{bad}"
        );
    }
}

#[test]
fn copy_and_volume_lists() {
    match one(r#"COPY ["a b.txt", "/x y/"]"#) {
        Instruction::Copy(c) => {
            assert_eq!((c.sources, c.dest), (strings(&["a b.txt"]), s("/x y/")))
        }
        other => panic!("{other:?}"),
    }
    // In the shell form, spaces separate words even inside quotes.
    match one(r#"COPY "a b.txt" /x"#) {
        Instruction::Copy(c) => {
            assert_eq!((c.sources, c.dest), (strings(&["\"a", "b.txt\""]), s("/x")))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(one(r#"VOLUME ["/a", "/b"]"#), Instruction::Volume(strings(&["/a", "/b"])));
    assert_eq!(one(r#"VOLUME [/a]"#), Instruction::Volume(strings(&["[/a]"])));
}

#[test]
fn shell_requires_json() {
    assert_eq!(
        error("FROM alpine\nSHELL /bin/bash -c\n"),
        "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form"
    );
}
