//! `docker rename`: gives a container a new name.

use super::{daemon_error, parse_or_task, Arity, Finished, Spec, Task};
use crate::daemon::Daemon;

const SPEC: Spec = Spec {
    name: "docker rename",
    usage: "docker rename CONTAINER NEW_NAME",
    description: "Rename a container",
    aliases: "docker container rename, docker rename",
    flags: &[],
    arity: Arity::Exactly(2),
    interspersed: true,
};

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    match daemon.rename_container(&m.args[0], &m.args[1]) {
        Ok(()) => Finished::out(""),
        Err(e) => Finished::fail(daemon_error(&e), 1),
    }
}
