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
pub fn poll(fds: &mut [PollFd], timeout: Option<Duration>) -> io::Result<usize> {
    let _ = (fds, timeout);
    Err(io::Error::new(io::ErrorKind::Unsupported, "poll: not implemented yet"))
}
