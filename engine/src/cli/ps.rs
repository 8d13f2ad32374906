//! `docker ps`: the container table. Running containers only unless `-a`; newest first; IDs and
//! commands shortened unless `--no-trunc`; `--format` for Go templates over the same fields.

use super::filter::{label_matches, Filters};
use super::format::{self, Format};
use super::table::ellipsis;
use super::{parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::container::Container;
use crate::daemon::Daemon;
use crate::units::{go_time, human_duration};
use serde_json::json;

const FLAGS: &[Flag] = &[
    Flag::bool("all", Some('a'), "Show all containers (default shows just running)"),
    Flag::list("filter", Some('f'), "filter", "Filter output based on conditions provided"),
    format::FORMAT_FLAG,
    Flag::value("last", Some('n'), "int", "Show n last created containers (includes all states)").with_default("-1"),
    Flag::bool("latest", Some('l'), "Show the latest created container (includes all states)"),
    Flag::bool("no-trunc", None, "Don't truncate output"),
    Flag::bool("quiet", Some('q'), "Only display container IDs"),
];

const SPEC: Spec = Spec {
    name: "docker ps",
    usage: "docker ps [OPTIONS]",
    description: "List containers",
    aliases: "docker container ls, docker container list, docker container ps, docker ps",
    flags: FLAGS,
    arity: Arity::None,
    interspersed: true,
};

const DEFAULT_TABLE: &str = "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

/// Column titles for `table` templates.
const HEADERS: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("CreatedAt", "CREATED AT"),
    ("RunningFor", "CREATED"),
    ("Ports", "PORTS"),
    ("State", "STATE"),
    ("Status", "STATUS"),
    ("Size", "SIZE"),
    ("Names", "NAMES"),
    ("Labels", "LABELS"),
    ("Mounts", "MOUNTS"),
    ("Networks", "NETWORKS"),
    ("LocalVolumes", "LOCAL VOLUMES"),
];

/// The `PORTS` column: a running container's exposed and published ports.
pub(crate) fn ports(c: &Container) -> String {
    let Some(live) = c.net.live.as_ref().filter(|l| l.owns_netns) else { return String::new() };
    let unpublished: Vec<_> =
        c.net.exposed.iter().copied().filter(|p| !live.published.iter().any(|q| q.port == *p)).collect();
    crate::network::ports::displayable(&unpublished, &live.published)
}

/// The names of the container's networks, sorted.
fn network_names(c: &Container, daemon: &Daemon) -> Vec<String> {
    let mut names: Vec<String> = c
        .net
        .endpoints
        .iter()
        .map(|e| match &e.network {
            Some(id) => daemon.networks.by_id(id).map(|n| n.name.clone()).unwrap_or_else(|| e.target.clone()),
            None => daemon.networks.find(&e.target).map(|n| n.name.clone()).unwrap_or_else(|_| e.target.clone()),
        })
        .collect();
    names.sort();
    names
}

/// The fields `docker ps --format` sees for one container.
fn fields(c: &Container, now: u64, trunc: bool, daemon: &Daemon) -> serde_json::Value {
    let cmd = c.config.argv().join(" ");
    let cmd = if trunc { ellipsis(&cmd, 20) } else { cmd };
    let labels: Vec<String> = c.config.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    json!({
        "Command": format!("\"{}\"", cmd.replace('\\', "\\\\").replace('"', "\\\"")),
        "CreatedAt": go_time(c.created_ms),
        "ID": if trunc { c.id.short().to_string() } else { c.id.to_string() },
        "Image": c.config.image,
        "Labels": labels.join(","),
        "LocalVolumes": "0",
        "Mounts": "",
        "Names": c.name,
        "Networks": network_names(c, daemon).join(","),
        "Ports": ports(c),
        "RunningFor": format!("{} ago", human_duration(now.saturating_sub(c.created_ms))),
        "Size": "0B",
        "State": c.state.name(),
        "Status": c.status_text(now),
    })
}

/// `publish=8080` / `expose=80/tcp`: a host port published, or a container port exposed.
fn port_filter(c: &Container, v: &str, published: bool) -> bool {
    let (port, proto) = v.split_once('/').unwrap_or((v, "tcp"));
    if published {
        let live = c.net.live.as_ref().map(|l| l.published.as_slice()).unwrap_or_default();
        live.iter().any(|p| p.host_port.to_string() == port && p.port.proto.name() == proto)
    } else {
        c.net.exposed.iter().any(|p| p.number.to_string() == port && p.proto.name() == proto)
    }
}

/// Whether a container passes `--filter`.
fn matches_filters(c: &Container, f: &Filters, daemon: &Daemon) -> bool {
    let exit_code = match c.state {
        crate::container::State::Exited { code, .. } => Some(code),
        _ => None,
    };
    f.matches("id", |v| c.id.as_str().starts_with(v))
        && f.matches("name", |v| c.name.contains(v.trim_start_matches('/')))
        && f.matches("label", |v| label_matches(v, &c.config.labels))
        && f.matches("status", |v| c.state.name() == v)
        && f.matches("health", |v| c.health_word() == v)
        && f.matches("exited", |v| exit_code.is_some_and(|code| v.parse() == Ok(code)))
        && f.matches("ancestor", |v| {
            c.config.image == v || daemon.images.resolve(v).is_some_and(|i| i.id == c.image_id)
        })
        && f.matches("network", |v| {
            let id = daemon.networks.find(v).map(|n| n.id.clone()).ok();
            c.net.endpoints.iter().any(|e| e.target == v || (e.network.is_some() && e.network == id))
        })
        && f.matches("publish", |v| port_filter(c, v, true))
        && f.matches("expose", |v| port_filter(c, v, false))
}

/// The daemon refuses `status=` and `health=` values that are not states.
fn check_values(f: &Filters) -> Result<(), String> {
    const STATES: &[&str] = &["created", "running", "paused", "restarting", "removing", "exited", "dead"];
    const HEALTHS: &[&str] = &["none", "starting", "healthy", "unhealthy"];
    for (key, what, valid) in [("status", "state", STATES), ("health", "health", HEALTHS)] {
        if let Some(bad) = f.values(key).iter().find(|v| !valid.contains(&v.as_str())) {
            return Err(format!(
                "Error response from daemon: invalid filter '{key}={bad}': invalid value for {what} ({bad}): must be one of {}",
                valid.join(", ")
            ));
        }
    }
    Ok(())
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let keys = ["id", "name", "label", "exited", "status", "ancestor", "health", "network", "publish", "expose"];
    let filters = match Filters::parse(m.list("filter"), &keys).and_then(|f| check_values(&f).map(|()| f)) {
        Ok(f) => f,
        Err(e) => return Finished::fail(format!("{e}\n"), 1),
    };
    let trunc = !m.flag("no-trunc");
    let last: i64 = m.value("last").and_then(|v| v.parse().ok()).unwrap_or(-1);
    let limit = if m.flag("latest") { 1 } else { last };
    // Asking for stopped states shows stopped containers without `-a`, as in Docker.
    let all = m.flag("all") || limit > 0 || filters.has("exited") || filters.has("status");
    let now = daemon.now_ms();
    let mut selected: Vec<&Container> = daemon
        .containers
        .newest_first()
        .filter(|c| all || c.state.is_up())
        .filter(|c| matches_filters(c, &filters, daemon))
        .collect();
    if limit > 0 {
        selected.truncate(limit as usize);
    }
    if m.flag("quiet") {
        let id = |c: &Container| {
            if trunc {
                c.id.short().to_string()
            } else {
                c.id.to_string()
            }
        };
        return Finished::out(selected.iter().map(|c| format!("{}\n", id(c))).collect::<String>());
    }
    let objects: Vec<serde_json::Value> = selected.iter().map(|c| fields(c, now, trunc, daemon)).collect();
    match format::render(&Format::parse(m.value("format"), DEFAULT_TABLE), &objects, HEADERS) {
        Ok(out) => Finished::out(out),
        Err(e) => Finished::fail(format!("{e}\n"), 1),
    }
}
