//! The chunked transfer coding (RFC 9112 §7.1): a body sent as `<hex size>\r\n<data>\r\n`
//! pieces ended by a zero-size chunk and optional trailer lines. Clients use it for request
//! bodies of unknown length, upstream servers for responses.

/// Why a chunked body is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkError {
    /// A size line that is not hexadecimal, or data not followed by CRLF.
    Invalid,
    /// The decoded body would exceed the limit given.
    TooLarge,
}

/// Decodes the chunked body at the start of `buf`: `Ok(None)` while it is incomplete, else the
/// body and how many bytes of `buf` it took.
pub fn decode(buf: &[u8], limit: usize) -> Result<Option<(Vec<u8>, usize)>, ChunkError> {
    let mut body = Vec::new();
    let mut pos = 0;
    loop {
        let Some(eol) = find_crlf(&buf[pos..]) else {
            // A size line has at most a few dozen bytes (extensions aside): a huge one is garbage.
            return if buf.len() - pos > 4096 { Err(ChunkError::Invalid) } else { Ok(None) };
        };
        let line = &buf[pos..pos + eol];
        let digits = line.split(|&b| b == b';').next().unwrap_or_default();
        let digits = trim(digits);
        if digits.is_empty() || digits.len() > 15 || !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(ChunkError::Invalid);
        }
        let size = digits.iter().fold(0usize, |n, &d| n * 16 + (d as char).to_digit(16).unwrap_or(0) as usize);
        pos += eol + 2;
        if size == 0 {
            // Trailer lines, then an empty line.
            loop {
                let Some(eol) = find_crlf(&buf[pos..]) else {
                    return if buf.len() - pos > 8192 { Err(ChunkError::Invalid) } else { Ok(None) };
                };
                pos += eol + 2;
                if eol == 0 {
                    return Ok(Some((body, pos)));
                }
            }
        }
        if body.len().saturating_add(size) > limit {
            return Err(ChunkError::TooLarge);
        }
        if buf.len() < pos + size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&buf[pos..pos + size]);
        pos += size;
        if &buf[pos..pos + 2] != b"\r\n" {
            return Err(ChunkError::Invalid);
        }
        pos += 2;
    }
}

/// Encodes `data` as one chunk followed by the last chunk.
pub fn encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    if !data.is_empty() {
        out.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn find_crlf(buf: &[u8]) -> Option<usize> {
    buf.windows(2).position(|w| w == b"\r\n")
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &s[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_chunks_extensions_and_trailers() {
        let wire = b"4\r\nWiki\r\n5;name=v\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
        let (body, used) = decode(wire, 1000).unwrap().unwrap();
        assert_eq!(body, b"Wikipedia in\r\n\r\nchunks.");
        assert_eq!(&wire[used..], b"NEXT");
    }

    #[test]
    fn incomplete_bodies_wait_and_bad_ones_fail() {
        assert_eq!(decode(b"4\r\nWi", 100), Ok(None));
        assert_eq!(decode(b"4\r\nWiki\r\n0\r\n", 100), Ok(None));
        assert_eq!(decode(b"zz\r\n", 100), Err(ChunkError::Invalid));
        assert_eq!(decode(b"4\r\nWikiXX", 100), Err(ChunkError::Invalid));
        assert_eq!(decode(b"ffffff\r\n", 100), Err(ChunkError::TooLarge));
    }

    #[test]
    fn encoding_round_trips() {
        assert_eq!(decode(&encode(b"hello"), 10).unwrap().unwrap().0, b"hello");
        assert_eq!(encode(b""), b"0\r\n\r\n");
    }
}
