//! `docker wait`: blocks until containers stop, then prints their exit codes.

use super::{daemon_error, parse_or_task, Arity, Io, Spec, Step, Task};
use crate::container::State;
use crate::daemon::Daemon;
use crate::engine::Activity;

const SPEC: Spec = Spec {
    name: "docker wait",
    usage: "docker wait CONTAINER [CONTAINER...]",
    description: "Block until one or more containers stop, then print their exit codes",
    aliases: "docker container wait, docker wait",
    flags: &[],
    arity: Arity::AtLeast(1),
    interspersed: true,
};

struct WaitTask {
    names: Vec<String>,
    next: usize,
    failed: bool,
}

impl Task for WaitTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        while let Some(name) = self.names.get(self.next) {
            match daemon.containers.find(name).map(|c| c.state) {
                None => {
                    io.err(daemon_error(&crate::Error::NoSuchContainer(name.clone())));
                    self.failed = true;
                }
                Some(State::Exited { code, .. }) => io.out(format!("{code}\n")),
                Some(State::Created) | Some(State::Running { .. }) => return Step::Pending(Activity::Idle),
            }
            self.next += 1;
        }
        Step::Done(i32::from(self.failed))
    }
}

pub fn start(args: &[String]) -> Box<dyn Task> {
    match parse_or_task(&SPEC, args) {
        Ok(m) => Box::new(WaitTask { names: m.args, next: 0, failed: false }),
        Err(task) => task,
    }
}
