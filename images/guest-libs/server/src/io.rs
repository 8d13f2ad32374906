//! Buffered reads and writes on non-blocking sockets: read everything that is there, write as
//! much as the peer takes, and never block the one thread that serves every client.

use std::io::{self, ErrorKind, Read, Write};

/// What a read pass found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filled {
    /// Bytes may still come (this many were added).
    Open(usize),
    /// The peer closed its side (after adding this many).
    Closed(usize),
}

/// Appends what `stream` has to `buf` until it would block, closes, or `buf` holds `limit`
/// bytes (back-pressure: the rest waits in the socket).
pub fn fill(stream: &mut impl Read, buf: &mut Vec<u8>, limit: usize) -> io::Result<Filled> {
    let mut added = 0;
    let mut chunk = [0u8; 16 * 1024];
    while buf.len() < limit {
        let want = chunk.len().min(limit - buf.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) => return Ok(Filled::Closed(added)),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                added += n;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(Filled::Open(added))
}

/// Writes the front of `out` to `stream` until it is empty or the socket would block; what was
/// written leaves `out`.
pub fn flush(stream: &mut impl Write, out: &mut Vec<u8>) -> io::Result<()> {
    let mut done = 0;
    let result = loop {
        if done == out.len() {
            break Ok(());
        }
        match stream.write(&out[done..]) {
            Ok(0) => break Err(io::Error::from(ErrorKind::WriteZero)),
            Ok(n) => done += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break Ok(()),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => break Err(e),
        }
    };
    out.drain(..done);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives its data in pieces, then would block or close.
    struct Trickle(Vec<&'static [u8]>, bool);
    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.0.first_mut() {
                Some(piece) => {
                    let n = piece.len().min(buf.len());
                    buf[..n].copy_from_slice(&piece[..n]);
                    *piece = &piece[n..];
                    if piece.is_empty() {
                        self.0.remove(0);
                    }
                    Ok(n)
                }
                None if self.1 => Ok(0),
                None => Err(ErrorKind::WouldBlock.into()),
            }
        }
    }

    #[test]
    fn fill_reads_until_it_would_block_or_the_peer_closes_or_the_limit() {
        let mut buf = Vec::new();
        assert_eq!(fill(&mut Trickle(vec![b"ab", b"cd"], false), &mut buf, 100).unwrap(), Filled::Open(4));
        assert_eq!(fill(&mut Trickle(vec![b"e"], true), &mut buf, 100).unwrap(), Filled::Closed(1));
        assert_eq!(buf, b"abcde");
        assert_eq!(fill(&mut Trickle(vec![b"fghij"], true), &mut buf, 7).unwrap(), Filled::Open(2));
        assert_eq!(buf, b"abcdefg");
    }

    /// Takes at most `n` bytes, then would block.
    struct Narrow(usize, Vec<u8>);
    impl Write for Narrow {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(ErrorKind::WouldBlock.into());
            }
            let n = buf.len().min(self.0).min(2);
            self.0 -= n;
            self.1.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn flush_keeps_what_the_peer_did_not_take() {
        let mut out = b"hello".to_vec();
        let mut peer = Narrow(3, Vec::new());
        flush(&mut peer, &mut out).unwrap();
        assert_eq!((peer.1.as_slice(), out.as_slice()), (&b"hel"[..], &b"lo"[..]));
    }
}
