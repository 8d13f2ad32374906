//! `docker compose logs`: the output of the project's containers, each line after its
//! container's name (`web-1  | ...`); `-f` follows until they stop or Ctrl-C.

use super::attach::Attached;
use super::{load_for, parse, Global};
use crate::cli::{Arity, Flag, Io, Matches, Spec, Step, Task};
use crate::daemon::Daemon;

const FLAGS: &[Flag] = &[
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::bool("follow", Some('f'), "Follow log output"),
    Flag::bool("no-color", None, "Produce monochrome output"),
    Flag::bool("no-log-prefix", None, "Don't print prefix in logs"),
];

const SPEC: Spec = Spec {
    name: "docker compose logs",
    usage: "docker compose logs [OPTIONS] [SERVICE...]",
    description: "View output from containers",
    aliases: "",
    flags: FLAGS,
    arity: Arity::Any,
    interspersed: true,
};

struct Logs {
    m: Matches,
    global: Global,
    attached: Option<Attached>,
}

impl Task for Logs {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, deadline: u64) -> Step {
        if self.attached.is_none() {
            let Some(project) = load_for(&self.global, daemon, io, &self.m.args) else { return Step::Done(1) };
            self.attached = Some(
                Attached::new(
                    daemon,
                    &project,
                    &self.m.args,
                    self.m.flag("no-log-prefix"),
                    !self.m.flag("no-color") && self.global.ansi(io),
                )
                .for_logs(self.m.flag("follow")),
            );
        }
        let Some(attached) = &mut self.attached else { return Step::Done(0) };
        let step = attached.poll(daemon, io, deadline);
        if self.m.flag("follow") {
            return step;
        }
        // Without -f: what is there now, without the exit lines' wait.
        Step::Done(0)
    }

    fn interrupt(&mut self, _daemon: &mut Daemon) -> bool {
        true
    }
}

pub fn start(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    match parse(&SPEC, args) {
        Ok(m) => Box::new(Logs { m, global, attached: None }),
        Err(task) => task,
    }
}
