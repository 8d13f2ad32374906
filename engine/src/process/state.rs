//! What the kernel keeps for one process besides its WebAssembly instance: its pid, argv,
//! environment, working directory, root filesystem, descriptor table, controlling terminal,
//! signal state and resource limits, plus handles on the machine's clock and entropy. It lives
//! inside the process's `wasmi::Store`, so host functions (the system calls) reach it from the
//! `Caller`.

use super::fdtable::{Entry, Fd, FdTable};
use super::pipe::PipeEnd;
use super::signal::SignalState;
use super::tty::Tty;
use super::Stdio;
use crate::fs::Fs;
use crate::platform::{Clock, Entropy};
use std::cell::RefCell;
use std::rc::Rc;
use wasmi::{Memory, StoreLimits};

/// The kernel's side of one process.
pub struct ProcState {
    /// The global pid (the engine's) and the pid in the process's namespace (what it sees).
    pub pid: u32,
    pub ns_pid: u32,
    pub args: Vec<String>,
    pub env: Vec<String>,
    /// The working directory, absolute and normalized (WASIX `chdir`/`getcwd`; children start
    /// there). wasi-libc keeps its own copy, which guests align with `getcwd` at start-up.
    pub cwd: String,
    pub fs: Fs,
    pub fds: FdTable,
    /// The controlling terminal: the first terminal among its stdio at start.
    pub tty: Option<Tty>,
    pub signals: SignalState,
    /// A signal to raise at a time (`proc_raise_interval`, `alarm`/`setitimer`).
    pub alarm: Option<Alarm>,
    pub clock: Rc<dyn Clock>,
    pub entropy: Rc<RefCell<dyn Entropy>>,
    /// Memory and table caps, enforced by wasmi when the guest grows its memory.
    pub limits: StoreLimits,
    /// The guest's exported linear memory, once instantiated.
    pub memory: Option<Memory>,
    /// The network it sees: the kernel's switch, from its container's network namespace.
    pub net: crate::network::stack::NetHandle,
    /// The user and groups it acts as (file permissions, owner of the files it creates).
    pub cred: super::access::Cred,
}

/// A timer that raises a signal (`proc_raise_interval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alarm {
    /// When, on the monotonic clock.
    pub at_micros: u64,
    /// Repeats with this period.
    pub every_micros: Option<u64>,
    pub sig: u8,
}

impl ProcState {
    /// Raises the alarm's signal if its time has come (and re-arms a repeating one).
    pub fn check_alarm(&mut self) {
        let Some(alarm) = self.alarm else { return };
        let now = self.clock.monotonic_micros();
        if now < alarm.at_micros {
            return;
        }
        self.alarm = alarm.every_micros.map(|every| Alarm { at_micros: now.saturating_add(every), ..alarm });
        self.signals.raise_now(alarm.sig);
    }
}

/// The descriptor table of a new process: stdio bound as given, "/" preopened as fd 3.
pub fn initial_fds(fs: &Fs, stdio: [Stdio; 3]) -> FdTable {
    let mut fds = FdTable::default();
    for (n, s) in (0u32..).zip(stdio) {
        let fd = match s {
            Stdio::Null => Fd::Null,
            Stdio::Pipe(p) if n == 0 => Fd::PipeIn(PipeEnd::reader(p)),
            Stdio::Pipe(p) => Fd::PipeOut(PipeEnd::writer(p)),
            Stdio::Tty(t) => Fd::Tty(t),
        };
        fds.install(n, Entry::new(fd)).ok();
    }
    fds.install(3, root_preopen(fs)).ok();
    fds
}

/// fd 3: the root directory, preopened as "/".
pub fn root_preopen(fs: &Fs) -> Entry {
    Entry::new(Fd::Dir { node: fs.root(), path: "/".to_string(), preopen: Some("/".to_string()) })
}

/// The first terminal among `fds` 0 to 2.
pub fn controlling_tty(fds: &FdTable) -> Option<Tty> {
    (0..3).find_map(|n| match fds.get(n) {
        Ok(Entry { fd: Fd::Tty(t), .. }) => Some(t.clone()),
        _ => None,
    })
}

/// Normalizes `path` (absolute, or relative to `cwd`): no `.`, `..` or repeated slashes.
pub fn normalize(cwd: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

impl ProcState {
    /// A process with no descriptors yet (the kernel installs them once the program is
    /// instantiated, so a failed start leaves the caller's pipes open).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pid: u32,
        ns_pid: u32,
        args: Vec<String>,
        env: Vec<String>,
        cwd: String,
        fs: Fs,
        clock: Rc<dyn Clock>,
        entropy: Rc<RefCell<dyn Entropy>>,
        limits: StoreLimits,
    ) -> Self {
        Self {
            pid,
            ns_pid,
            args,
            env,
            cwd: normalize("/", &cwd),
            fs,
            fds: FdTable::default(),
            tty: None,
            signals: SignalState::default(),
            alarm: None,
            clock,
            entropy,
            limits,
            memory: None,
            net: crate::network::stack::NetHandle::detached(),
            cred: super::access::Cred::default(),
        }
    }

    /// Installs the descriptor table. A process without a controlling terminal yet (one the
    /// engine starts) gets the first terminal among its stdio; children and new images keep
    /// their parent's, whatever their redirections.
    pub fn set_fds(&mut self, fds: FdTable) {
        if self.tty.is_none() {
            self.tty = controlling_tty(&fds);
        }
        self.fds = fds;
    }

    /// The value of environment variable `name`.
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.iter().find_map(|e| e.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn paths_normalize_against_the_working_directory() {
        assert_eq!(normalize("/", "/a/./b//c/.."), "/a/b");
        assert_eq!(normalize("/home/u", "x/../y"), "/home/u/y");
        assert_eq!(normalize("/", "../.."), "/");
        assert_eq!(normalize("/srv", ""), "/srv");
    }
}
