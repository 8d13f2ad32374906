//! Compose's progress display. On a terminal, a block per phase once it is over:
//! `[+] Running 3/3` and one line per resource (` ✔ Network app_default  Created   0.1s`), the
//! names padded to a column and the time right-aligned to the terminal's width. Elsewhere
//! (`--progress plain`, a pipe), one line per step as it happens (` Container app-web-1  Starting`).

use crate::cli::Io;

/// One resource's line.
#[derive(Debug, Clone)]
pub struct Event {
    /// `Network app_default`, `Container app-web-1`, `Service api`.
    pub id: String,
    /// The final word: `Created`, `Started`, `Removed`...
    pub status: String,
    pub started_ms: u64,
    pub ended_ms: u64,
    pub mark: Mark,
}

/// The sign before a finished line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    Warning,
    Failed,
}

/// A phase's events (`Running`, `Pulling`, `Stopping`...).
pub struct Progress {
    title: &'static str,
    tty: bool,
    /// Events kept but never shown (`up`'s start phase once attached: Compose has no display then).
    hidden: bool,
    events: Vec<Event>,
}

impl Progress {
    pub fn new(title: &'static str, tty: bool) -> Self {
        Self { title, tty, hidden: false, events: Vec::new() }
    }

    /// A phase whose events are not shown.
    pub fn hidden() -> Self {
        Self { title: "", tty: false, hidden: true, events: Vec::new() }
    }

    fn plain(&self, io: &mut Io, id: &str, status: &str) {
        if !self.tty && !self.hidden {
            io.err(format!(" {id}  {status}\n"));
        }
    }

    /// A step in progress (`Creating`): shown at once in plain mode.
    pub fn working(&mut self, io: &mut Io, id: &str, status: &str) {
        self.plain(io, id, status);
    }

    /// A finished step; in plain mode shown at once.
    pub fn done(&mut self, io: &mut Io, id: &str, status: &str, started_ms: u64, ended_ms: u64) {
        self.plain(io, id, status);
        self.record(id, status, started_ms, ended_ms, Mark::Done);
    }

    /// A failed step (` ✘ Container app-web-1  Error`).
    pub fn failed(&mut self, io: &mut Io, id: &str, status: &str, at_ms: u64) {
        self.plain(io, id, status);
        self.record(id, status, at_ms, at_ms, Mark::Failed);
    }

    /// A step that ended with a warning (` ! Container app-db-1  Skipped: ...`).
    pub fn warned(&mut self, io: &mut Io, id: &str, status: &str, at_ms: u64) {
        self.plain(io, id, status);
        self.record(id, status, at_ms, at_ms, Mark::Warning);
    }

    /// An event keeps its line (and its start time) when its status changes, as Compose's do.
    fn record(&mut self, id: &str, status: &str, started_ms: u64, ended_ms: u64, mark: Mark) {
        match self.events.iter_mut().find(|e| e.id == id) {
            Some(e) => {
                e.status = status.to_string();
                e.ended_ms = ended_ms;
                e.mark = mark;
            }
            None => {
                self.events.push(Event { id: id.to_string(), status: status.to_string(), started_ms, ended_ms, mark })
            }
        }
    }

    /// On a terminal, the phase's block; nothing in plain mode (its lines are out already).
    pub fn finish(&mut self, io: &mut Io) {
        if !self.tty || self.hidden || self.events.is_empty() {
            return;
        }
        // Compose counts every event no longer in progress, failed ones included.
        let done = self.events.len();
        io.err(format!("[+] {} {done}/{}\n", self.title, self.events.len()));
        let width = self.events.iter().map(|e| e.id.chars().count()).max().unwrap_or(0);
        let cols = usize::from(io.cols.max(40));
        for e in &self.events {
            let mark = match e.mark {
                Mark::Done => '✔',
                Mark::Warning => '!',
                Mark::Failed => '✘',
            };
            let text = format!(" {mark} {:<width$}  {}", e.id, e.status);
            let timer = format!("{:.1}s ", e.ended_ms.saturating_sub(e.started_ms) as f64 / 1000.0);
            let pad = cols.saturating_sub(text.chars().count() + timer.len()).max(1);
            io.err(format!("{text}{}{timer}\n", " ".repeat(pad)));
        }
        self.events.clear();
    }
}
