//! `docker tag` and `docker rmi`: names are pointers to images. Removing a name only untags when
//! other names remain; the image itself (its config and the layers no other image uses) is deleted
//! with its last name. An image a container was created from cannot be deleted without `-f`.
//! Layers are reported by their chain ID, as Docker does: the digest that names a layer together
//! with every layer below it.

use super::{Image, Reference};
use crate::ids::Digest;
use crate::{Daemon, Error};

/// What `docker rmi` did, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveEvent {
    Untagged(String),
    Deleted(String),
}

/// The chain IDs of an image's layers, bottom first.
pub fn chain_ids(diff_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(prev) => Digest::of(format!("{prev} {d}").as_bytes()).to_string(),
        };
        out.push(next);
    }
    out
}

impl Daemon {
    /// Finds a local image by name or ID; the error names it as Docker does (`nosuch:latest`).
    pub fn find_image(&self, name: &str) -> Result<&Image, Error> {
        self.images.resolve(name).ok_or_else(|| {
            let is_id = crate::ids::is_hex_prefix(name.strip_prefix("sha256:").unwrap_or(name));
            let shown = match Reference::parse(name) {
                Ok(r) if !is_id => r.with_default_tag().to_string(),
                _ => name.to_string(),
            };
            Error::NoSuchImage(shown)
        })
    }

    /// Points `target` (a reference) at the image `source` names.
    pub fn tag_image(&mut self, source: &str, target: &str) -> Result<(), Error> {
        let image = self.find_image(source)?.clone();
        let target = Reference::parse(target)?.with_default_tag();
        if target.digest.is_some() {
            return Err(Error::Conflict("refusing to create a tag with a digest reference".into()));
        }
        self.images.add_image(image, Some(target.to_string()), None);
        Ok(())
    }

    /// Removes a name or an image, as `docker rmi [-f] NAME` does.
    pub fn remove_image(&mut self, name: &str, force: bool) -> Result<Vec<RemoveEvent>, Error> {
        let image = self.find_image(name)?.clone();
        let by_tag = Reference::parse(name)
            .ok()
            .map(|r| r.with_default_tag().to_string())
            .filter(|t| image.repo_tags.contains(t));
        let user = self
            .containers
            .newest_first()
            .find(|c| c.image_id == image.id)
            .map(|c| (c.id.short().to_string(), c.state.is_running()));
        let mut events = Vec::new();
        match &by_tag {
            // Other names remain: only this one goes.
            Some(tag) if image.repo_tags.len() > 1 => {
                self.images.untag(&image.id, tag);
                return Ok(vec![RemoveEvent::Untagged(tag.clone())]);
            }
            None if image.repo_tags.len() > 1 && !force => {
                return Err(Error::Conflict(format!(
                    "conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
                    image.id.short()
                )));
            }
            _ => {}
        }
        if let Some((container, running)) = user {
            if running && force {
                return Err(Error::Conflict(format!(
                    "conflict: unable to delete {} (cannot be forced) - image is being used by running container {container}",
                    image.id.short()
                )));
            }
            if !force {
                let what = match &by_tag {
                    Some(_) => {
                        format!("unable to remove repository reference \"{name}\" (must force)")
                    }
                    None => format!("unable to delete {} (must be forced)", image.id.short()),
                };
                return Err(Error::Conflict(format!(
                    "conflict: {what} - container {container} is using its referenced image {}",
                    image.id.short()
                )));
            }
            // Forced while a stopped container uses it: the names go, the image stays (dangling).
            for tag in image.repo_tags.clone() {
                self.images.untag(&image.id, &tag);
                events.push(RemoveEvent::Untagged(tag));
            }
            return Ok(events);
        }
        for tag in &image.repo_tags {
            events.push(RemoveEvent::Untagged(tag.clone()));
        }
        for digest in &image.repo_digests {
            events.push(RemoveEvent::Untagged(digest.clone()));
        }
        events.extend(self.delete_image(&image).into_iter().map(RemoveEvent::Deleted));
        Ok(events)
    }

    /// Deletes an image and the layers no other image uses; returns the deleted IDs.
    pub(crate) fn delete_image(&mut self, image: &Image) -> Vec<String> {
        self.images.remove(&image.id);
        let mut deleted = vec![image.id.to_string()];
        let chains = chain_ids(&image.config.rootfs.diff_ids);
        for (layer, chain) in image.layers.iter().zip(chains).rev() {
            if !self.images.layer_in_use(layer) {
                self.images.remove_layer(layer);
                deleted.push(chain);
            }
        }
        deleted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_ids_fold_the_layers_below() {
        let d = ["sha256:a".to_string(), "sha256:b".to_string()];
        let chains = chain_ids(&d);
        assert_eq!(chains[0], "sha256:a");
        assert_eq!(chains[1], Digest::of(b"sha256:a sha256:b").to_string());
    }
}
