//! The raw imports (WASIX `wasix_32v1`, WASI preview 1, the playground's `icmp_echo`) and safe
//! wrappers over them: the only `unsafe` of the crate. Each wrapper passes pointers to live
//! local buffers of the sizes the calls write, and turns the errno into an `io::Error` (on
//! wasm32-wasip1, std's raw OS errors are WASI errnos, so `ErrorKind` comes out right).
//!
//! Addresses are WASIX `addr_port` records: family tag at 0 (1 = IPv4), port at 2, the address
//! at 4. As under Wasmer, the port the guest passes is a native (little-endian) `u16` and the
//! port the runtime writes back is in network byte order; see the crate's README.
#![allow(unsafe_code)]

use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

mod raw {
    #[link(wasm_import_module = "wasix_32v1")]
    extern "C" {
        pub fn sock_open(af: i32, ty: i32, proto: i32, ret_fd: i32) -> i32;
        pub fn sock_bind(fd: i32, addr: i32) -> i32;
        pub fn sock_listen(fd: i32, backlog: i32) -> i32;
        pub fn sock_accept_v2(fd: i32, flags: i32, ret_fd: i32, ret_addr: i32) -> i32;
        pub fn sock_connect(fd: i32, addr: i32) -> i32;
        pub fn sock_recv_from(
            fd: i32,
            iovs: i32,
            len: i32,
            flags: i32,
            ret_len: i32,
            ret_flags: i32,
            ret_addr: i32,
        ) -> i32;
        pub fn sock_send_to(fd: i32, iovs: i32, len: i32, flags: i32, addr: i32, ret_len: i32) -> i32;
        pub fn sock_addr_local(fd: i32, ret_addr: i32) -> i32;
        pub fn sock_addr_peer(fd: i32, ret_addr: i32) -> i32;
        pub fn sock_set_opt_flag(fd: i32, opt: i32, flag: i32) -> i32;
        pub fn sock_get_opt_flag(fd: i32, opt: i32, ret: i32) -> i32;
        pub fn sock_set_opt_time(fd: i32, opt: i32, time: i32) -> i32;
        pub fn sock_get_opt_time(fd: i32, opt: i32, ret: i32) -> i32;
        pub fn sock_set_opt_size(fd: i32, opt: i32, size: i64) -> i32;
        pub fn sock_get_opt_size(fd: i32, opt: i32, ret: i32) -> i32;
        pub fn fd_dup(fd: i32, ret_fd: i32) -> i32;
    }
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn sock_shutdown(fd: i32, how: i32) -> i32;
        pub fn fd_close(fd: i32) -> i32;
        pub fn fd_fdstat_get(fd: i32, ret: i32) -> i32;
        pub fn fd_fdstat_set_flags(fd: i32, flags: i32) -> i32;
        pub fn poll_oneoff(subs: i32, events: i32, nsubs: i32, ret_n: i32) -> i32;
    }
    #[link(wasm_import_module = "playground_v1")]
    extern "C" {
        pub fn icmp_echo(addr: i32, seq: i32, payload_len: i32, timeout_ms: i32, ret: i32) -> i32;
    }
}

/// A WASIX `addr_port` (110 bytes in the `wasix` crate's layout; the runtime uses the first 20).
#[repr(C, align(8))]
struct AddrBuf([u8; 112]);

impl AddrBuf {
    fn empty() -> Self {
        AddrBuf([0; 112])
    }

    fn from(addr: SocketAddr) -> io::Result<Self> {
        let SocketAddr::V4(v4) = addr else {
            return Err(io::Error::from_raw_os_error(ERRNO_AFNOSUPPORT));
        };
        let mut b = Self::empty();
        b.0[0] = 1;
        b.0[2..4].copy_from_slice(&v4.port().to_le_bytes());
        b.0[4..8].copy_from_slice(&v4.ip().octets());
        Ok(b)
    }

    fn get(&self) -> io::Result<SocketAddr> {
        if self.0[0] != 1 {
            return Err(io::Error::from_raw_os_error(ERRNO_AFNOSUPPORT));
        }
        let ip = Ipv4Addr::new(self.0[4], self.0[5], self.0[6], self.0[7]);
        Ok(SocketAddr::V4(SocketAddrV4::new(ip, u16::from_be_bytes([self.0[2], self.0[3]]))))
    }

    /// For the calls that read it.
    fn ptr(&self) -> i32 {
        self.0.as_ptr() as i32
    }

    /// For the calls that write it.
    fn out(&mut self) -> i32 {
        self.0.as_mut_ptr() as i32
    }
}

/// WASI `EAFNOSUPPORT`.
pub const ERRNO_AFNOSUPPORT: i32 = 5;
/// WASI `EINPROGRESS`.
pub const ERRNO_INPROGRESS: i32 = 26;

fn check(errno: i32) -> io::Result<()> {
    if errno == 0 {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(errno))
    }
}

/// A scatter/gather entry (`iovec`, `ciovec`).
#[repr(C)]
struct IoVec {
    ptr: i32,
    len: i32,
}

pub const SOCK_STREAM: i32 = 1;
pub const SOCK_DGRAM: i32 = 2;

pub fn open(ty: i32) -> io::Result<u32> {
    let mut fd = 0u32;
    // SAFETY: `fd` is a live u32 the call writes.
    check(unsafe { raw::sock_open(1, ty, 0, &mut fd as *mut u32 as i32) })?;
    Ok(fd)
}

pub fn bind(fd: u32, addr: SocketAddr) -> io::Result<()> {
    let a = AddrBuf::from(addr)?;
    // SAFETY: `a` is a live addr_port.
    check(unsafe { raw::sock_bind(fd as i32, a.ptr()) })
}

pub fn listen(fd: u32, backlog: u32) -> io::Result<()> {
    // SAFETY: no pointers.
    check(unsafe { raw::sock_listen(fd as i32, backlog as i32) })
}

pub fn accept(fd: u32) -> io::Result<(u32, SocketAddr)> {
    let mut new = 0u32;
    let mut a = AddrBuf::empty();
    // SAFETY: `new` and `a` are live buffers the call writes.
    check(unsafe { raw::sock_accept_v2(fd as i32, 0, &mut new as *mut u32 as i32, a.out()) })?;
    Ok((new, a.get()?))
}

pub fn connect(fd: u32, addr: SocketAddr) -> io::Result<()> {
    let a = AddrBuf::from(addr)?;
    // SAFETY: `a` is a live addr_port.
    check(unsafe { raw::sock_connect(fd as i32, a.ptr()) })
}

/// `recvfrom` into `buf`: the count, whether the datagram was cut, and the sender.
pub fn recv_from(fd: u32, buf: &mut [u8], peek: bool) -> io::Result<(usize, bool, SocketAddr)> {
    let iov = IoVec { ptr: buf.as_mut_ptr() as i32, len: buf.len() as i32 };
    let (mut n, mut flags) = (0u32, 0u16);
    let mut a = AddrBuf::empty();
    let f = if peek { 1 } else { 0 };
    // SAFETY: `iov` describes `buf`; `n`, `flags`, `a` are live buffers the call writes.
    check(unsafe {
        raw::sock_recv_from(
            fd as i32,
            &iov as *const IoVec as i32,
            1,
            f,
            &mut n as *mut u32 as i32,
            &mut flags as *mut u16 as i32,
            a.out(),
        )
    })?;
    let from = a.get().unwrap_or(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)));
    Ok((n as usize, flags & 1 != 0, from))
}

/// `sendto` (`to: None`: the connected peer, i.e. `send`/`write`).
pub fn send_to(fd: u32, buf: &[u8], to: Option<SocketAddr>) -> io::Result<usize> {
    let Some(to) = to else {
        return write(fd, buf);
    };
    let iov = IoVec { ptr: buf.as_ptr() as i32, len: buf.len() as i32 };
    let a = AddrBuf::from(to)?;
    let mut n = 0u32;
    // SAFETY: `iov` describes `buf`; `a` is a live addr_port; `n` a live u32.
    check(unsafe {
        raw::sock_send_to(fd as i32, &iov as *const IoVec as i32, 1, 0, a.ptr(), &mut n as *mut u32 as i32)
    })?;
    Ok(n as usize)
}

mod p1 {
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn fd_read(fd: i32, iovs: i32, len: i32, ret: i32) -> i32;
        pub fn fd_write(fd: i32, iovs: i32, len: i32, ret: i32) -> i32;
    }
}

pub fn read(fd: u32, buf: &mut [u8]) -> io::Result<usize> {
    let iov = IoVec { ptr: buf.as_mut_ptr() as i32, len: buf.len() as i32 };
    let mut n = 0u32;
    // SAFETY: `iov` describes `buf`; `n` is a live u32.
    check(unsafe { p1::fd_read(fd as i32, &iov as *const IoVec as i32, 1, &mut n as *mut u32 as i32) })?;
    Ok(n as usize)
}

pub fn write(fd: u32, buf: &[u8]) -> io::Result<usize> {
    let iov = IoVec { ptr: buf.as_ptr() as i32, len: buf.len() as i32 };
    let mut n = 0u32;
    // SAFETY: `iov` describes `buf`; `n` is a live u32.
    check(unsafe { p1::fd_write(fd as i32, &iov as *const IoVec as i32, 1, &mut n as *mut u32 as i32) })?;
    Ok(n as usize)
}

pub fn local_addr(fd: u32) -> io::Result<SocketAddr> {
    let mut a = AddrBuf::empty();
    // SAFETY: `a` is a live buffer the call writes.
    check(unsafe { raw::sock_addr_local(fd as i32, a.out()) })?;
    a.get()
}

pub fn peer_addr(fd: u32) -> io::Result<SocketAddr> {
    let mut a = AddrBuf::empty();
    // SAFETY: `a` is a live buffer the call writes.
    check(unsafe { raw::sock_addr_peer(fd as i32, a.out()) })?;
    a.get()
}

pub fn set_flag(fd: u32, opt: i32, on: bool) -> io::Result<()> {
    // SAFETY: no pointers.
    check(unsafe { raw::sock_set_opt_flag(fd as i32, opt, i32::from(on)) })
}

pub fn get_flag(fd: u32, opt: i32) -> io::Result<bool> {
    let mut b = 0u8;
    // SAFETY: `b` is a live byte the call writes.
    check(unsafe { raw::sock_get_opt_flag(fd as i32, opt, &mut b as *mut u8 as i32) })?;
    Ok(b != 0)
}

/// An `option_timestamp`: tag at 0, nanoseconds at 8.
#[repr(C)]
struct OptionTimestamp {
    tag: u8,
    ns: u64,
}

pub fn set_time(fd: u32, opt: i32, t: Option<std::time::Duration>) -> io::Result<()> {
    let v = OptionTimestamp {
        tag: u8::from(t.is_some()),
        ns: t.map_or(0, |d| d.as_nanos().min(u128::from(u64::MAX)) as u64),
    };
    // SAFETY: `v` is a live option_timestamp.
    check(unsafe { raw::sock_set_opt_time(fd as i32, opt, &v as *const OptionTimestamp as i32) })
}

pub fn get_time(fd: u32, opt: i32) -> io::Result<Option<std::time::Duration>> {
    let mut v = OptionTimestamp { tag: 0, ns: 0 };
    // SAFETY: `v` is a live option_timestamp the call writes.
    check(unsafe { raw::sock_get_opt_time(fd as i32, opt, &mut v as *mut OptionTimestamp as i32) })?;
    Ok((v.tag == 1).then(|| std::time::Duration::from_nanos(v.ns)))
}

pub fn set_size(fd: u32, opt: i32, size: u64) -> io::Result<()> {
    // SAFETY: no pointers.
    check(unsafe { raw::sock_set_opt_size(fd as i32, opt, size as i64) })
}

pub fn get_size(fd: u32, opt: i32) -> io::Result<u64> {
    let mut v = 0u64;
    // SAFETY: `v` is a live u64 the call writes.
    check(unsafe { raw::sock_get_opt_size(fd as i32, opt, &mut v as *mut u64 as i32) })?;
    Ok(v)
}

pub fn shutdown(fd: u32, how: i32) -> io::Result<()> {
    // SAFETY: no pointers.
    check(unsafe { raw::sock_shutdown(fd as i32, how) })
}

pub fn close(fd: u32) {
    // SAFETY: no pointers. Errors on close are not reported (as std's `Drop` does).
    unsafe { raw::fd_close(fd as i32) };
}

pub fn dup(fd: u32) -> io::Result<u32> {
    let mut new = 0u32;
    // SAFETY: `new` is a live u32 the call writes.
    check(unsafe { raw::fd_dup(fd as i32, &mut new as *mut u32 as i32) })?;
    Ok(new)
}

/// Sets or clears `O_NONBLOCK` (keeping the other `fdflags`).
pub fn set_nonblocking(fd: u32, on: bool) -> io::Result<()> {
    let mut stat = [0u8; 24];
    // SAFETY: `stat` is a live 24-byte fdstat the call writes.
    check(unsafe { raw::fd_fdstat_get(fd as i32, stat.as_mut_ptr() as i32) })?;
    let flags = u16::from_le_bytes([stat[2], stat[3]]);
    let flags = if on { flags | 4 } else { flags & !4 };
    // SAFETY: no pointers.
    check(unsafe { raw::fd_fdstat_set_flags(fd as i32, i32::from(flags)) })
}

/// `poll_oneoff` over `subs` (48-byte subscriptions) into `events` (32-byte events, as many);
/// the number of events.
pub fn poll_oneoff(subs: &[[u64; 6]], events: &mut [[u64; 4]]) -> io::Result<usize> {
    let mut n = 0u32;
    // SAFETY: `subs` and `events` are live arrays of `subs.len()` records of the right sizes
    // (8-byte aligned), `n` a live u32.
    check(unsafe {
        raw::poll_oneoff(subs.as_ptr() as i32, events.as_mut_ptr() as i32, subs.len() as i32, &mut n as *mut u32 as i32)
    })?;
    Ok(n as usize)
}

/// `playground_v1.icmp_echo`: (ttl, rtt in µs).
pub fn icmp_echo(dst: Ipv4Addr, seq: u16, payload: usize, timeout_ms: u32) -> io::Result<(u32, u32)> {
    let addr = dst.octets();
    let mut ret = [0u32; 2];
    // SAFETY: `addr` is 4 live bytes; `ret` 8 live bytes the call writes.
    check(unsafe {
        raw::icmp_echo(addr.as_ptr() as i32, i32::from(seq), payload as i32, timeout_ms as i32, ret.as_mut_ptr() as i32)
    })?;
    Ok((ret[0], ret[1]))
}
