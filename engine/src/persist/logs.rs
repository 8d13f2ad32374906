//! A container's logs in a snapshot. Output is bytes, not text (a program may write anything), so
//! the entries are framed in binary rather than put in JSON: for each one, the stream (1 byte: 1
//! stdout, 2 stderr), the time (8 bytes, milliseconds since the epoch, little-endian), the length
//! (4 bytes, little-endian) and the bytes.

use crate::container::{LogEntry, LogStream};

/// The frame header's size.
const HEADER: usize = 1 + 8 + 4;

pub fn encode(entries: &[LogEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| HEADER + e.bytes.len()).sum());
    for e in entries {
        out.push(match e.stream {
            LogStream::Stdout => 1,
            LogStream::Stderr => 2,
        });
        out.extend_from_slice(&e.time_ms.to_le_bytes());
        // Logs are capped far below 4 GiB (see `DEFAULT_LOG_CAP`).
        out.extend_from_slice(&u32::try_from(e.bytes.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(&e.bytes[..e.bytes.len().min(u32::MAX as usize)]);
    }
    out
}

/// Reads entries back; the error says where the framing breaks.
pub fn decode(mut bytes: &[u8]) -> Result<Vec<LogEntry>, String> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let short = || format!("log entry {} is cut short", out.len());
        let (header, rest) = bytes.split_at_checked(HEADER).ok_or_else(short)?;
        let stream = match header[0] {
            1 => LogStream::Stdout,
            2 => LogStream::Stderr,
            other => return Err(format!("log entry {}: unknown stream {other}", out.len())),
        };
        let mut time = [0u8; 8];
        time.copy_from_slice(&header[1..9]);
        let mut len = [0u8; 4];
        len.copy_from_slice(&header[9..13]);
        let len = u32::from_le_bytes(len) as usize;
        let (data, rest) = rest.split_at_checked(len).ok_or_else(short)?;
        out.push(LogEntry { stream, time_ms: u64::from_le_bytes(time), bytes: data.to_vec() });
        bytes = rest;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_round_trip_bytes_and_all() {
        let entries = vec![
            LogEntry { stream: LogStream::Stdout, time_ms: 1_768_471_200_123, bytes: b"hello\n".to_vec() },
            LogEntry { stream: LogStream::Stderr, time_ms: 5, bytes: vec![0xff, 0, 0xfe] },
            LogEntry { stream: LogStream::Stdout, time_ms: 6, bytes: Vec::new() },
        ];
        let bytes = encode(&entries);
        assert_eq!(decode(&bytes).unwrap(), entries);
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode(&[9; 13]).is_err());
        assert!(decode(&[]).unwrap().is_empty());
    }
}
