//! The `networks` section: the daemon's networks (the predefined `bridge`, `host` and `none` keep
//! their IDs; user-defined bridges come back whole: name, subnet, gateway, options, labels) and
//! the store's bookkeeping (the last host ports picked, the endpoint counter); and the record of a
//! container's network settings (`--network`, `-p`, `--link`, `--dns`, `--add-host`). Endpoints
//! and addresses are not saved: containers hold them only while they run, and a restarted
//! daemon gives them out again when they start.

use super::{Parts, SnapshotError};
use crate::ids::ContainerId;
use crate::network::ipam::{Pool, Subnet};
use crate::network::ports::{Port, PortBinding, PortProto};
use crate::network::resolv::DnsOverrides;
use crate::network::{ContainerNet, Driver, EndpointConfig, LegacyLink, Network, NetworkId, NetworkIpam, NetworkMode};
use crate::Daemon;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

const INDEX: &str = "networks/index.json";

#[derive(Debug, Serialize, Deserialize)]
struct IpamRecord {
    /// `172.18.0.0/16`.
    subnet: String,
    ip_range: Option<String>,
    gateway: Ipv4Addr,
    user_subnet: bool,
    user_gateway: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct NetworkRecord {
    id: String,
    name: String,
    /// `bridge`, `host` or `null`.
    driver: String,
    created_ms: u64,
    predefined: bool,
    internal: bool,
    attachable: bool,
    ipam: Option<IpamRecord>,
    bridge_name: Option<String>,
    options: BTreeMap<String, String>,
    ipam_options: Option<BTreeMap<String, String>>,
    labels: BTreeMap<String, String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct NetworksSection {
    networks: Vec<NetworkRecord>,
    /// The last host port picked per protocol (`tcp`...).
    last_port: BTreeMap<String, u16>,
    endpoint_seq: u64,
}

fn driver(name: &str) -> Option<Driver> {
    [Driver::Bridge, Driver::Host, Driver::Null].into_iter().find(|d| d.name() == name)
}

pub(super) fn save(daemon: &Daemon, out: &mut Parts) -> Result<(), SnapshotError> {
    let store = &daemon.networks;
    let networks = store
        .iter()
        .map(|n| NetworkRecord {
            id: n.id.to_string(),
            name: n.name.clone(),
            driver: n.driver.name().to_string(),
            created_ms: n.created_ms,
            predefined: n.predefined,
            internal: n.internal,
            attachable: n.attachable,
            ipam: n.ipam.as_ref().map(|i| IpamRecord {
                subnet: i.pool.subnet.to_string(),
                ip_range: i.pool.range.map(|r| r.to_string()),
                gateway: i.gateway,
                user_subnet: i.user_subnet,
                user_gateway: i.user_gateway,
            }),
            bridge_name: n.bridge_name.clone(),
            options: n.options.clone(),
            ipam_options: n.ipam_options.clone(),
            labels: n.labels.clone(),
        })
        .collect();
    let last_port = store.last_port.iter().map(|(p, n)| (p.name().to_string(), *n)).collect();
    out.put_json(INDEX, &NetworksSection { networks, last_port, endpoint_seq: store.endpoint_seq })
}

pub(super) fn load(parts: &Parts, daemon: &mut Daemon) -> Result<(), SnapshotError> {
    let section: NetworksSection = parts.json(INDEX)?;
    for r in section.networks {
        let corrupt = |why: &str| SnapshotError::Corrupt(format!("network {}: {why}", r.name));
        let driver = driver(&r.driver).ok_or_else(|| corrupt("unknown driver"))?;
        let ipam = match r.ipam {
            None => None,
            Some(i) => {
                let subnet = Subnet::parse(&i.subnet).ok_or_else(|| corrupt("invalid subnet"))?;
                let range = match &i.ip_range {
                    Some(r) => Some(Subnet::parse(r).ok_or_else(|| corrupt("invalid IP range"))?),
                    None => None,
                };
                let mut pool = Pool::new(subnet, range);
                pool.reserve(i.gateway).map_err(|e| corrupt(&e.to_string()))?;
                Some(NetworkIpam { pool, gateway: i.gateway, user_subnet: i.user_subnet, user_gateway: i.user_gateway })
            }
        };
        if r.id.len() != 64 || !crate::ids::is_hex_prefix(&r.id) {
            return Err(corrupt("invalid ID"));
        }
        let network = Network {
            id: NetworkId::from_raw(&r.id),
            name: r.name.clone(),
            driver,
            created_ms: r.created_ms,
            predefined: r.predefined,
            internal: r.internal,
            attachable: r.attachable,
            ipam,
            bridge_name: r.bridge_name,
            options: r.options,
            ipam_options: r.ipam_options,
            labels: r.labels,
            endpoints: Vec::new(),
        };
        daemon.restore_network(network).map_err(|e| corrupt(&e.to_string()))?;
    }
    for (proto, port) in section.last_port {
        if let Some(proto) = PortProto::parse(&proto) {
            daemon.networks.last_port.insert(proto, port);
        }
    }
    daemon.networks.endpoint_seq = section.endpoint_seq;
    Ok(())
}

/// A container's network settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerNetRecord {
    mode: String,
    endpoints: Vec<EndpointRecord>,
    /// Legacy links: (child container ID, alias).
    links: Vec<(String, String)>,
    /// `80/tcp`.
    exposed: Vec<String>,
    /// (`80/tcp`, host address, host port).
    bindings: Vec<(String, String, String)>,
    publish_all: bool,
    dns_servers: Vec<std::net::IpAddr>,
    dns_search: Vec<String>,
    dns_options: Vec<String>,
    extra_hosts: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct EndpointRecord {
    target: String,
    network: Option<String>,
    aliases: Vec<String>,
    ipv4: Option<Ipv4Addr>,
    links: Vec<(String, String)>,
}

impl From<&ContainerNet> for ContainerNetRecord {
    fn from(n: &ContainerNet) -> Self {
        Self {
            mode: n.mode.0.clone(),
            endpoints: n
                .endpoints
                .iter()
                .map(|e| EndpointRecord {
                    target: e.target.clone(),
                    network: e.network.as_ref().map(NetworkId::to_string),
                    aliases: e.aliases.clone(),
                    ipv4: e.ipv4,
                    links: e.links.clone(),
                })
                .collect(),
            links: n.links.iter().map(|l| (l.child.to_string(), l.alias.clone())).collect(),
            exposed: n.exposed.iter().map(Port::to_string).collect(),
            bindings: n.bindings.iter().map(|(p, b)| (p.to_string(), b.host_ip.clone(), b.host_port.clone())).collect(),
            publish_all: n.publish_all,
            dns_servers: n.dns.servers.clone(),
            dns_search: n.dns.search.clone(),
            dns_options: n.dns.options.clone(),
            extra_hosts: n.extra_hosts.clone(),
        }
    }
}

impl ContainerNetRecord {
    /// The settings, stopped (no namespace, no files yet: they are made at start).
    pub fn into_net(self) -> Result<ContainerNet, String> {
        let port = |s: &str| Port::parse(s).ok_or_else(|| format!("invalid port {s:?}"));
        let links = self
            .links
            .into_iter()
            .map(|(child, alias)| {
                let child = ContainerId::parse(&child).ok_or_else(|| format!("invalid linked container {child:?}"))?;
                Ok(LegacyLink { child, alias })
            })
            .collect::<Result<_, String>>()?;
        Ok(ContainerNet {
            mode: if self.mode.is_empty() { NetworkMode::default() } else { NetworkMode(self.mode) },
            endpoints: self
                .endpoints
                .into_iter()
                .map(|e| EndpointConfig {
                    target: e.target,
                    network: e.network.as_deref().map(NetworkId::from_raw),
                    aliases: e.aliases,
                    ipv4: e.ipv4,
                    links: e.links,
                })
                .collect(),
            links,
            exposed: self.exposed.iter().map(|p| port(p)).collect::<Result<_, _>>()?,
            bindings: self
                .bindings
                .into_iter()
                .map(|(p, host_ip, host_port)| Ok((port(&p)?, PortBinding { host_ip, host_port })))
                .collect::<Result<_, String>>()?,
            publish_all: self.publish_all,
            dns: DnsOverrides { servers: self.dns_servers, search: self.dns_search, options: self.dns_options },
            extra_hosts: self.extra_hosts,
            live: None,
            etc: Vec::new(),
        })
    }
}
