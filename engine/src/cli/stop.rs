//! `docker stop` and `docker restart`: the main process gets the container's stop signal (`-s`,
//! else `--stop-signal` or the image's `STOPSIGNAL`, else SIGTERM), and SIGKILL if it has not
//! exited after the grace period (`-t`, else `--stop-timeout`, else 10 seconds; -1 waits
//! forever), which is why stopping a container whose program ignores SIGTERM takes ten seconds.
//! Containers are stopped in parallel.

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
    Signal::parse(s)
}

struct StopTask {
    /// Each container, and when to kill it (ms; `None`: never, a stop timeout of -1).
    names: Vec<(String, Option<u64>)>,
    restart: bool,
    errors: String,
}

impl Task for StopTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let now = daemon.now_ms();
        let mut waiting = false;
        for (name, deadline) in &mut self.names {
            if !daemon.containers.find(name).is_some_and(|c| c.state.is_running()) {
                continue;
            }
            waiting = true;
            if deadline.is_some_and(|d| now >= d) {
                *deadline = None;
                let _ = daemon.signal_container(name, Signal::Kill);
            }
        }
        if waiting {
            return Step::Pending(Activity::Waiting);
        }
        for (name, _) in &self.names {
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
    // `-s` and `-t` win over the container's `--stop-signal` / `STOPSIGNAL` and `--stop-timeout`.
    let signal = match m.value("signal").map(|s| (s, parse_signal(s))) {
        None => None,
        Some((_, Some(sig))) => Some(sig),
        Some((s, None)) => {
            return super::Finished::fail(format!("Error response from daemon: Invalid signal: {s}\n"), 1)
        }
    };
    let time: Option<i64> = m.value("time").and_then(|t| t.parse::<i64>().ok());
    let (mut names, mut errors) = (Vec::new(), String::new());
    let now = daemon.now_ms();
    for name in &m.args {
        match daemon.containers.find(name) {
            None => errors.push_str(&daemon_error(&crate::Error::NoSuchContainer(name.clone()))),
            Some(c) => {
                let signal = signal.unwrap_or_else(|| c.host.stop_signal());
                let timeout = time.unwrap_or_else(|| c.host.stop_timeout());
                if c.state.is_up() {
                    let _ = daemon.signal_container(name, signal);
                }
                let deadline = u64::try_from(timeout).ok().map(|t| now.saturating_add(t.saturating_mul(1000)));
                names.push((name.clone(), deadline));
            }
        }
    }
    Box::new(StopTask { names, restart, errors })
}

pub fn stop(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    stop_or_restart(&STOP, args, daemon, false)
}

pub fn restart(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    stop_or_restart(&RESTART, args, daemon, true)
}
