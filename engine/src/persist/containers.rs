//! The `containers` section: each container's configuration and state ([`super::records`]), its
//! writable layer (what its own tree holds beyond its image's layers, see [`super::tree`]) and
//! its logs ([`super::logs`]), in creation order. Processes are not saved: on restore every
//! container is stopped, and [`super::restore`] decides which ones the daemon starts again.
//! What is mounted on a container (volumes, host folders, tmpfs) is not part of its layer; the
//! mounts are made again from its mount points.

use super::records::{ContainerRecord, LayerBase, StateRecord};
use super::{logs, tree, Parts, SnapshotError};
use crate::container::Container;
use crate::fs::Fs;
use crate::ids::{ContainerId, Digest};
use crate::Daemon;
use std::collections::HashMap;

const INDEX: &str = "containers/index.json";

pub(super) fn save(daemon: &Daemon, out: &mut Parts) -> Result<(), SnapshotError> {
    let write = |e: std::io::Error| SnapshotError::Write(e.to_string());
    // Containers of one image share its unpacked tree as the base they are compared with.
    let mut bases: HashMap<Digest, Option<Fs>> = HashMap::new();
    let mut records = Vec::new();
    let all: Vec<&Container> = daemon.containers.newest_first().collect();
    for (i, c) in all.into_iter().rev().enumerate() {
        let base = bases
            .entry(c.image_id.clone())
            .or_insert_with(|| daemon.images.get(&c.image_id).and_then(|image| daemon.image_rootfs(image).ok()))
            .clone();
        let (layer_base, base) = match base {
            Some(fs) => (LayerBase::Image, fs),
            None => (LayerBase::Empty, Fs::new()),
        };
        let (layer, log) = (format!("containers/{i}/layer.tar"), format!("containers/{i}/logs"));
        out.entries.insert(layer.clone(), tree::diff_archive(&base, &c.fs.without_mounts()).map_err(write)?);
        out.entries.insert(log.clone(), logs::encode(&c.logs));
        records.push(ContainerRecord {
            id: c.id.to_string(),
            name: c.name.clone(),
            image_id: c.image_id.to_string(),
            config: (&c.config).into(),
            created_ms: c.created_ms,
            state: c.state.into(),
            mounts: c.mounts.iter().map(Into::into).collect(),
            auto_remove: c.auto_remove,
            host: (&c.host).into(),
            restart_count: c.restart_count,
            manually_stopped: c.manually_stopped,
            layer_base,
            layer,
            logs: log,
            net: (&c.net).into(),
            health: c.health.as_ref().map(Into::into),
        });
    }
    out.put_json(INDEX, &records)
}

/// Restores the containers, stopped, with their state as saved. Returns each one's saved state,
/// for [`super::restore`] to apply the daemon-restart rules to.
pub(super) fn load(parts: &Parts, daemon: &mut Daemon) -> Result<Vec<(ContainerId, StateRecord)>, SnapshotError> {
    let records: Vec<ContainerRecord> = parts.json(INDEX)?;
    let mut bases: HashMap<Digest, Fs> = HashMap::new();
    let mut saved = Vec::new();
    for r in records {
        let corrupt = |why: String| SnapshotError::Corrupt(format!("container {}: {why}", r.name));
        let id = ContainerId::parse(&r.id).ok_or_else(|| corrupt("invalid ID".into()))?;
        let image_id = Digest::parse(&r.image_id).ok_or_else(|| corrupt("invalid image ID".into()))?;
        if daemon.containers.find(id.as_str()).is_some_and(|c| c.id == id)
            || daemon.containers.name_taken(&r.name).is_some()
        {
            return Err(corrupt("listed twice".into()));
        }
        let fs = match r.layer_base {
            LayerBase::Empty => Fs::new(),
            LayerBase::Image => {
                if !bases.contains_key(&image_id) {
                    let image = daemon.images.get(&image_id).ok_or_else(|| corrupt("its image is missing".into()))?;
                    let rootfs = daemon.image_rootfs(image).map_err(|e| corrupt(e.to_string()))?;
                    bases.insert(image_id.clone(), rootfs);
                }
                // Each container gets its own copy of the unpacked image.
                bases.get(&image_id).map(Fs::deep_clone).unwrap_or_default()
            }
        };
        tree::apply(&fs, parts.entry(&r.layer)?).map_err(|e| corrupt(e.to_string()))?;
        let log = logs::decode(parts.entry(&r.logs)?).map_err(corrupt)?;
        let mounts = r.mounts.into_iter().map(|m| m.into_mount_point()).collect::<Result<_, _>>().map_err(corrupt)?;
        let host = r.host.into_host_config().map_err(corrupt)?;
        let net = r.net.into_net().map_err(corrupt)?;
        let monitored = matches!(r.state, StateRecord::Running { paused: false, .. });
        let health = r.health.map(|h| h.into_health(monitored)).transpose().map_err(corrupt)?;
        let state = super::restore::state_after_restart(r.state, daemon.now_ms());
        daemon.containers.add(Container {
            id: id.clone(),
            name: r.name,
            image_id,
            config: r.config.into(),
            created_ms: r.created_ms,
            state,
            fs,
            mounts,
            logs: log,
            auto_remove: r.auto_remove,
            host,
            restart_count: r.restart_count,
            manually_stopped: r.manually_stopped,
            restart_at: None,
            restart_delay_ms: 0,
            process: None,
            net,
            health,
        });
        saved.push((id, r.state));
    }
    Ok(saved)
}
