//! The daemon's containers, in creation order, found the way the CLI finds them: by full ID, by
//! name, or by a unique ID prefix.

use super::Container;

/// All containers.
#[derive(Debug, Default)]
pub struct ContainerStore {
    list: Vec<Container>,
}

impl ContainerStore {
    pub fn add(&mut self, c: Container) {
        self.list.push(c);
    }

    /// Finds a container as Docker does: exact ID, exact name, then unique ID prefix.
    pub fn find(&self, key: &str) -> Option<&Container> {
        let i = self.index_of(key)?;
        self.list.get(i)
    }

    pub fn find_mut(&mut self, key: &str) -> Option<&mut Container> {
        let i = self.index_of(key)?;
        self.list.get_mut(i)
    }

    fn index_of(&self, key: &str) -> Option<usize> {
        let key = key.strip_prefix('/').unwrap_or(key);
        if key.is_empty() {
            return None;
        }
        if let Some(i) = self.list.iter().position(|c| c.id.as_str() == key || c.name == key) {
            return Some(i);
        }
        if !crate::ids::is_hex_prefix(key) {
            return None;
        }
        let mut hits = self.list.iter().enumerate().filter(|(_, c)| c.id.as_str().starts_with(key));
        match (hits.next(), hits.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    pub fn name_taken(&self, name: &str) -> Option<&Container> {
        self.list.iter().find(|c| c.name == name)
    }

    /// Newest first, as `docker ps` lists them.
    pub fn newest_first(&self) -> impl Iterator<Item = &Container> {
        self.list.iter().rev()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Container> {
        self.list.iter_mut()
    }

    pub fn remove(&mut self, id: &crate::ids::ContainerId) -> Option<Container> {
        let i = self.list.iter().position(|c| &c.id == id)?;
        Some(self.list.remove(i))
    }
}
