//! The [`Resources`] seam wired to the engine's own networks and volumes: a Compose network
//! becomes a Docker network (`app_default`, bridge, with its IPAM settings and Compose's
//! labels), a Compose volume a Docker volume (`app_data`), and a service's `networks`, `ports`,
//! `expose`, `volumes`, `links` and `extra_hosts` become what `docker run` would be given
//! (`--network` with the service's name as alias, `-p`, `--expose`, `-v`, `--tmpfs`, `--link`,
//! `--add-host`).

use super::apply::{Outcome, Resources};
use super::model::{MountType, Network, Project, Service, Volume};
use super::project::{container_name, resource_labels};
use crate::container::CreateOptions;
use crate::daemon::Daemon;
use crate::network::ports::{parse_expose, parse_publish};
use crate::network::{EndpointConfig, NetworkCreate, NetworkMode};
use crate::volume::VolumeCreate;
use std::collections::BTreeMap;

/// The engine's networks and volumes, as Compose uses them.
#[derive(Debug, Default)]
pub struct EngineResources;

fn labels(project: &str, kind: &str, key: &str, own: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = own.clone();
    all.extend(resource_labels(project, kind, key));
    all
}

/// The engine name of a service's network (`default` is `<project>_default`).
fn network_name(project: &Project, key: &str) -> String {
    project.networks.get(key).map(|n| n.name.clone()).unwrap_or_else(|| format!("{}_{key}", project.name))
}

impl Resources for EngineResources {
    fn ensure_network(
        &mut self,
        daemon: &mut Daemon,
        key: &str,
        network: &Network,
        project: &str,
    ) -> Result<Outcome, String> {
        if daemon.networks.by_name(&network.name).is_some() {
            return Ok(Outcome::Exists);
        }
        let pool = network.ipam.as_ref().and_then(|i| i.config.first());
        let req = NetworkCreate {
            name: network.name.clone(),
            driver: network.driver.clone().unwrap_or_default(),
            subnet: pool.and_then(|p| p.subnet.clone()),
            ip_range: pool.and_then(|p| p.ip_range.clone()),
            gateway: pool.and_then(|p| p.gateway.clone()),
            internal: network.internal,
            attachable: network.attachable,
            options: network.driver_opts.clone(),
            labels: labels(project, "network", key, &network.labels),
            ..NetworkCreate::default()
        };
        daemon.create_network(req).map(|_| Outcome::Created).map_err(|e| format!("Error response from daemon: {e}"))
    }

    fn ensure_volume(
        &mut self,
        daemon: &mut Daemon,
        key: &str,
        volume: &Volume,
        project: &str,
    ) -> Result<Outcome, String> {
        if daemon.volumes.contains(&volume.name) {
            return Ok(Outcome::Exists);
        }
        let req = VolumeCreate {
            name: Some(volume.name.clone()),
            driver: volume.driver.clone(),
            labels: Some(labels(project, "volume", key, &volume.labels)),
            options: (!volume.driver_opts.is_empty()).then(|| volume.driver_opts.clone()),
        };
        daemon.create_volume(req).map(|_| Outcome::Created).map_err(|e| format!("Error response from daemon: {e}"))
    }

    fn attach(
        &mut self,
        _daemon: &mut Daemon,
        project: &Project,
        service: &Service,
        opts: &mut CreateOptions,
    ) -> Result<Outcome, String> {
        let req = &mut opts.network;
        let linked = |link: &str| {
            let (svc, alias) = link.split_once(':').unwrap_or((link, link));
            let target = project
                .services
                .get(svc)
                .map(|s| container_name(&project.name, s, 1))
                .unwrap_or_else(|| svc.to_string());
            (target, alias.to_string())
        };
        match service.network_mode.as_deref() {
            Some(mode) => {
                let mode = match mode.strip_prefix("service:") {
                    Some(svc) => format!("container:{}", linked(svc).0),
                    None => mode.to_string(),
                };
                req.mode = NetworkMode(mode);
                req.links = service.links.iter().map(|l| linked(l)).collect();
            }
            None => {
                for (i, (key, cfg)) in service.networks.iter().enumerate() {
                    let name = network_name(project, key);
                    if i == 0 {
                        req.mode = NetworkMode(name.clone());
                    }
                    let mut endpoint = EndpointConfig::new(name);
                    endpoint.aliases.push(service.name.clone());
                    if let Some(cfg) = cfg {
                        endpoint.aliases.extend(cfg.aliases.iter().cloned());
                        if let Some(ip) = &cfg.ipv4_address {
                            endpoint.ipv4 = Some(ip.parse().map_err(|_| format!("invalid IPv4 address: {ip}"))?);
                        }
                    }
                    endpoint.links = service.links.iter().map(|l| linked(l)).collect();
                    req.endpoints.push(endpoint);
                }
            }
        }
        for p in &service.ports {
            let spec = match (&p.host_ip, &p.published) {
                (Some(ip), Some(published)) => format!("{ip}:{published}:{}/{}", p.target, p.protocol),
                (Some(ip), None) => format!("{ip}::{}/{}", p.target, p.protocol),
                (None, Some(published)) => format!("{published}:{}/{}", p.target, p.protocol),
                (None, None) => format!("{}/{}", p.target, p.protocol),
            };
            req.bindings.extend(parse_publish(&spec)?);
        }
        for e in &service.expose {
            req.exposed.extend(parse_expose(e)?);
        }
        if let Some(hosts) = service.extras.get("extra_hosts").and_then(|h| h.as_seq()) {
            for h in hosts.iter().filter_map(|h| h.as_str()) {
                if let Some((name, ip)) = h.split_once('=') {
                    req.extra_hosts.push((name.to_string(), ip.to_string()));
                }
            }
        }
        for m in &service.volumes {
            let ro = if m.read_only { ":ro" } else { "" };
            match (m.kind, &m.source) {
                (MountType::Bind, Some(source)) => opts.host.binds.push(format!("{source}:{}{ro}", m.target)),
                (MountType::Volume, Some(key)) => {
                    let name = project.volumes.get(key).map(|v| v.name.clone()).unwrap_or_else(|| key.clone());
                    let nocopy = if m.volume.as_ref().is_some_and(|v| v.nocopy) { ",nocopy" } else { "" };
                    let mode = match (ro, nocopy) {
                        ("", "") => String::new(),
                        ("", n) => format!(":{}", &n[1..]),
                        (r, n) => format!("{r}{n}"),
                    };
                    opts.host.binds.push(format!("{name}:{}{mode}", m.target));
                }
                (MountType::Volume, None) | (MountType::Bind, None) => opts.volumes.push(m.target.clone()),
                (MountType::Tmpfs, _) => {
                    let size = m.tmpfs.as_ref().and_then(|t| t.size).map(|s| format!("size={s}")).unwrap_or_default();
                    opts.host.tmpfs.push((m.target.clone(), size));
                }
            }
        }
        Ok(Outcome::Created)
    }

    fn remove_network(&mut self, daemon: &mut Daemon, network: &Network) -> Result<Outcome, String> {
        if daemon.networks.by_name(&network.name).is_none() {
            return Ok(Outcome::Absent);
        }
        daemon
            .remove_network(&network.name)
            .map(|()| Outcome::Removed)
            .map_err(|e| format!("Error response from daemon: {e}"))
    }

    fn remove_volume(&mut self, daemon: &mut Daemon, volume: &Volume) -> Result<Outcome, String> {
        if !daemon.volumes.contains(&volume.name) {
            return Ok(Outcome::Absent);
        }
        daemon
            .remove_volume(&volume.name, false)
            .map(|()| Outcome::Removed)
            .map_err(|e| format!("Error response from daemon: {e}"))
    }
}
