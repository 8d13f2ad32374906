//! Running the tree: lists, and-or lists, compound commands, simple commands.
//!
//! How work is split between this process and children (there is no `fork`):
//! - external programs are spawned (`sys::spawn`) with the descriptor table's 0/1/2;
//! - builtins, functions and compound commands run in this process; a subshell `( ... )`, a
//!   command substitution and the last element of a pipeline run in this process on a copy of
//!   the state (changes are discarded afterwards, and the working directory is restored);
//! - what must run concurrently (other pipeline elements, background jobs) and is not an
//!   external program is a child `sh -c` that receives the state (see `state.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::*;
use super::io::{Io, Target};
use super::state::{quote, STATE_VAR};
use super::{unparse, Flow, Shell, R};
use crate::sys::{self, SpawnFd};

/// Builtins whose variable assignments persist (POSIX "special builtins").
pub const SPECIAL: [&str; 15] = [
    ":", ".", "source", "eval", "exec", "exit", "export", "readonly", "return", "set", "shift", "trap", "unset",
    "break", "continue",
];

impl Shell {
    pub fn run_list(&mut self, list: &List) -> R {
        let mut status = 0;
        for item in list {
            status = if item.background { self.run_background(&item.and_or)? } else { self.run_and_or(&item.and_or)? };
            self.run_pending_traps()?;
        }
        Ok(status)
    }

    fn run_and_or(&mut self, a: &AndOr) -> R {
        let n = a.rest.len();
        let mut status = self.run_pipeline_exempt(&a.first, n > 0)?;
        for (i, (is_and, p)) in a.rest.iter().enumerate() {
            if *is_and == (status == 0) {
                status = self.run_pipeline_exempt(p, i + 1 < n)?;
            }
        }
        Ok(status)
    }

    fn run_pipeline_exempt(&mut self, p: &Pipeline, exempt: bool) -> R {
        let exempt = exempt || p.negate;
        if exempt {
            self.errexit_off += 1;
        }
        let r = if p.cmds.len() == 1 { self.run_command(&p.cmds[0]) } else { self.run_pipeline(&p.cmds) };
        if exempt {
            self.errexit_off -= 1;
        }
        let mut status = r?;
        if p.negate {
            status = i32::from(status == 0);
        }
        self.status = status;
        if status != 0 && self.opts.errexit && self.errexit_off == 0 && !exempt {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    pub fn run_command(&mut self, c: &Command) -> R {
        match c {
            Command::Simple(s) => self.run_simple(s),
            Command::FuncDef(name, body) => {
                self.funcs.insert(name.clone(), body.clone());
                Ok(0)
            }
            Command::Compound(c, redirs) => {
                let saved_io = self.io.clone();
                if let Err(msg) = self.redirect(redirs) {
                    self.io = saved_io;
                    self.error(&msg);
                    return Ok(1);
                }
                let r = self.run_compound(c);
                self.io = saved_io;
                r
            }
        }
    }

    fn run_compound(&mut self, c: &Compound) -> R {
        match c {
            Compound::Brace(l) => self.run_list(l),
            Compound::Subshell(l) => {
                let io = self.io.clone();
                Ok(self.subshell(io, |sh| sh.run_list(l)))
            }
            Compound::If { arms, otherwise } => {
                for (cond, body) in arms {
                    if self.condition(cond)? == 0 {
                        return self.run_list(body);
                    }
                }
                match otherwise {
                    Some(e) => self.run_list(e),
                    None => Ok(0),
                }
            }
            Compound::Loop { until, cond, body } => {
                let mut status = 0;
                self.loop_depth += 1;
                let r = loop {
                    let c = match self.condition(cond) {
                        Ok(c) => c,
                        Err(e) => break Err(e),
                    };
                    if (c == 0) == *until {
                        break Ok(status);
                    }
                    match self.loop_body(body) {
                        Ok(Some(s)) => status = s,
                        Ok(None) => break Ok(status),
                        Err(e) => break Err(e),
                    }
                };
                self.loop_depth -= 1;
                r
            }
            Compound::For { var, words, body } => {
                let items = match words {
                    Some(ws) => self.expand_words(ws)?,
                    None => self.params.clone(),
                };
                let mut status = 0;
                self.loop_depth += 1;
                let mut r = Ok(0);
                for it in items {
                    if let Err(e) = self.set_var(var, it) {
                        r = Err(self.fatal(&e, 2));
                        break;
                    }
                    match self.loop_body(body) {
                        Ok(Some(s)) => status = s,
                        Ok(None) => break,
                        Err(e) => {
                            r = Err(e);
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                r.map(|_| status)
            }
            Compound::Case { word, arms } => {
                let w = self.expand_string(word)?;
                for arm in arms {
                    for p in &arm.patterns {
                        if self.expand_pattern(p)?.matches(&w) {
                            return self.run_list(&arm.body);
                        }
                    }
                }
                Ok(0)
            }
        }
    }

    /// A condition list (`if`, `while`): `set -e` does not apply inside.
    fn condition(&mut self, l: &List) -> R {
        self.errexit_off += 1;
        let r = self.run_list(l);
        self.errexit_off -= 1;
        r
    }

    /// One loop iteration: Some(status) to go on, None after `break`.
    fn loop_body(&mut self, body: &List) -> Result<Option<i32>, Flow> {
        match self.run_list(body) {
            Ok(s) => Ok(Some(s)),
            Err(Flow::Break(n)) if n > 1 => Err(Flow::Break(n - 1)),
            Err(Flow::Break(_)) => Ok(None),
            Err(Flow::Continue(n)) if n > 1 => Err(Flow::Continue(n - 1)),
            Err(Flow::Continue(_)) => Ok(Some(0)),
            Err(e) => Err(e),
        }
    }

    /// Runs `f` on a copy of this shell with descriptor table `io`; returns its exit status.
    pub fn subshell(&mut self, io: Io, f: impl FnOnce(&mut Shell) -> R) -> i32 {
        let mut sub = self.clone();
        sub.subshell = true;
        sub.io = io;
        sub.traps.remove("EXIT");
        sub.loop_depth = 0;
        let cwd = sys::getcwd().ok();
        let r = f(&mut sub);
        let status = match r {
            Ok(s) => s,
            Err(Flow::Exit(s)) | Err(Flow::Error(s)) | Err(Flow::Return(s)) => s,
            Err(_) => sub.status,
        };
        sub.status = status;
        let status = sub.run_exit_trap().unwrap_or(status);
        if let Some(cwd) = cwd {
            if sys::getcwd().ok().as_ref() != Some(&cwd) {
                let _ = sys::chdir(&cwd);
            }
        }
        status
    }

    fn run_simple(&mut self, s: &Simple) -> R {
        self.lineno = s.line;
        self.subst_status = None;
        let argv = self.expand_words(&s.words)?;
        let mut assigns = Vec::new();
        for (name, w) in &s.assigns {
            assigns.push((name.clone(), self.expand_string(w)?));
        }
        if argv.is_empty() {
            self.trace(&assigns, &[]);
            for (n, v) in assigns {
                if let Err(e) = self.set_var(&n, v) {
                    return Err(self.fatal(&e, 1));
                }
            }
            let status = self.subst_status.unwrap_or(0);
            let saved_io = self.io.clone();
            let r = self.redirect(&s.redirs);
            self.io = saved_io;
            if let Err(msg) = r {
                self.error(&msg);
                return Ok(1);
            }
            return Ok(status);
        }
        self.trace(&assigns, &argv);
        let saved_io = self.io.clone();
        if let Err(msg) = self.redirect(&s.redirs) {
            self.io = saved_io;
            self.error(&msg);
            return Ok(1);
        }
        let r = self.dispatch(&argv, assigns);
        if self.keep_io {
            self.keep_io = false;
        } else {
            self.io = saved_io;
        }
        r
    }

    /// Runs an expanded command: special builtin, function, builtin, or program.
    pub fn dispatch(&mut self, argv: &[String], assigns: Vec<(String, String)>) -> R {
        let name = argv[0].as_str();
        if SPECIAL.contains(&name) || (name == "__bbsh_state" && self.restoring) {
            for (n, v) in assigns {
                if let Err(e) = self.set_var(&n, v) {
                    return Err(self.fatal(&e, 1));
                }
            }
            return self.builtin(argv).unwrap_or(Ok(127));
        }
        let is_func = self.funcs.contains_key(name);
        if is_func || super::builtins::is_builtin(name) {
            let saved: Vec<(String, Option<super::state::Var>)> =
                assigns.iter().map(|(n, _)| (n.clone(), self.vars.get(n).cloned())).collect();
            for (n, v) in assigns {
                if let Err(e) = self.set_var(&n, v) {
                    return Err(self.fatal(&e, 1));
                }
            }
            let r = if is_func { self.call_function(argv) } else { self.builtin(argv).unwrap_or(Ok(127)) };
            for (n, old) in saved {
                match old {
                    Some(v) => {
                        self.vars.insert(n, v);
                    }
                    None => {
                        self.vars.remove(&n);
                    }
                }
            }
            return r;
        }
        self.run_program(argv, &assigns)
    }

    pub fn call_function(&mut self, argv: &[String]) -> R {
        let Some(body) = self.funcs.get(&argv[0]).cloned() else {
            return Ok(127);
        };
        if self.frames.len() > 500 {
            return Err(self.fatal("function nesting too deep", 2));
        }
        let saved_params = std::mem::replace(&mut self.params, argv[1..].to_vec());
        let saved_loop = std::mem::replace(&mut self.loop_depth, 0);
        self.frames.push(Vec::new());
        let r = self.run_command(&body);
        if let Some(frame) = self.frames.pop() {
            for (n, old) in frame.into_iter().rev() {
                match old {
                    Some(v) => {
                        self.vars.insert(n, v);
                    }
                    None => {
                        self.vars.remove(&n);
                    }
                }
            }
        }
        self.loop_depth = saved_loop;
        self.params = saved_params;
        match r {
            Err(Flow::Return(s)) => Ok(s),
            other => other,
        }
    }

    fn trace(&mut self, assigns: &[(String, String)], argv: &[String]) {
        if !self.opts.xtrace {
            return;
        }
        let ps4 = self.get("PS4").unwrap_or("+ ").to_string();
        let mut words: Vec<String> = assigns.iter().map(|(n, v)| format!("{n}={}", quote(v))).collect();
        words.extend(argv.iter().map(|a| quote(a)));
        let line = format!("{ps4}{}\n", words.join(" "));
        let _ = self.io.write(2, line.as_bytes());
    }

    /// Finds a program: a path with `/` as is, otherwise the first match in `$PATH`.
    pub fn find_program(&self, name: &str) -> Option<String> {
        crate::util::process::find_in_path(name, self.get("PATH").unwrap_or(""))
    }

    pub(super) fn run_program(&mut self, argv: &[String], assigns: &[(String, String)]) -> R {
        let name = &argv[0];
        let Some(path) = self.find_program(name) else {
            self.error(&format!("{name}: not found"));
            return Ok(127);
        };
        let env = self.environ(assigns);
        let pid = match self.spawn_with_io(&path, argv, &env) {
            Ok(p) => p,
            Err((status, msg)) => {
                self.error(&format!("{name}: {msg}"));
                return Ok(status);
            }
        };
        Ok(sys::wait(pid).unwrap_or(127))
    }

    /// `exec prog args`: this process becomes `path` (same pid, so a container's entrypoint
    /// script leaves its server as PID 1), with the shell's descriptors 0-2. Returns only when
    /// that failed: the exit status, after the message.
    pub(super) fn replace_program(&mut self, path: &str, argv: &[String]) -> i32 {
        let name = &argv[0];
        let env = self.environ(&[]);
        let (prog, args) = match crate::util::process::program_argv(path, argv) {
            Ok(p) => p,
            Err((status, msg)) => {
                self.error(&format!("exec: {name}: {msg}"));
                return status;
            }
        };
        let fds: Vec<SpawnFd> =
            (0..3u32).map(|target| SpawnFd { target, source: self.io.get(target).and_then(Target::raw) }).collect();
        let e = sys::exec(&prog, &args, &env, &fds);
        self.error(&format!("exec: {name}: {}", crate::util::errstr(&e)));
        if e.kind() == std::io::ErrorKind::NotFound {
            127
        } else {
            126
        }
    }

    /// Whether one of descriptors 0-2 is a command substitution's buffer.
    pub(super) fn io_captured(&self) -> bool {
        (0..3).any(|fd| matches!(self.io.get(fd), Some(Target::Capture(_))))
    }

    /// Spawns a program with this shell's descriptors 0-2, draining capture buffers.
    fn spawn_with_io(&mut self, path: &str, argv: &[String], env: &[String]) -> Result<u32, (i32, String)> {
        let (fds, drains, writers) = self.child_fds().map_err(|e| (126, crate::util::errstr(&e)))?;
        let r = crate::util::process::spawn_program(path, argv, env, &fds);
        // Our copies of the capture pipes' write ends must close, or the reads never end.
        drop(writers);
        let pid = r?;
        drain(drains);
        Ok(pid)
    }

    /// The descriptors a child gets, with a pipe in place of each capture buffer.
    #[allow(clippy::type_complexity)]
    fn child_fds(
        &mut self,
    ) -> std::io::Result<(Vec<SpawnFd>, Vec<(Rc<sys::Fd>, Rc<RefCell<Vec<u8>>>)>, Vec<Rc<sys::Fd>>)> {
        let mut fds = Vec::new();
        let mut drains: Vec<(Rc<sys::Fd>, Rc<RefCell<Vec<u8>>>)> = Vec::new();
        let mut writers: Vec<(Rc<RefCell<Vec<u8>>>, Rc<sys::Fd>)> = Vec::new();
        for target in 0..3u32 {
            let source = match self.io.get(target) {
                None => None,
                Some(Target::Capture(buf)) => {
                    let w = match writers.iter().find(|(b, _)| Rc::ptr_eq(b, buf)) {
                        Some((_, w)) => w.clone(),
                        None => {
                            let (r, w) = sys::Fd::pipe()?;
                            let w = Rc::new(w);
                            drains.push((Rc::new(r), buf.clone()));
                            writers.push((buf.clone(), w.clone()));
                            w
                        }
                    };
                    Some(w.raw())
                }
                Some(t) => t.raw(),
            };
            fds.push(SpawnFd { target, source });
        }
        let keep: Vec<Rc<sys::Fd>> = writers.into_iter().map(|(_, w)| w).collect();
        Ok((fds, drains, keep))
    }

    /// `cmd &`: spawns the job and records `$!`.
    fn run_background(&mut self, a: &AndOr) -> R {
        let saved_io = self.io.clone();
        if let Ok(null) = sys::Fd::open(std::path::Path::new("/dev/null"), sys::OpenMode::Read) {
            self.io.set(0, Some(Target::Fd(Rc::new(null))));
        }
        let single = a.rest.is_empty() && !a.first.negate && a.first.cmds.len() == 1;
        let r = if single {
            self.spawn_element(&a.first.cmds[0])
        } else {
            let item = Item { and_or: a.clone(), background: false };
            let body = unparse::list(&vec![item]);
            self.spawn_subshell(&body)
        };
        self.io = saved_io;
        match r {
            Ok(pid) => {
                self.last_bg = Some(pid);
                self.jobs.push(pid);
                Ok(0)
            }
            Err(status) => Ok(status),
        }
    }

    /// Starts a command concurrently with the current descriptors; returns its pid.
    /// Programs are spawned directly; anything else becomes a child `sh`.
    fn spawn_element(&mut self, c: &Command) -> Result<u32, i32> {
        let Command::Simple(s) = c else {
            return self.spawn_subshell(&unparse::command(c));
        };
        self.lineno = s.line;
        type Expanded = (Vec<String>, Vec<(String, String)>);
        let expanded = (|| -> Result<Expanded, Flow> {
            let argv = self.expand_words(&s.words)?;
            let mut assigns = Vec::new();
            for (n, w) in &s.assigns {
                assigns.push((n.clone(), self.expand_string(w)?));
            }
            Ok((argv, assigns))
        })();
        let Ok((argv, assigns)) = expanded else {
            return Err(2);
        };
        let external = argv.first().is_some_and(|n| !self.funcs.contains_key(n) && !super::builtins::is_builtin(n));
        if !external {
            let mut body: Vec<String> = assigns.iter().map(|(n, v)| format!("{n}={}", quote(v))).collect();
            body.extend(argv.iter().map(|a| quote(a)));
            let mut text = body.join(" ");
            let redirs =
                Command::Simple(Simple { assigns: vec![], words: vec![], redirs: s.redirs.clone(), line: s.line });
            let r = unparse::command(&redirs);
            if !r.trim().is_empty() {
                text.push(' ');
                text.push_str(&r);
            }
            return self.spawn_subshell(&text);
        }
        self.trace(&assigns, &argv);
        let saved_io = self.io.clone();
        if let Err(msg) = self.redirect(&s.redirs) {
            self.io = saved_io;
            self.error(&msg);
            return Err(1);
        }
        let name = argv[0].clone();
        let r = match self.find_program(&name) {
            None => {
                self.error(&format!("{name}: not found"));
                Err(127)
            }
            Some(path) => {
                let env = self.environ(&assigns);
                self.spawn_with_io(&path, &argv, &env).map_err(|(st, msg)| {
                    self.error(&format!("{name}: {msg}"));
                    st
                })
            }
        };
        self.io = saved_io;
        r
    }

    /// Starts `sh -c body` carrying this shell's state.
    fn spawn_subshell(&mut self, body: &str) -> Result<u32, i32> {
        let state = self.serialize();
        let env = self.environ(&[(STATE_VAR.to_string(), state)]);
        let argv = vec!["sh".to_string(), "-c".to_string(), body.to_string()];
        self.spawn_with_io(&sys::shell_path(), &argv, &env).map_err(|(st, msg)| {
            self.error(&format!("sh: {msg}"));
            st
        })
    }

    /// `a | b | c`: every element but the last is started concurrently; the last runs here
    /// (in a subshell copy), so `... | while read x` needs no extra process.
    fn run_pipeline(&mut self, cmds: &[Command]) -> R {
        let saved_io = self.io.clone();
        let mut pids = Vec::new();
        let mut input: Option<Target> = None;
        let n = cmds.len();
        let mut last_status = 0;
        for (i, c) in cmds.iter().enumerate() {
            let mut io = saved_io.clone();
            if let Some(inp) = input.take() {
                io.set(0, Some(inp));
            }
            if i + 1 < n {
                let (r, w) = match sys::Fd::pipe() {
                    Ok(p) => p,
                    Err(e) => {
                        self.error(&format!("can't create pipe: {}", crate::util::errstr(&e)));
                        self.io = saved_io;
                        return Ok(1);
                    }
                };
                io.set(1, Some(Target::Fd(Rc::new(w))));
                input = Some(Target::Fd(Rc::new(r)));
                self.io = io;
                match self.spawn_element(c) {
                    Ok(pid) => pids.push(Some(pid)),
                    Err(st) => {
                        pids.push(None);
                        last_status = st;
                    }
                }
                self.io = saved_io.clone();
            } else {
                last_status = self.subshell(io, |sh| sh.run_command(c));
            }
        }
        drop(input);
        self.io = saved_io;
        for pid in pids.into_iter().flatten() {
            let _ = sys::wait(pid);
        }
        Ok(last_status)
    }

    /// `$(...)`: runs the list here on a copy of the state, capturing its output.
    pub fn command_subst(&mut self, list: &Rc<List>) -> Result<String, Flow> {
        let buf = Rc::new(RefCell::new(Vec::new()));
        let mut io = self.io.clone();
        io.set(1, Some(Target::Capture(buf.clone())));
        let status = self.subshell(io, |sh| sh.run_list(list));
        self.subst_status = Some(status);
        self.status = status;
        let out = buf.borrow();
        let mut s = String::from_utf8_lossy(&out).into_owned();
        while s.ends_with('\n') {
            s.pop();
        }
        Ok(s)
    }
}

/// Reads each capture pipe to its end into its buffer.
type Drain = (Rc<sys::Fd>, Rc<RefCell<Vec<u8>>>);

fn drain(drains: Vec<Drain>) {
    let mut chunk = vec![0u8; 16 * 1024];
    for (r, buf) in drains {
        while let Ok(n) = sys::read(r.raw(), &mut chunk) {
            if n == 0 {
                break;
            }
            buf.borrow_mut().extend_from_slice(&chunk[..n]);
        }
    }
}
