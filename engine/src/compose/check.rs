//! Profiles and consistency: services of profiles not enabled (`--profile`, `COMPOSE_PROFILES`)
//! step aside, then the project must hold together as Compose checks it: every service has an
//! image or a build, depends on services that exist, uses networks and volumes that are
//! declared, and a fixed `container_name` is not given to several replicas. Networks and volumes
//! no service uses are left out, as `docker compose config` leaves them out.

use super::error::{ComposeError, ProjectError};
use super::model::{MountType, Project};
use std::collections::BTreeSet;

/// Moves the services of disabled profiles aside. A service with no profile is always enabled;
/// `*` enables every profile.
pub fn apply_profiles(project: &mut Project, profiles: &[String]) {
    let all = profiles.iter().any(|p| p == "*");
    let names: Vec<String> = project.services.keys().cloned().collect();
    for name in names {
        let enabled = project
            .services
            .get(&name)
            .is_some_and(|s| s.profiles.is_empty() || all || s.profiles.iter().any(|p| profiles.contains(p)));
        if !enabled {
            if let Some(s) = project.services.remove(&name) {
                project.disabled.insert(name, s);
            }
        }
    }
}

/// Compose's consistency check, then the unused networks and volumes are dropped.
pub fn check(project: &mut Project) -> Result<(), ComposeError> {
    let invalid = |e| Err(ComposeError::Project(e));
    for (name, s) in &project.services {
        if s.image.is_none() && s.build.is_none() {
            return invalid(ProjectError::NoImage(name.clone()));
        }
        if s.network_mode.is_some() && !s.networks.is_empty() {
            return invalid(ProjectError::NetworkModeAndNetworks(name.clone()));
        }
        for net in s.networks.keys() {
            if net != "default" && !project.networks.contains_key(net) {
                return invalid(ProjectError::UndefinedNetwork { service: name.clone(), network: net.clone() });
            }
        }
        if let Some(first) = s.healthcheck.as_ref().and_then(|h| h.test.first()) {
            if !matches!(first.as_str(), "CMD" | "CMD-SHELL" | "NONE") {
                return Err(ComposeError::HealthcheckTest);
            }
        }
        for (dep, d) in &s.depends_on {
            if d.required && !project.services.contains_key(dep) {
                return invalid(ProjectError::UndefinedService { service: name.clone(), dependency: dep.clone() });
            }
        }
        for m in &s.volumes {
            if m.kind != MountType::Volume {
                continue;
            }
            if let Some(source) = &m.source {
                if !project.volumes.contains_key(source) {
                    return invalid(ProjectError::UndefinedVolume { service: name.clone(), volume: source.clone() });
                }
            }
        }
        if s.container_name.is_some() && s.replicas() > 1 {
            return invalid(ProjectError::ContainerNameReplicas(name.clone()));
        }
    }
    prune_unused(project);
    Ok(())
}

/// Drops the networks and volumes no service uses.
pub fn prune_unused(project: &mut Project) {
    let used_networks: BTreeSet<&String> = project.services.values().flat_map(|s| s.networks.keys()).collect();
    let used_volumes: BTreeSet<&String> = project
        .services
        .values()
        .flat_map(|s| s.volumes.iter())
        .filter(|m| m.kind == MountType::Volume)
        .filter_map(|m| m.source.as_ref())
        .collect();
    let networks = std::mem::take(&mut project.networks);
    let volumes = std::mem::take(&mut project.volumes);
    project.networks = networks.into_iter().filter(|(k, _)| used_networks.contains(k)).collect();
    project.volumes = volumes.into_iter().filter(|(k, _)| used_volumes.contains(k)).collect();
}
