//! `std::net`'s types over WASIX sockets (wasm32-wasip1 only).

use std::io;

fn unsupported<T>() -> io::Result<T> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "sockets: not implemented yet"))
}

/// A TCP connection.
#[derive(Debug)]
pub struct TcpStream {
    #[allow(dead_code)]
    fd: u32,
}

impl TcpStream {
    pub fn connect(addr: std::net::SocketAddr) -> io::Result<Self> {
        let _ = addr;
        unsupported()
    }
}

impl io::Read for TcpStream {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        unsupported()
    }
}

impl io::Write for TcpStream {
    fn write(&mut self, _buf: &[u8]) -> io::Result<usize> {
        unsupported()
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A listening TCP socket.
#[derive(Debug)]
pub struct TcpListener {
    #[allow(dead_code)]
    fd: u32,
}

impl TcpListener {
    pub fn bind(addr: std::net::SocketAddr) -> io::Result<Self> {
        let _ = addr;
        unsupported()
    }

    pub fn accept(&self) -> io::Result<(TcpStream, std::net::SocketAddr)> {
        unsupported()
    }
}

/// A UDP socket.
#[derive(Debug)]
pub struct UdpSocket {
    #[allow(dead_code)]
    fd: u32,
}

impl UdpSocket {
    pub fn bind(addr: std::net::SocketAddr) -> io::Result<Self> {
        let _ = addr;
        unsupported()
    }
}
