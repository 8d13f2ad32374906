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
    wasi::poll(fds, timeout)
}

/// WASI's `poll_oneoff`: one `fd_read` and/or `fd_write` subscription per descriptor (userdata:
/// index * 2, + 1 for writing), and a relative monotonic clock for the timeout.
#[cfg(target_os = "wasi")]
mod wasi {
    use super::PollFd;
    use std::io;
    use std::time::Duration;

    const CLOCK: u64 = u64::MAX;
    const EVENTTYPE_CLOCK: u64 = 0;
    const EVENTTYPE_FD_READ: u64 = 1;
    const EVENTTYPE_FD_WRITE: u64 = 2;
    const CLOCK_MONOTONIC: u64 = 1;
    const HANGUP: u64 = 1;

    pub fn poll(fds: &mut [PollFd], timeout: Option<Duration>) -> io::Result<usize> {
        // A subscription is 48 bytes: userdata, tag (at 8), then fd (at 16) or clock id (16),
        // timeout (24), precision (32), flags (40).
        let mut subs: Vec<[u64; 6]> = Vec::new();
        for (i, f) in fds.iter_mut().enumerate() {
            f.readable = false;
            f.writable = false;
            f.hangup = false;
            let i = i as u64;
            if f.read {
                subs.push([i * 2, EVENTTYPE_FD_READ, f.fd as u32 as u64, 0, 0, 0]);
            }
            if f.write {
                subs.push([i * 2 + 1, EVENTTYPE_FD_WRITE, f.fd as u32 as u64, 0, 0, 0]);
            }
        }
        if let Some(t) = timeout {
            let ns = t.as_nanos().min(u128::from(u64::MAX)) as u64;
            subs.push([CLOCK, EVENTTYPE_CLOCK, CLOCK_MONOTONIC, ns, 0, 0]);
        }
        if subs.is_empty() {
            // Nothing to wait for, and no end: as poll(2) with no descriptors, forever.
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "poll: nothing to wait for"));
        }
        // An event is 32 bytes: userdata, error (u16 at 8), type (at 10), nbytes (16),
        // flags (u16 at 24).
        let mut events = vec![[0u64; 4]; subs.len()];
        // A signal the program handles ends the wait early (`EINTR`): nothing is ready, and the
        // caller's loop looks at what its handler recorded.
        let n = match crate::wasi::poll_oneoff(&subs, &mut events) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
            Err(e) => return Err(e),
        };
        for e in &events[..n] {
            let userdata = e[0];
            if userdata == CLOCK {
                continue;
            }
            let Some(f) = fds.get_mut((userdata / 2) as usize) else { continue };
            let error = e[1] & 0xffff;
            let hangup = e[3] & 0xffff & HANGUP != 0;
            if userdata % 2 == 0 {
                f.readable = true;
            } else {
                f.writable = true;
            }
            f.hangup |= hangup || error != 0;
        }
        Ok(fds.iter().filter(|f| f.readable || f.writable || f.hangup).count())
    }
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
