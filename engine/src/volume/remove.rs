//! Removing volumes: `docker volume rm` (refused while any container, running or not, mounts
//! the volume, even with `-f`, which only ignores a missing name), `docker volume prune` (the
//! volumes no container uses: anonymous ones only, unless `--all`), and the anonymous volumes a
//! container takes with it when removed with `docker rm -v` or `--rm`.

use super::{MountPoint, MountType, Volume, VolumeError};
use crate::{Daemon, Error};

/// What `docker volume prune` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneReport {
    pub deleted: Vec<String>,
    /// Bytes their files held.
    pub reclaimed: u64,
}

/// Which volumes a prune may take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneFilter {
    /// Named volumes too (`--all`, `all=true`).
    pub all: bool,
    /// `label=key` or `label=key=value`: all must match.
    pub labels: Vec<String>,
    /// `label!=...`: none may match.
    pub not_labels: Vec<String>,
}

/// Whether `volume` has the label `filter` names (`key` or `key=value`).
pub fn has_label(volume: &Volume, filter: &str) -> bool {
    let labels = volume.labels.clone().unwrap_or_default();
    match filter.split_once('=') {
        Some((k, v)) => labels.get(k).is_some_and(|value| value == v),
        None => labels.contains_key(filter),
    }
}

impl Daemon {
    /// The full IDs of the containers that mount volume `name`, oldest first.
    pub fn volume_users(&self, name: &str) -> Vec<String> {
        let mut users: Vec<String> = self
            .containers
            .newest_first()
            .filter(|c| c.mounts.iter().any(|m| m.kind == MountType::Volume && m.name == name))
            .map(|c| c.id.to_string())
            .collect();
        users.reverse();
        users
    }

    /// `docker volume rm`: removes a volume no container uses. `force` only makes a missing
    /// name not an error.
    pub fn remove_volume(&mut self, name: &str, force: bool) -> Result<(), Error> {
        if !self.volumes.contains(name) {
            return if force { Ok(()) } else { Err(VolumeError::NoSuchVolume(name.to_string()).into()) };
        }
        let users = self.volume_users(name);
        if !users.is_empty() {
            return Err(VolumeError::InUse { name: name.to_string(), users }.into());
        }
        self.volumes.remove(name);
        Ok(())
    }

    /// `docker volume prune`: removes the local volumes no container uses that `filter` lets
    /// through (never one with driver options, as Docker).
    pub fn prune_volumes(&mut self, filter: &PruneFilter) -> PruneReport {
        let unused: Vec<(String, u64)> = self
            .volumes
            .iter()
            .filter(|v| filter.all || v.is_anonymous())
            .filter(|v| v.options.as_ref().is_none_or(|o| o.is_empty()))
            .filter(|v| filter.labels.iter().all(|l| has_label(v, l)))
            .filter(|v| !filter.not_labels.iter().any(|l| has_label(v, l)))
            .filter(|v| self.volume_users(&v.name).is_empty())
            .map(|v| (v.name.clone(), v.size()))
            .collect();
        let mut report = PruneReport::default();
        for (name, size) in unused {
            self.volumes.remove(&name);
            report.deleted.push(name);
            report.reclaimed += size;
        }
        report
    }

    /// Once a container is gone: removes the anonymous volumes among its `mounts` that no other
    /// container uses (`docker rm -v`, `--rm`).
    pub(crate) fn remove_anonymous_volumes(&mut self, mounts: &[MountPoint]) {
        for m in mounts.iter().filter(|m| m.kind == MountType::Volume && m.anonymous) {
            // In use by another container: not an error, the volume just stays.
            let _ = self.remove_volume(&m.name, true);
        }
    }
}
