//! One socket: what `socket(2)` returns and a descriptor refers to. A TCP socket is idle (just
//! made, maybe bound), listening (with its backlog of connections not yet accepted), connecting
//! (waiting for an answer that may never come) or connected (a pair of [`Stream`]s); a UDP socket
//! has a queue of datagrams received. Like a pipe end, a socket is shared by every descriptor
//! that refers to it (`dup`, children inheriting it) and closes when the last one goes
//! ([`SocketFd`]): a connected socket then sends its FIN, a listener resets the connections
//! nobody accepted.

use super::stream::Stream;
use super::NetnsId;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::net::SocketAddrV4;
use std::rc::Rc;

/// The transport protocol of a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SockKind {
    /// `SOCK_STREAM`: TCP.
    Tcp,
    /// `SOCK_DGRAM`: UDP.
    Udp,
}

/// Why a socket operation failed, errno-shaped (each maps to one WASI errno).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    #[error("Address already in use")]
    AddrInUse,
    #[error("Cannot assign requested address")]
    AddrNotAvail,
    #[error("Address family not supported by protocol")]
    AfNoSupport,
    #[error("Resource temporarily unavailable")]
    Again,
    #[error("Operation already in progress")]
    Already,
    #[error("Connection refused")]
    ConnRefused,
    #[error("Connection reset by peer")]
    ConnReset,
    #[error("Destination address required")]
    DestAddrReq,
    #[error("No route to host")]
    HostUnreach,
    #[error("Operation now in progress")]
    InProgress,
    #[error("Invalid argument")]
    Inval,
    #[error("Transport endpoint is already connected")]
    IsConn,
    #[error("Message too long")]
    MsgSize,
    #[error("Network is unreachable")]
    NetUnreach,
    #[error("Transport endpoint is not connected")]
    NotConn,
    #[error("Operation not supported")]
    NotSup,
    #[error("Broken pipe")]
    Pipe,
    #[error("Connection timed out")]
    TimedOut,
}

/// How an operation that may wait ends when it cannot complete now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    Error(NetError),
    /// Not yet: try again when something happens, or at `until` (monotonic µs) at the latest.
    Wait {
        until: Option<u64>,
    },
}

impl From<NetError> for Fail {
    fn from(e: NetError) -> Self {
        Fail::Error(e)
    }
}

/// A datagram waiting in a UDP socket, with the address it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datagram {
    pub src: SocketAddrV4,
    pub data: Vec<u8>,
}

/// Bytes of datagrams a UDP socket holds before new ones are dropped (Linux's `rmem_default`).
pub const UDP_QUEUE_BYTES: usize = 212_992;
/// The largest UDP payload over IPv4.
pub const UDP_MAX_PAYLOAD: usize = 65_507;
/// `SOMAXCONN`: the largest listen backlog.
pub const SOMAXCONN: usize = 4096;

/// Who is at the other end of a connection when it is not a socket: the engine itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The embedded DNS server, over TCP (length-prefixed messages).
    Dns,
    /// A web server on the internet that the engine plays (the package mirrors): the daemon
    /// answers what arrives ([`super::NetStack::web_connections`]).
    Web,
}

/// The interfaces a connection's bytes go through, for the interface counters: this side's
/// (namespace, interface) and the peer's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub out: (NetnsId, String),
    pub into: (NetnsId, String),
}

/// A connected TCP socket's end of the connection.
#[derive(Debug)]
pub struct Conn {
    pub peer: SocketAddrV4,
    /// What the peer sent (this side reads it) and what this side sends.
    pub rx: Stream,
    pub tx: Stream,
    /// `shutdown(SHUT_RD)`: reads return end of stream.
    pub shut_rd: bool,
    pub service: Option<Service>,
    pub link: Link,
}

/// Where a socket stands.
#[derive(Debug)]
pub enum State {
    /// TCP, neither listening nor connected (new, or after a failed connect).
    Idle,
    /// `listen`: connections made to it wait here until `accept` takes them.
    Listening {
        backlog: usize,
        queue: VecDeque<SockRef>,
    },
    /// A connect waiting for an answer; it fails with `fail` at `until` if none comes.
    Connecting {
        dst: SocketAddrV4,
        until: u64,
        fail: NetError,
    },
    Connected(Conn),
    /// UDP: the default peer (`connect`) and the datagrams received.
    Udp {
        peer: Option<SocketAddrV4>,
        queue: VecDeque<Datagram>,
        bytes: usize,
    },
    /// Closed, or its namespace is gone.
    Closed,
}

/// Socket options (`setsockopt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Opts {
    pub reuse_addr: bool,
    pub reuse_port: bool,
    pub no_delay: bool,
    pub keep_alive: bool,
    pub broadcast: bool,
    pub oob_inline: bool,
    /// `SO_RCVTIMEO`, `SO_SNDTIMEO` in µs: a blocking call gives up with `EAGAIN`.
    pub recv_timeout: Option<u64>,
    pub send_timeout: Option<u64>,
    /// WASIX's own: a bound on `connect` (else `SO_SNDTIMEO`) and on `accept` (else
    /// `SO_RCVTIMEO`).
    pub connect_timeout: Option<u64>,
    pub accept_timeout: Option<u64>,
    pub recv_buf: Option<u64>,
    pub send_buf: Option<u64>,
    pub ttl: Option<u32>,
}

/// A socket.
#[derive(Debug)]
pub struct Sock {
    /// Its number in `/proc/net/tcp` and `/proc/<pid>/fd` (`socket:[inode]`).
    pub inode: u64,
    pub ns: NetnsId,
    pub kind: SockKind,
    /// The address it is bound to (explicitly, or when it connected or sent).
    pub local: Option<SocketAddrV4>,
    pub state: State,
    pub opts: Opts,
    /// An error to report once (`SO_ERROR`): a failed non-blocking connect, a refused datagram.
    pub error: Option<NetError>,
    /// Made by `accept`: it shares its listener's port and binds nothing of its own.
    pub child: bool,
    /// Descriptors holding it (see [`SocketFd`]).
    holders: usize,
}

pub type SockRef = Rc<RefCell<Sock>>;

impl Sock {
    pub fn new(inode: u64, ns: NetnsId, kind: SockKind) -> Self {
        let state = match kind {
            SockKind::Tcp => State::Idle,
            SockKind::Udp => State::Udp { peer: None, queue: VecDeque::new(), bytes: 0 },
        };
        Sock { inode, ns, kind, local: None, state, opts: Opts::default(), error: None, child: false, holders: 0 }
    }

    /// Whether it holds its local address against other binds.
    pub fn binds(&self) -> bool {
        self.local.is_some() && !self.child && !matches!(self.state, State::Closed)
    }

    /// The peer of a connected socket (TCP) or its default peer (UDP).
    pub fn peer(&self) -> Option<SocketAddrV4> {
        match &self.state {
            State::Connected(c) => Some(c.peer),
            State::Udp { peer, .. } => *peer,
            _ => None,
        }
    }

    /// Closes it as the last descriptor goes: the FIN for a connection, a reset for the
    /// connections a listener never accepted.
    pub fn close(&mut self) {
        match std::mem::replace(&mut self.state, State::Closed) {
            State::Connected(c) => {
                c.tx.finish();
                c.rx.close_reader();
            }
            State::Listening { queue, .. } => {
                for conn in queue {
                    if let Ok(mut s) = conn.try_borrow_mut() {
                        s.reset();
                    }
                }
            }
            _ => {}
        }
    }

    /// Resets it (its namespace or address is gone): connections fail with `ECONNRESET` on
    /// both sides.
    pub fn reset(&mut self) {
        match &mut self.state {
            State::Connected(c) => {
                c.rx.reset();
                c.tx.reset();
            }
            State::Connecting { .. } => {
                self.error = Some(NetError::ConnReset);
                self.state = State::Idle;
            }
            _ => self.close(),
        }
    }

    /// What `poll` sees: for reading and for writing, `Some((bytes, hangup))` when a call
    /// would not wait.
    pub fn readiness(&self) -> (Ready, Ready) {
        match &self.state {
            State::Idle | State::Closed => (Some((0, true)), Some((0, true))),
            State::Listening { queue, .. } => ((!queue.is_empty()).then_some((queue.len() as u64, false)), None),
            State::Connecting { .. } => (None, None),
            State::Connected(c) => {
                let hup = c.rx.is_reset() || c.rx.finished();
                let read = if !c.rx.is_empty() || hup || c.shut_rd {
                    Some((c.rx.len() as u64, hup))
                } else if self.error.is_some() {
                    Some((0, true))
                } else {
                    None
                };
                let broken = c.tx.is_reset() || c.tx.reader_gone() || c.tx.finished();
                let write =
                    if broken { Some((0, true)) } else { (c.tx.room() > 0).then_some((c.tx.room() as u64, false)) };
                (read, write)
            }
            State::Udp { queue, .. } => {
                let read = match queue.front() {
                    Some(d) => Some((d.data.len() as u64, false)),
                    None => self.error.map(|_| (0, false)),
                };
                (read, Some((UDP_QUEUE_BYTES as u64, false)))
            }
        }
    }
}

/// One direction's readiness for `poll`: `Some((bytes, hangup))` when a call would not wait.
pub type Ready = Option<(u64, bool)>;

/// A descriptor's hold on a socket. Clones (`dup`, inheritance) are more holders; the socket
/// closes when the last holder, in any process, lets go.
#[derive(Debug)]
pub struct SocketFd(SockRef);

impl SocketFd {
    /// A first holder of `sock`.
    pub fn new(sock: SockRef) -> Self {
        sock.borrow_mut().holders += 1;
        SocketFd(sock)
    }

    pub fn sock(&self) -> &SockRef {
        &self.0
    }

    /// Its inode number (`socket:[inode]`).
    pub fn inode(&self) -> u64 {
        self.0.borrow().inode
    }

    pub fn kind(&self) -> SockKind {
        self.0.borrow().kind
    }
}

impl Clone for SocketFd {
    fn clone(&self) -> Self {
        SocketFd::new(self.0.clone())
    }
}

impl Drop for SocketFd {
    fn drop(&mut self) {
        if let Ok(mut s) = self.0.try_borrow_mut() {
            s.holders = s.holders.saturating_sub(1);
            if s.holders == 0 {
                s.close();
            }
        }
    }
}
