//! `docker commit` and `docker diff`: a container's filesystem changes, listed or saved as a new
//! image.

use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::container::CommitOptions;
use crate::daemon::Daemon;

const COMMIT_FLAGS: &[Flag] = &[
    Flag::value("author", Some('a'), "string", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
    Flag::value("message", Some('m'), "string", "Commit message"),
    Flag::bool("pause", Some('p'), "Pause container during commit").with_default("true"),
];

const COMMIT: Spec = Spec {
    name: "docker commit",
    usage: "docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
    description: "Create a new image from a container's changes",
    aliases: "docker container commit, docker commit",
    flags: COMMIT_FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: true,
};

const DIFF: Spec = Spec {
    name: "docker diff",
    usage: "docker diff CONTAINER",
    description: "Inspect changes to files or directories on a container's filesystem",
    aliases: "docker container diff, docker diff",
    flags: &[],
    arity: Arity::Exactly(1),
    interspersed: true,
};

pub fn commit(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&COMMIT, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    if m.args.len() > 2 {
        return Finished::fail(
            format!("docker: 'docker commit' requires at most 2 arguments\n\nUsage:  {}\n\nSee 'docker commit --help' for more information\n", COMMIT.usage),
            1,
        );
    }
    let opts = CommitOptions {
        reference: m.args.get(1).cloned(),
        author: m.value("author").unwrap_or_default().to_string(),
        message: m.value("message").unwrap_or_default().to_string(),
    };
    match daemon.commit_container(&m.args[0], &opts) {
        Ok(id) => Finished::out(format!("{id}\n")),
        Err(crate::Error::Reference(e)) => Finished::fail(format!("{e}\n"), 1),
        Err(e) => Finished::fail(daemon_error(&e), 1),
    }
}

pub fn diff(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&DIFF, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    match daemon.container_changes(&m.args[0]) {
        Ok(changes) => {
            Finished::out(changes.iter().map(|c| format!("{} {}\n", c.kind.letter(), c.path)).collect::<String>())
        }
        Err(e) => Finished::fail(daemon_error(&e), 1),
    }
}
