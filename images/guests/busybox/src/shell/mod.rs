//! `sh` (also `ash`, `bash`): a POSIX shell in the manner of BusyBox ash.
//!
//! Pipeline of a command line: `lexer.rs` + `parser.rs` turn text into the tree of `ast.rs`;
//! `expand.rs` (with `arith.rs` and the wildcard patterns of `util::pattern`) expands words;
//! `exec.rs` runs commands, `redir.rs` applies redirections to the descriptor table of `io.rs`,
//! `builtins.rs` and `vars.rs` hold the builtins, `state.rs` the variables and how they reach a
//! subshell process, `unparse.rs` prints a tree back as source.
//!
//! Modes: `sh -c 'cmd' [arg0 [args]]`, `sh script [args]`, and commands read from standard
//! input — interactively with a prompt (`PS1`, default `\w \$ `, so `/ # ` for root) when it is
//! a terminal.

mod arith;
mod ast;
mod builtins;
mod exec;
mod expand;
mod io;
mod lexer;
mod parser;
mod prompt;
mod redir;
mod signals;
mod state;
mod unparse;
mod vars;

use std::collections::BTreeMap;
use std::rc::Rc;

use lexer::Parser;
pub use state::Shell;

/// Non-local control flow out of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Break(usize),
    Continue(usize),
    Return(i32),
    /// `exit`, or `set -e` tripping: leave the shell (or the subshell).
    Exit(i32),
    /// An error that aborts the command line; a non-interactive shell exits with the status.
    Error(i32),
}

/// A command's exit status, or control flow.
pub type R = Result<i32, Flow>;

/// True for POSIX special builtins (for `type`).
pub fn exec_special(name: &str) -> bool {
    exec::SPECIAL.contains(&name)
}

impl Shell {
    /// Prints an error the way ash does: `sh: msg`, or `script: line N: msg` inside a script.
    pub fn error(&mut self, msg: &str) {
        if msg.is_empty() {
            return;
        }
        let text = match &self.script {
            Some(s) => format!("{s}: line {}: {msg}\n", self.lineno),
            None => format!("{}: {msg}\n", self.arg0),
        };
        let _ = self.io.write(2, text.as_bytes());
    }

    /// Runs a whole program text (a script or `-c`), command by command.
    fn run_text(&mut self, text: &str) -> i32 {
        let mut parser = Parser::new(text, Rc::new(self.aliases.clone()));
        loop {
            let parsed = parser.parse_next();
            self.lineno = parser.line;
            match parsed {
                Ok(Some(list)) => {
                    if self.opts.noexec {
                        continue;
                    }
                    if let Some(code) = self.run_top(&list) {
                        return code;
                    }
                }
                Ok(None) => return self.status,
                Err(e) => {
                    self.error(&e.msg);
                    self.status = 2;
                    return 2;
                }
            }
            if parser.aliases.len() != self.aliases.len() || *parser.aliases != self.aliases {
                parser.aliases = Rc::new(self.aliases.clone());
            }
        }
    }

    /// Runs one top-level command; Some(status) when the shell must exit.
    fn run_top(&mut self, list: &ast::List) -> Option<i32> {
        match self.run_list(list) {
            Ok(s) => {
                self.status = s;
                None
            }
            Err(Flow::Exit(s)) => {
                self.status = s;
                Some(s)
            }
            Err(Flow::Error(s)) => {
                self.status = s;
                (!self.interactive).then_some(s)
            }
            Err(Flow::Return(s)) => {
                self.status = s;
                None
            }
            Err(_) => None,
        }
    }

    /// Reads commands from standard input, a line at a time, prompting when interactive.
    fn run_input(&mut self) -> i32 {
        let mut buf = String::new();
        loop {
            if self.interactive {
                let prompt = if buf.is_empty() { self.prompt("PS1") } else { self.prompt("PS2") };
                let _ = self.io.write(2, prompt.as_bytes());
            }
            let line = self.read_line_fd0();
            let at_eof = line.is_none();
            if let Some(l) = line {
                buf.push_str(&l);
            }
            if at_eof && buf.is_empty() {
                return self.status;
            }
            let mut parser = Parser::new(&buf, Rc::new(self.aliases.clone()));
            parser.final_input = at_eof;
            let mut start = 0;
            loop {
                start = if parser.peeked.is_none() { parser.pos } else { start };
                match parser.parse_next() {
                    Ok(Some(list)) => {
                        if let Some(code) = self.run_top(&list) {
                            return code;
                        }
                        parser.aliases = Rc::new(self.aliases.clone());
                    }
                    Ok(None) => {
                        buf.clear();
                        break;
                    }
                    Err(e) if e.incomplete && !at_eof => {
                        buf = parser.src[start..].iter().collect();
                        break;
                    }
                    Err(e) => {
                        self.error(&e.msg);
                        self.status = 2;
                        buf.clear();
                        if !self.interactive {
                            return 2;
                        }
                        break;
                    }
                }
            }
            if at_eof {
                return self.status;
            }
        }
    }
}

/// Entry point of `sh`/`ash`/`bash`.
pub fn main(args: Vec<String>) -> i32 {
    let arg0 = args.first().cloned().unwrap_or_else(|| "sh".to_string());
    let mut sh = Shell::new(arg0);
    let mut command = false;
    let mut force_stdin = false;
    let mut interactive = None;
    let mut login = arg0_is_login(&args);
    let mut i = 1;
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if a == "--login" {
            login = true;
            i += 1;
            continue;
        }
        let (on, flags) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
            (Some(f), _) if !f.is_empty() => (true, f),
            (_, Some(f)) if !f.is_empty() => (false, f),
            _ => break,
        };
        i += 1;
        for c in flags.chars() {
            match c {
                'c' => command = on,
                's' => force_stdin = on,
                'i' => interactive = Some(on),
                'l' => login = on,
                'o' => {
                    let name = args.get(i).cloned().unwrap_or_default();
                    i += 1;
                    let letter = state::OPTION_NAMES.iter().find(|(_, n)| *n == name).map(|(l, _)| *l);
                    if let Some(f) = letter.and_then(|l| sh.opts.flag(l)) {
                        *f = on;
                    }
                }
                other => match sh.opts.flag(other) {
                    Some(f) => *f = on,
                    None => {
                        eprintln!("{}: -{other}: invalid option", sh.arg0);
                        return 2;
                    }
                },
            }
        }
    }
    let operands = &args[i.min(args.len())..];
    if let Ok(state) = std::env::var(state::STATE_VAR) {
        restore_state(&mut sh, &state);
    }
    if command {
        let Some(text) = operands.first() else {
            eprintln!("{}: -c requires an argument", sh.arg0);
            return 2;
        };
        if std::env::var(state::STATE_VAR).is_err() {
            if let Some(a0) = operands.get(1) {
                sh.arg0 = a0.clone();
            }
            sh.params = operands.iter().skip(2).cloned().collect();
        }
        let text = text.clone();
        let status = sh.run_text(&text);
        return finish(&mut sh, status);
    }
    if !force_stdin {
        if let Some(script) = operands.first() {
            let text = match std::fs::read(script) {
                Ok(t) => String::from_utf8_lossy(&t).into_owned(),
                Err(e) => {
                    eprintln!("{}: can't open '{script}': {}", sh.arg0, crate::util::errstr(&e));
                    return if e.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 };
                }
            };
            sh.arg0 = script.clone();
            sh.script = Some(script.clone());
            sh.params = operands[1..].to_vec();
            let status = sh.run_text(&text);
            return finish(&mut sh, status);
        }
    }
    sh.params = operands.to_vec();
    sh.interactive = interactive.unwrap_or_else(|| crate::sys::isatty(0) && crate::sys::isatty(2));
    if sh.interactive {
        sh.default_prompts();
    }
    sh.startup_files(login);
    if sh.interactive {
        if let Some(env) = sh.get("ENV").map(str::to_string) {
            if let Ok(f) = sh.expand_string(&vec![ast::Part::Lit(env)]) {
                if std::path::Path::new(&f).is_file() {
                    let _ = sh.builtin(&[".".to_string(), f]);
                }
            }
        }
    }
    let status = sh.run_input();
    finish(&mut sh, status)
}

fn arg0_is_login(args: &[String]) -> bool {
    args.first().is_some_and(|a| a.starts_with('-'))
}

/// Runs the EXIT trap and returns the final status.
fn finish(sh: &mut Shell, status: i32) -> i32 {
    sh.status = status;
    sh.run_exit_trap().unwrap_or(status)
}

/// Applies a parent shell's state script (see `state.rs`) before running a subshell's command.
fn restore_state(sh: &mut Shell, state: &str) {
    sh.subshell = true;
    sh.restoring = true;
    let errexit = std::mem::take(&mut sh.opts.errexit);
    let _ = sh.eval_source(state);
    sh.opts.errexit |= errexit;
    sh.restoring = false;
}

/// See [`crate::fuzz_shell_parser`]: any text parses or fails cleanly, and a parsed tree printed
/// back as source parses again to a tree that prints the same.
pub fn fuzz_parse(script: &str) -> bool {
    let aliases = Rc::new(BTreeMap::new());
    let Ok(tree) = Parser::new(script, aliases.clone()).parse_all() else {
        return false;
    };
    let printed = unparse::list(&tree);
    match Parser::new(&printed, aliases).parse_all() {
        Ok(again) => assert_eq!(unparse::list(&again), printed, "unparse is not stable for {script:?}"),
        Err(e) => panic!("printed tree {printed:?} (from {script:?}) does not parse: {}", e.msg),
    }
    true
}

#[cfg(test)]
mod fuzz_regressions {
    /// Inputs the `shell` fuzz target found (minimised): each parses and prints back stably,
    /// or is refused with a syntax error.
    #[test]
    fn found_by_fuzzing() {
        for text in [
            "eleve@playground:~$ docker ps",
            "cat <<EOF\nno final newline",
            "<<'\n'",
            "<<L<`d`",
            "cat <<L <$(echo d\necho e)\nbody\nL\n",
            "cat <<ELF\n$(cat <<ELF\ninner\nELF\n)\nELF\n",
            "<<\\",
            "<: do",
            "<<\"'\"",
            "echo 'it'\\''s'",
        ] {
            let _ = super::fuzz_parse(text);
        }
    }
}
