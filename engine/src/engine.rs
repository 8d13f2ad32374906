//! The facade the page and the native shell drive: keystrokes in, terminal bytes out, and time
//! slices in which everything (the host shell, `docker` commands, container processes) advances.

use crate::daemon::Daemon;
use crate::host::Host;
use crate::persist::{Snapshot, SnapshotError};
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
    pub(crate) host: Host,
    /// Keystrokes received, for [`Engine::generation`].
    inputs: u64,
}

impl Engine {
    pub fn new(platform: Platform, mode: TerminalMode) -> Self {
        let daemon = Daemon::new(platform);
        let host = Host::new(mode);
        Self { daemon, host, inputs: 0 }
    }

    /// An engine brought back from a snapshot, as a Docker daemon comes back after a restart:
    /// images, containers, volumes and the host's files as they were; containers that were
    /// running are stopped (`Exited (255)`) or started again as their restart policy says, once
    /// the host is installed (see [`crate::persist`]). The snapshot is checked in full first:
    /// a damaged or too new one is an error, and nothing is half restored.
    pub fn restore(platform: Platform, mode: TerminalMode, snapshot: &Snapshot) -> Result<Self, SnapshotError> {
        let mut engine = Self::new(platform, mode);
        let pending = crate::persist::load(snapshot, &mut engine.daemon)?;
        engine.host.set_pending_restore(pending);
        Ok(engine)
    }

    /// Saves everything a reload must bring back. Refused while the host is still starting
    /// (or restoring), when there is nothing consistent to save.
    pub fn snapshot(&self) -> Result<Snapshot, SnapshotError> {
        crate::persist::save(&self.daemon, &self.host)
    }

    /// A number that changes whenever the state may have changed (a keystroke, a process that
    /// ran): the page saves only when it differs from the one it saved at.
    pub fn generation(&self) -> u64 {
        self.inputs.wrapping_add(self.daemon.kernel.turns)
    }

    /// Bytes typed in the terminal (xterm.js `onData`, or stdin natively).
    pub fn write_input(&mut self, bytes: &[u8]) {
        self.inputs += 1;
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
