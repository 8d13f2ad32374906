//! The network stack the processes see: network namespaces, interfaces, and (in submodules) the
//! sockets and the switch between them.
//!
//! A **namespace** ([`NetnsId`]) is what a process's network looks like from inside: its loopback
//! (`lo`, 127.0.0.1) and its interfaces. The host is namespace [`HOST_NETNS`]; each container has
//! its own, except `--network host` (the host's) and `--network container:x` (x's).
//! A **segment** ([`Segment`]) is one Docker network's virtual switch: interfaces on the same
//! segment reach each other, and the host reaches every segment through the segment's gateway
//! address (its bridge interface: `docker0`, `br-<id>`). An `--internal` segment does not route to
//! the outside; nothing routes between two segments.
//!
//! The daemon describes the wanted state with the setters below ([`NetStack`]); the socket layer
//! reads it. This module keeps that description; it does not decide anything about Docker
//! networks. The live part is in the submodules:
//!
//! - [`route`]: who reaches whom (the switch's rules: loopback, segments, the host's routes,
//!   published ports);
//! - [`switch`]: the sockets of every namespace and the traffic between them ([`NetHandle`]);
//! - [`socket`], [`stream`]: one socket, one direction of a TCP connection;
//! - [`dns`]: the embedded DNS server's answers; [`icmp`]: `ping`;
//! - [`view`]: what `/proc/net` and `/sys/class/net` show of a namespace.

pub mod dns;
pub mod icmp;
pub mod route;
pub mod socket;
pub mod stream;
pub mod switch;
mod tcp;
mod udp;
pub mod view;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_tcp;

pub use socket::{NetError, SockKind, SocketFd};
pub use switch::NetHandle;

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::rc::Rc;

/// A network namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NetnsId(pub u32);

/// The host's namespace: where the learner's shell runs and published ports listen.
pub const HOST_NETNS: NetnsId = NetnsId(0);

/// The address of the embedded DNS server inside namespaces that have a [`DnsTable`].
pub const EMBEDDED_DNS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 11);

/// The host's resolver, a local stub as on Ubuntu (systemd-resolved): the host's
/// `/etc/resolv.conf` names it, and it answers in the host's namespace with the internet's names.
pub const HOST_STUB_RESOLVER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 53);

/// A segment's identity: the Docker network's full id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(pub String);

/// One Docker network's switch, as the stack needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: SegmentId,
    /// The host's interface on this segment (`docker0`, `br-0123456789ab`).
    pub bridge_name: String,
    pub subnet: Ipv4Addr,
    pub prefix_len: u8,
    /// The host's address on this segment (the containers' default gateway).
    pub gateway: Ipv4Addr,
    /// `--internal`: no route to the host beyond the segment, no published ports.
    pub internal: bool,
}

/// An interface inside a namespace (besides `lo`, which every namespace has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// `eth0`, `eth1`... in the order the container joined its networks.
    pub name: String,
    pub mac: [u8; 6],
    pub addr: Ipv4Addr,
    pub prefix_len: u8,
    pub segment: SegmentId,
}

/// The names the embedded DNS server answers in one namespace: lower-case names without the
/// final dot, each with its addresses in the order to return them (the responder rotates them
/// for round-robin). Any other name gets NXDOMAIN.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DnsTable {
    pub records: BTreeMap<String, Vec<Ipv4Addr>>,
}

/// The transport protocol of a published port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Proto {
    Tcp,
    Udp,
}

/// A published port: connections to `host_ip:host_port` in the host namespace (and on the
/// segments' gateway addresses) go to `target_ip:target_port` in `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortMapping {
    /// 0.0.0.0 means every host address.
    pub host_ip: Ipv4Addr,
    pub host_port: u16,
    pub proto: Proto,
    pub target: NetnsId,
    pub target_ip: Ipv4Addr,
    pub target_port: u16,
}

/// Why the stack refused a change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StackError {
    /// Docker: `Bind for 0.0.0.0:8080 failed: port is already allocated`.
    #[error("Bind for {0}:{1} failed: port is already allocated")]
    PortAllocated(Ipv4Addr, u16),
    #[error("no such network namespace")]
    NoSuchNetns,
}

/// What one namespace has.
#[derive(Debug, Clone, Default)]
pub struct Netns {
    pub interfaces: Vec<Interface>,
    /// The default route's gateway (the first network's gateway), if any.
    pub gateway: Option<Ipv4Addr>,
    /// Shared: the switch keeps a copy of the whole description, remade at each change.
    pub dns: Option<Rc<DnsTable>>,
    /// The number the next `ethN` gets: as libnetwork's `nextIfIndex`, it only grows while the
    /// namespace lives, so a network joined again after a disconnect comes back as a new name.
    pub next_eth: u32,
}

/// The world beyond the Docker host, as far as the playground has one: public DNS resolvers
/// (`8.8.8.8`), the names they know, and the web servers the engine itself answers for (the
/// distributions' package mirrors, see [`crate::network::mirror`]). Containers reach it through
/// their default gateway (not from `--internal` networks or `--network none`); the host
/// reaches it directly. Anything else out there is unreachable.
#[derive(Debug, Clone, Default)]
pub struct Internet {
    /// Public DNS servers: UDP and TCP port 53 there answer from `names`.
    pub resolvers: Vec<Ipv4Addr>,
    /// The public names (the embedded DNS server forwards other names here, as Docker's does).
    pub names: DnsTable,
    /// Addresses whose TCP port 80 the engine serves ([`socket::Service::Web`]).
    pub web: Vec<Ipv4Addr>,
}

impl Internet {
    /// Whether `addr` is one of the internet's hosts.
    pub fn has(&self, addr: Ipv4Addr) -> bool {
        self.resolvers.contains(&addr) || self.web.contains(&addr)
    }
}

/// The wanted state, as the daemon described it: what the switch routes by.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub namespaces: BTreeMap<NetnsId, Netns>,
    pub segments: BTreeMap<SegmentId, Segment>,
    pub ports: Vec<PortMapping>,
    pub internet: Internet,
}

/// The whole network world: the description ([`Config`]) and the live sockets ([`switch`]).
/// Each setter hands the switch a fresh copy of the description, so connections made from then
/// on follow it; removing a namespace resets its connections.
#[derive(Debug)]
pub struct NetStack {
    config: Config,
    switch: switch::Switch,
    next_netns: u32,
}

impl Default for NetStack {
    fn default() -> Self {
        Self::new()
    }
}

impl NetStack {
    /// A stack with only the host namespace (loopback, and one bridge interface per segment).
    pub fn new() -> Self {
        let mut config = Config::default();
        config.namespaces.insert(HOST_NETNS, Netns::default());
        let switch = switch::Switch::new(config.clone());
        Self { config, switch, next_netns: 1 }
    }

    /// Hands the switch the current description.
    fn sync(&mut self) {
        self.switch.set_config(self.config.clone());
    }

    /// A handle on the sockets as namespace `ns` sees them (what a process holds).
    pub fn handle(&self, ns: NetnsId) -> NetHandle {
        NetHandle::new(self.switch.clone(), ns)
    }

    /// The description the switch routes by.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A new namespace with only its loopback interface.
    pub fn create_netns(&mut self) -> NetnsId {
        let id = NetnsId(self.next_netns);
        self.next_netns += 1;
        self.config.namespaces.insert(id, Netns::default());
        self.sync();
        id
    }

    /// Removes a namespace and the ports published to it. Its connections are reset: their
    /// peers read `ECONNRESET`.
    pub fn remove_netns(&mut self, ns: NetnsId) {
        if ns != HOST_NETNS {
            self.config.namespaces.remove(&ns);
            self.config.ports.retain(|p| p.target != ns);
            self.sync();
            self.switch.reset_netns(ns);
        }
    }

    pub fn netns(&self, ns: NetnsId) -> Option<&Netns> {
        self.config.namespaces.get(&ns)
    }

    /// Adds or replaces a segment.
    pub fn set_segment(&mut self, segment: Segment) {
        self.config.segments.insert(segment.id.clone(), segment);
        self.sync();
    }

    pub fn remove_segment(&mut self, id: &SegmentId) {
        self.config.segments.remove(id);
        self.sync();
    }

    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.config.segments.values()
    }

    pub fn segment(&self, id: &SegmentId) -> Option<&Segment> {
        self.config.segments.get(id)
    }

    /// Sets a namespace's interfaces (besides `lo`) and default gateway.
    pub fn set_interfaces(
        &mut self,
        ns: NetnsId,
        interfaces: Vec<Interface>,
        gateway: Option<Ipv4Addr>,
    ) -> Result<(), StackError> {
        let n = self.config.namespaces.get_mut(&ns).ok_or(StackError::NoSuchNetns)?;
        let past = interfaces.iter().filter_map(|i| i.name.strip_prefix("eth")?.parse::<u32>().ok()).max();
        n.next_eth = n.next_eth.max(past.map_or(0, |i| i + 1));
        n.interfaces = interfaces;
        n.gateway = gateway;
        self.sync();
        // Sockets bound to an address the namespace no longer has lose their connections.
        self.switch.reset_lost_addresses(ns);
        Ok(())
    }

    /// Describes the internet beyond the host (see [`Internet`]).
    pub fn set_internet(&mut self, internet: Internet) {
        self.config.internet = internet;
        self.sync();
    }

    /// The open connections to the internet's web servers, as (what the client sent, where the
    /// answers go): the daemon plays those servers.
    pub fn web_connections(&self) -> Vec<(stream::Stream, stream::Stream)> {
        self.switch
            .sockets()
            .into_iter()
            .filter_map(|s| {
                let b = s.try_borrow().ok()?;
                match &b.state {
                    socket::State::Connected(c) if c.service == Some(socket::Service::Web) => {
                        Some((c.tx.clone(), c.rx.clone()))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// Turns the embedded DNS server at [`EMBEDDED_DNS`] on (with these names) or off.
    pub fn set_dns(&mut self, ns: NetnsId, table: Option<DnsTable>) -> Result<(), StackError> {
        let n = self.config.namespaces.get_mut(&ns).ok_or(StackError::NoSuchNetns)?;
        n.dns = table.map(Rc::new);
        self.sync();
        Ok(())
    }

    /// [`Self::set_dns`] for many namespaces at once (the switch learns them in one go); the
    /// namespaces that are gone are left out.
    pub fn set_dns_tables(&mut self, tables: impl IntoIterator<Item = (NetnsId, Option<DnsTable>)>) {
        for (ns, table) in tables {
            if let Some(n) = self.config.namespaces.get_mut(&ns) {
                n.dns = table.map(Rc::new);
            }
        }
        self.sync();
    }

    /// Publishes a port; fails like Docker when the host port is taken.
    pub fn publish(&mut self, mapping: PortMapping) -> Result<(), StackError> {
        let clash = self.config.ports.iter().any(|p| {
            p.proto == mapping.proto
                && p.host_port == mapping.host_port
                && (p.host_ip == mapping.host_ip || p.host_ip.is_unspecified() || mapping.host_ip.is_unspecified())
        });
        if clash {
            return Err(StackError::PortAllocated(mapping.host_ip, mapping.host_port));
        }
        self.config.ports.push(mapping);
        self.sync();
        Ok(())
    }

    /// Removes every port published to `ns`.
    pub fn unpublish(&mut self, ns: NetnsId) {
        self.config.ports.retain(|p| p.target != ns);
        self.sync();
    }

    pub fn ports(&self) -> &[PortMapping] {
        &self.config.ports
    }
}
