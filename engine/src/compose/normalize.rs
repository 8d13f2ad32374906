//! Stage 4, normalise: the validated raw tree becomes the typed [`Project`]. Each attribute's
//! short and long syntaxes meet in one form (ports and volumes in their long syntax, lists of
//! `KEY=VALUE` as maps, commands split like a shell splits them), relative paths are made
//! absolute against the project's folder, variables listed without a value take theirs from the
//! environment, `env_file`s are read into `environment`, and the default network is added.

use super::dotenv;
use super::error::ComposeError;
use super::interpolate::Env;
use super::model::*;
use super::syntax::{parse_bytes, parse_duration, parse_port, parse_volume};
use super::value::{Map, Value};
use std::collections::BTreeMap;

/// What normalisation needs besides the tree.
pub struct Context<'a> {
    pub project: &'a str,
    pub working_dir: &'a str,
    pub home: &'a str,
    pub env: &'a Env,
    pub read_file: &'a dyn Fn(&str) -> Option<Vec<u8>>,
}

/// The attributes this model types; any other goes to [`Service::extras`].
const TYPED: &[&str] = &[
    "profiles",
    "build",
    "command",
    "container_name",
    "depends_on",
    "deploy",
    "entrypoint",
    "environment",
    "env_file",
    "expose",
    "hostname",
    "healthcheck",
    "image",
    "labels",
    "links",
    "network_mode",
    "networks",
    "ports",
    "restart",
    "stdin_open",
    "tty",
    "user",
    "volumes",
    "working_dir",
];

/// Go's `filepath.Clean` of an absolute path.
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// A path of the file made absolute: `~` is the home folder, others are relative to `dir`.
pub fn absolute(dir: &str, home: &str, path: &str) -> String {
    if let Some(rest) = path.strip_prefix('~') {
        if rest.is_empty() || rest.starts_with('/') {
            return clean(&format!("{home}{rest}"));
        }
    }
    if path.starts_with('/') {
        clean(path)
    } else {
        clean(&format!("{dir}/{path}"))
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
        other => other.scalar_text(),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Seq(items)) => items.iter().filter_map(text).collect(),
        Some(v) => text(v).into_iter().collect(),
        None => Vec::new(),
    }
}

fn flag(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

/// `KEY=VALUE` lists and `KEY: value` maps; `None` for a key without a value.
fn key_values(v: Option<&Value>) -> Vec<(String, Option<String>)> {
    match v {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(text)
            .map(|s| match s.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (s, None),
            })
            .collect(),
        Some(Value::Map(m)) => m.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
        _ => Vec::new(),
    }
}

fn labels(v: Option<&Value>) -> BTreeMap<String, String> {
    key_values(v).into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect()
}

/// Decoding errors, collected over the whole project as Compose reports them together.
type Errors = Vec<(String, String)>;

fn command(v: Option<&Value>, path: &str, errors: &mut Errors) -> Option<Vec<String>> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::Str(s)) => match shell_words::split(s) {
            Ok(words) => Some(words),
            Err(_) => {
                errors.push((path.into(), "invalid command line string".into()));
                None
            }
        },
        Some(other) => Some(strings(Some(other))),
    }
}

fn duration(v: Option<&Value>, path: &str, errors: &mut Errors) -> Option<i64> {
    let s = v.and_then(text)?;
    match parse_duration(&s) {
        Ok(ns) => Some(ns),
        Err(message) => {
            errors.push((path.into(), message));
            None
        }
    }
}

/// Normalises the merged, validated document into a project (before profiles and checks).
pub fn normalize(doc: &Map, ctx: &Context) -> Result<Project, ComposeError> {
    let mut project = Project {
        name: ctx.project.to_string(),
        working_dir: ctx.working_dir.to_string(),
        environment: ctx.env.clone(),
        ..Project::default()
    };
    let services: Vec<(String, Map)> = match doc.get("services") {
        Some(Value::Map(services)) => {
            services.iter().map(|(n, raw)| (n.clone(), raw.as_map().cloned().unwrap_or_default())).collect()
        }
        _ => Vec::new(),
    };
    // Compose turns every service's ports and volumes into their long syntax before it decodes
    // the rest: their errors come first.
    let mut long = Vec::new();
    for (_, raw) in &services {
        long.push((ports(raw.get("ports"))?, mounts(raw.get("volumes"), ctx)?));
    }
    let mut errors = Errors::new();
    for ((name, raw), (ports, volumes)) in services.iter().zip(long) {
        let mut s = service(name, raw, ctx, &mut errors);
        s.ports = ports;
        s.volumes = volumes;
        project.services.insert(name.clone(), s);
    }
    if !errors.is_empty() {
        return Err(ComposeError::Decode(errors));
    }
    if let Some(Value::Map(networks)) = doc.get("networks") {
        for (key, raw) in networks.iter() {
            project.networks.insert(key.clone(), network(key, raw, ctx.project));
        }
    }
    if let Some(Value::Map(volumes)) = doc.get("volumes") {
        for (key, raw) in volumes.iter() {
            project.volumes.insert(key.clone(), volume(key, raw, ctx.project));
        }
    }
    let uses_default = project.services.values().any(|s| s.networks.contains_key("default"));
    if uses_default && !project.networks.contains_key("default") {
        project.networks.insert("default".into(), network("default", &Value::Null, ctx.project));
    }
    Ok(project)
}

fn service(name: &str, raw: &Map, ctx: &Context, errors: &mut Errors) -> Service {
    let at = |attr: &str| format!("services[{name}].{attr}");
    let mut s = Service {
        name: name.to_string(),
        profiles: strings(raw.get("profiles")),
        command: command(raw.get("command"), &at("command"), errors),
        entrypoint: command(raw.get("entrypoint"), &at("entrypoint"), errors),
        container_name: raw.get("container_name").and_then(text),
        hostname: raw.get("hostname").and_then(text),
        image: raw.get("image").and_then(text),
        labels: labels(raw.get("labels")),
        links: strings(raw.get("links")),
        network_mode: raw.get("network_mode").and_then(text),
        restart: raw.get("restart").and_then(text),
        stdin_open: flag(raw.get("stdin_open")),
        tty: flag(raw.get("tty")),
        user: raw.get("user").and_then(text),
        working_dir: raw.get("working_dir").and_then(text),
        expose: strings(raw.get("expose")),
        ..Service::default()
    };
    s.build = build(raw.get("build"), ctx);
    s.depends_on = depends_on(raw.get("depends_on"));
    s.deploy = raw.get("deploy").and_then(Value::as_map).map(|d| Deploy {
        replicas: match d.get("replicas") {
            Some(Value::Int(n)) => Some(*n),
            _ => None,
        },
        extras: d.iter().filter(|(k, _)| *k != "replicas").map(|(k, v)| (k.clone(), v.clone())).collect(),
    });
    s.environment = key_values(raw.get("environment"))
        .into_iter()
        .map(|(k, v)| {
            let v = v.or_else(|| ctx.env.get(&k).cloned());
            (k, v)
        })
        .collect();
    s.env_files = env_files(raw.get("env_file"), ctx);
    // A link, like `network_mode: service:x`, makes the service depend on the linked one.
    let linked = s.links.iter().map(|l| l.split(':').next().unwrap_or(l).to_string());
    let shared = s.network_mode.as_deref().and_then(|m| m.strip_prefix("service:")).map(String::from);
    for dep in linked.chain(shared) {
        s.depends_on.entry(dep).or_insert(Dependency {
            condition: "service_started".into(),
            restart: true,
            required: true,
        });
    }
    s.healthcheck = healthcheck(raw.get("healthcheck"), &at("healthcheck"), errors);
    s.networks = networks(raw.get("networks"));
    if s.networks.is_empty() && s.network_mode.is_none() {
        s.networks.insert("default".into(), None);
    }
    s.extras = raw.iter().filter(|(k, _)| !TYPED.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(hosts) = s.extras.get_mut("extra_hosts") {
        *hosts = extra_hosts(hosts);
    }
    s
}

/// `extra_hosts` as Compose writes them back: `name=address` (`name:address` and maps too).
fn extra_hosts(v: &Value) -> Value {
    let entries: Vec<String> = match v {
        Value::Seq(items) => {
            items.iter().filter_map(text).map(|h| if h.contains('=') { h } else { h.replacen(':', "=", 1) }).collect()
        }
        Value::Map(m) => m.iter().map(|(k, v)| format!("{k}={}", text(v).unwrap_or_default())).collect(),
        other => return other.clone(),
    };
    Value::Seq(entries.into_iter().map(Value::Str).collect())
}

fn build(v: Option<&Value>, ctx: &Context) -> Option<Build> {
    let resolve_context = |c: &str| {
        if c.contains("://") || c.starts_with("git@") {
            c.to_string()
        } else {
            absolute(ctx.working_dir, ctx.home, c)
        }
    };
    match v? {
        Value::Str(c) => {
            Some(Build { context: resolve_context(c), dockerfile: "Dockerfile".into(), ..Build::default() })
        }
        Value::Map(m) => {
            let args = key_values(m.get("args"))
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Some(v) => Some((k, v)),
                    None => ctx.env.get(&k).map(|v| (k, v.clone())),
                })
                .collect();
            Some(Build {
                context: resolve_context(&m.get("context").and_then(text).unwrap_or_else(|| ".".into())),
                dockerfile: m.get("dockerfile").and_then(text).unwrap_or_else(|| "Dockerfile".into()),
                args,
                target: m.get("target").and_then(text),
            })
        }
        _ => None,
    }
}

fn depends_on(v: Option<&Value>) -> BTreeMap<String, Dependency> {
    let started = || Dependency { condition: "service_started".into(), restart: false, required: true };
    match v {
        Some(Value::Seq(items)) => items.iter().filter_map(text).map(|n| (n, started())).collect(),
        Some(Value::Map(m)) => m
            .iter()
            .map(|(n, d)| {
                let mut dep = started();
                if let Some(c) = d.get("condition").and_then(text) {
                    dep.condition = c;
                }
                dep.restart = flag(d.get("restart"));
                if let Some(Value::Bool(r)) = d.get("required") {
                    dep.required = *r;
                }
                (n.clone(), dep)
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// The `env_file:` entries: a path, a list of paths, or `{path, required}` items.
fn env_files(v: Option<&Value>, ctx: &Context) -> Vec<(String, bool)> {
    let files: Vec<(String, bool)> = match v {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::Map(m) => {
                    m.get("path").and_then(text).map(|p| (p, m.get("required") != Some(&Value::Bool(false))))
                }
                other => text(other).map(|p| (p, true)),
            })
            .collect(),
        Some(v) => text(v).map(|p| vec![(p, true)]).unwrap_or_default(),
        None => Vec::new(),
    };
    files.into_iter().map(|(p, required)| (absolute(ctx.working_dir, ctx.home, &p), required)).collect()
}

/// Reads the services' `env_file`s into their environment: the files' variables, in order,
/// under what `environment` sets (a variable listed without a value there stays unset). A
/// file's `${VAR}` sees the service's environment, the files above, then the project's.
pub fn resolve_env_files(
    project: &mut Project,
    read_file: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<(), ComposeError> {
    for service in project.services.values_mut() {
        let files = std::mem::take(&mut service.env_files);
        if files.is_empty() {
            continue;
        }
        let mut from_files: Vec<(String, String)> = Vec::new();
        for (path, required) in files {
            let Some(bytes) = read_file(&path) else {
                if required {
                    return Err(ComposeError::EnvFileNotFound(path));
                }
                continue;
            };
            let mut lookup = project.environment.clone();
            lookup.extend(from_files.iter().cloned());
            lookup.extend(service.environment.iter().filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v))));
            let vars = dotenv::parse(&String::from_utf8_lossy(&bytes), &lookup, &mut Vec::new())
                .map_err(|error| ComposeError::Dotenv { path: path.clone(), error })?;
            for (k, v) in vars {
                from_files.retain(|(n, _)| *n != k);
                from_files.push((k, v));
            }
        }
        for (k, v) in from_files {
            service.environment.entry(k).or_insert(Some(v));
        }
    }
    Ok(())
}

fn healthcheck(v: Option<&Value>, path: &str, errors: &mut Errors) -> Option<Healthcheck> {
    let Some(Value::Map(m)) = v else { return None };
    let test = match m.get("test") {
        Some(Value::Str(s)) => vec!["CMD-SHELL".to_string(), s.clone()],
        other => strings(other),
    };
    Some(Healthcheck {
        test,
        timeout: duration(m.get("timeout"), &format!("{path}.timeout"), errors),
        interval: duration(m.get("interval"), &format!("{path}.interval"), errors),
        retries: match m.get("retries") {
            Some(Value::Int(n)) => Some(*n),
            Some(Value::Float(f)) => Some(*f as i64),
            _ => None,
        },
        start_period: duration(m.get("start_period"), &format!("{path}.start_period"), errors),
        start_interval: duration(m.get("start_interval"), &format!("{path}.start_interval"), errors),
        disable: flag(m.get("disable")),
    })
}

fn networks(v: Option<&Value>) -> BTreeMap<String, Option<ServiceNetwork>> {
    match v {
        Some(Value::Seq(items)) => items.iter().filter_map(text).map(|n| (n, None)).collect(),
        Some(Value::Map(m)) => m
            .iter()
            .map(|(n, cfg)| {
                let cfg = cfg.as_map().map(|c| ServiceNetwork {
                    aliases: strings(c.get("aliases")),
                    ipv4_address: c.get("ipv4_address").and_then(text),
                    ipv6_address: c.get("ipv6_address").and_then(text),
                });
                (n.clone(), cfg)
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn ports(v: Option<&Value>) -> Result<Vec<Port>, ComposeError> {
    // Each port with the key Compose tells entries apart by once they are in long syntax:
    // `host_ip:published:target/protocol`, where a published port written as a number in the
    // long syntax never equals one written as text (Go formats it as `%!s(int=8080)`).
    let mut out: Vec<(String, Port)> = Vec::new();
    let key = |p: &Port, published: String| {
        format!("{}:{published}:{}/{}", p.host_ip.as_deref().unwrap_or("0.0.0.0"), p.target, p.protocol)
    };
    for item in v.and_then(Value::as_seq).unwrap_or(&[]) {
        match item {
            Value::Int(n) => {
                let p = Port {
                    mode: "ingress".into(),
                    target: u32::try_from(*n).unwrap_or(0),
                    protocol: "tcp".into(),
                    ..Port::default()
                };
                out.push((key(&p, "%!s(<nil>)".into()), p));
            }
            Value::Map(m) => {
                let p = Port {
                    name: m.get("name").and_then(text),
                    mode: m.get("mode").and_then(text).unwrap_or_else(|| "ingress".into()),
                    host_ip: m.get("host_ip").and_then(text),
                    target: m.get("target").and_then(text).and_then(|t| t.parse().ok()).unwrap_or(0),
                    published: m.get("published").and_then(text),
                    protocol: m.get("protocol").and_then(text).unwrap_or_else(|| "tcp".into()),
                    app_protocol: m.get("app_protocol").and_then(text),
                };
                let published = match m.get("published") {
                    Some(Value::Int(n)) => format!("%!s(int={n})"),
                    Some(Value::Str(s)) => s.clone(),
                    _ => "%!s(<nil>)".into(),
                };
                out.push((key(&p, published), p));
            }
            other => {
                for p in parse_port(&text(other).unwrap_or_default())? {
                    let published = p.published.clone().unwrap_or_else(|| "%!s(<nil>)".into());
                    out.push((key(&p, published), p));
                }
            }
        }
    }
    // The later of two entries with the same key takes the earlier's place.
    let mut unique: Vec<(String, Port)> = Vec::new();
    for (k, p) in out {
        match unique.iter().position(|(u, _)| *u == k) {
            Some(i) => unique[i] = (k, p),
            None => unique.push((k, p)),
        }
    }
    Ok(unique.into_iter().map(|(_, p)| p).collect())
}

fn mounts(v: Option<&Value>, ctx: &Context) -> Result<Vec<Mount>, ComposeError> {
    let mut out = Vec::new();
    for item in v.and_then(Value::as_seq).unwrap_or(&[]) {
        let mut m = match item {
            Value::Map(raw) => long_mount(raw),
            other => parse_volume(&text(other).unwrap_or_default())?,
        };
        if m.kind == MountType::Bind {
            m.source = m.source.map(|s| absolute(ctx.working_dir, ctx.home, &s));
        }
        out.push(m);
    }
    Ok(out)
}

fn long_mount(raw: &Map) -> Mount {
    let kind = match raw.get("type").and_then(text).as_deref() {
        Some("bind") => MountType::Bind,
        Some("tmpfs") => MountType::Tmpfs,
        _ => MountType::Volume,
    };
    let sub = |k: &str| raw.get(k).and_then(Value::as_map);
    Mount {
        kind,
        source: raw.get("source").and_then(text),
        target: raw.get("target").and_then(text).unwrap_or_default(),
        read_only: flag(raw.get("read_only")),
        bind: sub("bind").map(|b| BindOptions {
            selinux: b.get("selinux").and_then(text),
            propagation: b.get("propagation").and_then(text),
            create_host_path: flag(b.get("create_host_path")),
        }),
        volume: sub("volume")
            .map(|v| VolumeOptions { nocopy: flag(v.get("nocopy")), subpath: v.get("subpath").and_then(text) }),
        tmpfs: sub("tmpfs").map(|t| TmpfsOptions {
            size: match t.get("size") {
                Some(Value::Int(n)) => Some(*n),
                Some(Value::Str(s)) => parse_bytes(s).ok(),
                _ => None,
            },
            mode: match t.get("mode") {
                Some(Value::Int(n)) => u32::try_from(*n).ok(),
                _ => None,
            },
        }),
    }
}

/// A top-level network's or volume's name: its `name:`, else the key itself when `external`,
/// else `<project>_<key>`; and whether it is external.
fn resource_name(m: &Map, key: &str, project: &str) -> (String, bool) {
    let external = flag(m.get("external"));
    let name = m.get("name").and_then(text).unwrap_or_else(|| {
        if external {
            key.to_string()
        } else {
            format!("{project}_{key}")
        }
    });
    (name, external)
}

fn network(key: &str, raw: &Value, project: &str) -> Network {
    let m = raw.as_map().cloned().unwrap_or_default();
    let (name, external) = resource_name(&m, key, project);
    Network {
        name,
        driver: m.get("driver").and_then(text),
        driver_opts: labels(m.get("driver_opts")),
        ipam: m.get("ipam").and_then(Value::as_map).map(|i| Ipam {
            driver: i.get("driver").and_then(text),
            config: i
                .get("config")
                .and_then(Value::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(Value::as_map)
                .map(|p| IpamPool {
                    subnet: p.get("subnet").and_then(text),
                    gateway: p.get("gateway").and_then(text),
                    ip_range: p.get("ip_range").and_then(text),
                })
                .collect(),
        }),
        external,
        internal: flag(m.get("internal")),
        attachable: flag(m.get("attachable")),
        labels: labels(m.get("labels")),
        enable_ipv6: match m.get("enable_ipv6") {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        },
    }
}

fn volume(key: &str, raw: &Value, project: &str) -> Volume {
    let m = raw.as_map().cloned().unwrap_or_default();
    let (name, external) = resource_name(&m, key, project);
    Volume {
        name,
        driver: m.get("driver").and_then(text),
        driver_opts: labels(m.get("driver_opts")),
        external,
        labels: labels(m.get("labels")),
    }
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
