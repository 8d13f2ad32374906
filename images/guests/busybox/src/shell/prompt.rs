//! The interactive prompt and the startup files that set it.
//!
//! An interactive shell starts with a default `PS1`: BusyBox ash's `\w \$ ` (`/ # ` for root, so
//! alpine and busybox containers show `/ # `), bash's `\s-\v\$ `. bash then reads its startup
//! files — `/etc/bash.bashrc` and `~/.bashrc` for an interactive shell, `/etc/profile` and the
//! first of `~/.bash_profile`, `~/.bash_login`, `~/.profile` for a login shell — which is where
//! Debian and Ubuntu images set `PS1='\u@\h:\w\$ '`: `root@abc123:/tmp# `. ash reads
//! `/etc/profile` and `~/.profile` as a login shell, then `$ENV`.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::lexer::Parser;
use super::Shell;

/// The bash version the prompt's `\v` shows (Debian 12 and Ubuntu 24.04 ship bash 5.2).
const BASH_VERSION: &str = "5.2";

impl Shell {
    /// True when this shell runs as `bash` (`bash`, `/bin/bash`, `-bash` for a login shell).
    pub(super) fn is_bash(&self) -> bool {
        self.invoked_as().trim_start_matches('-') == "bash"
    }

    /// The name the shell was started as, without its directory (`\s`).
    fn invoked_as(&self) -> &str {
        self.arg0.rsplit('/').next().unwrap_or(&self.arg0)
    }

    /// Gives `PS1` and `PS2` their defaults, unless the environment set them.
    pub(super) fn default_prompts(&mut self) {
        if self.get("PS1").is_none() {
            let ps1 = if self.is_bash() { "\\s-\\v\\$ " } else { "\\w \\$ " };
            let _ = self.set_var("PS1", ps1.to_string());
        }
        if self.get("PS2").is_none() {
            let _ = self.set_var("PS2", "> ".to_string());
        }
    }

    /// Reads the startup files this kind of shell reads (see the module's documentation).
    pub(super) fn startup_files(&mut self, login: bool) {
        let home = self.get("HOME").unwrap_or("").to_string();
        let files: Vec<String> = match (self.is_bash(), login) {
            (true, true) => {
                let first = ["/.bash_profile", "/.bash_login", "/.profile"]
                    .iter()
                    .map(|f| format!("{home}{f}"))
                    .find(|f| std::path::Path::new(f).is_file());
                std::iter::once("/etc/profile".to_string()).chain(first).collect()
            }
            (true, false) if self.interactive => vec!["/etc/bash.bashrc".into(), format!("{home}/.bashrc")],
            (false, true) => vec!["/etc/profile".into(), format!("{home}/.profile")],
            _ => Vec::new(),
        };
        for f in files {
            if std::path::Path::new(&f).is_file() {
                let _ = self.builtin(&[".".to_string(), f]);
            }
        }
    }

    /// The user name `\u` shows: the effective user's name in `/etc/passwd`.
    fn user_name(&self, root: bool) -> String {
        let euid = crate::sys::procfs::euid().unwrap_or(0);
        crate::sys::procfs::user_name(euid).or_else(|| self.get("USER").map(str::to_string)).unwrap_or_else(|| {
            if root {
                "root".into()
            } else {
                euid.to_string()
            }
        })
    }

    /// The working directory as `\w` shows it: `~` for the home directory.
    fn pwd_shown(&self) -> String {
        let pwd = self.get("PWD").unwrap_or("/").to_string();
        let home = self.get("HOME").unwrap_or("").to_string();
        if home.is_empty() || home == "/" {
            return pwd;
        }
        match pwd.strip_prefix(&home) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("~{rest}"),
            _ => pwd,
        }
    }

    /// Expands a prompt variable: backslash escapes (`\w \W \u \h \s \v \$ \n \\`), then
    /// parameters.
    pub(super) fn prompt(&mut self, var: &str) -> String {
        let root = crate::sys::procfs::euid().unwrap_or(0) == 0;
        let default = if var == "PS1" { "\\w \\$ " } else { "> " };
        let raw = self.get(var).unwrap_or(default).to_string();
        let mut s = String::new();
        let mut it = raw.chars();
        while let Some(c) = it.next() {
            if c != '\\' {
                s.push(c);
                continue;
            }
            match it.next() {
                Some('w') => s.push_str(&self.pwd_shown()),
                Some('W') => {
                    let shown = self.pwd_shown();
                    let base = if shown == "/" { "/" } else { shown.rsplit('/').next().unwrap_or("") };
                    s.push_str(base);
                }
                Some('u') => s.push_str(&self.user_name(root)),
                Some('h') | Some('H') => {
                    let h = crate::sys::procfs::hostname().unwrap_or_default();
                    s.push_str(h.split('.').next().unwrap_or(""));
                }
                Some('s') => s.push_str(self.invoked_as().trim_start_matches('-')),
                Some('v') | Some('V') => s.push_str(BASH_VERSION),
                Some('$') => s.push(if root { '#' } else { '$' }),
                Some('n') => s.push('\n'),
                Some('\\') => s.push('\\'),
                Some('e') => s.push('\x1b'),
                Some('[') | Some(']') => {}
                Some(o) => {
                    s.push('\\');
                    s.push(o);
                }
                None => s.push('\\'),
            }
        }
        if !s.contains('$') {
            return s;
        }
        let mut p = Parser::new(&s, Rc::new(BTreeMap::new()));
        let mut parts = Vec::new();
        if p.heredoc_parts(&mut parts).is_ok() {
            if let Ok(v) = self.expand_string(&parts) {
                return v;
            }
        }
        s
    }
}
