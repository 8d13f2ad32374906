//! `docker compose down`: stops and removes the project's containers (dependents first), then
//! its networks, and with `-v` its volumes.

use super::attach::Stopper;
use super::progress::Progress;
use super::{load, parse, Global};
use crate::cli::{Arity, Flag, Io, Matches, Spec, Step, Task};
use crate::compose::apply::{project_containers, Outcome, Resources};
use crate::compose::graph::start_order;
use crate::compose::resources::EngineResources;
use crate::compose::Project;
use crate::daemon::Daemon;
use crate::engine::Activity;

const FLAGS: &[Flag] = &[
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::bool("remove-orphans", None, "Remove containers for services not defined in the Compose file"),
    Flag::value("timeout", Some('t'), "int", "Specify a shutdown timeout in seconds"),
    Flag::bool("volumes", Some('v'), "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous volumes attached to containers"),
];

const SPEC: Spec = Spec {
    name: "docker compose down",
    usage: "docker compose down [OPTIONS] [SERVICES]",
    description: "Stop and remove containers, networks",
    aliases: "",
    flags: FLAGS,
    arity: Arity::Any,
    interspersed: true,
};

struct Down {
    m: Matches,
    global: Global,
    project: Option<Project>,
    stopper: Option<Stopper>,
    progress: Progress,
    resources: Box<dyn Resources>,
}

impl Down {
    /// The containers to remove, dependents first.
    fn containers(&self, daemon: &Daemon, project: &Project) -> Vec<String> {
        let order = start_order(&project.services);
        let mut found = project_containers(daemon, &project.name);
        let rank = |s: &str| order.iter().position(|o| o == s).unwrap_or(order.len());
        if !self.m.flag("remove-orphans") {
            found.retain(|(_, s, _)| project.services.contains_key(s));
        }
        found.sort_by(|a, b| rank(&b.1).cmp(&rank(&a.1)).then(a.2.cmp(&b.2)));
        found.into_iter().map(|(c, _, _)| c.name.clone()).collect()
    }

    fn finish(&mut self, daemon: &mut Daemon, io: &mut Io, project: &Project) -> Step {
        let now = daemon.now_ms();
        for name in self.stopper.as_ref().map(|s| s.names.clone()).unwrap_or_default() {
            let id = format!("Container {name}");
            self.progress.working(io, &id, "Removing");
            if let Err(e) = daemon.remove_container(&name, true) {
                self.progress.failed(io, &id, "Error", now);
                self.progress.finish(io);
                io.err(crate::cli::daemon_error(&e));
                return Step::Done(1);
            }
            self.progress.done(io, &id, "Removed", now, daemon.now_ms());
        }
        for net in project.networks.values().filter(|n| !n.external) {
            let id = format!("Network {}", net.name);
            match self.resources.remove_network(daemon, net) {
                Ok(Outcome::Removed) => self.progress.done(io, &id, "Removed", now, daemon.now_ms()),
                Ok(_) => {}
                Err(e) => {
                    self.progress.failed(io, &id, "Error", now);
                    io.err(format!("{e}\n"));
                }
            }
        }
        if self.m.flag("volumes") {
            for vol in project.volumes.values().filter(|v| !v.external) {
                let id = format!("Volume {}", vol.name);
                match self.resources.remove_volume(daemon, vol) {
                    Ok(Outcome::Removed) => self.progress.done(io, &id, "Removed", now, daemon.now_ms()),
                    Ok(_) => {}
                    Err(e) => io.err(format!("{e}\n")),
                }
            }
        }
        self.progress.finish(io);
        Step::Done(0)
    }
}

impl Task for Down {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        if self.project.is_none() {
            let Some(project) = load(&self.global, daemon, io) else { return Step::Done(1) };
            self.progress = Progress::new("Running", self.global.tty(io));
            let names = self.containers(daemon, &project);
            for n in &names {
                if daemon.containers.find(n).is_some_and(|c| c.state.is_running()) {
                    self.progress.working(io, &format!("Container {n}"), "Stopping");
                }
            }
            let grace =
                self.m.value("timeout").and_then(|t| t.parse::<i64>().ok()).map(|t| t.max(0) as u64).unwrap_or(10);
            self.stopper = Some(Stopper::new(daemon, names, grace));
            self.project = Some(project);
        }
        if !self.stopper.as_mut().is_some_and(|s| s.poll(daemon)) {
            return Step::Pending(Activity::Waiting);
        }
        let project = self.project.take().unwrap_or_default();
        self.finish(daemon, io, &project)
    }
}

pub fn start(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    Box::new(Down {
        m,
        global,
        project: None,
        stopper: None,
        progress: Progress::new("Running", true),
        resources: Box::new(EngineResources),
    })
}
