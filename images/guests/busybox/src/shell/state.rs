//! The shell's state: variables, positional parameters, functions, aliases, options, the last
//! status, and how that state travels to a child `sh` that plays a subshell.
//!
//! There is no `fork` under the engine, so a concurrent subshell is a new process. Its state is
//! passed in the environment variable [`STATE_VAR`] as a small script (non-exported variables,
//! functions, aliases, options, `$$`, `$?`, `$!`, `$0` and the positional parameters) that the
//! child runs before its command, then removes from its environment.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::ast::Command;
use super::io::Io;
use super::unparse;

/// The environment variable carrying a parent shell's state to a subshell process.
pub const STATE_VAR: &str = "BUSYBOX_SH_STATE";

#[derive(Clone, Debug, Default)]
pub struct Var {
    pub value: String,
    pub exported: bool,
    pub readonly: bool,
}

/// `set` options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub errexit: bool,
    pub xtrace: bool,
    pub nounset: bool,
    pub noglob: bool,
    pub noclobber: bool,
    pub allexport: bool,
    pub verbose: bool,
    pub noexec: bool,
}

/// (option letter, `set -o` name).
pub const OPTION_NAMES: [(char, &str); 8] = [
    ('e', "errexit"),
    ('f', "noglob"),
    ('C', "noclobber"),
    ('a', "allexport"),
    ('v', "verbose"),
    ('x', "xtrace"),
    ('u', "nounset"),
    ('n', "noexec"),
];

impl Options {
    pub fn flag(&mut self, c: char) -> Option<&mut bool> {
        Some(match c {
            'e' => &mut self.errexit,
            'x' => &mut self.xtrace,
            'u' => &mut self.nounset,
            'f' => &mut self.noglob,
            'C' => &mut self.noclobber,
            'a' => &mut self.allexport,
            'v' => &mut self.verbose,
            'n' => &mut self.noexec,
            _ => return None,
        })
    }

    /// `$-`
    pub fn letters(&mut self) -> String {
        OPTION_NAMES.iter().filter(|(c, _)| self.flag(*c).is_some_and(|f| *f)).map(|(c, _)| *c).collect()
    }
}

/// A function's `local` variables: (name, previous value) to restore on return.
pub type Frame = Vec<(String, Option<Var>)>;

#[derive(Clone)]
pub struct Shell {
    pub vars: BTreeMap<String, Var>,
    pub arg0: String,
    pub params: Vec<String>,
    pub funcs: BTreeMap<String, Rc<Command>>,
    pub aliases: BTreeMap<String, String>,
    pub opts: Options,
    pub status: i32,
    pub last_bg: Option<u32>,
    pub pid: u32,
    pub io: Io,
    pub traps: BTreeMap<String, String>,
    pub jobs: Vec<u32>,
    /// The script being run (error messages then read `script: line N: ...`).
    pub script: Option<String>,
    pub lineno: usize,
    pub interactive: bool,
    /// Inside a subshell (in-process or spawned): `exit` ends only the subshell.
    pub subshell: bool,
    /// Nesting of contexts where `set -e` does not apply (conditions, `!`, `&&`/`||` heads).
    pub errexit_off: usize,
    pub loop_depth: usize,
    pub frames: Vec<Frame>,
    /// Status of the last command substitution (the status of a command without a name).
    pub subst_status: Option<i32>,
    /// Set by `exec` without a command: keep the redirections of this command.
    pub keep_io: bool,
    /// Running a parent's state script: `__bbsh_state` is allowed.
    pub restoring: bool,
}

impl Shell {
    pub fn new(arg0: String) -> Shell {
        let mut sh = Shell {
            vars: BTreeMap::new(),
            arg0,
            params: Vec::new(),
            funcs: BTreeMap::new(),
            aliases: BTreeMap::new(),
            opts: Options::default(),
            status: 0,
            last_bg: None,
            pid: crate::sys::getpid(),
            io: Io::default(),
            traps: BTreeMap::new(),
            jobs: Vec::new(),
            script: None,
            lineno: 0,
            interactive: false,
            subshell: false,
            errexit_off: 0,
            loop_depth: 0,
            frames: Vec::new(),
            subst_status: None,
            keep_io: false,
            restoring: false,
        };
        for (k, v) in std::env::vars_os() {
            let (k, v) = (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned());
            if k != STATE_VAR && super::ast::is_name(&k) {
                sh.vars.insert(k, Var { value: v, exported: true, readonly: false });
            }
        }
        sh.set_default("IFS", " \t\n");
        sh.set_default("PS2", "> ");
        sh.set_default("PS4", "+ ");
        sh.set_default("OPTIND", "1");
        sh.set_default("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        let ppid = crate::sys::getppid().to_string();
        sh.vars.insert("PPID".into(), Var { value: ppid, exported: false, readonly: false });
        if let Ok(cwd) = crate::sys::getcwd() {
            let cwd = cwd.to_string_lossy().into_owned();
            let keep = sh.get("PWD").is_some_and(|p| p.starts_with('/') && same_dir(p, &cwd));
            if !keep {
                sh.vars.insert("PWD".into(), Var { value: cwd, exported: true, readonly: false });
            }
        }
        sh
    }

    fn set_default(&mut self, name: &str, value: &str) {
        if !self.vars.contains_key(name) {
            self.vars.insert(name.into(), Var { value: value.into(), ..Var::default() });
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    /// Assigns a variable; fails (with ash's message) when it is read-only.
    pub fn set_var(&mut self, name: &str, value: String) -> Result<(), String> {
        let allexport = self.opts.allexport;
        let v = self.vars.entry(name.to_string()).or_default();
        if v.readonly {
            return Err(format!("{name}: is read only"));
        }
        v.value = value;
        if allexport {
            v.exported = true;
        }
        Ok(())
    }

    pub fn unset_var(&mut self, name: &str) -> Result<(), String> {
        if self.vars.get(name).is_some_and(|v| v.readonly) {
            return Err(format!("{name}: is read only"));
        }
        self.vars.remove(name);
        Ok(())
    }

    /// The environment of a child process: exported variables as `KEY=value`.
    pub fn environ(&self, extra: &[(String, String)]) -> Vec<String> {
        let mut env: BTreeMap<&str, &str> =
            self.vars.iter().filter(|(_, v)| v.exported).map(|(k, v)| (k.as_str(), v.value.as_str())).collect();
        for (k, v) in extra {
            env.insert(k, v);
        }
        env.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    /// The state script given to a subshell process (see the module documentation).
    pub fn serialize(&mut self) -> String {
        let mut s = String::new();
        let bg = self.last_bg.map(|p| p.to_string()).unwrap_or_default();
        let letters = self.opts.letters();
        s.push_str(&format!(
            "__bbsh_state {} {} {} {} {} {}\n",
            self.pid,
            self.status,
            quote(&bg),
            quote(&letters),
            quote(&self.arg0),
            quote(self.script.as_deref().unwrap_or("")),
        ));
        s.push_str("set --");
        for p in &self.params {
            s.push(' ');
            s.push_str(&quote(p));
        }
        s.push('\n');
        for (k, v) in &self.vars {
            if !v.exported && k != "PPID" {
                s.push_str(&format!("{k}={}\n", quote(&v.value)));
            }
            if v.readonly {
                s.push_str(&format!("readonly {k}\n"));
            }
        }
        for (name, body) in &self.funcs {
            s.push_str(name);
            s.push_str("() ");
            s.push_str(&unparse::command(body));
            s.push('\n');
        }
        for (name, value) in &self.aliases {
            s.push_str(&format!("alias {name}={}\n", quote(value)));
        }
        s
    }
}

/// Quotes a string for the shell: `'...'` unless it is plainly safe.
pub fn quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c)) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn same_dir(a: &str, b: &str) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                x.ino() == y.ino() && x.dev() == y.dev()
            }
            #[cfg(not(unix))]
            {
                let _ = (x, y);
                a.trim_end_matches('/') == b.trim_end_matches('/')
            }
        }
        _ => false,
    }
}
