//! `docker kill`: sends a signal (SIGKILL unless `-s`) to running containers.

use super::stop::parse_signal;
use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use crate::process::Signal;

const FLAGS: &[Flag] = &[Flag::value("signal", Some('s'), "string", "Signal to send to the container")];

const SPEC: Spec = Spec {
    name: "docker kill",
    usage: "docker kill [OPTIONS] CONTAINER [CONTAINER...]",
    description: "Kill one or more running containers",
    aliases: "docker container kill, docker kill",
    flags: FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: true,
};

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let signal = match m.value("signal") {
        None => Signal::Kill,
        Some(s) => match parse_signal(s) {
            Some(sig) => sig,
            None => return Finished::fail(format!("Error response from daemon: Invalid signal: {s}\n"), 1),
        },
    };
    let (mut out, mut err) = (String::new(), String::new());
    for name in &m.args {
        match daemon.signal_container(name, signal) {
            Ok(()) => out.push_str(&format!("{name}\n")),
            Err(e) => err.push_str(&daemon_error(&e)),
        }
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Box::new(Finished::both(out, err, status))
}
