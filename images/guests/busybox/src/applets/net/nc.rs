//! `nc [OPTIONS] HOST PORT` and `nc [OPTIONS] -l -p PORT`: netcat, BusyBox's "bloaty" version
//! (Alpine's). It connects to a port, or listens on one and takes the first caller, then copies
//! standard input to the socket and the socket to standard output until both sides are done,
//! which makes a two-container chat out of two terminals. `-z` only checks that a port is open;
//! `-u` speaks UDP.

use crate::applets::usage;
use crate::sys;
use crate::util::{err, errstr, opts};
use guest_net::poll::{poll, AsRawSocket, PollFd};
use guest_net::resolve::Resolver;
use guest_net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::io::{self, Read, Write};
use std::time::Duration;

/// The two kinds of connection nc shovels data through.
enum Conn {
    Tcp(TcpStream),
    /// A UDP socket and its one peer.
    Udp(UdpSocket, SocketAddr),
}

impl Conn {
    fn fd(&self) -> i32 {
        match self {
            Conn::Tcp(s) => s.raw_socket(),
            Conn::Udp(s, _) => s.raw_socket(),
        }
    }
    fn recv(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.read(buf),
            Conn::Udp(s, peer) => loop {
                let (n, from) = s.recv_from(buf)?;
                if from == *peer {
                    return Ok(n);
                }
            },
        }
    }
    fn send(&mut self, data: &[u8]) -> io::Result<()> {
        match self {
            Conn::Tcp(s) => s.write_all(data),
            Conn::Udp(s, peer) => s.send_to(data, *peer).map(|_| ()),
        }
    }
    fn shutdown_write(&self) {
        if let Conn::Tcp(s) = self {
            let _ = s.shutdown(Shutdown::Write);
        }
    }
}

/// Copies stdin to the connection and the connection to stdout until both are closed (or, with
/// `-w`, until the network stays silent twice that long once stdin is done). Returns the bytes
/// sent and received.
fn readwrite(conn: &mut Conn, wait: Option<Duration>) -> io::Result<(u64, u64)> {
    let (mut sent, mut received) = (0u64, 0u64);
    let mut stdin_open = true;
    let mut net_open = true;
    let mut net_retry = 2;
    let mut buf = vec![0u8; 8192];
    while stdin_open || net_open {
        // Only the open descriptors are watched: [stdin?, socket?].
        let mut fds = Vec::with_capacity(2);
        if stdin_open {
            fds.push(PollFd::new(0, true, false));
        }
        if net_open {
            fds.push(PollFd::new(conn.fd(), true, false));
        }
        let ready = poll(&mut fds, wait)?;
        let stdin_ready = stdin_open && (fds[0].readable || fds[0].hangup);
        let net = fds.last().filter(|_| net_open);
        let net_ready = net.is_some_and(|f| f.readable || f.hangup);
        // With -w: when the wait passes with nothing from stdin, the network gets two chances.
        if ready == 0 && wait.is_some() && !stdin_ready {
            net_retry -= 1;
            if net_retry == 0 {
                break;
            }
        }
        if net_ready {
            match conn.recv(&mut buf) {
                Ok(0) | Err(_) => net_open = false,
                Ok(n) => {
                    received += n as u64;
                    sys::write_all(1, &buf[..n])?;
                }
            }
        }
        if stdin_ready {
            match sys::read(0, &mut buf) {
                Ok(0) | Err(_) => {
                    stdin_open = false;
                    // Let the peer know there is no more data.
                    conn.shutdown_write();
                }
                Ok(n) => {
                    // A closed connection only stops the sending, as in BusyBox.
                    if conn.send(&buf[..n]).is_ok() {
                        sent += n as u64;
                    }
                }
            }
        }
    }
    Ok((sent, received))
}

/// `host:port` for messages.
fn dotted(a: SocketAddr) -> String {
    a.to_string()
}

pub fn main(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "np:s:ubvw:lkz") {
        Ok(o) => o,
        Err(e) => return crate::applets::usage_error("nc", &e),
    };
    let verbose = o.count('v');
    let listen = o.has('l');
    let udp = o.has('u');
    if o.operands.len() > 2 || (!listen && o.operands.len() != 2) {
        usage("nc");
        return 1;
    }
    let port = |s: &str| -> Result<u16, i32> {
        super::parse_port(s).or_else(|| super::service_port(s, if udp { "udp" } else { "tcp" })).ok_or_else(|| {
            err("nc", format_args!("bad port '{s}'"));
            1
        })
    };
    let wait = match o.value('w').map(|w| w.parse::<u64>()) {
        None => None,
        Some(Ok(w)) => Some(Duration::from_secs(w)),
        Some(Err(_)) => {
            err("nc", format_args!("invalid number '{}'", o.value('w').unwrap_or("")));
            return 1;
        }
    };
    let lport = match o.value('p').map(port) {
        None => 0,
        Some(Ok(p)) => p,
        Some(Err(code)) => return code,
    };
    let local_ip = match o.value('s') {
        None => Ipv4Addr::UNSPECIFIED,
        Some(s) => match super::resolve("nc", s) {
            Ok(ip) => ip,
            Err(code) => return code,
        },
    };
    let local = SocketAddr::new(IpAddr::V4(local_ip), lport);
    let outcome = if listen {
        if udp && lport == 0 {
            err("nc", "UDP listen needs nonzero -p port");
            return 1;
        }
        listen_once(local, udp, verbose, o.has('n'))
    } else {
        let host = &o.operands[0];
        let ip = match super::resolve("nc", host) {
            Ok(ip) => ip,
            Err(code) => return code,
        };
        let them = match port(&o.operands[1]) {
            Ok(p) => SocketAddr::new(IpAddr::V4(ip), p),
            Err(code) => return code,
        };
        connect(host, them, local, udp, verbose, o.has('z'))
    };
    let (code, sent, received) = match outcome {
        Ok(None) => (0, 0, 0),
        Err(code) => (code, 0, 0),
        Ok(Some(mut conn)) => match readwrite(&mut conn, wait) {
            Ok((sent, received)) => (0, sent, received),
            Err(e) => {
                if verbose > 0 {
                    err("nc", format_args!("poll: {}", errstr(&e)));
                }
                (1, 0, 0)
            }
        },
    };
    if verbose > 1 {
        eprintln!("sent {sent}, rcvd {received}");
    }
    code
}

/// Outbound: connects (TCP) or picks the peer (UDP). `Ok(None)` after a successful `-z` check.
fn connect(
    host: &str,
    them: SocketAddr,
    local: SocketAddr,
    udp: bool,
    verbose: usize,
    zero: bool,
) -> Result<Option<Conn>, i32> {
    let result = if udp {
        UdpSocket::bind(local).map(|s| Conn::Udp(s, them))
    } else {
        // A chosen local address or port needs an explicit bind, which std's connect cannot do.
        if local.port() != 0 || !local.ip().is_unspecified() {
            err("nc", "-s/-p with an outbound TCP connection are not supported");
            return Err(1);
        }
        TcpStream::connect(them).map(Conn::Tcp)
    };
    match result {
        Ok(conn) => {
            if verbose > 0 {
                eprintln!("{host} ({}) open", dotted(them));
            }
            Ok(if zero { None } else { Some(conn) })
        }
        Err(e) => {
            // At one -v, refusals are expected while scanning: not reported.
            if verbose > 1 || (verbose > 0 && e.kind() != io::ErrorKind::ConnectionRefused) {
                err("nc", format_args!("{host} ({}): {}", dotted(them), errstr(&e)));
            }
            Err(1)
        }
    }
}

/// Inbound: binds `local`, waits for the first caller (TCP) or datagram (UDP).
fn listen_once(local: SocketAddr, udp: bool, verbose: usize, numeric: bool) -> Result<Option<Conn>, i32> {
    let fail = |what: &str, e: io::Error| {
        err("nc", format_args!("{what}: {}", errstr(&e)));
        1
    };
    let describe = |peer: SocketAddr| -> String {
        let name = match peer.ip() {
            IpAddr::V4(ip) if !numeric => Resolver::system().reverse(ip),
            _ => None,
        };
        name.map_or_else(|| dotted(peer), |n| format!("{n}:{}", peer.port()))
    };
    if udp {
        let sock = UdpSocket::bind(local).map_err(|e| fail("bind", e))?;
        if verbose > 0 {
            let me = sock.local_addr().map_or_else(|_| dotted(local), dotted);
            eprintln!("listening on {me} ...");
        }
        let mut buf = vec![0u8; 65536];
        let (n, peer) = sock.recv_from(&mut buf).map_err(|e| fail("recvfrom", e))?;
        if verbose > 0 {
            eprintln!("connect to {} from {} ({})", dotted(local), describe(peer), dotted(peer));
        }
        sys::write_all(1, &buf[..n]).map_err(|e| fail("write", e))?;
        return Ok(Some(Conn::Udp(sock, peer)));
    }
    let listener = TcpListener::bind(local).map_err(|e| fail("bind", e))?;
    if verbose > 0 {
        let me = listener.local_addr().map_or_else(|_| dotted(local), dotted);
        eprintln!("listening on {me} ...");
    }
    let (stream, peer) = listener.accept().map_err(|e| fail("accept", e))?;
    drop(listener);
    if verbose > 0 {
        let me = stream.local_addr().map_or_else(|_| dotted(local), dotted);
        eprintln!("connect to {me} from {} ({})", describe(peer), dotted(peer));
    }
    Ok(Some(Conn::Tcp(stream)))
}
