//! Running the engine's native programs (`docker`) as processes of the host. Each runs as a
//! [`Task`] whose standard streams are the descriptors of its process: input is read only when
//! the command asks for it (so typed-ahead lines stay for the shell), output is written back as
//! the descriptors take it (a full pipe makes the command wait), and the process ends with the
//! command's exit status once its output is flushed.

use crate::cli::{Io, Step, Task};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::process::native::{NativeRead, NativeRequest};
use crate::process::{Pid, Signal};

/// Most output buffered for a command before it must wait for its reader.
const OUT_LIMIT: usize = 256 * 1024;

struct Running {
    pid: Pid,
    task: Box<dyn Task>,
    stdin: Vec<u8>,
    stdin_eof: bool,
    wants_input: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: Option<i32>,
}

/// The native programs running on the host.
#[derive(Default)]
pub struct Natives {
    running: Vec<Running>,
    /// The terminal is a live one (the page's), where progress displays redraw in place.
    pub(crate) live: bool,
}

/// Starts the task for a native program's command line.
fn task_for(req: &NativeRequest, daemon: &mut Daemon) -> Box<dyn Task> {
    let name = req.argv.first().map(|a| a.rsplit('/').next().unwrap_or(a)).unwrap_or("");
    match name {
        "docker" => {
            daemon.client_cwd = req.cwd.clone();
            daemon.client_env = req.env.clone();
            crate::cli::docker(req.argv.clone(), daemon)
        }
        "docker-compose" => {
            daemon.client_cwd = req.cwd.clone();
            daemon.client_env = req.env.clone();
            crate::cli::docker_compose(req.argv.clone(), daemon)
        }
        other => crate::cli::Finished::fail(format!("{other}: not a native program\n"), 127),
    }
}

impl Natives {
    /// No program running yet; `live` when the terminal is the page's.
    pub fn new(live: bool) -> Self {
        Self { running: Vec::new(), live }
    }

    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// True if a running command waits for input from its terminal.
    pub fn waiting_for_terminal(&self, daemon: &mut Daemon) -> bool {
        self.running.iter().any(|r| r.wants_input && r.status.is_none() && daemon.kernel.native_isatty(r.pid, 0))
    }

    /// Takes the new native processes and the signals sent to running ones; true if there were
    /// any.
    pub fn accept(&mut self, daemon: &mut Daemon) -> bool {
        let requests = daemon.kernel.take_native_requests();
        let signals = daemon.kernel.take_native_signals();
        let any = !requests.is_empty() || !signals.is_empty();
        for req in requests {
            let task = task_for(&req, daemon);
            self.running.push(Running {
                pid: req.pid,
                task,
                stdin: Vec::new(),
                stdin_eof: false,
                wants_input: false,
                stdout: Vec::new(),
                stderr: Vec::new(),
                status: None,
            });
        }
        for (pid, signal) in signals {
            let Some(r) = self.running.iter_mut().find(|r| r.pid == pid) else { continue };
            if r.status.is_none()
                && matches!(signal, Signal::Int | Signal::Term | Signal::Hup | Signal::Quit)
                && r.task.interrupt(daemon)
            {
                r.status = Some(128 + signal.number());
            }
        }
        any
    }

    /// One step of every native program; the most urgent activity among them.
    pub fn step(&mut self, daemon: &mut Daemon, cols: u16, deadline: u64) -> Activity {
        let mut activity = Activity::Idle;
        let mut i = 0;
        while i < self.running.len() {
            let r = &mut self.running[i];
            let a = step_one(r, daemon, cols, deadline, self.live);
            if a == Activity::Busy || r.status.is_none() || !r.stdout.is_empty() || !r.stderr.is_empty() {
                activity = activity.max(a);
            }
            if r.status.is_some() && r.stdout.is_empty() && r.stderr.is_empty() {
                daemon.kernel.native_finish(r.pid, r.status.unwrap_or(0));
                self.running.remove(i);
                activity = Activity::Busy;
                continue;
            }
            i += 1;
        }
        activity
    }
}

/// Writes what the descriptor takes; false if its reader is gone.
fn flush(daemon: &mut Daemon, pid: Pid, fd: u32, buf: &mut Vec<u8>) -> bool {
    while !buf.is_empty() {
        match daemon.kernel.native_write(pid, fd, buf) {
            Some(0) => return true,
            Some(n) => {
                buf.drain(..n);
            }
            None => {
                buf.clear();
                return false;
            }
        }
    }
    true
}

fn step_one(r: &mut Running, daemon: &mut Daemon, cols: u16, deadline: u64, live: bool) -> Activity {
    // Progress and errors (stderr) come before results (stdout) written in the same poll.
    let err_ok = flush(daemon, r.pid, 2, &mut r.stderr);
    let out_ok = flush(daemon, r.pid, 1, &mut r.stdout);
    if !out_ok && r.status.is_none() {
        // Its reader is gone (`docker logs web | head -1`): SIGPIPE ends it.
        r.status = Some(141);
    }
    let _ = err_ok;
    if r.status.is_some() || r.stdout.len() > OUT_LIMIT {
        return Activity::Waiting;
    }
    if r.wants_input && !r.stdin_eof {
        match daemon.kernel.native_read(r.pid, 0, 64 * 1024) {
            NativeRead::Data(d) => r.stdin.extend(d),
            NativeRead::Eof | NativeRead::Error => r.stdin_eof = true,
            NativeRead::Pending => {}
        }
    }
    let interactive = daemon.kernel.native_isatty(r.pid, 0);
    let mut io = Io::new(std::mem::take(&mut r.stdin), cols, interactive);
    io.terminal = daemon.kernel.native_tty(r.pid, 0);
    io.live = live && daemon.kernel.native_isatty(r.pid, 2);
    io.stdout_tty = daemon.kernel.native_isatty(r.pid, 1);
    io.set_eof(r.stdin_eof);
    let step = r.task.poll(daemon, &mut io, deadline);
    let produced = !io.stdout.is_empty() || !io.stderr.is_empty();
    r.wants_input = io.wants_input();
    r.stdout.extend(std::mem::take(&mut io.stdout));
    r.stderr.extend(std::mem::take(&mut io.stderr));
    r.stdin = io.unread_input();
    // Output reaches the screen before the command waits (a question before its answer).
    flush(daemon, r.pid, 2, &mut r.stderr);
    if !flush(daemon, r.pid, 1, &mut r.stdout) && r.status.is_none() {
        r.status = Some(141);
    }
    match step {
        Step::Done(code) => {
            r.status = Some(code);
            Activity::Busy
        }
        // Output means progress (and maybe processes it started): look again before sleeping.
        Step::Pending(_) if produced => Activity::Busy,
        Step::Pending(a) if r.wants_input => a.max(Activity::Waiting),
        Step::Pending(a) => a,
    }
}
