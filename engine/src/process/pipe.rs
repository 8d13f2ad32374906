//! A pipe: a byte queue between a writer and a reader, as made by `pipe(2)`. Container stdio is
//! made of pipes: the engine writes what the terminal types into a process's stdin pipe and drains
//! its stdout and stderr pipes into the container's log and the attached terminal.

use std::cell::{Cell, RefCell};
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
    /// For pipes whose writes must be put back in order with another pipe's (a container's
    /// stdout and stderr, which Docker logs as one stream): the shared write counter, and each
    /// buffered write as (its number, bytes of it still buffered).
    order: Option<Rc<Cell<u64>>>,
    chunks: VecDeque<(u64, usize)>,
}

impl PipeBuf {
    /// Appends `bytes`, numbering the write if the pipe is ordered.
    fn push(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.data.extend(bytes);
        if let Some(order) = &self.order {
            let seq = order.get();
            order.set(seq + 1);
            self.chunks.push_back((seq, bytes.len()));
        }
    }

    /// Forgets the first `n` buffered bytes' write numbers (they were read).
    fn consumed(&mut self, mut n: usize) {
        while n > 0 {
            let Some(front) = self.chunks.front_mut() else { return };
            let take = front.1.min(n);
            front.1 -= take;
            n -= take;
            if front.1 == 0 {
                self.chunks.pop_front();
            }
        }
    }
}

/// A shared handle on one pipe; clones refer to the same pipe.
#[derive(Debug, Clone, Default)]
pub struct Pipe(Rc<RefCell<PipeBuf>>);

impl Pipe {
    pub fn new() -> Self {
        Self::default()
    }

    /// Two pipes whose writes keep one order between them (see [`drain_in_order`]): a
    /// container's stdout and stderr.
    pub fn ordered_pair() -> (Pipe, Pipe) {
        let order = Rc::new(Cell::new(0));
        let make = || {
            let p = Pipe::new();
            p.0.borrow_mut().order = Some(order.clone());
            p
        };
        (make(), make())
    }

    /// Takes everything buffered as the writes that made it: (write number, bytes). A pipe made
    /// without [`Pipe::ordered_pair`] gives one piece numbered 0.
    pub fn drain_writes(&self) -> Vec<(u64, Vec<u8>)> {
        let mut b = self.0.borrow_mut();
        let chunks: Vec<(u64, usize)> = b.chunks.drain(..).collect();
        let mut data: Vec<u8> = b.data.drain(..).collect();
        let mut out = Vec::new();
        for (seq, len) in chunks {
            let rest = data.split_off(len.min(data.len()));
            out.push((seq, std::mem::replace(&mut data, rest)));
        }
        if !data.is_empty() {
            out.push((0, data));
        }
        out
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
        b.push(&bytes[..n]);
        Some(n)
    }

    /// Appends all of `bytes` whatever the capacity (for the engine's own writers, which cannot
    /// wait, such as the terminal).
    pub fn write_all(&self, bytes: &[u8]) {
        self.0.borrow_mut().push(bytes);
    }

    /// Moves up to `buf.len()` bytes out of the pipe; returns how many.
    pub fn read(&self, buf: &mut [u8]) -> usize {
        let mut b = self.0.borrow_mut();
        let n = buf.len().min(b.data.len());
        for (slot, byte) in buf.iter_mut().zip(b.data.drain(..n)) {
            *slot = byte;
        }
        b.consumed(n);
        n
    }

    /// Takes everything buffered.
    pub fn drain(&self) -> Vec<u8> {
        let mut b = self.0.borrow_mut();
        b.chunks.clear();
        b.data.drain(..).collect()
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

/// Drains ordered pipes (see [`Pipe::ordered_pair`]) into one sequence of (index of the pipe,
/// bytes), in the order the writes happened; consecutive writes to one pipe are joined.
pub fn drain_in_order(pipes: &[&Pipe]) -> Vec<(usize, Vec<u8>)> {
    let mut writes: Vec<(u64, usize, Vec<u8>)> = Vec::new();
    for (i, p) in pipes.iter().enumerate() {
        writes.extend(p.drain_writes().into_iter().map(|(seq, bytes)| (seq, i, bytes)));
    }
    writes.sort_by_key(|w| (w.0, w.1));
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    for (_, i, bytes) in writes {
        match out.last_mut() {
            Some((last, buf)) if *last == i => buf.extend(bytes),
            _ => out.push((i, bytes)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ordered_pair_gives_back_writes_in_the_order_they_happened() {
        let (out, err) = Pipe::ordered_pair();
        out.write(b"a\n");
        err.write_all(b"b\n");
        out.write(b"c\n");
        out.write(b"d\n");
        let mut buf = [0u8; 1];
        assert_eq!(err.read(&mut buf), 1, "a partial read keeps the rest's place");
        err.write(b"e\n");
        let got = drain_in_order(&[&out, &err]);
        assert_eq!(got, vec![(0, b"a\n".to_vec()), (1, b"\n".to_vec()), (0, b"c\nd\n".to_vec()), (1, b"e\n".to_vec())]);
        assert!(out.is_empty() && err.is_empty());
        let plain = Pipe::new();
        plain.write(b"x");
        assert_eq!(drain_in_order(&[&plain]), vec![(0, b"x".to_vec())]);
    }

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
