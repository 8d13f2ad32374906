//! Name resolution as the C library does it (`getaddrinfo`, musl's flavour, as in Alpine): a
//! numeric address is itself; otherwise `/etc/hosts` first, then DNS queries (real wire format,
//! over UDP) to the `nameserver`s of `/etc/resolv.conf`, with its `search` suffixes. In a
//! container on a user-defined network that server is Docker's embedded DNS, 127.0.0.11, which
//! knows the other containers by name; on the default bridge there is none, hence
//! `ping: bad address 'web'`.
//!
//! [`exchange`] is the query loop itself (send every query to every server, resend at intervals,
//! match replies by id and question), shared with `nslookup` and `dig`.

mod config;

pub use config::{Hosts, ResolvConf};

use crate::dns::{Message, RData, Rcode, RecordType};
use crate::UdpSocket;
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

/// Why a name has no address (getaddrinfo's `EAI_*` codes, with musl's texts).
#[derive(Debug)]
pub enum ResolveError {
    /// `EAI_NONAME`: the name does not exist, or has no IPv4 address.
    NotFound,
    /// `EAI_AGAIN`: no server answered in time, or the server failed.
    Again,
    /// `EAI_FAIL`: the server refused or did not understand.
    Fail,
    /// The query could not even be sent (no route to any name server).
    Io(io::Error),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::NotFound => f.write_str("Name does not resolve"),
            ResolveError::Again => f.write_str("Try again"),
            ResolveError::Fail => f.write_str("Non-recoverable error"),
            ResolveError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ResolveError {}

impl From<ResolveError> for io::Error {
    fn from(e: ResolveError) -> Self {
        match e {
            ResolveError::NotFound => io::Error::new(io::ErrorKind::NotFound, e.to_string()),
            ResolveError::Again => io::Error::new(io::ErrorKind::TimedOut, e.to_string()),
            ResolveError::Fail => io::Error::other(e.to_string()),
            ResolveError::Io(e) => e,
        }
    }
}

/// The IPv4 addresses of `host`, as `getaddrinfo` finds them with the system's files.
pub fn lookup(host: &str) -> io::Result<Vec<Ipv4Addr>> {
    Resolver::system().lookup(host).map_err(Into::into)
}

/// A resolver with its configuration: the system's files, or any other (tests, `nslookup
/// NAME SERVER`).
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    pub hosts: Hosts,
    pub conf: ResolvConf,
}

impl Resolver {
    /// `/etc/hosts` and `/etc/resolv.conf`.
    pub fn system() -> Self {
        Self { hosts: Hosts::load(), conf: ResolvConf::load() }
    }

    /// The IPv4 addresses of `host`: numeric, then hosts file, then DNS.
    pub fn lookup(&self, host: &str) -> Result<Vec<Ipv4Addr>, ResolveError> {
        if let Some(ip) = parse_ipv4(host) {
            return Ok(vec![ip]);
        }
        if !valid_hostname(host) {
            return Err(ResolveError::NotFound);
        }
        let local = self.hosts.lookup(host);
        if !local.is_empty() {
            return Ok(local);
        }
        for name in self.conf.candidates(host) {
            match self.query_a(&name) {
                Err(ResolveError::NotFound) => continue,
                other => return other,
            }
        }
        Err(ResolveError::NotFound)
    }

    /// One A query for exactly `name` (no search suffix).
    pub fn query_a(&self, name: &str) -> Result<Vec<Ipv4Addr>, ResolveError> {
        let reply = self.query(name, RecordType::A)?;
        if reply.flags.rcode != Rcode::NOERROR {
            return Err(ResolveError::NotFound);
        }
        // The A records, whichever name of a CNAME chain they belong to.
        let addrs: Vec<Ipv4Addr> = reply
            .answers
            .iter()
            .filter_map(|r| match r.data {
                RData::A(ip) => Some(ip),
                _ => None,
            })
            .collect();
        if addrs.is_empty() {
            return Err(ResolveError::NotFound);
        }
        Ok(addrs)
    }

    /// One query, answered with `NOERROR` or `NXDOMAIN` (other codes make the C library wait
    /// for another server, then give up).
    pub fn query(&self, name: &str, qtype: RecordType) -> Result<Message, ResolveError> {
        let q = Message::query(random_id(), name, qtype);
        let replies = exchange(&self.conf.nameservers, &[q], self.conf.timeout, self.conf.attempts, |rc| {
            rc == Rcode::NOERROR || rc == Rcode::NXDOMAIN
        })
        .map_err(ResolveError::Io)?;
        match replies.into_iter().next() {
            Some(r) => Ok(r.message),
            None => Err(ResolveError::Again),
        }
    }

    /// The name of `ip` (`getnameinfo`): hosts file, then a PTR query.
    pub fn reverse(&self, ip: Ipv4Addr) -> Option<String> {
        if let Some(name) = self.hosts.reverse(ip) {
            return Some(name);
        }
        let reply = self.query(&crate::dns::reverse_name(ip), RecordType::PTR).ok()?;
        reply.answers.iter().find_map(|r| match &r.data {
            RData::Ptr(name) => Some(name.clone()),
            _ => None,
        })
    }
}

/// A dotted IPv4 address in any form `inet_aton` accepts (`127.0.0.1`, `127.1`, `0x7f.1`).
pub fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(4);
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if digits.is_empty() && radix != 8 || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        nums.push(if digits.is_empty() { 0 } else { u32::from_str_radix(digits, radix).ok()? });
    }
    let last = nums.pop()?;
    if nums.iter().any(|&n| n > 255) || u64::from(last) >= 1u64 << (8 * (4 - nums.len())) {
        return None;
    }
    let mut v = last;
    for (i, n) in nums.iter().enumerate() {
        v |= n << (24 - 8 * i);
    }
    Some(Ipv4Addr::from(v))
}

/// The characters musl accepts in a name before asking anyone.
fn valid_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 255
        && s.bytes().all(|b| b >= 0x80 || b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// A query id nobody can guess (WASI's random source, through std's hasher keys).
pub fn random_id() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    h.finish() as u16
}

/// A reply [`exchange`] collected: which query it answers, and its size on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub query: usize,
    pub message: Message,
    pub size: usize,
}

/// Sends `queries` to every server in `servers` and collects replies, as musl's `res_msend`:
/// the queries go out again every `timeout / attempts` until `timeout` has passed or each has
/// its reply. A reply counts when it comes from one of the servers, carries a query's id and
/// question, and `accept` likes its response code; a `SERVFAIL` first makes the query go out
/// again at once (twice per query at most). Returns the replies as they arrived, with the
/// index of their query and their size; an error only when no query could be sent at all.
pub fn exchange(
    servers: &[SocketAddr],
    queries: &[Message],
    timeout: Duration,
    attempts: u32,
    accept: impl Fn(Rcode) -> bool,
) -> io::Result<Vec<Reply>> {
    let packets: Vec<Vec<u8>> = queries
        .iter()
        .map(|q| q.encode().map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e)))
        .collect::<io::Result<_>>()?;
    let socket = UdpSocket::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0))?;
    let start = Instant::now();
    let deadline = start + timeout;
    let interval = timeout / attempts.max(1);
    let mut replies: Vec<Reply> = Vec::new();
    let mut answered = vec![false; queries.len()];
    let mut servfail_retries = 2 * queries.len();
    let mut buf = vec![0u8; 4096];
    let mut first_round = true;
    loop {
        // (Re)send what is still unanswered.
        let mut last_err = None;
        let mut sent = 0;
        for p in packets.iter().zip(&answered).filter(|(_, a)| !**a).map(|(p, _)| p) {
            for s in servers {
                match socket.send_to(p, *s) {
                    Ok(_) => sent += 1,
                    Err(e) => last_err = Some(e),
                }
            }
        }
        if first_round && sent == 0 {
            return Err(last_err.unwrap_or_else(|| io::Error::from(io::ErrorKind::InvalidInput)));
        }
        first_round = false;
        let resend_at = (Instant::now() + interval).min(deadline);
        // Wait for replies until it is time to resend.
        loop {
            let now = Instant::now();
            if now >= resend_at {
                break;
            }
            socket.set_read_timeout(Some((resend_at - now).max(Duration::from_millis(1))))?;
            let (n, from) = match socket.recv_from(&mut buf) {
                Ok(r) => r,
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => continue,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // ICMP errors reported on the socket: wait for the other servers.
                Err(_) => continue,
            };
            if !servers.contains(&from) {
                continue;
            }
            let Ok(reply) = Message::decode(&buf[..n]) else { continue };
            let Some(i) = (0..queries.len()).find(|&i| !answered[i] && matches(&queries[i], &reply)) else {
                continue;
            };
            let rcode = reply.flags.rcode;
            if rcode == Rcode::SERVFAIL && servfail_retries > 0 {
                servfail_retries -= 1;
                let _ = socket.send_to(&packets[i], from);
                continue;
            }
            if !accept(rcode) {
                continue;
            }
            answered[i] = true;
            replies.push(Reply { query: i, message: reply, size: n });
            if answered.iter().all(|a| *a) {
                return Ok(replies);
            }
        }
        if Instant::now() >= deadline {
            return Ok(replies);
        }
    }
}

/// True if `reply` answers `query`: same id, a reply, and the same question.
fn matches(query: &Message, reply: &Message) -> bool {
    reply.id == query.id
        && reply.flags.response
        && match (query.questions.first(), reply.questions.first()) {
            (Some(q), Some(r)) => q.qtype == r.qtype && q.name.eq_ignore_ascii_case(&r.name),
            (_, None) => true,
            (None, Some(_)) => false,
        }
}

#[cfg(test)]
mod tests;
