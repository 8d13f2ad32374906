//! `docker system df`: what images, containers, volumes and the build cache take, and how much
//! of it nothing uses (what `docker system prune` would reclaim).

use super::table::render;
use super::{parse_or_task, Arity, Finished, Spec, Task};
use crate::daemon::Daemon;
use crate::units::human_size;
use std::collections::BTreeSet;

const SPEC: Spec = Spec {
    name: "docker system df",
    usage: "docker system df [OPTIONS]",
    description: "Show docker disk usage",
    aliases: "",
    flags: &[],
    arity: Arity::None,
    interspersed: true,
};

/// Volumes: how many, how many some container uses, their files' size, and what the unused ones
/// hold (with its share of the total when there is any).
fn volumes_row(daemon: &Daemon) -> Vec<String> {
    let (mut total, mut active, mut size, mut reclaimable) = (0, 0, 0u64, 0u64);
    for v in daemon.volumes.iter() {
        let bytes = v.size();
        total += 1;
        size += bytes;
        if daemon.volume_users(&v.name).is_empty() {
            reclaimable += bytes;
        } else {
            active += 1;
        }
    }
    let reclaimable = match (reclaimable * 100).checked_div(size) {
        Some(pct) => format!("{} ({pct}%)", human_size(reclaimable)),
        None => human_size(reclaimable),
    };
    vec!["Local Volumes".into(), total.to_string(), active.to_string(), human_size(size), reclaimable]
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    if let Err(task) = parse_or_task(&SPEC, args) {
        return task;
    }
    let images = daemon.images.list();
    let used: BTreeSet<_> = daemon.containers.newest_first().map(|c| c.image_id.clone()).collect();
    let layers: BTreeSet<_> = images.iter().flat_map(|i| i.layers.iter().cloned()).collect();
    let total: u64 = layers.iter().map(|l| daemon.images.layer_size(l)).sum();
    let used_layers: BTreeSet<_> =
        images.iter().filter(|i| used.contains(&i.id)).flat_map(|i| i.layers.iter().cloned()).collect();
    let reclaimable: u64 = layers.difference(&used_layers).map(|l| daemon.images.layer_size(l)).sum();
    let pct = (reclaimable * 100).checked_div(total).unwrap_or(0);
    let containers = daemon.containers.newest_first().count();
    let running = daemon.containers.newest_first().filter(|c| c.state.is_running()).count();
    let active_images = images.iter().filter(|i| used.contains(&i.id)).count();
    let rows = vec![
        ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"].map(String::from).to_vec(),
        vec![
            "Images".into(),
            images.len().to_string(),
            active_images.to_string(),
            human_size(total),
            format!("{} ({pct}%)", human_size(reclaimable)),
        ],
        vec!["Containers".into(), containers.to_string(), running.to_string(), "0B".into(), "0B".into()],
        volumes_row(daemon),
        vec!["Build Cache".into(), daemon.build_cache.len().to_string(), "0".into(), "0B".into(), "0B".into()],
    ];
    Finished::out(render(&rows))
}
