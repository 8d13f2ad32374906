//! `docker compose up`: makes the engine match the project. Images first (pulled from the
//! catalog, or built from `build:` under the name `<project>-<service>`), then the project's
//! networks and volumes, then each service's containers in dependency order: created, or kept
//! when their configuration has not changed, or recreated when it has, and started. With `-d`
//! it returns; otherwise it attaches to their output (`web-1  | ...`) until they exit or Ctrl-C
//! stops them.

use super::attach::{Attached, Cascade};
use super::converge::{self, Recreate};
use super::progress::Progress;
use super::run::OneOff;
use super::starter::Starter;
use super::{parse, warn, Global};
use crate::cli::{Arity, Flag, Io, Matches, Spec, Step, Task};
use crate::compose::apply::Resources;
use crate::compose::graph::start_order;
use crate::compose::resources::EngineResources;
use crate::compose::Project;
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::image::builder::{Build, BuildOptions, Context};
use crate::image::{Pull, Reference};

const FLAGS: &[Flag] = &[
    Flag::bool(
        "abort-on-container-exit",
        None,
        "Stops all containers if any container was stopped. Incompatible with -d",
    ),
    Flag::bool(
        "abort-on-container-failure",
        None,
        "Stops all containers if any container exited with failure. Incompatible with -d",
    ),
    Flag::list(
        "attach",
        None,
        "stringArray",
        "Restrict attaching to the specified services. Incompatible with --attach-dependencies.",
    ),
    Flag::bool("build", None, "Build images before starting containers"),
    Flag::bool("detach", Some('d'), "Detached mode: Run containers in the background"),
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::value(
        "exit-code-from",
        None,
        "string",
        "Return the exit code of the selected service container. Implies --abort-on-container-exit",
    ),
    Flag::bool("force-recreate", None, "Recreate containers even if their configuration and image haven't changed"),
    Flag::list("no-attach", None, "stringArray", "Do not attach (stream logs) to the specified services"),
    Flag::bool("no-build", None, "Don't build an image, even if it's policy"),
    Flag::bool("no-color", None, "Produce monochrome output"),
    Flag::bool("no-deps", None, "Don't start linked services"),
    Flag::bool("no-log-prefix", None, "Don't print prefix in logs"),
    Flag::bool(
        "no-recreate",
        None,
        "If containers already exist, don't recreate them. Incompatible with --force-recreate.",
    ),
    Flag::bool("no-start", None, "Don't start the services after creating them"),
    Flag::bool("quiet-pull", None, "Pull without printing progress information"),
    Flag::list(
        "scale",
        None,
        "stringArray",
        "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present.",
    ),
    Flag::bool("wait", None, "Wait for services to be running|healthy. Implies detached mode."),
];

const SPEC: Spec = Spec {
    name: "docker compose up",
    usage: "docker compose up [OPTIONS] [SERVICE...]",
    description: "Create and start containers",
    aliases: "",
    flags: FLAGS,
    arity: Arity::Any,
    interspersed: true,
};

enum Stage {
    Load,
    Images {
        next: usize,
    },
    Pulling {
        service: String,
        pull: Box<Pull>,
        started: u64,
    },
    Building {
        service: String,
        build: Box<Build>,
        started: u64,
    },
    Create,
    /// Detached: the start phase, shown in the `Running` block.
    Start(Box<Starter>),
    /// Attached: the start phase (not shown) while the output is followed.
    Attached(Box<Attached>, Option<Box<Starter>>),
    /// `run`: the service's own `depends_on` conditions (not shown).
    RunWait(Box<Starter>),
    /// `run`: the one-off container, attached or not.
    OneOff(Box<dyn Task>),
}

struct Up {
    m: Matches,
    global: Global,
    stage: Stage,
    project: Project,
    /// Services to bring up, dependencies first.
    order: Vec<String>,
    pulls: Progress,
    running: Progress,
    resources: Box<dyn Resources>,
    /// Set when working for `run`: the one-off container to make once its dependencies run.
    run: Option<Box<OneOff>>,
}

/// The services named on the command line with what they depend on (all when none is named).
pub fn selected(project: &Project, names: &[String], with_deps: bool) -> Result<Vec<String>, String> {
    let mut keep: Vec<String> = Vec::new();
    let mut todo: Vec<String> = names.to_vec();
    while let Some(n) = todo.pop() {
        let Some(s) = project.services.get(&n) else { return Err(format!("no such service: {n}")) };
        if with_deps {
            todo.extend(s.depends_on.keys().filter(|d| project.services.contains_key(*d)).cloned());
        }
        keep.push(n);
    }
    Ok(start_order(&project.services).into_iter().filter(|s| names.is_empty() || keep.contains(s)).collect())
}

impl Up {
    fn fail(&mut self, io: &mut Io, message: &str) -> Step {
        self.pulls.finish(io);
        self.running.finish(io);
        io.err(format!("{message}\n"));
        Step::Done(1)
    }

    fn load(&mut self, daemon: &mut Daemon, io: &mut Io) -> Result<(), String> {
        let mut warnings = Vec::new();
        let result = self.global.load(daemon, &mut warnings);
        for w in &warnings {
            warn(io, daemon.now_ms(), w);
        }
        self.project = result.map_err(|e| e.to_string())?;
        let tty = self.global.tty(io);
        self.pulls = Progress::new("Pulling", tty);
        self.running = Progress::new(if self.run.is_some() { "Creating" } else { "Running" }, tty);
        self.apply_scale()?;
        let with_deps = match &self.run {
            Some(r) => r.with_deps(),
            None => !self.m.flag("no-deps"),
        };
        self.order = selected(&self.project, &self.m.args, with_deps)?;
        if let Some(from) = self.m.value("exit-code-from") {
            if !self.project.services.contains_key(from) {
                return Err(format!("no such service: {from}"));
            }
        }
        Ok(())
    }

    /// The services `up` creates and starts: all selected ones, or for `run` the dependencies.
    fn services_to_start(&self) -> Vec<String> {
        match &self.run {
            Some(r) => self.order.iter().filter(|s| **s != r.service).cloned().collect(),
            None => self.order.clone(),
        }
    }

    /// `-d`, or `--wait` which implies it (`run` starts the dependencies in the background).
    fn detached(&self) -> bool {
        self.run.is_some() || self.m.flag("detach") || self.m.flag("wait")
    }

    /// Starts the next pull or build a service needs; `None` when all images are there.
    fn next_image(&mut self, daemon: &mut Daemon, from: usize) -> Result<Option<Stage>, String> {
        for name in self.order.iter().skip(from) {
            let Some(service) = self.project.services.get(name) else { continue };
            let image = service.image_name(&self.project.name);
            let present = daemon.images.resolve(&image).is_some();
            let now = daemon.now_ms();
            if let Some(b) = &service.build {
                if !self.m.flag("no-build") && (self.m.flag("build") || !present) {
                    let dockerfile = format!("{}/{}", b.context.trim_end_matches('/'), b.dockerfile);
                    let text = daemon.host_fs.read_file(&dockerfile).map_err(|_| {
                        format!(
                            "failed to solve: failed to read dockerfile: open {}: no such file or directory",
                            b.dockerfile
                        )
                    })?;
                    let opts = BuildOptions {
                        tags: vec![image],
                        build_args: b.args.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                        target: b.target.clone(),
                        no_cache: false,
                    };
                    let context = Context::new(daemon.host_fs.clone(), b.context.clone());
                    let build = Build::new(&String::from_utf8_lossy(&text), context, opts)
                        .map_err(|e| format!("failed to solve: {e}"))?;
                    return Ok(Some(Stage::Building { service: name.clone(), build: Box::new(build), started: now }));
                }
            }
            if !present && service.build.is_none() {
                let reference = Reference::parse(&image).map_err(|e| e.to_string())?;
                return Ok(Some(Stage::Pulling {
                    service: name.clone(),
                    pull: Box::new(Pull::new(reference)),
                    started: now,
                }));
            }
        }
        Ok(None)
    }

    /// Networks and volumes, then each service's containers (nothing started yet).
    fn create(&mut self, daemon: &mut Daemon, io: &mut Io) -> Result<(), String> {
        converge::resources(daemon, io, &self.project, self.resources.as_mut(), &mut self.running)?;
        let recreate = if self.m.flag("force-recreate") {
            Recreate::Force
        } else if self.m.flag("no-recreate") {
            Recreate::Never
        } else {
            Recreate::Diverged
        };
        for name in self.services_to_start() {
            let Some(service) = self.project.services.get(&name) else { continue };
            converge::service(
                daemon,
                io,
                &self.project,
                service,
                recreate,
                self.resources.as_mut(),
                &mut self.running,
            )?;
        }
        Ok(())
    }

    /// `--scale SERVICE=NUM`, Compose's way.
    fn apply_scale(&mut self) -> Result<(), String> {
        for scale in self.m.list("scale") {
            let Some((name, n)) = scale.split_once('=').filter(|(_, n)| !n.contains('=')) else {
                return Err(format!("invalid --scale option {scale:?}. Should be SERVICE=NUM"));
            };
            let n: i64 = n.parse().map_err(|_| format!("strconv.Atoi: parsing {n:?}: invalid syntax"))?;
            let Some(s) = self.project.services.get_mut(name) else { return Err(format!("no such service: {name}")) };
            s.set_scale(n);
        }
        Ok(())
    }

    /// The attached phase: the block of what was created, `Attaching to`, then the start.
    fn attach(&mut self, daemon: &mut Daemon, io: &mut Io) -> Stage {
        // The services named on the command line, or all of them; not their dependencies.
        let mut attach = if self.m.args.is_empty() { self.order.clone() } else { self.m.args.clone() };
        let only = self.m.list("attach");
        if !only.is_empty() {
            attach.retain(|s| only.contains(s));
        }
        attach.retain(|s| !self.m.list("no-attach").contains(s));
        let color = !self.m.flag("no-color") && self.global.ansi(io);
        let mut attached = Attached::new(daemon, &self.project, &attach, self.m.flag("no-log-prefix"), color);
        attached.set_tty(self.global.tty(io));
        let from = self.m.value("exit-code-from").map(String::from);
        let cascade = if self.m.flag("abort-on-container-failure") {
            Cascade::Fail
        } else if from.is_some() || self.m.flag("abort-on-container-exit") {
            Cascade::Stop
        } else {
            Cascade::Ignore
        };
        attached.cascade(cascade, from);
        attached.announce(io);
        Stage::Attached(Box::new(attached), Some(Box::new(Starter::new(&self.project, &self.order))))
    }
}

impl Task for Up {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, deadline: u64) -> Step {
        loop {
            match &mut self.stage {
                Stage::Load => {
                    if let Err(e) = self.load(daemon, io) {
                        return self.fail(io, &e);
                    }
                    self.stage = Stage::Images { next: 0 };
                }
                Stage::Images { next } => {
                    let from = *next;
                    match self.next_image(daemon, from) {
                        Ok(Some(stage)) => self.stage = stage,
                        Ok(None) => {
                            self.pulls.finish(io);
                            self.stage = Stage::Create;
                        }
                        Err(e) => return self.fail(io, &e),
                    }
                }
                Stage::Pulling { service, pull, started } => {
                    let mut events = Vec::new();
                    match daemon.poll_pull(pull, &mut events) {
                        Ok(None) => return Step::Pending(Activity::Waiting),
                        Ok(Some(_)) => {
                            let (service, started) = (service.clone(), *started);
                            self.pulls.done(io, &service, "Pulled", started, daemon.now_ms());
                            self.stage = Stage::Images { next: 0 };
                        }
                        Err(e) => {
                            let service = service.clone();
                            self.pulls.failed(io, &service, "Error", daemon.now_ms());
                            return self.fail(io, crate::cli::daemon_error(&e).trim_end());
                        }
                    }
                }
                Stage::Building { service, build, started } => {
                    let mut events = Vec::new();
                    match build.poll(daemon, &mut events) {
                        Ok(None) => return Step::Pending(Activity::Waiting),
                        Ok(Some(_)) => {
                            let (id, started) = (format!("Service {service}"), *started);
                            self.running.done(io, &id, "Built", started, daemon.now_ms());
                            // Built once: the image now exists and is not rebuilt in this run.
                            if let Some(s) = self.project.services.get_mut(service.as_str()) {
                                s.build = None;
                            }
                            self.stage = Stage::Images { next: 0 };
                        }
                        Err(e) => return self.fail(io, &format!("failed to solve: {e}")),
                    }
                }
                Stage::Create => {
                    if let Err(e) = self.create(daemon, io) {
                        return self.fail(io, &e);
                    }
                    if self.m.flag("no-start") {
                        self.running.finish(io);
                        return Step::Done(0);
                    }
                    if self.run.is_some() {
                        self.running.finish(io);
                        self.running = Progress::new("Running", self.global.tty(io));
                    }
                    if self.detached() {
                        let mut starter = Starter::new(&self.project, &self.services_to_start());
                        if self.m.flag("wait") {
                            starter = starter.wait_all(&self.project, &self.order);
                        }
                        self.stage = Stage::Start(Box::new(starter));
                    } else {
                        self.running.finish(io);
                        self.stage = self.attach(daemon, io);
                    }
                    // Stopped or killed containers are seen as such after a turn of the engine.
                    return Step::Pending(Activity::Busy);
                }
                Stage::Start(starter) => match starter.poll(daemon, io, &mut self.running) {
                    Ok(true) => {
                        self.running.finish(io);
                        let Some(run) = &self.run else { return Step::Done(0) };
                        self.stage =
                            Stage::RunWait(Box::new(Starter::waits_of(&self.project, &run.service, &self.order)));
                    }
                    Ok(false) => return Step::Pending(Activity::Waiting),
                    Err(e) => return self.fail(io, &e),
                },
                Stage::Attached(a, starter) => {
                    if let Some(s) = starter {
                        match s.poll(daemon, io, &mut Progress::hidden()) {
                            Ok(true) => *starter = None,
                            Ok(false) => {}
                            Err(e) => {
                                io.err(format!("{e}\n"));
                                return Step::Done(1);
                            }
                        }
                    }
                    return a.poll(daemon, io, deadline);
                }
                Stage::RunWait(starter) => match starter.poll(daemon, io, &mut Progress::hidden()) {
                    Ok(true) => {
                        let Some(run) = &self.run else { return Step::Done(0) };
                        match run.create(daemon, io, &self.project, self.resources.as_mut()) {
                            Ok(task) => self.stage = Stage::OneOff(task),
                            Err(e) => return self.fail(io, &e),
                        }
                    }
                    Ok(false) => return Step::Pending(Activity::Waiting),
                    Err(e) => return self.fail(io, &e),
                },
                Stage::OneOff(task) => return task.poll(daemon, io, deadline),
            }
        }
    }

    fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        match &mut self.stage {
            Stage::Attached(a, _) => a.interrupt(daemon),
            Stage::OneOff(task) => task.interrupt(daemon),
            _ => true,
        }
    }
}

/// Compose's checks of incompatible flags, in its order.
fn validate(m: &Matches) -> Result<(), &'static str> {
    let fail = m.flag("abort-on-container-failure");
    let stop = m.flag("abort-on-container-exit") || (m.value("exit-code-from").is_some() && !fail);
    let attach = !m.list("attach").is_empty();
    if stop && fail {
        return Err("--abort-on-container-failure cannot be combined with --abort-on-container-exit");
    }
    if m.flag("wait") && (stop || attach) {
        return Err("--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies");
    }
    if m.flag("build") && m.flag("no-build") {
        return Err("--build and --no-build are incompatible");
    }
    if (m.flag("detach") || m.flag("wait")) && (stop || fail || attach) {
        if m.flag("wait") {
            return Err("--wait cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch");
        }
        return Err("--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch");
    }
    if m.flag("force-recreate") && m.flag("no-recreate") {
        return Err("--force-recreate and --no-recreate are incompatible");
    }
    Ok(())
}

pub fn start(args: &[String], global: Global, daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let _ = daemon;
    if let Err(e) = validate(&m) {
        return crate::cli::Finished::fail(format!("{e}\n"), 1);
    }
    Box::new(Up::new(m, global, "Running", None))
}

/// `up` working for `docker compose run`: dependencies created and started, then the one-off.
pub fn for_run(global: Global, run: OneOff, _daemon: &mut Daemon) -> Box<dyn Task> {
    let mut m = Matches::default();
    m.args = vec![run.service.clone()];
    Box::new(Up::new(m, global, "Creating", Some(Box::new(run))))
}

impl Up {
    /// A fresh `up` for the parsed command line; `phase` titles the block of containers started.
    fn new(m: Matches, global: Global, phase: &'static str, run: Option<Box<OneOff>>) -> Up {
        Up {
            m,
            global,
            stage: Stage::Load,
            project: Project::default(),
            order: Vec::new(),
            pulls: Progress::new("Pulling", true),
            running: Progress::new(phase, true),
            resources: Box::new(EngineResources),
            run,
        }
    }
}
