//! The snapshot's envelope: a state archive and the layer blobs it refers to.
//!
//! The state is a tar archive whose first entry is `manifest.json` (the format's name, its
//! version, when it was made, the sections it holds); each section then has entries of its own
//! under its name (`images/index.json`, `containers/<n>/layer.tar`...). JSON holds metadata, tar
//! archives hold file trees. Layer blobs are kept apart, by digest, so a storage can write each
//! one once (the page's IndexedDB keeps them as records of their own) rather than with every save.
//!
//! The portable form ([`Snapshot::to_bytes`], what `--state FILE` writes and what the page offers
//! to download) is one flat tar: the state's entries, then `blobs/sha256/<hex>` as in an OCI
//! image layout.

use super::SnapshotError;
use crate::ids::Digest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::rc::Rc;

/// The `format` field of every snapshot's manifest.
pub const FORMAT: &str = "docker-dans-le-navigateur/snapshot";

/// Where layer blobs go in the portable form.
const BLOBS: &str = "blobs/sha256/";

/// The manifest: what the snapshot is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// When it was made (RFC 3339).
    pub created: String,
    /// The engine version that made it (for the curious; migrations go by `version`).
    #[serde(default)]
    pub engine: String,
    /// The sections it holds, in the order they are restored.
    #[serde(default)]
    pub sections: Vec<String>,
}

/// A saved state: the state archive and the layer blobs it needs.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    state: Vec<u8>,
    blobs: BTreeMap<Digest, Rc<[u8]>>,
}

/// The entries of a tar archive, by name. Directories are skipped.
pub(crate) fn read_entries(archive: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, std::io::Error> {
    let mut out = BTreeMap::new();
    let mut tar = tar::Archive::new(archive);
    for entry in tar.entries()? {
        let mut entry = entry?;
        if entry.header().entry_type().is_dir() {
            continue;
        }
        let name = entry.path()?.to_string_lossy().trim_start_matches("./").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        out.insert(name, data);
    }
    Ok(out)
}

fn append(builder: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_mode(0o644);
    header.set_size(data.len() as u64);
    builder.append_data(&mut header, name, data)
}

/// Builds a state archive: `manifest.json` first, then the entries by name.
pub(crate) fn write_state(manifest: &Manifest, entries: &BTreeMap<String, Vec<u8>>) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    let json = serde_json::to_vec_pretty(manifest).map_err(std::io::Error::other)?;
    append(&mut builder, "manifest.json", &json)?;
    for (name, data) in entries {
        append(&mut builder, name, data)?;
    }
    builder.into_inner()
}

impl Snapshot {
    /// A snapshot from its two parts as a storage keeps them. Nothing is checked here: a damaged
    /// state is found when it is restored, and its bytes stay available to download.
    pub fn from_parts(state: Vec<u8>, blobs: impl IntoIterator<Item = (Digest, Rc<[u8]>)>) -> Self {
        Self { state, blobs: blobs.into_iter().collect() }
    }

    /// The state archive (manifest and sections, without the layer blobs).
    pub fn state(&self) -> &[u8] {
        &self.state
    }

    /// The layer blobs, by digest.
    pub fn blobs(&self) -> &BTreeMap<Digest, Rc<[u8]>> {
        &self.blobs
    }

    /// Bytes in all: state and blobs.
    pub fn size(&self) -> usize {
        self.state.len() + self.blobs.values().map(|b| b.len()).sum::<usize>()
    }

    /// Reads the manifest, checking that this is a snapshot at all.
    pub fn manifest(&self) -> Result<Manifest, SnapshotError> {
        let entries = read_entries(&self.state).map_err(|_| SnapshotError::NotASnapshot)?;
        let bytes = entries.get("manifest.json").ok_or(SnapshotError::NotASnapshot)?;
        let manifest: Manifest = serde_json::from_slice(bytes).map_err(|_| SnapshotError::NotASnapshot)?;
        if manifest.format != FORMAT {
            return Err(SnapshotError::NotASnapshot);
        }
        Ok(manifest)
    }

    /// The portable form: one flat tar (the state's entries, then `blobs/sha256/<hex>`). A
    /// state that is not a readable archive is kept whole as `state.tar`, so nothing is lost.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Writing into a Vec cannot fail; the tar crate only refuses odd names, and ours are not.
        let write = || -> std::io::Result<Vec<u8>> {
            let mut builder = tar::Builder::new(Vec::new());
            match read_entries(&self.state) {
                Ok(mut entries) => {
                    // The manifest first, so `tar tf` shows what the file is at once.
                    if let Some(manifest) = entries.remove("manifest.json") {
                        append(&mut builder, "manifest.json", &manifest)?;
                    }
                    for (name, data) in &entries {
                        append(&mut builder, name, data)?;
                    }
                }
                Err(_) => append(&mut builder, "state.tar", &self.state)?,
            }
            for (digest, data) in &self.blobs {
                append(&mut builder, &format!("{BLOBS}{}", digest.hex()), data)?;
            }
            builder.into_inner()
        };
        write().unwrap_or_else(|_| self.state.clone())
    }

    /// Reads the portable form back.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SnapshotError> {
        let entries = read_entries(bytes).map_err(|_| SnapshotError::NotASnapshot)?;
        let mut state = BTreeMap::new();
        let mut blobs = BTreeMap::new();
        let mut manifest = None;
        for (name, data) in entries {
            if let Some(hex) = name.strip_prefix(BLOBS) {
                let digest = Digest::parse(&format!("sha256:{hex}"))
                    .ok_or_else(|| SnapshotError::Corrupt(format!("{name}: not a sha256 digest")))?;
                blobs.insert(digest, Rc::from(data));
            } else if name == "manifest.json" {
                manifest = Some(serde_json::from_slice::<Manifest>(&data).map_err(|_| SnapshotError::NotASnapshot)?);
            } else {
                state.insert(name, data);
            }
        }
        let manifest = manifest.ok_or(SnapshotError::NotASnapshot)?;
        let state = write_state(&manifest, &state).map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
        Ok(Self { state, blobs })
    }
}
