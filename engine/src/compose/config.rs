//! Stage 7, config: the project written back as the canonical YAML `docker compose config`
//! prints: `name:` first, services by name with their attributes in Compose's order, every
//! short syntax in its long form (`ports`, `volumes`, `depends_on`), `networks: default: null`
//! for services on the default network, only the networks and volumes services use, and `$`
//! doubled so that the output is itself a valid Compose file.

use super::emit::{emit, Node};
use super::model::*;
use super::syntax::format_duration;
use super::value::{Map, Value};

/// Every attribute of a service, in the order Compose prints them.
const SERVICE_ORDER: &[&str] = &[
    "profiles",
    "annotations",
    "attach",
    "build",
    "develop",
    "blkio_config",
    "cap_add",
    "cap_drop",
    "cgroup_parent",
    "cgroup",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpus",
    "cpuset",
    "cpu_shares",
    "command",
    "configs",
    "container_name",
    "credential_spec",
    "depends_on",
    "deploy",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "dockerfile",
    "domainname",
    "entrypoint",
    "provider",
    "environment",
    "env_file",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "group_add",
    "gpus",
    "hostname",
    "healthcheck",
    "image",
    "init",
    "ipc",
    "isolation",
    "labels",
    "label_file",
    "links",
    "logging",
    "log_driver",
    "log_opt",
    "mem_limit",
    "mem_reservation",
    "memswap_limit",
    "mem_swappiness",
    "mac_address",
    "net",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "privileged",
    "pull_policy",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "user",
    "userns_mode",
    "uts",
    "volume_driver",
    "volumes",
    "volumes_from",
    "working_dir",
    "post_start",
    "pre_stop",
];

const DEPLOY_ORDER: &[&str] = &[
    "mode",
    "replicas",
    "labels",
    "update_config",
    "rollback_config",
    "resources",
    "restart_policy",
    "placement",
    "endpoint_mode",
];

fn s(text: &str) -> Node {
    Node::Str(text.replace('$', "$$"))
}

fn strs(items: &[String]) -> Node {
    Node::Seq(items.iter().map(|i| s(i)).collect())
}

fn raw(v: &Value) -> Node {
    match v {
        Value::Str(t) => s(t),
        Value::Seq(items) => Node::Seq(items.iter().map(raw).collect()),
        Value::Map(m) => {
            let mut entries: Vec<(String, Node)> = m.iter().map(|(k, v)| (k.clone(), raw(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Node::Map(entries)
        }
        other => Node::from(other),
    }
}

fn string_map<'a>(m: impl IntoIterator<Item = (&'a String, &'a String)>) -> Node {
    Node::Map(m.into_iter().map(|(k, v)| (k.clone(), s(v))).collect())
}

/// Pushes `key: value` when there is a value.
fn opt(entries: &mut Vec<(String, Node)>, key: &str, value: Option<Node>) {
    if let Some(v) = value {
        entries.push((key.to_string(), v));
    }
}

/// The text `docker compose config` prints.
pub fn render(project: &Project) -> String {
    emit(&project_node(project))
}

/// The project as a YAML tree (also what `--format json` would print).
pub fn project_node(project: &Project) -> Node {
    let mut top = vec![("name".to_string(), s(&project.name))];
    let services = project.services.iter().map(|(n, svc)| (n.clone(), service(svc))).collect();
    top.push(("services".into(), Node::Map(services)));
    if !project.networks.is_empty() {
        top.push((
            "networks".into(),
            Node::Map(project.networks.iter().map(|(k, n)| (k.clone(), network(n))).collect()),
        ));
    }
    if !project.volumes.is_empty() {
        top.push(("volumes".into(), Node::Map(project.volumes.iter().map(|(k, v)| (k.clone(), volume(v))).collect())));
    }
    Node::Map(top)
}

fn service(svc: &Service) -> Node {
    let mut typed: Vec<(String, Node)> = Vec::new();
    let e = &mut typed;
    if !svc.profiles.is_empty() {
        opt(e, "profiles", Some(strs(&svc.profiles)));
    }
    opt(e, "build", svc.build.as_ref().map(build));
    opt(e, "command", svc.command.as_deref().map(strs));
    opt(e, "container_name", svc.container_name.as_deref().map(s));
    if !svc.depends_on.is_empty() {
        let deps = svc.depends_on.iter().map(|(n, d)| (n.clone(), dependency(d))).collect();
        opt(e, "depends_on", Some(Node::Map(deps)));
    }
    opt(e, "deploy", svc.deploy.as_ref().map(deploy));
    opt(e, "entrypoint", svc.entrypoint.as_deref().map(strs));
    if !svc.environment.is_empty() {
        let env = svc.environment.iter().map(|(k, v)| (k.clone(), v.as_deref().map(s).unwrap_or(Node::Null))).collect();
        opt(e, "environment", Some(Node::Map(env)));
    }
    if !svc.expose.is_empty() {
        opt(e, "expose", Some(strs(&svc.expose)));
    }
    opt(e, "hostname", svc.hostname.as_deref().map(s));
    opt(e, "healthcheck", svc.healthcheck.as_ref().map(healthcheck));
    opt(e, "image", svc.image.as_deref().map(s));
    if !svc.labels.is_empty() {
        opt(e, "labels", Some(string_map(&svc.labels)));
    }
    if !svc.links.is_empty() {
        opt(e, "links", Some(strs(&svc.links)));
    }
    opt(e, "network_mode", svc.network_mode.as_deref().map(s));
    if !svc.networks.is_empty() {
        let nets = svc.networks.iter().map(|(n, c)| (n.clone(), c.as_ref().map(service_network).unwrap_or(Node::Null)));
        opt(e, "networks", Some(Node::Map(nets.collect())));
    }
    if !svc.ports.is_empty() {
        opt(e, "ports", Some(Node::Seq(svc.ports.iter().map(port).collect())));
    }
    opt(e, "restart", svc.restart.as_deref().map(s));
    opt(e, "stdin_open", svc.stdin_open.then_some(Node::Bool(true)));
    opt(e, "tty", svc.tty.then_some(Node::Bool(true)));
    opt(e, "user", svc.user.as_deref().map(s));
    if !svc.volumes.is_empty() {
        opt(e, "volumes", Some(Node::Seq(svc.volumes.iter().map(mount).collect())));
    }
    opt(e, "working_dir", svc.working_dir.as_deref().map(s));
    ordered(typed, &svc.extras, SERVICE_ORDER)
}

/// Typed attributes and raw extras together, in `order`; extension keys (`x-...`) last.
fn ordered(mut entries: Vec<(String, Node)>, extras: &Map, order: &[&str]) -> Node {
    entries.extend(extras.iter().map(|(k, v)| (k.clone(), raw(v))));
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    entries.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0)));
    Node::Map(entries)
}

fn build(b: &Build) -> Node {
    let mut e = vec![("context".to_string(), s(&b.context)), ("dockerfile".to_string(), s(&b.dockerfile))];
    if !b.args.is_empty() {
        e.push(("args".into(), string_map(&b.args)));
    }
    opt(&mut e, "target", b.target.as_deref().map(s));
    Node::Map(e)
}

fn dependency(d: &Dependency) -> Node {
    let mut e = vec![("condition".to_string(), s(&d.condition))];
    if d.restart {
        e.push(("restart".into(), Node::Bool(true)));
    }
    e.push(("required".into(), Node::Bool(d.required)));
    Node::Map(e)
}

fn deploy(d: &Deploy) -> Node {
    let typed = d.replicas.map(|r| vec![("replicas".to_string(), Node::Int(r))]).unwrap_or_default();
    ordered(typed, &d.extras, DEPLOY_ORDER)
}

fn healthcheck(h: &Healthcheck) -> Node {
    let mut e = Vec::new();
    if !h.test.is_empty() {
        e.push(("test".to_string(), strs(&h.test)));
    }
    let d = |v: Option<i64>| v.map(|ns| Node::Str(format_duration(ns)));
    opt(&mut e, "timeout", d(h.timeout));
    opt(&mut e, "interval", d(h.interval));
    opt(&mut e, "retries", h.retries.map(Node::Int));
    opt(&mut e, "start_period", d(h.start_period));
    opt(&mut e, "start_interval", d(h.start_interval));
    opt(&mut e, "disable", h.disable.then_some(Node::Bool(true)));
    Node::Map(e)
}

fn service_network(n: &ServiceNetwork) -> Node {
    let mut e = Vec::new();
    if !n.aliases.is_empty() {
        e.push(("aliases".to_string(), strs(&n.aliases)));
    }
    opt(&mut e, "ipv4_address", n.ipv4_address.as_deref().map(s));
    opt(&mut e, "ipv6_address", n.ipv6_address.as_deref().map(s));
    Node::Map(e)
}

fn port(p: &Port) -> Node {
    let mut e = Vec::new();
    opt(&mut e, "name", p.name.as_deref().map(s));
    opt(&mut e, "mode", (!p.mode.is_empty()).then(|| s(&p.mode)));
    opt(&mut e, "host_ip", p.host_ip.as_deref().map(s));
    opt(&mut e, "target", (p.target != 0).then_some(Node::Int(i64::from(p.target))));
    opt(&mut e, "published", p.published.as_deref().map(s));
    opt(&mut e, "protocol", (!p.protocol.is_empty()).then(|| s(&p.protocol)));
    opt(&mut e, "app_protocol", p.app_protocol.as_deref().map(s));
    Node::Map(e)
}

fn mount(m: &Mount) -> Node {
    let mut e = vec![("type".to_string(), s(m.kind.as_str()))];
    opt(&mut e, "source", m.source.as_deref().map(s));
    opt(&mut e, "target", (!m.target.is_empty()).then(|| s(&m.target)));
    opt(&mut e, "read_only", m.read_only.then_some(Node::Bool(true)));
    opt(
        &mut e,
        "bind",
        m.bind.as_ref().map(|b| {
            let mut o = Vec::new();
            opt(&mut o, "selinux", b.selinux.as_deref().map(s));
            opt(&mut o, "propagation", b.propagation.as_deref().map(s));
            opt(&mut o, "create_host_path", b.create_host_path.then_some(Node::Bool(true)));
            Node::Map(o)
        }),
    );
    opt(
        &mut e,
        "volume",
        m.volume.as_ref().map(|v| {
            let mut o = Vec::new();
            opt(&mut o, "nocopy", v.nocopy.then_some(Node::Bool(true)));
            opt(&mut o, "subpath", v.subpath.as_deref().map(s));
            Node::Map(o)
        }),
    );
    opt(
        &mut e,
        "tmpfs",
        m.tmpfs.as_ref().map(|t| {
            let mut o = Vec::new();
            opt(&mut o, "size", t.size.map(|n| Node::Str(n.to_string())));
            opt(&mut o, "mode", t.mode.map(|n| Node::Int(i64::from(n))));
            Node::Map(o)
        }),
    );
    Node::Map(e)
}

fn network(n: &Network) -> Node {
    let mut e = vec![("name".to_string(), s(&n.name))];
    opt(&mut e, "driver", n.driver.as_deref().map(s));
    if !n.driver_opts.is_empty() {
        e.push(("driver_opts".into(), string_map(&n.driver_opts)));
    }
    opt(
        &mut e,
        "ipam",
        n.ipam.as_ref().map(|i| {
            let mut o = Vec::new();
            opt(&mut o, "driver", i.driver.as_deref().map(s));
            if !i.config.is_empty() {
                let pools = i.config.iter().map(|p| {
                    let mut q = Vec::new();
                    opt(&mut q, "subnet", p.subnet.as_deref().map(s));
                    opt(&mut q, "gateway", p.gateway.as_deref().map(s));
                    opt(&mut q, "ip_range", p.ip_range.as_deref().map(s));
                    Node::Map(q)
                });
                o.push(("config".to_string(), Node::Seq(pools.collect())));
            }
            Node::Map(o)
        }),
    );
    opt(&mut e, "external", n.external.then_some(Node::Bool(true)));
    opt(&mut e, "internal", n.internal.then_some(Node::Bool(true)));
    opt(&mut e, "attachable", n.attachable.then_some(Node::Bool(true)));
    if !n.labels.is_empty() {
        e.push(("labels".into(), string_map(&n.labels)));
    }
    opt(&mut e, "enable_ipv6", n.enable_ipv6.map(Node::Bool));
    Node::Map(e)
}

fn volume(v: &Volume) -> Node {
    let mut e = vec![("name".to_string(), s(&v.name))];
    opt(&mut e, "driver", v.driver.as_deref().map(s));
    if !v.driver_opts.is_empty() {
        e.push(("driver_opts".into(), string_map(&v.driver_opts)));
    }
    opt(&mut e, "external", v.external.then_some(Node::Bool(true)));
    if !v.labels.is_empty() {
        e.push(("labels".into(), string_map(&v.labels)));
    }
    Node::Map(e)
}
