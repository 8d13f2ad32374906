//! Getting a project's images without running anything: `docker compose pull` (each service's
//! image from the registry, `[+] Pulling` with a `Pulled` line per service; services that are
//! only built are skipped) and `docker compose build` (each service with `build:`, in
//! dependency order, through `docker build` with its context, Dockerfile, build args and
//! target, tagged `<project>-<service>` unless it names its image; then `[+] Building` with a
//! `Built` line per service).

use super::progress::Progress;
use super::up::selected;
use super::{load_for, parse, Global};
use crate::cli::{Arity, Flag, Io, Matches, Spec, Step, Task};
use crate::compose::Project;
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::image::{Pull, Reference};

const PULL: Spec = Spec {
    name: "docker compose pull",
    usage: "docker compose pull [OPTIONS] [SERVICE...]",
    description: "Pull service images",
    aliases: "",
    flags: &[
        Flag::bool("dry-run", None, "Execute command in dry run mode"),
        Flag::bool("ignore-buildable", None, "Ignore images that can be built"),
        Flag::bool("ignore-pull-failures", None, "Pull what it can and ignores images with pull failures"),
        Flag::bool("include-deps", None, "Also pull services declared as dependencies"),
        Flag::bool("quiet", Some('q'), "Pull without printing progress information"),
    ],
    arity: Arity::Any,
    interspersed: true,
};

const BUILD: Spec = Spec {
    name: "docker compose build",
    usage: "docker compose build [OPTIONS] [SERVICE...]",
    description: "Build or rebuild services",
    aliases: "",
    flags: &[
        Flag::list("build-arg", None, "stringArray", "Set build-time variables for services"),
        Flag::bool("dry-run", None, "Execute command in dry run mode"),
        Flag::bool("no-cache", None, "Do not use cache when building the image"),
        Flag::bool("pull", None, "Always attempt to pull a newer version of the image"),
        Flag::bool("quiet", Some('q'), "Don't print anything to STDOUT"),
        Flag::bool("with-dependencies", None, "Also build dependencies (transitively)"),
    ],
    arity: Arity::Any,
    interspersed: true,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pull,
    Build,
}

struct Fetch {
    kind: Kind,
    m: Matches,
    global: Global,
    /// Services left to do, once loaded.
    todo: Option<Vec<String>>,
    project: Project,
    current: Option<(String, Current, u64)>,
    progress: Progress,
}

enum Current {
    Pull(Box<Pull>),
    Build(Box<dyn Task>),
}

impl Fetch {
    fn load(&mut self, daemon: &mut Daemon, io: &mut Io) -> Result<(), Step> {
        let Some(project) = load_for(&self.global, daemon, io, &self.m.args) else { return Err(Step::Done(1)) };
        let with_deps = self.m.flag("include-deps") || self.m.flag("with-dependencies");
        let order = selected(&project, &self.m.args, with_deps).map_err(|e| {
            io.err(format!("{e}\n"));
            Step::Done(1)
        })?;
        let todo = order
            .into_iter()
            .filter(|s| {
                let Some(svc) = project.services.get(s) else { return false };
                match self.kind {
                    Kind::Build => svc.build.is_some(),
                    Kind::Pull => svc.image.is_some() && !(self.m.flag("ignore-buildable") && svc.build.is_some()),
                }
            })
            .collect();
        let title = if self.kind == Kind::Pull { "Pulling" } else { "Building" };
        self.progress = Progress::new(title, self.global.tty(io));
        self.todo = Some(todo);
        self.project = project;
        Ok(())
    }

    fn next(&mut self, daemon: &mut Daemon, io: &mut Io) -> Result<bool, String> {
        let Some(name) = self.todo.as_mut().and_then(|t| (!t.is_empty()).then(|| t.remove(0))) else {
            return Ok(false);
        };
        let Some(service) = self.project.services.get(&name) else { return Ok(true) };
        let image = service.image_name(&self.project.name);
        let now = daemon.now_ms();
        let current = match (self.kind, &service.build) {
            (Kind::Build, Some(b)) => {
                let mut args = vec!["-t".to_string(), image, "-f".into()];
                args.push(format!("{}/{}", b.context.trim_end_matches('/'), b.dockerfile));
                for (k, v) in &b.args {
                    args.extend(["--build-arg".to_string(), format!("{k}={v}")]);
                }
                for a in self.m.list("build-arg") {
                    args.extend(["--build-arg".to_string(), a.clone()]);
                }
                if let Some(t) = &b.target {
                    args.extend(["--target".to_string(), t.clone()]);
                }
                if self.m.flag("no-cache") {
                    args.push("--no-cache".into());
                }
                if self.m.flag("quiet") {
                    args.push("-q".into());
                }
                args.push(b.context.clone());
                Current::Build(crate::cli::build::start(&args, daemon))
            }
            _ => {
                self.progress.working(io, &name, "Pulling");
                let reference = Reference::parse(&image).map_err(|e| e.to_string())?;
                Current::Pull(Box::new(Pull::new(reference)))
            }
        };
        self.current = Some((name, current, now));
        Ok(true)
    }
}

impl Task for Fetch {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, deadline: u64) -> Step {
        if self.todo.is_none() {
            if let Err(step) = self.load(daemon, io) {
                return step;
            }
        }
        loop {
            if let Some((name, current, started)) = &mut self.current {
                let (name, started) = (name.clone(), *started);
                let done = match current {
                    Current::Pull(pull) => match daemon.poll_pull(pull, &mut Vec::new()) {
                        Ok(None) => return Step::Pending(Activity::Waiting),
                        Ok(Some(_)) => Ok("Pulled"),
                        Err(e) => Err(crate::cli::daemon_error(&e).trim_end().to_string()),
                    },
                    Current::Build(task) => match task.poll(daemon, io, deadline) {
                        Step::Pending(a) => return Step::Pending(a),
                        Step::Done(0) => Ok("Built"),
                        Step::Done(_) => Err(String::new()),
                    },
                };
                self.current = None;
                match done {
                    Ok(status) => self.progress.done(io, &name, status, started, daemon.now_ms()),
                    Err(e) => {
                        self.progress.failed(io, &name, "Error", daemon.now_ms());
                        self.progress.finish(io);
                        if !e.is_empty() {
                            io.err(format!("{e}\n"));
                        }
                        if !self.m.flag("ignore-pull-failures") || self.kind == Kind::Build {
                            return Step::Done(1);
                        }
                    }
                }
            }
            match self.next(daemon, io) {
                Ok(true) => continue,
                Ok(false) => {
                    if !self.m.flag("quiet") {
                        self.progress.finish(io);
                    }
                    return Step::Done(0);
                }
                Err(e) => {
                    io.err(format!("{e}\n"));
                    return Step::Done(1);
                }
            }
        }
    }
}

fn fetch(kind: Kind, spec: &Spec, args: &[String], global: Global) -> Box<dyn Task> {
    match parse(spec, args) {
        Ok(m) => Box::new(Fetch {
            kind,
            m,
            global,
            todo: None,
            project: Project::default(),
            current: None,
            progress: Progress::new("Pulling", true),
        }),
        Err(task) => task,
    }
}

pub fn pull(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    fetch(Kind::Pull, &PULL, args, global)
}

pub fn build(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    fetch(Kind::Build, &BUILD, args, global)
}
