//! Builtin commands that run inside the shell process: control flow (`exit`, `return`, `break`),
//! the working directory (`cd`, `pwd`), running code (`eval`, `.`, `exec`, `command`), jobs
//! (`wait`), `trap`, `alias`, `type`, and the utilities shared with the applets (`echo`,
//! `printf`, `test`). Builtins about variables live in `vars.rs`.

use std::path::Path;

use super::lexer::Parser;
use super::{Flow, Shell, R};
use crate::applets;
use crate::sys;

const BUILTINS: [&str; 39] = [
    ":",
    ".",
    "source",
    "eval",
    "exec",
    "exit",
    "export",
    "readonly",
    "return",
    "set",
    "shift",
    "trap",
    "unset",
    "break",
    "continue",
    "true",
    "false",
    "echo",
    "printf",
    "test",
    "[",
    "pwd",
    "cd",
    "read",
    "wait",
    "alias",
    "unalias",
    "type",
    "command",
    "local",
    "let",
    "getopts",
    "__bbsh_state",
    "umask",
    "jobs",
    "hash",
    "times",
    "ulimit",
    "help",
];

const KEYWORDS: [&str; 16] =
    ["if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done", "in", "{", "}", "!"];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name) && name != "__bbsh_state"
}

impl Shell {
    /// Writes to the command's standard output; a closed pipe ends a subshell like SIGPIPE.
    pub fn out(&mut self, data: &[u8]) -> Result<(), Flow> {
        match self.io.write(1, data) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && self.subshell => Err(Flow::Exit(141)),
            Err(_) => Err(Flow::Error(1)),
        }
    }

    /// Runs a builtin; None when `argv[0]` is not one.
    pub fn builtin(&mut self, argv: &[String]) -> Option<R> {
        let name = argv[0].as_str();
        let args = &argv[1..];
        let r = match name {
            ":" | "true" => Ok(0),
            "false" => Ok(1),
            "echo" | "printf" | "test" | "[" => self.shared_applet(argv),
            "exit" => {
                let status = match self.number_arg(name, args.first(), self.status) {
                    Ok(v) => v,
                    Err(f) => return Some(Err(f)),
                };
                Err(Flow::Exit(status))
            }
            "return" => {
                let status = match self.number_arg(name, args.first(), self.status) {
                    Ok(v) => v,
                    Err(f) => return Some(Err(f)),
                };
                Err(Flow::Return(status))
            }
            "break" | "continue" => {
                let n = match self.number_arg(name, args.first(), 1) {
                    Ok(v) => v,
                    Err(f) => return Some(Err(f)),
                };
                if n < 1 {
                    self.error(&format!("{name}: {}: bad number", args.first().map_or("", |s| s)));
                    return Some(Ok(1));
                }
                if self.loop_depth == 0 {
                    return Some(Ok(0));
                }
                let n = (n as usize).min(self.loop_depth);
                Err(if name == "break" { Flow::Break(n) } else { Flow::Continue(n) })
            }
            "pwd" => self.pwd(),
            "cd" => self.cd(args),
            "eval" => {
                let src = args.join(" ");
                self.eval_source(&src)
            }
            "." | "source" => self.source(args),
            "exec" => self.exec(args),
            "wait" => self.wait(args),
            "trap" => self.trap(args),
            "alias" => self.alias(args),
            "unalias" => {
                for a in args {
                    if a == "-a" {
                        self.aliases.clear();
                    } else if self.aliases.remove(a).is_none() {
                        self.error(&format!("unalias: {a}: not found"));
                        return Some(Ok(1));
                    }
                }
                Ok(0)
            }
            "type" => self.type_cmd(args),
            "command" => self.command(args),
            "umask" | "jobs" | "hash" | "times" | "ulimit" | "help" => Ok(0),
            _ => return self.var_builtin(argv),
        };
        Some(r)
    }

    /// Parses a numeric argument (`exit 3`); reports ash's "Illegal number" otherwise.
    fn number_arg(&mut self, name: &str, arg: Option<&String>, default: i32) -> Result<i32, Flow> {
        match arg {
            None => Ok(default),
            Some(a) => match a.parse::<i64>() {
                Ok(n) if name == "exit" || name == "return" => Ok((n & 0xff) as i32),
                Ok(n) => Ok(n.clamp(0, 1 << 20) as i32),
                Err(_) => {
                    self.error(&format!("{name}: Illegal number: {a}"));
                    Err(Flow::Error(2))
                }
            },
        }
    }

    fn shared_applet(&mut self, argv: &[String]) -> R {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let status = match argv[0].as_str() {
            "echo" => applets::echo::echo(&argv[1..], &mut out),
            "printf" => applets::printf::printf(&argv[1..], &mut out, &mut err),
            _ => applets::test::test(argv, &mut err),
        };
        if !err.is_empty() {
            let _ = self.io.write(2, b"sh: ");
            let _ = self.io.write(2, &err);
        }
        if !out.is_empty() {
            self.out(&out)?;
        }
        Ok(status)
    }

    fn pwd(&mut self) -> R {
        let cwd = match self.get("PWD").filter(|p| p.starts_with('/')) {
            Some(p) => p.to_string(),
            None => match sys::getcwd() {
                Ok(p) => p.to_string_lossy().into_owned(),
                Err(e) => {
                    self.error(&format!("pwd: {}", crate::util::errstr(&e)));
                    return Ok(1);
                }
            },
        };
        self.out(format!("{cwd}\n").as_bytes())?;
        Ok(0)
    }

    fn cd(&mut self, args: &[String]) -> R {
        let args: Vec<&String> = args.iter().filter(|a| *a != "-L" && *a != "-P").collect();
        let mut print = false;
        let target = match args.first().map(|s| s.as_str()) {
            None => match self.get("HOME") {
                Some(h) => h.to_string(),
                None => return Ok(0),
            },
            Some("-") => {
                print = true;
                self.get("OLDPWD").unwrap_or("").to_string()
            }
            Some(d) => d.to_string(),
        };
        let old = self.get("PWD").map(str::to_string).unwrap_or_default();
        // Logical path: resolve `..` textually like ash does.
        let logical = if target.starts_with('/') {
            sys::absolute(Path::new(&target)).unwrap_or(target.clone())
        } else {
            let base = if old.starts_with('/') { old.clone() } else { "/".into() };
            sys::absolute(&Path::new(&base).join(&target)).unwrap_or(target.clone())
        };
        if let Err(e) = sys::chdir(Path::new(&logical)) {
            self.error(&format!("cd: can't cd to {target}: {}", crate::util::errstr(&e)));
            return Ok(1);
        }
        let _ = self.set_var("OLDPWD", old);
        let _ = self.set_var("PWD", logical.clone());
        if let Some(v) = self.vars.get_mut("PWD") {
            v.exported = true;
        }
        if print {
            self.out(format!("{logical}\n").as_bytes())?;
        }
        Ok(0)
    }

    /// Parses and runs source text in this shell (`eval`, `.`, traps).
    pub fn eval_source(&mut self, src: &str) -> R {
        let mut parser = Parser::new(src, std::rc::Rc::new(self.aliases.clone()));
        let mut status = 0;
        loop {
            match parser.parse_next() {
                Ok(Some(list)) => status = self.run_list(&list)?,
                Ok(None) => return Ok(status),
                Err(e) => {
                    self.error(&e.msg);
                    return Err(Flow::Error(2));
                }
            }
            parser.aliases = std::rc::Rc::new(self.aliases.clone());
        }
    }

    fn source(&mut self, args: &[String]) -> R {
        let Some(file) = args.first() else {
            self.error(".: .: Not enough arguments");
            return Ok(2);
        };
        let path = if file.contains('/') {
            file.clone()
        } else {
            let path = self.get("PATH").unwrap_or("").to_string();
            path.split(':')
                .map(|d| format!("{}/{file}", if d.is_empty() { "." } else { d }))
                .find(|p| Path::new(p).is_file())
                .unwrap_or_else(|| file.clone())
        };
        let text = match std::fs::read(&path) {
            Ok(t) => String::from_utf8_lossy(&t).into_owned(),
            Err(e) => {
                self.error(&format!(".: can't open '{file}': {}", crate::util::errstr(&e)));
                return Err(Flow::Error(2));
            }
        };
        let saved = (args.len() > 1).then(|| std::mem::replace(&mut self.params, args[1..].to_vec()));
        let r = self.eval_source(&text);
        if let Some(p) = saved {
            self.params = p;
        }
        match r {
            Err(Flow::Return(s)) => Ok(s),
            other => other,
        }
    }

    fn exec(&mut self, args: &[String]) -> R {
        if args.is_empty() {
            // Redirections of `exec` stay: the caller restores the table, so keep this one.
            self.keep_io = true;
            return Ok(0);
        }
        let name = &args[0];
        let Some(path) = self.find_program(name) else {
            self.error(&format!("exec: {name}: not found"));
            return Err(Flow::Exit(127));
        };
        if self.subshell || self.io_captured() {
            // A subshell runs in this process on a copy of the state, and a command
            // substitution reads a buffer: replacing the process would end the parent shell too.
            // Run the program and end the subshell with its status instead.
            let status = self.run_program(args, &[])?;
            return Err(Flow::Exit(status));
        }
        Err(Flow::Exit(self.replace_program(&path, args)))
    }

    fn wait(&mut self, args: &[String]) -> R {
        if args.is_empty() {
            for pid in std::mem::take(&mut self.jobs) {
                let _ = sys::wait(pid);
            }
            return Ok(0);
        }
        let mut status = 0;
        for a in args {
            let Ok(pid) = a.trim_start_matches('%').parse::<u32>() else {
                self.error(&format!("wait: {a}: bad pid"));
                status = 2;
                continue;
            };
            self.jobs.retain(|p| *p != pid);
            status = sys::wait(pid).unwrap_or(127);
        }
        Ok(status)
    }

    fn trap(&mut self, args: &[String]) -> R {
        if args.is_empty() || args[0] == "-p" {
            let mut s = String::new();
            for (sig, action) in &self.traps {
                s.push_str(&format!("trap -- {} {sig}\n", super::state::quote(action)));
            }
            self.out(s.as_bytes())?;
            return Ok(0);
        }
        let (action, sigs) = if args.len() == 1 || args[0] == "-" {
            (None, if args[0] == "-" { &args[1..] } else { args })
        } else {
            (Some(args[0].clone()), &args[1..])
        };
        for sig in sigs {
            let name = match signal_name(sig) {
                Some(n) => n,
                None => {
                    self.error(&format!("trap: {sig}: bad trap"));
                    return Ok(1);
                }
            };
            let number = applets::kill::SIGNALS.iter().find(|(n, _)| *n == name).map(|(_, num)| *num);
            if let Some(sig) = number {
                use super::signals::{set, Disposition};
                match action.as_deref() {
                    Some("") => set(sig, Disposition::Ignore),
                    Some(_) => set(sig, Disposition::Trap),
                    None => set(sig, Disposition::Default),
                }
            }
            match &action {
                Some(a) => self.traps.insert(name, a.clone()),
                None => self.traps.remove(&name),
            };
        }
        Ok(0)
    }

    /// Runs the EXIT trap once; returns the status to exit with.
    pub fn run_exit_trap(&mut self) -> Option<i32> {
        let action = self.traps.remove("EXIT")?;
        let status = self.status;
        let r = self.eval_source(&action);
        Some(match r {
            Err(Flow::Exit(s)) => s,
            _ => status,
        })
    }

    fn alias(&mut self, args: &[String]) -> R {
        let mut out = String::new();
        let mut status = 0;
        if args.is_empty() {
            for (k, v) in &self.aliases {
                out.push_str(&format!("{k}={}\n", super::state::quote(v)));
            }
        }
        for a in args {
            match a.split_once('=') {
                Some((k, v)) => {
                    self.aliases.insert(k.to_string(), v.to_string());
                }
                None => match self.aliases.get(a) {
                    Some(v) => out.push_str(&format!("{a}={}\n", super::state::quote(v))),
                    None => {
                        self.error(&format!("alias: {a} not found"));
                        status = 1;
                    }
                },
            }
        }
        self.out(out.as_bytes())?;
        Ok(status)
    }

    /// How `type`/`command -V` describe a name; None when not found.
    fn describe(&self, name: &str) -> Option<String> {
        if let Some(v) = self.aliases.get(name) {
            return Some(format!("{name} is an alias for {v}"));
        }
        if KEYWORDS.contains(&name) {
            return Some(format!("{name} is a shell keyword"));
        }
        if self.funcs.contains_key(name) {
            return Some(format!("{name} is a function"));
        }
        if is_builtin(name) {
            let kind = if super::exec_special(name) { "special shell builtin" } else { "shell builtin" };
            return Some(format!("{name} is a {kind}"));
        }
        self.find_program(name).map(|p| format!("{name} is {p}"))
    }

    fn type_cmd(&mut self, args: &[String]) -> R {
        let mut status = 0;
        let mut out = String::new();
        for a in args {
            match self.describe(a) {
                Some(d) => out.push_str(&format!("{d}\n")),
                None => {
                    out.push_str(&format!("{a}: not found\n"));
                    status = 127;
                }
            }
        }
        self.out(out.as_bytes())?;
        Ok(status)
    }

    fn command(&mut self, args: &[String]) -> R {
        let mut i = 0;
        let mut mode = None;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-v" | "-V" => mode = Some(a.clone()),
                "-p" => {}
                "--" => {
                    i += 1;
                    break;
                }
                _ => break,
            }
            i += 1;
        }
        let rest = &args[i..];
        if rest.is_empty() {
            return Ok(0);
        }
        match mode.as_deref() {
            Some("-v") => {
                let mut out = String::new();
                let mut status = 0;
                for n in rest {
                    if let Some(v) = self.aliases.get(n) {
                        out.push_str(&format!("alias {n}={}\n", super::state::quote(v)));
                    } else if self.funcs.contains_key(n) || is_builtin(n) || KEYWORDS.contains(&n.as_str()) {
                        out.push_str(&format!("{n}\n"));
                    } else if let Some(p) = self.find_program(n) {
                        out.push_str(&format!("{p}\n"));
                    } else {
                        status = 1;
                    }
                }
                self.out(out.as_bytes())?;
                Ok(status)
            }
            Some(_) => self.type_cmd(rest),
            None => {
                let saved = std::mem::take(&mut self.funcs);
                let r = self.dispatch(rest, Vec::new());
                self.funcs = saved;
                r
            }
        }
    }
}

/// Normalizes a trap signal spec: `EXIT`/`0`, `INT`/`SIGINT`/`2`, ...
fn signal_name(s: &str) -> Option<String> {
    let up = s.to_ascii_uppercase();
    let up = up.strip_prefix("SIG").unwrap_or(&up).to_string();
    if up == "0" || up == "EXIT" {
        return Some("EXIT".into());
    }
    if let Ok(n) = up.parse::<i32>() {
        return applets::kill::SIGNALS.iter().find(|(_, num)| *num == n).map(|(name, _)| name.to_string());
    }
    applets::kill::SIGNALS.iter().any(|(name, _)| *name == up).then_some(up)
}
