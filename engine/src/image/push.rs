//! `docker push`: a local image's layers, config and manifest go to the registry (see
//! [`super::registry`]), under the repository its name says (`moi/app:1.0` goes to Docker Hub's
//! `moi/app`). Layer by layer, from the top one down, as Docker reports them: a layer the
//! repository already holds is `Layer already exists`; one that another repository of the
//! registry holds (where it was pulled from, or pushed to before) is mounted from there
//! (`Mounted from library/alpine`) instead of uploaded; any other is `Pushed`. Then the manifest
//! names them all, and the tag points at it: `1.0: digest: sha256:... size: 527`.

use super::registry::{check_domain, Credentials, Registry, RegistryError};
use super::{Descriptor, Image, Manifest, Reference, CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE};
use crate::ids::Digest;
use crate::{Daemon, Error};
use std::rc::Rc;

/// What happened to one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerPush {
    /// The push stopped before this layer was sent (the last thing Docker showed for it).
    Preparing,
    AlreadyExists,
    /// Mounted from another repository of the registry (`library/alpine`).
    Mounted(String),
    Pushed,
}

/// Something to tell the user, in the order Docker prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushEvent {
    /// `The push refers to repository [docker.io/moi/app]`
    RefersTo(String),
    /// `<short layer id>: Pushed`
    Layer { id: String, status: LayerPush },
    /// `1.0: digest: sha256:... size: 527`
    Pushed { tag: String, digest: String, size: usize },
}

/// The local tags of repository `familiar` (`moi/app`), oldest image first.
fn local_tags(daemon: &Daemon, familiar: &str) -> Vec<String> {
    let mut tags: Vec<String> = daemon
        .images
        .list()
        .iter()
        .rev()
        .flat_map(|i| i.repo_tags.iter())
        .filter_map(|t| t.rsplit_once(':').filter(|(repo, _)| *repo == familiar).map(|(_, tag)| tag.to_string()))
        .collect();
    tags.sort();
    tags
}

impl Daemon {
    /// Pushes `reference` (all its local tags with `all_tags`), authenticated by `credentials`.
    pub fn push_image(
        &mut self,
        reference: &Reference,
        all_tags: bool,
        credentials: Option<&Credentials>,
        events: &mut Vec<PushEvent>,
    ) -> Result<(), Error> {
        events.push(PushEvent::RefersTo(format!("{}/{}", reference.domain, reference.path)));
        let familiar = reference.familiar_name();
        let local = local_tags(self, &familiar);
        if local.is_empty() {
            return Err(RegistryError::NoLocalImage(familiar).into());
        }
        check_domain(&reference.domain)?;
        let user = self.registry.authenticate(credentials)?;
        let tags = if all_tags { local } else { vec![reference.tag_or_latest().to_string()] };
        for tag in tags {
            let tagged = Reference { tag: Some(tag.clone()), digest: None, ..reference.clone() };
            let image = self
                .images
                .by_reference(&tagged)
                .cloned()
                .ok_or_else(|| RegistryError::NoSuchTag(format!("{familiar}:{tag}")))?;
            if !Registry::may_push(user.as_deref(), &reference.path) {
                for layer in image.layers.iter().rev() {
                    events.push(PushEvent::Layer { id: layer.short().to_string(), status: LayerPush::Preparing });
                }
                return Err(RegistryError::Denied.into());
            }
            let (digest, size) = self.push_tag(&image, &reference.path, &tag, events)?;
            let repo_digest = format!("{familiar}@{digest}");
            self.images.add_image(image, None, Some(repo_digest));
            events.push(PushEvent::Pushed { tag, digest, size });
        }
        Ok(())
    }

    /// Sends one image's layers, config and manifest to repository `path`, and tags it. Returns
    /// the manifest's digest and size.
    fn push_tag(
        &mut self,
        image: &Image,
        path: &str,
        tag: &str,
        events: &mut Vec<PushEvent>,
    ) -> Result<(String, usize), Error> {
        let mut layers = Vec::new();
        for layer in &image.layers {
            let bytes = self.images.layer(layer).ok_or_else(|| Error::NoSuchImage(layer.to_string()))?;
            layers.push(Descriptor {
                media_type: LAYER_MEDIA_TYPE.into(),
                size: bytes.len() as u64,
                digest: layer.to_string(),
            });
        }
        for layer in image.layers.iter().rev() {
            let status = self.push_layer(layer, path);
            events.push(PushEvent::Layer { id: layer.short().to_string(), status });
        }
        let config = serde_json::to_vec(&image.config).map_err(|e| Error::Conflict(e.to_string()))?;
        let config_digest = Digest::of(&config);
        self.registry.add_blob(config_digest.as_str(), Rc::from(config.as_slice()));
        let manifest = Manifest {
            schema_version: 2,
            media_type: MANIFEST_MEDIA_TYPE.into(),
            config: Descriptor {
                media_type: CONFIG_MEDIA_TYPE.into(),
                size: config.len() as u64,
                digest: config_digest.to_string(),
            },
            layers,
        };
        // Pretty-printed as the catalog's manifests are: an image pushed unchanged keeps its digest.
        let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Conflict(e.to_string()))?;
        let digest = Digest::of(&bytes).to_string();
        let size = bytes.len();
        self.registry.add_blob(&digest, Rc::from(bytes.as_slice()));
        self.registry.tag(path, tag, &digest);
        Ok((digest, size))
    }

    /// Sends one layer unless the repository has it or can mount it.
    fn push_layer(&mut self, layer: &Digest, path: &str) -> LayerPush {
        let status = if self.registry.has_layer(path, layer.as_str()) {
            LayerPush::AlreadyExists
        } else {
            // A catalog repository holds what was pulled from it; a pushed one, what it lists.
            let mountable = |repo: &String| {
                repo != path && (self.registry.repo(repo).is_none() || self.registry.has_layer(repo, layer.as_str()))
            };
            match self.images.layer_sources(layer).iter().find(|r| mountable(r)).cloned() {
                Some(from) => {
                    self.registry.add_layer(path, layer.as_str(), None);
                    LayerPush::Mounted(from)
                }
                None => {
                    self.registry.add_layer(path, layer.as_str(), self.images.layer(layer));
                    LayerPush::Pushed
                }
            }
        };
        self.images.add_layer_source(layer, path);
        status
    }
}
