//! A pipe: a byte queue between a writer and a reader, as made by `pipe(2)`. Container stdio is
//! made of pipes: the engine writes what the terminal types into a process's stdin pipe and drains
//! its stdout and stderr pipes into the container's log and the attached terminal.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// How many bytes a pipe holds before a writer must wait (Linux: 64 KiB).
pub const PIPE_CAPACITY: usize = 64 * 1024;

#[derive(Debug, Default)]
struct PipeBuf {
    data: VecDeque<u8>,
    write_closed: bool,
    read_closed: bool,
    /// Descriptors (in any process) holding the reading end; see [`PipeEnd`].
    readers: usize,
    /// Descriptors (in any process) holding the writing end.
    writers: usize,
}

/// A shared handle on one pipe; clones refer to the same pipe.
#[derive(Debug, Clone, Default)]
pub struct Pipe(Rc<RefCell<PipeBuf>>);

impl Pipe {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends as much of `bytes` as fits; returns how many were taken. Writing to a pipe whose
    /// reader is gone takes nothing and returns `None` (EPIPE).
    pub fn write(&self, bytes: &[u8]) -> Option<usize> {
        let mut b = self.0.borrow_mut();
        if b.read_closed {
            return None;
        }
        let room = PIPE_CAPACITY.saturating_sub(b.data.len());
        let n = room.min(bytes.len());
        b.data.extend(&bytes[..n]);
        Some(n)
    }

    /// Appends all of `bytes` whatever the capacity (for the engine's own writers, which cannot
    /// wait, such as the terminal).
    pub fn write_all(&self, bytes: &[u8]) {
        self.0.borrow_mut().data.extend(bytes);
    }

    /// Moves up to `buf.len()` bytes out of the pipe; returns how many.
    pub fn read(&self, buf: &mut [u8]) -> usize {
        let mut b = self.0.borrow_mut();
        let n = buf.len().min(b.data.len());
        for (slot, byte) in buf.iter_mut().zip(b.data.drain(..n)) {
            *slot = byte;
        }
        n
    }

    /// Takes everything buffered.
    pub fn drain(&self) -> Vec<u8> {
        self.0.borrow_mut().data.drain(..).collect()
    }

    /// Bytes waiting to be read.
    pub fn len(&self) -> usize {
        self.0.borrow().data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The writer is done: once the buffer is empty, readers see end of file.
    pub fn close_write(&self) {
        self.0.borrow_mut().write_closed = true;
    }

    /// The reader is gone: writers get EPIPE.
    pub fn close_read(&self) {
        self.0.borrow_mut().read_closed = true;
    }

    /// True when a read would return end of file (nothing buffered and the writer closed).
    pub fn at_eof(&self) -> bool {
        let b = self.0.borrow();
        b.write_closed && b.data.is_empty()
    }

    /// How many bytes a write could take now without waiting.
    pub fn room(&self) -> usize {
        PIPE_CAPACITY.saturating_sub(self.len())
    }

    /// True when both handles are the same pipe.
    pub fn same(&self, other: &Pipe) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// True when the writer has closed its end (data may still be buffered).
    pub fn writer_closed(&self) -> bool {
        self.0.borrow().write_closed
    }

    /// True when no reader remains.
    pub fn reader_closed(&self) -> bool {
        self.0.borrow().read_closed
    }
}

/// One end of a pipe as a descriptor holds it. Like an open file description in Linux, it is
/// shared by every descriptor that refers to it: clones (`dup`, a child inheriting descriptors)
/// count as holders, and the end closes when the last holder, in any process, lets go (closes the
/// descriptor, or dies). So `a | b` sees end of file exactly when every copy of the write end is
/// gone. The engine's own [`Pipe`] handles are not holders: the engine closes its side itself.
#[derive(Debug)]
pub struct PipeEnd {
    pipe: Pipe,
    writer: bool,
}

impl PipeEnd {
    /// A new holder of `pipe`'s reading end.
    pub fn reader(pipe: Pipe) -> Self {
        pipe.0.borrow_mut().readers += 1;
        Self { pipe, writer: false }
    }

    /// A new holder of `pipe`'s writing end.
    pub fn writer(pipe: Pipe) -> Self {
        pipe.0.borrow_mut().writers += 1;
        Self { pipe, writer: true }
    }

    pub fn pipe(&self) -> &Pipe {
        &self.pipe
    }
}

impl Clone for PipeEnd {
    fn clone(&self) -> Self {
        if self.writer {
            Self::writer(self.pipe.clone())
        } else {
            Self::reader(self.pipe.clone())
        }
    }
}

impl Drop for PipeEnd {
    fn drop(&mut self) {
        let mut b = self.pipe.0.borrow_mut();
        if self.writer {
            b.writers = b.writers.saturating_sub(1);
            if b.writers == 0 {
                b.write_closed = true;
            }
        } else {
            b.readers = b.readers.saturating_sub(1);
            if b.readers == 0 {
                b.read_closed = true;
            }
        }
    }
}

impl std::ops::Deref for PipeEnd {
    type Target = Pipe;
    fn deref(&self) -> &Pipe {
        &self.pipe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_flow_and_eof_follows_close() {
        let p = Pipe::new();
        assert_eq!(p.write(b"hello"), Some(5));
        let mut buf = [0u8; 3];
        assert_eq!(p.read(&mut buf), 3);
        assert_eq!(&buf, b"hel");
        p.close_write();
        assert!(!p.at_eof());
        assert_eq!(p.drain(), b"lo");
        assert!(p.at_eof());
    }

    #[test]
    fn a_full_pipe_takes_what_fits_and_a_closed_reader_refuses() {
        let p = Pipe::new();
        let big = vec![0u8; PIPE_CAPACITY + 10];
        assert_eq!(p.write(&big), Some(PIPE_CAPACITY));
        assert_eq!(p.write(b"x"), Some(0));
        p.close_read();
        assert_eq!(p.write(b"x"), None);
    }

    #[test]
    fn an_end_closes_when_its_last_holder_goes() {
        let p = Pipe::new();
        let w1 = PipeEnd::writer(p.clone());
        let w2 = w1.clone();
        let r = PipeEnd::reader(p.clone());
        drop(w1);
        assert!(!p.writer_closed());
        drop(w2);
        assert!(p.writer_closed());
        assert!(!p.reader_closed());
        drop(r);
        assert!(p.reader_closed());
    }
}
