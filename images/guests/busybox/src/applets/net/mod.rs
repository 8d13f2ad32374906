//! The network applets: `ping`, `nslookup`, `wget`, `nc`, `ip`, `ifconfig`, `netstat`, `route`.
//! They talk to the engine's network through `guest-net` (sockets, the C library's resolver,
//! ICMP echo) and read the kernel's view of interfaces, routes and sockets from `/proc/net` and
//! `/sys/class/net` (see [`procnet`]). Alpine and busybox images link them; Debian and Ubuntu
//! images do not (their users `apt-get install` iputils-ping, curl, net-tools...).

pub mod ifconfig;
pub mod ip;
pub mod nc;
pub mod netstat;
pub mod nslookup;
pub mod ping;
pub mod procnet;
pub mod progress;
pub mod route;
pub mod wget;

use crate::util::err;
use guest_net::resolve::Resolver;
use guest_net::Ipv4Addr;
use std::time::Duration;

/// The first IPv4 address of `host`, or BusyBox's `APPLET: bad address 'HOST'` (then exit 1).
pub fn resolve(applet: &str, host: &str) -> Result<Ipv4Addr, i32> {
    match Resolver::system().lookup(host) {
        Ok(addrs) if !addrs.is_empty() => Ok(addrs[0]),
        _ => {
            err(applet, format_args!("bad address '{host}'"));
            Err(1)
        }
    }
}

/// `gethostbyname(name)`: the canonical name (the first name of the matching `/etc/hosts`
/// line, or the name itself from DNS) and the IPv4 addresses.
pub fn host_entry(name: &str) -> Option<(String, Vec<Ipv4Addr>)> {
    let r = Resolver::system();
    let local = r.hosts.lookup(name);
    if let Some(first) = local.first() {
        let canonical = r.hosts.reverse(*first).unwrap_or_else(|| name.to_string());
        return Some((canonical, local));
    }
    let addrs = r.lookup(name).ok().filter(|a| !a.is_empty())?;
    Some((name.to_string(), addrs))
}

/// BusyBox's `parse_duration_str`: seconds, with a fraction and an optional `s`/`m`/`h`/`d`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let (num, mult) = match s.char_indices().last()? {
        (i, 's') => (&s[..i], 1.0),
        (i, 'm') => (&s[..i], 60.0),
        (i, 'h') => (&s[..i], 3600.0),
        (i, 'd') => (&s[..i], 86400.0),
        _ => (s, 1.0),
    };
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    Duration::try_from_secs_f64(v * mult).ok()
}

/// A port given as a number (1-65535), as `xatou_range` checks it.
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse::<u16>().ok().filter(|&p| p != 0)
}

/// The port of a service name in `/etc/services` (`http` -> 80), for `proto` (`tcp`, `udp`).
pub fn service_port(name: &str, proto: &str) -> Option<u16> {
    let text = std::fs::read_to_string("/etc/services").ok()?;
    text.lines().find_map(|line| {
        let mut words = line.split('#').next()?.split_whitespace();
        let service = words.next()?;
        let (port, p) = words.next()?.split_once('/')?;
        (p == proto && (service == name || words.any(|alias| alias == name))).then(|| port.parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_ports() {
        assert_eq!(parse_duration("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_duration("0.2"), Some(Duration::from_millis(200)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("x"), None);
        assert_eq!(parse_duration("-1"), None);
        assert_eq!(parse_port("80"), Some(80));
        assert_eq!(parse_port("0"), None);
        assert_eq!(parse_port("70000"), None);
    }
}
