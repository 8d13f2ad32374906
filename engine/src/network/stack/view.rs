//! A namespace as `ip addr`, `ip route` and `netstat` see it: its interfaces (loopback first;
//! in a container `eth0`, `eth1`... in the order it joined its networks; on the host one bridge
//! per network, `docker0` first), its routes (in address order, as the kernel's table lists
//! them), and its sockets with their Linux TCP states. The process layer prints these in
//! `/proc/net` and `/sys/class/net`.

use super::route::{self, mask};
use super::socket::{SockKind, State};
use super::switch::{Counters, NetHandle};
use super::HOST_NETNS;
use std::net::{Ipv4Addr, SocketAddrV4};

/// One interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfaceInfo {
    pub name: String,
    pub index: u32,
    pub mac: [u8; 6],
    pub addr: Ipv4Addr,
    pub prefix_len: u8,
    pub mtu: u32,
    /// Carrier: loopback and a container's interfaces always; a bridge when a container is on it.
    pub up: bool,
    pub loopback: bool,
    pub counters: Counters,
}

/// One route of the main table (`/proc/net/route`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub iface: String,
    pub destination: Ipv4Addr,
    pub gateway: Ipv4Addr,
    pub prefix_len: u8,
}

impl RouteInfo {
    /// `RTF_UP`, plus `RTF_GATEWAY` for a route through a gateway.
    pub fn flags(&self) -> u16 {
        if self.gateway.is_unspecified() {
            1
        } else {
            3
        }
    }

    pub fn mask(&self) -> Ipv4Addr {
        Ipv4Addr::from(mask(self.prefix_len))
    }
}

/// Linux's TCP states, as `/proc/net/tcp` numbers them.
pub mod tcp_state {
    pub const ESTABLISHED: u8 = 0x01;
    pub const SYN_SENT: u8 = 0x02;
    pub const FIN_WAIT2: u8 = 0x05;
    pub const CLOSE: u8 = 0x07;
    pub const CLOSE_WAIT: u8 = 0x08;
    pub const LAST_ACK: u8 = 0x09;
    pub const LISTEN: u8 = 0x0A;
}

/// One socket (`/proc/net/tcp`, `/proc/net/udp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SockInfo {
    pub kind: SockKind,
    pub local: SocketAddrV4,
    pub remote: SocketAddrV4,
    pub state: u8,
    /// Bytes sent and not yet read by the peer; bytes received and not yet read.
    pub tx_queue: u64,
    pub rx_queue: u64,
    pub inode: u64,
}

/// A bridge's MAC address: Docker's `02:42` prefix and four bytes of the network's id.
fn bridge_mac(id: &str) -> [u8; 6] {
    let hash = id.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    let [a, b, c, d] = hash.to_be_bytes();
    [0x02, 0x42, a, b, c, d]
}

impl NetHandle {
    /// The namespace's interfaces.
    pub fn interfaces(&self) -> Vec<IfaceInfo> {
        let cfg = self.config().clone();
        let mut out = vec![IfaceInfo {
            name: route::LOOPBACK.to_string(),
            index: 1,
            mac: [0; 6],
            addr: Ipv4Addr::LOCALHOST,
            prefix_len: 8,
            mtu: 65536,
            up: true,
            loopback: true,
            counters: self.counters(route::LOOPBACK),
        }];
        if self.ns == HOST_NETNS {
            let mut bridges: Vec<_> = cfg.segments.values().collect();
            bridges.sort_by_key(|s| (s.bridge_name != "docker0", s.bridge_name.clone()));
            for s in bridges {
                let used = cfg.namespaces.values().any(|n| n.interfaces.iter().any(|i| i.segment == s.id));
                out.push(IfaceInfo {
                    name: s.bridge_name.clone(),
                    index: out.len() as u32 + 1,
                    mac: bridge_mac(&s.id.0),
                    addr: s.gateway,
                    prefix_len: s.prefix_len,
                    mtu: 1500,
                    up: used,
                    loopback: false,
                    counters: self.counters(&s.bridge_name),
                });
            }
        } else if let Some(n) = cfg.namespaces.get(&self.ns) {
            for i in &n.interfaces {
                out.push(IfaceInfo {
                    name: i.name.clone(),
                    index: out.len() as u32 + 1,
                    mac: i.mac,
                    addr: i.addr,
                    prefix_len: i.prefix_len,
                    mtu: 1500,
                    up: true,
                    loopback: false,
                    counters: self.counters(&i.name),
                });
            }
        }
        out
    }

    /// The main routing table: the default route first, then one per attached subnet.
    pub fn routes(&self) -> Vec<RouteInfo> {
        let cfg = self.config().clone();
        let mut out = Vec::new();
        let subnet = |addr: Ipv4Addr, prefix: u8| Ipv4Addr::from(u32::from(addr) & mask(prefix));
        if self.ns == HOST_NETNS {
            for s in cfg.segments.values() {
                out.push(RouteInfo {
                    iface: s.bridge_name.clone(),
                    destination: subnet(s.subnet, s.prefix_len),
                    gateway: Ipv4Addr::UNSPECIFIED,
                    prefix_len: s.prefix_len,
                });
            }
            out.sort_by_key(|r| (r.destination, r.prefix_len));
            return out;
        }
        let Some(n) = cfg.namespaces.get(&self.ns) else { return out };
        let attached: Vec<_> =
            n.interfaces.iter().filter_map(|i| cfg.segments.get(&i.segment).map(|s| (i, s))).collect();
        if let Some(gw) = n.gateway {
            if let Some((i, _)) = attached.iter().find(|(_, s)| !s.internal && s.gateway == gw) {
                out.push(RouteInfo {
                    iface: i.name.clone(),
                    destination: Ipv4Addr::UNSPECIFIED,
                    gateway: gw,
                    prefix_len: 0,
                });
            }
        }
        let mut links: Vec<RouteInfo> = attached
            .iter()
            .map(|(i, _)| RouteInfo {
                iface: i.name.clone(),
                destination: subnet(i.addr, i.prefix_len),
                gateway: Ipv4Addr::UNSPECIFIED,
                prefix_len: i.prefix_len,
            })
            .collect();
        // The kernel lists its main table in address order (the default route first), whatever
        // the order the networks were joined in.
        links.sort_by_key(|r| (r.destination, r.prefix_len));
        out.extend(links);
        out
    }

    /// The namespace's sockets of one kind, by inode.
    pub fn socket_table(&self, kind: SockKind) -> Vec<SockInfo> {
        let zero = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0);
        let mut out: Vec<SockInfo> = self
            .namespace_sockets()
            .iter()
            .filter_map(|s| {
                let s = s.try_borrow().ok()?;
                if s.kind != kind {
                    return None;
                }
                let local = s.local.unwrap_or(zero);
                let (state, remote, tx, rx) = match &s.state {
                    State::Closed => return None,
                    State::Idle if s.local.is_none() => return None,
                    State::Idle => (tcp_state::CLOSE, zero, 0, 0),
                    State::Listening { queue, .. } => (tcp_state::LISTEN, zero, 0, queue.len() as u64),
                    State::Connecting { dst, .. } => (tcp_state::SYN_SENT, *dst, 0, 0),
                    State::Connected(c) => {
                        let state = match (c.tx.finished(), c.rx.finished()) {
                            (false, false) => tcp_state::ESTABLISHED,
                            (false, true) => tcp_state::CLOSE_WAIT,
                            (true, false) => tcp_state::FIN_WAIT2,
                            (true, true) => tcp_state::LAST_ACK,
                        };
                        (state, c.peer, c.tx.len() as u64, c.rx.len() as u64)
                    }
                    State::Udp { peer, bytes, .. } => {
                        let state = if peer.is_some() { tcp_state::ESTABLISHED } else { tcp_state::CLOSE };
                        (state, peer.unwrap_or(zero), 0, *bytes as u64)
                    }
                };
                Some(SockInfo { kind, local, remote, state, tx_queue: tx, rx_queue: rx, inode: s.inode })
            })
            .collect();
        out.sort_by_key(|s| s.inode);
        out
    }
}
