//! Layers are tar archives of file changes. Building one (for the catalog and, later, for
//! `docker build` and `docker commit`) and unpacking a stack of them into a container's root
//! filesystem. An entry named `.wh.<name>` is a whiteout: it deletes `<name>` from the layers
//! below, as in Docker's overlay driver.

use crate::fs::{Fs, FsError, Node, NodeKind};
use std::io::Read;

/// One file, directory or link to put in a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerEntry {
    Dir { path: String, mode: u32 },
    File { path: String, mode: u32, data: Vec<u8> },
    Symlink { path: String, target: String },
}

/// Builds a deterministic tar archive (fixed mtime, owner root, entries in the order given).
pub fn build_layer(entries: &[LayerEntry], mtime: u64) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        header.set_mtime(mtime);
        header.set_uid(0);
        header.set_gid(0);
        match entry {
            LayerEntry::Dir { path, mode } => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(*mode);
                header.set_size(0);
                builder.append_data(&mut header, format!("{}/", path.trim_matches('/')), std::io::empty())?;
            }
            LayerEntry::File { path, mode, data } => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(*mode);
                header.set_size(data.len() as u64);
                builder.append_data(&mut header, path.trim_start_matches('/'), data.as_slice())?;
            }
            LayerEntry::Symlink { path, target } => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_mode(0o777);
                header.set_size(0);
                builder.append_link(&mut header, path.trim_start_matches('/'), target)?;
            }
        }
    }
    builder.into_inner()
}

/// The bytes of file content in a layer: what Docker reports as a layer's (and an image's)
/// size, without the tar headers. An unreadable archive counts as empty.
pub fn content_size(tar_bytes: &[u8]) -> u64 {
    let mut archive = tar::Archive::new(tar_bytes);
    let Ok(entries) = archive.entries() else {
        return 0;
    };
    entries.flatten().map(|e| e.header().size().unwrap_or(0)).sum()
}

/// The entries of the tree at `path` in `fs`, renamed to start at `as_path` (`""` for the root
/// itself): what `docker export` and `docker cp` put in their archives.
pub fn tree_entries(fs: &Fs, path: &str, as_path: &str) -> Result<Vec<LayerEntry>, FsError> {
    fn walk(node: &crate::fs::NodeRef, at: &str, out: &mut Vec<LayerEntry>) {
        let node = node.borrow();
        match &node.kind {
            NodeKind::Dir(children) => {
                if !at.is_empty() {
                    out.push(LayerEntry::Dir { path: at.to_string(), mode: node.meta.mode });
                }
                for (name, child) in children {
                    let child_at = if at.is_empty() { name.clone() } else { format!("{at}/{name}") };
                    walk(child, &child_at, out);
                }
            }
            NodeKind::File(data) => {
                out.push(LayerEntry::File { path: at.to_string(), mode: node.meta.mode, data: data.clone() })
            }
            NodeKind::Symlink(target) => out.push(LayerEntry::Symlink { path: at.to_string(), target: target.clone() }),
        }
    }
    let node = fs.lookup(path, false)?;
    let mut out = Vec::new();
    walk(&node, as_path.trim_matches('/'), &mut out);
    Ok(out)
}

/// Why a layer could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("invalid tar archive: {0}")]
    Tar(#[from] std::io::Error),
    #[error("applying layer entry {path}: {source}")]
    Fs { path: String, source: FsError },
}

/// Applies one layer on top of `fs`: adds its files, honours its whiteouts.
pub fn unpack_layer(fs: &Fs, tar_bytes: &[u8]) -> Result<(), LayerError> {
    let mut archive = tar::Archive::new(tar_bytes);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = format!("/{}", entry.path()?.to_string_lossy().trim_matches('/'));
        let fs_err = |source| LayerError::Fs { path: path.clone(), source };
        let header = entry.header();
        let mode = header.mode().unwrap_or(0o644) & 0o7777;
        let mtime_ms = header.mtime().unwrap_or(0).saturating_mul(1000);
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
        if let Some(hidden) = name.strip_prefix(".wh.") {
            match fs.remove_all(&format!("{dir}/{hidden}")) {
                Ok(()) | Err(FsError::NotFound) => {}
                Err(e) => return Err(fs_err(e)),
            }
            continue;
        }
        let node = match header.entry_type() {
            tar::EntryType::Directory => {
                let dir = fs.mkdir_p(&path, mode).map_err(fs_err)?;
                dir.borrow_mut().meta.mode = mode;
                continue;
            }
            tar::EntryType::Symlink => {
                let target = entry.link_name()?.map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
                Node::symlink(&target)
            }
            _ => {
                let mut data = Vec::new();
                entry.read_to_end(&mut data)?;
                Node::file(data, mode)
            }
        };
        node.borrow_mut().meta.mtime_ms = mtime_ms;
        if !dir.is_empty() {
            fs.mkdir_p(dir, 0o755).map_err(fs_err)?;
        }
        fs.insert(&path, node).map_err(fs_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_round_trips_and_whiteouts_delete() {
        let base = build_layer(
            &[
                LayerEntry::Dir { path: "etc".into(), mode: 0o755 },
                LayerEntry::File { path: "etc/motd".into(), mode: 0o644, data: b"hi\n".to_vec() },
                LayerEntry::File { path: "bin/app".into(), mode: 0o755, data: b"\0asm".to_vec() },
                LayerEntry::Symlink { path: "bin/sh".into(), target: "app".into() },
            ],
            0,
        )
        .unwrap();
        let top =
            build_layer(&[LayerEntry::File { path: "etc/.wh.motd".into(), mode: 0o644, data: vec![] }], 0).unwrap();
        let fs = Fs::new();
        unpack_layer(&fs, &base).unwrap();
        assert_eq!(fs.read_file("/etc/motd").unwrap(), b"hi\n");
        assert_eq!(fs.read_file("/bin/sh").unwrap(), b"\0asm");
        unpack_layer(&fs, &top).unwrap();
        assert_eq!(fs.read_file("/etc/motd"), Err(FsError::NotFound));
        assert_eq!(content_size(&base), 7);
        assert_eq!(content_size(&top), 0);
        assert!(fs.read_dir("/etc").unwrap().is_empty());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let fs = Fs::new();
        assert!(unpack_layer(&fs, &[1, 2, 3, 4]).is_err() || fs.read_dir("/").unwrap().is_empty());
    }
}
