//! `docker rename`: a container gets a new name; its ID and everything else stay.

use crate::{Daemon, Error};

impl Daemon {
    pub fn rename_container(&mut self, key: &str, new_name: &str) -> Result<(), Error> {
        let new_name = new_name.strip_prefix('/').unwrap_or(new_name);
        if !super::create::valid_name(new_name) {
            return Err(Error::InvalidName(new_name.to_string()));
        }
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        if c.name == new_name {
            return Err(Error::Conflict("Renaming a container with the same name as its current name".into()));
        }
        if let Some(other) = self.containers.name_taken(new_name) {
            return Err(Error::NameConflict { name: new_name.to_string(), id: other.id.to_string() });
        }
        let c = self.containers.find_mut(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        c.name = new_name.to_string();
        // The embedded DNS server answers to the new name from now on.
        let id = c.id.clone();
        for n in self.networks.iter_mut() {
            for ep in n.endpoints.iter_mut().filter(|e| e.container == id) {
                ep.name = new_name.to_string();
            }
        }
        self.refresh_dns();
        Ok(())
    }
}
