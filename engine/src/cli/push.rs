//! `docker push`: sends an image to the registry with the credentials `docker login` stored, and
//! prints Docker's progress as a terminal shows it once done: one line per layer with its final
//! state (`Pushed`, `Layer already exists`, `Mounted from library/alpine`), then the tag's
//! digest. A refusal (`denied: requested access to the resource is denied`) ends the output.

use super::{config_file, parse_or_task, Arity, Finished, Flag, Io, Spec, Step, Task};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::image::{LayerPush, PushEvent, Reference};

const SPEC: Spec = Spec {
    name: "docker push",
    usage: "docker push [OPTIONS] NAME[:TAG]",
    description: "Upload an image to a registry",
    aliases: "docker image push, docker push",
    flags: &[
        Flag::bool("all-tags", Some('a'), "Push all tags of an image to the repository"),
        Flag::bool("disable-content-trust", None, "Skip image signing").with_default("true"),
        Flag::value("platform", None, "string", "Push a platform-specific manifest as a single-platform image to the registry. Image index won't be pushed, meaning that other manifests, including attestations won't be preserved. 'os[/arch[/variant]]': Explicit platform (eg. linux/amd64)"),
        Flag::bool("quiet", Some('q'), "Suppress verbose output"),
    ],
    arity: Arity::Exactly(1),
    interspersed: true,
};

/// One event as Docker's progress display leaves it on a terminal.
pub fn render(event: &PushEvent) -> String {
    match event {
        PushEvent::RefersTo(repo) => format!("The push refers to repository [{repo}]\n"),
        PushEvent::Layer { id, status } => {
            let status = match status {
                LayerPush::Preparing => "Preparing".to_string(),
                LayerPush::AlreadyExists => "Layer already exists".to_string(),
                LayerPush::Mounted(from) => format!("Mounted from {from}"),
                LayerPush::Pushed => "Pushed".to_string(),
            };
            format!("{id}: {status} \n")
        }
        PushEvent::Pushed { tag, digest, size } => format!("{tag}: digest: {digest} size: {size}\n"),
    }
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let (all, quiet) = (m.flag("all-tags"), m.flag("quiet"));
    let mut reference = match Reference::parse(&m.args[0]) {
        Ok(r) => r,
        Err(e) => return Finished::fail(format!("{e}\n"), 1),
    };
    let mut out = String::new();
    let name_only = reference.tag.is_none() && reference.digest.is_none();
    if all && !name_only {
        return Finished::fail("tag can't be used with --all-tags/-a\n", 1);
    }
    if !all && name_only {
        reference = reference.with_default_tag();
        if !quiet {
            out.push_str("Using default tag: latest\n");
        }
    }
    let credentials = config_file::credentials(daemon, &config_file::key_for(&reference.domain));
    let mut events = Vec::new();
    let result = daemon.push_image(&reference, all, credentials.as_ref(), &mut events);
    if !quiet {
        out.extend(events.iter().map(render));
    }
    match result {
        Ok(()) => {
            if quiet {
                let tag = reference.tag.as_deref().map(|t| format!(":{t}")).unwrap_or_default();
                out.push_str(&format!("{}/{}{tag}\n", reference.domain, reference.path));
            }
            Finished::out(out)
        }
        // Errors come in the progress stream: the client prints them as they are, after it.
        Err(e) => Box::new(ThenError { out: Some(out), err: format!("{e}\n") }),
    }
}

/// The progress on stdout, then (in a later poll, so that it reaches the screen after it) the
/// error on stderr.
struct ThenError {
    out: Option<String>,
    err: String,
}

impl Task for ThenError {
    fn poll(&mut self, _daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        match self.out.take() {
            Some(out) => {
                io.out(out);
                Step::Pending(Activity::Busy)
            }
            None => {
                io.err(std::mem::take(&mut self.err));
                Step::Done(1)
            }
        }
    }
}
