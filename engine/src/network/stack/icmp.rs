//! `ping`: an ICMP echo request and its reply. WASIX has no raw sockets, so the playground has
//! one call for it (`playground_v1.icmp_echo`); the switch decides the fate of the request with
//! the same routes as TCP and UDP ([`route`]): a reply after a round-trip time typical of the
//! path (a few tens of microseconds on loopback, about a tenth of a millisecond through a
//! bridge), silence where a firewall drops it, "Destination Host Unreachable" where ARP fails,
//! "Network is unreachable" without a route.

use super::route::{self, Route};
use super::switch::NetHandle;
use std::net::Ipv4Addr;

/// The TTL Linux puts in its replies (each hop would take one off; the paths here have none).
pub const REPLY_TTL: u32 = 64;

/// IPv4 (20 bytes) and ICMP (8 bytes) headers around the payload.
const HEADERS: usize = 28;

/// The TTL of replies from the internet's hosts (Linux sends 64; about a dozen routers on the way).
const INTERNET_TTL: u32 = 52;

/// What becomes of one echo request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    /// A reply, this long after the request.
    Reply { ttl: u32, rtt_micros: u64 },
    /// No reply ever comes (dropped on the way): the caller waits out its timeout.
    Lost,
    /// Nobody has the address on the attached subnet.
    HostUnreach,
    /// No route.
    NoRoute,
}

impl NetHandle {
    /// Sends an echo request of `payload` bytes to `dst`; `jitter` (any number, random) varies
    /// the round-trip time a little, as on a real network.
    pub fn ping(&self, dst: Ipv4Addr, payload: usize, jitter: u64) -> Echo {
        let r = route::route(&self.config(), self.ns, dst);
        match r {
            Route::Deliver { ns, out, into, .. } => {
                let size = payload + HEADERS;
                self.count(&(self.ns, out.clone()), &(ns, into.clone()), size);
                self.count(&(ns, into), &(self.ns, out.clone()), size);
                // Base time per path, plus 1 µs per 16 bytes copied, plus up to 30% jitter.
                let base: u64 = if out == route::LOOPBACK { 40 } else { 90 };
                let base = base + (payload as u64) / 16;
                let rtt = base + jitter % (base * 3 / 10 + 1);
                Echo::Reply { ttl: REPLY_TTL, rtt_micros: rtt }
            }
            Route::Dropped { .. } => Echo::Lost,
            // A public host, a dozen hops and some milliseconds away.
            Route::Internet { .. } => {
                let base = 12_000 + (payload as u64) / 16;
                Echo::Reply { ttl: INTERNET_TTL, rtt_micros: base + jitter % (base / 5 + 1) }
            }
            Route::NoHost => Echo::HostUnreach,
            Route::NoRoute => Echo::NoRoute,
        }
    }
}
