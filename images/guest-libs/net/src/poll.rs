//! Waiting on several descriptors at once (`poll(2)`): how one-threaded servers serve many
//! clients and how `nc` copies stdin to a socket and the socket to stdout at the same time.
//! On wasm32-wasip1 this is WASI's `poll_oneoff`; natively, libc's `poll`.

use std::io;
use std::time::Duration;

/// Something with a descriptor that [`poll`] can watch.
pub trait AsRawSocket {
    fn raw_socket(&self) -> i32;
}

/// One descriptor to watch, and what happened to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollFd {
    pub fd: i32,
    /// Wake when a read would not block (data, a connection to accept, or end of stream).
    pub read: bool,
    /// Wake when a write would not block.
    pub write: bool,
    /// Set by [`poll`].
    pub readable: bool,
    pub writable: bool,
    /// The peer closed or the descriptor failed.
    pub hangup: bool,
}

impl PollFd {
    pub fn new(fd: i32, read: bool, write: bool) -> Self {
        Self { fd, read, write, ..Self::default() }
    }
}

/// Waits until one of `fds` is ready or `timeout` passes (`None`: no limit). Returns how many
/// are ready.
#[cfg(target_os = "wasi")]
pub fn poll(fds: &mut [PollFd], timeout: Option<Duration>) -> io::Result<usize> {
    let _ = (fds, timeout);
    Err(io::Error::new(io::ErrorKind::Unsupported, "poll: not implemented yet"))
}

/// Waits until one of `fds` is ready or `timeout` passes (`None`: no limit). Returns how many
/// are ready.
#[cfg(not(target_os = "wasi"))]
pub fn poll(fds: &mut [PollFd], timeout: Option<Duration>) -> io::Result<usize> {
    native::poll(fds, timeout)
}

/// libc's `poll(2)`, for the native builds the programs' tests run on.
#[cfg(not(target_os = "wasi"))]
mod native {
    use super::{AsRawSocket, PollFd};
    use std::io;
    use std::os::fd::AsRawFd;
    use std::time::Duration;

    macro_rules! raw_socket {
        ($($t:ty),*) => {$(
            impl AsRawSocket for $t {
                fn raw_socket(&self) -> i32 {
                    self.as_raw_fd()
                }
            }
        )*};
    }
    raw_socket!(std::net::TcpStream, std::net::TcpListener, std::net::UdpSocket);

    pub fn poll(fds: &mut [PollFd], timeout: Option<Duration>) -> io::Result<usize> {
        let mut raw: Vec<libc::pollfd> = fds
            .iter()
            .map(|f| libc::pollfd {
                fd: f.fd,
                events: (if f.read { libc::POLLIN } else { 0 }) | (if f.write { libc::POLLOUT } else { 0 }),
                revents: 0,
            })
            .collect();
        // Rounded up: a sub-millisecond timeout must not become "return at once" forever.
        let ms = timeout.map_or(-1, |t| i32::try_from(t.as_nanos().div_ceil(1_000_000)).unwrap_or(i32::MAX));
        #[allow(unsafe_code)]
        // SAFETY: `raw` is a live array of `raw.len()` pollfd structures.
        let n = unsafe { libc::poll(raw.as_mut_ptr(), raw.len() as libc::nfds_t, ms) };
        if n < 0 {
            let err = io::Error::last_os_error();
            // A signal arrived: nothing is ready, the caller looks at its signal flags.
            return if err.kind() == io::ErrorKind::Interrupted { Ok(0) } else { Err(err) };
        }
        for (f, r) in fds.iter_mut().zip(&raw) {
            f.readable = r.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0 && f.read;
            f.writable = r.revents & (libc::POLLOUT | libc::POLLERR) != 0 && f.write;
            f.hangup = r.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0;
        }
        Ok(n as usize)
    }
}

#[cfg(all(test, not(target_os = "wasi")))]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::{TcpListener, TcpStream};

    #[test]
    fn a_listener_is_readable_once_a_client_connects_and_a_stream_once_data_arrives() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut fds = [PollFd::new(listener.raw_socket(), true, false)];
        assert_eq!(poll(&mut fds, Some(Duration::from_millis(10))).unwrap(), 0);
        assert!(!fds[0].readable);
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        assert_eq!(poll(&mut fds, Some(Duration::from_secs(5))).unwrap(), 1);
        assert!(fds[0].readable);
        let (server, _) = listener.accept().unwrap();
        let mut fds = [PollFd::new(server.raw_socket(), true, true)];
        poll(&mut fds, Some(Duration::from_secs(5))).unwrap();
        assert!(fds[0].writable && !fds[0].readable);
        client.write_all(b"x").unwrap();
        let mut fds = [PollFd::new(server.raw_socket(), true, false)];
        poll(&mut fds, Some(Duration::from_secs(5))).unwrap();
        assert!(fds[0].readable);
    }
}
