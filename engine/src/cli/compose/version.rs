//! `docker compose version`: the Compose release the playground follows.

use super::parse;
use crate::cli::{Arity, Finished, Flag, Spec, Task};
use crate::compose::project::COMPOSE_VERSION;

const FLAGS: &[Flag] = &[
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::value("format", Some('f'), "string", "Format the output. Values: [pretty | json]. (Default: pretty)"),
    Flag::bool("short", None, "Shows only Compose's version number"),
];

const SPEC: Spec = Spec {
    name: "docker compose version",
    usage: "docker compose version [OPTIONS]",
    description: "Show the Docker Compose version information",
    aliases: "",
    flags: FLAGS,
    arity: Arity::None,
    interspersed: true,
};

pub fn start(args: &[String]) -> Box<dyn Task> {
    let m = match parse(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    if m.flag("short") {
        return Finished::out(format!("{COMPOSE_VERSION}\n"));
    }
    match m.value("format") {
        Some("json") => Finished::out(format!("{{\"version\":\"v{COMPOSE_VERSION}\"}}\n")),
        None | Some("pretty" | "") => Finished::out(format!("Docker Compose version v{COMPOSE_VERSION}\n")),
        Some(other) => {
            Finished::fail(format!("ERROR: invalid format \"{other}\". Supported formats are: pretty, json\n"), 1)
        }
    }
}
