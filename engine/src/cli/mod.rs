//! The `docker` command-line client. It parses argv the way Docker's client does (same flags,
//! same error texts), calls the daemon, and prints what Docker prints. A command is a [`Task`]:
//! most finish in one poll (`docker ps`); some wait on the daemon across ticks (`docker run`
//! streaming a container's output, `docker pull` waiting on a fetch).

mod attach;
mod build;
mod commit;
mod compose;
mod config_file;
mod cp;
mod df;
mod exec;
mod filter;
mod flags;
mod format;
mod history;
mod images;
mod info;
mod inspect;
mod kill;
mod login;
mod logs;
mod network;
mod network_flags;
mod network_inspect;
mod pause;
mod port;
mod prune;
mod ps;
mod pull;
mod push;
mod rename;
mod rm;
mod rmi;
mod root;
mod run;
mod run_flags;
mod save;
mod search;
mod start;
mod stop;
mod table;
mod tag;
mod top;
mod version;
mod volume;
mod volume_json;
mod volume_ls;
mod wait;

pub use flags::{Arity, Flag, Kind, Matches, Parsed, Spec, UsageError};

use crate::daemon::Daemon;
use crate::engine::Activity;

/// The standard streams of a running command.
#[derive(Debug, Default)]
pub struct Io {
    stdin: Vec<u8>,
    /// No more input will come (the stdin pipe closed, or Ctrl-D on the terminal).
    eof: bool,
    /// Set when the command looked for input that was not there yet: it is read for the next
    /// poll. Input nobody asks for stays for whoever reads next (the shell).
    wants_input: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Terminal width, for commands that lay out to it.
    pub cols: u16,
    /// True when stdin is a terminal (lines arrive edited and echoed by it).
    pub interactive: bool,
    /// True when stdout is a terminal (not a pipe or a file): colours are for terminals.
    pub stdout_tty: bool,
    /// That terminal, so a command can switch it to raw mode (`docker run -it`).
    pub terminal: Option<crate::process::Tty>,
    /// The output reaches a live terminal that redraws in place (the page's xterm.js), not a
    /// transcript: progress displays may move the cursor back over what they drew.
    pub live: bool,
}

/// What a command found on its stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Data(Vec<u8>),
    Eof,
}

impl Io {
    pub fn new(stdin: Vec<u8>, cols: u16, interactive: bool) -> Self {
        Self { stdin, cols, interactive, stdout_tty: interactive, ..Self::default() }
    }

    pub fn set_eof(&mut self, eof: bool) {
        self.eof = eof;
    }

    pub fn wants_input(&self) -> bool {
        self.wants_input
    }

    /// Whatever input has arrived; `None` (and a request for more) when there is none yet.
    pub fn read(&mut self) -> Option<Input> {
        if !self.stdin.is_empty() {
            return Some(Input::Data(std::mem::take(&mut self.stdin)));
        }
        if self.eof {
            return Some(Input::Eof);
        }
        self.wants_input = true;
        None
    }

    /// The next whole line, without its newline; `None` until one has arrived. Later input
    /// stays unread.
    pub fn read_line(&mut self) -> Option<Input> {
        if let Some(end) = self.stdin.iter().position(|&b| b == b'\n') {
            let raw: Vec<u8> = self.stdin.drain(..=end).collect();
            let line = String::from_utf8_lossy(&raw).trim_end_matches(['\n', '\r']).to_string();
            return Some(Input::Data(line.into_bytes()));
        }
        if self.eof {
            return Some(Input::Eof);
        }
        self.wants_input = true;
        None
    }

    /// Input this command did not read (kept for its next poll).
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

    /// Ctrl-C was pressed while the command runs in the foreground. Returns true if the command
    /// ends at once (the default, as a client killed by SIGINT); a command that forwards the
    /// signal somewhere (an attached `docker run`) returns false and ends when that does.
    fn interrupt(&mut self, _daemon: &mut Daemon) -> bool {
        true
    }
}

/// A command that already knows its output and status.
pub(crate) struct Finished {
    stdout: String,
    stderr: String,
    status: i32,
}

impl Finished {
    pub(crate) fn both(stdout: String, stderr: String, status: i32) -> Self {
        Self { stdout, stderr, status }
    }
    pub(crate) fn out(stdout: impl Into<String>) -> Box<dyn Task> {
        Box::new(Self { stdout: stdout.into(), stderr: String::new(), status: 0 })
    }
    pub(crate) fn fail(stderr: impl Into<String>, status: i32) -> Box<dyn Task> {
        Box::new(Self { stdout: String::new(), stderr: stderr.into(), status })
    }
    pub(crate) fn usage(e: UsageError) -> Box<dyn Task> {
        Self::fail(e.text, e.status)
    }
}

impl Task for Finished {
    fn poll(&mut self, _daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        io.out(std::mem::take(&mut self.stdout));
        io.err(std::mem::take(&mut self.stderr));
        Step::Done(self.status)
    }
}

/// Prints some text before handing over to another task (`Unable to find image ... locally`).
pub(crate) struct Prefixed<T: Task> {
    pub text: String,
    pub to_stderr: bool,
    pub inner: T,
}

impl<T: Task> Task for Prefixed<T> {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, deadline: u64) -> Step {
        let text = std::mem::take(&mut self.text);
        if self.to_stderr {
            io.err(text);
        } else {
            io.out(text);
        }
        self.inner.poll(daemon, io, deadline)
    }
}

/// Parses a command's flags; on `--help` or a usage error the returned task prints it.
pub(crate) fn parse_or_task(spec: &Spec, args: &[String]) -> Result<Matches, Box<dyn Task>> {
    match spec.parse(args) {
        Ok(Parsed::Run(m)) => Ok(m),
        Ok(Parsed::Help) => Err(Finished::out(format!("\n{}\n", spec.help()))),
        Err(e) => Err(Finished::usage(e)),
    }
}

/// How a daemon error reaches the terminal: `Error response from daemon: ...`.
pub(crate) fn daemon_error(e: &crate::Error) -> String {
    format!("Error response from daemon: {e}\n")
}

/// Starts `docker-compose` (Compose's standalone program) with this argv.
pub fn docker_compose(argv: Vec<String>, daemon: &mut Daemon) -> Box<dyn Task> {
    compose::dispatch(&argv[1.min(argv.len())..], daemon, compose::Invoked::Standalone)
}

/// Starts `docker` with this argv (argv[0] is `docker`).
pub fn docker(argv: Vec<String>, daemon: &mut Daemon) -> Box<dyn Task> {
    root::dispatch(&argv[1.min(argv.len())..], daemon)
}
