//! The switch: every socket of every namespace, and what moves between them. Processes reach it
//! through a [`NetHandle`] (the switch and the namespace they live in), which the kernel puts in
//! each process's state, so socket calls run inside the process's own system calls like pipe
//! reads do. Here: opening and binding sockets, ports (ephemeral ones from 32768, `EADDRINUSE`
//! per namespace and address), socket options, the interface counters, and resets. Connections
//! are in `tcp`, datagrams in `udp`.

use super::route;
use super::socket::{NetError, Sock, SockKind, SockRef, SocketFd, State};
use super::{Config, NetnsId, Proto, HOST_NETNS};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::rc::{Rc, Weak};

/// The ephemeral port range (Linux's `ip_local_port_range`).
pub const EPHEMERAL_FIRST: u16 = 32768;
pub const EPHEMERAL_LAST: u16 = 60999;

/// The first socket inode number.
const FIRST_INODE: u64 = 20_000;

/// Traffic through one interface, as `/proc/net/dev` counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub rx_bytes: u64,
    pub rx_packets: u64,
    pub tx_bytes: u64,
    pub tx_packets: u64,
}

#[derive(Debug)]
pub(crate) struct SwitchState {
    pub config: Config,
    sockets: BTreeMap<u64, Weak<RefCell<Sock>>>,
    next_inode: u64,
    next_port: BTreeMap<(NetnsId, SockKind), u16>,
    /// Round-robin turns of the embedded DNS server, by (namespace, name).
    pub dns_turns: BTreeMap<(NetnsId, String), usize>,
    pub counters: BTreeMap<(NetnsId, String), Counters>,
}

/// The shared switch (clones are the same switch).
#[derive(Debug, Clone)]
pub struct Switch(pub(crate) Rc<RefCell<SwitchState>>);

impl Switch {
    pub fn new(config: Config) -> Self {
        Switch(Rc::new(RefCell::new(SwitchState {
            config,
            sockets: BTreeMap::new(),
            next_inode: FIRST_INODE,
            next_port: BTreeMap::new(),
            dns_turns: BTreeMap::new(),
            counters: BTreeMap::new(),
        })))
    }

    pub fn set_config(&self, config: Config) {
        self.0.borrow_mut().config = config;
    }

    /// Every live socket (dropping the registry's dead entries).
    pub(crate) fn sockets(&self) -> Vec<SockRef> {
        let mut st = self.0.borrow_mut();
        st.sockets.retain(|_, w| w.strong_count() > 0);
        st.sockets.values().filter_map(Weak::upgrade).collect()
    }

    /// Resets every socket of namespace `ns`.
    pub fn reset_netns(&self, ns: NetnsId) {
        for s in self.sockets() {
            if let Ok(mut s) = s.try_borrow_mut() {
                if s.ns == ns {
                    s.reset();
                }
            }
        }
        let mut st = self.0.borrow_mut();
        st.counters.retain(|(n, _), _| *n != ns);
        st.dns_turns.retain(|(n, _), _| *n != ns);
    }

    /// Resets the sockets of `ns` bound to an address it no longer has.
    pub fn reset_lost_addresses(&self, ns: NetnsId) {
        let config = self.0.borrow().config.clone();
        for s in self.sockets() {
            if let Ok(mut s) = s.try_borrow_mut() {
                let lost = s.local.is_some_and(|a| !a.ip().is_unspecified() && !route::is_local(&config, ns, *a.ip()));
                if s.ns == ns && lost {
                    s.reset();
                }
            }
        }
    }
}

/// A process's way into the switch: the switch and its namespace.
#[derive(Debug, Clone)]
pub struct NetHandle {
    pub(crate) switch: Switch,
    pub ns: NetnsId,
}

impl NetHandle {
    pub fn new(switch: Switch, ns: NetnsId) -> Self {
        NetHandle { switch, ns }
    }

    /// A handle on a switch of its own, with only the host namespace (processes not started
    /// by a kernel, tests).
    pub fn detached() -> Self {
        let mut config = Config::default();
        config.namespaces.insert(HOST_NETNS, super::Netns::default());
        NetHandle::new(Switch::new(config), HOST_NETNS)
    }

    /// The same switch seen from namespace `ns`.
    pub fn with_ns(&self, ns: NetnsId) -> Self {
        NetHandle { switch: self.switch.clone(), ns }
    }

    /// The description the switch routes by, as it is now.
    pub(crate) fn config(&self) -> std::cell::Ref<'_, Config> {
        std::cell::Ref::map(self.switch.0.borrow(), |s| &s.config)
    }

    /// `socket(AF_INET, type, 0)`: a new socket in the handle's namespace.
    pub fn open(&self, kind: SockKind) -> SocketFd {
        SocketFd::new(self.register(Sock::new(0, self.ns, kind)))
    }

    /// Gives `sock` an inode number and puts it in the registry.
    pub(crate) fn register(&self, mut sock: Sock) -> SockRef {
        let mut st = self.switch.0.borrow_mut();
        let inode = st.next_inode;
        st.next_inode += 1;
        sock.inode = inode;
        let rc = Rc::new(RefCell::new(sock));
        st.sockets.insert(inode, Rc::downgrade(&rc));
        rc
    }

    /// Whether binding `ip:port` for `kind` in `ns` clashes with a socket other than `me`.
    fn in_use(&self, me: &SockRef, ns: NetnsId, kind: SockKind, ip: Ipv4Addr, port: u16, reuse: bool) -> bool {
        let proto = match kind {
            SockKind::Tcp => Proto::Tcp,
            SockKind::Udp => Proto::Udp,
        };
        if ns == HOST_NETNS && route::port_published(&self.config(), proto, ip, port) {
            return true;
        }
        self.switch.sockets().iter().filter(|s| !Rc::ptr_eq(s, me)).any(|s| {
            let Ok(s) = s.try_borrow() else { return false };
            let Some(local) = s.local.filter(|_| s.binds() && s.ns == ns && s.kind == kind) else {
                return false;
            };
            let overlap =
                local.port() == port && (*local.ip() == ip || local.ip().is_unspecified() || ip.is_unspecified());
            // SO_REUSEADDR on both: Linux lets a TCP socket bind beside one that is not
            // listening, and UDP sockets share the address.
            let shared =
                reuse && s.opts.reuse_addr && (kind == SockKind::Udp || !matches!(s.state, State::Listening { .. }));
            overlap && !shared
        })
    }

    /// A free ephemeral port for `kind` in `ns`.
    fn ephemeral(&self, me: &SockRef, ns: NetnsId, kind: SockKind) -> Result<u16, NetError> {
        let range = u32::from(EPHEMERAL_LAST - EPHEMERAL_FIRST) + 1;
        for _ in 0..range {
            let port = {
                let mut st = self.switch.0.borrow_mut();
                let next = st.next_port.entry((ns, kind)).or_insert(EPHEMERAL_FIRST);
                let port = *next;
                *next = if port >= EPHEMERAL_LAST { EPHEMERAL_FIRST } else { port + 1 };
                port
            };
            if !self.in_use(me, ns, kind, Ipv4Addr::UNSPECIFIED, port, false) {
                return Ok(port);
            }
        }
        Err(NetError::AddrInUse)
    }

    /// `bind(addr)`: port 0 picks an ephemeral port; the address must be the namespace's own
    /// (or 0.0.0.0).
    pub fn bind(&self, sock: &SockRef, addr: SocketAddrV4) -> Result<(), NetError> {
        let (ns, kind, bound, reuse) = {
            let s = sock.borrow();
            (s.ns, s.kind, s.local.is_some(), s.opts.reuse_addr)
        };
        if bound || matches!(sock.borrow().state, State::Closed) {
            return Err(NetError::Inval);
        }
        let ip = *addr.ip();
        if !ip.is_unspecified() && !route::is_local(&self.config(), ns, ip) {
            return Err(NetError::AddrNotAvail);
        }
        let port = match addr.port() {
            0 => self.ephemeral(sock, ns, kind)?,
            p if self.in_use(sock, ns, kind, ip, p, reuse) => return Err(NetError::AddrInUse),
            p => p,
        };
        sock.borrow_mut().local = Some(SocketAddrV4::new(ip, port));
        Ok(())
    }

    /// Binds an unbound socket to `src` and an ephemeral port (what `connect` and a first
    /// `sendto` do); a socket bound to 0.0.0.0 takes `src` as its address once connected.
    pub(crate) fn autobind(&self, sock: &SockRef, src: Ipv4Addr, connecting: bool) -> Result<SocketAddrV4, NetError> {
        let local = sock.borrow().local;
        match local {
            Some(l) if connecting && l.ip().is_unspecified() => {
                let l = SocketAddrV4::new(src, l.port());
                sock.borrow_mut().local = Some(l);
                Ok(l)
            }
            Some(l) => Ok(l),
            None => {
                let (ns, kind) = {
                    let s = sock.borrow();
                    (s.ns, s.kind)
                };
                let port = self.ephemeral(sock, ns, kind)?;
                let ip = if connecting { src } else { Ipv4Addr::UNSPECIFIED };
                let l = SocketAddrV4::new(ip, port);
                sock.borrow_mut().local = Some(l);
                Ok(l)
            }
        }
    }

    /// `getsockname`: 0.0.0.0:0 when unbound, as Linux says.
    pub fn local_addr(&self, sock: &SockRef) -> SocketAddrV4 {
        sock.borrow().local.unwrap_or(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))
    }

    /// `getpeername`: `ENOTCONN` unless connected.
    pub fn peer_addr(&self, sock: &SockRef) -> Result<SocketAddrV4, NetError> {
        sock.borrow().peer().ok_or(NetError::NotConn)
    }

    /// Counts `bytes` (one packet) going out of `out` and into `into`.
    pub(crate) fn count(&self, out: &(NetnsId, String), into: &(NetnsId, String), bytes: usize) {
        let mut st = self.switch.0.borrow_mut();
        let tx = st.counters.entry(out.clone()).or_default();
        tx.tx_bytes += bytes as u64;
        tx.tx_packets += 1;
        let rx = st.counters.entry(into.clone()).or_default();
        rx.rx_bytes += bytes as u64;
        rx.rx_packets += 1;
    }

    /// The traffic counters of one interface of this namespace.
    pub fn counters(&self, ifname: &str) -> Counters {
        self.switch.0.borrow().counters.get(&(self.ns, ifname.to_string())).copied().unwrap_or_default()
    }

    /// The live sockets of this namespace (for `/proc/net/tcp` and `/proc/net/udp`).
    pub fn namespace_sockets(&self) -> Vec<SockRef> {
        self.switch.sockets().into_iter().filter(|s| s.try_borrow().is_ok_and(|s| s.ns == self.ns)).collect()
    }
}
