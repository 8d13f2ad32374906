//! `docker volume create`, `inspect` and `rm`: the volume store as the client shows it (`ls` is
//! in [`super::volume_ls`], `prune` with the other prunes in [`super::prune`]). Errors come back
//! as Docker's daemon words them (`get data: no such volume`, `volume is in use - [...]`).

use super::format::INSPECT_FORMAT;
use super::volume_json::volume_json;
use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use crate::volume::{VolumeCreate, VolumeError};
use std::collections::BTreeMap;

const CREATE_FLAGS: &[Flag] = &[
    Flag::value("availability", None, "string", "Cluster Volume availability (\"active\", \"pause\", \"drain\")")
        .with_default("\"active\""),
    Flag::value("driver", Some('d'), "string", "Specify volume driver name").with_default("\"local\""),
    Flag::value("group", None, "string", "Cluster Volume group (cluster volumes)"),
    Flag::list("label", None, "list", "Set metadata for a volume"),
    Flag::value("limit-bytes", None, "bytes", "Minimum size of the Cluster Volume in bytes"),
    Flag::list("opt", Some('o'), "map", "Set driver specific options").with_default("map[]"),
    Flag::value("required-bytes", None, "bytes", "Maximum size of the Cluster Volume in bytes"),
    Flag::value("scope", None, "string", "Cluster Volume access scope (\"single\", \"multi\")")
        .with_default("\"single\""),
    Flag::list("secret", None, "map", "Cluster Volume secrets").with_default("map[]"),
    Flag::value(
        "sharing",
        None,
        "string",
        "Cluster Volume access sharing (\"none\", \"readonly\", \"onewriter\", \"all\")",
    )
    .with_default("\"none\""),
    Flag::list("topology-preferred", None, "list", "A topology that the Cluster Volume would be preferred in"),
    Flag::list("topology-required", None, "list", "A topology that the Cluster Volume must be accessible from"),
    Flag::value("type", None, "string", "Cluster Volume access type (\"mount\", \"block\")").with_default("\"block\""),
];

/// Flags that only mean something for a swarm's cluster volumes.
const CLUSTER_FLAGS: &[&str] =
    &["availability", "group", "limit-bytes", "required-bytes", "scope", "secret", "sharing", "type"];

const CREATE: Spec = Spec {
    name: "docker volume create",
    usage: "docker volume create [OPTIONS] [VOLUME]",
    description: "Create a volume",
    aliases: "",
    flags: CREATE_FLAGS,
    arity: Arity::AtMost(1),
    interspersed: true,
};

const INSPECT: Spec = Spec {
    name: "docker volume inspect",
    usage: "docker volume inspect [OPTIONS] VOLUME [VOLUME...]",
    description: "Display detailed information on one or more volumes",
    aliases: "",
    flags: &[INSPECT_FORMAT],
    arity: Arity::AtLeast(1),
    interspersed: true,
};

const RM: Spec = Spec {
    name: "docker volume rm",
    usage: "docker volume rm [OPTIONS] VOLUME [VOLUME...]",
    description: "Remove one or more volumes. You cannot remove a volume that is in use by a container.",
    aliases: "docker volume rm, docker volume remove",
    flags: &[Flag::bool("force", Some('f'), "Force the removal of one or more volumes")],
    arity: Arity::AtLeast(1),
    interspersed: true,
};

/// The swarm's answer to cluster-only requests on a machine that is not a manager.
const NOT_A_MANAGER: &str = "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.\n";

/// `KEY=VALUE` strings as a map (a bare `KEY` maps to "").
fn key_values(list: &[String]) -> BTreeMap<String, String> {
    list.iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.clone(), String::new()),
        })
        .collect()
}

/// The client's check of a `--label` (`invalid label '=x': empty name`).
fn check_labels(spec: &Spec, labels: &[String]) -> Result<(), Box<dyn Task>> {
    for l in labels {
        let key = l.split('=').next().unwrap_or_default().trim_start();
        let why = if key.is_empty() {
            format!("invalid label '{l}': empty name")
        } else if key.contains(char::is_whitespace) {
            format!("label '{key}' contains whitespaces")
        } else {
            continue;
        };
        return Err(Finished::fail(
            format!(
                "invalid argument \"{l}\" for \"--label\" flag: {why}\n\nUsage:  {}\n\nRun '{} --help' for more information\n",
                spec.usage, spec.name
            ),
            125,
        ));
    }
    Ok(())
}

pub fn create(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&CREATE, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    if let Err(task) = check_labels(&CREATE, m.list("label")) {
        return task;
    }
    if CLUSTER_FLAGS.iter().any(|f| m.value(f).is_some() || !m.list(f).is_empty()) {
        return Finished::fail(NOT_A_MANAGER, 1);
    }
    let req = VolumeCreate {
        name: m.args.first().cloned(),
        driver: m.value("driver").map(String::from),
        labels: Some(key_values(m.list("label"))),
        options: Some(key_values(m.list("opt"))),
    };
    match daemon.create_volume(req) {
        Ok(name) => Finished::out(format!("{name}\n")),
        Err(e) => Finished::fail(daemon_error(&e), 1),
    }
}

pub fn inspect(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&INSPECT, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let (mut found, mut errors) = (Vec::new(), String::new());
    for name in &m.args {
        match daemon.volumes.get(name) {
            Some(v) => found.push(volume_json(v)),
            None => errors.push_str(&daemon_error(&VolumeError::NoSuchVolume(name.clone()).into())),
        }
    }
    super::inspect::inspect_output(m.value("format"), found, errors)
}

pub fn rm(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&RM, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let (mut out, mut err) = (String::new(), String::new());
    for name in &m.args {
        match daemon.remove_volume(name, m.flag("force")) {
            Ok(()) => out.push_str(&format!("{name}\n")),
            Err(e) => err.push_str(&daemon_error(&e)),
        }
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Box::new(Finished::both(out, err, status))
}
