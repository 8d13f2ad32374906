//! `docker images`: the local image table, one row per tag (`<none>` for untagged images),
//! newest first, with the image ID shortened and the size in Docker's decimal units.

use super::filter::{glob, label_matches, Filters};
use super::format::{self, Format};
use super::{parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use crate::image::Reference;
use crate::units::{go_time, human_duration, human_size};
use serde_json::json;

const FLAGS: &[Flag] = &[
    Flag::bool("all", Some('a'), "Show all images (default hides intermediate images)"),
    Flag::bool("digests", None, "Show digests"),
    Flag::list("filter", Some('f'), "filter", "Filter output based on conditions provided"),
    format::FORMAT_FLAG,
    Flag::bool("no-trunc", None, "Don't truncate output"),
    Flag::bool("quiet", Some('q'), "Only show image IDs"),
];

const SPEC: Spec = Spec {
    name: "docker images",
    usage: "docker images [OPTIONS] [REPOSITORY[:TAG]]",
    description: "List images",
    aliases: "docker image ls, docker image list, docker images",
    flags: FLAGS,
    arity: Arity::AtMost(1),
    interspersed: true,
};

const HEADERS: &[(&str, &str)] = &[
    ("Repository", "REPOSITORY"),
    ("Tag", "TAG"),
    ("Digest", "DIGEST"),
    ("ID", "IMAGE ID"),
    ("CreatedSince", "CREATED"),
    ("CreatedAt", "CREATED AT"),
    ("Size", "SIZE"),
    ("Containers", "CONTAINERS"),
];

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    // `docker images nginx` lists every nginx tag; `docker images nginx:alpine` just that one.
    let wanted = match m.args.first().map(|a| Reference::parse(a)) {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => return Finished::fail(format!("{e}\n"), 1),
        None => None,
    };
    let filters = match Filters::parse(m.list("filter"), &["dangling", "reference", "label", "before", "since"]) {
        Ok(f) => f,
        Err(e) => return Finished::fail(format!("{e}\n"), 1),
    };
    let created = |name: &str| daemon.images.resolve(name).map(|i| i.created_ms);
    let trunc = !m.flag("no-trunc");
    let now = daemon.now_ms();
    let mut objects = Vec::new();
    let mut ids = Vec::new();
    for image in daemon.images.list() {
        let labels: Vec<(String, String)> =
            image.config.config.labels.clone().unwrap_or_default().into_iter().collect();
        let dangling = image.repo_tags.is_empty();
        if !(filters.matches("dangling", |v| (v == "true" || v == "1") == dangling)
            && filters.matches("label", |v| label_matches(v, &labels))
            && filters.matches("before", |v| created(v).is_some_and(|t| image.created_ms < t))
            && filters.matches("since", |v| created(v).is_some_and(|t| image.created_ms > t)))
        {
            continue;
        }
        let id = if trunc { image.id.short().to_string() } else { image.id.to_string() };
        let tags: Vec<(String, String)> = if image.repo_tags.is_empty() {
            vec![("<none>".into(), "<none>".into())]
        } else {
            image
                .repo_tags
                .iter()
                .map(|t| match t.rsplit_once(':') {
                    Some((repo, tag)) if !tag.contains('/') => (repo.to_string(), tag.to_string()),
                    _ => (t.clone(), "<none>".into()),
                })
                .collect()
        };
        for (repo, tag) in tags {
            if !filters.matches("reference", |p| glob(p, &repo) || glob(p, &format!("{repo}:{tag}"))) {
                continue;
            }
            if let Some(w) = &wanted {
                if repo != w.familiar_name() || w.tag.as_ref().is_some_and(|t| *t != tag) {
                    continue;
                }
            }
            if !ids.contains(&id) {
                ids.push(id.clone());
            }
            let digest = image
                .repo_digests
                .iter()
                .find_map(|d| d.strip_prefix(&format!("{repo}@")).map(String::from))
                .unwrap_or_else(|| "<none>".into());
            objects.push(json!({
                "Containers": "N/A",
                "CreatedAt": go_time(image.created_ms),
                "CreatedSince": format!("{} ago", human_duration(now.saturating_sub(image.created_ms))),
                "Digest": digest,
                "ID": id,
                "Repository": repo,
                "SharedSize": "N/A",
                "Size": human_size(image.size),
                "Tag": tag,
                "UniqueSize": "N/A",
                "VirtualSize": human_size(image.size),
            }));
        }
    }
    if m.flag("quiet") {
        return Finished::out(ids.iter().map(|i| format!("{i}\n")).collect::<String>());
    }
    let default_table = if m.flag("digests") {
        "{{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
    } else {
        "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
    };
    match format::render(&Format::parse(m.value("format"), default_table), &objects, HEADERS) {
        Ok(out) => Finished::out(out),
        Err(e) => Finished::fail(format!("{e}\n"), 1),
    }
}
