//! `ip [OPTIONS] address|route|link [ARGS]`: BusyBox's iproute2. Shows the interfaces of this
//! container's network namespace with their addresses (`ip addr`), their links (`ip link`) and
//! the routing table (`ip route`, `ip route get ADDR`). Changing them needs `CAP_NET_ADMIN`,
//! which containers do not have by default: the kernel refuses, and so does this `ip`.

use super::procnet::{self, iff, rtf, Interface};
use crate::applets::usage;
use crate::util::err;
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// `-4`, `-6`, `-0` / `-f FAMILY`, and `-o`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// `Some("inet")`, `Some("inet6")`, `Some("link")`, or all.
    pub family: Option<&'static str>,
    pub oneline: bool,
}

fn link_flags(i: &Interface, mdown: bool) -> String {
    const NAMES: [(u32, &str); 7] = [
        (iff::LOOPBACK, "LOOPBACK"),
        (iff::BROADCAST, "BROADCAST"),
        (iff::POINTOPOINT, "POINTOPOINT"),
        (iff::MULTICAST, "MULTICAST"),
        (iff::NOARP, "NOARP"),
        (iff::UP, "UP"),
        (iff::LOWER_UP, "LOWER_UP"),
    ];
    let mut s = String::from("<");
    if i.flags & iff::UP != 0 && i.flags & iff::RUNNING == 0 {
        s.push_str("NO-CARRIER,");
    }
    let names: Vec<&str> = NAMES.iter().filter(|(b, _)| i.flags & b != 0).map(|(_, n)| *n).collect();
    s.push_str(&names.join(","));
    let known = NAMES.iter().fold(iff::RUNNING, |a, (b, _)| a | b);
    if i.flags & !known != 0 {
        let _ = write!(s, "{:x}", i.flags & !known);
    }
    if mdown {
        s.push_str(",M-DOWN");
    }
    s.push_str("> ");
    s
}

/// The link part of an interface, as `ip link` prints it.
pub fn format_link(i: &Interface, all: &[Interface], style: Style) -> String {
    let sep = if style.oneline { '\\' } else { '\n' };
    let mut s = format!("{}: {}", i.index, i.name);
    let mut mdown = false;
    match i.link {
        // The other end of a veth lives in another namespace: its flags are unknown here.
        Some(peer) => match all.iter().find(|p| p.index == peer) {
            Some(p) => {
                let _ = write!(s, "@{}: ", p.name);
                mdown = p.flags & iff::UP == 0;
            }
            None => {
                let _ = write!(s, "@if{peer}: ");
                mdown = true;
            }
        },
        None => s.push_str(": "),
    }
    s.push_str(&link_flags(i, mdown));
    let _ = write!(s, "mtu {} qdisc noqueue state {} ", i.mtu, i.operstate);
    let qlen = i.tx_queue_len.unwrap_or(if i.is_loopback() { 1000 } else { 0 });
    if qlen != 0 {
        let _ = write!(s, "qlen {qlen}");
    }
    if style.family.is_none() || style.family == Some("link") {
        let kind = if i.is_loopback() { "loopback" } else { "ether" };
        let _ = write!(s, "{sep}    link/{kind} {} brd {}", i.mac, i.brd);
    }
    s.push('\n');
    s
}

/// The IPv4 addresses of an interface, as `ip addr` prints them below its link.
pub fn format_addrs(i: &Interface, style: Style) -> String {
    let mut s = String::new();
    for (ip, prefix) in &i.addrs {
        if style.oneline {
            let _ = write!(s, "{}: {}", i.index, i.name);
        }
        let _ = write!(s, "    inet {ip}/{prefix} ");
        if !i.is_loopback() && *prefix < 31 {
            let _ = write!(s, "brd {} ", procnet::broadcast(*ip, *prefix));
        }
        let scope = if ip.is_loopback() { "host" } else { "global" };
        let _ = write!(s, "scope {scope} {}", i.name);
        s.push(if style.oneline { '\\' } else { '\n' });
        s.push_str("       valid_lft forever preferred_lft forever\n");
    }
    s
}

/// `ip addr` / `ip link` for every interface, or the one named.
pub fn show(ifaces: &[Interface], dev: Option<&str>, addresses: bool, style: Style) -> Result<String, String> {
    if let Some(d) = dev {
        if !ifaces.iter().any(|i| i.name == d) {
            return Err(format!("can't find device '{d}'"));
        }
    }
    let mut out = String::new();
    for i in ifaces.iter().filter(|i| dev.is_none_or(|d| i.name == d)) {
        let inet_only = style.family.is_some_and(|f| f != "link");
        if addresses && inet_only && (style.family != Some("inet") || i.addrs.is_empty()) {
            // -4: only interfaces with an IPv4 address; -6: none have IPv6 addresses here.
            continue;
        }
        if !(addresses && style.oneline) {
            out.push_str(&format_link(i, ifaces, style));
        }
        if addresses && style.family != Some("link") {
            out.push_str(&format_addrs(i, style));
        }
    }
    Ok(out)
}

/// The address an interface would use as source for `net/mask`, if it has one there.
fn source_for(ifaces: &[Interface], dev: &str, net: Ipv4Addr, mask: Ipv4Addr) -> Option<Ipv4Addr> {
    let i = ifaces.iter().find(|i| i.name == dev)?;
    let m = u32::from(mask);
    i.addrs.iter().map(|(a, _)| *a).find(|a| u32::from(*a) & m == u32::from(net) & m).or(i.addrs.first().map(|a| a.0))
}

/// `ip route`: the main table from `/proc/net/route`; connected routes get the kernel's
/// `scope link` and their interface's address as `src`.
pub fn format_routes(routes: &[procnet::Route<'_>], ifaces: &[Interface]) -> String {
    let mut out = String::new();
    for r in routes.iter().filter(|r| r.flags & rtf::UP != 0) {
        let prefix = u32::from(r.mask).leading_ones();
        if r.dest.is_unspecified() && prefix == 0 {
            out.push_str("default ");
        } else if prefix == 32 {
            let _ = write!(out, "{} ", r.dest);
        } else {
            let _ = write!(out, "{}/{prefix} ", r.dest);
        }
        if r.flags & rtf::GATEWAY != 0 {
            let _ = write!(out, "via {} ", r.gateway);
        }
        let _ = write!(out, "dev {} ", r.iface);
        if r.flags & rtf::GATEWAY == 0 {
            out.push_str("scope link ");
            if let Some(src) = source_for(ifaces, r.iface, r.dest, r.mask) {
                let _ = write!(out, " src {src} ");
            }
        }
        if r.metric != 0 {
            let _ = write!(out, " metric {} ", r.metric);
        }
        out.push('\n');
    }
    out
}

/// `ip route get ADDR`: the route the kernel would pick (longest prefix, then lowest metric).
pub fn route_get(routes: &[procnet::Route<'_>], ifaces: &[Interface], dst: Ipv4Addr) -> Result<String, String> {
    let local =
        ifaces.iter().find(|i| i.addrs.iter().any(|(a, _)| *a == dst) || (dst.is_loopback() && i.is_loopback()));
    if let Some(i) = local {
        let src = if dst.is_loopback() { dst } else { i.addrs.first().map_or(dst, |a| a.0) };
        return Ok(format!("local {dst} dev lo  src {src} \n"));
    }
    let best = routes
        .iter()
        .filter(|r| r.flags & rtf::UP != 0 && u32::from(dst) & u32::from(r.mask) == u32::from(r.dest))
        .max_by_key(|r| (u32::from(r.mask).leading_ones(), -r.metric))
        .ok_or("RTNETLINK answers: Network unreachable")?;
    let mut s = format!("{dst} ");
    if best.flags & rtf::GATEWAY != 0 {
        let _ = write!(s, "via {} ", best.gateway);
    }
    let _ = write!(s, "dev {} ", best.iface);
    if let Some(src) = source_for(ifaces, best.iface, dst, Ipv4Addr::UNSPECIFIED) {
        let _ = write!(s, " src {src} ");
    }
    s.push('\n');
    Ok(s)
}

fn matches(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}

fn run(args: &[String]) -> Result<String, String> {
    let mut style = Style::default();
    let mut i = 0;
    while let Some(a) = args.get(i).filter(|a| a.starts_with('-')) {
        let opt = a.trim_start_matches('-');
        i += 1;
        match opt {
            "4" => style.family = Some("inet"),
            "6" => style.family = Some("inet6"),
            "0" => style.family = Some("link"),
            o if matches(o, "oneline") => style.oneline = true,
            o if matches(o, "family") => {
                style.family = match args.get(i).map(String::as_str) {
                    Some("inet") => Some("inet"),
                    Some("inet6") => Some("inet6"),
                    Some("link") => Some("link"),
                    Some(f) => return Err(format!("invalid argument '{f}' to '-family'")),
                    None => return Err(String::new()),
                };
                i += 1;
            }
            _ => return Err(String::new()),
        }
    }
    let Some(object) = args.get(i) else { return Err(String::new()) };
    let rest = &args[i + 1..];
    let cmd = rest.first().map_or("show", String::as_str);
    let dev = match rest.get(1..).unwrap_or(&[]) {
        [d, name] if d == "dev" => Some(name.as_str()),
        [name] => Some(name.as_str()),
        [] => None,
        _ => return Err(String::new()),
    };
    let ifaces =
        procnet::interfaces().map_err(|e| format!("can't read '/proc/net/dev': {}", crate::util::errstr(&e)))?;
    let show_cmd = matches(cmd, "show") || matches(cmd, "list") || cmd == "lst";
    if matches(object, "address") {
        return match cmd {
            _ if show_cmd => show(&ifaces, dev, true, style),
            "add" | "change" | "replace" | "del" | "delete" | "flush" => Err(denied()),
            _ => Err(format!("command \"{cmd}\" is unknown, try \"ip address help\"")),
        };
    }
    if matches(object, "link") {
        return match cmd {
            _ if show_cmd => show(&ifaces, dev, false, style),
            "set" => Err("SIOCSIFFLAGS: Operation not permitted".into()),
            "add" | "del" | "delete" => Err(denied()),
            _ => Err(format!("command \"{cmd}\" is unknown, try \"ip link help\"")),
        };
    }
    if matches(object, "route") {
        let text = std::fs::read_to_string("/proc/net/route")
            .map_err(|e| format!("can't open '/proc/net/route': {}", crate::util::errstr(&e)))?;
        let routes = procnet::parse_routes(&text).ok_or("read error")?;
        return match cmd {
            _ if show_cmd && rest.len() <= 1 => Ok(format_routes(&routes, &ifaces)),
            "get" => match rest.get(1).and_then(|a| a.parse().ok()) {
                Some(dst) => route_get(&routes, &ifaces, dst),
                None => Err(format!("invalid argument '{}'", rest.get(1).map_or("", String::as_str))),
            },
            "add" | "append" | "change" | "replace" | "del" | "delete" | "flush" => Err(denied()),
            _ if show_cmd => Ok(format_routes(&routes, &ifaces)),
            _ => Err(format!("command \"{cmd}\" is unknown, try \"ip route help\"")),
        };
    }
    Err(String::new())
}

/// The kernel's answer to a change without `CAP_NET_ADMIN`.
fn denied() -> String {
    "RTNETLINK answers: Operation not permitted".into()
}

pub fn main(args: &[String]) -> i32 {
    match run(&args[1..]) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(msg) if msg.is_empty() => {
            usage("ip");
            1
        }
        Err(msg) => {
            err("ip", msg);
            1
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
