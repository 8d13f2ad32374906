//! The networking flags of `docker run`/`docker create`, checked on the client side as Docker's
//! client checks them: `--network`/`--net` (repeatable, and the `name=...,alias=...,ip=...`
//! form), `--network-alias`, `--ip`, `--link`, `-p`/`--publish`, `-P`, `--expose`, `--dns`,
//! `--dns-search`, `--dns-option`, `--add-host` (listed with the other flags in `run.rs`). The
//! result is the daemon's request.

use super::Matches;
use crate::network::links::parse_link;
use crate::network::ports::{parse_expose, parse_publish};
use crate::network::{EndpointConfig, NetworkMode, NetworkRequest};
use std::net::IpAddr;

/// Why the flags were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagError {
    /// A flag value pflag refuses (printed with the usage, like unknown flags).
    Usage(String),
    /// A check of the client after parsing (`docker: invalid containerPort: abc`).
    Client(String),
}

fn usage(flag: &str, value: &str, reason: String) -> FlagError {
    FlagError::Usage(format!("invalid argument \"{value}\" for \"--{flag}\" flag: {reason}"))
}

/// One `--network` value: a name, or `name=x,alias=y,ip=z`.
fn network_opt(raw: &str) -> Result<EndpointConfig, FlagError> {
    if !raw.contains('=') {
        return Ok(EndpointConfig::new(raw));
    }
    let mut ep = EndpointConfig::new("");
    for field in raw.split(',') {
        let (key, value) =
            field.split_once('=').ok_or_else(|| usage("network", raw, format!("invalid field {field}")))?;
        match key.trim().to_ascii_lowercase().as_str() {
            "name" => ep.target = value.to_string(),
            "alias" => ep.aliases.push(value.to_string()),
            "ip" => {
                let ip = value.parse().map_err(|_| {
                    FlagError::Client(format!(
                        "Error response from daemon: invalid endpoint settings:\ninvalid IPv4 address: {value}"
                    ))
                })?;
                ep.ipv4 = Some(ip);
            }
            "driver-opt" | "ip6" | "link-local-ip" | "mac-address" | "gw-priority" => {}
            other => return Err(usage("network", raw, format!("invalid field key {other}"))),
        }
    }
    Ok(ep)
}

fn is_user_defined(target: &str) -> bool {
    !matches!(target, "bridge" | "default" | "host" | "none") && !target.starts_with("container:")
}

/// Parses the networking flags into the daemon's request.
pub fn network_request(m: &Matches) -> Result<NetworkRequest, FlagError> {
    let mut req = NetworkRequest::default();
    for raw in m.list("add-host") {
        let (host, ip) = raw.split_once('=').or_else(|| raw.split_once(':')).unwrap_or(("", ""));
        if host.is_empty() || host.contains(':') || (!raw.contains('=') && !raw.contains(':')) {
            return Err(usage("add-host", raw, format!("bad format for add-host: \"{raw}\"")));
        }
        let ip = ip.strip_prefix('[').and_then(|v| v.strip_suffix(']')).unwrap_or(ip);
        let ip = if ip == "host-gateway" { "172.17.0.1" } else { ip };
        if ip.trim().parse::<IpAddr>().is_err() {
            return Err(usage("add-host", raw, format!("invalid IP address in add-host: \"{ip}\"")));
        }
        req.extra_hosts.push((host.to_string(), ip.to_string()));
    }
    for raw in m.list("dns") {
        let ip = raw.trim().parse::<IpAddr>();
        req.dns
            .servers
            .push(ip.map_err(|_| usage("dns", raw, format!("IP address is not correctly formatted: {raw}")))?);
    }
    req.dns.search = m.list("dns-search").to_vec();
    req.dns.options = m.list("dns-option").to_vec();
    let mut links = Vec::new();
    for raw in m.list("link") {
        links.push(parse_link(raw).map_err(|e| usage("link", raw, e))?);
    }
    for raw in m.list("publish") {
        req.bindings.extend(parse_publish(raw).map_err(FlagError::Client)?);
    }
    for raw in m.list("expose") {
        req.exposed.extend(parse_expose(raw).map_err(FlagError::Client)?);
    }
    req.publish_all = m.flag("publish-all");
    let aliases: Vec<String> = m.list("network-alias").iter().chain(m.list("net-alias")).cloned().collect();
    let ip = match m.value("ip") {
        Some(raw) => Some(raw.parse().map_err(|_| {
            FlagError::Client(format!(
                "Error response from daemon: invalid endpoint settings:\ninvalid IPv4 address: {raw}"
            ))
        })?),
        None => None,
    };
    let mut endpoints = Vec::new();
    for raw in m.list("network").iter().chain(m.list("net")) {
        let ep = network_opt(raw)?;
        if ep.target.trim().is_empty() {
            return Err(FlagError::Client("no name set for network".into()));
        }
        if endpoints.iter().any(|e: &EndpointConfig| e.target == ep.target) {
            return Err(FlagError::Client(format!("network \"{}\" is specified multiple times", ep.target)));
        }
        endpoints.push(ep);
    }
    if endpoints.is_empty() {
        endpoints.push(EndpointConfig::new("default"));
    }
    let user = endpoints.iter().filter(|e| is_user_defined(&e.target)).count();
    if user > 0 && user < endpoints.len() {
        return Err(FlagError::Client(
            "conflicting options: cannot attach both user-defined and non-user-defined network-modes".into(),
        ));
    }
    // The plain flags apply to the first network.
    let first = &mut endpoints[0];
    first.aliases.extend(aliases);
    if ip.is_some() {
        first.ipv4 = ip;
    }
    if is_user_defined(&first.target) {
        first.links = std::mem::take(&mut links);
    }
    for ep in &endpoints {
        if !is_user_defined(&ep.target) && !ep.aliases.is_empty() {
            return Err(FlagError::Client(
                "network-scoped aliases are only supported for user-defined networks".into(),
            ));
        }
    }
    let mode = if endpoints[0].target == "default" { "bridge".to_string() } else { endpoints[0].target.clone() };
    if mode.starts_with("container:") {
        endpoints.clear();
    } else if endpoints[0].target == "default" {
        endpoints[0].target = "bridge".into();
    }
    req.mode = NetworkMode(mode);
    req.endpoints = endpoints;
    req.links = links;
    Ok(req)
}
