//! The internet, as far as the playground has one. A Docker host is usually online: containers
//! reach the world through the host's NAT, names that Docker's embedded DNS does not know are
//! forwarded to the host's resolvers, and `apk add` or `apt-get install` download from the
//! distributions' mirrors. Here the world is small and offline: public resolvers (`8.8.8.8`,
//! `8.8.4.4`, the default bridge's fallback in `/etc/resolv.conf`) that know the mirrors' names,
//! and the mirrors themselves ([`super::mirror`]), which the engine plays from the bundled
//! catalog. Everything else out there is unreachable, as behind a firewall.
//!
//! The stack routes to these addresses ([`stack::Internet`]); the daemon answers the web
//! connections on each tick ([`WebServers::pump`]).

use super::mirror::{Mirror, Reply, HOSTS};
use super::stack::stream::Stream;
use super::stack::{DnsTable, Internet, NetStack};
use crate::platform::BlobSource;
use std::net::Ipv4Addr;

/// The public resolvers containers and the host may ask.
pub const RESOLVERS: [Ipv4Addr; 2] = [Ipv4Addr::new(8, 8, 8, 8), Ipv4Addr::new(8, 8, 4, 4)];

/// The mirrors' addresses (their CDNs' addresses, in the same order as [`HOSTS`]).
const MIRROR_ADDRESSES: [Ipv4Addr; 4] = [
    Ipv4Addr::new(151, 101, 2, 132),
    Ipv4Addr::new(151, 101, 130, 132),
    Ipv4Addr::new(91, 189, 91, 82),
    Ipv4Addr::new(91, 189, 91, 83),
];

/// The internet the stack routes to.
pub fn describe() -> Internet {
    let mut names = DnsTable::default();
    for (host, addr) in HOSTS.iter().zip(MIRROR_ADDRESSES) {
        names.records.insert((*host).to_string(), vec![addr]);
    }
    Internet { resolvers: RESOLVERS.to_vec(), names, web: MIRROR_ADDRESSES.to_vec() }
}

/// One open connection to a mirror: the bytes not yet answered are in `requests` (the client's
/// stream); `out` holds the part of an answer that did not fit in the client's window yet.
#[derive(Debug)]
struct Conn {
    requests: Stream,
    replies: Stream,
    out: Vec<u8>,
    close_after: bool,
}

/// The engine's web servers on the internet (the mirrors), and their open connections.
#[derive(Debug, Default)]
pub struct WebServers {
    mirror: Mirror,
    conns: Vec<Conn>,
}

impl WebServers {
    /// Answers what arrived on every connection; true if anything moved (or waits on a file
    /// the page is fetching).
    pub fn pump(&mut self, stack: &NetStack, blobs: &mut dyn BlobSource) -> bool {
        let open = stack.web_connections();
        // Forget closed connections, take in new ones.
        self.conns.retain(|c| open.iter().any(|(r, _)| r.same(&c.requests)));
        for (requests, replies) in open {
            if !self.conns.iter().any(|c| c.requests.same(&requests)) {
                self.conns.push(Conn { requests, replies, out: Vec::new(), close_after: false });
            }
        }
        let mut moved = false;
        for c in &mut self.conns {
            moved |= c.step(&mut self.mirror, blobs);
        }
        moved
    }
}

impl Conn {
    fn step(&mut self, mirror: &mut Mirror, blobs: &mut dyn BlobSource) -> bool {
        if self.replies.is_reset() {
            return false;
        }
        let mut moved = false;
        loop {
            if !self.out.is_empty() {
                let sent = self.replies.push(&self.out);
                self.out.drain(..sent);
                moved |= sent > 0;
                if !self.out.is_empty() {
                    return moved;
                }
            }
            if self.close_after {
                self.replies.finish();
                return moved;
            }
            let pending = self.requests.take(self.requests.len(), true);
            if pending.is_empty() {
                if self.requests.finished() && !self.replies.finished() {
                    self.replies.finish();
                    moved = true;
                }
                return moved;
            }
            match mirror.handle(&pending, blobs) {
                Reply::Incomplete => {
                    if self.requests.finished() {
                        self.replies.finish();
                    }
                    return moved;
                }
                // The page is fetching a catalog file: keep ticking until it is there.
                Reply::Pending => return true,
                Reply::Respond { consumed, response, close } => {
                    self.requests.take(consumed, false);
                    self.out = response;
                    self.close_after = close;
                    moved = true;
                }
            }
        }
    }
}
