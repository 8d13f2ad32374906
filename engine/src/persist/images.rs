//! The `images` section: every local image (its config, layers, names), the build cache, and the
//! layer blobs both refer to, each stored once by digest. Pulled images are kept whole, so they
//! survive a reload without the network, as `docker images` does after a daemon restart.
//!
//! An image's ID is recorded, not recomputed: it is the digest of the config blob it came with,
//! which need not be the bytes the engine would write for it (an image `docker load` read from a
//! real Docker carries fields the engine does not know).

use super::{Parts, SnapshotError};
use crate::ids::Digest;
use crate::image::{Image, ImageConfig};
use crate::Daemon;
use serde::{Deserialize, Serialize};

const INDEX: &str = "images/index.json";

#[derive(Debug, Serialize, Deserialize)]
struct ImageRecord {
    id: String,
    config: ImageConfig,
    layers: Vec<String>,
    #[serde(default)]
    repo_tags: Vec<String>,
    #[serde(default)]
    repo_digests: Vec<String>,
    size: u64,
    created_ms: u64,
}

/// A step of `docker build`'s cache: its key and the state it reached.
#[derive(Debug, Serialize, Deserialize)]
struct CacheRecord {
    key: String,
    config: ImageConfig,
    layers: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ImagesSection {
    images: Vec<ImageRecord>,
    #[serde(default)]
    build_cache: Vec<CacheRecord>,
}

pub(super) fn save(daemon: &Daemon, out: &mut Parts) -> Result<(), SnapshotError> {
    let mut section = ImagesSection::default();
    let keep = |layer: &Digest, out: &mut Parts| match daemon.images.layer(layer) {
        Some(bytes) => {
            out.blobs.insert(layer.clone(), bytes);
            true
        }
        None => false,
    };
    for image in daemon.images.list().into_iter().rev() {
        for layer in &image.layers {
            if !keep(layer, out) {
                return Err(SnapshotError::Write(format!("image {}: layer {layer} is missing", image.id)));
            }
        }
        section.images.push(ImageRecord {
            id: image.id.to_string(),
            config: image.config.clone(),
            layers: image.layers.iter().map(Digest::to_string).collect(),
            repo_tags: image.repo_tags.clone(),
            repo_digests: image.repo_digests.clone(),
            size: image.size,
            created_ms: image.created_ms,
        });
    }
    let mut cache: Vec<_> = daemon.build_cache.steps().collect();
    cache.sort_by(|a, b| a.0.cmp(b.0));
    for (key, (config, layers)) in cache {
        // A step whose layers are gone (its image was removed) cannot be reused: leave it out.
        if layers.iter().all(|l| daemon.images.has_layer(l)) {
            layers.iter().for_each(|l| {
                keep(l, out);
            });
            let layers = layers.iter().map(Digest::to_string).collect();
            section.build_cache.push(CacheRecord { key: key.clone(), config: config.clone(), layers });
        }
    }
    out.put_json(INDEX, &section)
}

/// The digests of `layers`, each of which must be among the snapshot's blobs.
fn layers_of(parts: &Parts, what: &str, layers: &[String]) -> Result<Vec<Digest>, SnapshotError> {
    layers
        .iter()
        .map(|l| {
            let digest =
                Digest::parse(l).ok_or_else(|| SnapshotError::Corrupt(format!("{what}: invalid layer {l}")))?;
            if !parts.blobs.contains_key(&digest) {
                return Err(SnapshotError::Corrupt(format!("{what}: layer {l} is missing")));
            }
            Ok(digest)
        })
        .collect()
}

pub(super) fn load(parts: &Parts, daemon: &mut Daemon) -> Result<(), SnapshotError> {
    let section: ImagesSection = parts.json(INDEX)?;
    for (digest, bytes) in &parts.blobs {
        if &Digest::of(bytes) != digest {
            return Err(SnapshotError::Corrupt(format!("layer {digest}: its content does not match its digest")));
        }
    }
    for record in section.images {
        let what = format!("image {}", record.id);
        let id = Digest::parse(&record.id).ok_or_else(|| SnapshotError::Corrupt(format!("{what}: invalid ID")))?;
        let layers = layers_of(parts, &what, &record.layers)?;
        for layer in &layers {
            if let Some(bytes) = parts.blobs.get(layer) {
                daemon.images.add_layer(layer.clone(), bytes.clone());
            }
        }
        let image = Image {
            id,
            config: record.config,
            layers,
            repo_tags: record.repo_tags,
            repo_digests: record.repo_digests,
            size: record.size,
            created_ms: record.created_ms,
        };
        daemon.images.add_image(image, None, None);
    }
    for step in section.build_cache {
        let layers = layers_of(parts, "build cache", &step.layers)?;
        for layer in &layers {
            if let Some(bytes) = parts.blobs.get(layer) {
                daemon.images.add_layer(layer.clone(), bytes.clone());
            }
        }
        daemon.build_cache.put(step.key, step.config, layers);
    }
    Ok(())
}
