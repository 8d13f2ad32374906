//! The two files the C library reads before it asks anyone: `/etc/hosts` (names written by hand,
//! or by Docker: the container's own name, `--link` and `--add-host` entries) and
//! `/etc/resolv.conf` (which name servers to ask, and how; Docker points containers on
//! user-defined networks at its embedded DNS, `nameserver 127.0.0.11`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

/// `/etc/resolv.conf`, as resolv.conf(5) describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvConf {
    /// `nameserver` lines, in order, on port 53.
    pub nameservers: Vec<SocketAddr>,
    /// `search` (or `domain`) suffixes tried for names with fewer than `ndots` dots.
    pub search: Vec<String>,
    /// `options ndots:N` (1 by default; Docker writes 0).
    pub ndots: usize,
    /// `options timeout:N`: how long to wait for all the attempts together (5 s).
    pub timeout: Duration,
    /// `options attempts:N` (2).
    pub attempts: u32,
}

impl Default for ResolvConf {
    /// What the C library uses without the file: the name server on this host.
    fn default() -> Self {
        Self {
            nameservers: vec![SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53)],
            search: Vec::new(),
            ndots: 1,
            timeout: Duration::from_secs(5),
            attempts: 2,
        }
    }
}

impl ResolvConf {
    pub const PATH: &'static str = "/etc/resolv.conf";

    /// Reads the file's text. Unknown lines and options are ignored, as the C library does;
    /// without a `nameserver` line, the local one is used.
    pub fn parse(text: &str) -> Self {
        let mut conf = Self { nameservers: Vec::new(), ..Self::default() };
        let mut have_search = false;
        for line in text.lines() {
            let line = line.split(['#', ';']).next().unwrap_or("");
            let mut words = line.split_whitespace();
            match words.next() {
                Some("nameserver") => {
                    // IPv6 servers are skipped: the playground's sockets are IPv4 only.
                    if let Some(ip) = words.next().and_then(|w| w.parse::<Ipv4Addr>().ok()) {
                        conf.nameservers.push(SocketAddr::new(IpAddr::V4(ip), 53));
                    }
                }
                Some("search") => {
                    conf.search = words.map(str::to_string).collect();
                    have_search = true;
                }
                Some("domain") if !have_search => conf.search = words.take(1).map(str::to_string).collect(),
                Some("options") => {
                    for opt in words {
                        let (key, val) = opt.split_once(':').unwrap_or((opt, ""));
                        let n = val.parse::<u64>().ok();
                        match (key, n) {
                            ("ndots", Some(n)) => conf.ndots = n.min(15) as usize,
                            ("timeout", Some(n)) => conf.timeout = Duration::from_secs(n.clamp(1, 60)),
                            ("attempts", Some(n)) => conf.attempts = n.clamp(1, 10) as u32,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        conf.search.retain(|d| d != ".");
        if conf.nameservers.is_empty() {
            conf.nameservers = Self::default().nameservers;
        }
        conf
    }

    /// `/etc/resolv.conf`, or the defaults when it cannot be read.
    pub fn load() -> Self {
        std::fs::read_to_string(Self::PATH).map(|t| Self::parse(&t)).unwrap_or_default()
    }

    /// The names to ask for, in order, for `name` (resolv.conf(5): a name with at least
    /// `ndots` dots, or a final dot, is tried as is only; others with each search suffix first).
    pub fn candidates(&self, name: &str) -> Vec<String> {
        if let Some(absolute) = name.strip_suffix('.') {
            return vec![absolute.to_string()];
        }
        let dots = name.matches('.').count();
        if dots >= self.ndots || self.search.is_empty() {
            return vec![name.to_string()];
        }
        let mut out: Vec<String> = self.search.iter().map(|d| format!("{name}.{}", d.trim_end_matches('.'))).collect();
        out.push(name.to_string());
        out
    }
}

/// `/etc/hosts`: `address name [aliases...]`, `#` comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hosts {
    entries: Vec<(Ipv4Addr, Vec<String>)>,
}

impl Hosts {
    pub const PATH: &'static str = "/etc/hosts";

    /// Reads the file's text; IPv6 lines are skipped.
    pub fn parse(text: &str) -> Self {
        let entries = text
            .lines()
            .filter_map(|line| {
                let mut words = line.split('#').next().unwrap_or("").split_whitespace();
                let ip = words.next()?.parse::<Ipv4Addr>().ok()?;
                let names: Vec<String> = words.map(str::to_string).collect();
                (!names.is_empty()).then_some((ip, names))
            })
            .collect();
        Self { entries }
    }

    /// `/etc/hosts`, or nothing when it cannot be read.
    pub fn load() -> Self {
        std::fs::read_to_string(Self::PATH).map(|t| Self::parse(&t)).unwrap_or_default()
    }

    /// Every address of `name` (case-insensitive), in file order, without repeats.
    pub fn lookup(&self, name: &str) -> Vec<Ipv4Addr> {
        let name = name.strip_suffix('.').unwrap_or(name);
        let mut out = Vec::new();
        for (ip, names) in &self.entries {
            if names.iter().any(|n| n.eq_ignore_ascii_case(name)) && !out.contains(ip) {
                out.push(*ip);
            }
        }
        out
    }

    /// The first name of the first line with `ip` (the canonical name).
    pub fn reverse(&self, ip: Ipv4Addr) -> Option<String> {
        self.entries.iter().find(|(a, _)| *a == ip).and_then(|(_, names)| names.first().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_resolv_conf() {
        let c =
            ResolvConf::parse("# Generated by Docker Engine.\nnameserver 127.0.0.11\nsearch lan\noptions ndots:0\n");
        assert_eq!(c.nameservers, vec!["127.0.0.11:53".parse().unwrap()]);
        assert_eq!(c.ndots, 0);
        assert_eq!(c.candidates("web"), vec!["web"]);
        let c = ResolvConf::parse(
            "nameserver 10.0.0.1\nnameserver ::1\nnameserver 10.0.0.2\nsearch a.test b.test\noptions timeout:2 attempts:3 rotate\n",
        );
        assert_eq!(c.nameservers.len(), 2);
        assert_eq!((c.timeout, c.attempts, c.ndots), (Duration::from_secs(2), 3, 1));
        assert_eq!(c.candidates("web"), vec!["web.a.test", "web.b.test", "web"]);
        assert_eq!(c.candidates("web.x"), vec!["web.x"]);
        assert_eq!(c.candidates("web."), vec!["web"]);
    }

    #[test]
    fn missing_or_empty_resolv_conf_asks_the_local_server() {
        assert_eq!(ResolvConf::parse(""), ResolvConf::default());
        assert_eq!(ResolvConf::parse("domain corp.test\n").search, vec!["corp.test"]);
        assert_eq!(ResolvConf::parse("search x.test\ndomain corp.test\n").search, vec!["x.test"]);
    }

    #[test]
    fn hosts_file() {
        let h = Hosts::parse(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n172.17.0.3\tdb db-alias # link\n172.17.0.2\t3f4e5d6c7b8a\n172.17.0.4 db\n",
        );
        assert_eq!(h.lookup("localhost"), vec![Ipv4Addr::LOCALHOST]);
        assert_eq!(h.lookup("DB."), vec![Ipv4Addr::new(172, 17, 0, 3), Ipv4Addr::new(172, 17, 0, 4)]);
        assert_eq!(h.lookup("db-alias"), vec![Ipv4Addr::new(172, 17, 0, 3)]);
        assert!(h.lookup("link").is_empty());
        assert_eq!(h.reverse(Ipv4Addr::new(172, 17, 0, 2)).as_deref(), Some("3f4e5d6c7b8a"));
        assert_eq!(h.reverse(Ipv4Addr::new(10, 0, 0, 1)), None);
    }
}
