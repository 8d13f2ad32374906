//! The directives that name network addresses: `listen`, `server_name`, `proxy_pass` and the
//! `server`s of an `upstream` block. Host names are resolved once, when the configuration is
//! read (`/etc/hosts`, then DNS), as nginx does: a name that does not resolve stops nginx with
//! `host not found in upstream "api:5000"`.

use super::model::{Listen, ServerName, Upstream};
use super::settings::{err, template, ProxyPass};
use super::tree::{ConfError, Directive};
use regex_lite::Regex;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Resolves a host name to its IPv4 addresses.
pub type Resolver<'a> = &'a dyn Fn(&str) -> io::Result<Vec<Ipv4Addr>>;

fn parse_port(s: &str) -> Option<u16> {
    s.parse::<u16>().ok().filter(|p| *p > 0)
}

/// `listen 80;`, `listen 127.0.0.1:8080 default_server;`, `listen [::]:80;` (IPv6: nothing to
/// bind here, the playground's networks are IPv4 only, so no IPv6 client can come).
pub fn listen(d: &Directive, resolve: Resolver<'_>) -> Result<Option<Listen>, ConfError> {
    let a = d.args[0].as_str();
    let bad_port = || err(d, format!("invalid port in \"{a}\" of the \"listen\" directive"));
    if a.starts_with("unix:") {
        return Err(err(d, "\"unix:\" sockets are not supported by this playground's nginx"));
    }
    let mut default = false;
    for p in &d.args[1..] {
        match p.as_str() {
            "default_server" | "default" => default = true,
            "ssl" | "quic" => {
                return Err(err(
                    d,
                    format!("\"{p}\" parameter of \"listen\": TLS is not supported by this playground's nginx"),
                ))
            }
            "http2" | "reuseport" | "deferred" | "bind" | "proxy_protocol" => {}
            p if [
                "ipv6only=",
                "backlog=",
                "rcvbuf=",
                "sndbuf=",
                "so_keepalive=",
                "fastopen=",
                "setfib=",
                "accept_filter=",
            ]
            .iter()
            .any(|k| p.starts_with(k)) => {}
            p => return Err(err(d, format!("invalid parameter \"{p}\""))),
        }
    }
    if let Some(v6) = a.strip_prefix('[') {
        let (_, port) = v6.split_once(']').ok_or_else(bad_port)?;
        if let Some(port) = port.strip_prefix(':') {
            parse_port(port).ok_or_else(bad_port)?;
        }
        return Ok(None);
    }
    let (host, port) = if a.bytes().all(|b| b.is_ascii_digit()) {
        ("*", parse_port(a).ok_or_else(bad_port)?)
    } else if let Some((h, p)) = a.rsplit_once(':') {
        (h, parse_port(p).ok_or_else(bad_port)?)
    } else {
        (a, 80)
    };
    let ip = match host {
        "*" | "" => Ipv4Addr::UNSPECIFIED,
        h => match h.parse::<Ipv4Addr>() {
            Ok(ip) => ip,
            Err(_) => *resolve(h)
                .ok()
                .and_then(|ips| ips.first().copied())
                .as_ref()
                .ok_or_else(|| err(d, format!("host not found in \"{a}\" of the \"listen\" directive")))?,
        },
    };
    Ok(Some(Listen { addr: SocketAddr::new(IpAddr::V4(ip), port), default, at: d.at() }))
}

/// One `server_name` entry.
pub fn server_name(d: &Directive, name: &str) -> Result<ServerName, ConfError> {
    if let Some(re) = name.strip_prefix('~') {
        let regex = compile_regex(re, false).map_err(|e| err(d, e))?;
        return Ok(ServerName::Regex { regex, text: name.to_string() });
    }
    let lower = name.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("*.") {
        return Ok(ServerName::Suffix { suffix: format!(".{rest}"), bare: false, text: name.to_string() });
    }
    if lower.starts_with('.') {
        return Ok(ServerName::Suffix { suffix: lower.clone(), bare: true, text: name.to_string() });
    }
    if let Some(rest) = lower.strip_suffix(".*") {
        return Ok(ServerName::Prefix { prefix: format!("{rest}."), text: name.to_string() });
    }
    if lower.contains('*') {
        return Err(err(d, format!("invalid server name or wildcard \"{name}\"")));
    }
    Ok(ServerName::Exact(lower))
}

/// A regular expression as PCRE reads it without its UTF mode (`\d`, `\w` ASCII only);
/// `caseless` for `~*`. The error is nginx's message.
pub fn compile_regex(pattern: &str, caseless: bool) -> Result<Regex, String> {
    regex_lite::RegexBuilder::new(pattern)
        .case_insensitive(caseless)
        .build()
        .map_err(|e| format!("pcre2_compile() failed: {} in \"{pattern}\"", first_line(&e.to_string())))
}

/// The first line of a regex error (the crate prints the pattern with a caret below).
pub fn first_line(s: &str) -> &str {
    s.lines().last().unwrap_or(s).trim_start_matches("error: ")
}

/// `proxy_pass http://host[:port][/uri];` (the group is resolved once every upstream is known).
pub fn proxy_pass(d: &Directive) -> Result<ProxyPass, ConfError> {
    let url = d.args[0].as_str();
    let base = ProxyPass { group: String::new(), proxy_host: String::new(), port: 80, uri: None, dynamic: None };
    let t = template(url)?;
    if t.has_vars() {
        return Ok(ProxyPass { dynamic: Some(t), ..base });
    }
    let rest = match url.strip_prefix("http://") {
        Some(rest) => rest,
        None if url.starts_with("https://") => {
            return Err(err(d, "https protocol requires SSL support, which this playground's nginx lacks"))
        }
        None => return Err(err(d, format!("invalid URL prefix in \"{url}\""))),
    };
    let (hostport, uri) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(rest[i..].to_string())),
        None => (rest, None),
    };
    if hostport.is_empty() {
        return Err(err(d, format!("no host in \"{url}\"")));
    }
    let (group, proxy_host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => {
            let port = parse_port(p).ok_or_else(|| err(d, format!("invalid port in upstream \"{hostport}\"")))?;
            let shown = if port == 80 { h.to_string() } else { hostport.to_string() };
            (hostport.to_string(), shown, port)
        }
        None => (hostport.to_string(), hostport.to_string(), 80),
    };
    Ok(ProxyPass { group, proxy_host, port, uri, ..base })
}

/// The addresses of `host:port` (or `host`, port 80), for an implicit upstream group.
pub fn resolve_group(name: &str, resolve: Resolver<'_>) -> Option<Vec<SocketAddr>> {
    let (host, port) = match name.rsplit_once(':') {
        Some((h, p)) => (h, parse_port(p)?),
        None => (name, 80),
    };
    let ips = match host.parse::<Ipv4Addr>() {
        Ok(ip) => vec![ip],
        Err(_) => resolve(host).ok().filter(|v| !v.is_empty())?,
    };
    Some(ips.into_iter().map(|ip| SocketAddr::new(IpAddr::V4(ip), port)).collect())
}

/// `upstream name { server a:8080 weight=2; server b backup; }`: peers in round-robin order,
/// a weight repeating its peer, backups tried only when every other peer failed.
pub fn upstream(d: &Directive, resolve: Resolver<'_>) -> Result<Upstream, ConfError> {
    let mut peers = Vec::new();
    let mut backups = Vec::new();
    for s in d.block.iter().flatten().filter(|s| s.name == "server") {
        let name = s.args[0].as_str();
        let mut weight = 1;
        let mut backup = false;
        let mut down = false;
        for p in &s.args[1..] {
            if let Some(w) = p.strip_prefix("weight=") {
                weight = w
                    .parse::<usize>()
                    .ok()
                    .filter(|w| (1..=100).contains(w))
                    .ok_or_else(|| err(s, format!("invalid parameter \"{p}\"")))?;
            } else if p == "backup" {
                backup = true;
            } else if p == "down" {
                down = true;
            } else if !["max_fails=", "fail_timeout=", "max_conns=", "slow_start="].iter().any(|k| p.starts_with(k))
                && p != "resolve"
            {
                return Err(err(s, format!("invalid parameter \"{p}\"")));
            }
        }
        let addrs =
            resolve_group(name, resolve).ok_or_else(|| err(s, format!("host not found in upstream \"{name}\"")))?;
        if down {
            continue;
        }
        for _ in 0..weight {
            if backup { &mut backups } else { &mut peers }.extend(addrs.iter().copied());
        }
    }
    if peers.is_empty() && backups.is_empty() {
        return Err(err(d, "no servers are inside upstream"));
    }
    Ok(Upstream { name: d.args[0].clone(), peers, backups })
}
