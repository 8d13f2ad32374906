//! The create half of `up`: the project's networks and volumes, then each service's
//! containers, in dependency order, made to match the file as Compose's convergence does.
//! A service wants `scale` containers (`--scale`, `scale:`, `deploy.replicas`; one by
//! default): missing ones are created with the next free numbers (`web-2`, `web-3`), extra ones
//! (the highest numbers) stopped and removed; a container whose config hash or image differs
//! from the file's is recreated, and the dependents that asked for it (`depends_on` with
//! `restart: true`) are stopped so that the start phase starts them again. Nothing is started
//! here (see [`super::starter`]).

use super::attach::Stopper;
use super::progress::Progress;
use crate::cli::{daemon_error, Io};
use crate::compose::apply::{container_hash, create_options, project_containers, Outcome, Resources};
use crate::compose::model::Service;
use crate::compose::project::container_name;
use crate::compose::Project;
use crate::container::State;
use crate::daemon::Daemon;

/// How existing containers are treated (`--force-recreate`, `--no-recreate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recreate {
    #[default]
    Diverged,
    Force,
    Never,
}

/// Compose's error when a service with a fixed name is scaled.
pub fn scale_error(service: &Service) -> Option<String> {
    let name = service.container_name.as_ref()?;
    (service.replicas() > 1).then(|| {
        format!(
            "WARNING: The {:?} service is using the custom container name {name:?}. Docker requires each container \
             to have a unique name. Remove the custom name to scale the service",
            service.name
        )
    })
}

/// Creates the project's networks and volumes (those not external).
pub fn resources(
    daemon: &mut Daemon,
    io: &mut Io,
    project: &Project,
    resources: &mut dyn Resources,
    progress: &mut Progress,
) -> Result<(), String> {
    for (key, net) in project.networks.iter().filter(|(_, n)| !n.external) {
        let t = daemon.now_ms();
        if resources.ensure_network(daemon, key, net, &project.name)? == Outcome::Created {
            progress.done(io, &format!("Network {}", net.name), "Created", t, daemon.now_ms());
        }
    }
    for (key, vol) in project.volumes.iter().filter(|(_, v)| !v.external) {
        let t = daemon.now_ms();
        if resources.ensure_volume(daemon, key, vol, &project.name)? == Outcome::Created {
            progress.done(io, &format!("Volume \"{}\"", vol.name), "Created", t, daemon.now_ms());
        }
    }
    Ok(())
}

/// Makes one service's containers match the file.
pub fn service(
    daemon: &mut Daemon,
    io: &mut Io,
    project: &Project,
    service: &Service,
    recreate: Recreate,
    resources: &mut dyn Resources,
    progress: &mut Progress,
) -> Result<(), String> {
    if let Some(e) = scale_error(service) {
        return Err(e);
    }
    let wanted = usize::try_from(service.replicas().max(0)).unwrap_or(0);
    let image_id =
        daemon.images.resolve(&service.image_name(&project.name)).map(|i| i.id.to_string()).unwrap_or_default();
    let hash = crate::compose::apply::config_hash(project, service);
    // (name, number, up to date), kept ones first, then by number.
    let mut observed: Vec<(String, u32, bool)> = project_containers(daemon, &project.name)
        .into_iter()
        .filter(|(_, s, _)| *s == service.name)
        .map(|(c, _, n)| {
            let current = container_hash(c) == Some(hash.as_str()) && c.image_id.to_string() == image_id;
            (c.name.clone(), n, current)
        })
        .collect();
    observed.sort_by_key(|(_, n, current)| (!current, *n));
    let mut numbers: Vec<u32> = Vec::new();
    for (i, (name, number, current)) in observed.iter().enumerate() {
        let id = format!("Container {name}");
        let t = daemon.now_ms();
        if i >= wanted {
            // Scale down: the extra containers go, highest numbers first.
            progress.working(io, &id, "Stopping");
            let mut stopper = Stopper::new(daemon, vec![name.clone()], 0);
            stopper.force(daemon);
            progress.done(io, &id, "Stopped", t, daemon.now_ms());
            progress.working(io, &id, "Removing");
            daemon.remove_container(name, true).map_err(|e| daemon_error(&e).trim_end().to_string())?;
            progress.done(io, &id, "Removed", t, daemon.now_ms());
            continue;
        }
        numbers.push(*number);
        let must = match recreate {
            Recreate::Force => true,
            Recreate::Never => false,
            Recreate::Diverged => !current,
        };
        if must {
            stop_restart_dependents(daemon, io, project, service, progress);
            progress.working(io, &id, "Recreate");
            daemon.remove_container(name, true).map_err(|e| daemon_error(&e).trim_end().to_string())?;
            create(daemon, project, service, *number, &image_id, resources)?;
            progress.done(io, &id, "Recreated", t, daemon.now_ms());
            continue;
        }
        // Kept: a running one says so, a stopped one is started by the start phase.
        match daemon.containers.find(name).map(|c| &c.state) {
            Some(State::Running { .. }) => progress.done(io, &id, "Running", t, t),
            Some(State::Exited { .. }) => progress.done(io, &id, "Created", t, t),
            _ => {}
        }
    }
    let mut next = observed.iter().map(|(_, n, _)| *n).max().unwrap_or(0) + 1;
    while numbers.len() < wanted {
        let name = container_name(&project.name, service, next);
        let id = format!("Container {name}");
        let t = daemon.now_ms();
        progress.working(io, &id, "Creating");
        create(daemon, project, service, next, &image_id, resources)?;
        progress.done(io, &id, "Created", t, daemon.now_ms());
        numbers.push(next);
        next += 1;
    }
    Ok(())
}

fn create(
    daemon: &mut Daemon,
    project: &Project,
    service: &Service,
    number: u32,
    image_id: &str,
    resources: &mut dyn Resources,
) -> Result<(), String> {
    let mut opts = create_options(project, service, number, image_id)?;
    resources.attach(daemon, project, service, &mut opts)?;
    daemon.create_container(opts).map_err(|e| daemon_error(&e).trim_end().to_string())?;
    Ok(())
}

/// Before a service is recreated, the services that depend on it with `restart: true` stop
/// (the start phase starts them again).
fn stop_restart_dependents(
    daemon: &mut Daemon,
    io: &mut Io,
    project: &Project,
    service: &Service,
    progress: &mut Progress,
) {
    let dependents: Vec<&String> = project
        .services
        .values()
        .filter(|s| s.depends_on.get(&service.name).is_some_and(|d| d.restart))
        .map(|s| &s.name)
        .collect();
    let names: Vec<String> = project_containers(daemon, &project.name)
        .into_iter()
        .filter(|(c, s, _)| dependents.contains(&s) && c.state.is_running())
        .map(|(c, _, _)| c.name.clone())
        .collect();
    if names.is_empty() {
        return;
    }
    let t = daemon.now_ms();
    for n in &names {
        progress.working(io, &format!("Container {n}"), "Stopping");
    }
    // Compose stops them with their grace period; the playground kills them at once (the
    // convergence runs within one turn of the engine), and the start phase starts them again.
    let mut stopper = Stopper::new(daemon, names.clone(), 0);
    stopper.force(daemon);
    for n in &names {
        progress.done(io, &format!("Container {n}"), "Stopped", t, daemon.now_ms());
    }
}
