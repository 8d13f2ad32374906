//! Following a project's containers: their output interleaved, each line after its
//! container's name (`web-1  | ...`), then `web-1 exited with code 0` when one ends. `up`
//! without `-d` ends when every container has exited, or on Ctrl-C, which stops them
//! (`Gracefully stopping...`); `logs -f` follows the same way. [`Stopper`] is the stopping
//! itself: SIGTERM, then SIGKILL after the grace period, as `docker stop` does.

use super::progress::Progress;
use crate::cli::{Io, Step};
use crate::compose::apply::project_containers;
use crate::compose::Project;
use crate::container::{LogEntry, State};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::process::Signal;

/// Stops containers: SIGTERM now, SIGKILL when the grace period is over.
pub struct Stopper {
    pub names: Vec<String>,
    deadline_ms: u64,
    killed: bool,
    started_ms: u64,
}

impl Stopper {
    pub fn new(daemon: &mut Daemon, names: Vec<String>, grace_s: u64) -> Self {
        for n in &names {
            if daemon.containers.find(n).is_some_and(|c| c.state.is_up()) {
                let _ = daemon.send_stop_signal(n);
            }
        }
        let now = daemon.now_ms();
        Self { names, deadline_ms: now + grace_s * 1000, killed: false, started_ms: now }
    }

    /// Kills now (a second Ctrl-C).
    pub fn force(&mut self, daemon: &mut Daemon) {
        self.deadline_ms = 0;
        self.poll(daemon);
    }

    /// True once none of the containers runs.
    pub fn poll(&mut self, daemon: &mut Daemon) -> bool {
        let still: Vec<String> = self
            .names
            .iter()
            .filter(|n| daemon.containers.find(n).is_some_and(|c| c.state.is_running()))
            .cloned()
            .collect();
        if still.is_empty() {
            return true;
        }
        if daemon.now_ms() >= self.deadline_ms && !self.killed {
            self.killed = true;
            for n in &still {
                let _ = daemon.signal_container(n, Signal::Kill);
            }
        }
        false
    }

    /// The `[+] Stopping` lines.
    pub fn report(&self, daemon: &Daemon, progress: &mut Progress, io: &mut Io) {
        for n in &self.names {
            progress.done(io, &format!("Container {n}"), "Stopped", self.started_ms, daemon.now_ms());
        }
    }
}

/// What `up` does when a container exits (`--abort-on-container-exit`,
/// `--abort-on-container-failure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cascade {
    Ignore,
    Stop,
    Fail,
}

/// Compose's rainbow for log prefixes: cyan, yellow, green, magenta, blue, then the same bold.
const RAINBOW: [&str; 10] = ["36", "33", "32", "35", "34", "36;1", "33;1", "32;1", "35;1", "34;1"];

/// `\r` and erase-line, before Compose's status lines (printed on a terminal or not).
const RESET_LINE: &str = "\r\x1b[K";

struct Followed {
    container: String,
    service: String,
    prefix: String,
    /// The ANSI colour code of its prefix, when colours are on.
    color: Option<&'static str>,
    shown: usize,
    partial: String,
    ended: bool,
}

/// Whether a container has ended: exited after `since_ms` (an exit from an earlier run, kept
/// from before `up` attached, does not count: the start phase is about to start it again).
fn exit_code(state: &State, since_ms: u64) -> Option<i32> {
    match *state {
        State::Exited { code, restarting: false, finished_ms, .. } if finished_ms >= since_ms => Some(code),
        _ => None,
    }
}

impl Followed {
    fn paint(&self, text: &str) -> String {
        match self.color {
            Some(code) => format!("\x1b[{code}m{text}\x1b[0m"),
            None => text.to_string(),
        }
    }
}

/// The attached output of a project's containers.
pub struct Attached {
    followed: Vec<Followed>,
    width: usize,
    no_prefix: bool,
    stopping: Option<Stopper>,
    stop_announced: bool,
    /// Output is no longer shown (Ctrl-C, or a cascade stop under way).
    aborting: bool,
    tty: bool,
    /// `logs -f` ends when the containers end but does not stop them on Ctrl-C.
    stops_on_interrupt: bool,
    /// `logs` without `-f` shows what was logged, not how containers ended.
    show_exits: bool,
    cascade: Cascade,
    exit_code_from: Option<String>,
    exit_code: i32,
    /// The status when the stop is over: 130 after Ctrl-C, else the exit code.
    interrupted: bool,
    /// Exits before this time are not this run's.
    since_ms: u64,
    /// Messages for stderr, held for the next turn when this one wrote to stdout: the two
    /// streams reach the terminal separately, and these must come after the lines before them.
    held: Vec<String>,
}

impl Attached {
    /// Follows the containers of `services` (all the project's when empty), in name order
    /// (which is how Compose hands out colours).
    pub fn new(daemon: &Daemon, project: &Project, services: &[String], no_prefix: bool, color: bool) -> Self {
        let mut found = project_containers(daemon, &project.name);
        found.retain(|(_, service, _)| services.is_empty() || services.contains(service));
        found.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let followed: Vec<Followed> = found
            .into_iter()
            .enumerate()
            .map(|(i, (c, service, number))| {
                let fixed = project.services.get(&service).is_some_and(|s| s.container_name.is_some());
                let prefix = if fixed { c.name.clone() } else { format!("{service}-{number}") };
                Followed {
                    container: c.name.clone(),
                    service,
                    prefix,
                    color: color.then(|| RAINBOW[i % RAINBOW.len()]),
                    // Attaching shows what comes from now on, as `docker attach` does.
                    shown: c.logs.len(),
                    partial: String::new(),
                    ended: false,
                }
            })
            .collect();
        let width = followed.iter().map(|f| f.prefix.chars().count()).max().unwrap_or(0);
        Self {
            followed,
            width,
            no_prefix,
            stopping: None,
            stop_announced: false,
            aborting: false,
            tty: true,
            stops_on_interrupt: true,
            show_exits: true,
            cascade: Cascade::Ignore,
            exit_code_from: None,
            exit_code: 0,
            interrupted: false,
            since_ms: daemon.now_ms(),
            held: Vec::new(),
        }
    }

    /// For `logs`: Ctrl-C ends the command, the containers go on; exits are shown when following.
    pub fn for_logs(mut self, follow: bool) -> Self {
        self.stops_on_interrupt = false;
        self.show_exits = follow;
        self.since_ms = 0;
        for f in &mut self.followed {
            f.shown = 0;
        }
        self
    }

    /// What an exit does, and whose exit code `up` returns.
    pub fn cascade(&mut self, cascade: Cascade, exit_code_from: Option<String>) {
        self.cascade = cascade;
        self.exit_code_from = exit_code_from;
    }

    pub fn announce(&self, io: &mut Io) {
        let names: Vec<&str> = self.followed.iter().map(|f| f.prefix.as_str()).collect();
        io.out(format!("Attaching to {}\n", names.join(", ")));
    }

    fn line(&self, f: &Followed, text: &str) -> String {
        if self.no_prefix {
            format!("{text}\n")
        } else {
            let prefix = f.paint(&format!("{:<w$} | ", f.prefix, w = self.width + 1));
            format!("{prefix}{text}\n")
        }
    }

    /// Starts stopping every followed container (Ctrl-C, or a cascade).
    fn stop_all(&mut self, daemon: &mut Daemon) {
        let names = self.followed.iter().map(|f| f.container.clone()).collect();
        self.stopping = Some(Stopper::new(daemon, names, 10));
    }

    /// Prints new output; `Done` once every container has ended (or the stop is over).
    pub fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        if !self.held.is_empty() {
            for m in self.held.drain(..) {
                io.err(m);
            }
            return Step::Pending(Activity::Busy);
        }
        let mut out = String::new();
        for i in 0..self.followed.len() {
            let (entries, exit): (Vec<LogEntry>, Option<i32>) =
                match daemon.containers.find(&self.followed[i].container) {
                    Some(c) => (
                        c.logs.get(self.followed[i].shown..).unwrap_or_default().to_vec(),
                        exit_code(&c.state, self.since_ms),
                    ),
                    None => (Vec::new(), Some(0)),
                };
            let f = &mut self.followed[i];
            f.shown += entries.len();
            let mut lines = Vec::new();
            for e in entries {
                f.partial.push_str(&String::from_utf8_lossy(&e.bytes));
                while let Some(n) = f.partial.find('\n') {
                    let line: String = f.partial.drain(..=n).collect();
                    lines.push(line.trim_end_matches(['\n', '\r']).to_string());
                }
            }
            let mut ended = None;
            if let (Some(code), false) = (exit, f.ended) {
                f.ended = true;
                if !f.partial.is_empty() {
                    lines.push(std::mem::take(&mut f.partial));
                }
                ended = Some(code);
            }
            let f = &self.followed[i];
            if !self.aborting {
                for l in lines {
                    out.push_str(&self.line(f, &l));
                }
            }
            let Some(code) = ended else { continue };
            if self.show_exits && !self.aborting {
                out.push_str(&f.paint(&format!("{RESET_LINE}{} exited with code {code}\n", f.prefix)));
            }
            let service = f.service.clone();
            if self.cascade == Cascade::Fail && code != 0 {
                self.exit_code_from = Some(service.clone());
            }
            if self.cascade == Cascade::Stop && self.exit_code_from.is_none() {
                self.exit_code_from = Some(service.clone());
            }
            if self.exit_code_from.as_deref() == Some(service.as_str()) {
                self.exit_code = code;
            }
            let abort = self.cascade == Cascade::Stop || (self.cascade == Cascade::Fail && code != 0);
            if abort && !self.aborting {
                self.aborting = true;
                self.held.push("Aborting on container exit...\n".into());
                self.stop_all(daemon);
            }
        }
        let wrote = !out.is_empty();
        io.out(out);
        if self.stopping.is_some() && self.interrupted && !self.stop_announced {
            self.stop_announced = true;
            self.held.push("Gracefully stopping... (press Ctrl+C again to force)\n".into());
        }
        if wrote && !self.held.is_empty() {
            return Step::Pending(Activity::Busy);
        }
        for m in self.held.drain(..) {
            io.err(m);
        }
        if let Some(stopper) = &mut self.stopping {
            if stopper.poll(daemon) {
                let mut progress = Progress::new("Stopping", self.tty);
                stopper.report(daemon, &mut progress, io);
                progress.finish(io);
                return Step::Done(if self.interrupted { 130 } else { self.exit_code });
            }
            return Step::Pending(Activity::Waiting);
        }
        if self.followed.iter().all(|f| f.ended) {
            return Step::Done(self.exit_code);
        }
        Step::Pending(Activity::Idle)
    }

    /// Ctrl-C: stop the containers (a second time: kill them). Returns true if the command ends now.
    pub fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        if !self.stops_on_interrupt {
            return true;
        }
        self.interrupted = true;
        self.aborting = true;
        match &mut self.stopping {
            Some(s) => s.force(daemon),
            None => self.stop_all(daemon),
        }
        false
    }

    /// Whether the stop's progress is drawn as on a terminal.
    pub fn set_tty(&mut self, tty: bool) {
        self.tty = tty;
    }
}
