//! `std::net`'s types over WASIX sockets (wasm32-wasip1 only): the same names and methods as
//! std's, so programs build natively against std and for the playground against these. Each
//! owns its descriptor and closes it when dropped.

mod ffi;

pub(crate) use ffi::{icmp_echo, poll_oneoff};

use crate::poll::AsRawSocket;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::time::Duration;

// `sockoption` values.
const REUSE_ADDR: i32 = 2;
const NO_DELAY: i32 = 3;
const BROADCAST: i32 = 6;
const LAST_ERROR: i32 = 11;
const RECV_TIMEOUT: i32 = 19;
const SEND_TIMEOUT: i32 = 20;
const CONNECT_TIMEOUT: i32 = 21;
const TTL: i32 = 23;

/// An owned socket descriptor.
#[derive(Debug)]
struct Socket(u32);

impl Socket {
    fn open(ty: i32) -> io::Result<Socket> {
        ffi::open(ty).map(Socket)
    }

    fn try_clone(&self) -> io::Result<Socket> {
        ffi::dup(self.0).map(Socket)
    }

    fn take_error(&self) -> io::Result<Option<io::Error>> {
        let e = ffi::get_size(self.0, LAST_ERROR)?;
        Ok((e != 0).then(|| io::Error::from_raw_os_error(e as i32)))
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        ffi::close(self.0);
    }
}

/// Tries each address in turn, as std does; the last error if none works.
fn each_addr<A: ToSocketAddrs, T>(addr: A, mut f: impl FnMut(SocketAddr) -> io::Result<T>) -> io::Result<T> {
    let mut last = None;
    for a in addr.to_socket_addrs()? {
        match f(a) {
            Ok(v) => return Ok(v),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "could not resolve to any addresses")))
}

/// A timeout of zero is refused, as std does.
fn check_timeout(t: Option<Duration>) -> io::Result<()> {
    if t == Some(Duration::ZERO) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "cannot set a 0 duration timeout"));
    }
    Ok(())
}

/// A TCP connection.
#[derive(Debug)]
pub struct TcpStream(Socket);

impl TcpStream {
    pub fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        each_addr(addr, |a| {
            let s = Socket::open(ffi::SOCK_STREAM)?;
            ffi::connect(s.0, a)?;
            Ok(TcpStream(s))
        })
    }

    /// Connects, giving up after `timeout` (`ErrorKind::TimedOut`).
    pub fn connect_timeout(addr: &SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
        check_timeout(Some(timeout))?;
        let s = Socket::open(ffi::SOCK_STREAM)?;
        ffi::set_time(s.0, CONNECT_TIMEOUT, Some(timeout))?;
        match ffi::connect(s.0, *addr) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(ffi::ERRNO_INPROGRESS) => {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "connection timed out"));
            }
            Err(e) => return Err(e),
        }
        ffi::set_time(s.0, CONNECT_TIMEOUT, None)?;
        Ok(TcpStream(s))
    }

    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        ffi::peer_addr(self.0 .0)
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        ffi::local_addr(self.0 .0)
    }

    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        let how = match how {
            Shutdown::Read => 1,
            Shutdown::Write => 2,
            Shutdown::Both => 3,
        };
        ffi::shutdown(self.0 .0, how)
    }

    pub fn try_clone(&self) -> io::Result<TcpStream> {
        self.0.try_clone().map(TcpStream)
    }

    pub fn set_read_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        check_timeout(t)?;
        ffi::set_time(self.0 .0, RECV_TIMEOUT, t)
    }

    pub fn set_write_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        check_timeout(t)?;
        ffi::set_time(self.0 .0, SEND_TIMEOUT, t)
    }

    pub fn read_timeout(&self) -> io::Result<Option<Duration>> {
        ffi::get_time(self.0 .0, RECV_TIMEOUT)
    }

    pub fn write_timeout(&self) -> io::Result<Option<Duration>> {
        ffi::get_time(self.0 .0, SEND_TIMEOUT)
    }

    pub fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        ffi::recv_from(self.0 .0, buf, true).map(|(n, _, _)| n)
    }

    pub fn set_nodelay(&self, on: bool) -> io::Result<()> {
        ffi::set_flag(self.0 .0, NO_DELAY, on)
    }

    pub fn nodelay(&self) -> io::Result<bool> {
        ffi::get_flag(self.0 .0, NO_DELAY)
    }

    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        ffi::set_size(self.0 .0, TTL, u64::from(ttl))
    }

    pub fn ttl(&self) -> io::Result<u32> {
        ffi::get_size(self.0 .0, TTL).map(|t| t as u32)
    }

    pub fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        ffi::set_nonblocking(self.0 .0, on)
    }

    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.0.take_error()
    }
}

impl Read for TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        ffi::read(self.0 .0, buf)
    }
}

impl Read for &TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        ffi::read(self.0 .0, buf)
    }
}

impl Write for TcpStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        ffi::write(self.0 .0, buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for &TcpStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        ffi::write(self.0 .0, buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A listening TCP socket.
#[derive(Debug)]
pub struct TcpListener(Socket);

impl TcpListener {
    /// Binds (with `SO_REUSEADDR`, as std does on Unix) and listens with a backlog of 128.
    pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        each_addr(addr, |a| {
            let s = Socket::open(ffi::SOCK_STREAM)?;
            ffi::set_flag(s.0, REUSE_ADDR, true)?;
            ffi::bind(s.0, a)?;
            ffi::listen(s.0, 128)?;
            Ok(TcpListener(s))
        })
    }

    pub fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (fd, peer) = ffi::accept(self.0 .0)?;
        Ok((TcpStream(Socket(fd)), peer))
    }

    /// Connections as they come (each `accept`'s result).
    pub fn incoming(&self) -> impl Iterator<Item = io::Result<TcpStream>> + '_ {
        std::iter::repeat_with(move || self.accept().map(|(s, _)| s))
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        ffi::local_addr(self.0 .0)
    }

    pub fn try_clone(&self) -> io::Result<TcpListener> {
        self.0.try_clone().map(TcpListener)
    }

    pub fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        ffi::set_nonblocking(self.0 .0, on)
    }

    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.0.take_error()
    }
}

/// A UDP socket.
#[derive(Debug)]
pub struct UdpSocket(Socket);

impl UdpSocket {
    pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket> {
        each_addr(addr, |a| {
            let s = Socket::open(ffi::SOCK_DGRAM)?;
            ffi::bind(s.0, a)?;
            Ok(UdpSocket(s))
        })
    }

    pub fn send_to<A: ToSocketAddrs>(&self, buf: &[u8], addr: A) -> io::Result<usize> {
        let to = addr
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no addresses to send data to"))?;
        ffi::send_to(self.0 .0, buf, Some(to))
    }

    /// The next datagram (the part that fits in `buf`) and its sender.
    pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        ffi::recv_from(self.0 .0, buf, false).map(|(n, _, from)| (n, from))
    }

    pub fn peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        ffi::recv_from(self.0 .0, buf, true).map(|(n, _, from)| (n, from))
    }

    pub fn connect<A: ToSocketAddrs>(&self, addr: A) -> io::Result<()> {
        each_addr(addr, |a| ffi::connect(self.0 .0, a))
    }

    pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
        ffi::send_to(self.0 .0, buf, None)
    }

    pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        ffi::recv_from(self.0 .0, buf, false).map(|(n, _, _)| n)
    }

    pub fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        ffi::recv_from(self.0 .0, buf, true).map(|(n, _, _)| n)
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        ffi::local_addr(self.0 .0)
    }

    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        ffi::peer_addr(self.0 .0)
    }

    pub fn try_clone(&self) -> io::Result<UdpSocket> {
        self.0.try_clone().map(UdpSocket)
    }

    pub fn set_read_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        check_timeout(t)?;
        ffi::set_time(self.0 .0, RECV_TIMEOUT, t)
    }

    pub fn set_write_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        check_timeout(t)?;
        ffi::set_time(self.0 .0, SEND_TIMEOUT, t)
    }

    pub fn read_timeout(&self) -> io::Result<Option<Duration>> {
        ffi::get_time(self.0 .0, RECV_TIMEOUT)
    }

    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        ffi::set_flag(self.0 .0, BROADCAST, on)
    }

    pub fn broadcast(&self) -> io::Result<bool> {
        ffi::get_flag(self.0 .0, BROADCAST)
    }

    pub fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        ffi::set_nonblocking(self.0 .0, on)
    }

    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.0.take_error()
    }
}

macro_rules! raw_socket {
    ($($t:ty),*) => {$(
        impl AsRawSocket for $t {
            fn raw_socket(&self) -> i32 {
                self.0 .0 as i32
            }
        }
    )*};
}
raw_socket!(TcpStream, TcpListener, UdpSocket);
