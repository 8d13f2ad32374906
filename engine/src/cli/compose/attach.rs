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

struct Followed {
    container: String,
    prefix: String,
    shown: usize,
    partial: String,
    ended: bool,
}

/// The attached output of a project's containers.
pub struct Attached {
    followed: Vec<Followed>,
    width: usize,
    no_prefix: bool,
    stopping: Option<Stopper>,
    stop_announced: bool,
    tty: bool,
    /// `logs -f` ends when the containers end but does not stop them on Ctrl-C.
    stops_on_interrupt: bool,
    /// `logs` without `-f` shows what was logged, not how containers ended.
    show_exits: bool,
}

impl Attached {
    /// Follows the containers of `services` (all the project's when empty).
    pub fn new(daemon: &Daemon, project: &Project, services: &[String], no_prefix: bool) -> Self {
        let mut followed = Vec::new();
        for (c, service, number) in project_containers(daemon, &project.name) {
            if !services.is_empty() && !services.contains(&service) {
                continue;
            }
            let fixed = project.services.get(&service).is_some_and(|s| s.container_name.is_some());
            let prefix = if fixed { c.name.clone() } else { format!("{service}-{number}") };
            followed.push(Followed {
                container: c.name.clone(),
                prefix,
                shown: 0,
                partial: String::new(),
                ended: false,
            });
        }
        let width = followed.iter().map(|f| f.prefix.chars().count()).max().unwrap_or(0);
        Self {
            followed,
            width,
            no_prefix,
            stopping: None,
            stop_announced: false,
            tty: true,
            stops_on_interrupt: true,
            show_exits: true,
        }
    }

    /// For `logs`: Ctrl-C ends the command, the containers go on; exits are shown when following.
    pub fn for_logs(mut self, follow: bool) -> Self {
        self.stops_on_interrupt = false;
        self.show_exits = follow;
        self
    }

    pub fn announce(&self, io: &mut Io) {
        let names: Vec<&str> = self.followed.iter().map(|f| f.prefix.as_str()).collect();
        io.out(format!("Attaching to {}\n", names.join(", ")));
    }

    fn line(&self, prefix: &str, text: &str) -> String {
        if self.no_prefix {
            format!("{text}\n")
        } else {
            format!("{prefix:<w$}  | {text}\n", w = self.width)
        }
    }

    /// Prints new output; `Done` once every container has ended (or the stop is over).
    pub fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let mut out = String::new();
        let mut i = 0;
        while i < self.followed.len() {
            let (entries, exit): (Vec<LogEntry>, Option<i32>) =
                match daemon.containers.find(&self.followed[i].container) {
                    Some(c) => (
                        c.logs.get(self.followed[i].shown..).unwrap_or_default().to_vec(),
                        match c.state {
                            State::Exited { code, restarting: false, .. } => Some(code),
                            _ => None,
                        },
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
            let prefix = f.prefix.clone();
            let mut ended = None;
            if let (Some(code), false) = (exit, f.ended) {
                f.ended = true;
                if !f.partial.is_empty() {
                    lines.push(std::mem::take(&mut f.partial));
                }
                ended = Some(code);
            }
            for l in lines {
                out.push_str(&self.line(&prefix, &l));
            }
            if let Some(code) = ended.filter(|_| self.show_exits) {
                out.push_str(&format!("{prefix} exited with code {code}\n"));
            }
            i += 1;
        }
        io.out(out);
        if self.stopping.is_some() && !self.stop_announced {
            self.stop_announced = true;
            io.out("Gracefully stopping... (press Ctrl+C again to force)\n");
        }
        if let Some(stopper) = &mut self.stopping {
            if stopper.poll(daemon) {
                let mut progress = Progress::new("Stopping", self.tty);
                stopper.report(daemon, &mut progress, io);
                progress.finish(io);
                return Step::Done(130);
            }
            return Step::Pending(Activity::Waiting);
        }
        if self.followed.iter().all(|f| f.ended) {
            return Step::Done(0);
        }
        Step::Pending(Activity::Idle)
    }

    /// Ctrl-C: stop the containers (a second time: kill them). Returns true if the command ends now.
    pub fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        if !self.stops_on_interrupt {
            return true;
        }
        match &mut self.stopping {
            Some(s) => s.force(daemon),
            None => {
                let names = self.followed.iter().map(|f| f.container.clone()).collect();
                self.stopping = Some(Stopper::new(daemon, names, 10));
            }
        }
        false
    }

    /// Whether the stop's progress is drawn as on a terminal.
    pub fn set_tty(&mut self, tty: bool) {
        self.tty = tty;
    }
}
