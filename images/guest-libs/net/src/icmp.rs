//! ICMP echo (`ping`). WASIX has no raw sockets, so this is the playground's one networking
//! import: `playground_v1.icmp_echo` (see README.md). Natively it is unsupported.

use std::io;
use std::net::Ipv4Addr;
use std::time::Duration;

/// A reply: its TTL and the round-trip time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EchoReply {
    pub ttl: u8,
    pub rtt: Duration,
}

/// Sends one echo request and waits up to `timeout` for the reply.
pub fn echo(dst: Ipv4Addr, seq: u16, payload_len: usize, timeout: Duration) -> io::Result<EchoReply> {
    let _ = (dst, seq, payload_len, timeout);
    Err(io::Error::new(io::ErrorKind::Unsupported, "icmp: not implemented yet"))
}
