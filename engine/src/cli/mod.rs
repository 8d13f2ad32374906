//! The `docker` command-line client. It parses argv the way Docker's client does (same flags,
//! same error texts), calls the daemon, and prints what Docker prints. A command is a [`Task`]:
//! most finish in one poll (`docker ps`); some wait on the daemon across ticks (`docker run`
//! streaming a container's output, `docker pull` waiting on a fetch).

use crate::daemon::Daemon;
use crate::engine::Activity;

/// The standard streams of a running command.
#[derive(Debug, Default)]
pub struct Io {
    stdin: Vec<u8>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Terminal width, for commands that lay out to it.
    pub cols: u16,
}

impl Io {
    pub fn new(stdin: Vec<u8>, cols: u16) -> Self {
        Self {
            stdin,
            stdout: Vec::new(),
            stderr: Vec::new(),
            cols,
        }
    }
    /// Takes the keystrokes that arrived for this command.
    pub fn take_input(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.stdin)
    }
    /// Input this command did not read (kept for the next poll or the prompt).
    pub fn unread_input(self) -> Vec<u8> {
        self.stdin
    }
    pub fn out(&mut self, s: impl AsRef<str>) {
        self.stdout.extend_from_slice(s.as_ref().as_bytes());
    }
    pub fn err(&mut self, s: impl AsRef<str>) {
        self.stderr.extend_from_slice(s.as_ref().as_bytes());
    }
}

/// Where a command stands after a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Not finished; the activity says when polling again makes sense.
    Pending(Activity),
    /// Finished with this exit status.
    Done(i32),
}

/// A running command.
pub trait Task {
    /// Advances the command until it finishes, waits, or the tick's `deadline` (monotonic
    /// microseconds) passes.
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, deadline: u64) -> Step;
}

/// A command that already knows its output and status.
struct Finished {
    stdout: String,
    stderr: String,
    status: i32,
}

impl Task for Finished {
    fn poll(&mut self, _daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        io.out(std::mem::take(&mut self.stdout));
        io.err(std::mem::take(&mut self.stderr));
        Step::Done(self.status)
    }
}

/// Starts `docker` with this argv (argv[0] is `docker`).
pub fn docker(argv: Vec<String>, _daemon: &mut Daemon) -> Box<dyn Task> {
    let name = argv.get(1).cloned().unwrap_or_default();
    Box::new(Finished {
        stdout: String::new(),
        stderr: format!(
            "docker: unknown command: docker {name}\n\nRun 'docker --help' for more information\n"
        ),
        status: 1,
    })
}
