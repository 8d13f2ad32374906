//! Turns recipes into catalog files: one deterministic tar per layer, an image config whose
//! `rootfs.diff_ids` list those layers, a manifest pointing at both, and the index.

use crate::recipes::{FileSource, Item, Recipe};
use engine::host::{HostProgram, HostPrograms, HOST_INDEX};
use engine::ids::Digest;
use engine::image::{
    build_layer, CatalogIndex, Descriptor, HistoryEntry, ImageConfig, LayerEntry, Manifest, RepoEntry, RootFs,
    CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE,
};
use engine::network::mirror::{self, MirrorFile, MirrorIndex};
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::Path;

/// Why the catalog could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("guest program {name} not found at {path} (build the guests first: cargo xtask images)")]
    MissingGuest { name: String, path: String },
    #[error("i/o error on {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("listing the userland's applets: {0}")]
    Applets(String),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("guest program {name}: {reason}")]
    Stamp { name: String, reason: String },
}

/// The catalog's files, by path relative to its root.
#[derive(Debug, Default)]
pub struct Catalog {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Layers already built, by what made them and what they hold: an image built on
    /// `alpine` shares its base layer blob (`docker pull` then says `Already exists`).
    built: BTreeMap<String, (Digest, u64)>,
    /// What was left out and why (a package whose program is not built).
    pub warnings: Vec<String>,
}

impl Catalog {
    fn add_blob(&mut self, bytes: Vec<u8>) -> Digest {
        let digest = Digest::of(&bytes);
        self.files.insert(format!("blobs/sha256/{}", digest.hex()), bytes);
        digest
    }

    /// Writes every file under `dir`.
    pub fn write_to(&self, dir: &Path) -> Result<(), CatalogError> {
        for (path, bytes) in &self.files {
            let full = dir.join(path);
            let io = |source| CatalogError::Io { path: full.display().to_string(), source };
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::write(&full, bytes).map_err(io)?;
        }
        Ok(())
    }
}

/// Seconds since the epoch of an RFC 3339 time (layer file mtimes).
fn epoch_secs(created: &str) -> u64 {
    engine::units::parse_rfc3339(created).unwrap_or(0) / 1000
}

/// Reads a compiled guest program.
fn guest(guests: &Path, name: &str) -> Result<Vec<u8>, CatalogError> {
    let file = guests.join(format!("{name}.wasm"));
    std::fs::read(&file)
        .map_err(|_| CatalogError::MissingGuest { name: name.to_string(), path: file.display().to_string() })
}

/// The compiled guest programs, and the applets of the userland (asked once).
struct Guests<'a> {
    dir: &'a Path,
    applets: OnceCell<Result<Vec<String>, String>>,
}

impl Guests<'_> {
    fn applets(&self) -> Result<&[String], CatalogError> {
        let list = self.applets.get_or_init(|| {
            let busybox = guest(self.dir, "busybox").map_err(|e| e.to_string())?;
            crate::applets::list(&busybox)
        });
        list.as_deref().map_err(|e| CatalogError::Applets(e.clone()))
    }
}

impl crate::packages::Sources for Guests<'_> {
    fn guest(&self, name: &str) -> Option<Vec<u8>> {
        guest(self.dir, name).ok()
    }
    fn has_applet(&self, name: &str) -> bool {
        self.applets().is_ok_and(|a| a.iter().any(|n| n == name))
    }
}

fn layer_entries(items: &[Item], guests: &Guests) -> Result<Vec<LayerEntry>, CatalogError> {
    let mut entries = Vec::new();
    for item in items {
        match item {
            Item::Dir { path, mode } => entries.push(LayerEntry::Dir { path: path.to_string(), mode: *mode }),
            Item::Link { path, target } => {
                entries.push(LayerEntry::Symlink { path: path.to_string(), target: target.to_string() })
            }
            Item::File { path, mode, source } => {
                let data = match source {
                    FileSource::Text(t) => t.as_bytes().to_vec(),
                    FileSource::Guest(name) => guest(guests.dir, name)?,
                    FileSource::Stamped { guest: name, stamps } => stamped(guest(guests.dir, name)?, name, stamps)?,
                };
                entries.push(LayerEntry::File { path: path.to_string(), mode: *mode, data });
            }
            Item::Applets { usr_bin, sbin, exclude } => {
                for name in
                    guests.applets()?.iter().filter(|n| n.as_str() != "busybox" && !exclude.contains(&n.as_str()))
                {
                    let (path, target) = if usr_bin.contains(&name.as_str()) {
                        (format!("usr/bin/{name}"), "/bin/busybox")
                    } else if sbin.contains(&name.as_str()) {
                        (format!("sbin/{name}"), "/bin/busybox")
                    } else {
                        (format!("bin/{name}"), "busybox")
                    };
                    entries.push(LayerEntry::Symlink { path, target: target.to_string() });
                }
            }
            Item::PackageDb(distro) => {
                let db = crate::packages::package_db(*distro, &entries);
                for entry in db {
                    // Folders the layer already has stay as they are.
                    let exists = matches!(&entry, LayerEntry::Dir { path, .. }
                        if entries.iter().any(|e| matches!(e, LayerEntry::Dir { path: p, .. } if p == path)));
                    if !exists {
                        entries.push(entry);
                    }
                }
            }
        }
    }
    Ok(entries)
}

fn build_recipe(recipe: &Recipe, guests: &Guests, catalog: &mut Catalog) -> Result<String, CatalogError> {
    let mtime = epoch_secs(recipe.created);
    let mut layers = Vec::new();
    let mut diff_ids = Vec::new();
    let mut history = Vec::new();
    for layer in &recipe.layers {
        let key = format!("{}\n{:?}", layer.created_by, layer.items);
        let (digest, size) = match catalog.built.get(&key) {
            Some(built) => built.clone(),
            None => {
                let tar = build_layer(&layer_entries(&layer.items, guests)?, mtime)
                    .map_err(|source| CatalogError::Io { path: recipe.repository.into(), source })?;
                let size = tar.len() as u64;
                let built = (catalog.add_blob(tar), size);
                catalog.built.insert(key, built.clone());
                built
            }
        };
        diff_ids.push(digest.to_string());
        layers.push(Descriptor { media_type: LAYER_MEDIA_TYPE.into(), size, digest: digest.to_string() });
        history.push(HistoryEntry {
            created: recipe.created.into(),
            created_by: layer.created_by.into(),
            comment: "buildkit.dockerfile.v0".into(),
            empty_layer: false,
        });
    }
    for line in &recipe.metadata_history {
        history.push(HistoryEntry {
            created: recipe.created.into(),
            created_by: line.to_string(),
            comment: "buildkit.dockerfile.v0".into(),
            empty_layer: true,
        });
    }
    let config = ImageConfig {
        author: None,
        architecture: "wasm".into(),
        os: "wasip1".into(),
        created: recipe.created.into(),
        config: recipe.config.clone(),
        rootfs: RootFs { kind: "layers".into(), diff_ids },
        history,
    };
    let config_bytes = serde_json::to_vec(&config)?;
    let config_size = config_bytes.len() as u64;
    let config_digest = catalog.add_blob(config_bytes);
    let manifest = Manifest {
        schema_version: 2,
        media_type: MANIFEST_MEDIA_TYPE.into(),
        config: Descriptor {
            media_type: CONFIG_MEDIA_TYPE.into(),
            size: config_size,
            digest: config_digest.to_string(),
        },
        layers,
    };
    Ok(catalog.add_blob(serde_json::to_vec_pretty(&manifest)?).to_string())
}

/// The stamp layout of `guest_server::stamp`: `PLAYGROUND-STAMP:<key>=<value>` padded with
/// NULs to this many bytes.
const STAMP_SIZE: usize = 64;

/// `program` with each stamp's value replaced; each stamp must be there exactly once.
pub(crate) fn stamped(mut program: Vec<u8>, name: &str, stamps: &[(&str, &str)]) -> Result<Vec<u8>, CatalogError> {
    for (key, value) in stamps {
        let marker = format!("PLAYGROUND-STAMP:{key}=");
        let err = |reason: String| CatalogError::Stamp { name: name.to_string(), reason };
        let at: Vec<usize> = program
            .windows(marker.len())
            .enumerate()
            .filter(|(_, w)| *w == marker.as_bytes())
            .map(|(i, _)| i)
            .collect();
        let [start] = at.as_slice() else {
            return Err(err(format!("stamp {key} found {} times, expected once", at.len())));
        };
        let room = STAMP_SIZE - marker.len();
        if value.len() >= room || start + STAMP_SIZE > program.len() {
            return Err(err(format!("stamp {key}: value {value:?} does not fit")));
        }
        let field = &mut program[start + marker.len()..start + STAMP_SIZE];
        field.fill(0);
        field[..value.len()].copy_from_slice(value.as_bytes());
    }
    Ok(program)
}

/// Builds the whole catalog from the recipes, with guest programs read from `guests`
/// (the `target/wasm32-wasip1/release` folder).
pub fn build_catalog(guests: &Path) -> Result<Catalog, CatalogError> {
    let guests = Guests { dir: guests, applets: OnceCell::new() };
    let mut catalog = Catalog::default();
    let mut index = CatalogIndex::default();
    for recipe in crate::recipes() {
        let manifest = build_recipe(&recipe, &guests, &mut catalog)?;
        // Several recipes may share a repository (ubuntu:24.04 and ubuntu:22.04): tags add up.
        let entry = index.repositories.entry(recipe.repository.to_string()).or_insert_with(|| RepoEntry {
            description: recipe.description.into(),
            stars: recipe.stars,
            official: recipe.official,
            tags: Default::default(),
        });
        entry.tags.extend(recipe.tags.iter().map(|t| (t.to_string(), manifest.clone())));
    }
    catalog.files.insert("index.json".into(), serde_json::to_vec_pretty(&index)?);
    add_mirrors(&guests, &mut catalog)?;
    add_host_programs(&guests, &mut catalog)?;
    Ok(catalog)
}

/// The host's programs besides the busybox userland (guest name, path on the host): `curl`
/// reaches published ports from the host, as in the course.
const HOST_PROGRAMS: &[(&str, &str)] = &[("curl", "/usr/bin/curl")];

/// Each host program a blob, and `host.json` naming them (read by the engine at boot).
fn add_host_programs(guests: &Guests, catalog: &mut Catalog) -> Result<(), CatalogError> {
    let mut index = HostPrograms::default();
    for (name, path) in HOST_PROGRAMS {
        let bytes = guest(guests.dir, name)?;
        let size = bytes.len() as u64;
        let digest = catalog.add_blob(bytes).to_string();
        index.programs.insert(name.to_string(), HostProgram { path: path.to_string(), digest, size });
    }
    catalog.files.insert(HOST_INDEX.into(), serde_json::to_vec_pretty(&index)?);
    Ok(())
}

/// The package repositories: each file a blob, and `mirror.json` naming them by host and path.
fn add_mirrors(guests: &Guests, catalog: &mut Catalog) -> Result<(), CatalogError> {
    let repos = crate::packages::build_repositories(guests);
    let mut index = MirrorIndex::default();
    for file in repos.files {
        let size = file.bytes.len() as u64;
        let digest = catalog.add_blob(file.bytes);
        index.sites.entry(file.host.to_string()).or_default().insert(
            file.path,
            MirrorFile { digest: digest.to_string(), size, content_type: file.content_type.to_string() },
        );
    }
    catalog.files.insert(mirror::INDEX.into(), serde_json::to_vec_pretty(&index)?);
    catalog.warnings.extend(repos.warnings);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_rewritten_in_place_and_must_be_there_once() {
        let mut program = b"\0asm....".to_vec();
        let mut field = b"PLAYGROUND-STAMP:v=1.27.4".to_vec();
        field.resize(STAMP_SIZE, 0);
        program.extend_from_slice(&field);
        program.extend_from_slice(b"tail");
        let out = stamped(program.clone(), "p", &[("v", "1.21.6")]).unwrap();
        assert_eq!(out.len(), program.len());
        assert!(out.windows(25).any(|w| w == b"PLAYGROUND-STAMP:v=1.21.6"));
        assert!(out.ends_with(b"tail"));
        assert!(stamped(program.clone(), "p", &[("w", "1")]).unwrap_err().to_string().contains("found 0 times"));
        assert!(stamped(program, "p", &[("v", &"9".repeat(60))]).is_err());
    }

    #[test]
    fn a_missing_guest_is_reported_with_its_path() {
        let err = build_catalog(Path::new("/nonexistent")).unwrap_err().to_string();
        assert!(err.contains("guest program hello not found"), "{err}");
    }
}
