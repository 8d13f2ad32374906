//! The facade the page and the native shell drive: keystrokes in, terminal bytes out, and time
//! slices in which everything (the host shell, `docker` commands, container processes) advances.

use crate::daemon::Daemon;
use crate::host::Host;
use crate::platform::Platform;

/// How the terminal on the other side behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalMode {
    /// A real terminal (xterm.js in the page): keystrokes arrive one by one and the engine echoes
    /// them, edits the line, and handles arrows, history and Ctrl-C.
    Interactive,
    /// Lines arrive already complete (a pipe into `cargo xtask shell`, a test). The engine prints
    /// each line after the prompt as a terminal would have echoed it, so the output reads the
    /// same as the browser's screen.
    Transcript,
    /// A native terminal in cooked mode (`cargo xtask shell` on a tty): lines arrive complete
    /// and the terminal has already echoed them.
    Line,
}

/// What the engine needs next, so the page can schedule its next tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Activity {
    // Ordered from least to most urgent: combining two activities keeps the more urgent one.
    /// Nothing happens until the learner types.
    Idle,
    /// Waiting on time (a sleeping process) or on a fetch: tick again soon.
    Waiting,
    /// Work is ready to run: tick again as soon as the page has painted.
    Busy,
}

/// The whole playground: a Docker daemon and the host machine the learner sits at.
pub struct Engine {
    daemon: Daemon,
    host: Host,
}

impl Engine {
    pub fn new(platform: Platform, mode: TerminalMode) -> Self {
        let daemon = Daemon::new(platform);
        let host = Host::new(mode);
        Self { daemon, host }
    }

    /// Bytes typed in the terminal (xterm.js `onData`, or stdin natively).
    pub fn write_input(&mut self, bytes: &[u8]) {
        self.host.write_input(bytes);
    }

    /// Bytes to show in the terminal since the last call.
    pub fn take_output(&mut self) -> Vec<u8> {
        self.host.take_output()
    }

    /// Runs for about `budget_micros` of wall time (the page passes a few milliseconds), then
    /// returns so the page can paint.
    pub fn tick(&mut self, budget_micros: u64) -> Activity {
        let deadline = self.daemon.now_micros().saturating_add(budget_micros);
        self.host.tick(&mut self.daemon, deadline)
    }

    /// True when the host shell shows its prompt and waits for a command.
    pub fn at_prompt(&self) -> bool {
        self.host.at_prompt(&self.daemon)
    }

    /// True when something waits for the learner to type (the prompt, a question, a program
    /// reading the terminal): a test or a script feeding lines types the next one then.
    pub fn awaiting_input(&mut self) -> bool {
        self.host.awaiting_input(&mut self.daemon)
    }

    /// The terminal was resized (columns, rows).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.host.resize(cols, rows);
    }

    /// The daemon, for tests and tools that call the engine API directly.
    pub fn daemon(&mut self) -> &mut Daemon {
        &mut self.daemon
    }
}
