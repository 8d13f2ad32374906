//! Being attached to a container (`docker run` without `-d`, `docker start -a`): its output is
//! streamed to the terminal as it arrives, Ctrl-C is forwarded as SIGINT (Docker's signal proxy),
//! and with `-i` what the learner types goes to its stdin a line at a time. The command ends with
//! the container's exit status.

use super::{Input, Io, Step};
use crate::container::{LogStream, State};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::ids::ContainerId;
use crate::process::{Signal, Tty, TtyMode};

/// An attachment to one container.
pub struct Attach {
    id: ContainerId,
    /// How many log entries were already taken.
    cursor: usize,
    /// Output taken from the log, not written yet: one stream per poll (the runner flushes a
    /// poll's stderr before its stdout), so that the container's writes keep their order across
    /// the two, as Docker's single log stream does.
    queue: std::collections::VecDeque<(LogStream, Vec<u8>)>,
    /// The container exited with this status: done once the queue is written.
    exited: Option<i32>,
    stdin: bool,
    relay: Relay,
}

/// The client's side of a terminal session with a container (`-it`): the client's terminal in
/// raw mode while attached, keystrokes forwarded as they come, Ctrl-P Ctrl-Q to detach.
#[derive(Default)]
pub struct Relay {
    /// The client's terminal and the mode to give back.
    raw: Option<(Tty, TtyMode)>,
    /// Ctrl-P was typed: a Ctrl-Q next detaches.
    escape: bool,
}

impl Relay {
    /// Switches the client's terminal to raw mode (once), and keeps the container's terminal
    /// the size of the client's: Docker's client watches `SIGWINCH` and calls the resize API,
    /// so a resized window reaches the container (which gets its own `SIGWINCH`). Called on
    /// every turn of an attached session.
    pub fn start(&mut self, io: &Io, container: &Tty) {
        if let (Some(terminal), None) = (&io.terminal, &self.raw) {
            let saved = terminal.mode();
            terminal.set_mode(TtyMode { echo: false, line_buffered: false, ..saved });
            self.raw = Some((terminal.clone(), saved));
        }
        if let Some((terminal, _)) = &self.raw {
            let size = terminal.mode();
            container.resize(size.cols, size.rows);
        }
    }

    /// Sends keystrokes to the container's terminal; true on Docker's detach keys, Ctrl-P
    /// Ctrl-Q (the container keeps running).
    pub fn forward(&mut self, tty: &Tty, bytes: &[u8]) -> bool {
        for &b in bytes {
            match (self.escape, b) {
                (true, 0x11) => return true,
                (true, other) => {
                    self.escape = false;
                    tty.input(&[0x10, other]);
                }
                (false, 0x10) => self.escape = true,
                (false, other) => tty.input(&[other]),
            }
        }
        false
    }

    /// Gives the client's terminal its mode back.
    pub fn restore(&mut self) {
        if let Some((terminal, mode)) = self.raw.take() {
            terminal.set_mode(mode);
        }
    }
}

impl Attach {
    /// Writes the queued output of the first queued entry's stream.
    fn write_one_stream(&mut self, io: &mut Io) {
        let Some(stream) = self.queue.front().map(|(s, _)| *s) else { return };
        while self.queue.front().is_some_and(|(s, _)| *s == stream) {
            let Some((_, bytes)) = self.queue.pop_front() else { break };
            let text = String::from_utf8_lossy(&bytes);
            match stream {
                LogStream::Stdout => io.out(text),
                LogStream::Stderr => io.err(text),
            }
        }
    }

    /// Attaches from the container's next output on (`from_start` shows what it already wrote).
    pub fn new(daemon: &Daemon, id: ContainerId, stdin: bool, from_start: bool) -> Self {
        let cursor = match (from_start, daemon.containers.find(id.as_str())) {
            (false, Some(c)) => c.logs.len(),
            _ => 0,
        };
        Self { id, cursor, queue: Default::default(), exited: None, stdin, relay: Relay::default() }
    }

    /// Copies new output, forwards input; `Done(status)` once the container has exited.
    pub fn poll(&mut self, daemon: &mut Daemon, io: &mut Io) -> Step {
        let found = daemon.containers.find(self.id.as_str());
        if let Some(c) = found {
            let new = c.logs.get(self.cursor..).unwrap_or_default();
            self.queue.extend(new.iter().map(|e| (e.stream, e.bytes.clone())));
            self.cursor = c.logs.len();
            if let State::Exited { code, .. } = c.state {
                self.exited = Some(code);
            }
        }
        self.write_one_stream(io);
        if !self.queue.is_empty() {
            return Step::Pending(Activity::Busy);
        }
        let Some(c) = found.filter(|_| self.exited.is_none()) else {
            self.relay.restore();
            return Step::Done(self.exited.unwrap_or(0));
        };
        // Only `-i` connects the terminal to the container; otherwise typed-ahead input stays
        // for the shell, as it would on a real host.
        let Some(run) = c.process.as_ref().filter(|_| self.stdin) else {
            return Step::Pending(Activity::Idle);
        };
        let (stdin, container_tty) = (run.stdin.clone(), run.tty.clone());
        if let Some(tty) = &container_tty {
            // Keystrokes go straight to the container's terminal, which echoes and edits.
            self.relay.start(io, tty);
        }
        match io.read() {
            Some(Input::Data(bytes)) => match &container_tty {
                Some(tty) => {
                    if self.relay.forward(tty, &bytes) {
                        self.relay.restore();
                        io.err("read escape sequence\n");
                        return Step::Done(0);
                    }
                }
                None => stdin.write_all(&bytes),
            },
            Some(Input::Eof) => match &container_tty {
                Some(tty) => tty.hangup(),
                None => stdin.close_write(),
            },
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

const ATTACH: super::Spec = super::Spec {
    name: "docker attach",
    usage: "docker attach [OPTIONS] CONTAINER",
    description: "Attach local standard input, output, and error streams to a running container",
    aliases: "docker container attach, docker attach",
    flags: &[
        super::Flag::bool("no-stdin", None, "Do not attach STDIN"),
        super::Flag::bool("sig-proxy", None, "Proxy all received signals to the process").with_default("true"),
    ],
    arity: super::Arity::Exactly(1),
    interspersed: true,
};

struct AttachTask(Attach);

impl super::Task for AttachTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        self.0.poll(daemon, io)
    }
    fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        self.0.interrupt(daemon)
    }
}

/// `docker attach`: joins a running container's streams from now on (Ctrl-P Ctrl-Q leaves it
/// running when it has a terminal).
pub fn command(args: &[String], daemon: &mut Daemon) -> Box<dyn super::Task> {
    let m = match super::parse_or_task(&ATTACH, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let Some(c) = daemon.containers.find(&m.args[0]) else {
        return super::Finished::fail(super::daemon_error(&crate::Error::NoSuchContainer(m.args[0].clone())), 1);
    };
    if !c.state.is_running() {
        return super::Finished::fail("You cannot attach to a stopped container, start it first\n", 1);
    }
    if c.state.is_paused() {
        let e =
            crate::Error::Conflict(format!("container {} is paused, unpause the container before attach", m.args[0]));
        return super::Finished::fail(super::daemon_error(&e), 1);
    }
    let stdin = c.config.open_stdin && !m.flag("no-stdin");
    let id = c.id.clone();
    Box::new(AttachTask(Attach::new(daemon, id, stdin, false)))
}
