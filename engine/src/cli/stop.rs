//! `docker stop` and `docker restart`: the main process gets SIGTERM, and SIGKILL if it has not
//! exited after the grace period (`-t`, 10 seconds by default), which is why stopping a container
//! whose program ignores SIGTERM takes ten seconds. Containers are stopped in parallel.

use super::{daemon_error, parse_or_task, Arity, Flag, Io, Spec, Step, Task};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::process::Signal;

const FLAGS: &[Flag] = &[
    Flag::value("signal", Some('s'), "string", "Signal to send to the container"),
    Flag::value("time", Some('t'), "int", "Seconds to wait before killing the container"),
];

const STOP: Spec = Spec {
    name: "docker stop",
    usage: "docker stop [OPTIONS] CONTAINER [CONTAINER...]",
    description: "Stop one or more running containers",
    aliases: "docker container stop, docker stop",
    flags: FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: true,
};

const RESTART: Spec = Spec {
    name: "docker restart",
    usage: "docker restart [OPTIONS] CONTAINER [CONTAINER...]",
    description: "Restart one or more containers",
    aliases: "docker container restart, docker restart",
    flags: FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: true,
};

/// Parses a signal as `docker kill -s` and `docker stop -s` accept it: `SIGTERM`, `TERM`, `15`.
pub fn parse_signal(s: &str) -> Option<Signal> {
    let upper = s.to_ascii_uppercase();
    match upper.strip_prefix("SIG").unwrap_or(&upper) {
        "INT" | "2" => Some(Signal::Int),
        "TERM" | "15" => Some(Signal::Term),
        "KILL" | "9" => Some(Signal::Kill),
        _ => None,
    }
}

struct StopTask {
    names: Vec<String>,
    deadline_ms: u64,
    killed: bool,
    restart: bool,
    errors: String,
}

impl StopTask {
    fn running(&self, daemon: &Daemon, name: &str) -> bool {
        daemon.containers.find(name).is_some_and(|c| c.state.is_running())
    }
}

impl Task for StopTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let still: Vec<String> = self.names.iter().filter(|n| self.running(daemon, n)).cloned().collect();
        if !still.is_empty() {
            if daemon.now_ms() < self.deadline_ms {
                return Step::Pending(Activity::Waiting);
            }
            if !self.killed {
                self.killed = true;
                for name in &still {
                    let _ = daemon.signal_container(name, Signal::Kill);
                }
            }
            return Step::Pending(Activity::Waiting);
        }
        for name in &self.names {
            if self.restart {
                if let Err(e) = daemon.start_container(name) {
                    self.errors.push_str(&daemon_error(&e));
                    continue;
                }
            }
            io.out(format!("{name}\n"));
        }
        io.err(std::mem::take(&mut self.errors));
        Step::Done(0)
    }
}

fn stop_or_restart(spec: &Spec, args: &[String], daemon: &mut Daemon, restart: bool) -> Box<dyn Task> {
    let m = match parse_or_task(spec, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let signal = match m.value("signal").map(|s| (s, parse_signal(s))) {
        None => Signal::Term,
        Some((_, Some(sig))) => sig,
        Some((s, None)) => {
            return super::Finished::fail(format!("Error response from daemon: Invalid signal: {s}\n"), 1)
        }
    };
    let grace: u64 = m.value("time").and_then(|t| t.parse::<i64>().ok()).map(|t| t.max(0) as u64).unwrap_or(10);
    let (mut names, mut errors) = (Vec::new(), String::new());
    for name in &m.args {
        match daemon.containers.find(name) {
            None => errors.push_str(&daemon_error(&crate::Error::NoSuchContainer(name.clone()))),
            Some(c) => {
                if c.state.is_up() {
                    let _ = daemon.signal_container(name, signal);
                }
                names.push(name.clone());
            }
        }
    }
    let deadline_ms = daemon.now_ms() + grace * 1000;
    Box::new(StopTask { names, deadline_ms, killed: false, restart, errors })
}

pub fn stop(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    stop_or_restart(&STOP, args, daemon, false)
}

pub fn restart(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    stop_or_restart(&RESTART, args, daemon, true)
}
