//! Being attached to a container (`docker run` without `-d`, `docker start -a`): its output is
//! streamed to the terminal as it arrives, Ctrl-C is forwarded as SIGINT (Docker's signal proxy),
//! and with `-i` what the learner types goes to its stdin a line at a time. The command ends with
//! the container's exit status.

use super::{Input, Io, Step};
use crate::container::{LogStream, State};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::ids::ContainerId;
use crate::process::Signal;

/// An attachment to one container.
pub struct Attach {
    id: ContainerId,
    /// How many log entries were already shown.
    cursor: usize,
    stdin: bool,
}

impl Attach {
    /// Attaches from the container's next output on (`from_start` shows what it already wrote).
    pub fn new(daemon: &Daemon, id: ContainerId, stdin: bool, from_start: bool) -> Self {
        let cursor = match (from_start, daemon.containers.find(id.as_str())) {
            (false, Some(c)) => c.logs.len(),
            _ => 0,
        };
        Self { id, cursor, stdin }
    }

    /// Copies new output, forwards input; `Done(status)` once the container has exited.
    pub fn poll(&mut self, daemon: &mut Daemon, io: &mut Io) -> Step {
        let Some(c) = daemon.containers.find(self.id.as_str()) else {
            return Step::Done(0);
        };
        for entry in c.logs.get(self.cursor..).unwrap_or_default() {
            let text = String::from_utf8_lossy(&entry.bytes);
            match entry.stream {
                LogStream::Stdout => io.out(text),
                LogStream::Stderr => io.err(text),
            }
        }
        self.cursor = c.logs.len();
        if let State::Exited { code, .. } = c.state {
            return Step::Done(code);
        }
        // Only `-i` connects the terminal to the container; otherwise typed-ahead input stays
        // for the shell, as it would on a real host.
        let Some(run) = c.process.as_ref().filter(|_| self.stdin) else {
            return Step::Pending(Activity::Idle);
        };
        let stdin = run.stdin.clone();
        match io.read() {
            Some(Input::Data(bytes)) => stdin.write_all(&bytes),
            Some(Input::Eof) => stdin.close_write(),
            None => {}
        }
        Step::Pending(Activity::Idle)
    }

    /// Ctrl-C: forwarded to the container; the attachment ends when the container does.
    pub fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        match daemon.containers.find(self.id.as_str()).and_then(|c| c.process.as_ref()) {
            Some(run) => {
                let pid = run.pid;
                daemon.kernel.kill(pid, Signal::Int);
                false
            }
            None => true,
        }
    }
}
