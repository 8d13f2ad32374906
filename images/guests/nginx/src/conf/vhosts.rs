//! Virtual hosts: which `server` answers a connection. First the address the client connected
//! to (a server listening on that very IP beats one on `*`), then the `Host` header among those
//! servers' names (exact, then the longest `*.suffix`, the longest `prefix.*`, the regexes in
//! order), and when no name matches, the address's default server: the one marked
//! `default_server`, or the first that listens there.

use super::model::{Server, ServerName};
use super::tree::ConfError;
use std::net::SocketAddr;

/// Refuses two default servers on one address, and warns about a name two servers claim on the
/// same address (the second is ignored, as nginx does).
pub fn check_defaults(servers: &[Server], warnings: &mut Vec<String>) -> Result<(), ConfError> {
    let mut defaults: Vec<SocketAddr> = Vec::new();
    let mut names: Vec<(SocketAddr, String)> = Vec::new();
    for s in servers {
        for l in &s.listens {
            if l.default {
                if defaults.contains(&l.addr) {
                    return Err(ConfError::new(
                        format!("a duplicate default server for {}", l.addr),
                        Some(l.at.clone()),
                    ));
                }
                defaults.push(l.addr);
            }
            for n in &s.names {
                let ServerName::Exact(name) = n else { continue };
                let key = (l.addr, name.clone());
                if names.contains(&key) {
                    warnings.push(format!("conflicting server name \"{name}\" on {}, ignored", l.addr));
                } else {
                    names.push(key);
                }
            }
        }
    }
    Ok(())
}

fn listens_on(s: &Server, local: SocketAddr, exact_ip: bool) -> bool {
    s.listens.iter().any(|l| {
        l.addr.port() == local.port() && if exact_ip { l.addr.ip() == local.ip() } else { l.addr.ip().is_unspecified() }
    })
}

/// The server for a connection to `local` with `Host` name `host` (lowercased, no port).
pub fn select<'a>(servers: &'a [Server], local: SocketAddr, host: Option<&str>) -> Option<&'a Server> {
    let exact_ip = servers.iter().any(|s| listens_on(s, local, true));
    let candidates: Vec<&Server> = servers.iter().filter(|s| listens_on(s, local, exact_ip)).collect();
    if let Some(host) = host {
        if let Some(s) = by_name(&candidates, host) {
            return Some(s);
        }
    }
    let is_default = |s: &&&Server| {
        s.listens.iter().any(|l| l.default && l.addr.port() == local.port() && (l.addr.ip() == local.ip() || !exact_ip))
    };
    candidates.iter().find(is_default).or(candidates.first()).copied()
}

fn by_name<'a>(candidates: &[&'a Server], host: &str) -> Option<&'a Server> {
    let names = || candidates.iter().flat_map(|s| s.names.iter().map(move |n| (*s, n)));
    if let Some((s, _)) = names().find(|(_, n)| matches!(n, ServerName::Exact(e) if e == host)) {
        return Some(s);
    }
    let suffix = names()
        .filter_map(|(s, n)| match n {
            ServerName::Suffix { suffix, bare, .. }
                if host.ends_with(suffix.as_str()) || (*bare && host == &suffix[1..]) =>
            {
                Some((s, suffix.len()))
            }
            _ => None,
        })
        .max_by_key(|(_, len)| *len);
    if let Some((s, _)) = suffix {
        return Some(s);
    }
    let prefix = names()
        .filter_map(|(s, n)| match n {
            ServerName::Prefix { prefix, .. } if host.starts_with(prefix.as_str()) => Some((s, prefix.len())),
            _ => None,
        })
        .max_by_key(|(_, len)| *len);
    if let Some((s, _)) = prefix {
        return Some(s);
    }
    names().find(|(_, n)| matches!(n, ServerName::Regex { regex, .. } if regex.is_match(host))).map(|(s, _)| s)
}
