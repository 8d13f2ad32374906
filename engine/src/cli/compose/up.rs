//! `docker compose up`: makes the engine match the project. Images first (pulled from the
//! catalog, or built from `build:` under the name `<project>-<service>`), then the project's
//! networks and volumes, then each service's containers in dependency order: created, or kept
//! when their configuration has not changed, or recreated when it has, and started. With `-d`
//! it returns; otherwise it attaches to their output (`web-1  | ...`) until they exit or Ctrl-C
//! stops them.

use super::attach::Attached;
use super::progress::Progress;
use super::{parse, warn, Global};
use crate::cli::{Arity, Flag, Io, Matches, Spec, Step, Task};
use crate::compose::apply::{container_hash, create_options, project_containers, Outcome, Resources};
use crate::compose::graph::start_order;
use crate::compose::project::container_name;
use crate::compose::resources::EngineResources;
use crate::compose::Project;
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::image::builder::{Build, BuildOptions, Context};
use crate::image::{Pull, Reference};

const FLAGS: &[Flag] = &[
    Flag::bool("build", None, "Build images before starting containers"),
    Flag::bool("detach", Some('d'), "Detached mode: Run containers in the background"),
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::bool("force-recreate", None, "Recreate containers even if their configuration and image haven't changed"),
    Flag::bool("no-build", None, "Don't build an image, even if it's policy"),
    Flag::bool("no-deps", None, "Don't start linked services"),
    Flag::bool("no-log-prefix", None, "Don't print prefix in logs"),
    Flag::bool(
        "no-recreate",
        None,
        "If containers already exist, don't recreate them. Incompatible with --force-recreate.",
    ),
    Flag::bool("no-start", None, "Don't start the services after creating them"),
    Flag::bool("quiet-pull", None, "Pull without printing progress information"),
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
    Images { next: usize },
    Pulling { service: String, pull: Box<Pull>, started: u64 },
    Building { service: String, build: Box<Build>, started: u64 },
    Containers,
    Attached(Box<Attached>),
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
        self.running = Progress::new("Running", tty);
        self.order = selected(&self.project, &self.m.args, !self.m.flag("no-deps"))?;
        Ok(())
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

    /// Networks and volumes, then the containers; `Err` with Compose's message.
    fn containers(&mut self, daemon: &mut Daemon, io: &mut Io) -> Result<(), String> {
        let networks: Vec<_> = self.project.networks.iter().map(|(k, n)| (k.clone(), n.clone())).collect();
        for (key, net) in networks {
            let t = daemon.now_ms();
            let id = format!("Network {}", net.name);
            if net.external {
                continue;
            }
            if self.resources.ensure_network(daemon, &key, &net, &self.project.name)? == Outcome::Created {
                self.running.done(io, &id, "Created", t, daemon.now_ms());
            }
        }
        let volumes: Vec<_> = self.project.volumes.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (key, vol) in volumes {
            let t = daemon.now_ms();
            if vol.external {
                continue;
            }
            if self.resources.ensure_volume(daemon, &key, &vol, &self.project.name)? == Outcome::Created {
                self.running.done(io, &format!("Volume \"{}\"", vol.name), "Created", t, daemon.now_ms());
            }
        }
        for name in self.order.clone() {
            let Some(service) = self.project.services.get(&name).cloned() else { continue };
            for number in 1..=u32::try_from(service.replicas().max(0)).unwrap_or(1) {
                self.container(daemon, io, &service, number)?;
            }
        }
        Ok(())
    }

    fn container(
        &mut self,
        daemon: &mut Daemon,
        io: &mut Io,
        service: &crate::compose::model::Service,
        number: u32,
    ) -> Result<(), String> {
        let name = container_name(&self.project.name, service, number);
        let id = format!("Container {name}");
        let t = daemon.now_ms();
        let image_id = daemon
            .images
            .resolve(&service.image_name(&self.project.name))
            .map(|i| i.id.to_string())
            .unwrap_or_default();
        let mut opts = create_options(&self.project, service, number, &image_id)?;
        let wanted = opts.labels.iter().find(|(k, _)| k == "com.docker.compose.config-hash").map(|(_, v)| v.clone());
        let ours = project_containers(daemon, &self.project.name).into_iter().find(|(c, _, _)| c.name == name);
        let mut status = "Created";
        if let Some((c, _, _)) = ours {
            let same = container_hash(c) == wanted.as_deref() && c.image_id.to_string() == image_id;
            if (same && !self.m.flag("force-recreate")) || self.m.flag("no-recreate") {
                if c.state.is_running() {
                    self.running.done(io, &id, "Running", t, daemon.now_ms());
                    return Ok(());
                }
                status = "Started";
                if !self.m.flag("no-start") {
                    self.running.working(io, &id, "Starting");
                    daemon.start_container(&name).map_err(|e| crate::cli::daemon_error(&e).trim_end().to_string())?;
                }
                self.running.done(io, &id, status, t, daemon.now_ms());
                return Ok(());
            }
            self.running.working(io, &id, "Recreate");
            daemon.remove_container(&name, true).map_err(|e| crate::cli::daemon_error(&e).trim_end().to_string())?;
            status = "Recreated";
        } else {
            self.running.working(io, &id, "Creating");
        }
        self.resources.attach(daemon, &self.project, service, &mut opts)?;
        daemon.create_container(opts).map_err(|e| crate::cli::daemon_error(&e).trim_end().to_string())?;
        if self.m.flag("no-start") {
            self.running.done(io, &id, status, t, daemon.now_ms());
            return Ok(());
        }
        self.running.done(io, &id, status, t, daemon.now_ms());
        self.running.working(io, &id, "Starting");
        daemon.start_container(&name).map_err(|e| crate::cli::daemon_error(&e).trim_end().to_string())?;
        self.running.done(io, &id, "Started", t, daemon.now_ms());
        Ok(())
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
                            self.stage = Stage::Containers;
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
                Stage::Containers => {
                    if let Err(e) = self.containers(daemon, io) {
                        return self.fail(io, &e);
                    }
                    self.running.finish(io);
                    if self.m.flag("detach") || self.m.flag("no-start") {
                        return Step::Done(0);
                    }
                    // The services named on the command line, or all of them; not their dependencies.
                    let attach = if self.m.args.is_empty() { self.order.clone() } else { self.m.args.clone() };
                    let mut attached = Attached::new(daemon, &self.project, &attach, self.m.flag("no-log-prefix"));
                    attached.set_tty(self.global.tty(io));
                    attached.announce(io);
                    self.stage = Stage::Attached(Box::new(attached));
                }
                Stage::Attached(a) => return a.poll(daemon, io, deadline),
            }
        }
    }

    fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        match &mut self.stage {
            Stage::Attached(a) => a.interrupt(daemon),
            _ => true,
        }
    }
}

pub fn start(args: &[String], global: Global, daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let _ = daemon;
    Box::new(Up {
        m,
        global,
        stage: Stage::Load,
        project: Project::default(),
        order: Vec::new(),
        pulls: Progress::new("Pulling", true),
        running: Progress::new("Running", true),
        resources: Box::new(EngineResources),
    })
}
