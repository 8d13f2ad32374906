//! `docker rmi` (`docker image rm`): removes names and images, printing `Untagged:` and
//! `Deleted:` lines as Docker does.

use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use crate::image::RemoveEvent;

const FLAGS: &[Flag] = &[
    Flag::bool("force", Some('f'), "Force removal of the image"),
    Flag::bool("no-prune", None, "Do not delete untagged parents"),
];

const SPEC: Spec = Spec {
    name: "docker rmi",
    usage: "docker rmi [OPTIONS] IMAGE [IMAGE...]",
    description: "Remove one or more images",
    aliases: "docker image rm, docker image remove, docker rmi",
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
        match daemon.remove_image(name, m.flag("force")) {
            Ok(events) => {
                for e in events {
                    match e {
                        RemoveEvent::Untagged(t) => out.push_str(&format!("Untagged: {t}\n")),
                        RemoveEvent::Deleted(d) => out.push_str(&format!("Deleted: {d}\n")),
                    }
                }
            }
            Err(e) => err.push_str(&daemon_error(&e)),
        }
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Box::new(Finished::both(out, err, status))
}
