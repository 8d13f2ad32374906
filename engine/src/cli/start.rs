//! `docker start`: starts created or stopped containers and prints their names as given; with
//! `-a` it attaches to the (single) container like `docker run` does.

use super::attach::Attach;
use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Io, Spec, Step, Task};
use crate::daemon::Daemon;

const FLAGS: &[Flag] = &[
    Flag::bool("attach", Some('a'), "Attach STDOUT/STDERR and forward signals"),
    Flag::bool("interactive", Some('i'), "Attach container's STDIN"),
];

const SPEC: Spec = Spec {
    name: "docker start",
    usage: "docker start [OPTIONS] CONTAINER [CONTAINER...]",
    description: "Start one or more stopped containers",
    aliases: "docker container start, docker start",
    flags: FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: true,
};

struct Attached(Attach);

impl Task for Attached {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        self.0.poll(daemon, io)
    }
    fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        self.0.interrupt(daemon)
    }
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let attach = m.flag("attach") || m.flag("interactive");
    if attach && m.args.len() > 1 {
        return Finished::fail("you cannot start and attach multiple containers at once\n", 1);
    }
    let (mut out, mut err, mut failed) = (String::new(), String::new(), Vec::new());
    for name in &m.args {
        match daemon.start_container(name) {
            Ok(()) if attach => {
                let Some(id) = daemon.containers.find(name).map(|c| c.id.clone()) else {
                    break;
                };
                return Box::new(Attached(Attach::new(daemon, id, m.flag("interactive"), false)));
            }
            Ok(()) => out.push_str(&format!("{name}\n")),
            Err(e) => {
                err.push_str(&daemon_error(&e));
                failed.push(name.as_str());
            }
        }
    }
    if !failed.is_empty() {
        err.push_str(&format!("Error: failed to start containers: {}\n", failed.join(", ")));
    }
    Box::new(Finished::both(out, err, if failed.is_empty() { 0 } else { 1 }))
}
