//! `docker inspect`: the daemon's full record of containers, images and volumes as JSON, with Docker's
//! field names and layout (a JSON array, four-space indentation), or one Go template per object
//! with `--format` (`{{.State.Status}}`, `{{json .Config.Env}}`).

use super::format::render_one;
use super::network_inspect;
use super::volume_json::{mount_point_json, mount_spec_json, volume_json};
use super::{parse_or_task, Arity, Finished, Flag, Io, Spec, Step, Task};
use crate::container::{Container, State};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::image::Image;
use crate::units::rfc3339_nanos;
use serde_json::{json, Value};

const FLAGS: &[Flag] =
    &[super::format::INSPECT_FORMAT, Flag::value("type", None, "string", "Only inspect objects of the given type")];

const SPEC: Spec = Spec {
    name: "docker inspect",
    usage: "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
    description: "Return low-level information on Docker objects",
    aliases: "",
    flags: FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: true,
};

const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// A container as `docker inspect` shows it.
pub fn container_json(c: &Container, daemon: &Daemon) -> Value {
    let (status, running, exit_code, started, finished) = match c.state {
        State::Created => ("created", false, 0, ZERO_TIME.to_string(), ZERO_TIME.to_string()),
        State::Running { started_ms, .. } => {
            (c.state.name(), true, 0, rfc3339_nanos(started_ms), ZERO_TIME.to_string())
        }
        State::Exited { code, started_ms, finished_ms, .. } => {
            (c.state.name(), false, code, rfc3339_nanos(started_ms), rfc3339_nanos(finished_ms))
        }
    };
    let argv = c.config.argv();
    let health = c.health.as_ref().map(|h| {
        let log: Vec<Value> = h
            .log
            .iter()
            .map(|r| {
                json!({
                    "Start": rfc3339_nanos(r.start_ms),
                    "End": rfc3339_nanos(r.end_ms),
                    "ExitCode": r.exit_code,
                    "Output": r.output,
                })
            })
            .collect();
        json!({ "Status": h.status.as_str(), "FailingStreak": h.failing_streak, "Log": log })
    });
    let labels: serde_json::Map<String, Value> = c.config.labels.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let net = network_inspect::host_config_fields(c, daemon);
    let or_null = |list: &[String]| if list.is_empty() { Value::Null } else { json!(list) };
    let volumes: serde_json::Map<String, Value> = c.config.volumes.iter().map(|v| (v.clone(), json!({}))).collect();
    let mut out = json!({
        "Id": c.id.as_str(),
        "Created": rfc3339_nanos(c.created_ms),
        "Path": argv.first().cloned().unwrap_or_default(),
        "Args": argv.get(1..).unwrap_or_default(),
        "State": {
            "Status": status,
            "Running": running,
            "Paused": c.state.is_paused(),
            "Restarting": matches!(c.state, State::Exited { restarting: true, .. }),
            "OOMKilled": false,
            "Dead": false,
            "Pid": c.process.as_ref().map(|p| p.pid.0).unwrap_or(0),
            "ExitCode": exit_code,
            "Error": "",
            "StartedAt": started,
            "FinishedAt": finished,
        },
        "Image": c.image_id.as_str(),
        "ResolvConfPath": format!("/var/lib/docker/containers/{}/resolv.conf", c.id),
        "HostnamePath": format!("/var/lib/docker/containers/{}/hostname", c.id),
        "HostsPath": format!("/var/lib/docker/containers/{}/hosts", c.id),
        "LogPath": format!("/var/lib/docker/containers/{0}/{0}-json.log", c.id),
        "Name": format!("/{}", c.name),
        "RestartCount": c.restart_count,
        "Driver": "overlay2",
        "Platform": "wasip1",
        "HostConfig": {
            "Binds": or_null(&c.host.binds),
            "LogConfig": { "Type": c.host.log_driver, "Config": c.host.log_opts.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<String, Value>>() },
            "NetworkMode": net["NetworkMode"],
            "PortBindings": net["PortBindings"],
            "RestartPolicy": { "Name": c.host.restart.name(), "MaximumRetryCount": c.host.restart.max_retries() },
            "AutoRemove": c.auto_remove,
            "VolumeDriver": "",
            "VolumesFrom": or_null(&c.host.volumes_from),
            "Dns": net["Dns"],
            "DnsOptions": net["DnsOptions"],
            "DnsSearch": net["DnsSearch"],
            "ExtraHosts": net["ExtraHosts"],
            "Links": net["Links"],
            "PublishAllPorts": net["PublishAllPorts"],
            "Memory": c.host.memory.unwrap_or(0),
            "PidsLimit": c.host.pids_limit,
        },
        "Mounts": c.mounts.iter().map(mount_point_json).collect::<Vec<_>>(),
        "Config": {
            "Hostname": c.config.hostname,
            "Domainname": "",
            "User": c.host.user,
            "AttachStdin": false,
            "AttachStdout": true,
            "AttachStderr": true,
            "Tty": c.config.tty,
            "OpenStdin": c.config.open_stdin,
            "StdinOnce": false,
            "Env": c.config.env,
            "Cmd": c.config.cmd,
            "Image": c.config.image,
            "Volumes": if volumes.is_empty() { Value::Null } else { Value::Object(volumes) },
            "WorkingDir": c.config.working_dir,
            "Entrypoint": if c.config.entrypoint.is_empty() { Value::Null } else { json!(c.config.entrypoint) },
            "OnBuild": null,
            "Labels": labels,
        },
        "NetworkSettings": network_inspect::network_settings_json(c, daemon),
    });
    // `ExposedPorts` sits after `AttachStderr`, and only when there are some.
    if !c.net.exposed.is_empty() {
        if let Some(Value::Object(config)) = out.get_mut("Config") {
            let fields = std::mem::take(config);
            for (k, v) in fields {
                let after_stderr = k == "AttachStderr";
                config.insert(k, v);
                if after_stderr {
                    config.insert("ExposedPorts".into(), network_inspect::exposed_ports_json(&c.net.exposed));
                }
            }
        }
    }
    // Only set when asked for, as the API leaves them out otherwise.
    if let Some(host) = out.get_mut("HostConfig").and_then(Value::as_object_mut) {
        if !c.host.mounts.is_empty() {
            host.insert("Mounts".into(), c.host.mounts.iter().map(mount_spec_json).collect());
        }
        if !c.host.tmpfs.is_empty() {
            host.insert("Tmpfs".into(), c.host.tmpfs.iter().map(|(k, v)| (k.clone(), json!(v))).collect());
        }
    }
    if let (Some(state), Some(health)) = (out["State"].as_object_mut(), health) {
        state.insert("Health".into(), health);
    }
    insert_healthcheck(&mut out["Config"], c.config.healthcheck.as_ref());
    if let Some(config) = out.get_mut("Config").and_then(Value::as_object_mut) {
        // Left out when not set, as the API's `omitempty` does.
        if let Some(s) = &c.host.stop_signal {
            config.insert("StopSignal".into(), json!(s));
        }
        if let Some(t) = c.host.stop_timeout {
            config.insert("StopTimeout".into(), json!(t));
        }
    }
    out
}

/// Adds `Config.Healthcheck` (after `Cmd`, where Docker puts it) when there is one.
fn insert_healthcheck(config: &mut Value, health: Option<&crate::image::HealthConfig>) {
    let (Some(map), Some(h)) = (config.as_object_mut(), health) else { return };
    let at = map.keys().position(|k| k == "Cmd").map_or(map.len(), |i| i + 1);
    map.shift_insert(at, "Healthcheck".into(), json!(h));
}

/// An image as `docker image inspect` shows it.
pub fn image_json(i: &Image) -> Value {
    let cfg = &i.config.config;
    let mut v = json!({
        "Id": i.id.as_str(),
        "RepoTags": i.repo_tags,
        "RepoDigests": i.repo_digests,
        "Parent": "",
        "Comment": "",
        "Created": i.config.created,
        "DockerVersion": "",
        "Author": i.config.author.clone().unwrap_or_default(),
        "Config": {
            "Hostname": "",
            "Domainname": "",
            "User": cfg.user,
            "AttachStdin": false,
            "AttachStdout": false,
            "AttachStderr": false,
            "ExposedPorts": cfg.exposed_ports,
            "Tty": false,
            "OpenStdin": false,
            "StdinOnce": false,
            "Env": cfg.env,
            "Cmd": cfg.cmd,
            "Image": "",
            "Volumes": cfg.volumes,
            "WorkingDir": cfg.working_dir,
            "Entrypoint": cfg.entrypoint,
            "OnBuild": null,
            "Labels": cfg.labels,
        },
        "Architecture": i.config.architecture,
        "Os": i.config.os,
        "Size": i.size,
        "GraphDriver": { "Data": null, "Name": "overlay2" },
        "RootFS": { "Type": "layers", "Layers": i.config.rootfs.diff_ids },
        "Metadata": { "LastTagTime": ZERO_TIME },
    });
    insert_healthcheck(&mut v["Config"], cfg.healthcheck.as_ref());
    if let (Some(config), Some(s)) = (v["Config"].as_object_mut(), &cfg.stop_signal) {
        config.insert("StopSignal".into(), json!(s));
    }
    v
}

/// JSON the way Docker prints it: four-space indentation.
pub fn to_docker_json(v: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return "[]".into();
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let kind = m.value("type");
    if let Some(k) = kind {
        if !matches!(k, "container" | "image" | "network" | "volume") {
            return Finished::fail(format!("\"{k}\" is not a valid value for --type\n"), 1);
        }
    }
    let mut objects = Vec::new();
    let mut errors = String::new();
    for name in &m.args {
        let wants = |k: &str| kind.is_none_or(|t| t == k);
        let container = wants("container").then(|| daemon.containers.find(name)).flatten();
        let image = || wants("image").then(|| daemon.images.resolve(name).map(image_json));
        let volume = || wants("volume").then(|| daemon.volumes.get(name).map(volume_json));
        let found = match container {
            Some(c) => Some(container_json(c, daemon)),
            None => image().flatten().or_else(|| volume().flatten()),
        };
        let found = found.or_else(|| {
            wants("network").then(|| daemon.networks.find(name).ok().map(network_inspect::network_json)).flatten()
        });
        match found {
            Some(v) => objects.push(v),
            None => errors.push_str(&format!("Error: No such object: {name}\n")),
        }
    }
    inspect_output(m.value("format"), objects, errors)
}

/// The objects found, as JSON (Docker's four-space indentation) or through `--format`, then the
/// errors for the names not found; exit status 1 if any. A template that does not parse is a
/// usage error (64), as in Docker.
pub(super) fn inspect_output(format: Option<&str>, objects: Vec<Value>, errors: String) -> Box<dyn Task> {
    let status = if errors.is_empty() { 0 } else { 1 };
    let out = match format {
        Some(f) if f != "json" => {
            let mut out = String::new();
            for o in &objects {
                match render_one(&super::format::unescape(f), o) {
                    Ok(s) => out.push_str(&format!("{s}\n")),
                    Err(e) => {
                        let status = if e.starts_with("template parsing error") { 64 } else { 1 };
                        return Finished::fail(format!("{e}\n"), status);
                    }
                }
            }
            out
        }
        _ => format!("{}\n", to_docker_json(&Value::Array(objects))),
    };
    Box::new(InspectOutput { out: Some(out), errors, status })
}

/// What an inspect prints: the objects found, then (as the client does once it has printed
/// them) the errors for the names it did not find.
pub(super) struct InspectOutput {
    pub out: Option<String>,
    pub errors: String,
    pub status: i32,
}

impl Task for InspectOutput {
    fn poll(&mut self, _daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        if let Some(out) = self.out.take() {
            io.out(out);
            if !self.errors.is_empty() {
                // Errors written in the same turn would reach the terminal first.
                return Step::Pending(Activity::Busy);
            }
        }
        io.err(std::mem::take(&mut self.errors));
        Step::Done(self.status)
    }
}
