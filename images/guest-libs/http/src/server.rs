//! The event loop of a one-threaded web server: every listening socket and every client
//! connection is non-blocking, and one `poll` waits on all of them (and on the upstream sockets of
//! requests being proxied). Clients keep their connection open between requests (keep-alive),
//! may send the next request before the previous answer (pipelining: answered in order), and
//! are closed after the service's keep-alive timeout when idle.

use crate::request::{self, Limits, ParseError, Parsed, Request};
use crate::response::Response;
use guest_net::poll::{poll, AsRawSocket, PollFd};
use guest_net::{SocketAddr, TcpListener, TcpStream};
use guest_server::io::{fill, flush, Filled};
use std::io;
use std::time::{Duration, Instant};

/// How often the loop wakes up at least, so that the service sees signals in time.
const TICK: Duration = Duration::from_millis(200);
/// Stop reading requests while this much output waits for a slow client.
const OUT_HIGH_WATER: usize = 256 * 1024;
/// How long a client may take to send a request's head (nginx's `client_header_timeout`).
const HEADER_TIMEOUT: Duration = Duration::from_secs(60);

/// One client connection, as the service sees it.
#[derive(Debug, Clone)]
pub struct ConnInfo {
    pub peer: SocketAddr,
    /// The address the client connected to (which `listen` it came through).
    pub local: SocketAddr,
    /// Serial number of the connection since start (nginx's `$connection`).
    pub serial: u64,
}

/// A reply that is not ready yet (a proxied request): the loop waits on its descriptor.
pub trait Pending {
    /// The descriptor to wait on and for what; `None` to be advanced at the next round.
    fn wait(&self) -> Option<PollFd>;
    /// When to give up waiting: `advance` is called then even if nothing is ready.
    fn deadline(&self) -> Option<Instant>;
    /// Makes progress; the response once there is one.
    fn advance(&mut self, ready: Option<&PollFd>, now: Instant) -> Option<Response>;
}

/// The service's answer to a request.
pub enum Reply {
    Now(Response),
    Later(Box<dyn Pending>),
}

/// A finished exchange, for the access log.
#[derive(Debug)]
pub struct Exchange<'a> {
    pub conn: &'a ConnInfo,
    /// `None` when the request could not be parsed.
    pub request: Option<&'a Request>,
    /// The request line as sent (escaped), for logs.
    pub line: &'a str,
    pub response: &'a Response,
    /// Body bytes sent (0 for `HEAD`).
    pub body_bytes: usize,
}

/// What a web server program does with requests.
pub trait Service {
    fn handle(&mut self, request: &Request, conn: &ConnInfo) -> Reply;
    /// The answer to a request that could not be parsed (the connection closes after it).
    fn reject(&mut self, error: ParseError, conn: &ConnInfo) -> Response;
    /// A response was queued.
    fn log(&mut self, exchange: &Exchange<'_>);
    fn limits(&self) -> Limits {
        Limits::default()
    }
    fn keepalive_timeout(&self) -> Duration {
        Duration::from_secs(65)
    }
    /// Called after every wake-up (signals, reloads that change `listeners`); `false` stops.
    fn tick(&mut self, listeners: &mut Listeners) -> bool;
}

/// The listening sockets, by the address asked for.
#[derive(Debug, Default)]
pub struct Listeners {
    list: Vec<(SocketAddr, TcpListener)>,
}

impl Listeners {
    /// Listens on exactly `addrs`: sockets already open stay (clients keep connecting during a
    /// reload), new ones open, the others close. An address on a port that a wildcard address
    /// (`0.0.0.0`) also asks for is served by the wildcard socket.
    pub fn set(&mut self, addrs: &[SocketAddr]) -> Result<(), (SocketAddr, io::Error)> {
        let wanted: Vec<SocketAddr> = addrs
            .iter()
            .filter(|a| {
                a.ip().is_unspecified() || !addrs.iter().any(|w| w.ip().is_unspecified() && w.port() == a.port())
            })
            .copied()
            .collect();
        let mut kept: Vec<(SocketAddr, TcpListener)> = Vec::new();
        for addr in &wanted {
            if kept.iter().any(|(a, _)| a == addr) {
                continue;
            }
            if let Some(i) = self.list.iter().position(|(a, _)| a == addr) {
                kept.push(self.list.swap_remove(i));
                continue;
            }
            // The old socket on a port must close before a new one can bind it.
            self.list.retain(|(_, l)| addr.port() == 0 || l.local_addr().map_or(true, |a| a.port() != addr.port()));
            let listener = TcpListener::bind(*addr).map_err(|e| (*addr, e))?;
            listener.set_nonblocking(true).map_err(|e| (*addr, e))?;
            kept.push((*addr, listener));
        }
        self.list = kept;
        Ok(())
    }

    /// The addresses actually bound (a port 0 asked for becomes the one the system picked).
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.list.iter().filter_map(|(_, l)| l.local_addr().ok()).collect()
    }
}

enum State {
    /// Reading the next request.
    Idle,
    /// A reply is being prepared; the request is kept for the log.
    Waiting { request: Request, pending: Box<dyn Pending> },
    /// Write what is queued, then close.
    Closing,
}

struct Conn {
    stream: TcpStream,
    info: ConnInfo,
    inbuf: Vec<u8>,
    outbuf: Vec<u8>,
    state: State,
    last_active: Instant,
    peer_closed: bool,
}

/// Serves clients until the service's `tick` says stop.
pub fn run<S: Service>(service: &mut S, listeners: &mut Listeners) -> io::Result<()> {
    let mut conns: Vec<Conn> = Vec::new();
    let mut serial = 0u64;
    loop {
        let now = Instant::now();
        let mut fds = Vec::new();
        for (_, l) in &listeners.list {
            fds.push(PollFd::new(l.raw_socket(), true, false));
        }
        let mut deadline = now + TICK;
        let mut slots = Vec::with_capacity(conns.len());
        for c in &conns {
            let reading = matches!(c.state, State::Idle) && c.outbuf.len() < OUT_HIGH_WATER && !c.peer_closed;
            let stream_slot = fds.len();
            fds.push(PollFd::new(c.stream.raw_socket(), reading, !c.outbuf.is_empty()));
            let mut pending_slot = None;
            if let State::Waiting { pending, .. } = &c.state {
                match pending.wait() {
                    Some(p) => {
                        pending_slot = Some(fds.len());
                        fds.push(p);
                    }
                    None => deadline = now,
                }
                if let Some(d) = pending.deadline() {
                    deadline = deadline.min(d);
                }
            }
            slots.push((stream_slot, pending_slot));
        }
        let before: Vec<SocketAddr> = listeners.list.iter().map(|(a, _)| *a).collect();
        poll(&mut fds, Some(deadline.saturating_duration_since(now)))?;
        // Signals first: a reload asked for before a request arrived applies to that request.
        if !service.tick(listeners) {
            return Ok(());
        }
        let now = Instant::now();
        let same_listeners = listeners.list.iter().map(|(a, _)| *a).eq(before);
        for (i, (_, listener)) in listeners.list.iter().enumerate() {
            if same_listeners && fds[i].readable {
                accept_all(listener, &mut conns, &mut serial, now);
            }
        }
        let mut keep = Vec::with_capacity(conns.len());
        let accepted = conns.split_off(slots.len());
        for (mut c, (stream_slot, pending_slot)) in conns.into_iter().zip(slots) {
            let ready = pending_slot.map(|s| fds[s]);
            if step(service, &mut c, &fds[stream_slot], ready.as_ref(), now) {
                keep.push(c);
            }
        }
        // Newly accepted clients usually sent their request already: serve it this round.
        for mut c in accepted {
            let probe = PollFd { readable: true, ..PollFd::new(c.stream.raw_socket(), true, false) };
            if step(service, &mut c, &probe, None, now) {
                keep.push(c);
            }
        }
        conns = keep;
    }
}

fn accept_all(listener: &TcpListener, conns: &mut Vec<Conn>, serial: &mut u64, now: Instant) {
    while let Ok((stream, peer)) = listener.accept() {
        let Ok(local) = stream.local_addr() else { continue };
        if stream.set_nonblocking(true).is_err() {
            continue;
        }
        *serial += 1;
        conns.push(Conn {
            stream,
            info: ConnInfo { peer, local, serial: *serial },
            inbuf: Vec::new(),
            outbuf: Vec::new(),
            state: State::Idle,
            last_active: now,
            peer_closed: false,
        });
    }
}

/// One round of a connection; false once it is to be closed.
fn step<S: Service>(
    service: &mut S,
    c: &mut Conn,
    io_ready: &PollFd,
    pending_ready: Option<&PollFd>,
    now: Instant,
) -> bool {
    let limits = service.limits();
    if io_ready.readable && !c.peer_closed {
        match fill(&mut c.stream, &mut c.inbuf, limits.head + limits.body + 64 * 1024) {
            Ok(Filled::Open(n)) if n > 0 => c.last_active = now,
            Ok(Filled::Open(_)) => {}
            Ok(Filled::Closed(_)) => c.peer_closed = true,
            Err(_) => return false,
        }
    }
    // Progress until nothing changes: a pending reply may finish, then the next pipelined
    // request may be parsed and answered at once.
    loop {
        match std::mem::replace(&mut c.state, State::Closing) {
            State::Waiting { request, mut pending } => {
                let due = pending.wait().is_none()
                    || pending_ready.is_some_and(|p| p.readable || p.writable || p.hangup)
                    || pending.deadline().is_some_and(|d| d <= now);
                match due.then(|| pending.advance(pending_ready, now)).flatten() {
                    Some(response) => {
                        c.state = State::Idle;
                        queue(service, c, Some(&request), "", response);
                        if matches!(c.state, State::Closing) {
                            break;
                        }
                    }
                    None => {
                        c.state = State::Waiting { request, pending };
                        break;
                    }
                }
            }
            State::Closing => break,
            State::Idle => {
                c.state = State::Idle;
                if c.outbuf.len() >= OUT_HIGH_WATER || c.inbuf.is_empty() {
                    break;
                }
                match request::parse(&c.inbuf, &limits) {
                    Ok(Parsed::Partial) => break,
                    Ok(Parsed::Done(request, used)) => {
                        c.inbuf.drain(..used);
                        c.last_active = now;
                        match service.handle(&request, &c.info) {
                            Reply::Now(response) => queue(service, c, Some(&request), "", response),
                            Reply::Later(pending) => c.state = State::Waiting { request, pending },
                        }
                        if matches!(c.state, State::Closing) {
                            break;
                        }
                    }
                    Err(error) => {
                        let line = request::first_line(&c.inbuf);
                        let mut response = service.reject(error, &c.info);
                        response.close = true;
                        c.inbuf.clear();
                        queue(service, c, None, &line, response);
                        break;
                    }
                }
            }
        }
    }
    if !c.outbuf.is_empty() && flush(&mut c.stream, &mut c.outbuf).is_err() {
        return false;
    }
    match c.state {
        State::Closing => !c.outbuf.is_empty(),
        State::Waiting { .. } => true,
        State::Idle => {
            let idle_for = now.saturating_duration_since(c.last_active);
            let timeout = if c.inbuf.is_empty() { service.keepalive_timeout() } else { HEADER_TIMEOUT };
            !(c.peer_closed && c.outbuf.is_empty()) && idle_for < timeout
        }
    }
}

/// Queues `response` on the connection and logs it; closes after it when either side asks.
fn queue<S: Service>(service: &mut S, c: &mut Conn, request: Option<&Request>, line: &str, response: Response) {
    let head_only = request.is_some_and(|r| r.method == "HEAD");
    let keep_alive = !response.close && request.is_some_and(Request::wants_keep_alive);
    c.outbuf.extend_from_slice(&response.to_bytes(head_only));
    let line = request.map_or_else(|| line.to_string(), Request::request_line);
    let body_bytes = if head_only { 0 } else { response.body.len() };
    service.log(&Exchange { conn: &c.info, request, line: &line, response: &response, body_bytes });
    c.state = if keep_alive { State::Idle } else { State::Closing };
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
