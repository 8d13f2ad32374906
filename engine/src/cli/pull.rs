//! `docker pull`: fetches an image from the registry (the bundled catalog) and prints Docker's
//! progress lines. `docker run` reuses [`PullTask`] for its implicit pull.

use super::{daemon_error, parse_or_task, Arity, Io, Prefixed, Spec, Step, Task};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::ids::Digest;
use crate::image::{Pull, PullEvent, Reference};

const SPEC: Spec = Spec {
    name: "docker pull",
    usage: "docker pull [OPTIONS] NAME[:TAG|@DIGEST]",
    description: "Download an image from a registry",
    aliases: "docker image pull, docker pull",
    flags: &[],
    arity: Arity::Exactly(1),
    interspersed: true,
};

/// Renders pull events as Docker's progress lines.
pub fn render(event: &PullEvent) -> String {
    match event {
        PullEvent::PullingFrom { tag, path } => format!("{tag}: Pulling from {path}\n"),
        PullEvent::AlreadyExists(id) => format!("{id}: Already exists \n"),
        PullEvent::PullComplete(id) => format!("{id}: Pull complete \n"),
        PullEvent::Digest(d) => format!("Digest: {d}\n"),
        PullEvent::Status { newer: true, reference } => format!("Status: Downloaded newer image for {reference}\n"),
        PullEvent::Status { newer: false, reference } => format!("Status: Image is up to date for {reference}\n"),
    }
}

/// A pull whose progress goes to stdout (`docker pull`) or stderr (`docker run`).
pub struct PullTask {
    pull: Pull,
    to_stderr: bool,
}

impl PullTask {
    pub fn new(reference: Reference, to_stderr: bool) -> Self {
        Self { pull: Pull::new(reference), to_stderr }
    }

    /// Advances the pull. `Ok(Some(id))` once the image is stored.
    pub fn poll(&mut self, daemon: &mut Daemon, io: &mut Io) -> Result<Option<Digest>, crate::Error> {
        let mut events = Vec::new();
        let result = daemon.poll_pull(&mut self.pull, &mut events);
        for e in &events {
            if self.to_stderr {
                io.err(render(e));
            } else {
                io.out(render(e));
            }
        }
        result
    }
}

struct PullCommand {
    task: PullTask,
}

impl Task for PullCommand {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        match self.task.poll(daemon, io) {
            Ok(Some(_)) => {
                let r = self.task.pull.reference();
                io.out(format!("{}/{}:{}\n", r.domain, r.path, r.tag_or_latest()));
                Step::Done(0)
            }
            Ok(None) => Step::Pending(Activity::Waiting),
            Err(e) => {
                io.err(daemon_error(&e));
                Step::Done(1)
            }
        }
    }
}

pub fn start(args: &[String]) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let name = &m.args[0];
    match Reference::parse(name) {
        Ok(reference) => {
            let mut prefix = String::new();
            if reference.tag.is_none() && reference.digest.is_none() {
                prefix.push_str("Using default tag: latest\n");
            }
            Box::new(Prefixed {
                text: prefix,
                to_stderr: false,
                inner: PullCommand { task: PullTask::new(reference, false) },
            })
        }
        Err(e) => super::Finished::fail(format!("{e}\n"), 1),
    }
}
