//! A container joining its networks when it starts and leaving them when it stops, as Docker's
//! daemon and libnetwork do it:
//! - its own network namespace (or the host's with `--network host`, or another container's with
//!   `--network container:x`), with one interface per network (`eth0`, `eth1`... in join order),
//!   each with an address from the network's pool and a MAC address;
//! - the default route through the best network (not internal, then by name);
//! - its published ports, towards its address on that network;
//! - `/etc/hosts`, `/etc/resolv.conf` and `/etc/hostname` written for it;
//! - legacy links checked (the linked containers must run) and turned into environment
//!   variables and `/etc/hosts` lines.
//!
//! Addresses are given back when it stops, so a restart may change them.

use super::error::NetworkError;
use super::etc_files;
use super::hosts::{self, Record};
use super::ipam::IpamError;
use super::links;
use super::model::{Endpoint, NetworkId};
use super::publish::{self, Target};
use super::resolv::{self, Resolver};
use super::settings::{ContainerNet, LiveNet};
use super::stack::{Interface, NetnsId, SegmentId, HOST_NETNS};
use crate::container::Container;
use crate::ids::{ContainerId, Digest};
use crate::Daemon;
use std::net::Ipv4Addr;

/// What joining gives the container's processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub netns: NetnsId,
    /// The UTS host name (another container's with `container:x`).
    pub hostname: String,
}

/// A fresh endpoint ID and MAC address. Docker draws both at random; here they are derived
/// from the container, the network and a counter, so the daemon's entropy (container IDs,
/// names) is not disturbed by networking.
pub(super) fn endpoint_identity(container: &ContainerId, network: &NetworkId, seq: u64) -> (String, [u8; 6]) {
    let id = Digest::of(format!("endpoint/{container}/{network}/{seq}").as_bytes()).hex().to_string();
    let mac_seed = Digest::of(format!("mac/{id}").as_bytes());
    let bytes = hex::decode(&mac_seed.hex()[..12]).unwrap_or_else(|_| vec![0; 6]);
    let mut mac = [0u8; 6];
    mac.copy_from_slice(&bytes[..6]);
    // Locally administered, unicast: what Docker's random MACs look like.
    mac[0] = (mac[0] & 0xfe) | 0x02;
    (id, mac)
}

/// `02:42:ac:11:00:02`.
pub fn mac_string(mac: &[u8; 6]) -> String {
    mac.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

impl Daemon {
    fn host_file(&self, path: &str) -> String {
        String::from_utf8_lossy(&self.host_fs.read_file(path).unwrap_or_default()).into_owned()
    }

    /// The container's `--add-host` records.
    fn extra_records(net: &ContainerNet) -> Vec<Record> {
        net.extra_hosts
            .iter()
            .filter_map(|(name, ip)| ip.parse::<std::net::IpAddr>().ok().map(|ip| Record::new(ip, name.clone())))
            .collect()
    }

    /// Joins the networks of a starting container; on failure nothing is left behind.
    pub(crate) fn join_networks(&mut self, key: &str) -> Result<Joined, NetworkError> {
        let c = self.containers.find(key).ok_or_else(|| NetworkError::NotFound(key.to_string()))?;
        let (id, mode, stale) = (c.id.clone(), c.net.mode.clone(), c.net.live.is_some());
        self.check_extra_networks(c)?;
        if stale {
            // Whatever a previous run left is given back first.
            self.leave_networks(&id);
        }
        let joined = if mode.is_host() {
            self.join_host(&id)?
        } else if let Some(other) = mode.container() {
            self.join_container(&id, other)?
        } else if mode.is_none() {
            self.join_none(&id)?
        } else {
            self.join_bridges(&id)?
        };
        self.refresh_dns();
        Ok(joined)
    }

    /// Networks beyond the mode's own must be bridges, and the mode must allow them
    /// (`updateNetworkSettings`).
    fn check_extra_networks(&self, c: &Container) -> Result<(), NetworkError> {
        for ep in c.net.endpoints.iter().skip(1) {
            let n = match &ep.network {
                Some(id) => self.networks.by_id(id),
                None => self.networks.find(&ep.target).ok(),
            };
            let Some(n) = n else { continue };
            let err = if c.net.mode.is_host() {
                Some(NetworkError::SharedNetwork)
            } else if n.driver == super::model::Driver::Host {
                Some(NetworkError::ConnectToHost)
            } else if c.net.mode.is_none() || n.name == "none" {
                Some(NetworkError::NoneAndOthers)
            } else {
                None
            };
            if let Some(e) = err {
                return Err(NetworkError::setup(e));
            }
        }
        Ok(())
    }

    fn join_host(&mut self, id: &ContainerId) -> Result<Joined, NetworkError> {
        let host_hosts = self.host_file("/etc/hosts");
        let host_resolv = self.host_file(resolv::HOST_RESOLV_CONF);
        let c = self.containers.find_mut(id.as_str()).ok_or_else(|| NetworkError::NotFound(id.to_string()))?;
        let extra = Self::extra_records(&c.net);
        let hosts = if extra.is_empty() { host_hosts } else { hosts::build(&extra, &[]) };
        let resolv = resolv::generate(&host_resolv, Resolver::HostCopy, &c.net.dns);
        etc_files::mount_fresh(c, format!("{}\n", c.config.hostname), hosts, resolv)?;
        c.net.live =
            Some(LiveNet { netns: HOST_NETNS, owns_netns: false, published: Vec::new(), link_env: Vec::new() });
        Ok(Joined { netns: HOST_NETNS, hostname: c.config.hostname.clone() })
    }

    fn join_container(&mut self, id: &ContainerId, other: &str) -> Result<Joined, NetworkError> {
        let donor = self.containers.find(other).ok_or_else(|| {
            NetworkError::Other(format!("joining network namespace of container: No such container: {other}"))
        })?;
        if &donor.id == id {
            return Err(NetworkError::Other("cannot join own network namespace".into()));
        }
        let Some(ns) = donor.net.netns().filter(|_| donor.state.is_running()) else {
            return Err(NetworkError::Other(format!(
                "cannot join network namespace of a non running container: container {} is {}",
                donor.name,
                donor.state.name()
            )));
        };
        let (files, hostname) = (donor.net.etc.clone(), donor.config.hostname.clone());
        let c = self.containers.find_mut(id.as_str()).ok_or_else(|| NetworkError::NotFound(id.to_string()))?;
        etc_files::mount_shared(c, files)?;
        c.config.hostname = hostname.clone();
        c.net.live = Some(LiveNet { netns: ns, owns_netns: false, published: Vec::new(), link_env: Vec::new() });
        Ok(Joined { netns: ns, hostname })
    }

    fn join_none(&mut self, id: &ContainerId) -> Result<Joined, NetworkError> {
        let host_resolv = self.host_file(resolv::HOST_RESOLV_CONF);
        let ns = self.kernel.net_mut().create_netns();
        let c = self.containers.find_mut(id.as_str()).ok_or_else(|| NetworkError::NotFound(id.to_string()))?;
        let hosts = hosts::build(&Self::extra_records(&c.net), &[]);
        let resolv = resolv::generate(&host_resolv, Resolver::HostCopy, &c.net.dns);
        if let Err(e) = etc_files::mount_fresh(c, format!("{}\n", c.config.hostname), hosts, resolv) {
            self.kernel.net_mut().remove_netns(ns);
            return Err(e);
        }
        c.net.live = Some(LiveNet { netns: ns, owns_netns: true, published: Vec::new(), link_env: Vec::new() });
        Ok(Joined { netns: ns, hostname: c.config.hostname.clone() })
    }

    /// Legacy links: each linked container must run on the default bridge. Returns the
    /// environment and the `/etc/hosts` records they give.
    fn legacy_links(&self, c: &Container) -> Result<(Vec<String>, Vec<Record>), NetworkError> {
        let (mut env, mut records) = (Vec::new(), Vec::new());
        for link in &c.net.links {
            let Some(child) = self.containers.find(link.child.as_str()) else { continue };
            let link_name = format!("/{}/{}", c.name, link.alias);
            if !child.state.is_running() {
                return Err(NetworkError::Other(format!(
                    "Cannot link to a non running container: /{} AS {link_name}",
                    child.name
                )));
            }
            let bridge = self.networks.by_name("bridge");
            let Some(ep) = bridge.and_then(|b| b.endpoint(&child.id)) else {
                return Err(NetworkError::Other(format!(
                    "Cannot link to /{}, as it does not belong to the default network",
                    child.name
                )));
            };
            let ip = ep.ip.to_string();
            // Docker's `Config.Env` has no HOSTNAME (it is added when a process starts).
            let child_env: Vec<String> =
                child.config.env.iter().filter(|kv| !kv.starts_with("HOSTNAME=")).cloned().collect();
            env.extend(links::env_vars(&link_name, &ip, &child.net.exposed, &child_env));
            records.push(Record::new(ep.ip, hosts::link_hosts(&link.alias, &child.config.hostname, &child.name)));
        }
        Ok((env, records))
    }

    fn join_bridges(&mut self, id: &ContainerId) -> Result<Joined, NetworkError> {
        let c = self.containers.find(id.as_str()).ok_or_else(|| NetworkError::NotFound(id.to_string()))?;
        // Find every network first: a missing one fails the start before anything is made.
        let mut targets: Vec<NetworkId> = Vec::new();
        for ep in &c.net.endpoints {
            let found = match &ep.network {
                Some(nid) => self.networks.by_id(nid).ok_or_else(|| NetworkError::NotFound(ep.target.clone())),
                None => self.networks.find(&ep.target),
            };
            targets.push(found.map_err(NetworkError::setup)?.id.clone());
        }
        let on_bridge = targets.iter().any(|t| self.networks.by_id(t).is_some_and(|n| n.predefined));
        let (link_env, link_records) = if on_bridge { self.legacy_links(c)? } else { (Vec::new(), Vec::new()) };
        let ns = self.kernel.net_mut().create_netns();
        match self.make_endpoints(id, &targets, ns) {
            Ok(published) => {
                let joined = self.finish_join(id, &targets, ns, published, link_env, link_records);
                if joined.is_err() {
                    self.drop_endpoints(id);
                    self.kernel.net_mut().remove_netns(ns);
                    if let Some(c) = self.containers.find_mut(id.as_str()) {
                        c.net.live = None;
                    }
                }
                joined
            }
            Err(e) => {
                self.drop_endpoints(id);
                self.kernel.net_mut().remove_netns(ns);
                Err(e)
            }
        }
    }

    /// Allocates an address on each network, sets the interfaces and publishes the ports.
    fn make_endpoints(
        &mut self,
        id: &ContainerId,
        targets: &[NetworkId],
        ns: NetnsId,
    ) -> Result<Vec<super::ports::Published>, NetworkError> {
        let c = self.containers.find(id.as_str()).ok_or_else(|| NetworkError::NotFound(id.to_string()))?;
        let (name, configs) = (c.name.clone(), c.net.endpoints.clone());
        let wanted = publish::wanted(&c.net.bindings, &c.net.exposed, c.net.publish_all);
        let mut interfaces = Vec::new();
        for (i, (nid, cfg)) in targets.iter().zip(&configs).enumerate() {
            self.networks.endpoint_seq += 1;
            let (ep_id, mac) = endpoint_identity(id, nid, self.networks.endpoint_seq);
            let n = self.networks.by_id_mut(nid).ok_or_else(|| NetworkError::NotFound(cfg.target.clone()))?;
            if n.endpoint(id).is_some() {
                return Err(NetworkError::setup(NetworkError::EndpointExists(name.clone(), n.name.clone())));
            }
            let (n_name, n_id) = (n.name.clone(), n.id.to_string());
            let Some(ipam) = n.ipam.as_mut() else { continue };
            let ip = match cfg.ipv4 {
                Some(ip) => ipam.pool.reserve(ip).map(|_| ip).map_err(|e| match e {
                    IpamError::OutOfRange => {
                        format!("invalid address {ip}: It does not belong to any of this network's subnets")
                    }
                    other => other.to_string(),
                }),
                None => ipam.pool.allocate().map_err(|_| {
                    format!("no available IPv4 addresses on this network's address pools: {n_name} ({n_id})")
                }),
            }
            .map_err(NetworkError::setup)?;
            let prefix_len = ipam.pool.subnet.prefix;
            n.endpoints.push(Endpoint { id: ep_id, container: id.clone(), name: name.clone(), ip, mac });
            interfaces.push(Interface { name: format!("eth{i}"), mac, addr: ip, prefix_len, segment: SegmentId(n_id) });
        }
        // The default route goes through the best network: not internal, then by name.
        let gw_net = targets
            .iter()
            .filter_map(|t| self.networks.by_id(t))
            .filter(|n| n.ipam.is_some())
            .min_by_key(|n| (n.internal, n.name.clone()));
        let gateway = gw_net.filter(|n| !n.internal).and_then(|n| n.ipam.as_ref().map(|i| i.gateway));
        let target = gw_net.filter(|n| !n.internal).and_then(|n| n.endpoint(id).map(|e| (e.ip, e.id.clone())));
        self.kernel.net_mut().set_interfaces(ns, interfaces, gateway).map_err(NetworkError::setup)?;
        let Some((ip, ep_id)) = target else { return Ok(Vec::new()) };
        let stack = self.kernel.net_mut();
        publish::publish(stack, &mut self.networks.last_port, &wanted, Target { netns: ns, ip }).map_err(|e| {
            NetworkError::setup(format!(
                "driver failed programming external connectivity on endpoint {name} ({ep_id}): {e}"
            ))
        })
    }

    /// Writes the `/etc` files, records the state, updates the containers that link to it.
    fn finish_join(
        &mut self,
        id: &ContainerId,
        targets: &[NetworkId],
        ns: NetnsId,
        published: Vec<super::ports::Published>,
        link_env: Vec<String>,
        link_records: Vec<Record>,
    ) -> Result<Joined, NetworkError> {
        let host_resolv = self.host_file(resolv::HOST_RESOLV_CONF);
        let mut nets: Vec<_> = targets.iter().filter_map(|t| self.networks.by_id(t)).collect();
        nets.sort_by_key(|n| (n.internal, n.name.clone()));
        let addrs: Vec<Ipv4Addr> = nets.iter().filter_map(|n| n.endpoint(id).map(|e| e.ip)).collect();
        let resolver = if nets.iter().any(|n| n.is_user_defined()) { Resolver::Internal } else { Resolver::Legacy };
        let bridge_ip = nets.iter().find(|n| n.predefined).and_then(|n| n.endpoint(id)).map(|e| e.ip);
        let c = self.containers.find_mut(id.as_str()).ok_or_else(|| NetworkError::NotFound(id.to_string()))?;
        for (cfg, t) in c.net.endpoints.iter_mut().zip(targets) {
            cfg.network = Some(t.clone());
        }
        let mut extra = Self::extra_records(&c.net);
        extra.extend(link_records);
        let own = hosts::own_records(&addrs, &c.config.hostname, "");
        let (hosts, resolv) = (hosts::build(&extra, &own), resolv::generate(&host_resolv, resolver, &c.net.dns));
        etc_files::mount_fresh(c, format!("{}\n", c.config.hostname), hosts, resolv)?;
        c.net.live = Some(LiveNet { netns: ns, owns_netns: true, published, link_env });
        let hostname = c.config.hostname.clone();
        if let Some(ip) = bridge_ip {
            self.update_link_parents(id, ip);
        }
        Ok(Joined { netns: ns, hostname })
    }

    /// Takes the container's endpoints off every network, giving their addresses back.
    fn drop_endpoints(&mut self, id: &ContainerId) {
        for n in self.networks.iter_mut() {
            let Some(i) = n.endpoints.iter().position(|e| &e.container == id) else { continue };
            let ep = n.endpoints.remove(i);
            if let Some(ipam) = n.ipam.as_mut() {
                ipam.pool.release(ep.ip);
            }
        }
    }

    /// A container stopped (or failed to start): its addresses and ports are given back and its
    /// namespace goes, unless a `container:` sharer still runs in it.
    pub(crate) fn leave_networks(&mut self, id: &ContainerId) {
        let Some(c) = self.containers.find_mut(id.as_str()) else { return };
        let Some(live) = c.net.live.take() else { return };
        self.drop_endpoints(id);
        let ns = live.netns;
        // A namespace lives as long as a container runs in it (its owner or a sharer).
        let shared = self.containers.newest_first().any(|o| &o.id != id && o.net.netns() == Some(ns));
        let stack = self.kernel.net_mut();
        if live.owns_netns {
            stack.unpublish(ns);
        }
        if ns != HOST_NETNS && !shared {
            stack.remove_netns(ns);
        } else if live.owns_netns && shared {
            let _ = stack.set_interfaces(ns, Vec::new(), None);
            let _ = stack.set_dns(ns, None);
        }
        self.refresh_dns();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_identities_differ_and_look_like_dockers() {
        let c = ContainerId::random(&mut crate::platform::SeededEntropy::new(1));
        let n = NetworkId::derived("n");
        let (id1, mac1) = endpoint_identity(&c, &n, 1);
        let (id2, mac2) = endpoint_identity(&c, &n, 2);
        assert_ne!(id1, id2);
        assert_ne!(mac1, mac2);
        assert_eq!(id1.len(), 64);
        assert_eq!(mac1[0] & 0x03, 0x02, "locally administered unicast");
        assert_eq!(mac_string(&[0x02, 0x42, 0xac, 0x11, 0, 2]), "02:42:ac:11:00:02");
    }
}
