//! File trees in a snapshot: what a tree holds beyond a base tree, as a tar archive, and that
//! archive applied back onto the same base. This is how a container's writable layer is kept (the
//! base is its image's layers), the host's files (the base is a freshly installed host) and a
//! volume's files (the base is empty).
//!
//! Unlike an image layer ([`crate::image::build_layer`]), nothing about a file is dropped: its
//! mode, owner and group, its modification time to the millisecond (a PAX `mtime` record, as GNU
//! tar writes sub-second times), the root directory's own metadata (entry `./`), and hard links
//! between files of the tree (tar `Link` entries). Deleted paths are `.wh.<name>` whiteouts, as
//! in Docker's layers. Contents are compared in full, not by inode identity, because processes
//! write files in place.

use crate::fs::{Fs, FsError, Meta, Node, NodeKind, NodeRef};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::rc::Rc;

/// Why a tree archive could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    #[error("invalid tar archive: {0}")]
    Tar(#[from] std::io::Error),
    #[error("{path}: {source}")]
    Fs { path: String, source: FsError },
    #[error("{path}: hard link to {target}, which is not an earlier file of the archive")]
    Link { path: String, target: String },
}

/// The prefix of a whiteout entry.
const WHITEOUT: &str = ".wh.";

fn children(node: &NodeRef) -> BTreeMap<String, NodeRef> {
    match &node.borrow().kind {
        NodeKind::Dir(entries) => entries.clone(),
        _ => BTreeMap::new(),
    }
}

fn same_leaf(a: &Node, b: &Node) -> bool {
    a.meta == b.meta
        && match (&a.kind, &b.kind) {
            (NodeKind::File(x), NodeKind::File(y)) => x == y,
            (NodeKind::Symlink(x), NodeKind::Symlink(y)) => x == y,
            _ => false,
        }
}

/// Writes tree entries into a tar archive, remembering files already written so a second name
/// of the same inode becomes a hard link.
struct Writer {
    tar: tar::Builder<Vec<u8>>,
    written: HashMap<*const std::cell::RefCell<Node>, String>,
}

impl Writer {
    fn header(meta: &Meta, kind: tar::EntryType) -> tar::Header {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_mode(meta.mode & 0o7777);
        header.set_uid(u64::from(meta.uid));
        header.set_gid(u64::from(meta.gid));
        header.set_mtime(meta.mtime_ms / 1000);
        header.set_size(0);
        header
    }

    fn mtime(&mut self, meta: &Meta) -> std::io::Result<()> {
        if meta.mtime_ms % 1000 != 0 {
            let value = format!("{}.{:03}", meta.mtime_ms / 1000, meta.mtime_ms % 1000);
            self.tar.append_pax_extensions([("mtime", value.as_bytes())])?;
        }
        Ok(())
    }

    /// Writes the inode at `path` (relative, `""` for the root) without what is below it.
    fn node(&mut self, path: &str, node: &NodeRef) -> std::io::Result<()> {
        let n = node.borrow();
        self.mtime(&n.meta)?;
        match &n.kind {
            NodeKind::Dir(_) => {
                let mut header = Self::header(&n.meta, tar::EntryType::Directory);
                let name = if path.is_empty() { "./".to_string() } else { format!("{path}/") };
                self.tar.append_data(&mut header, name, std::io::empty())
            }
            NodeKind::File(data) => {
                let key = Rc::as_ptr(node);
                if let Some(first) = self.written.get(&key) {
                    let mut header = Self::header(&n.meta, tar::EntryType::Link);
                    let first = first.clone();
                    return self.tar.append_link(&mut header, path, first);
                }
                self.written.insert(key, path.to_string());
                let mut header = Self::header(&n.meta, tar::EntryType::Regular);
                header.set_size(data.len() as u64);
                self.tar.append_data(&mut header, path, data.as_slice())
            }
            NodeKind::Symlink(target) => {
                let mut header = Self::header(&n.meta, tar::EntryType::Symlink);
                self.tar.append_link(&mut header, path, target)
            }
        }
    }

    /// Writes `node` and everything below it.
    fn subtree(&mut self, path: &str, node: &NodeRef) -> std::io::Result<()> {
        self.node(path, node)?;
        for (name, child) in children(node) {
            self.subtree(&join(path, &name), &child)?;
        }
        Ok(())
    }

    fn whiteout(&mut self, path: &str) -> std::io::Result<()> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let mut header = Self::header(&Meta::default(), tar::EntryType::Regular);
        self.tar.append_data(&mut header, join(dir, &format!("{WHITEOUT}{name}")), std::io::empty())
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// One difference found while walking, written in walking order (a directory before what is
/// below it, so applying creates parents first).
enum Item {
    Node(String, NodeRef),
    Subtree(String, NodeRef),
    Whiteout(String),
}

/// Compares two directories at `path`; pushes the differences; true if there were any.
fn walk(path: &str, base: &NodeRef, current: &NodeRef, out: &mut Vec<Item>) -> bool {
    let (before, after) = (children(base), children(current));
    let mark = out.len();
    for (name, node) in &after {
        let child_path = join(path, name);
        match before.get(name) {
            None => out.push(Item::Subtree(child_path, node.clone())),
            Some(old) => {
                let (old_dir, new_dir) = (old.borrow().is_dir(), node.borrow().is_dir());
                if old_dir && new_dir {
                    walk(&child_path, old, node, out);
                } else if old_dir != new_dir || !same_leaf(&old.borrow(), &node.borrow()) {
                    out.push(Item::Subtree(child_path, node.clone()));
                }
            }
        }
    }
    for name in before.keys().filter(|n| !after.contains_key(*n)) {
        out.push(Item::Whiteout(join(path, name)));
    }
    let changed = out.len() > mark || base.borrow().meta != current.borrow().meta;
    if changed {
        out.insert(mark, Item::Node(path.to_string(), current.clone()));
    }
    changed
}

/// What `current` holds beyond `base` (both trees without their mounts), as a tar archive that
/// [`apply`] replays. Equal trees give an empty archive.
pub fn diff_archive(base: &Fs, current: &Fs) -> std::io::Result<Vec<u8>> {
    let mut items = Vec::new();
    walk("", &base.root(), &current.root(), &mut items);
    let mut writer = Writer { tar: tar::Builder::new(Vec::new()), written: HashMap::new() };
    for item in items {
        match item {
            Item::Node(path, node) => writer.node(&path, &node)?,
            Item::Subtree(path, node) => writer.subtree(&path, &node)?,
            Item::Whiteout(path) => writer.whiteout(&path)?,
        }
    }
    writer.tar.into_inner()
}

/// The whole tree, as an archive [`apply`] replays onto an empty tree.
pub fn full_archive(fs: &Fs) -> std::io::Result<Vec<u8>> {
    diff_archive(&Fs::new(), fs)
}

/// The modification time of an entry: its PAX record if any (sub-second precision), else its
/// header's seconds.
fn entry_mtime_ms<R: Read>(entry: &mut tar::Entry<'_, R>) -> std::io::Result<u64> {
    if let Some(extensions) = entry.pax_extensions()? {
        for ext in extensions {
            let ext = ext?;
            if ext.key() == Ok("mtime") {
                let value = ext.value().unwrap_or("");
                let (secs, frac) = value.split_once('.').unwrap_or((value, ""));
                let secs: u64 = secs.parse().unwrap_or(0);
                let millis: u64 = format!("{frac:0<3}").get(..3).and_then(|f| f.parse().ok()).unwrap_or(0);
                return Ok(secs.saturating_mul(1000).saturating_add(millis));
            }
        }
    }
    Ok(entry.header().mtime()?.saturating_mul(1000))
}

/// Replays an archive made by [`diff_archive`] onto `fs` (which must hold the same base).
pub fn apply(fs: &Fs, archive: &[u8]) -> Result<(), TreeError> {
    let mut tar = tar::Archive::new(archive);
    let mut files: HashMap<String, NodeRef> = HashMap::new();
    for entry in tar.entries()? {
        let mut entry = entry?;
        let raw = entry.path()?.to_string_lossy().into_owned();
        let rel: Vec<&str> = raw.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
        if rel.contains(&"..") {
            return Err(TreeError::Fs { path: raw, source: FsError::Invalid });
        }
        let path = format!("/{}", rel.join("/"));
        let fs_err = |source| TreeError::Fs { path: path.clone(), source };
        let header = entry.header();
        let meta = Meta {
            mode: header.mode()? & 0o7777,
            uid: u32::try_from(header.uid()?).unwrap_or(0),
            gid: u32::try_from(header.gid()?).unwrap_or(0),
            mtime_ms: 0,
        };
        let kind = header.entry_type();
        let meta = Meta { mtime_ms: entry_mtime_ms(&mut entry)?, ..meta };
        if let Some(hidden) = rel.last().and_then(|name| name.strip_prefix(WHITEOUT)) {
            let (dir, _) = path.rsplit_once('/').unwrap_or(("", ""));
            match fs.remove_all(&format!("{dir}/{hidden}")) {
                Ok(()) | Err(FsError::NotFound) => {}
                Err(e) => return Err(fs_err(e)),
            }
            continue;
        }
        if rel.is_empty() {
            fs.root().borrow_mut().meta = meta;
            continue;
        }
        if let Some((dir, _)) = path.rsplit_once('/').filter(|(d, _)| !d.is_empty()) {
            fs.mkdir_p(dir, 0o755).map_err(fs_err)?;
        }
        let node = match kind {
            tar::EntryType::Directory => {
                if let Ok(existing) = fs.lookup(&path, false) {
                    if existing.borrow().is_dir() {
                        existing.borrow_mut().meta = meta;
                        continue;
                    }
                }
                Node::dir(meta.mode)
            }
            tar::EntryType::Symlink => {
                let target = entry.link_name()?.map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
                Node::symlink(&target)
            }
            tar::EntryType::Link => {
                let target = entry.link_name()?.map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
                let node = files
                    .get(target.trim_start_matches('/'))
                    .cloned()
                    .ok_or_else(|| TreeError::Link { path: path.clone(), target })?;
                fs.insert(&path, node).map_err(fs_err)?;
                continue;
            }
            _ => {
                let mut data = Vec::new();
                entry.read_to_end(&mut data)?;
                let node = Node::file(data, meta.mode);
                files.insert(rel.join("/"), node.clone());
                node
            }
        };
        node.borrow_mut().meta = meta;
        fs.insert(&path, node).map_err(fs_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Fs {
        let fs = Fs::new();
        fs.write_file("/etc/motd", b"hi\n".to_vec(), 0o644).unwrap();
        fs.write_file("/etc/old", b"x".to_vec(), 0o600).unwrap();
        fs.write_file("/bin/app", b"\0asm".to_vec(), 0o755).unwrap();
        fs.insert("/bin/sh", Node::symlink("app")).unwrap();
        fs.mkdir_p("/var/empty", 0o700).unwrap();
        fs
    }

    fn listing(fs: &Fs) -> Vec<String> {
        fn walk(path: &str, node: &NodeRef, out: &mut Vec<String>) {
            let n = node.borrow();
            let what = match &n.kind {
                NodeKind::Dir(_) => "dir".to_string(),
                NodeKind::File(d) => format!("file {:?}", String::from_utf8_lossy(d)),
                NodeKind::Symlink(t) => format!("-> {t}"),
            };
            out.push(format!("{path} {what} {:o} {}:{} {}", n.meta.mode, n.meta.uid, n.meta.gid, n.meta.mtime_ms));
            for (name, child) in children(node) {
                walk(&format!("{path}/{name}"), &child, out);
            }
        }
        let mut out = Vec::new();
        walk("", &fs.root(), &mut out);
        out
    }

    #[test]
    fn a_diff_replayed_on_the_base_gives_the_same_tree() {
        let base = tree();
        let current = tree();
        current.write_file("/etc/motd", b"hello\n".to_vec(), 0o644).unwrap();
        current.remove("/etc/old").unwrap();
        current.remove_all("/var").unwrap();
        current.write_file("/home/eleve/notes.txt", b"kept".to_vec(), 0o640).unwrap();
        let notes = current.lookup("/home/eleve/notes.txt", false).unwrap();
        notes.borrow_mut().meta = Meta { mode: 0o640, uid: 1000, gid: 1000, mtime_ms: 1_768_471_200_123 };
        current.insert("/home/eleve/same-inode", notes).unwrap();
        current.remove("/bin/sh").unwrap();
        current.mkdir_p("/bin/sh", 0o755).unwrap();
        current.root().borrow_mut().meta.mode = 0o700;
        let archive = diff_archive(&base, &current).unwrap();
        let restored = tree();
        apply(&restored, &archive).unwrap();
        assert_eq!(listing(&restored), listing(&current));
        let a = restored.lookup("/home/eleve/notes.txt", false).unwrap();
        assert!(Rc::ptr_eq(&a, &restored.lookup("/home/eleve/same-inode", false).unwrap()), "hard link kept");
    }

    #[test]
    fn equal_trees_give_an_empty_archive_and_a_full_archive_rebuilds_from_nothing() {
        let archive = diff_archive(&tree(), &tree()).unwrap();
        assert!(tar::Archive::new(archive.as_slice()).entries().unwrap().next().is_none());
        let full = full_archive(&tree()).unwrap();
        let fresh = Fs::new();
        apply(&fresh, &full).unwrap();
        assert_eq!(listing(&fresh), listing(&tree()));
    }

    #[test]
    fn garbage_and_escapes_are_errors() {
        assert!(
            apply(&Fs::new(), b"not a tar archive at all, just some bytes that go on and on").is_err()
                || Fs::new().read_dir("/").unwrap().is_empty()
        );
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(1);
        h.set_entry_type(tar::EntryType::Regular);
        let name = b"../escape";
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_cksum();
        b.append(&h, &b"x"[..]).unwrap();
        let bytes = b.into_inner().unwrap();
        assert!(matches!(apply(&Fs::new(), &bytes), Err(TreeError::Fs { .. })));
    }
}
