//! Socket options (`setsockopt`, `getsockopt`) in WASIX's three shapes: flags
//! (`SO_REUSEADDR`, `TCP_NODELAY`, `SO_KEEPALIVE`...), times (`SO_RCVTIMEO`, `SO_SNDTIMEO`,
//! WASIX's connect and accept timeouts) and sizes (buffer sizes, `IP_TTL`, and read-only ones:
//! `SO_TYPE`, `SO_PROTOCOL`, `SO_ERROR`). The timeouts are honoured by the calls that wait
//! (see `sock_io`); the others are kept and reported back.

use super::sock_io::socket;
use super::MODULE;
use crate::network::stack::socket::State;
use crate::network::stack::SockKind;
use crate::process::errno::Errno;
use crate::process::mem;
use crate::process::state::ProcState;
use crate::process::wasi::{call, Cx};
use wasmi::errors::LinkerError;
use wasmi::Linker;

// `sockoption` values (WASIX).
const REUSE_PORT: u8 = 1;
const REUSE_ADDR: u8 = 2;
const NO_DELAY: u8 = 3;
const DONT_ROUTE: u8 = 4;
const BROADCAST: u8 = 6;
const LISTENING: u8 = 10;
const LAST_ERROR: u8 = 11;
const KEEP_ALIVE: u8 = 12;
const LINGER: u8 = 13;
const OOB_INLINE: u8 = 14;
const RECV_BUF_SIZE: u8 = 15;
const SEND_BUF_SIZE: u8 = 16;
const RECV_LOWAT: u8 = 17;
const SEND_LOWAT: u8 = 18;
const RECV_TIMEOUT: u8 = 19;
const SEND_TIMEOUT: u8 = 20;
const CONNECT_TIMEOUT: u8 = 21;
const ACCEPT_TIMEOUT: u8 = 22;
const TTL: u8 = 23;
const MULTICAST_TTL_V4: u8 = 24;
const TYPE: u8 = 25;
const PROTO: u8 = 26;

/// Linux's defaults, as `getsockopt` reports them.
const DEFAULT_RCVBUF: u64 = 131_072;
const DEFAULT_SNDBUF: u64 = 16_384;
const DEFAULT_TTL: u64 = 64;

fn opt(v: i32) -> Result<u8, Errno> {
    u8::try_from(v).map_err(|_| Errno::INVAL)
}

/// `sock_set_opt_flag(fd, option, flag)`.
pub fn set_flag(st: &mut ProcState, fd: u32, option: u8, on: bool) -> Result<(), Errno> {
    let (sock, _) = socket(st, fd)?;
    let mut s = sock.borrow_mut();
    let o = &mut s.opts;
    match option {
        REUSE_PORT => o.reuse_port = on,
        REUSE_ADDR => o.reuse_addr = on,
        NO_DELAY => o.no_delay = on,
        KEEP_ALIVE => o.keep_alive = on,
        BROADCAST => o.broadcast = on,
        OOB_INLINE => o.oob_inline = on,
        // Accepted, with nothing to change here.
        DONT_ROUTE | LINGER => {}
        _ => return Err(Errno::NOPROTOOPT),
    }
    Ok(())
}

/// `sock_get_opt_flag(fd, option, ret_flag)`.
pub fn get_flag(st: &mut ProcState, m: &mut [u8], fd: u32, option: u8, out: u32) -> Result<(), Errno> {
    let (sock, _) = socket(st, fd)?;
    let s = sock.borrow();
    let o = s.opts;
    let on = match option {
        REUSE_PORT => o.reuse_port,
        REUSE_ADDR => o.reuse_addr,
        NO_DELAY => o.no_delay,
        KEEP_ALIVE => o.keep_alive,
        BROADCAST => o.broadcast,
        OOB_INLINE => o.oob_inline,
        DONT_ROUTE | LINGER => false,
        LISTENING => matches!(s.state, State::Listening { .. }),
        _ => return Err(Errno::NOPROTOOPT),
    };
    mem::write_u8(m, out, u8::from(on))
}

/// `sock_set_opt_time(fd, option, timeout)`: an `option_timestamp` (tag at 0, nanoseconds at
/// 8); none or zero means no limit.
pub fn set_time(st: &mut ProcState, m: &mut [u8], fd: u32, option: u8, at: u32) -> Result<(), Errno> {
    let tag = mem::read_u8(m, at)?;
    let ns = mem::read_u64(m, mem::offset(at, 8)?)?;
    let micros = match tag {
        0 => None,
        1 => Some(ns.div_ceil(1000)).filter(|&t| t > 0),
        _ => return Err(Errno::INVAL),
    };
    let (sock, _) = socket(st, fd)?;
    let o = &mut sock.borrow_mut().opts;
    match option {
        RECV_TIMEOUT => o.recv_timeout = micros,
        SEND_TIMEOUT => o.send_timeout = micros,
        CONNECT_TIMEOUT => o.connect_timeout = micros,
        ACCEPT_TIMEOUT => o.accept_timeout = micros,
        LINGER => {}
        _ => return Err(Errno::NOPROTOOPT),
    }
    Ok(())
}

/// `sock_get_opt_time(fd, option, ret_timeout)`.
pub fn get_time(st: &mut ProcState, m: &mut [u8], fd: u32, option: u8, out: u32) -> Result<(), Errno> {
    let (sock, _) = socket(st, fd)?;
    let o = sock.borrow().opts;
    let t = match option {
        RECV_TIMEOUT => o.recv_timeout,
        SEND_TIMEOUT => o.send_timeout,
        CONNECT_TIMEOUT => o.connect_timeout,
        ACCEPT_TIMEOUT => o.accept_timeout,
        LINGER => None,
        _ => return Err(Errno::NOPROTOOPT),
    };
    let buf = mem::bytes_mut(m, out, 16)?;
    buf.fill(0);
    if let Some(us) = t {
        buf[0] = 1;
        buf[8..16].copy_from_slice(&us.saturating_mul(1000).to_le_bytes());
    }
    Ok(())
}

/// `sock_set_opt_size(fd, option, size)`.
pub fn set_size(st: &mut ProcState, fd: u32, option: u8, size: u64) -> Result<(), Errno> {
    let (sock, _) = socket(st, fd)?;
    let o = &mut sock.borrow_mut().opts;
    match option {
        RECV_BUF_SIZE => o.recv_buf = Some(size),
        SEND_BUF_SIZE => o.send_buf = Some(size),
        TTL => o.ttl = Some(u32::try_from(size).ok().filter(|t| (1..=255).contains(t)).ok_or(Errno::INVAL)?),
        RECV_LOWAT | SEND_LOWAT | MULTICAST_TTL_V4 => {}
        _ => return Err(Errno::NOPROTOOPT),
    }
    Ok(())
}

/// `sock_get_opt_size(fd, option, ret_size)`. `LAST_ERROR` (`SO_ERROR`) reports the pending
/// error (a failed non-blocking connect) and clears it.
pub fn get_size(st: &mut ProcState, m: &mut [u8], fd: u32, option: u8, out: u32) -> Result<(), Errno> {
    mem::bytes(m, out, 8)?;
    let (sock, _) = socket(st, fd)?;
    let mut s = sock.borrow_mut();
    let v = match option {
        // Linux doubles what was asked (bookkeeping overhead) and reports that.
        RECV_BUF_SIZE => s.opts.recv_buf.map_or(DEFAULT_RCVBUF, |b| b.saturating_mul(2)),
        SEND_BUF_SIZE => s.opts.send_buf.map_or(DEFAULT_SNDBUF, |b| b.saturating_mul(2)),
        TTL => s.opts.ttl.map_or(DEFAULT_TTL, u64::from),
        RECV_LOWAT | SEND_LOWAT => 1,
        MULTICAST_TTL_V4 => 1,
        TYPE => match s.kind {
            SockKind::Tcp => 1,
            SockKind::Udp => 2,
        },
        PROTO => match s.kind {
            SockKind::Tcp => 6,
            SockKind::Udp => 17,
        },
        LAST_ERROR => s.error.take().map_or(0, |e| u64::from(Errno::from(e).0)),
        _ => return Err(Errno::NOPROTOOPT),
    };
    mem::write_u64(m, out, v)
}

pub fn link(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    let u = |v: i32| v as u32;
    l.func_wrap(MODULE, "sock_set_opt_flag", move |mut c: Cx<'_>, fd: i32, o: i32, flag: i32| {
        call(&mut c, |st, _| set_flag(st, u(fd), opt(o)?, flag != 0))
    })?;
    l.func_wrap(MODULE, "sock_get_opt_flag", move |mut c: Cx<'_>, fd: i32, o: i32, out: i32| {
        call(&mut c, |st, m| get_flag(st, m, u(fd), opt(o)?, u(out)))
    })?;
    l.func_wrap(MODULE, "sock_set_opt_time", move |mut c: Cx<'_>, fd: i32, o: i32, at: i32| {
        call(&mut c, |st, m| set_time(st, m, u(fd), opt(o)?, u(at)))
    })?;
    l.func_wrap(MODULE, "sock_get_opt_time", move |mut c: Cx<'_>, fd: i32, o: i32, out: i32| {
        call(&mut c, |st, m| get_time(st, m, u(fd), opt(o)?, u(out)))
    })?;
    l.func_wrap(MODULE, "sock_set_opt_size", move |mut c: Cx<'_>, fd: i32, o: i32, size: i64| {
        call(&mut c, |st, _| set_size(st, u(fd), opt(o)?, size as u64))
    })?;
    l.func_wrap(MODULE, "sock_get_opt_size", move |mut c: Cx<'_>, fd: i32, o: i32, out: i32| {
        call(&mut c, |st, m| get_size(st, m, u(fd), opt(o)?, u(out)))
    })?;
    Ok(())
}
