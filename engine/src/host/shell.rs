//! The host's command runner: reads lines at the prompt and runs them. It knows the programs the
//! engine provides natively (`docker`, `docker-compose`) and a few shell builtins. It stands in
//! for the guest `sh` until that shell can run on the host too (see DESIGN.md, "Host").

use super::{EditEvent, LineEditor};
use crate::cli::{self, Io, Step, Task};
use crate::daemon::Daemon;
use crate::engine::{Activity, TerminalMode};

/// The prompt the learner sees. `eleve` (pupil) is the learner's login; `~` their home.
pub const PROMPT: &str = "eleve@playground:~$ ";

enum State {
    /// The prompt is shown; keystrokes edit the line.
    Prompt,
    /// A command runs; keystrokes go to it (Ctrl-C interrupts it).
    Running(Box<dyn Task>),
}

/// The host machine as seen from its terminal.
pub struct Host {
    mode: TerminalMode,
    editor: LineEditor,
    state: State,
    /// Keystrokes not yet consumed.
    input: Vec<u8>,
    /// Bytes for the terminal.
    output: Vec<u8>,
    prompt_shown: bool,
    cols: u16,
    rows: u16,
}

impl Host {
    pub fn new(mode: TerminalMode) -> Self {
        Self {
            mode,
            editor: LineEditor::new(),
            state: State::Prompt,
            input: Vec::new(),
            output: Vec::new(),
            prompt_shown: false,
            cols: 80,
            rows: 24,
        }
    }

    pub fn write_input(&mut self, bytes: &[u8]) {
        self.input.extend_from_slice(bytes);
    }

    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.output)
    }

    pub fn at_prompt(&self) -> bool {
        matches!(self.state, State::Prompt) && self.prompt_shown
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.cols = cols;
        self.rows = rows;
    }

    /// Runs until `deadline` (monotonic microseconds) or until nothing more can happen: the
    /// foreground (the prompt or the running command) and the daemon's processes take turns.
    pub fn tick(&mut self, daemon: &mut Daemon, deadline: u64) -> Activity {
        loop {
            let foreground = self.step_foreground(daemon, deadline);
            let background = daemon.run_background(deadline);
            let activity = foreground.max(background);
            if activity != Activity::Busy || daemon.now_micros() >= deadline {
                return activity;
            }
        }
    }

    /// One step of whatever has the terminal.
    fn step_foreground(&mut self, daemon: &mut Daemon, deadline: u64) -> Activity {
        let State::Running(task) = &mut self.state else {
            if !self.prompt_shown {
                self.output.extend_from_slice(PROMPT.as_bytes());
                self.prompt_shown = true;
            }
            return if self.consume_prompt_input(daemon) { Activity::Busy } else { Activity::Idle };
        };
        if self.mode == TerminalMode::Interactive {
            if let Some(pos) = self.input.iter().position(|&b| b == 0x03) {
                self.input.drain(..=pos);
                self.output.extend_from_slice(b"^C");
                if task.interrupt(daemon) {
                    self.output.extend_from_slice(b"\r\n");
                    self.state = State::Prompt;
                    self.prompt_shown = false;
                    return Activity::Busy;
                }
            }
        }
        let interactive = self.mode == TerminalMode::Interactive;
        let mut io = Io::new(std::mem::take(&mut self.input), self.cols, interactive);
        let step = task.poll(daemon, &mut io, deadline);
        let (stdout, stderr) = (std::mem::take(&mut io.stdout), std::mem::take(&mut io.stderr));
        self.input = io.unread_input();
        self.emit(&stdout);
        self.emit(&stderr);
        match step {
            Step::Done(_) => {
                self.state = State::Prompt;
                self.prompt_shown = false;
                Activity::Busy
            }
            Step::Pending(activity) => activity,
        }
    }

    /// Feeds pending keystrokes to the line editor; returns true if a command started or the
    /// prompt must be drawn again.
    fn consume_prompt_input(&mut self, daemon: &mut Daemon) -> bool {
        if self.input.is_empty() {
            return false;
        }
        match self.mode {
            TerminalMode::Interactive => {
                // Feed byte by byte so that keystrokes after Enter wait for the next prompt.
                while !self.input.is_empty() {
                    let b = self.input.remove(0);
                    let mut echo = Vec::new();
                    let events = self.editor.feed(&[b], &mut echo);
                    self.output.extend_from_slice(&echo);
                    if let Some(ev) = events.into_iter().next() {
                        return self.on_event(ev, daemon);
                    }
                }
                false
            }
            TerminalMode::Transcript | TerminalMode::Line => {
                let Some(end) = self.input.iter().position(|&b| b == b'\n') else {
                    return false;
                };
                let raw: Vec<u8> = self.input.drain(..=end).collect();
                let line = String::from_utf8_lossy(&raw).trim_end_matches(['\n', '\r']).to_string();
                if self.mode == TerminalMode::Transcript {
                    self.output.extend_from_slice(line.as_bytes());
                    self.output.push(b'\n');
                }
                self.on_event(EditEvent::Line(line), daemon)
            }
        }
    }

    fn on_event(&mut self, event: EditEvent, daemon: &mut Daemon) -> bool {
        match event {
            EditEvent::Line(line) => self.run_line(&line, daemon),
            EditEvent::Interrupt => {}
            EditEvent::EndOfFile => self.emit(b"logout\nThere is no leaving the playground: the prompt stays.\n"),
            EditEvent::Clear => self.output.extend_from_slice(b"\x1b[H\x1b[2J"),
        }
        self.prompt_shown = false;
        true
    }

    fn run_line(&mut self, line: &str, daemon: &mut Daemon) {
        let argv = match shell_words::split(line) {
            Ok(argv) => argv,
            Err(_) => {
                self.emit(b"-sh: syntax error: unterminated quoted string\n");
                return;
            }
        };
        let Some(program) = argv.first() else { return };
        match program.as_str() {
            "clear" => self.output.extend_from_slice(b"\x1b[H\x1b[2J"),
            "docker" => self.state = State::Running(cli::docker(argv, daemon)),
            _ => self.emit(format!("-sh: {program}: not found\n").as_bytes()),
        }
    }

    /// Writes program output to the terminal; a real terminal turns `\n` into `\r\n` (ONLCR).
    fn emit(&mut self, bytes: &[u8]) {
        match self.mode {
            TerminalMode::Interactive => {
                for &b in bytes {
                    if b == b'\n' {
                        self.output.push(b'\r');
                    }
                    self.output.push(b);
                }
            }
            TerminalMode::Transcript | TerminalMode::Line => self.output.extend_from_slice(bytes),
        }
    }
}
