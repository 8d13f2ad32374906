//! Saving the playground and bringing it back after the page reloads, as a Docker daemon comes
//! back after a restart: images, containers (configuration, state, writable layer, logs),
//! volumes and the host's files are kept; processes are not (see [`restore`] for what the
//! daemon does with containers that were running).
//!
//! A [`Snapshot`] is made of sections, one per subsystem, each written and read by its module:
//! [`images`] (with the layer blobs), [`registry`] (what `docker push` uploaded), [`volumes`],
//! [`networks`], [`containers`], [`host`]. Its manifest names
//! the format and its version ([`VERSION`]); [`migrate`] turns an older snapshot into the current
//! shape before it is read, and a newer one is refused ([`SnapshotError::TooNew`]) rather than
//! half understood. Nothing here panics on a damaged snapshot: every problem is a
//! [`SnapshotError`], and the caller keeps the bytes (the page offers them to download).
//!
//! **Adding a subsystem** (a new kind of daemon object): write a module with `save` and `load`
//! like [`volumes`], call them in [`save`] and [`load`] (in dependency order: a
//! container's networks must exist before its container), bump [`VERSION`], and add a step to
//! [`migrate`] that gives older snapshots what the new section would hold on a fresh daemon
//! (usually nothing: the section is absent and `load` starts from defaults). The version bump is
//! what makes an older engine refuse the new snapshot instead of silently dropping the section.

mod containers;
mod host;
mod images;
mod logs;
mod migrate;
mod networks;
mod records;
mod registry;
mod restore;
mod snapshot;
mod tree;
mod volumes;

pub use restore::{PendingRestore, LOST_EXIT_CODE};
pub use snapshot::{Manifest, Snapshot, FORMAT};
pub use tree::TreeError;

use crate::host::Host;
use crate::ids::Digest;
use crate::Daemon;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The snapshot format this engine writes. Older versions are migrated on restore.
pub const VERSION: u32 = 1;

/// The sections of a current snapshot, in the order they are restored.
const SECTIONS: &[&str] = &["images", "registry", "volumes", "networks", "containers", "host"];

/// Why a snapshot could not be made or restored.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a snapshot of this playground (no valid manifest.json)")]
    NotASnapshot,
    #[error("snapshot format version {found} is newer than this engine's ({supported})")]
    TooNew { found: u32, supported: u32 },
    #[error("the snapshot is damaged: {0}")]
    Corrupt(String),
    #[error("the host is still starting: there is nothing to save yet")]
    HostNotReady,
    #[error("cannot write the snapshot: {0}")]
    Write(String),
}

/// A snapshot being written or read: the state's entries by name, and the layer blobs.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    entries: BTreeMap<String, Vec<u8>>,
    blobs: BTreeMap<Digest, Rc<[u8]>>,
}

impl Parts {
    fn put_json<T: serde::Serialize>(&mut self, name: &str, value: &T) -> Result<(), SnapshotError> {
        let bytes = serde_json::to_vec(value).map_err(|e| SnapshotError::Write(e.to_string()))?;
        self.entries.insert(name.to_string(), bytes);
        Ok(())
    }

    fn entry(&self, name: &str) -> Result<&[u8], SnapshotError> {
        self.entries.get(name).map(Vec::as_slice).ok_or_else(|| SnapshotError::Corrupt(format!("{name} is missing")))
    }

    fn json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, SnapshotError> {
        serde_json::from_slice(self.entry(name)?).map_err(|e| SnapshotError::Corrupt(format!("{name}: {e}")))
    }
}

/// Saves the daemon's and the host's state. Refused while the host is still being installed.
pub(crate) fn save(daemon: &Daemon, host: &Host) -> Result<Snapshot, SnapshotError> {
    let mut parts = Parts::default();
    images::save(daemon, &mut parts)?;
    registry::save(daemon, &mut parts)?;
    volumes::save(daemon, &mut parts)?;
    networks::save(daemon, &mut parts)?;
    containers::save(daemon, &mut parts)?;
    host::save(host, daemon, &mut parts)?;
    let manifest = Manifest {
        format: FORMAT.to_string(),
        version: VERSION,
        created: crate::units::rfc3339_nanos(daemon.now_ms()),
        engine: env!("CARGO_PKG_VERSION").to_string(),
        sections: SECTIONS.iter().map(|s| s.to_string()).collect(),
    };
    let state = snapshot::write_state(&manifest, &parts.entries).map_err(|e| SnapshotError::Write(e.to_string()))?;
    Ok(Snapshot::from_parts(state, parts.blobs))
}

/// Reads `snapshot` into a fresh daemon. Everything is checked before this returns; what waits
/// for the host (its files, starting containers) is returned for the host to finish.
pub(crate) fn load(snapshot: &Snapshot, daemon: &mut Daemon) -> Result<PendingRestore, SnapshotError> {
    let manifest = snapshot.manifest()?;
    if manifest.version > VERSION {
        return Err(SnapshotError::TooNew { found: manifest.version, supported: VERSION });
    }
    let entries = snapshot::read_entries(snapshot.state()).map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
    let mut parts = Parts { entries, blobs: snapshot.blobs().clone() };
    migrate::to_current(manifest.version, &mut parts)?;
    images::load(&parts, daemon)?;
    registry::load(&parts, daemon)?;
    volumes::load(&parts, daemon)?;
    networks::load(&parts, daemon)?;
    let saved = containers::load(&parts, daemon)?;
    let mut pending = host::load(&parts)?;
    pending.were_running = saved
        .into_iter()
        .filter(|(_, s)| {
            matches!(s, records::StateRecord::Running { .. } | records::StateRecord::Exited { restarting: true, .. })
        })
        .map(|(id, _)| id)
        .collect();
    Ok(pending)
}

#[cfg(test)]
mod tests;
