//! `nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]`: asks a name server directly and
//! prints its answers, as BusyBox does. Without a server, the `nameserver`s of
//! `/etc/resolv.conf` (Docker's embedded DNS, 127.0.0.11, on a user-defined network). A name
//! gets an `A` and an `AAAA` query (each `search` suffix applied to names without a dot); an
//! address gets a `PTR` query. Replies are printed as they arrive.

use crate::applets::usage;
use crate::util::err;
use guest_net::dns::{self, Message, RData, Rcode, Record, RecordType};
use guest_net::resolve::{self, ResolvConf, Resolver};
use guest_net::{IpAddr, Ipv4Addr, SocketAddr};
use std::fmt::Write as _;
use std::net::Ipv6Addr;
use std::time::{Duration, Instant};

/// The query types `-type=` accepts, in BusyBox's order (several `-type=` make several queries).
const TYPES: [RecordType; 10] = [
    RecordType::SOA,
    RecordType::NS,
    RecordType::A,
    RecordType::AAAA,
    RecordType::CNAME,
    RecordType::MX,
    RecordType::TXT,
    RecordType::SRV,
    RecordType::PTR,
    RecordType::ANY,
];

/// One name server: as the user or resolv.conf wrote it, and its address.
#[derive(Debug, Clone)]
pub struct Server {
    pub name: String,
    pub addr: SocketAddr,
}

/// The settings of one run.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub queries: Vec<Message>,
    pub servers: Vec<Server>,
    pub timeout: Duration,
    pub retry: u32,
    pub debug: bool,
}

/// The reverse-lookup name of an address, if `s` is one.
fn make_ptr(s: &str) -> Option<String> {
    if let Ok(ip) = s.parse::<Ipv4Addr>() {
        return Some(dns::reverse_name(ip));
    }
    let ip6 = s.parse::<Ipv6Addr>().ok()?;
    if let Some(v4) = ip6.to_ipv4_mapped() {
        return Some(dns::reverse_name(v4));
    }
    let mut name = String::new();
    for b in ip6.octets().iter().rev() {
        let _ = write!(name, "{:x}.{:x}.", b & 0xF, b >> 4);
    }
    Some(name + "ip6.arpa")
}

/// `host[:port]` of a server argument, resolved like any host name.
fn server_addr(arg: &str, port: u16) -> Option<SocketAddr> {
    let (host, port) = match arg.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h, p.parse().ok()?),
        _ => (arg, port),
    };
    let ip = Resolver::system().lookup(host).ok()?.into_iter().next()?;
    Some(SocketAddr::new(IpAddr::V4(ip), port))
}

/// Prints a reply's answers as BusyBox does; false on records it cannot show (parse error).
fn print_reply(out: &mut String, reply: &Message, debug: bool) -> bool {
    if !reply.flags.authoritative {
        out.push_str("Non-authoritative answer:\n");
    } else if debug {
        out.push_str("authoritative answer:\n");
    }
    for Record { name, data, .. } in &reply.answers {
        let _ = match data {
            RData::A(ip) => writeln!(out, "Name:\t{name}\nAddress: {ip}"),
            RData::Aaaa(ip) => writeln!(out, "Name:\t{name}\nAddress: {ip}"),
            RData::Ns(n) => writeln!(out, "{name}\tnameserver = {n}"),
            RData::Cname(n) => writeln!(out, "{name}\tcanonical name = {n}"),
            RData::Ptr(n) => writeln!(out, "{name}\tname = {n}"),
            RData::Mx { preference, exchange } => writeln!(out, "{name}\tmail exchanger = {preference} {exchange}"),
            RData::Txt(strings) => match strings.first() {
                Some(s) if !s.is_empty() => writeln!(out, "{name}\ttext = \"{}\"", String::from_utf8_lossy(s)),
                Some(_) => Ok(()),
                None => return false,
            },
            RData::Srv { priority, weight, port, target } => {
                writeln!(out, "{name}\tservice = {priority} {weight} {port} {target}")
            }
            RData::Soa { mname, rname, serial, refresh, retry, expire, minimum } => writeln!(
                out,
                "{name}\n\torigin = {mname}\n\tmail addr = {rname}\n\tserial = {serial}\n\trefresh = {refresh}\n\tretry = {retry}\n\texpire = {expire}\n\tminimum = {minimum}"
            ),
            RData::Other(_) => Ok(()),
        };
    }
    true
}

/// Runs the lookup; returns what to print and the exit status.
pub fn run(l: &Lookup) -> (String, i32) {
    let mut out = String::new();
    let mut code = 0;
    let start = Instant::now();
    for server in &l.servers {
        let replies = match resolve::exchange(&[server.addr], &l.queries, l.timeout, l.retry, |_| true) {
            Ok(r) => r,
            Err(e) => {
                err("nslookup", format_args!("write to '{}': {}", server.name, crate::util::errstr(&e)));
                Vec::new()
            }
        };
        if replies.is_empty() {
            continue;
        }
        let _ = write!(out, "Server:\t\t{}\nAddress:\t{}\n\n", server.name, server.addr);
        let mut answered = vec![false; l.queries.len()];
        for resolve::Reply { query: i, message: reply, .. } in &replies {
            answered[*i] = true;
            let qname = &l.queries[*i].questions[0].name;
            if l.debug {
                let _ = writeln!(out, "Query #{i} completed in {}ms:", start.elapsed().as_millis());
            }
            if reply.flags.rcode != Rcode::NOERROR {
                let _ = writeln!(out, "** server can't find {qname}: {}", reply.flags.rcode.name());
                code = 1;
            } else if !print_reply(&mut out, reply, l.debug) {
                let _ = writeln!(out, "*** Can't find {qname}: Parse error");
                code = 1;
            }
            out.push('\n');
        }
        let mut missing = false;
        for q in l.queries.iter().zip(&answered).filter(|(_, a)| !**a).map(|(q, _)| q) {
            let _ = writeln!(out, "*** Can't find {}: No answer", q.questions[0].name);
            missing = true;
        }
        if missing {
            out.push('\n');
        }
        return (out, code);
    }
    out.push_str(";; connection timed out; no servers could be reached\n\n");
    (out, 1)
}

pub fn main(args: &[String]) -> i32 {
    let mut types: Vec<RecordType> = Vec::new();
    let mut port = 53u16;
    let mut retry = 2u32;
    let mut timeout = 5u64;
    let mut debug = false;
    let mut rest = &args[1..];
    while let Some(a) = rest.first().filter(|a| a.starts_with('-')) {
        let (key, val) = a[1..].split_once('=').unwrap_or((&a[1..], ""));
        let number = |v: &str, max: u64| v.parse::<u64>().ok().filter(|n| (1..=max).contains(n));
        match key {
            "type" | "querytype" => match TYPES.iter().find(|t| t.name().eq_ignore_ascii_case(val)) {
                Some(t) => {
                    if !types.contains(t) {
                        types.push(*t);
                    }
                }
                None => {
                    err("nslookup", format_args!("invalid query type \"{val}\""));
                    return 1;
                }
            },
            "port" => match number(val, 65535) {
                Some(n) => port = n as u16,
                None => return bad_number(val),
            },
            "retry" => match number(val, i32::MAX as u64) {
                Some(n) => retry = n as u32,
                None => return bad_number(val),
            },
            "debug" => debug = true,
            "t" | "timeout" => match number(val, (i32::MAX / 1000) as u64) {
                Some(n) => timeout = n,
                None => return bad_number(val),
            },
            _ => {
                usage("nslookup");
                return 1;
            }
        }
        rest = &rest[1..];
    }
    let (host, server_arg) = match rest {
        [h] => (h.as_str(), None),
        [h, s] => (h.as_str(), Some(s.as_str())),
        _ => {
            usage("nslookup");
            return 1;
        }
    };
    let mut servers = Vec::new();
    let mut search = Vec::new();
    match server_arg {
        Some(arg) => match server_addr(arg, port) {
            Some(addr) => servers.push(Server { name: arg.to_string(), addr }),
            None => {
                err("nslookup", format_args!("bad address '{arg}'"));
                return 1;
            }
        },
        None => {
            let conf = ResolvConf::load();
            search = conf.search.clone();
            servers = conf
                .nameservers
                .iter()
                .map(|a| Server { name: a.ip().to_string(), addr: SocketAddr::new(a.ip(), port) })
                .collect();
        }
    }
    // Consecutive ids from a random start, so replies can be told apart.
    let first_id = resolve::random_id();
    let mut names: Vec<(String, RecordType)> = Vec::new();
    let with_search = |name: &str, t: RecordType, names: &mut Vec<(String, RecordType)>| {
        if t == RecordType::PTR || search.is_empty() || name.contains('.') {
            names.push((name.to_string(), t));
        } else {
            for d in &search {
                names.push((format!("{name}.{d}"), t));
            }
        }
    };
    if types.is_empty() {
        match make_ptr(host) {
            Some(ptr) => names.push((ptr, RecordType::PTR)),
            None => {
                with_search(host, RecordType::A, &mut names);
                with_search(host, RecordType::AAAA, &mut names);
            }
        }
    } else {
        for t in TYPES.iter().filter(|t| types.contains(t)) {
            with_search(host, *t, &mut names);
        }
    }
    let queries =
        names.iter().enumerate().map(|(i, (n, t))| Message::query(first_id.wrapping_add(i as u16), n, *t)).collect();
    let lookup = Lookup { queries, servers, timeout: Duration::from_secs(timeout), retry, debug };
    let (text, code) = run(&lookup);
    print!("{text}");
    code
}

fn bad_number(v: &str) -> i32 {
    err("nslookup", format_args!("invalid number '{v}'"));
    1
}

#[cfg(test)]
mod tests;
