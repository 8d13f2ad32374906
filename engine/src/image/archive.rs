//! `docker save` / `docker load`: images as a tar archive, in the layout Docker 25+ writes. It
//! is both a docker-archive (`manifest.json` naming each image's config, tags and layers) and an
//! OCI image layout (`oci-layout`, `index.json`, manifests), with every blob under
//! `blobs/sha256/`. `load` reads the docker-archive part, so it also takes archives made by a
//! real Docker.

use super::{content_size, Image, ImageConfig, ImageStore, Reference};
use crate::ids::Digest;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Read;

/// One image in `manifest.json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ArchiveManifest {
    config: String,
    #[serde(default)]
    repo_tags: Vec<String>,
    layers: Vec<String>,
}

/// Why an archive could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("invalid tar header")]
    Tar(#[from] std::io::Error),
    #[error("open manifest.json: no such file or directory")]
    NoManifest,
    #[error("invalid manifest.json: {0}")]
    Manifest(String),
    #[error("{0}: no such file in the archive")]
    Missing(String),
    #[error("invalid image config: {0}")]
    Config(String),
}

fn blob_name(digest: &Digest) -> String {
    format!("blobs/sha256/{}", digest.hex())
}

fn append(builder: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8], mtime: u64) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(mtime);
    header.set_entry_type(tar::EntryType::Regular);
    builder.append_data(&mut header, path, data)
}

/// Writes `images` (each with the tags to record) as one archive.
pub fn save(store: &ImageStore, images: &[(&Image, Vec<String>)], mtime: u64) -> Result<Vec<u8>, ArchiveError> {
    let mut blobs: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut manifests = Vec::new();
    let mut index = Vec::new();
    for (image, tags) in images {
        let config = serde_json::to_vec(&image.config).map_err(|e| ArchiveError::Config(e.to_string()))?;
        let config_digest = Digest::of(&config);
        let mut layer_names = Vec::new();
        let mut layer_descs = Vec::new();
        for layer in &image.layers {
            let bytes = store.layer(layer).ok_or_else(|| ArchiveError::Missing(layer.to_string()))?;
            layer_names.push(blob_name(layer));
            layer_descs.push(json!({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer.as_str(), "size": bytes.len()}));
            blobs.insert(blob_name(layer), bytes.to_vec());
        }
        let oci_manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest.as_str(), "size": config.len()},
            "layers": layer_descs,
        }))
        .map_err(|e| ArchiveError::Manifest(e.to_string()))?;
        let manifest_digest = Digest::of(&oci_manifest);
        index.push(json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest.as_str(),
            "size": oci_manifest.len(),
            "annotations": tags.first().map(|t| json!({"io.containerd.image.name": t, "org.opencontainers.image.ref.name": t.rsplit_once(':').map(|(_, tag)| tag).unwrap_or("latest")})),
        }));
        blobs.insert(blob_name(&config_digest), config);
        blobs.insert(blob_name(&manifest_digest), oci_manifest);
        manifests.push(ArchiveManifest {
            config: blob_name(&config_digest),
            repo_tags: tags.clone(),
            layers: layer_names,
        });
    }
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in &blobs {
        append(&mut builder, name, data, mtime)?;
    }
    let index = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": index});
    append(&mut builder, "index.json", index.to_string().as_bytes(), mtime)?;
    let manifest = serde_json::to_vec(&manifests).map_err(|e| ArchiveError::Manifest(e.to_string()))?;
    append(&mut builder, "manifest.json", &manifest, mtime)?;
    append(&mut builder, "oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#, mtime)?;
    Ok(builder.into_inner()?)
}

/// Reads an archive into the store. Returns, per image, its ID and the tags it got.
pub fn load(store: &mut ImageStore, archive: &[u8]) -> Result<Vec<(Digest, Vec<String>)>, ArchiveError> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut tar = tar::Archive::new(archive);
    for entry in tar.entries()? {
        let mut entry = entry?;
        if entry.header().entry_type().is_dir() {
            continue;
        }
        let name = entry.path()?.to_string_lossy().trim_start_matches("./").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        files.insert(name, data);
    }
    let manifest = files.get("manifest.json").ok_or(ArchiveError::NoManifest)?;
    let manifests: Vec<ArchiveManifest> =
        serde_json::from_slice(manifest).map_err(|e| ArchiveError::Manifest(e.to_string()))?;
    let mut loaded = Vec::new();
    for m in manifests {
        let config_bytes = files.get(&m.config).ok_or_else(|| ArchiveError::Missing(m.config.clone()))?;
        let config: ImageConfig =
            serde_json::from_slice(config_bytes).map_err(|e| ArchiveError::Config(e.to_string()))?;
        let mut layers = Vec::new();
        let mut size = 0;
        for name in &m.layers {
            let bytes = files.get(name).ok_or_else(|| ArchiveError::Missing(name.clone()))?;
            let digest = Digest::of(bytes);
            size += content_size(bytes);
            store.add_layer(digest.clone(), bytes.clone().into());
            layers.push(digest);
        }
        let id = Digest::of(config_bytes);
        let created_ms = crate::units::parse_rfc3339(&config.created).unwrap_or(0);
        let image =
            Image { id: id.clone(), config, layers, repo_tags: Vec::new(), repo_digests: Vec::new(), size, created_ms };
        let mut tags = Vec::new();
        store.add_image(image.clone(), None, None);
        for tag in &m.repo_tags {
            if let Ok(r) = Reference::parse(tag) {
                let tag = r.with_default_tag().to_string();
                store.add_image(image.clone(), Some(tag.clone()), None);
                tags.push(tag);
            }
        }
        loaded.push((id, tags));
    }
    Ok(loaded)
}
