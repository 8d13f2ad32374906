//! `docker network inspect`, and the network parts of `docker inspect CONTAINER`
//! (`NetworkSettings`, `HostConfig.PortBindings`, `Config.ExposedPorts`...), with Docker 28's
//! field names and order. Go maps come out with their keys sorted, as Go's JSON encoder does.

use super::{parse_or_task, Arity, Flag, Spec, Task};
use crate::container::Container;
use crate::daemon::Daemon;
use crate::ids::Digest;
use crate::network::ports::Port;
use crate::network::{mac_string, Network};
use crate::units::rfc3339_nanos;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const SPEC: Spec = Spec {
    name: "docker network inspect",
    usage: "docker network inspect [OPTIONS] NETWORK [NETWORK...]",
    description: "Display detailed information on one or more networks",
    aliases: "",
    flags: &[
        Flag::value(
            "format",
            Some('f'),
            "string",
            "Format output using a custom template: 'json': Print in JSON format 'TEMPLATE': Print output using the given Go template.",
        ),
        Flag::bool("verbose", Some('v'), "Verbose output for diagnostics"),
    ],
    arity: Arity::AtLeast(1),
    interspersed: true,
};

fn string_map(m: &BTreeMap<String, String>) -> Value {
    Value::Object(m.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

/// A network as `docker network inspect` shows it.
pub fn network_json(n: &Network) -> Value {
    let config = n.ipam.as_ref().map(|ipam| {
        let mut c = Map::new();
        c.insert("Subnet".into(), json!(ipam.pool.subnet.to_string()));
        if ipam.user_subnet {
            if let Some(r) = ipam.pool.range {
                c.insert("IPRange".into(), json!(r.to_string()));
            }
            if ipam.user_gateway {
                c.insert("Gateway".into(), json!(ipam.gateway.to_string()));
            }
        } else {
            c.insert("Gateway".into(), json!(ipam.gateway.to_string()));
        }
        json!([c])
    });
    let containers: BTreeMap<&str, Value> = n
        .endpoints
        .iter()
        .map(|e| {
            let prefix = n.ipam.as_ref().map_or(32, |i| i.pool.subnet.prefix);
            let v = json!({
                "Name": e.name,
                "EndpointID": e.id,
                "MacAddress": mac_string(&e.mac),
                "IPv4Address": format!("{}/{prefix}", e.ip),
                "IPv6Address": "",
            });
            (e.container.as_str(), v)
        })
        .collect();
    json!({
        "Name": n.name,
        "Id": n.id.as_str(),
        "Created": rfc3339_nanos(n.created_ms),
        "Scope": "local",
        "Driver": n.driver.name(),
        "EnableIPv4": true,
        "EnableIPv6": false,
        "IPAM": {
            "Driver": "default",
            "Options": n.ipam_options.as_ref().map_or(Value::Null, string_map),
            "Config": config.unwrap_or(Value::Null),
        },
        "Internal": n.internal,
        "Attachable": n.attachable,
        "Ingress": false,
        "ConfigFrom": { "Network": "" },
        "ConfigOnly": false,
        "Containers": containers,
        "Options": string_map(&n.options),
        "Labels": string_map(&n.labels),
    })
}

/// `{"80/tcp": {}}`, keys in Go's order.
pub fn exposed_ports_json(ports: &[Port]) -> Value {
    let keys: BTreeMap<String, Value> = ports.iter().map(|p| (p.to_string(), json!({}))).collect();
    json!(keys)
}

/// `HostConfig.PortBindings`.
fn port_bindings_json(c: &Container) -> Value {
    let mut map: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (port, b) in &c.net.bindings {
        map.entry(port.to_string()).or_default().push(json!({ "HostIp": b.host_ip, "HostPort": b.host_port }));
    }
    json!(map)
}

/// The network fields of `HostConfig`, in Docker's order of appearance among its others.
pub fn host_config_fields(c: &Container, daemon: &Daemon) -> Map<String, Value> {
    let links: Vec<String> = c
        .net
        .links
        .iter()
        .filter_map(|l| {
            daemon.containers.find(l.child.as_str()).map(|child| format!("/{}:/{}/{}", child.name, c.name, l.alias))
        })
        .collect();
    let extra: Vec<String> = c.net.extra_hosts.iter().map(|(h, ip)| format!("{h}:{ip}")).collect();
    let mut m = Map::new();
    m.insert("NetworkMode".into(), json!(c.net.mode.0));
    m.insert("PortBindings".into(), port_bindings_json(c));
    m.insert("Dns".into(), json!(c.net.dns.servers.iter().map(|ip| ip.to_string()).collect::<Vec<_>>()));
    m.insert("DnsOptions".into(), json!(c.net.dns.options));
    m.insert("DnsSearch".into(), json!(c.net.dns.search));
    m.insert("ExtraHosts".into(), if extra.is_empty() { Value::Null } else { json!(extra) });
    m.insert("Links".into(), if links.is_empty() { Value::Null } else { json!(links) });
    m.insert("PublishAllPorts".into(), json!(c.net.publish_all));
    m
}

/// `NetworkSettings.Ports` while running: every exposed port, with its bindings or `null`.
fn ports_json(c: &Container) -> Value {
    let Some(live) = &c.net.live else { return json!({}) };
    if !live.owns_netns {
        return json!({});
    }
    let mut map: BTreeMap<String, Value> = c.net.exposed.iter().map(|p| (p.to_string(), Value::Null)).collect();
    for p in &live.published {
        let entry = map.entry(p.port.to_string()).or_insert(Value::Null);
        if entry.is_null() {
            *entry = json!([]);
        }
        if let Value::Array(list) = entry {
            list.push(json!({ "HostIp": p.host_ip, "HostPort": p.host_port.to_string() }));
        }
    }
    json!(map)
}

/// One entry of `NetworkSettings.Networks`.
fn endpoint_json(c: &Container, n: Option<&Network>, cfg: &crate::network::EndpointConfig) -> Value {
    let ep = n.and_then(|n| n.endpoint(&c.id));
    let user_defined = n.is_some_and(|n| n.is_user_defined());
    let dns_names = if user_defined {
        json!(crate::network::dns_view::dns_names(&c.name, &cfg.aliases, c.id.short(), &c.config.hostname))
    } else {
        Value::Null
    };
    let links: Vec<String> = cfg.links.iter().map(|(name, alias)| format!("{name}:{alias}")).collect();
    let (gateway, prefix) = match (n.and_then(|n| n.ipam.as_ref()), ep) {
        (Some(ipam), Some(_)) => (ipam.gateway.to_string(), ipam.pool.subnet.prefix),
        _ => (String::new(), 0),
    };
    json!({
        "IPAMConfig": cfg.ipv4.map_or(Value::Null, |ip| json!({ "IPv4Address": ip.to_string() })),
        "Links": if links.is_empty() { Value::Null } else { json!(links) },
        "Aliases": if cfg.aliases.is_empty() { Value::Null } else { json!(cfg.aliases) },
        "MacAddress": ep.map(|e| mac_string(&e.mac)).unwrap_or_default(),
        "DriverOpts": null,
        "GwPriority": 0,
        "NetworkID": n.map(|n| n.id.to_string()).unwrap_or_default(),
        "EndpointID": ep.map(|e| e.id.clone()).unwrap_or_default(),
        "Gateway": gateway,
        "IPAddress": ep.map(|e| e.ip.to_string()).unwrap_or_default(),
        "IPPrefixLen": prefix,
        "IPv6Gateway": "",
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "DNSNames": dns_names,
    })
}

/// `NetworkSettings` of `docker inspect CONTAINER`. The top-level address fields are filled
/// for the default bridge only, as Docker does.
pub fn network_settings_json(c: &Container, daemon: &Daemon) -> Value {
    let mut networks = Map::new();
    for cfg in &c.net.endpoints {
        let n = match &cfg.network {
            Some(id) => daemon.networks.by_id(id),
            None => daemon.networks.find(&cfg.target).ok(),
        };
        let key = n.map(|n| n.name.clone()).unwrap_or_else(|| cfg.target.clone());
        networks.insert(key, endpoint_json(c, n, cfg));
    }
    let bridge = networks.get("bridge").cloned().unwrap_or(Value::Null);
    let field =
        |k: &str| bridge.get(k).cloned().unwrap_or_else(|| if k.ends_with("Len") { json!(0) } else { json!("") });
    let (sandbox_id, sandbox_key) = match c.net.live.as_ref() {
        Some(live) => {
            let id = Digest::of(format!("sandbox/{}/{}", c.id, live.netns.0).as_bytes()).hex().to_string();
            let key = format!("/var/run/docker/netns/{}", &id[..12]);
            (id, key)
        }
        None => (String::new(), String::new()),
    };
    json!({
        "Bridge": "",
        "SandboxID": sandbox_id,
        "SandboxKey": sandbox_key,
        "Ports": ports_json(c),
        "HairpinMode": false,
        "LinkLocalIPv6Address": "",
        "LinkLocalIPv6PrefixLen": 0,
        "SecondaryIPAddresses": null,
        "SecondaryIPv6Addresses": null,
        "EndpointID": field("EndpointID"),
        "Gateway": field("Gateway"),
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "IPAddress": field("IPAddress"),
        "IPPrefixLen": field("IPPrefixLen"),
        "IPv6Gateway": "",
        "MacAddress": field("MacAddress"),
        "Networks": networks,
    })
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let mut objects = Vec::new();
    let mut errors = String::new();
    for name in &m.args {
        match daemon.networks.find(name) {
            Ok(n) => objects.push(network_json(n)),
            Err(e) => errors.push_str(&super::daemon_error(&e.into())),
        }
    }
    super::inspect::inspect_output(m.value("format"), objects, errors)
}
