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
/// Errors: `TimedOut` when no reply came in time, `HostUnreachable` (EHOSTUNREACH) when nobody
/// has the address on an attached network, `NetworkUnreachable` (ENETUNREACH) without a route.
#[cfg(target_os = "wasi")]
pub fn echo(dst: Ipv4Addr, seq: u16, payload_len: usize, timeout: Duration) -> io::Result<EchoReply> {
    let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
    let (ttl, rtt) = crate::wasi::icmp_echo(dst, seq, payload_len, ms)?;
    Ok(EchoReply { ttl: u8::try_from(ttl).unwrap_or(u8::MAX), rtt: Duration::from_micros(u64::from(rtt)) })
}

#[cfg(not(target_os = "wasi"))]
pub fn echo(dst: Ipv4Addr, seq: u16, payload_len: usize, timeout: Duration) -> io::Result<EchoReply> {
    let _ = (dst, seq, payload_len, timeout);
    Err(io::Error::new(io::ErrorKind::Unsupported, "icmp: raw sockets are not available natively"))
}
