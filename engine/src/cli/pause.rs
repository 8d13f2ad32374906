//! `docker pause` and `docker unpause`: freeze or thaw every process of one or more containers
//! (see [`crate::container`]'s pause). Each container that succeeds is printed; the errors come
//! after, one per line, and the status is 1 if any failed, as Docker's client does.

use super::{daemon_error, parse_or_task, Arity, Finished, Spec, Task};
use crate::daemon::Daemon;

const PAUSE: Spec = Spec {
    name: "docker pause",
    usage: "docker pause CONTAINER [CONTAINER...]",
    description: "Pause all processes within one or more containers",
    aliases: "docker container pause, docker pause",
    flags: &[],
    arity: Arity::AtLeast(1),
    interspersed: true,
};

const UNPAUSE: Spec = Spec {
    name: "docker unpause",
    usage: "docker unpause CONTAINER [CONTAINER...]",
    description: "Unpause all processes within one or more containers",
    aliases: "docker container unpause, docker unpause",
    flags: &[],
    arity: Arity::AtLeast(1),
    interspersed: true,
};

type Verb = fn(&mut Daemon, &str) -> Result<(), crate::Error>;

fn each(spec: &Spec, args: &[String], daemon: &mut Daemon, verb: Verb) -> Box<dyn Task> {
    let m = match parse_or_task(spec, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let (mut out, mut err) = (String::new(), String::new());
    for name in &m.args {
        match verb(daemon, name) {
            Ok(()) => out.push_str(&format!("{name}\n")),
            Err(e) => err.push_str(&daemon_error(&e)),
        }
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Box::new(Finished::both(out, err, status))
}

pub fn pause(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    each(&PAUSE, args, daemon, Daemon::pause_container)
}

pub fn unpause(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    each(&UNPAUSE, args, daemon, Daemon::unpause_container)
}
