//! The socket calls that may wait: `accept`, `connect`, `recv`/`recvfrom`, `send`/`sendto`
//! (and `read`/`write` on a socket), `ping`. Like a pipe read, each is an operation ([`SockOp`])
//! the kernel performs again on the process's turns until it completes (see `blocked`). A
//! non-blocking descriptor (`O_NONBLOCK`, or `MSG_DONTWAIT`) gets `EAGAIN` instead of waiting
//! (`EINPROGRESS` for a connect); `SO_RCVTIMEO`/`SO_SNDTIMEO` bound the wait, counted from the
//! call (a blocking connect that outlives `SO_SNDTIMEO` fails with `EINPROGRESS`, as on Linux).
//!
//! Addresses in guest memory are WASIX `addr_port` records: the family tag at 0 (1 = IPv4), the
//! port at 2, the four address bytes at 4. As in Wasmer, the port the guest passes is read in
//! the guest's byte order (a little-endian `u16`), and the port the kernel writes back is in
//! network byte order (big-endian); `guest-net` follows the same convention.

use crate::network::stack::socket::{Fail, SockRef};
use crate::network::stack::{icmp::Echo, route::ARP_TIMEOUT_MICROS, SocketFd};
use crate::process::blocked::{Stop, WouldBlock};
use crate::process::errno::Errno;
use crate::process::fdtable::{Entry, Fd, FDFLAG_NONBLOCK};
use crate::process::mem;
use crate::process::state::ProcState;
use std::net::{Ipv4Addr, SocketAddrV4};

/// Bytes of an `addr_port` the kernel reads and writes (family, padding, port, 16 address
/// bytes: room for IPv6 as in Wasmer).
pub const ADDR_PORT_LEN: u32 = 20;
/// `addressfamily::inet4`, `inet6`.
pub const AF_INET4: u8 = 1;
pub const AF_INET6: u8 = 2;

/// `riflags`: `recv_peek`, `recv_dont_wait` (WASIX); `roflags::recv_data_truncated`.
const RECV_PEEK: u16 = 1;
const RECV_DONT_WAIT: u16 = 8;
const RECV_DATA_TRUNCATED: u16 = 1;
/// `siflags::send_dont_wait` (WASIX).
const SEND_DONT_WAIT: u16 = 1;

/// A socket call that may wait, with its raw arguments; `since` is when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SockOp {
    Accept {
        fd: u32,
        flags: u16,
        ret_fd: u32,
        ret_addr: Option<u32>,
        since: u64,
    },
    Connect {
        fd: u32,
        addr: u32,
        since: u64,
    },
    /// `recv`, `recvfrom`, or `read` (no flags, no address).
    Recv {
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        flags: u16,
        ret_len: u32,
        ret_flags: Option<u32>,
        ret_addr: Option<u32>,
        since: u64,
    },
    /// `send`, `sendto` (to `addr`), or `write`.
    Send {
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        flags: u16,
        addr: Option<u32>,
        ret_len: u32,
        since: u64,
    },
    /// `playground_v1.icmp_echo`: completes at `at` with `errno` (and the reply's ttl and rtt).
    Echo {
        ret: u32,
        at: u64,
        errno: u16,
        ttl: u32,
        rtt: u32,
    },
}

/// Reads an `addr_port`.
pub fn read_addr(m: &[u8], ptr: u32) -> Result<SocketAddrV4, Errno> {
    let raw = mem::bytes(m, ptr, 8)?;
    match raw[0] {
        AF_INET4 => {}
        AF_INET6 => return Err(Errno::AFNOSUPPORT),
        _ => return Err(Errno::INVAL),
    }
    let port = u16::from_le_bytes([raw[2], raw[3]]);
    Ok(SocketAddrV4::new(Ipv4Addr::new(raw[4], raw[5], raw[6], raw[7]), port))
}

/// Writes an `addr_port`.
pub fn write_addr(m: &mut [u8], ptr: u32, addr: SocketAddrV4) -> Result<(), Errno> {
    let out = mem::bytes_mut(m, ptr, ADDR_PORT_LEN)?;
    out.fill(0);
    out[0] = AF_INET4;
    out[2..4].copy_from_slice(&addr.port().to_be_bytes());
    out[4..8].copy_from_slice(&addr.ip().octets());
    Ok(())
}

/// The socket behind descriptor `fd`, and whether the descriptor is non-blocking.
pub fn socket(st: &ProcState, fd: u32) -> Result<(SockRef, bool), Errno> {
    let entry = st.fds.get(fd)?;
    match &entry.fd {
        Fd::Socket(s) => Ok((s.sock().clone(), entry.flags & FDFLAG_NONBLOCK != 0)),
        _ => Err(Errno::NOTSOCK),
    }
}

/// Which way a call waits (which timeout bounds it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Recv,
    Send,
    Connect,
    Accept,
}

/// The end of an attempt: the value, an errno, or a wait bounded by the socket's timeout.
fn settle<T>(
    st: &ProcState,
    sock: &SockRef,
    r: Result<T, Fail>,
    nonblock: bool,
    since: Option<u64>,
    dir: Dir,
) -> Result<T, Stop> {
    let until = match r {
        Ok(v) => return Ok(v),
        Err(Fail::Error(e)) => return Err(Errno::from(e).into()),
        Err(Fail::Wait { until }) => until,
    };
    if nonblock {
        return Err(Errno::AGAIN.into());
    }
    let opts = sock.borrow().opts;
    let timeout = match dir {
        Dir::Recv => opts.recv_timeout,
        Dir::Send => opts.send_timeout,
        Dir::Connect => opts.connect_timeout.or(opts.send_timeout),
        Dir::Accept => opts.accept_timeout.or(opts.recv_timeout),
    };
    let deadline = timeout.zip(since).map(|(t, s)| s.saturating_add(t));
    if let Some(d) = deadline {
        if st.clock.monotonic_micros() >= d {
            return Err(if dir == Dir::Connect { Errno::INPROGRESS } else { Errno::AGAIN }.into());
        }
    }
    let wake = match (until, deadline) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Err(Stop::Block(WouldBlock { wake_at_micros: wake }))
}

/// `read` on a socket: up to `want` bytes of its stream (or its next datagram).
pub fn recv_bytes(
    st: &mut ProcState,
    sock: &SockRef,
    want: usize,
    nonblock: bool,
    since: Option<u64>,
) -> Result<Vec<u8>, Stop> {
    let r = st.net.recv_from(sock, want, false).map(|(d, _, _)| d);
    settle(st, sock, r, nonblock, since, Dir::Recv)
}

/// `write` on a socket: how many bytes of `data` it took.
pub fn send_bytes(
    st: &mut ProcState,
    sock: &SockRef,
    data: &[u8],
    nonblock: bool,
    since: Option<u64>,
) -> Result<usize, Stop> {
    let r = st.net.send_to(sock, data, None);
    settle(st, sock, r, nonblock, since, Dir::Send)
}

impl SockOp {
    /// Performs the call: done (`Ok`), failed, or not yet.
    pub fn perform(&self, st: &mut ProcState, m: &mut [u8]) -> Result<(), Stop> {
        match *self {
            SockOp::Accept { fd, flags, ret_fd, ret_addr, since } => {
                mem::bytes(m, ret_fd, 4)?;
                let (sock, nonblock) = socket(st, fd)?;
                let r = st.net.accept(&sock);
                let (conn, peer): (SocketFd, SocketAddrV4) = settle(st, &sock, r, nonblock, Some(since), Dir::Accept)?;
                let mut entry = Entry::new(Fd::Socket(conn));
                entry.flags = flags & FDFLAG_NONBLOCK;
                let n = st.fds.insert(entry)?;
                mem::write_u32(m, ret_fd, n)?;
                if let Some(at) = ret_addr {
                    write_addr(m, at, peer)?;
                }
                Ok(())
            }
            SockOp::Connect { fd, addr, since } => {
                let dst = read_addr(m, addr)?;
                let (sock, nonblock) = socket(st, fd)?;
                let was_pending =
                    matches!(sock.borrow().state, crate::network::stack::socket::State::Connecting { .. });
                let now = st.clock.monotonic_micros();
                match st.net.connect(&sock, dst, now) {
                    Err(Fail::Wait { .. }) if nonblock => {
                        Err(if was_pending { Errno::ALREADY } else { Errno::INPROGRESS }.into())
                    }
                    r => settle(st, &sock, r, nonblock, Some(since), Dir::Connect),
                }
            }
            SockOp::Recv { fd, iovs, iovs_len, flags, ret_len, ret_flags, ret_addr, since } => {
                let iovs = mem::iovecs(m, iovs, iovs_len)?;
                mem::bytes(m, ret_len, 4)?;
                let (sock, nonblock) = socket(st, fd)?;
                let nonblock = nonblock || flags & RECV_DONT_WAIT != 0;
                let r = st.net.recv_from(&sock, mem::total_len(&iovs), flags & RECV_PEEK != 0);
                let (data, from, truncated) = settle(st, &sock, r, nonblock, Some(since), Dir::Recv)?;
                mem::scatter(m, &iovs, &data)?;
                mem::write_u32(m, ret_len, data.len() as u32)?;
                if let Some(at) = ret_flags {
                    let f = if truncated { RECV_DATA_TRUNCATED } else { 0 };
                    mem::write(m, at, &f.to_le_bytes())?;
                }
                if let Some(at) = ret_addr {
                    write_addr(m, at, from)?;
                }
                Ok(())
            }
            SockOp::Send { fd, iovs, iovs_len, flags, addr, ret_len, since } => {
                let iovs = mem::iovecs(m, iovs, iovs_len)?;
                mem::bytes(m, ret_len, 4)?;
                let data = mem::gather(m, &iovs)?;
                let dst = addr.map(|a| read_addr(m, a)).transpose()?;
                let (sock, nonblock) = socket(st, fd)?;
                let nonblock = nonblock || flags & SEND_DONT_WAIT != 0;
                let r = st.net.send_to(&sock, &data, dst);
                let n = settle(st, &sock, r, nonblock, Some(since), Dir::Send)?;
                mem::write_u32(m, ret_len, n as u32)?;
                Ok(())
            }
            SockOp::Echo { ret, at, errno, ttl, rtt } => {
                if st.clock.monotonic_micros() < at {
                    return Err(Stop::Block(WouldBlock { wake_at_micros: Some(at) }));
                }
                if errno != 0 {
                    return Err(Errno(errno).into());
                }
                mem::write_u32(m, ret, ttl)?;
                Ok(mem::write_u32(m, mem::offset(ret, 4)?, rtt)?)
            }
        }
    }

    /// `icmp_echo`: what becomes of the request, decided now (the op then waits for its time).
    pub fn echo(
        st: &mut ProcState,
        m: &[u8],
        addr: u32,
        payload: u32,
        timeout_ms: u32,
        ret: u32,
    ) -> Result<SockOp, Errno> {
        let raw = mem::bytes(m, addr, 4)?;
        let dst = Ipv4Addr::new(raw[0], raw[1], raw[2], raw[3]);
        mem::bytes(m, ret, 8)?;
        let jitter = st.entropy.try_borrow_mut().map(|mut e| e.next_u64()).unwrap_or(0);
        let now = st.clock.monotonic_micros();
        let timeout = u64::from(timeout_ms) * 1000;
        let fail = |errno: Errno, after: u64| SockOp::Echo { ret, at: now + after, errno: errno.0, ttl: 0, rtt: 0 };
        Ok(match st.net.ping(dst, payload as usize, jitter) {
            Echo::Reply { rtt_micros, .. } if rtt_micros > timeout => fail(Errno::TIMEDOUT, timeout),
            Echo::Reply { ttl, rtt_micros } => {
                SockOp::Echo { ret, at: now + rtt_micros, errno: 0, ttl, rtt: rtt_micros as u32 }
            }
            Echo::Lost => fail(Errno::TIMEDOUT, timeout),
            Echo::HostUnreach => fail(Errno::HOSTUNREACH, timeout.min(ARP_TIMEOUT_MICROS)),
            Echo::NoRoute => fail(Errno::NETUNREACH, 0),
        })
    }
}
