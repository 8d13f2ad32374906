//! `docker rm`: removes containers (`-f` kills running ones first, `-v` takes their anonymous
//! volumes too) and prints their names.

use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::container::RemoveOptions;
use crate::daemon::Daemon;

const FLAGS: &[Flag] = &[
    Flag::bool("force", Some('f'), "Force the removal of a running container (uses SIGKILL)"),
    Flag::bool("volumes", Some('v'), "Remove anonymous volumes associated with the container"),
];

const SPEC: Spec = Spec {
    name: "docker rm",
    usage: "docker rm [OPTIONS] CONTAINER [CONTAINER...]",
    description: "Remove one or more containers",
    aliases: "docker container rm, docker container remove, docker rm",
    flags: FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: true,
};

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let (mut out, mut err) = (String::new(), String::new());
    for name in &m.args {
        let opts = RemoveOptions { force: m.flag("force"), volumes: m.flag("volumes") };
        match daemon.remove_container_with(name, opts) {
            Ok(()) => out.push_str(&format!("{name}\n")),
            Err(e) => err.push_str(&daemon_error(&e)),
        }
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Box::new(Finished::both(out, err, status))
}
