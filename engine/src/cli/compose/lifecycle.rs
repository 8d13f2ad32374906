//! `docker compose stop`, `start` and `restart`: the project's existing containers stopped
//! (dependents first) or started (dependencies first), without creating or removing anything;
//! and `docker compose exec SERVICE COMMAND`, which runs a command in a service's container as
//! `docker exec` does (with a terminal when Compose's own input is one, unless `-T`).

use super::attach::Stopper;
use super::progress::Progress;
use super::starter::Starter;
use super::{load_for, parse, Global};
use crate::cli::{Arity, Flag, Io, Matches, Spec, Step, Task};
use crate::compose::apply::project_containers;
use crate::compose::graph::start_order;
use crate::compose::Project;
use crate::daemon::Daemon;
use crate::engine::Activity;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Stop,
    Start,
    Restart,
}

const STOP_FLAGS: &[Flag] = &[
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::value("timeout", Some('t'), "int", "Specify a shutdown timeout in seconds"),
];
const START_FLAGS: &[Flag] = &[Flag::bool("dry-run", None, "Execute command in dry run mode")];

const STOP: Spec = Spec {
    name: "docker compose stop",
    usage: "docker compose stop [OPTIONS] [SERVICE...]",
    description: "Stop services",
    aliases: "",
    flags: STOP_FLAGS,
    arity: Arity::Any,
    interspersed: true,
};
const START: Spec = Spec {
    name: "docker compose start",
    usage: "docker compose start [SERVICE...]",
    description: "Start services",
    aliases: "",
    flags: START_FLAGS,
    arity: Arity::Any,
    interspersed: true,
};
const RESTART: Spec = Spec {
    name: "docker compose restart",
    usage: "docker compose restart [OPTIONS] [SERVICE...]",
    description: "Restart service containers",
    aliases: "",
    flags: STOP_FLAGS,
    arity: Arity::Any,
    interspersed: true,
};

struct Lifecycle {
    verb: Verb,
    m: Matches,
    global: Global,
    /// Container names in start order, once loaded.
    names: Option<Vec<String>>,
    stopper: Option<Stopper>,
    /// `start`: the services started as their dependencies allow.
    starter: Option<Starter>,
    progress: Progress,
}

impl Lifecycle {
    fn containers(&self, daemon: &Daemon, project: &Project) -> Vec<String> {
        let order = start_order(&project.services);
        let rank = |s: &str| order.iter().position(|o| o == s).unwrap_or(order.len());
        let mut found = project_containers(daemon, &project.name);
        found.retain(|(_, s, _)| self.m.args.is_empty() || self.m.args.contains(s));
        found.sort_by(|a, b| rank(&a.1).cmp(&rank(&b.1)).then(a.2.cmp(&b.2)));
        found.into_iter().map(|(c, _, _)| c.name.clone()).collect()
    }

    fn start_all(&mut self, daemon: &mut Daemon, io: &mut Io, names: &[String]) -> Step {
        let now = daemon.now_ms();
        for name in names {
            let id = format!("Container {name}");
            if self.verb == Verb::Start && daemon.containers.find(name).is_some_and(|c| c.state.is_running()) {
                continue;
            }
            self.progress.working(io, &id, "Starting");
            if let Err(e) = daemon.start_container(name) {
                self.progress.failed(io, &id, "Error", now);
                self.progress.finish(io);
                io.err(crate::cli::daemon_error(&e));
                return Step::Done(1);
            }
            self.progress.done(io, &id, "Started", now, daemon.now_ms());
        }
        self.progress.finish(io);
        Step::Done(0)
    }
}

impl Task for Lifecycle {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        if let Some(starter) = &mut self.starter {
            return match starter.poll(daemon, io, &mut self.progress) {
                Ok(true) => {
                    self.progress.finish(io);
                    Step::Done(0)
                }
                Ok(false) => Step::Pending(Activity::Waiting),
                Err(e) => {
                    self.progress.finish(io);
                    io.err(format!("{e}\n"));
                    Step::Done(1)
                }
            };
        }
        if self.names.is_none() {
            let Some(project) = load_for(&self.global, daemon, io, &self.m.args) else { return Step::Done(1) };
            let names = self.containers(daemon, &project);
            let title = if self.verb == Verb::Stop { "Stopping" } else { "Restarting" };
            self.progress =
                Progress::new(if self.verb == Verb::Start { "Running" } else { title }, self.global.tty(io));
            if self.verb == Verb::Start {
                // Dependencies first, each service once its `depends_on` conditions hold.
                let order: Vec<String> = crate::compose::graph::start_order(&project.services)
                    .into_iter()
                    .filter(|s| self.m.args.is_empty() || self.m.args.contains(s))
                    .collect();
                self.starter = Some(Starter::new(&project, &order));
                self.names = Some(names);
                return self.poll(daemon, io, _deadline);
            }
            let grace =
                self.m.value("timeout").and_then(|t| t.parse::<i64>().ok()).map(|t| t.max(0) as u64).unwrap_or(10);
            let mut reversed = names.clone();
            reversed.reverse();
            for n in &reversed {
                self.progress.working(io, &format!("Container {n}"), "Stopping");
            }
            self.stopper = Some(Stopper::new(daemon, reversed, grace));
            self.names = Some(names);
        }
        if !self.stopper.as_mut().is_some_and(|s| s.poll(daemon)) {
            return Step::Pending(Activity::Waiting);
        }
        let names = self.names.clone().unwrap_or_default();
        if self.verb == Verb::Stop {
            if let Some(s) = &self.stopper {
                s.report(daemon, &mut self.progress, io);
            }
            self.progress.finish(io);
            return Step::Done(0);
        }
        self.start_all(daemon, io, &names)
    }
}

fn lifecycle(verb: Verb, spec: &Spec, args: &[String], global: Global) -> Box<dyn Task> {
    match parse(spec, args) {
        Ok(m) => Box::new(Lifecycle {
            verb,
            m,
            global,
            names: None,
            stopper: None,
            starter: None,
            progress: Progress::new("Running", true),
        }),
        Err(task) => task,
    }
}

pub fn stop(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    lifecycle(Verb::Stop, &STOP, args, global)
}

pub fn start(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    lifecycle(Verb::Start, &START, args, global)
}

pub fn restart(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    lifecycle(Verb::Restart, &RESTART, args, global)
}

const EXEC_FLAGS: &[Flag] = &[
    Flag::bool("detach", Some('d'), "Detached mode: Run command in the background"),
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::list("env", Some('e'), "stringArray", "Set environment variables"),
    Flag::value("index", None, "int", "Index of the container if service has multiple replicas").with_default("1"),
    Flag::bool("interactive", Some('i'), "Keep STDIN open even if not attached"),
    Flag::bool("no-TTY", Some('T'), "Disable pseudo-TTY allocation. By default `docker compose exec` allocates a TTY."),
    Flag::value("user", Some('u'), "string", "Run the command as this user"),
    Flag::value("workdir", Some('w'), "string", "Path to workdir directory for this command"),
];

const EXEC: Spec = Spec {
    name: "docker compose exec",
    usage: "docker compose exec [OPTIONS] SERVICE COMMAND [ARGS...]",
    description: "Execute a command in a running container",
    aliases: "",
    flags: EXEC_FLAGS,
    arity: Arity::AtLeast(2),
    interspersed: false,
};

enum ExecStage {
    Load(Matches, Global),
    Running(Box<dyn Task>),
}

struct Exec {
    stage: ExecStage,
}

impl Task for Exec {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, deadline: u64) -> Step {
        if let ExecStage::Load(m, global) = &self.stage {
            let service = &m.args[0];
            let Some(project) = load_for(global, daemon, io, std::slice::from_ref(service)) else {
                return Step::Done(1);
            };
            let index: u32 = m.value("index").and_then(|i| i.parse().ok()).unwrap_or(1);
            let container = project_containers(daemon, &project.name)
                .into_iter()
                .find(|(c, s, n)| s == service && *n == index && c.state.is_running())
                .map(|(c, _, _)| c.name.clone());
            let Some(container) = container else {
                io.err(format!("service \"{service}\" is not running\n"));
                return Step::Done(1);
            };
            let mut args: Vec<String> = Vec::new();
            if m.flag("detach") {
                args.push("-d".into());
            } else {
                args.push("-i".into());
                if !m.flag("no-TTY") && io.interactive {
                    args.push("-t".into());
                }
            }
            for e in m.list("env") {
                args.extend(["-e".to_string(), e.clone()]);
            }
            for (flag, name) in [("user", "-u"), ("workdir", "-w")] {
                if let Some(v) = m.value(flag) {
                    args.extend([name.to_string(), v.to_string()]);
                }
            }
            args.push(container);
            args.extend(m.args[1..].iter().cloned());
            self.stage = ExecStage::Running(crate::cli::exec::start(&args, daemon));
        }
        match &mut self.stage {
            ExecStage::Running(task) => task.poll(daemon, io, deadline),
            ExecStage::Load(..) => Step::Done(1),
        }
    }

    fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        match &mut self.stage {
            ExecStage::Running(task) => task.interrupt(daemon),
            ExecStage::Load(..) => true,
        }
    }
}

pub fn exec(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    match parse(&EXEC, args) {
        Ok(m) => Box::new(Exec { stage: ExecStage::Load(m, global) }),
        Err(task) => task,
    }
}
