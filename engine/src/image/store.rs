//! The daemon's local image store (`docker images`): image configs by ID, the tags that name them,
//! and the layer blobs they share. Two images that use the same layer store it once.

use super::{ImageConfig, Reference};
use crate::ids::Digest;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// A local image.
#[derive(Debug, Clone)]
pub struct Image {
    /// The digest of the config blob: the image ID.
    pub id: Digest,
    pub config: ImageConfig,
    /// Layer blob digests, bottom first.
    pub layers: Vec<Digest>,
    /// `name:tag` strings pointing at this image, in the order they were added.
    pub repo_tags: Vec<String>,
    /// `name@sha256:...` of the manifest it was pulled with.
    pub repo_digests: Vec<String>,
    /// Bytes of its layers (what `docker images` shows as SIZE).
    pub size: u64,
    /// Creation time, milliseconds since the epoch (from the config's `created`).
    pub created_ms: u64,
}

/// All local images and layers.
#[derive(Debug, Default)]
pub struct ImageStore {
    images: BTreeMap<Digest, Image>,
    layers: HashMap<Digest, Rc<[u8]>>,
    /// The registry repositories each layer was pulled from or pushed to (Docker's
    /// distribution metadata): a push mounts a layer from one of them instead of uploading it.
    sources: HashMap<Digest, Vec<String>>,
}

impl ImageStore {
    pub fn has_layer(&self, digest: &Digest) -> bool {
        self.layers.contains_key(digest)
    }

    /// A layer's content size (see [`super::content_size`]); 0 if the layer is unknown.
    pub fn layer_size(&self, digest: &Digest) -> u64 {
        self.layers.get(digest).map(|b| super::content_size(b)).unwrap_or(0)
    }

    pub fn layer(&self, digest: &Digest) -> Option<Rc<[u8]>> {
        self.layers.get(digest).cloned()
    }

    pub fn add_layer(&mut self, digest: Digest, bytes: Rc<[u8]>) {
        self.layers.insert(digest, bytes);
    }

    /// Remembers that registry repository `repo` (`library/alpine`) holds `layer`.
    pub fn add_layer_source(&mut self, layer: &Digest, repo: &str) {
        let repos = self.sources.entry(layer.clone()).or_default();
        if !repos.iter().any(|r| r == repo) {
            repos.push(repo.to_string());
        }
    }

    /// The registry repositories known to hold `layer`, oldest first.
    pub fn layer_sources(&self, layer: &Digest) -> &[String] {
        self.sources.get(layer).map_or(&[], Vec::as_slice)
    }

    /// Adds (or updates) an image and points `tag` at it, taking the tag from any other image.
    pub fn add_image(&mut self, mut image: Image, tag: Option<String>, repo_digest: Option<String>) {
        if let Some(existing) = self.images.get(&image.id) {
            image.repo_tags = existing.repo_tags.clone();
            image.repo_digests = existing.repo_digests.clone();
        }
        if let Some(tag) = tag {
            for other in self.images.values_mut() {
                other.repo_tags.retain(|t| *t != tag);
            }
            if !image.repo_tags.contains(&tag) {
                image.repo_tags.push(tag);
            }
        }
        if let Some(d) = repo_digest {
            if !image.repo_digests.contains(&d) {
                image.repo_digests.push(d);
            }
        }
        self.images.insert(image.id.clone(), image);
    }

    /// The image a tag points at (`nginx`, `nginx:latest`, `docker.io/library/nginx:latest`).
    pub fn by_reference(&self, reference: &Reference) -> Option<&Image> {
        let wanted = reference.clone().with_default_tag().to_string();
        self.images.values().find(|i| i.repo_tags.contains(&wanted))
    }

    /// Resolves what a user typed: a tag, a full `sha256:` ID, or a unique ID prefix.
    pub fn resolve(&self, name: &str) -> Option<&Image> {
        if let Ok(reference) = Reference::parse(name) {
            if let Some(image) = self.by_reference(&reference) {
                return Some(image);
            }
        }
        let hex = name.strip_prefix("sha256:").unwrap_or(name);
        if crate::ids::is_hex_prefix(hex) {
            let mut matches = self.images.values().filter(|i| i.id.hex().starts_with(hex));
            if let (Some(one), None) = (matches.next(), matches.next()) {
                return Some(one);
            }
        }
        None
    }

    /// Takes one name off an image.
    pub fn untag(&mut self, id: &Digest, tag: &str) {
        if let Some(image) = self.images.get_mut(id) {
            image.repo_tags.retain(|t| t != tag);
            let repo = tag.rsplit_once(':').map(|(r, _)| r).unwrap_or(tag);
            if !image.repo_tags.iter().any(|t| t.starts_with(&format!("{repo}:"))) {
                image.repo_digests.retain(|d| !d.starts_with(&format!("{repo}@")));
            }
        }
    }

    pub fn remove(&mut self, id: &Digest) -> Option<Image> {
        self.images.remove(id)
    }

    /// True if some image still lists this layer.
    pub fn layer_in_use(&self, layer: &Digest) -> bool {
        self.images.values().any(|i| i.layers.contains(layer))
    }

    pub fn remove_layer(&mut self, layer: &Digest) {
        self.layers.remove(layer);
    }

    pub fn get(&self, id: &Digest) -> Option<&Image> {
        self.images.get(id)
    }

    /// All images, newest first (the order of `docker images`).
    pub fn list(&self) -> Vec<&Image> {
        let mut all: Vec<&Image> = self.images.values().collect();
        all.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then_with(|| a.id.cmp(&b.id)));
        all
    }
}
