//! TCP as a stream-level switch: `connect` finds the listener the packets would reach (see
//! [`route`]) and, if its backlog has room, makes the connection at once: a pair of streams,
//! one end in the client socket, the other in a new socket waiting in the listener's backlog
//! for `accept`. Nothing listening there: `ECONNREFUSED` (the RST Linux would get). A
//! destination nobody answers: the connect waits, then fails (`ETIMEDOUT`, `EHOSTUNREACH`).
//! The embedded DNS server also answers on TCP port 53 ([`Service::Dns`]).

use super::route::{self, Route, ARP_TIMEOUT_MICROS, CONNECT_TIMEOUT_MICROS};
use super::socket::{Conn, Fail, Link, NetError, Service, Sock, SockKind, SockRef, SocketFd, State, SOMAXCONN};
use super::stream::Stream;
use super::switch::NetHandle;
use super::{NetnsId, Proto, EMBEDDED_DNS, HOST_NETNS};
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::rc::Rc;

/// The DNS port.
pub const DNS_PORT: u16 = 53;
/// HTTP's port, where the internet's web servers listen.
pub const HTTP_PORT: u16 = 80;

/// What one attempt to connect found.
enum Attempt {
    Connected,
    /// Nobody answered yet: fail with this at `until` unless something changes.
    Pending {
        until: u64,
        fail: NetError,
    },
}

/// `socket:[...]` state of a socket as `sock_status` reports it (WASIX `sock_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Opening = 0,
    Opened = 1,
    Closed = 2,
    Failed = 3,
}

impl NetHandle {
    /// `listen(backlog)`: an unbound socket gets an ephemeral port on 0.0.0.0 first.
    pub fn listen(&self, sock: &SockRef, backlog: u32) -> Result<(), NetError> {
        if sock.borrow().kind != SockKind::Tcp {
            return Err(NetError::NotSup);
        }
        let backlog = usize::try_from(backlog).unwrap_or(SOMAXCONN).clamp(1, SOMAXCONN);
        match &mut sock.borrow_mut().state {
            State::Listening { backlog: b, .. } => {
                *b = backlog;
                return Ok(());
            }
            State::Idle => {}
            _ => return Err(NetError::Inval),
        }
        self.autobind(sock, Ipv4Addr::UNSPECIFIED, false)?;
        sock.borrow_mut().state = State::Listening { backlog, queue: VecDeque::new() };
        Ok(())
    }

    /// `connect(dst)` on a TCP socket (UDP: see `udp`). Retried while it waits: each attempt
    /// looks again, so a listener that appears (or a network joined) in the meantime is found.
    pub fn connect(&self, sock: &SockRef, dst: SocketAddrV4, now: u64) -> Result<(), Fail> {
        if sock.borrow().kind == SockKind::Udp {
            return self.udp_connect(sock, dst).map_err(Fail::from);
        }
        let pending = match &sock.borrow().state {
            State::Idle => None,
            State::Connecting { dst: d, until, fail } => Some((*d, *until, *fail)),
            State::Connected(_) => return Err(NetError::IsConn.into()),
            State::Listening { .. } | State::Closed | State::Udp { .. } => return Err(NetError::Inval.into()),
        };
        let target = pending.map_or(dst, |(d, ..)| d);
        let attempt = match self.attempt(sock, target, now) {
            Ok(a) => a,
            Err(e) => {
                sock.borrow_mut().state = State::Idle;
                return Err(e.into());
            }
        };
        match (attempt, pending) {
            (Attempt::Connected, _) => Ok(()),
            (Attempt::Pending { .. }, Some((_, until, fail))) | (Attempt::Pending { until, fail }, None) => {
                if now >= until {
                    sock.borrow_mut().state = State::Idle;
                    return Err(fail.into());
                }
                sock.borrow_mut().state = State::Connecting { dst: target, until, fail };
                Err(Fail::Wait { until: Some(until) })
            }
        }
    }

    /// One try at reaching `dst`.
    fn attempt(&self, sock: &SockRef, dst: SocketAddrV4, now: u64) -> Result<Attempt, NetError> {
        let ns = sock.borrow().ns;
        let cfg = self.config().clone();
        let has_dns = cfg.namespaces.get(&ns).is_some_and(|n| n.dns.is_some());
        if *dst.ip() == EMBEDDED_DNS && dst.port() == DNS_PORT && has_dns {
            self.autobind(sock, Ipv4Addr::LOCALHOST, true)?;
            let link = Link { out: (ns, route::LOOPBACK.into()), into: (ns, route::LOOPBACK.into()) };
            self.connect_pair(sock, dst, None, link, Some(Service::Dns));
            return Ok(Attempt::Connected);
        }
        let (tns, src, out, into) = match route::route(&cfg, ns, *dst.ip()) {
            Route::NoRoute => return Err(NetError::NetUnreach),
            Route::NoHost => {
                return Ok(Attempt::Pending { until: now + ARP_TIMEOUT_MICROS, fail: NetError::HostUnreach })
            }
            Route::Dropped { .. } => {
                return Ok(Attempt::Pending { until: now + CONNECT_TIMEOUT_MICROS, fail: NetError::TimedOut })
            }
            Route::Internet { src, out } => {
                if dst.port() != HTTP_PORT || !cfg.internet.web.contains(dst.ip()) {
                    return Err(NetError::ConnRefused);
                }
                self.autobind(sock, src, true)?;
                let link = Link { out: (ns, out.clone()), into: (ns, out) };
                self.connect_pair(sock, dst, None, link, Some(Service::Web));
                return Ok(Attempt::Connected);
            }
            Route::Deliver { ns, src, out, into } => (ns, src, out, into),
        };
        // A published port: the proxy takes the connection to the container.
        let fwd = if tns == HOST_NETNS { route::forward(&cfg, Proto::Tcp, *dst.ip(), dst.port()) } else { None };
        let (tns, at, link, proxy_src) = match &fwd {
            Some(f) => (
                f.ns,
                SocketAddrV4::new(f.ip, f.port),
                Link { out: (ns, out), into: (f.ns, f.into.clone()) },
                Some(f.src),
            ),
            None => (tns, dst, Link { out: (ns, out), into: (tns, into) }, None),
        };
        let Some(listener) = self.find_listener(sock, tns, at) else {
            return Err(NetError::ConnRefused);
        };
        let full = match &listener.borrow().state {
            State::Listening { backlog, queue } => queue.len() >= *backlog,
            _ => true,
        };
        if full {
            // Linux drops the SYN when the backlog is full; the client retries.
            return Ok(Attempt::Pending { until: now + CONNECT_TIMEOUT_MICROS, fail: NetError::TimedOut });
        }
        let local = self.autobind(sock, src, true)?;
        let seen_from = SocketAddrV4::new(proxy_src.unwrap_or(*local.ip()), local.port());
        let server = self.connect_pair(sock, dst, Some((tns, at, seen_from)), link, None);
        if let (Some(server), State::Listening { queue, .. }) = (server, &mut listener.borrow_mut().state) {
            queue.push_back(server);
        }
        Ok(Attempt::Connected)
    }

    /// Connects `sock` to `dst`: two streams, and (unless the engine serves the other end) the
    /// server's socket in `tns`, bound to `at`, seeing the client as `seen_from`.
    fn connect_pair(
        &self,
        sock: &SockRef,
        dst: SocketAddrV4,
        server: Option<(NetnsId, SocketAddrV4, SocketAddrV4)>,
        link: Link,
        service: Option<Service>,
    ) -> Option<SockRef> {
        let (c2s, s2c) = (Stream::new(), Stream::new());
        let server = server.map(|(tns, at, seen_from)| {
            let mut s = Sock::new(0, tns, SockKind::Tcp);
            s.local = Some(at);
            s.child = true;
            let back = Link { out: link.into.clone(), into: link.out.clone() };
            s.state = State::Connected(Conn {
                peer: seen_from,
                rx: c2s.clone(),
                tx: s2c.clone(),
                shut_rd: false,
                service: None,
                link: back,
            });
            self.register(s)
        });
        sock.borrow_mut().state = State::Connected(Conn { peer: dst, rx: s2c, tx: c2s, shut_rd: false, service, link });
        server
    }

    /// The socket listening at `at` in `ns` (an exact address before a wildcard).
    fn find_listener(&self, me: &SockRef, ns: NetnsId, at: SocketAddrV4) -> Option<SockRef> {
        let candidates: Vec<(SockRef, bool)> = self
            .switch
            .sockets()
            .into_iter()
            .filter(|s| !Rc::ptr_eq(s, me))
            .filter_map(|s| {
                let exact = {
                    let b = s.try_borrow().ok()?;
                    let local = b.local?;
                    let listening = matches!(b.state, State::Listening { .. });
                    if !listening || b.ns != ns || b.kind != SockKind::Tcp || local.port() != at.port() {
                        return None;
                    }
                    if *local.ip() == *at.ip() {
                        true
                    } else if local.ip().is_unspecified() {
                        false
                    } else {
                        return None;
                    }
                };
                Some((s, exact))
            })
            .collect();
        let exact = candidates.iter().find(|(_, e)| *e).map(|(s, _)| s.clone());
        exact.or_else(|| candidates.into_iter().next().map(|(s, _)| s))
    }

    /// Moves a pending connect on (for `poll`): a failure becomes the socket's pending error
    /// (`SO_ERROR`). When it still waits, the time to look again.
    pub fn progress(&self, sock: &SockRef, now: u64) -> Option<u64> {
        let State::Connecting { dst, .. } = sock.borrow().state else { return None };
        match self.connect(sock, dst, now) {
            Ok(()) => None,
            Err(Fail::Wait { until }) => until,
            Err(Fail::Error(e)) => {
                sock.borrow_mut().error = Some(e);
                None
            }
        }
    }

    /// `accept`: the oldest connection waiting in the backlog, and its peer's address.
    pub fn accept(&self, sock: &SockRef) -> Result<(SocketFd, SocketAddrV4), Fail> {
        let conn = match &mut sock.borrow_mut().state {
            State::Listening { queue, .. } => queue.pop_front(),
            _ => return Err(NetError::Inval.into()),
        };
        let conn = conn.ok_or(Fail::Wait { until: None })?;
        let peer = conn.borrow().peer().unwrap_or(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
        Ok((SocketFd::new(conn), peer))
    }

    /// Reads up to `max` bytes of a connected TCP socket (empty at end of stream); `peek`
    /// leaves them there.
    pub fn recv(&self, sock: &SockRef, max: usize, peek: bool) -> Result<Vec<u8>, Fail> {
        self.serve(sock);
        let mut s = sock.borrow_mut();
        let pending = s.error;
        match &s.state {
            State::Connected(c) => {
                if max == 0 {
                    return Ok(Vec::new());
                }
                if !c.rx.is_empty() {
                    return Ok(c.rx.take(max, peek));
                }
                if c.rx.is_reset() {
                    return Err(NetError::ConnReset.into());
                }
                if c.rx.finished() || c.shut_rd {
                    return Ok(Vec::new());
                }
                Err(Fail::Wait { until: None })
            }
            State::Connecting { until, .. } => Err(Fail::Wait { until: Some(*until) }),
            State::Udp { .. } => Err(NetError::Inval.into()),
            State::Idle | State::Listening { .. } | State::Closed => match pending {
                Some(e) => {
                    s.error = None;
                    Err(e.into())
                }
                None => Err(NetError::NotConn.into()),
            },
        }
    }

    /// Writes what fits of `data` to a connected TCP socket; waits when the stream is full.
    pub fn send(&self, sock: &SockRef, data: &[u8]) -> Result<usize, Fail> {
        let (n, link, service) = {
            let s = sock.borrow();
            let State::Connected(c) = &s.state else {
                return Err(match s.state {
                    State::Connecting { until, .. } => Fail::Wait { until: Some(until) },
                    _ => NetError::NotConn.into(),
                });
            };
            if c.tx.is_reset() {
                return Err(NetError::ConnReset.into());
            }
            if c.tx.finished() || c.tx.reader_gone() {
                return Err(NetError::Pipe.into());
            }
            if data.is_empty() {
                return Ok(0);
            }
            let n = c.tx.push(data);
            if n == 0 {
                return Err(Fail::Wait { until: None });
            }
            (n, c.link.clone(), c.service)
        };
        self.count(&link.out, &link.into, n);
        if service.is_some() {
            self.serve(sock);
        }
        Ok(n)
    }

    /// `shutdown(how)`: `read` makes reads return end of stream, `write` sends the FIN.
    pub fn shutdown(&self, sock: &SockRef, read: bool, write: bool) -> Result<(), NetError> {
        let mut s = sock.borrow_mut();
        match &mut s.state {
            State::Connected(c) => {
                c.shut_rd |= read;
                if write {
                    c.tx.finish();
                }
                Ok(())
            }
            State::Udp { .. } => Ok(()),
            _ => Err(NetError::NotConn),
        }
    }

    /// WASIX `sock_status`.
    pub fn status(&self, sock: &SockRef) -> Status {
        let s = sock.borrow();
        match &s.state {
            _ if s.error.is_some() => Status::Failed,
            State::Connecting { .. } => Status::Opening,
            State::Closed => Status::Closed,
            State::Connected(c) if c.rx.is_reset() => Status::Failed,
            _ => Status::Opened,
        }
    }

    /// When the engine serves the other end of `sock`'s connection: answers the complete
    /// requests waiting (DNS over TCP: each message has a two-byte length in front).
    fn serve(&self, sock: &SockRef) {
        let (ns, requests, replies) = {
            let s = sock.borrow();
            match &s.state {
                State::Connected(c) if c.service == Some(Service::Dns) => (s.ns, c.tx.clone(), c.rx.clone()),
                _ => return,
            }
        };
        while requests.len() >= 2 {
            let head = requests.take(2, true);
            let len = usize::from(u16::from_be_bytes([head[0], head[1]]));
            if requests.len() < 2 + len {
                break;
            }
            if let Some(reply) = self.with_ns(ns).dns_reply(&requests.take(2 + len, true)[2..]) {
                if replies.room() < reply.len() + 2 {
                    break;
                }
                let len = u16::try_from(reply.len()).unwrap_or(u16::MAX);
                replies.push(&len.to_be_bytes());
                replies.push(&reply[..usize::from(len)]);
            }
            requests.take(2 + len, false);
        }
        if requests.finished() && requests.is_empty() {
            replies.finish();
        }
    }
}
