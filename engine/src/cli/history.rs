//! `docker history`: the steps that built an image, newest first. Steps that only changed the
//! config (CMD, ENV...) add no layer and show `0B`; only the newest line carries the image ID,
//! the others show `<missing>` as for any pulled image.

use super::format::{self, Format};
use super::table::ellipsis;
use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use crate::units::{human_duration, human_size, parse_rfc3339};
use serde_json::json;

const FLAGS: &[Flag] = &[
    format::FORMAT_FLAG,
    Flag::bool("human", Some('H'), "Print sizes and dates in human readable format").with_default("true"),
    Flag::bool("no-trunc", None, "Don't truncate output"),
    Flag::bool("quiet", Some('q'), "Only show image IDs"),
];

const SPEC: Spec = Spec {
    name: "docker history",
    usage: "docker history [OPTIONS] IMAGE",
    description: "Show the history of an image",
    aliases: "docker image history, docker history",
    flags: FLAGS,
    arity: Arity::Exactly(1),
    interspersed: true,
};

const DEFAULT_TABLE: &str = "{{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
const HEADERS: &[(&str, &str)] = &[
    ("ID", "IMAGE"),
    ("CreatedSince", "CREATED"),
    ("CreatedAt", "CREATED AT"),
    ("CreatedBy", "CREATED BY"),
    ("Size", "SIZE"),
    ("Comment", "COMMENT"),
];

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let image = match daemon.find_image(&m.args[0]) {
        Ok(image) => image,
        Err(e) => return Finished::fail(daemon_error(&e), 1),
    };
    let trunc = !m.flag("no-trunc");
    let now = daemon.now_ms();
    // Layer sizes, in the order of the history lines that made them.
    let mut sizes = Vec::new();
    for layer in &image.layers {
        sizes.push(daemon.images.layer_size(layer));
    }
    let mut sizes = sizes.into_iter();
    let mut rows = Vec::new();
    for h in &image.config.history {
        let size = if h.empty_layer { 0 } else { sizes.next().unwrap_or(0) };
        let created = parse_rfc3339(&h.created).unwrap_or(0);
        let by = if trunc { ellipsis(&h.created_by, 45) } else { h.created_by.clone() };
        rows.push((created, by, size, h.comment.clone()));
    }
    rows.reverse();
    let id = if trunc { image.id.short().to_string() } else { image.id.to_string() };
    let objects: Vec<serde_json::Value> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (created, by, size, comment))| {
            json!({
                "Comment": comment,
                "CreatedAt": crate::units::rfc3339_nanos(created).get(..19).map(|s| format!("{s}Z")).unwrap_or_default(),
                "CreatedBy": by,
                "CreatedSince": format!("{} ago", human_duration(now.saturating_sub(created))),
                "ID": if i == 0 { id.clone() } else { "<missing>".to_string() },
                "Size": human_size(size),
            })
        })
        .collect();
    if m.flag("quiet") {
        return Finished::out(
            objects.iter().map(|o| format!("{}\n", o["ID"].as_str().unwrap_or(""))).collect::<String>(),
        );
    }
    match format::render(&Format::parse(m.value("format"), DEFAULT_TABLE), &objects, HEADERS) {
        Ok(out) => Finished::out(out),
        Err(e) => Finished::fail(format!("{e}\n"), 1),
    }
}
