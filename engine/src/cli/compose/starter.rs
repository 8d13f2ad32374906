//! Starting a project's services in dependency order, as `up` and `start` do. A service starts
//! once every service it depends on has been started and each `depends_on` condition holds:
//! `service_started` (nothing more), `service_healthy` (every container of the dependency
//! reports `healthy` — `unhealthy`, an exit or a missing healthcheck fail the start), or
//! `service_completed_successfully` (a container of the dependency exited, with status 0).
//! Services that do not wait on each other start together, as Compose's parallel walk does.
//!
//! Compose checks a waiting dependency every half second; so does the [`Starter`], against the
//! engine's clock: each [`Starter::poll`] returns and lets the daemon run the containers (and
//! their health checks) between checks, so the page never freezes while it waits.

use super::progress::Progress;
use crate::cli::Io;
use crate::compose::apply::project_containers;
use crate::compose::model::Dependency;
use crate::compose::Project;
use crate::container::{HealthStatus, State};
use crate::daemon::Daemon;
use std::collections::{BTreeMap, BTreeSet};

/// Compose's polling period while it waits on a dependency.
const CHECK_PERIOD_MS: u64 = 500;

/// A condition Compose waits on (`service_started` needs no wait).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Healthy,
    Completed,
    /// `up --wait`: healthy when there is a healthcheck, else running.
    RunningOrHealthy,
}

impl Condition {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "service_healthy" => Some(Condition::Healthy),
            "service_completed_successfully" => Some(Condition::Completed),
            _ => None,
        }
    }
}

/// Where one wait stands.
enum Check {
    Pending,
    /// Met; the status its containers end with (`Healthy`, `Exited`).
    Met(&'static str),
    /// Failed: the message on the containers' lines and the command's error.
    Failed {
        status: String,
        error: String,
    },
    /// An optional dependency that failed: the containers' line, a warning, and the service
    /// starts anyway.
    Skipped {
        reason: String,
        warning: String,
    },
}

/// One service to start and what it waits on.
struct Pending {
    service: String,
    /// Services of the run it must follow, and the conditions among them.
    after: Vec<String>,
    waits: Vec<(String, Condition, bool)>,
    announced: bool,
    next_check_ms: Option<u64>,
}

/// Starts services when their dependencies allow.
pub struct Starter {
    pending: Vec<Pending>,
    started: BTreeSet<String>,
    project: String,
}

impl Starter {
    /// Services to start, in start order; dependencies outside `order` are not waited on (as
    /// with `--no-deps`), nor are services scaled to zero.
    pub fn new(project: &Project, order: &[String]) -> Self {
        let pending = order
            .iter()
            .filter_map(|name| project.services.get(name))
            .map(|s| pending_for(project, s, order))
            .collect();
        Self { pending, started: BTreeSet::new(), project: project.name.clone() }
    }

    /// `run`: only waits on the conditions of `service` (whose one-off container is made after).
    pub fn waits_of(project: &Project, service: &str, order: &[String]) -> Self {
        let pending = project
            .services
            .get(service)
            .map(|s| Pending { service: String::new(), after: Vec::new(), ..pending_for(project, s, order) })
            .into_iter()
            .collect();
        Self { pending, started: BTreeSet::new(), project: project.name.clone() }
    }

    /// `up --wait`: after the services, wait for all of them to be running or healthy
    /// (completed, for those others wait to complete).
    pub fn wait_all(mut self, project: &Project, order: &[String]) -> Self {
        let completed: BTreeSet<&String> = project
            .services
            .values()
            .flat_map(|s| s.depends_on.iter())
            .filter(|(_, d)| d.condition == "service_completed_successfully")
            .map(|(n, _)| n)
            .collect();
        let waits = order
            .iter()
            .filter(|s| project.services.get(*s).is_some_and(|ds| ds.replicas() > 0))
            .map(|s| {
                let c = if completed.contains(s) { Condition::Completed } else { Condition::RunningOrHealthy };
                (s.clone(), c, true)
            })
            .collect();
        self.pending.push(Pending {
            service: String::new(),
            after: order.to_vec(),
            waits,
            announced: false,
            next_check_ms: None,
        });
        self
    }

    /// Starts whatever can start now; `Ok(true)` once every service has started (and every
    /// wait is over), `Err` with Compose's message when a dependency failed.
    pub fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, progress: &mut Progress) -> Result<bool, String> {
        loop {
            let mut advanced = false;
            let mut i = 0;
            while i < self.pending.len() {
                if !self.pending[i].after.iter().all(|d| self.started.contains(d)) {
                    i += 1;
                    continue;
                }
                if !self.ready(daemon, io, progress, i)? {
                    i += 1;
                    continue;
                }
                let p = self.pending.remove(i);
                if !p.service.is_empty() {
                    self.start_service(daemon, io, progress, &p.service)?;
                }
                self.started.insert(p.service);
                advanced = true;
            }
            if self.pending.is_empty() {
                return Ok(true);
            }
            if !advanced {
                return Ok(false);
            }
        }
    }

    /// Whether pending service `i` may start: its waits announced, checked every half second.
    fn ready(&mut self, daemon: &mut Daemon, io: &mut Io, progress: &mut Progress, i: usize) -> Result<bool, String> {
        let now = daemon.now_ms();
        if self.pending[i].waits.is_empty() {
            return Ok(true);
        }
        let containers = self.containers(daemon);
        let p = &mut self.pending[i];
        if !p.announced {
            p.announced = true;
            for (dep, _, required) in &p.waits {
                let names = containers.get(dep).cloned().unwrap_or_default();
                if names.is_empty() {
                    let message = format!("{} is missing dependency {dep}", p.service);
                    if *required {
                        return Err(message);
                    }
                    super::warn(io, now, &message);
                }
                for n in names {
                    progress.working(io, &format!("Container {n}"), "Waiting");
                }
            }
            p.waits.retain(|(dep, _, _)| containers.get(dep).is_some_and(|n| !n.is_empty()));
            p.next_check_ms = Some(now + CHECK_PERIOD_MS);
        }
        if p.next_check_ms.is_some_and(|t| now < t) {
            return Ok(false);
        }
        p.next_check_ms = Some(now + CHECK_PERIOD_MS);
        let mut waits = std::mem::take(&mut p.waits);
        let mut result = Ok(());
        waits.retain(|(dep, condition, required)| {
            if result.is_err() {
                return true;
            }
            let names = containers.get(dep).cloned().unwrap_or_default();
            let ids: Vec<String> = names.iter().map(|n| format!("Container {n}")).collect();
            match check(daemon, dep, &names, *condition, *required) {
                Check::Pending => true,
                Check::Met(status) => {
                    for id in &ids {
                        progress.done(io, id, status, now, now);
                    }
                    false
                }
                Check::Skipped { reason, warning } => {
                    for id in &ids {
                        progress.warned(io, id, &format!("Skipped: {reason}"), now);
                    }
                    super::warn(io, now, &warning);
                    false
                }
                Check::Failed { status, error } => {
                    for id in &ids {
                        progress.failed(io, id, &status, now);
                    }
                    result = Err(error);
                    true
                }
            }
        });
        result?;
        let done = waits.is_empty();
        self.pending[i].waits = waits;
        Ok(done)
    }

    /// The project's containers, by service, sorted by name.
    fn containers(&self, daemon: &Daemon) -> BTreeMap<String, Vec<String>> {
        let mut by_service: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (c, service, _) in project_containers(daemon, &self.project) {
            by_service.entry(service).or_default().push(c.name.clone());
        }
        for names in by_service.values_mut() {
            names.sort();
        }
        by_service
    }

    fn start_service(
        &mut self,
        daemon: &mut Daemon,
        io: &mut Io,
        progress: &mut Progress,
        service: &str,
    ) -> Result<(), String> {
        let names = self.containers(daemon).remove(service).unwrap_or_default();
        for name in names {
            if daemon.containers.find(&name).is_some_and(|c| c.state.is_running()) {
                continue;
            }
            let id = format!("Container {name}");
            let t = daemon.now_ms();
            progress.working(io, &id, "Starting");
            daemon.start_container(&name).map_err(|e| crate::cli::daemon_error(&e).trim_end().to_string())?;
            progress.done(io, &id, "Started", t, daemon.now_ms());
        }
        Ok(())
    }
}

/// What service `s` waits for among the services of the run.
fn pending_for(project: &Project, s: &crate::compose::model::Service, order: &[String]) -> Pending {
    let in_run = |d: &String| order.contains(d);
    let after: Vec<String> = s.depends_on.keys().filter(|d| in_run(d)).cloned().collect();
    let waits = s
        .depends_on
        .iter()
        .filter(|(d, _)| in_run(d) && project.services.get(*d).is_some_and(|ds| ds.replicas() > 0))
        .filter_map(|(d, Dependency { condition, required, .. })| {
            Condition::parse(condition).map(|c| (d.clone(), c, *required))
        })
        .collect();
    Pending { service: s.name.clone(), after, waits, announced: false, next_check_ms: None }
}

/// Compose's `isServiceHealthy` and `isServiceCompleted` over a dependency's containers.
fn check(daemon: &Daemon, dep: &str, names: &[String], condition: Condition, required: bool) -> Check {
    if condition == Condition::Completed {
        for n in names {
            let Some(c) = daemon.containers.find(n) else { continue };
            if let State::Exited { code, restarting: false, .. } = c.state {
                if code == 0 {
                    return Check::Met("Exited");
                }
                let suffix = format!("{dep:?} didn't complete successfully: exit {code}");
                if !required {
                    let reason = format!("optional dependency {suffix}");
                    return Check::Skipped { warning: reason.clone(), reason };
                }
                let message = format!("service {suffix}");
                return Check::Failed { status: message.clone(), error: message };
            }
        }
        return Check::Pending;
    }
    for n in names {
        let Some(c) = daemon.containers.find(n) else {
            return fail(dep, condition, required, format!("No such container: {n}"));
        };
        if let State::Exited { code, restarting: false, .. } = c.state {
            return fail(dep, condition, required, format!("container {n} exited ({code})"));
        }
        if condition == Condition::RunningOrHealthy && c.config.healthcheck.is_none() {
            if !c.state.is_running() {
                return Check::Pending;
            }
            continue;
        }
        match c.health.as_ref().map(|h| h.status) {
            None => return fail(dep, condition, required, format!("container {n} has no healthcheck configured")),
            Some(HealthStatus::Healthy) => {}
            Some(HealthStatus::Unhealthy) => {
                return fail(dep, condition, required, format!("container {n} is unhealthy"))
            }
            Some(HealthStatus::Starting) => return Check::Pending,
        }
    }
    Check::Met("Healthy")
}

fn fail(dep: &str, condition: Condition, required: bool, cause: String) -> Check {
    if condition == Condition::RunningOrHealthy {
        if !required {
            let reason = format!("optional dependency {dep:?} is not running or is unhealthy");
            return Check::Skipped { warning: format!("{reason}: {cause}"), reason };
        }
        return Check::Failed { status: "Error".into(), error: cause };
    }
    if !required {
        let reason = format!("optional dependency {dep:?} failed to start");
        return Check::Skipped { warning: format!("{reason}: {cause}"), reason };
    }
    Check::Failed { status: "Error".into(), error: format!("dependency failed to start: {cause}") }
}
