//! Name resolution as the C library does it: `/etc/hosts` first, then DNS queries (real wire
//! format, over UDP) to the `nameserver` of `/etc/resolv.conf` (127.0.0.11 in a container on a
//! user-defined network: Docker's embedded DNS).

use std::io;
use std::net::Ipv4Addr;

/// The IPv4 addresses of `host` (a dotted address resolves to itself).
pub fn lookup(host: &str) -> io::Result<Vec<Ipv4Addr>> {
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok(vec![ip]);
    }
    Err(io::Error::new(io::ErrorKind::Unsupported, "resolve: not implemented yet"))
}
