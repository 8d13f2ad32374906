//! Who reaches whom: the routing table and the firewall of a Docker host, reduced to rules.
//!
//! - **Loopback** (127.0.0.0/8) never leaves a namespace; neither do its own addresses.
//! - A container reaches the addresses of the **segments** it has an interface on: the other
//!   containers there (the bridge switches between them) and the segment's gateway, which is
//!   the host (its bridge interface, `docker0` or `br-<id>`), unless the segment is `--internal`.
//! - Anything else goes to the container's **default gateway** (its first non-internal
//!   network's): the host answers for its own addresses (every bridge's gateway); Docker's
//!   isolation rules drop what would cross into another segment; there is no internet, so the
//!   host answers "network unreachable" for the rest.
//! - The **host** reaches every container on every segment (a route per bridge).
//! - A namespace without interfaces (`--network none`) has only loopback.
//! - A **published port** (`-p 8080:80`) is a DNAT rule plus Docker's userland proxy: a
//!   connection to one of the host's addresses on that port goes to the container, which sees it
//!   come from its segment's gateway.
//!
//! Errors, as Linux gives them: no route is `ENETUNREACH` at once; an address on an attached
//! subnet that nobody has is `EHOSTUNREACH` once ARP gives up ([`ARP_TIMEOUT_MICROS`]); a packet
//! a firewall drops is never answered, so a TCP connect times out (`ETIMEDOUT`, after
//! [`CONNECT_TIMEOUT_MICROS`], shorter than Linux's two minutes so the page does not hang).

use super::{Config, Interface, NetnsId, Proto, Segment, HOST_NETNS};
use std::net::Ipv4Addr;

/// How long a connect to a host that never answers waits before `ETIMEDOUT` (Linux retries
/// its SYN for about 127 s; 20 s is long enough to see the hang, short enough to wait for).
pub const CONNECT_TIMEOUT_MICROS: u64 = 20_000_000;

/// How long Linux waits for an ARP reply before "No route to host" (3 probes, 1 s apart).
pub const ARP_TIMEOUT_MICROS: u64 = 3_000_000;

/// The loopback interface's name.
pub const LOOPBACK: &str = "lo";

/// Where a packet sent from one namespace to an address ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// It arrives in namespace `ns`. `src` is the sender's address for it (what the receiver
    /// sees); `out` and `into` are the interfaces it leaves and enters by.
    Deliver { ns: NetnsId, src: Ipv4Addr, out: String, into: String },
    /// It leaves (by `out`, from `src`) but a firewall drops it: nobody ever answers.
    Dropped { src: Ipv4Addr, out: String },
    /// The address is on an attached subnet but nobody has it (ARP fails): `EHOSTUNREACH`.
    NoHost,
    /// No route at all: `ENETUNREACH`.
    NoRoute,
    /// Out to the internet (through the host's NAT): one of [`super::Internet`]'s hosts answers.
    Internet { src: Ipv4Addr, out: String },
}

/// Whether `addr` is in `net/prefix`.
pub fn in_subnet(addr: Ipv4Addr, net: Ipv4Addr, prefix: u8) -> bool {
    let mask = mask(prefix);
    u32::from(addr) & mask == u32::from(net) & mask
}

/// The netmask of a prefix length (`24` → 255.255.255.0).
pub fn mask(prefix: u8) -> u32 {
    match prefix {
        0 => 0,
        p if p >= 32 => u32::MAX,
        p => u32::MAX << (32 - u32::from(p)),
    }
}

/// The host's own addresses besides loopback: every segment's gateway (its bridges).
pub fn host_addresses(cfg: &Config) -> impl Iterator<Item = (Ipv4Addr, &Segment)> {
    cfg.segments.values().map(|s| (s.gateway, s))
}

/// The interfaces of `ns` whose segment still exists, as (interface, segment).
fn attached(cfg: &Config, ns: NetnsId) -> Vec<(&Interface, &Segment)> {
    let Some(n) = cfg.namespaces.get(&ns) else {
        return Vec::new();
    };
    n.interfaces.iter().filter_map(|i| cfg.segments.get(&i.segment).map(|s| (i, s))).collect()
}

/// The name of the interface that holds local address `addr` in `ns` (`lo` for loopback).
pub fn local_interface(cfg: &Config, ns: NetnsId, addr: Ipv4Addr) -> Option<String> {
    if addr.is_loopback() || addr.is_unspecified() {
        return Some(LOOPBACK.to_string());
    }
    if ns == HOST_NETNS {
        return host_addresses(cfg).find(|(a, _)| *a == addr).map(|(_, s)| s.bridge_name.clone());
    }
    attached(cfg, ns).into_iter().find(|(i, _)| i.addr == addr).map(|(i, _)| i.name.clone())
}

/// Whether `addr` is one of `ns`'s own addresses (where it can bind and what stays inside).
pub fn is_local(cfg: &Config, ns: NetnsId, addr: Ipv4Addr) -> bool {
    local_interface(cfg, ns, addr).is_some()
}

/// The namespace whose interface on `segment` has `addr`.
fn owner_on<'a>(cfg: &'a Config, segment: &Segment, addr: Ipv4Addr) -> Option<(NetnsId, &'a Interface)> {
    cfg.namespaces
        .iter()
        .find_map(|(id, n)| n.interfaces.iter().find(|i| i.segment == segment.id && i.addr == addr).map(|i| (*id, i)))
}

/// Where a packet from `from` to `dst` goes.
pub fn route(cfg: &Config, from: NetnsId, dst: Ipv4Addr) -> Route {
    if let Some(into) = local_interface(cfg, from, dst) {
        let src = if into == LOOPBACK { Ipv4Addr::LOCALHOST } else { dst };
        return Route::Deliver { ns: from, src, out: into.clone(), into };
    }
    if from == HOST_NETNS {
        return from_host(cfg, dst);
    }
    let attached = attached(cfg, from);
    for (iface, seg) in &attached {
        if !in_subnet(dst, iface.addr, iface.prefix_len) {
            continue;
        }
        let out = iface.name.clone();
        if dst == seg.gateway {
            return if seg.internal {
                Route::Dropped { src: iface.addr, out }
            } else {
                Route::Deliver { ns: HOST_NETNS, src: iface.addr, out, into: seg.bridge_name.clone() }
            };
        }
        return match owner_on(cfg, seg, dst) {
            Some((ns, peer)) => Route::Deliver { ns, src: iface.addr, out, into: peer.name.clone() },
            None => Route::NoHost,
        };
    }
    // The default route: the namespace's gateway, through a segment that leaves the host.
    let gateway = cfg.namespaces.get(&from).and_then(|n| n.gateway);
    let Some((iface, _)) = attached.iter().find(|(_, s)| !s.internal && Some(s.gateway) == gateway) else {
        return Route::NoRoute;
    };
    let (src, out) = (iface.addr, iface.name.clone());
    if let Some((_, seg)) = host_addresses(cfg).find(|(a, _)| *a == dst) {
        return Route::Deliver { ns: HOST_NETNS, src, out, into: seg.bridge_name.clone() };
    }
    if cfg.segments.values().any(|s| in_subnet(dst, s.subnet, s.prefix_len)) {
        // Another network: Docker's isolation rules drop it.
        return Route::Dropped { src, out };
    }
    if cfg.internet.has(dst) {
        return Route::Internet { src, out };
    }
    Route::NoRoute
}

/// The host's routes: one per bridge.
fn from_host(cfg: &Config, dst: Ipv4Addr) -> Route {
    for seg in cfg.segments.values() {
        if !in_subnet(dst, seg.subnet, seg.prefix_len) {
            continue;
        }
        return match owner_on(cfg, seg, dst) {
            Some((ns, iface)) => {
                Route::Deliver { ns, src: seg.gateway, out: seg.bridge_name.clone(), into: iface.name.clone() }
            }
            None => Route::NoHost,
        };
    }
    if cfg.internet.has(dst) {
        return Route::Internet { src: HOST_UPLINK, out: "eth0".into() };
    }
    Route::NoRoute
}

/// The host's own address on its uplink (what the internet sees of it).
pub const HOST_UPLINK: Ipv4Addr = Ipv4Addr::new(10, 0, 2, 15);

/// Where a published port sends a connection (or datagram) that reached the host at
/// `dst:port`: the container's namespace, address and port, and the address it comes from
/// there (the proxy's, on the container's segment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub ns: NetnsId,
    pub ip: Ipv4Addr,
    pub port: u16,
    pub src: Ipv4Addr,
    /// The interfaces it leaves the host by and enters the container by.
    pub out: String,
    pub into: String,
}

/// The published port matching a packet that arrived in the host namespace at `dst:port`.
pub fn forward(cfg: &Config, proto: Proto, dst: Ipv4Addr, port: u16) -> Option<Forward> {
    let m = cfg
        .ports
        .iter()
        .find(|p| p.proto == proto && p.host_port == port && (p.host_ip.is_unspecified() || p.host_ip == dst))?;
    let (seg, iface) = cfg.namespaces.get(&m.target).and_then(|n| {
        n.interfaces.iter().find(|i| i.addr == m.target_ip).and_then(|i| cfg.segments.get(&i.segment).map(|s| (s, i)))
    })?;
    Some(Forward {
        ns: m.target,
        ip: m.target_ip,
        port: m.target_port,
        src: seg.gateway,
        out: seg.bridge_name.clone(),
        into: iface.name.clone(),
    })
}

/// Whether a published port holds `ip:port` in the host namespace (the proxy listens there, so
/// nobody else can bind it).
pub fn port_published(cfg: &Config, proto: Proto, ip: Ipv4Addr, port: u16) -> bool {
    cfg.ports.iter().any(|p| {
        p.proto == proto
            && p.host_port == port
            && (p.host_ip.is_unspecified() || ip.is_unspecified() || p.host_ip == ip)
    })
}
