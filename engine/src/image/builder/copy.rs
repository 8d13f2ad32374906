//! `COPY` and `ADD`: files from the build context (or from an earlier stage with `--from`) into
//! the image's filesystem, with Docker's rules: a folder's content is copied (not the folder),
//! a destination ending in `/` or naming a folder receives the sources inside it, several
//! sources need a folder destination, `--chown`/`--chmod` set owners and modes, and `ADD`
//! unpacks a local tar archive.

use super::context::Context;
use crate::fs::{Fs, NodeKind, NodeRef};
use crate::image::{tree_entries, unpack_layer, LayerEntry};
use sha2::{Digest as _, Sha256};

/// Where files come from.
pub enum Source<'a> {
    Context(&'a Context),
    /// Another stage's (or image's) filesystem.
    Fs(&'a Fs),
}

/// Options of one copy.
pub struct CopySpec<'a> {
    pub sources: &'a [String],
    /// Absolute destination (already resolved against WORKDIR), trailing `/` kept.
    pub dest: String,
    pub chown: Option<(u32, u32)>,
    pub chmod: Option<u32>,
    /// `ADD`: unpack local tar archives.
    pub unpack: bool,
}

fn set_owner(node: &NodeRef, owner: Option<(u32, u32)>, mode: Option<u32>) {
    let mut n = node.borrow_mut();
    if let Some((uid, gid)) = owner {
        n.meta.uid = uid;
        n.meta.gid = gid;
    }
    if let Some(m) = mode {
        n.meta.mode = m;
    }
    if let NodeKind::Dir(children) = &n.kind {
        for child in children.values() {
            set_owner(child, owner, mode);
        }
    }
}

fn is_tar(data: &[u8]) -> bool {
    data.len() > 262 && &data[257..262] == b"ustar"
}

/// Copies; returns a digest of what was copied (names and contents) for the build cache, or the
/// first source that does not exist.
pub fn copy(source: &Source<'_>, spec: &CopySpec<'_>, into: &Fs) -> Result<String, String> {
    let mut files: Vec<(String, String, bool)> = Vec::new(); // (label, absolute path in source fs, is dir)
    let src_fs = match source {
        Source::Context(c) => &c.fs,
        Source::Fs(fs) => fs,
    };
    for s in spec.sources {
        match source {
            Source::Context(c) => {
                let found = c.resolve(s);
                if found.is_empty() {
                    return Err(s.clone());
                }
                files.extend(found.into_iter().map(|rel| (rel.clone(), c.abs(&rel), c.is_dir(&rel))));
            }
            Source::Fs(fs) => {
                let path = if s.starts_with('/') { s.clone() } else { format!("/{s}") };
                let node = fs.lookup(&path, true).map_err(|_| s.clone())?;
                let dir = node.borrow().is_dir();
                files.push((s.clone(), path, dir));
            }
        }
    }
    let dest_is_dir =
        spec.dest.ends_with('/') || files.len() > 1 || into.lookup(&spec.dest, true).is_ok_and(|n| n.borrow().is_dir());
    let mut hasher = Sha256::new();
    for (label, path, is_dir) in &files {
        let base = label.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string();
        let target = if *is_dir {
            spec.dest.trim_end_matches('/').to_string()
        } else if dest_is_dir {
            format!("{}/{base}", spec.dest.trim_end_matches('/'))
        } else {
            spec.dest.clone()
        };
        let target = if target.is_empty() { "/".to_string() } else { target };
        let mut entries = tree_entries(src_fs, path, "").map_err(|_| label.clone())?;
        if let Source::Context(c) = source {
            // Files .dockerignore excludes inside a copied folder stay out.
            entries.retain(|e| {
                let p = match e {
                    LayerEntry::Dir { path, .. } | LayerEntry::File { path, .. } | LayerEntry::Symlink { path, .. } => {
                        path
                    }
                };
                p.is_empty() || !c.ignored(&format!("{}/{p}", label.trim_end_matches('/')))
            });
        }
        if spec.unpack && !*is_dir {
            if let Some(LayerEntry::File { data, .. }) = entries.first() {
                if is_tar(data) {
                    hasher.update(data);
                    into.mkdir_p(&target, 0o755).map_err(|e| e.to_string())?;
                    let dest_dir = spec.dest.trim_end_matches('/');
                    let staged = Fs::new();
                    unpack_layer(&staged, data).map_err(|e| e.to_string())?;
                    let inner = tree_entries(&staged, "/", "").map_err(|e| e.to_string())?;
                    place(into, dest_dir, inner, spec)?;
                    continue;
                }
            }
        }
        for e in &entries {
            match e {
                LayerEntry::File { path, data, mode } => {
                    hasher.update(path.as_bytes());
                    hasher.update(data);
                    hasher.update(mode.to_le_bytes());
                }
                LayerEntry::Dir { path, .. } | LayerEntry::Symlink { path, .. } => hasher.update(path.as_bytes()),
            }
        }
        place(into, &target, entries, spec)?;
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Writes entries (relative paths, `""` being the source itself) at `target` in `into`.
fn place(into: &Fs, target: &str, entries: Vec<LayerEntry>, spec: &CopySpec<'_>) -> Result<(), String> {
    let rooted: Vec<LayerEntry> = entries
        .into_iter()
        .map(|e| {
            let at = |p: &str| {
                if p.is_empty() {
                    target.to_string()
                } else {
                    format!("{}/{p}", target.trim_end_matches('/'))
                }
            };
            match e {
                LayerEntry::Dir { path, mode } => LayerEntry::Dir { path: at(&path), mode },
                LayerEntry::File { path, mode, data } => LayerEntry::File { path: at(&path), mode, data },
                LayerEntry::Symlink { path, target: t } => LayerEntry::Symlink { path: at(&path), target: t },
            }
        })
        .collect();
    let tar = crate::image::build_layer(&rooted, 0).map_err(|e| e.to_string())?;
    unpack_layer(into, &tar).map_err(|e| e.to_string())?;
    if spec.chown.is_some() || spec.chmod.is_some() {
        if let Ok(node) = into.lookup(target, false) {
            set_owner(&node, spec.chown, spec.chmod);
        }
    }
    Ok(())
}
