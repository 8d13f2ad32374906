//! Sockets: the WASIX socket calls (`sock_open`, `sock_bind`, `sock_connect`...), WASI preview
//! 1's four (`sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`) and the playground's
//! `icmp_echo`, registered under their exact names and signatures. A socket is a descriptor
//! ([`Fd::Socket`]) on the kernel's switch ([`crate::network::stack`]), seen from the process's
//! network namespace (its container's); `read`, `write`, `poll_oneoff`, `fd_fdstat_set_flags`
//! (`O_NONBLOCK`), `close` and `dup` work on it as on a pipe. The calls that may wait are in
//! [`super::sock_io`], the options in `sock_opt`, name resolution in `sock_resolve`. IPv4 only:
//! IPv6 gets `EAFNOSUPPORT`.

use super::sock_io::{read_addr, socket, write_addr, SockOp, AF_INET4, AF_INET6};
use super::{sock_opt, sock_resolve, MODULE, PLAYGROUND};
use crate::network::stack::SockKind;
use crate::process::blocked::Op;
use crate::process::errno::Errno;
use crate::process::fdtable::{Entry, Fd};
use crate::process::mem;
use crate::process::state::ProcState;
use crate::process::wasi::{blocking, call, Cx};
use wasmi::errors::LinkerError;
use wasmi::Linker;

/// `socktype`: stream, datagram.
const SOCK_STREAM: i32 = 1;
const SOCK_DGRAM: i32 = 2;
/// `sock_proto`: 0 (the type's default), TCP, UDP.
const PROTO_IP: i32 = 0;
const PROTO_TCP: i32 = 6;
const PROTO_UDP: i32 = 17;
/// `sdflags`: `rd`, `wr`.
const SHUT_RD: i32 = 1;
const SHUT_WR: i32 = 2;

fn u(v: i32) -> u32 {
    v as u32
}

/// When `fd` is a socket: now (a socket call's start, for its timeouts).
pub fn is_socket(st: &ProcState, fd: u32) -> Option<u64> {
    matches!(st.fds.get(fd), Ok(Entry { fd: Fd::Socket(_), .. })).then(|| st.clock.monotonic_micros())
}

/// `sock_open(af, socktype, sock_proto, ret_fd)`.
pub fn sock_open(st: &mut ProcState, m: &mut [u8], af: i32, ty: i32, proto: i32, out: u32) -> Result<(), Errno> {
    mem::bytes(m, out, 4)?;
    match u8::try_from(af) {
        Ok(AF_INET4) => {}
        Ok(AF_INET6) | Ok(_) | Err(_) => return Err(Errno::AFNOSUPPORT),
    }
    let kind = match (ty, proto) {
        (SOCK_STREAM, PROTO_IP | PROTO_TCP) => SockKind::Tcp,
        (SOCK_DGRAM, PROTO_IP | PROTO_UDP) => SockKind::Udp,
        (SOCK_STREAM | SOCK_DGRAM, _) => return Err(Errno::PROTONOSUPPORT),
        // Raw sockets: no `CAP_NET_RAW` here (ping has its own call).
        _ => return Err(Errno::NOTSUP),
    };
    let fd = st.net.open(kind);
    let n = st.fds.insert(Entry::new(Fd::Socket(fd)))?;
    mem::write_u32(m, out, n)
}

/// `sock_bind(fd, addr)`.
pub fn sock_bind(st: &mut ProcState, m: &mut [u8], fd: u32, addr: u32) -> Result<(), Errno> {
    let addr = read_addr(m, addr)?;
    let (sock, _) = socket(st, fd)?;
    Ok(st.net.bind(&sock, addr)?)
}

/// `sock_listen(fd, backlog)`.
pub fn sock_listen(st: &mut ProcState, fd: u32, backlog: u32) -> Result<(), Errno> {
    let (sock, _) = socket(st, fd)?;
    Ok(st.net.listen(&sock, backlog)?)
}

/// `sock_addr_local(fd, ret_addr)` (`getsockname`).
pub fn sock_addr_local(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    let (sock, _) = socket(st, fd)?;
    write_addr(m, out, st.net.local_addr(&sock))
}

/// `sock_addr_peer(fd, ret_addr)` (`getpeername`).
pub fn sock_addr_peer(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    let (sock, _) = socket(st, fd)?;
    let peer = st.net.peer_addr(&sock)?;
    write_addr(m, out, peer)
}

/// `sock_status(fd, ret_status)`: opening, opened, closed, failed.
pub fn sock_status(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    let (sock, _) = socket(st, fd)?;
    mem::write_u8(m, out, st.net.status(&sock) as u8)
}

/// `sock_shutdown(fd, how)`.
pub fn sock_shutdown(st: &mut ProcState, fd: u32, how: i32) -> Result<(), Errno> {
    if how & !(SHUT_RD | SHUT_WR) != 0 || how == 0 {
        return Err(Errno::INVAL);
    }
    let (sock, _) = socket(st, fd)?;
    Ok(st.net.shutdown(&sock, how & SHUT_RD != 0, how & SHUT_WR != 0)?)
}

/// Registers the WASIX socket calls and `playground_v1.icmp_echo`.
pub fn link(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    l.func_wrap(MODULE, "sock_open", |mut c: Cx<'_>, af: i32, ty: i32, proto: i32, out: i32| {
        call(&mut c, |st, m| sock_open(st, m, af, ty, proto, u(out)))
    })?;
    l.func_wrap(MODULE, "sock_bind", |mut c: Cx<'_>, fd: i32, addr: i32| {
        call(&mut c, |st, m| sock_bind(st, m, u(fd), u(addr)))
    })?;
    l.func_wrap(MODULE, "sock_listen", |mut c: Cx<'_>, fd: i32, backlog: i32| {
        call(&mut c, |st, _| sock_listen(st, u(fd), u(backlog)))
    })?;
    l.func_wrap(MODULE, "sock_accept_v2", |mut c: Cx<'_>, fd: i32, flags: i32, ret_fd: i32, ret_addr: i32| {
        let since = c.data().clock.monotonic_micros();
        let op =
            SockOp::Accept { fd: u(fd), flags: flags as u16, ret_fd: u(ret_fd), ret_addr: Some(u(ret_addr)), since };
        blocking(&mut c, Op::Sock(op))
    })?;
    l.func_wrap(MODULE, "sock_connect", |mut c: Cx<'_>, fd: i32, addr: i32| {
        let since = c.data().clock.monotonic_micros();
        blocking(&mut c, Op::Sock(SockOp::Connect { fd: u(fd), addr: u(addr), since }))
    })?;
    l.func_wrap(
        MODULE,
        "sock_recv_from",
        |mut c: Cx<'_>, fd: i32, iovs: i32, len: i32, flags: i32, ret_len: i32, ret_flags: i32, ret_addr: i32| {
            let since = c.data().clock.monotonic_micros();
            let op = SockOp::Recv {
                fd: u(fd),
                iovs: u(iovs),
                iovs_len: u(len),
                flags: flags as u16,
                ret_len: u(ret_len),
                ret_flags: Some(u(ret_flags)),
                ret_addr: Some(u(ret_addr)),
                since,
            };
            blocking(&mut c, Op::Sock(op))
        },
    )?;
    l.func_wrap(
        MODULE,
        "sock_send_to",
        |mut c: Cx<'_>, fd: i32, iovs: i32, len: i32, flags: i32, addr: i32, ret_len: i32| {
            let since = c.data().clock.monotonic_micros();
            let op = SockOp::Send {
                fd: u(fd),
                iovs: u(iovs),
                iovs_len: u(len),
                flags: flags as u16,
                addr: Some(u(addr)),
                ret_len: u(ret_len),
                since,
            };
            blocking(&mut c, Op::Sock(op))
        },
    )?;
    l.func_wrap(MODULE, "sock_addr_local", |mut c: Cx<'_>, fd: i32, out: i32| {
        call(&mut c, |st, m| sock_addr_local(st, m, u(fd), u(out)))
    })?;
    l.func_wrap(MODULE, "sock_addr_peer", |mut c: Cx<'_>, fd: i32, out: i32| {
        call(&mut c, |st, m| sock_addr_peer(st, m, u(fd), u(out)))
    })?;
    l.func_wrap(MODULE, "sock_status", |mut c: Cx<'_>, fd: i32, out: i32| {
        call(&mut c, |st, m| sock_status(st, m, u(fd), u(out)))
    })?;
    sock_opt::link(l)?;
    l.func_wrap(
        MODULE,
        "resolve",
        |mut c: Cx<'_>, host: i32, len: i32, port: i32, addrs: i32, naddrs: i32, ret: i32| {
            call(&mut c, |st, m| {
                sock_resolve::resolve(st, m, u(host), u(len), port as u16, u(addrs), u(naddrs), u(ret))
            })
        },
    )?;
    l.func_wrap(
        PLAYGROUND,
        "icmp_echo",
        |mut c: Cx<'_>, addr: i32, _seq: i32, payload: i32, timeout_ms: i32, ret: i32| {
            let op = super::super::wasi::with_mem(&mut c, |st, m| {
                SockOp::echo(st, m, u(addr), u(payload), u(timeout_ms), u(ret))
            });
            match op {
                Ok(op) => blocking(&mut c, Op::Sock(op)),
                Err(e) => Ok(e.code()),
            }
        },
    )?;
    Ok(())
}

/// Registers WASI preview 1's socket calls (on descriptors the WASIX calls made).
pub fn link_wasi(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    let wasi = crate::process::wasi::MODULE;
    l.func_wrap(wasi, "sock_accept", |mut c: Cx<'_>, fd: i32, flags: i32, ret_fd: i32| {
        let since = c.data().clock.monotonic_micros();
        let op = SockOp::Accept { fd: u(fd), flags: flags as u16, ret_fd: u(ret_fd), ret_addr: None, since };
        blocking(&mut c, Op::Sock(op))
    })?;
    l.func_wrap(
        wasi,
        "sock_recv",
        |mut c: Cx<'_>, fd: i32, iovs: i32, len: i32, flags: i32, ret_len: i32, ret_flags: i32| {
            let since = c.data().clock.monotonic_micros();
            let op = SockOp::Recv {
                fd: u(fd),
                iovs: u(iovs),
                iovs_len: u(len),
                flags: flags as u16,
                ret_len: u(ret_len),
                ret_flags: Some(u(ret_flags)),
                ret_addr: None,
                since,
            };
            blocking(&mut c, Op::Sock(op))
        },
    )?;
    l.func_wrap(wasi, "sock_send", |mut c: Cx<'_>, fd: i32, iovs: i32, len: i32, flags: i32, ret_len: i32| {
        let since = c.data().clock.monotonic_micros();
        let op = SockOp::Send {
            fd: u(fd),
            iovs: u(iovs),
            iovs_len: u(len),
            flags: flags as u16,
            addr: None,
            ret_len: u(ret_len),
            since,
        };
        blocking(&mut c, Op::Sock(op))
    })?;
    l.func_wrap(wasi, "sock_shutdown", |mut c: Cx<'_>, fd: i32, how: i32| {
        call(&mut c, |st, _| sock_shutdown(st, u(fd), how))
    })?;
    Ok(())
}
