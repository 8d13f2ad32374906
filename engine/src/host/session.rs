//! The host's terminal session: what the learner's terminal (xterm.js in the page, or stdin and
//! stdout natively) is connected to. At boot the host's programs are installed, then a shell runs
//! on the terminal as a process of the host, in the learner's home. The terminal's line
//! discipline edits lines (arrows, history); the shell runs what is typed; `docker` is a native
//! program (see [`super::natives`]). When the shell exits, a new one starts, as a new login.

use super::install::Install;
use super::natives::Natives;
use super::{HOME, USER};
use crate::daemon::Daemon;
use crate::engine::{Activity, TerminalMode};
use crate::process::{GroupId, GroupInfo, Pid, SpawnOptions, SpawnSpec, Stdio, Tty};

/// The prompt the learner sees: `eleve@playground:~$ ` (the shell expands `\w`).
pub const PROMPT: &str = "eleve@playground:\\w$ ";

/// The host machine as seen from its terminal.
pub struct Host {
    mode: TerminalMode,
    tty: Tty,
    install: Install,
    group: Option<GroupId>,
    shell: Option<Pid>,
    natives: Natives,
    /// Messages of the host itself (installation failures), before the terminal's output.
    notices: Vec<u8>,
    cols: u16,
    /// A restored snapshot's part that waits for the host's programs (see [`crate::persist`]).
    restore: Option<crate::persist::PendingRestore>,
}

impl Host {
    pub fn new(mode: TerminalMode) -> Self {
        let tty = Tty::new(80, 24);
        if mode == TerminalMode::Line {
            // The native terminal echoes what is typed itself.
            let mut m = tty.mode();
            m.echo = false;
            tty.set_mode(m);
        }
        Self {
            mode,
            tty,
            install: Install::Index,
            group: None,
            shell: None,
            natives: Natives::new(mode == TerminalMode::Interactive),
            notices: Vec::new(),
            cols: 80,
            restore: None,
        }
    }

    /// Brings back a snapshot's host files and containers once the host is installed.
    pub(crate) fn set_pending_restore(&mut self, restore: crate::persist::PendingRestore) {
        self.restore = Some(restore);
    }

    /// The userland layer the host was installed from, once installed and restored: `None`
    /// while there is nothing consistent to save.
    pub(crate) fn userland(&self) -> Option<std::rc::Rc<[u8]>> {
        match &self.install {
            Install::Done(layer) if self.restore.is_none() => Some(layer.clone()),
            _ => None,
        }
    }

    /// The terminal's history of entered lines, oldest first.
    pub(crate) fn history(&self) -> Vec<String> {
        self.tty.history()
    }

    pub fn write_input(&mut self, bytes: &[u8]) {
        self.tty.input(bytes);
    }

    /// What the terminal shows. Natively, lines end with `\n` only, as a pipe would carry them.
    pub fn take_output(&mut self) -> Vec<u8> {
        let mut out = std::mem::take(&mut self.notices);
        out.extend(self.tty.take_output());
        if self.mode != TerminalMode::Interactive {
            out.retain(|&b| b != b'\r');
        }
        out
    }

    /// True when the shell waits at its prompt and no command of the host runs.
    pub fn at_prompt(&self, daemon: &Daemon) -> bool {
        self.natives.is_empty() && self.shell.is_some_and(|pid| daemon.kernel.waiting_for_terminal(pid))
    }

    /// True when something waits for the learner to type: the shell at its prompt, or a program
    /// reading the terminal (a `[y/N]` question, `cat`, a container attached with `-i`).
    pub fn awaiting_input(&self, daemon: &mut Daemon) -> bool {
        self.group.is_some_and(|g| daemon.kernel.group_waiting_for_terminal(g))
            || self.natives.waiting_for_terminal(daemon)
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.cols = cols;
        self.tty.resize(u32::from(cols), u32::from(rows));
    }

    /// Starts a login shell on the terminal.
    fn spawn_shell(&mut self, daemon: &mut Daemon) {
        let group = *self.group.get_or_insert_with(|| daemon.kernel.new_group());
        // The learner's account owns its home (also in machines saved before it did).
        super::own_home(&daemon.host_fs);
        daemon.kernel.set_pids_limit(group, 512);
        daemon.kernel.set_group_info(
            group,
            GroupInfo {
                hostname: "playground".into(),
                uid: 1000,
                gid: 1000,
                groups: Vec::new(),
                memory_limit_bytes: None,
                netns: crate::network::stack::HOST_NETNS,
            },
        );
        let program = match daemon.host_fs.read_file("/bin/busybox") {
            Ok(p) => p,
            Err(e) => {
                self.notices
                    .extend(format!("playground: cannot start the host's shell: /bin/busybox: {e}\n").as_bytes());
                self.install = Install::Failed("no shell".into());
                return;
            }
        };
        let env = vec![
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            format!("HOME={HOME}"),
            format!("USER={USER}"),
            format!("LOGNAME={USER}"),
            "SHELL=/bin/sh".to_string(),
            "TERM=xterm-256color".to_string(),
            "LANG=C.UTF-8".to_string(),
            format!("PS1={PROMPT}"),
        ];
        let spec = SpawnSpec {
            program: program.into(),
            args: vec!["-sh".into()],
            env,
            cwd: HOME.to_string(),
            fs: daemon.host_fs.clone(),
            stdin: Stdio::Tty(self.tty.clone()),
            stdout: Stdio::Tty(self.tty.clone()),
            stderr: Stdio::Tty(self.tty.clone()),
        };
        // PID 1 rules keep the shell alive on Ctrl-C (it has no signal handlers); the command
        // in the foreground gets the signal.
        match daemon.kernel.spawn_with(spec, SpawnOptions { group, pid1: true }) {
            Ok(pid) => self.shell = Some(pid),
            Err(e) => self.notices.extend(format!("playground: cannot start the host's shell: {e}\n").as_bytes()),
        }
    }

    /// Runs until `deadline` (monotonic microseconds) or until nothing more can happen.
    pub fn tick(&mut self, daemon: &mut Daemon, deadline: u64) -> Activity {
        loop {
            let mut activity = Activity::Idle;
            match &self.install {
                Install::Done(_) => {}
                Install::Failed(reason) => {
                    if self.shell.is_none() && !reason.is_empty() {
                        let line = format!("playground: cannot install the host's programs: {reason}\n");
                        self.notices.extend(line.as_bytes());
                        self.install = Install::Failed(String::new());
                    }
                }
                _ => {
                    activity = if self.install.poll(daemon) { Activity::Busy } else { Activity::Waiting };
                }
            }
            if matches!(self.install, Install::Done(_) | Install::Failed(_)) {
                if let Some(restore) = self.restore.take() {
                    restore.finish(daemon, &self.tty);
                    activity = Activity::Busy;
                }
            }
            if matches!(self.install, Install::Done(_)) && self.shell.is_none() {
                self.spawn_shell(daemon);
                activity = Activity::Busy;
            }
            // Native commands first (they may start containers), then the processes, then any
            // command those processes just started: nothing is left unseen when this returns.
            activity = activity.max(self.natives.step(daemon, self.cols, deadline));
            activity = activity.max(daemon.run_background(deadline));
            if self.natives.accept(daemon) {
                activity = Activity::Busy;
            }
            if let Some(pid) = self.shell {
                if let Some(crate::process::ProcStatus::Exited(_)) = daemon.kernel.status(pid) {
                    daemon.kernel.reap(pid);
                    self.shell = None;
                    activity = Activity::Busy;
                }
            }
            if activity != Activity::Busy || daemon.now_micros() >= deadline {
                return activity;
            }
        }
    }
}
