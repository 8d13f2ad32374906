//! `docker network ls`, `create`, `rm`, `prune`, `connect` and `disconnect`, with the flags,
//! tables and messages of Docker's client (`inspect` is in `network_inspect.rs`).

use super::filter::{label_matches, Filters};
use super::format::{self, Format};
use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Input, Io, Spec, Step, Task};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::network::links::parse_link;
use crate::network::{ConnectOptions, Network, NetworkCreate};
use crate::units::rfc3339_nanos;
use serde_json::json;
use std::collections::BTreeMap;

const LS: Spec = Spec {
    name: "docker network ls",
    usage: "docker network ls [OPTIONS]",
    description: "List networks",
    aliases: "docker network ls, docker network list",
    flags: &[
        Flag::list("filter", Some('f'), "filter", "Provide filter values (e.g. \"driver=bridge\")"),
        format::FORMAT_FLAG,
        Flag::bool("no-trunc", None, "Do not truncate the output"),
        Flag::bool("quiet", Some('q'), "Only display network IDs"),
    ],
    arity: Arity::None,
    interspersed: true,
};

const CREATE: Spec = Spec {
    name: "docker network create",
    usage: "docker network create [OPTIONS] NETWORK",
    description: "Create a network",
    aliases: "",
    flags: &[
        Flag::bool("attachable", None, "Enable manual container attachment"),
        Flag::list("aux-address", None, "map", "Auxiliary IPv4 or IPv6 addresses used by Network driver")
            .with_default("map[]"),
        Flag::value("config-from", None, "string", "The network from which to copy the configuration"),
        Flag::bool("config-only", None, "Create a configuration only network"),
        Flag::value("driver", Some('d'), "string", "Driver to manage the Network").with_default("\"bridge\""),
        Flag::list("gateway", None, "strings", "IPv4 or IPv6 Gateway for the master subnet"),
        Flag::bool("ingress", None, "Create swarm routing-mesh network"),
        Flag::bool("internal", None, "Restrict external access to the network"),
        Flag::list("ip-range", None, "strings", "Allocate container ip from a sub-range"),
        Flag::value("ipam-driver", None, "string", "IP Address Management Driver").with_default("\"default\""),
        Flag::list("ipam-opt", None, "map", "Set IPAM driver specific options").with_default("map[]"),
        Flag::bool("ipv4", None, "Enable or disable IPv4 address assignment").with_default("true"),
        Flag::bool("ipv6", None, "Enable or disable IPv6 address assignment"),
        Flag::list("label", None, "list", "Set metadata on a network"),
        Flag::list("opt", Some('o'), "map", "Set driver specific options").with_default("map[]"),
        Flag::value("scope", None, "string", "Control the network's scope"),
        Flag::list("subnet", None, "strings", "Subnet in CIDR format that represents a network segment"),
    ],
    arity: Arity::Exactly(1),
    interspersed: true,
};

const RM: Spec = Spec {
    name: "docker network rm",
    usage: "docker network rm NETWORK [NETWORK...]",
    description: "Remove one or more networks",
    aliases: "docker network rm, docker network remove",
    flags: &[Flag::bool("force", Some('f'), "Do not error if the network does not exist")],
    arity: Arity::AtLeast(1),
    interspersed: true,
};

const PRUNE: Spec = Spec {
    name: "docker network prune",
    usage: "docker network prune [OPTIONS]",
    description: "Remove all unused networks",
    aliases: "",
    flags: &[
        Flag::list("filter", None, "filter", "Provide filter values (e.g. \"until=<timestamp>\")"),
        Flag::bool("force", Some('f'), "Do not prompt for confirmation"),
    ],
    arity: Arity::None,
    interspersed: true,
};

const CONNECT: Spec = Spec {
    name: "docker network connect",
    usage: "docker network connect [OPTIONS] NETWORK CONTAINER",
    description: "Connect a container to a network",
    aliases: "",
    flags: &[
        Flag::list("alias", None, "strings", "Add network-scoped alias for the container"),
        Flag::list("driver-opt", None, "strings", "driver options for the network"),
        Flag::value(
            "gw-priority",
            None,
            "int",
            "Highest gw-priority provides the default gateway. Accepts positive and negative values.",
        ),
        Flag::value("ip", None, "string", "IPv4 address (e.g., \"172.30.100.104\")"),
        Flag::value("ip6", None, "string", "IPv6 address (e.g., \"2001:db8::33\")"),
        Flag::list("link", None, "list", "Add link to another container"),
        Flag::list("link-local-ip", None, "strings", "Add a link-local address for the container"),
    ],
    arity: Arity::Exactly(2),
    interspersed: true,
};

const DISCONNECT: Spec = Spec {
    name: "docker network disconnect",
    usage: "docker network disconnect [OPTIONS] NETWORK CONTAINER",
    description: "Disconnect a container from a network",
    aliases: "",
    flags: &[Flag::bool("force", Some('f'), "Force the container to disconnect from a network")],
    arity: Arity::Exactly(2),
    interspersed: true,
};

const DEFAULT_TABLE: &str = "{{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

const HEADERS: &[(&str, &str)] = &[
    ("ID", "NETWORK ID"),
    ("Name", "NAME"),
    ("Driver", "DRIVER"),
    ("Scope", "SCOPE"),
    ("IPv4", "IPV4"),
    ("IPv6", "IPV6"),
    ("Internal", "INTERNAL"),
    ("Labels", "LABELS"),
    ("CreatedAt", "CREATED AT"),
];

/// Go's `time.Time.String()`: `2026-01-15 10:00:00.5 +0000 UTC`.
fn go_time_string(ms: u64) -> String {
    let iso = rfc3339_nanos(ms);
    let fraction = iso[20..29].trim_end_matches('0');
    let dot = if fraction.is_empty() { "" } else { "." };
    format!("{} {}{dot}{fraction} +0000 UTC", &iso[..10], &iso[11..19])
}

/// `key=value` options (`-o`, `--label`, `--ipam-opt`) into a map.
fn key_values(list: &[String]) -> BTreeMap<String, String> {
    list.iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.clone(), String::new()),
        })
        .collect()
}

fn labels_text(n: &Network) -> String {
    n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

fn matches_filters(n: &Network, f: &Filters) -> bool {
    let labels: Vec<(String, String)> = n.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    f.matches("driver", |v| n.driver.name() == v)
        && f.matches("id", |v| n.id.as_str().contains(v))
        && f.matches("name", |v| n.name.contains(v))
        && f.matches("label", |v| label_matches(v, &labels))
        && f.matches("scope", |v| v == "local")
        && f.matches("type", |v| (v == "builtin") == n.predefined && matches!(v, "builtin" | "custom"))
        && f.matches("dangling", |v| matches!(v, "true" | "1") == (n.endpoints.is_empty() && !n.predefined))
}

pub fn ls(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&LS, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let keys = ["driver", "id", "label", "name", "scope", "type", "dangling"];
    let filters = match Filters::parse(m.list("filter"), &keys) {
        Ok(f) => f,
        Err(e) => return Finished::fail(format!("{e}\n"), 1),
    };
    let trunc = !m.flag("no-trunc");
    let mut nets: Vec<&Network> = daemon.networks.iter().filter(|n| matches_filters(n, &filters)).collect();
    nets.sort_by(|a, b| crate::network::ports::natural_cmp(&a.name, &b.name));
    let id = |n: &Network| if trunc { n.id.short().to_string() } else { n.id.to_string() };
    if m.flag("quiet") {
        return Finished::out(nets.iter().map(|n| format!("{}\n", id(n))).collect::<String>());
    }
    let objects: Vec<serde_json::Value> = nets
        .iter()
        .map(|n| {
            json!({
                "CreatedAt": go_time_string(n.created_ms),
                "Driver": n.driver.name(),
                "ID": id(n),
                "IPv4": "true",
                "IPv6": "false",
                "Internal": n.internal.to_string(),
                "Labels": labels_text(n),
                "Name": n.name,
                "Scope": "local",
            })
        })
        .collect();
    match format::render(&Format::parse(m.value("format"), DEFAULT_TABLE), &objects, HEADERS) {
        Ok(out) => Finished::out(out),
        Err(e) => Finished::fail(format!("{e}\n"), 1),
    }
}

/// The client's consolidation of `--subnet`, `--ip-range` and `--gateway` (`createIPAMConfig`).
fn ipam_config(subnets: &[String], ranges: &[String], gateways: &[String]) -> Result<[Option<String>; 3], String> {
    if subnets.len() < ranges.len() || subnets.len() < gateways.len() {
        return Err("every ip-range or gateway must have a corresponding subnet".into());
    }
    if subnets.len() > 1 {
        let parsed: Vec<_> = subnets.iter().map(|s| crate::network::ipam::Subnet::parse(s)).collect();
        for (i, a) in parsed.iter().enumerate() {
            for b in &parsed[..i] {
                if let (Some(a), Some(b)) = (a, b) {
                    if a.overlaps(b) {
                        return Err("multiple overlapping subnet configuration is not supported".into());
                    }
                }
            }
        }
        return Err("the playground's networks have one subnet each: give a single --subnet".into());
    }
    let subnet = subnets.first().map(|s| crate::network::ipam::Subnet::parse(s).ok_or(s));
    let within = |data: &str| -> Result<bool, String> {
        let ip = data.split('/').next().unwrap_or(data).parse::<std::net::Ipv4Addr>();
        match (&subnet, ip) {
            (Some(Ok(s)), Ok(ip)) => Ok(s.contains(ip)),
            (Some(Err(raw)), _) => Err(format!("invalid subnet: invalid CIDR address: {raw}")),
            (_, Err(_)) if data.contains('/') => Err(format!("invalid CIDR address: {data}")),
            _ => Ok(false),
        }
    };
    for r in ranges {
        if crate::network::ipam::Subnet::parse(r).is_none() {
            return Err(format!("invalid CIDR address: {r}"));
        }
        if !within(r)? {
            return Err(format!("no matching subnet for range {r}"));
        }
    }
    for g in gateways {
        if !within(g)? {
            return Err(format!("no matching subnet for gateway {g}"));
        }
    }
    Ok([subnets.first().cloned(), ranges.first().cloned(), gateways.first().cloned()])
}

pub fn create(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&CREATE, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let split = |flag: &str| -> Vec<String> {
        m.list(flag).iter().flat_map(|v| v.split(',')).filter(|s| !s.is_empty()).map(String::from).collect()
    };
    let [subnet, ip_range, gateway] = match ipam_config(&split("subnet"), &split("ip-range"), &split("gateway")) {
        Ok(c) => c,
        Err(e) => return Finished::fail(format!("{e}\n"), 1),
    };
    let req = NetworkCreate {
        name: m.args[0].clone(),
        driver: m.value("driver").unwrap_or("bridge").to_string(),
        subnet,
        ip_range,
        gateway,
        internal: m.flag("internal"),
        attachable: m.flag("attachable"),
        ipv6: m.flag("ipv6"),
        options: key_values(m.list("opt")),
        ipam_options: key_values(m.list("ipam-opt")),
        labels: key_values(m.list("label")),
    };
    match daemon.create_network(req) {
        Ok(id) => Finished::out(format!("{id}\n")),
        Err(e) => Finished::fail(daemon_error(&e.into()), 1),
    }
}

pub fn rm(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&RM, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let (mut out, mut err) = (String::new(), String::new());
    for name in &m.args {
        match daemon.remove_network(name) {
            Ok(()) => out.push_str(&format!("{name}\n")),
            Err(crate::network::NetworkError::NotFound(_)) if m.flag("force") => {}
            Err(e) => err.push_str(&daemon_error(&e.into())),
        }
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Box::new(Finished::both(out, err, status))
}

pub fn connect(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&CONNECT, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let mut links = Vec::new();
    for raw in m.list("link") {
        match parse_link(raw) {
            Ok(l) => links.push(l),
            Err(e) => {
                let usage =
                    format!("\n\nUsage:  {}\n\nRun '{} --help' for more information\n", CONNECT.usage, CONNECT.name);
                return Finished::fail(format!("invalid argument \"{raw}\" for \"--link\" flag: {e}{usage}"), 125);
            }
        }
    }
    let aliases = m.list("alias").iter().flat_map(|v| v.split(',')).map(String::from).collect();
    let opts = ConnectOptions { aliases, ipv4: m.value("ip").filter(|s| !s.is_empty()).map(String::from), links };
    match daemon.connect_network(&m.args[0], &m.args[1], opts) {
        Ok(()) => Finished::out(""),
        Err(e) => Finished::fail(daemon_error(&e), 1),
    }
}

pub fn disconnect(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&DISCONNECT, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    match daemon.disconnect_network(&m.args[0], &m.args[1], m.flag("force")) {
        Ok(()) => Finished::out(""),
        Err(e) => Finished::fail(daemon_error(&e), 1),
    }
}

/// Removes the unused networks; returns Docker's report (empty when none went).
pub(crate) fn prune_report(daemon: &mut Daemon, filters: &Filters) -> String {
    let removed = daemon.prune_networks(|n| {
        let labels: Vec<(String, String)> = n.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        !filters.matches("label", |v| label_matches(v, &labels))
    });
    if removed.is_empty() {
        return String::new();
    }
    format!("Deleted Networks:\n{}\n", removed.iter().map(|n| format!("{n}\n")).collect::<String>())
}

struct PruneTask {
    filters: Filters,
    confirm: bool,
    asked: bool,
}

impl Task for PruneTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        if self.confirm {
            if !self.asked {
                self.asked = true;
                io.out("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ");
            }
            match io.read_line() {
                None => return Step::Pending(Activity::Idle),
                Some(Input::Data(a))
                    if matches!(String::from_utf8_lossy(&a).trim(), "y" | "Y" | "yes" | "Yes" | "YES") => {}
                Some(_) => return Step::Done(0),
            }
        }
        io.out(prune_report(daemon, &self.filters));
        Step::Done(0)
    }
}

pub fn prune(args: &[String], _daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&PRUNE, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    match Filters::parse(m.list("filter"), &["label", "until"]) {
        Ok(filters) => Box::new(PruneTask { filters, confirm: !m.flag("force"), asked: false }),
        Err(e) => Finished::fail(format!("{e}\n"), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_consolidates_ipam_flags() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(ipam_config(&s(&["192.168.1.0/24"]), &s(&["192.168.1.0/28"]), &s(&["192.168.1.1"])).is_ok());
        assert_eq!(
            ipam_config(&[], &[], &s(&["1.2.3.4"])).unwrap_err(),
            "every ip-range or gateway must have a corresponding subnet"
        );
        assert_eq!(
            ipam_config(&s(&["10.0.0.0/24"]), &[], &s(&["10.1.0.1"])).unwrap_err(),
            "no matching subnet for gateway 10.1.0.1"
        );
        assert_eq!(
            ipam_config(&s(&["10.0.0.0/24"]), &s(&["10.0.1.0/28"]), &[]).unwrap_err(),
            "no matching subnet for range 10.0.1.0/28"
        );
        assert_eq!(ipam_config(&s(&["10.0.0.0/24"]), &s(&["zz"]), &[]).unwrap_err(), "invalid CIDR address: zz");
        assert_eq!(
            ipam_config(&s(&["10.0.0.0/24", "10.0.0.0/16"]), &[], &[]).unwrap_err(),
            "multiple overlapping subnet configuration is not supported"
        );
        // A bad subnet alone passes the client: the daemon refuses it.
        assert!(ipam_config(&s(&["foo"]), &[], &[]).is_ok());
    }

    #[test]
    fn go_prints_times_without_trailing_zeros() {
        assert_eq!(go_time_string(1_768_471_200_000), "2026-01-15 10:00:00 +0000 UTC");
        assert_eq!(go_time_string(1_768_471_200_500), "2026-01-15 10:00:00.5 +0000 UTC");
    }
}
