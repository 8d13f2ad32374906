//! `docker compose config`: loads the project and prints it in Compose's canonical form (the
//! proof that the loader read the file as Compose reads it), or only its service, volume,
//! profile or image names, or nothing (`-q`: just validate).

use super::{parse, warn, Global};
use crate::cli::{Arity, Flag, Io, Step, Task};
use crate::compose::config::render;
use crate::compose::{ComposeError, Project};
use crate::daemon::Daemon;
use std::collections::BTreeSet;

const FLAGS: &[Flag] = &[
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::value("format", None, "string", "Format the output. Values: [yaml | json]").with_default("\"yaml\""),
    Flag::bool("images", None, "Print the image names, one per line."),
    Flag::value("output", Some('o'), "string", "Save to file (default to stdout)"),
    Flag::bool("profiles", None, "Print the profile names, one per line."),
    Flag::bool("quiet", Some('q'), "Only validate the configuration, don't print anything"),
    Flag::bool("services", None, "Print the service names, one per line."),
    Flag::bool("volumes", None, "Print the volume names, one per line."),
];

const SPEC: crate::cli::Spec = crate::cli::Spec {
    name: "docker compose config",
    usage: "docker compose config [OPTIONS] [SERVICE...]",
    description: "Parse, resolve and render compose file in canonical format",
    aliases: "",
    flags: FLAGS,
    arity: Arity::Any,
    interspersed: true,
};

struct Config {
    m: crate::cli::Matches,
    global: Global,
}

/// Keeps the named services and what they depend on.
fn select(project: &mut Project, names: &[String]) -> Result<(), ComposeError> {
    if names.is_empty() {
        return Ok(());
    }
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = names.to_vec();
    while let Some(n) = todo.pop() {
        let Some(s) = project.services.get(&n) else { return Err(ComposeError::NoSuchService(n)) };
        todo.extend(s.depends_on.keys().filter(|d| !keep.contains(*d)).cloned());
        keep.insert(n);
    }
    project.services.retain(|n, _| keep.contains(n));
    crate::compose::check::prune_unused(project);
    Ok(())
}

impl Task for Config {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let mut warnings = Vec::new();
        let result = self.global.load(daemon, &mut warnings);
        for w in &warnings {
            warn(io, daemon.now_ms(), w);
        }
        let mut project = match result.and_then(|mut p| select(&mut p, &self.m.args).map(|()| p)) {
            Ok(p) => p,
            Err(e) => {
                io.err(format!("{e}\n"));
                return Step::Done(1);
            }
        };
        let lines = |items: Vec<String>| items.into_iter().map(|i| format!("{i}\n")).collect::<String>();
        let text = if self.m.flag("quiet") {
            String::new()
        } else if self.m.flag("services") {
            lines(project.services.keys().cloned().collect())
        } else if self.m.flag("volumes") {
            lines(project.volumes.keys().cloned().collect())
        } else if self.m.flag("profiles") {
            let all: BTreeSet<String> =
                project.services.values().chain(project.disabled.values()).flat_map(|s| s.profiles.clone()).collect();
            lines(all.into_iter().collect())
        } else if self.m.flag("images") {
            lines(project.services.values().map(|s| s.image_name(&project.name)).collect())
        } else if self.m.value("format") == Some("json") {
            project.disabled.clear();
            crate::compose::json::to_json(&crate::compose::config::project_node(&project))
        } else {
            project.disabled.clear();
            render(&project)
        };
        match self.m.value("output") {
            Some(file) => {
                let path = crate::host::absolute(&daemon.client_cwd, file);
                if let Err(e) = daemon.host_fs.write_file(&path, text.into_bytes(), 0o644) {
                    io.err(format!("open {path}: {e}\n"));
                    return Step::Done(1);
                }
            }
            None => io.out(text),
        }
        Step::Done(0)
    }
}

pub fn start(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    if let Some(f) = m.value("format").filter(|f| !matches!(*f, "yaml" | "json")) {
        return crate::cli::Finished::fail(format!("unsupported format {f:?}\n"), 1);
    }
    Box::new(Config { m, global })
}
