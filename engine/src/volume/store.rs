//! The daemon's volumes, by name. Unlike containers and images, volumes are found by their exact
//! name only (no prefix matching), as Docker's volume store does.

use super::Volume;
use std::collections::BTreeMap;

/// All volumes.
#[derive(Debug, Default)]
pub struct VolumeStore {
    volumes: BTreeMap<String, Volume>,
}

impl VolumeStore {
    pub fn get(&self, name: &str) -> Option<&Volume> {
        self.volumes.get(name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Volume> {
        self.volumes.get_mut(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.volumes.contains_key(name)
    }

    /// By name.
    pub fn iter(&self) -> impl Iterator<Item = &Volume> {
        self.volumes.values()
    }

    pub fn len(&self) -> usize {
        self.volumes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.volumes.is_empty()
    }

    pub(crate) fn insert(&mut self, volume: Volume) {
        self.volumes.insert(volume.name.clone(), volume);
    }

    pub(crate) fn remove(&mut self, name: &str) -> Option<Volume> {
        self.volumes.remove(name)
    }
}
