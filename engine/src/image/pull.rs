//! `docker pull`: copying an image from the registry (the bundled catalog) into the local store.
//! The catalog's `index.json` maps a repository and tag to a manifest; the manifest names the
//! config and the layers. Layers the store already has are not fetched again ("Already exists"),
//! which is how images that share a base pull faster. Blobs arrive asynchronously in the browser,
//! so a pull is a state machine polled on every tick. Repositories pushed to the playground's
//! registry ([`super::Registry`]) are found there first, with their blobs; blobs they share with
//! the catalog come from the catalog.

use super::{CatalogIndex, Image, ImageConfig, ImageStore, Manifest, Reference, Registry};
use crate::ids::Digest;
use crate::platform::{BlobPoll, BlobSource};
use std::rc::Rc;

/// Something to tell the user, in the order Docker prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullEvent {
    /// `latest: Pulling from library/hello-world`
    PullingFrom { tag: String, path: String },
    /// `2db29710123e: Already exists`
    AlreadyExists(String),
    /// `2db29710123e: Pull complete`
    PullComplete(String),
    /// `Digest: sha256:...`
    Digest(String),
    /// `Status: Downloaded newer image for hello-world:latest` (or `Image is up to date`).
    Status { newer: bool, reference: String },
}

/// Why a pull failed, worded as the daemon words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PullError {
    #[error("pull access denied for {0}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied")]
    RepositoryNotFound(String),
    #[error("manifest for {0} not found: manifest unknown: manifest unknown")]
    TagNotFound(String),
    #[error("Get \"https://{0}/v2/\": dial tcp: lookup {0}: no such host")]
    UnknownRegistry(String),
    #[error("failed to fetch {path}: {reason}")]
    Fetch { path: String, reason: String },
    #[error("invalid {what} in the image catalog: {reason}")]
    Corrupt { what: String, reason: String },
}

// One `Pull` exists per pull in progress: the size of its largest stage does not matter.
#[allow(clippy::large_enum_variant)]
enum Stage {
    Index,
    Manifest {
        digest: String,
    },
    Config {
        manifest_digest: String,
        manifest: Manifest,
    },
    Layers {
        manifest_digest: String,
        manifest: Manifest,
        config: ImageConfig,
        config_digest: Digest,
        printed: usize,
        up_to_date: bool,
    },
    Done,
}

/// A pull in progress.
pub struct Pull {
    reference: Reference,
    stage: Stage,
}

fn blob_path(digest: &str) -> String {
    format!("blobs/{}", digest.replacen(':', "/", 1))
}

/// The registry as a pull sees it: pushed blobs first, then the catalog's.
struct Sources<'a> {
    registry: &'a Registry,
    catalog: &'a mut dyn BlobSource,
}

impl BlobSource for Sources<'_> {
    fn poll(&mut self, path: &str) -> BlobPoll {
        match self.registry.blob_at(path) {
            Some(bytes) => BlobPoll::Ready(bytes),
            None => self.catalog.poll(path),
        }
    }
}

/// Polls one blob; `Ok(None)` while it is still on its way.
fn fetch(blobs: &mut dyn BlobSource, path: &str) -> Result<Option<Rc<[u8]>>, PullError> {
    match blobs.poll(path) {
        BlobPoll::Ready(bytes) => Ok(Some(bytes)),
        BlobPoll::Pending => Ok(None),
        BlobPoll::Failed(reason) => Err(PullError::Fetch { path: path.to_string(), reason }),
    }
}

/// Fetches a blob and checks that its content matches its digest.
fn fetch_verified(blobs: &mut dyn BlobSource, digest: &str) -> Result<Option<Rc<[u8]>>, PullError> {
    let Some(bytes) = fetch(blobs, &blob_path(digest))? else {
        return Ok(None);
    };
    if Digest::of(&bytes).as_str() != digest {
        return Err(PullError::Corrupt { what: "blob".into(), reason: format!("digest mismatch for {digest}") });
    }
    Ok(Some(bytes))
}

fn parse_json<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, PullError> {
    serde_json::from_slice(bytes).map_err(|e| PullError::Corrupt { what: what.into(), reason: e.to_string() })
}

impl Pull {
    /// Starts pulling `reference` (a tag is implied as `latest`).
    pub fn new(reference: Reference) -> Self {
        Self { reference: reference.with_default_tag(), stage: Stage::Index }
    }

    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// Advances as far as the blobs that have arrived allow. Returns the new events, and the image
    /// ID once the image is in the store.
    pub fn poll(
        &mut self,
        catalog: &mut dyn BlobSource,
        registry: &Registry,
        store: &mut ImageStore,
        events: &mut Vec<PullEvent>,
    ) -> Result<Option<Digest>, PullError> {
        let blobs: &mut dyn BlobSource = &mut Sources { registry, catalog };
        loop {
            match &mut self.stage {
                Stage::Index => {
                    if self.reference.domain != super::reference::DEFAULT_DOMAIN {
                        return Err(PullError::UnknownRegistry(self.reference.domain.clone()));
                    }
                    let name = self.reference.familiar_name();
                    let tags = match registry.repo(&self.reference.path) {
                        Some(pushed) => pushed.tags.clone(),
                        None => {
                            let Some(bytes) = fetch(blobs, "index.json")? else {
                                return Ok(None);
                            };
                            let index: CatalogIndex = parse_json("index", &bytes)?;
                            let repo = index
                                .repositories
                                .get(&self.reference.path)
                                .ok_or_else(|| PullError::RepositoryNotFound(name.clone()))?;
                            repo.tags.clone()
                        }
                    };
                    let tag = self.reference.tag_or_latest().to_string();
                    let digest = match &self.reference.digest {
                        Some(d) if tags.values().any(|v| v == d) => d.clone(),
                        Some(d) => return Err(PullError::TagNotFound(format!("{name}@{d}"))),
                        None => tags.get(&tag).cloned().ok_or(PullError::TagNotFound(format!("{name}:{tag}")))?,
                    };
                    let shown_tag = self.reference.digest.clone().unwrap_or(tag);
                    events.push(PullEvent::PullingFrom { tag: shown_tag, path: self.reference.path.clone() });
                    self.stage = Stage::Manifest { digest };
                }
                Stage::Manifest { digest } => {
                    let Some(bytes) = fetch_verified(blobs, digest)? else {
                        return Ok(None);
                    };
                    let manifest: Manifest = parse_json("manifest", &bytes)?;
                    self.stage = Stage::Config { manifest_digest: digest.clone(), manifest };
                }
                Stage::Config { manifest_digest, manifest } => {
                    let Some(bytes) = fetch_verified(blobs, &manifest.config.digest)? else {
                        return Ok(None);
                    };
                    let config: ImageConfig = parse_json("image config", &bytes)?;
                    let config_digest = Digest::of(&bytes);
                    let wanted = self.reference.to_string();
                    let up_to_date = store.get(&config_digest).is_some_and(|i| i.repo_tags.contains(&wanted));
                    // Ask for every missing layer at once, so the browser fetches them in parallel.
                    for layer in &manifest.layers {
                        if Digest::parse(&layer.digest).is_none_or(|d| !store.has_layer(&d)) {
                            fetch_verified(blobs, &layer.digest)?;
                        }
                    }
                    self.stage = Stage::Layers {
                        manifest_digest: std::mem::take(manifest_digest),
                        manifest: manifest.clone(),
                        config,
                        config_digest,
                        printed: 0,
                        up_to_date,
                    };
                }
                Stage::Layers { manifest_digest, manifest, config, config_digest, printed, up_to_date } => {
                    while !*up_to_date && *printed < manifest.layers.len() {
                        let desc = &manifest.layers[*printed];
                        let digest = Digest::parse(&desc.digest).ok_or_else(|| PullError::Corrupt {
                            what: "manifest".into(),
                            reason: format!("bad digest {}", desc.digest),
                        })?;
                        let short = digest.short().to_string();
                        store.add_layer_source(&digest, &self.reference.path);
                        if store.has_layer(&digest) {
                            events.push(PullEvent::AlreadyExists(short));
                        } else {
                            let Some(bytes) = fetch_verified(blobs, &desc.digest)? else {
                                return Ok(None);
                            };
                            store.add_layer(digest, bytes);
                            events.push(PullEvent::PullComplete(short));
                        }
                        *printed += 1;
                    }
                    let layers: Vec<Digest> = manifest.layers.iter().filter_map(|l| Digest::parse(&l.digest)).collect();
                    let size = layers.iter().map(|l| store.layer_size(l)).sum();
                    let newer = !*up_to_date;
                    let familiar = self.reference.familiar_name();
                    let image = Image {
                        id: config_digest.clone(),
                        created_ms: crate::units::parse_rfc3339(&config.created).unwrap_or(0),
                        config: config.clone(),
                        layers,
                        repo_tags: Vec::new(),
                        repo_digests: Vec::new(),
                        size,
                    };
                    let tag = self.reference.tag.as_ref().map(|t| format!("{familiar}:{t}"));
                    store.add_image(image, tag, Some(format!("{familiar}@{manifest_digest}")));
                    events.push(PullEvent::Digest(manifest_digest.clone()));
                    events.push(PullEvent::Status { newer, reference: self.reference.to_string() });
                    let id = config_digest.clone();
                    self.stage = Stage::Done;
                    return Ok(Some(id));
                }
                Stage::Done => return Ok(None),
            }
        }
    }
}
