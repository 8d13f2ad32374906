//! One direction of a TCP connection: the bytes one side has sent and the other not yet read.
//! A TCP connection here is a pair of these, not packets: the guarantees TCP gives (bytes in
//! order, none lost, flow control, end of stream) are those of a bounded queue. When the queue is
//! full the sender waits ([`STREAM_CAPACITY`], the receive window); `shutdown(SHUT_WR)` or
//! `close` is the FIN (the reader sees end of stream once it has read everything); a reset (the
//! peer's namespace removed) makes both sides fail with `ECONNRESET`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Bytes in flight one way before the writer must wait (a typical Linux receive buffer).
pub const STREAM_CAPACITY: usize = 128 * 1024;

#[derive(Debug, Default)]
struct Buf {
    data: VecDeque<u8>,
    /// The writer sent its FIN (`shutdown(SHUT_WR)` or `close`).
    fin: bool,
    /// The reader is gone (closed): writes fail with `EPIPE`.
    reader_gone: bool,
    /// The connection was reset.
    reset: bool,
}

/// A shared handle on one direction; clones refer to the same queue.
#[derive(Debug, Clone, Default)]
pub struct Stream(Rc<RefCell<Buf>>);

impl Stream {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether both handles are the same queue.
    pub fn same(&self, other: &Stream) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// Appends as much of `bytes` as fits; how many were taken.
    pub fn push(&self, bytes: &[u8]) -> usize {
        let mut b = self.0.borrow_mut();
        let n = STREAM_CAPACITY.saturating_sub(b.data.len()).min(bytes.len());
        b.data.extend(&bytes[..n]);
        n
    }

    /// Moves up to `max` bytes out (`peek`: leaves them there).
    pub fn take(&self, max: usize, peek: bool) -> Vec<u8> {
        let mut b = self.0.borrow_mut();
        let n = max.min(b.data.len());
        if peek {
            b.data.iter().take(n).copied().collect()
        } else {
            b.data.drain(..n).collect()
        }
    }

    pub fn len(&self) -> usize {
        self.0.borrow().data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many bytes a write could take now.
    pub fn room(&self) -> usize {
        STREAM_CAPACITY.saturating_sub(self.len())
    }

    pub fn finish(&self) {
        self.0.borrow_mut().fin = true;
    }

    pub fn finished(&self) -> bool {
        self.0.borrow().fin
    }

    pub fn close_reader(&self) {
        self.0.borrow_mut().reader_gone = true;
    }

    pub fn reader_gone(&self) -> bool {
        self.0.borrow().reader_gone
    }

    /// Resets the connection this direction belongs to: unread bytes are lost.
    pub fn reset(&self) {
        let mut b = self.0.borrow_mut();
        b.reset = true;
        b.data.clear();
    }

    pub fn is_reset(&self) -> bool {
        self.0.borrow().reset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_stream_takes_what_fits_and_ends_after_its_bytes() {
        let s = Stream::new();
        assert_eq!(s.push(&vec![1; STREAM_CAPACITY + 5]), STREAM_CAPACITY);
        assert_eq!(s.push(b"x"), 0);
        assert_eq!(s.take(3, true).len(), 3);
        assert_eq!(s.take(3, false).len(), 3);
        assert_eq!(s.room(), 3);
        s.finish();
        assert!(s.finished() && !s.is_empty());
        s.reset();
        assert!(s.is_reset() && s.is_empty());
    }
}
