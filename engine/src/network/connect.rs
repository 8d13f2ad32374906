//! `docker network connect` and `disconnect`. A stopped container only has its wishes changed
//! (it joins when it starts); a running one gets (or loses) an interface at once, with its own
//! `/etc/hosts` line appended (or deleted) and every DNS table refreshed. Containers sharing
//! the host's or another container's network namespace cannot join other networks.

use super::attach::endpoint_identity;
use super::error::NetworkError;
use super::etc_files;
use super::hosts;
use super::model::{Endpoint, Network};
use super::resolv::{self, Resolver};
use super::settings::EndpointConfig;
use super::stack::{Interface, SegmentId};
use crate::ids::ContainerId;
use crate::{Daemon, Error};
use std::net::Ipv4Addr;

/// `docker network connect` flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    pub aliases: Vec<String>,
    pub ipv4: Option<String>,
    /// `--link name:alias`.
    pub links: Vec<(String, String)>,
}

/// The daemon's endpoint checks (`validateEndpointSettings`), all reported at once.
pub(crate) fn validate_endpoint(
    n: Option<&Network>,
    name: &str,
    aliases: bool,
    ipv4: Option<&str>,
) -> Result<Option<Ipv4Addr>, NetworkError> {
    let user_defined = n.map_or(!super::model::is_predefined_name(name), |n| n.is_user_defined());
    let mut errors = Vec::new();
    if !user_defined && ipv4.is_some() {
        errors.push("user specified IP address is supported on user defined networks only".to_string());
    }
    if !user_defined && aliases {
        errors.push("network-scoped alias is supported only for containers in user defined networks".to_string());
    }
    let mut parsed = None;
    if let Some(raw) = ipv4 {
        match raw.parse::<Ipv4Addr>() {
            Ok(ip) if !ip.is_unspecified() => parsed = Some(ip),
            _ => errors.push(format!("invalid IPv4 address: {raw}")),
        }
    }
    if let (Some(ip), Some(n)) = (parsed, n.filter(|n| n.is_user_defined())) {
        match &n.ipam {
            Some(ipam) if ipam.user_subnet && !ipam.pool.subnet.contains(ip) => {
                errors.push(format!("no configured subnet or ip-range contain the IP address {ip}"))
            }
            Some(ipam) if !ipam.user_subnet => errors.push(
                "user specified IP address is supported only when connecting to networks with user configured subnets"
                    .into(),
            ),
            _ => {}
        }
    }
    match errors.len() {
        0 => Ok(parsed),
        1 => Err(NetworkError::InvalidEndpoint(errors.concat())),
        _ => Err(NetworkError::InvalidEndpoint(errors.iter().map(|e| format!("* {e}")).collect::<Vec<_>>().join("\n"))),
    }
}

impl Daemon {
    /// Checks that `c` may join `n` besides its current networks (`updateNetworkSettings`).
    /// `Ok(false)` when it already is on it.
    fn may_join(&self, key: &str, n: &Network) -> Result<bool, NetworkError> {
        let c = self.containers.find(key).ok_or_else(|| NetworkError::NotFound(key.to_string()))?;
        if c.net.mode.container().is_some() {
            return Err(NetworkError::SharedNetwork);
        }
        if !c.net.mode.is_host() && n.driver == super::model::Driver::Host {
            return Err(NetworkError::ConnectToHost);
        }
        for cfg in &c.net.endpoints {
            let Ok(current) = cfg.network.as_ref().map_or_else(
                || self.networks.find(&cfg.target),
                |id| self.networks.by_id(id).ok_or_else(|| NetworkError::NotFound(cfg.target.clone())),
            ) else {
                continue;
            };
            if current.id == n.id {
                return Ok(false);
            }
            if current.driver == super::model::Driver::Host || n.driver == super::model::Driver::Host {
                return Err(NetworkError::SharedNetwork);
            }
            if current.name == "none" || n.name == "none" {
                return Err(NetworkError::NoneAndOthers);
            }
        }
        if c.net.mode.is_host() {
            return Err(NetworkError::SharedNetwork);
        }
        Ok(true)
    }

    /// `docker network connect NETWORK CONTAINER`.
    pub fn connect_network(&mut self, network: &str, container: &str, opts: ConnectOptions) -> Result<(), Error> {
        let c = self.containers.find(container).ok_or_else(|| Error::NoSuchContainer(container.to_string()))?;
        let (id, running) = (c.id.clone(), c.net.live.is_some());
        if running && c.net.mode.container().is_some() {
            return Err(NetworkError::SharedNetwork.into());
        }
        let n = self.networks.find(network)?.clone();
        let ipv4 = validate_endpoint(Some(&n), &n.name, !opts.aliases.is_empty(), opts.ipv4.as_deref())?;
        let fresh = self.may_join(id.as_str(), &n)?;
        if !fresh && running {
            let name = self.containers.find(id.as_str()).map(|c| c.name.clone()).unwrap_or_default();
            return Err(NetworkError::EndpointExists(name, n.name.clone()).into());
        }
        if !fresh {
            return Ok(());
        }
        let cfg = EndpointConfig {
            target: n.name.clone(),
            network: Some(n.id.clone()),
            aliases: opts.aliases,
            ipv4,
            links: if n.is_user_defined() { opts.links } else { Vec::new() },
        };
        let c = self.containers.find_mut(id.as_str()).ok_or_else(|| Error::NoSuchContainer(container.to_string()))?;
        c.net.endpoints.push(cfg);
        if running {
            if let Err(e) = self.join_one(&id, &n) {
                if let Some(c) = self.containers.find_mut(id.as_str()) {
                    c.net.endpoints.pop();
                }
                return Err(e.into());
            }
            self.refresh_dns();
        }
        Ok(())
    }

    /// A running container joins one more network.
    fn join_one(&mut self, id: &ContainerId, n: &Network) -> Result<(), NetworkError> {
        let c = self.containers.find(id.as_str()).ok_or_else(|| NetworkError::NotFound(id.to_string()))?;
        let (name, hostname) = (c.name.clone(), c.config.hostname.clone());
        let Some(ns) = c.net.netns() else { return Ok(()) };
        let pinned = c.net.endpoints.last().and_then(|e| e.ipv4);
        let had_dns = c.net.endpoints.iter().any(|e| {
            e.network
                .as_ref()
                .and_then(|i| self.networks.by_id(i))
                .is_some_and(|x| x.is_user_defined() && x.endpoint(id).is_some())
        });
        self.networks.endpoint_seq += 1;
        let seq = self.networks.endpoint_seq;
        let net = self.networks.by_id_mut(&n.id).ok_or_else(|| NetworkError::NotFound(n.name.clone()))?;
        let Some(ipam) = net.ipam.as_mut() else { return Ok(()) };
        let ip = match pinned {
            Some(ip) => ipam.pool.reserve(ip).map(|_| ip).map_err(|e| NetworkError::Other(e.to_string()))?,
            None => ipam.pool.allocate().map_err(|_| {
                NetworkError::Other(format!(
                    "no available IPv4 addresses on this network's address pools: {} ({})",
                    net.name, net.id
                ))
            })?,
        };
        let prefix_len = ipam.pool.subnet.prefix;
        let (ep_id, mac) = endpoint_identity(id, &n.id, seq);
        net.endpoints.push(Endpoint { id: ep_id, container: id.clone(), name, ip, mac });
        let stack = self.kernel.net_mut();
        let (mut interfaces, index) = stack.netns(ns).map(|x| (x.interfaces.clone(), x.next_eth)).unwrap_or_default();
        interfaces.push(Interface {
            name: format!("eth{index}"),
            mac,
            addr: ip,
            prefix_len,
            segment: SegmentId(n.id.to_string()),
        });
        self.set_interfaces_with_gateway(id, ns, interfaces);
        let host_resolv =
            String::from_utf8_lossy(&self.host_fs.read_file(resolv::HOST_RESOLV_CONF).unwrap_or_default()).into_owned();
        let c = self.containers.find_mut(id.as_str()).ok_or_else(|| NetworkError::NotFound(id.to_string()))?;
        let added = hosts::add_records(&etc_files::read(c, "/etc/hosts"), &hosts::own_records(&[ip], &hostname, ""));
        etc_files::write(c, "/etc/hosts", added);
        if n.is_user_defined() && !had_dns {
            // The embedded DNS server starts: Docker rewrites resolv.conf unless it was edited.
            let legacy = resolv::generate(&host_resolv, Resolver::Legacy, &c.net.dns);
            if etc_files::read(c, "/etc/resolv.conf") == legacy {
                let internal = resolv::generate(&host_resolv, Resolver::Internal, &c.net.dns);
                etc_files::write(c, "/etc/resolv.conf", internal);
            }
        }
        Ok(())
    }

    /// Sets a namespace's interfaces with the default route through the best network.
    fn set_interfaces_with_gateway(&mut self, id: &ContainerId, ns: super::stack::NetnsId, interfaces: Vec<Interface>) {
        let gateway = interfaces
            .iter()
            .filter_map(|i| self.networks.by_id(&super::model::NetworkId::from_raw(&i.segment.0)))
            .filter(|n| !n.internal && n.endpoint(id).is_some())
            .min_by_key(|n| n.name.clone())
            .and_then(|n| n.ipam.as_ref().map(|i| i.gateway));
        let _ = self.kernel.net_mut().set_interfaces(ns, interfaces, gateway);
    }

    /// `docker network disconnect NETWORK CONTAINER`.
    pub fn disconnect_network(&mut self, network: &str, container: &str, force: bool) -> Result<(), Error> {
        let c = self.containers.find(container).ok_or_else(|| Error::NoSuchContainer(container.to_string()))?;
        let (id, running, host_mode) = (c.id.clone(), c.net.live.is_some(), c.net.mode.is_host());
        let found = self.networks.find(network).cloned();
        let n = match found {
            Ok(n) => n,
            Err(e) if !force && running => return Err(e.into()),
            Err(_) => {
                let c =
                    self.containers.find_mut(id.as_str()).ok_or_else(|| Error::NoSuchContainer(container.into()))?;
                let before = c.net.endpoints.len();
                c.net.endpoints.retain(|e| e.target != network);
                if c.net.endpoints.len() == before {
                    return Err(NetworkError::NotConnectedStopped(id.to_string(), network.to_string()).into());
                }
                return Ok(());
            }
        };
        if running && host_mode && n.driver == super::model::Driver::Host {
            return Err(NetworkError::DisconnectFromHost.into());
        }
        let c = self.containers.find_mut(id.as_str()).ok_or_else(|| Error::NoSuchContainer(container.into()))?;
        let position = c
            .net
            .endpoints
            .iter()
            .position(|e| e.network.as_ref() == Some(&n.id) || e.target == n.name || e.target == n.id.as_str());
        let Some(position) = position else {
            return Err(if running {
                NetworkError::NotConnected(id.to_string(), n.name.clone())
            } else {
                NetworkError::NotConnectedStopped(id.to_string(), n.name.clone())
            }
            .into());
        };
        c.net.endpoints.remove(position);
        if running {
            self.leave_one(&id, &n);
            self.refresh_dns();
        }
        Ok(())
    }

    /// A running container leaves one network.
    fn leave_one(&mut self, id: &ContainerId, n: &Network) {
        let Some(net) = self.networks.by_id_mut(&n.id) else { return };
        let Some(i) = net.endpoints.iter().position(|e| &e.container == id) else { return };
        let ep = net.endpoints.remove(i);
        if let Some(ipam) = net.ipam.as_mut() {
            ipam.pool.release(ep.ip);
        }
        let Some(c) = self.containers.find(id.as_str()) else { return };
        let (ns, hostname) = (c.net.netns(), c.config.hostname.clone());
        let file = etc_files::read(c, "/etc/hosts");
        etc_files::write(c, "/etc/hosts", hosts::delete_records(&file, &hosts::own_records(&[ep.ip], &hostname, "")));
        let Some(ns) = ns else { return };
        let interfaces: Vec<Interface> = self
            .kernel
            .net()
            .netns(ns)
            .map(|x| x.interfaces.iter().filter(|f| f.segment.0 != n.id.as_str()).cloned().collect())
            .unwrap_or_default();
        self.set_interfaces_with_gateway(id, ns, interfaces);
    }
}
