//! `docker tag`: gives an image another name (`docker tag hello-world moi/bonjour:v1`).

use super::{daemon_error, parse_or_task, Arity, Finished, Spec, Task};
use crate::daemon::Daemon;

const SPEC: Spec = Spec {
    name: "docker tag",
    usage: "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    description: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    aliases: "docker image tag, docker tag",
    flags: &[],
    arity: Arity::Exactly(2),
    interspersed: true,
};

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    match daemon.tag_image(&m.args[0], &m.args[1]) {
        Ok(()) => Finished::out(""),
        Err(crate::Error::Reference(e)) => Finished::fail(format!("{e}\n"), 1),
        Err(e) => Finished::fail(daemon_error(&e), 1),
    }
}
