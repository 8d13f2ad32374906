//! UDP: datagrams go one at a time to the socket bound at their destination (in the namespace
//! the route leads to, after a published port's DNAT), or nowhere: a datagram nobody receives is
//! lost, and a connected sender hears of it (`ECONNREFUSED` on its next call, Linux's answer to
//! the ICMP "port unreachable"). Datagrams to the embedded DNS server (127.0.0.11:53) are
//! answered by the engine at once.

use super::route::{self, Route};
use super::socket::{Datagram, Fail, NetError, SockKind, SockRef, State, UDP_MAX_PAYLOAD, UDP_QUEUE_BYTES};
use super::switch::NetHandle;
use super::tcp::DNS_PORT;
use super::{dns, DnsTable, NetnsId, Proto, EMBEDDED_DNS, HOST_NETNS, HOST_STUB_RESOLVER};
use std::net::{Ipv4Addr, SocketAddrV4};

impl NetHandle {
    /// `connect` on a UDP socket: sets the default peer (0.0.0.0:0 removes it).
    pub(crate) fn udp_connect(&self, sock: &SockRef, dst: SocketAddrV4) -> Result<(), NetError> {
        if dst.ip().is_unspecified() && dst.port() == 0 {
            if let State::Udp { peer, .. } = &mut sock.borrow_mut().state {
                *peer = None;
            }
            return Ok(());
        }
        let ns = sock.borrow().ns;
        let src = if *dst.ip() == EMBEDDED_DNS {
            Ipv4Addr::LOCALHOST
        } else {
            match route::route(&self.config(), ns, *dst.ip()) {
                Route::NoRoute => return Err(NetError::NetUnreach),
                Route::Deliver { src, .. } | Route::Dropped { src, .. } | Route::Internet { src, .. } => src,
                Route::NoHost => Ipv4Addr::UNSPECIFIED,
            }
        };
        self.autobind(sock, src, !src.is_unspecified())?;
        if let State::Udp { peer, .. } = &mut sock.borrow_mut().state {
            *peer = Some(dst);
        }
        Ok(())
    }

    /// `sendto`: one datagram to `dst` (or to the connected peer). TCP sockets send on their
    /// connection.
    pub fn send_to(&self, sock: &SockRef, data: &[u8], dst: Option<SocketAddrV4>) -> Result<usize, Fail> {
        let (kind, ns, peer) = {
            let s = sock.borrow();
            (s.kind, s.ns, s.peer())
        };
        if kind == SockKind::Tcp {
            return self.send(sock, data);
        }
        if matches!(sock.borrow().state, State::Closed) {
            return Err(NetError::Pipe.into());
        }
        let dst = dst.or(peer).ok_or(NetError::DestAddrReq)?;
        if data.len() > UDP_MAX_PAYLOAD {
            return Err(NetError::MsgSize.into());
        }
        let cfg = self.config().clone();
        let has_dns = cfg.namespaces.get(&ns).is_some_and(|n| n.dns.is_some());
        if *dst.ip() == EMBEDDED_DNS && dst.port() == DNS_PORT && has_dns {
            self.autobind(sock, Ipv4Addr::UNSPECIFIED, false)?;
            let lo = (ns, route::LOOPBACK.to_string());
            self.count(&lo, &lo, data.len());
            if let Some(reply) = self.with_ns(ns).dns_reply(data) {
                self.count(&lo, &lo, reply.len());
                deliver(sock, Datagram { src: dst, data: reply });
            }
            return Ok(data.len());
        }
        if ns == HOST_NETNS && *dst.ip() == HOST_STUB_RESOLVER && dst.port() == DNS_PORT {
            // The host's own resolver (systemd-resolved's stub): the internet's names, for the
            // host's programs and `--network host` containers, which share its resolv.conf.
            self.autobind(sock, Ipv4Addr::LOCALHOST, false)?;
            let lo = (ns, route::LOOPBACK.to_string());
            self.count(&lo, &lo, data.len());
            if let Some(reply) = self.public_dns_reply(data) {
                self.count(&lo, &lo, reply.len());
                deliver(sock, Datagram { src: dst, data: reply });
            }
            return Ok(data.len());
        }
        let (tns, src, out, into) = match route::route(&cfg, ns, *dst.ip()) {
            Route::NoRoute => return Err(NetError::NetUnreach.into()),
            // Sent, and lost: nobody has that address, or a firewall drops it.
            Route::NoHost => return Ok(data.len()),
            Route::Dropped { src, .. } => {
                self.autobind(sock, src, false)?;
                return Ok(data.len());
            }
            Route::Internet { src, .. } => {
                // A public DNS server answers; anything else out there is lost.
                self.autobind(sock, src, false)?;
                if dst.port() == DNS_PORT && cfg.internet.resolvers.contains(dst.ip()) {
                    if let Some(reply) = self.public_dns_reply(data) {
                        deliver(sock, Datagram { src: dst, data: reply });
                    }
                }
                return Ok(data.len());
            }
            Route::Deliver { ns, src, out, into } => (ns, src, out, into),
        };
        let local = self.autobind(sock, src, false)?;
        let from_ip = if local.ip().is_unspecified() { src } else { *local.ip() };
        let mut from = SocketAddrV4::new(from_ip, local.port());
        let (mut tns, mut at, mut into) = (tns, dst, into);
        if tns == HOST_NETNS {
            if let Some(f) = route::forward(&cfg, Proto::Udp, *dst.ip(), dst.port()) {
                (tns, at, into) = (f.ns, SocketAddrV4::new(f.ip, f.port), f.into);
                from = SocketAddrV4::new(f.src, local.port());
            }
        }
        self.count(&(ns, out), &(tns, into), data.len());
        match self.find_receiver(tns, at, from) {
            Some(target) => deliver(&target, Datagram { src: from, data: data.to_vec() }),
            None if peer.is_some() => sock.borrow_mut().error = Some(NetError::ConnRefused),
            None => {}
        }
        Ok(data.len())
    }

    /// The UDP socket of `ns` that receives what is sent to `at` from `from`.
    fn find_receiver(&self, ns: NetnsId, at: SocketAddrV4, from: SocketAddrV4) -> Option<SockRef> {
        let mut wildcard = None;
        for s in self.switch.sockets() {
            let Ok(b) = s.try_borrow() else { continue };
            let (Some(local), State::Udp { peer, .. }) = (b.local, &b.state) else { continue };
            if b.ns != ns || local.port() != at.port() || peer.is_some_and(|p| p != from) {
                continue;
            }
            if *local.ip() == *at.ip() {
                drop(b);
                return Some(s);
            }
            if local.ip().is_unspecified() && wildcard.is_none() {
                drop(b);
                wildcard = Some(s);
            }
        }
        wildcard
    }

    /// `recvfrom`: the next datagram (cut to `max` bytes: the rest is lost, `truncated` says
    /// so) and who sent it. TCP sockets read their stream and name their peer.
    pub fn recv_from(&self, sock: &SockRef, max: usize, peek: bool) -> Result<(Vec<u8>, SocketAddrV4, bool), Fail> {
        if sock.borrow().kind == SockKind::Tcp {
            let data = self.recv(sock, max, peek)?;
            let peer = sock.borrow().peer().unwrap_or(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
            return Ok((data, peer, false));
        }
        let mut s = sock.borrow_mut();
        if let Some(e) = s.error.take() {
            return Err(e.into());
        }
        let State::Udp { queue, bytes, .. } = &mut s.state else {
            return Err(NetError::NotConn.into());
        };
        let d = if peek { queue.front().cloned() } else { queue.pop_front() }.ok_or(Fail::Wait { until: None })?;
        if !peek {
            *bytes = bytes.saturating_sub(d.data.len());
        }
        let truncated = d.data.len() > max;
        Ok((d.data[..max.min(d.data.len())].to_vec(), d.src, truncated))
    }

    /// The embedded DNS server's answer to one query asked in this namespace (`None`: not a
    /// query worth answering, or no DNS server here).
    pub(crate) fn dns_reply(&self, query: &[u8]) -> Option<Vec<u8>> {
        let mut table = {
            let cfg = self.config();
            let mut table = DnsTable::clone(cfg.namespaces.get(&self.ns)?.dns.as_deref()?);
            // Names the network does not know are forwarded to the host's resolvers (the internet).
            for (name, addrs) in &cfg.internet.names.records {
                table.records.entry(name.clone()).or_insert_with(|| addrs.clone());
            }
            table
        };
        table.records.retain(|_, addrs| !addrs.is_empty());
        self.answer_from(query, &table)
    }

    /// A public resolver's answer (`8.8.8.8`): the internet's names only.
    fn public_dns_reply(&self, query: &[u8]) -> Option<Vec<u8>> {
        let table = self.config().internet.names.clone();
        self.answer_from(query, &table)
    }

    fn answer_from(&self, query: &[u8], table: &DnsTable) -> Option<Vec<u8>> {
        let ns = self.ns;
        let switch = self.switch.clone();
        let mut turn = |name: &str| {
            let mut st = switch.0.borrow_mut();
            let t = st.dns_turns.entry((ns, name.to_string())).or_default();
            let now = *t;
            *t = t.wrapping_add(1);
            now
        };
        dns::answer(query, table, &mut turn)
    }
}

/// Queues a datagram in `target`, unless its queue is full (then it is lost, as on Linux).
fn deliver(target: &SockRef, d: Datagram) {
    let Ok(mut t) = target.try_borrow_mut() else { return };
    if let State::Udp { queue, bytes, .. } = &mut t.state {
        if *bytes + d.data.len() <= UDP_QUEUE_BYTES {
            *bytes += d.data.len();
            queue.push_back(d);
        }
    }
}
