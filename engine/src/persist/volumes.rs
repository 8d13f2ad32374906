//! The `volumes` section: each volume's name, driver, labels and options, and its files, whole
//! (a volume's tree starts empty, so there is no base to compare with).

use super::{tree, Parts, SnapshotError};
use crate::volume::Volume;
use crate::Daemon;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const INDEX: &str = "volumes/index.json";

#[derive(Debug, Serialize, Deserialize)]
struct VolumeRecord {
    name: String,
    driver: String,
    labels: Option<BTreeMap<String, String>>,
    options: Option<BTreeMap<String, String>>,
    created_ms: u64,
    /// The entry holding its files.
    files: String,
}

pub(super) fn save(daemon: &Daemon, out: &mut Parts) -> Result<(), SnapshotError> {
    let mut records = Vec::new();
    for (i, volume) in daemon.volumes.iter().enumerate() {
        let files = format!("volumes/{i}.tar");
        let archive = tree::full_archive(&volume.fs).map_err(|e| SnapshotError::Write(e.to_string()))?;
        out.entries.insert(files.clone(), archive);
        records.push(VolumeRecord {
            name: volume.name.clone(),
            driver: volume.driver.clone(),
            labels: volume.labels.clone(),
            options: volume.options.clone(),
            created_ms: volume.created_ms,
            files,
        });
    }
    out.put_json(INDEX, &records)
}

pub(super) fn load(parts: &Parts, daemon: &mut Daemon) -> Result<(), SnapshotError> {
    let records: Vec<VolumeRecord> = parts.json(INDEX)?;
    for r in records {
        let fs = crate::fs::Fs::new();
        tree::apply(&fs, parts.entry(&r.files)?)
            .map_err(|e| SnapshotError::Corrupt(format!("volume {}: {e}", r.name)))?;
        daemon.volumes.insert(Volume {
            name: r.name,
            driver: r.driver,
            labels: r.labels,
            options: r.options,
            created_ms: r.created_ms,
            fs,
        });
    }
    Ok(())
}
