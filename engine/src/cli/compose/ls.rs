//! `docker compose ls`: the projects that have containers on the engine, found by their
//! `com.docker.compose.project` labels, with their containers' states and files.

use super::parse;
use crate::cli::table::render_min;
use crate::cli::{Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use std::collections::BTreeMap;

const FLAGS: &[Flag] = &[
    Flag::bool("all", Some('a'), "Show all stopped Compose projects"),
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::bool("quiet", Some('q'), "Only display project names."),
];

const SPEC: Spec = Spec {
    name: "docker compose ls",
    usage: "docker compose ls [OPTIONS]",
    description: "List running compose projects",
    aliases: "",
    flags: FLAGS,
    arity: Arity::None,
    interspersed: true,
};

/// A project seen through its containers: state counts and config files.
#[derive(Default)]
struct Seen {
    states: BTreeMap<&'static str, usize>,
    files: String,
}

pub fn start(args: &[String], _global: super::Global, daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let mut projects: BTreeMap<String, Seen> = BTreeMap::new();
    for c in daemon.containers.newest_first() {
        let label = |k: &str| c.config.labels.iter().find(|(l, _)| l == k).map(|(_, v)| v.clone());
        let Some(name) = label("com.docker.compose.project") else { continue };
        let seen = projects.entry(name).or_default();
        *seen.states.entry(c.state.name()).or_default() += 1;
        seen.files = label("com.docker.compose.project.config_files").unwrap_or_default();
    }
    projects.retain(|_, s| m.flag("all") || s.states.contains_key("running"));
    if m.flag("quiet") {
        return Finished::out(projects.keys().map(|k| format!("{k}\n")).collect::<String>());
    }
    let mut rows = vec![vec!["NAME".to_string(), "STATUS".into(), "CONFIG FILES".into()]];
    for (name, seen) in projects {
        let status: Vec<String> = seen.states.iter().map(|(s, n)| format!("{s}({n})")).collect();
        rows.push(vec![name, status.join(", "), seen.files]);
    }
    Finished::out(render_min(&rows, 20))
}
