//! An in-memory tree of inodes: directories, regular files and symbolic links, with the metadata
//! `ls -l` and `stat` show. Paths are resolved from the root, following symbolic links and
//! crossing into the trees mounted on it ([`MountTable`]).

use super::mount::MountTable;
use super::FsError;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A shared inode.
pub type NodeRef = Rc<RefCell<Node>>;

/// Metadata of an inode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// Permission bits (`0o755`), without the file type.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Last modification, milliseconds since the Unix epoch.
    pub mtime_ms: u64,
}

impl Default for Meta {
    fn default() -> Self {
        Self { mode: 0o644, uid: 0, gid: 0, mtime_ms: 0 }
    }
}

/// What an inode holds.
#[derive(Debug, Clone)]
pub enum NodeKind {
    Dir(BTreeMap<String, NodeRef>),
    File(Vec<u8>),
    Symlink(String),
}

/// An inode: its content and metadata.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub meta: Meta,
}

impl Node {
    pub fn dir(mode: u32) -> NodeRef {
        Rc::new(RefCell::new(Node { kind: NodeKind::Dir(BTreeMap::new()), meta: Meta { mode, ..Meta::default() } }))
    }
    pub fn file(data: Vec<u8>, mode: u32) -> NodeRef {
        Rc::new(RefCell::new(Node { kind: NodeKind::File(data), meta: Meta { mode, ..Meta::default() } }))
    }
    pub fn symlink(target: &str) -> NodeRef {
        Rc::new(RefCell::new(Node {
            kind: NodeKind::Symlink(target.to_string()),
            meta: Meta { mode: 0o777, ..Meta::default() },
        }))
    }
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir(_))
    }

    /// An independent copy of `node` and everything below it.
    pub fn deep_copy(node: &NodeRef) -> NodeRef {
        let n = node.borrow();
        let kind = match &n.kind {
            NodeKind::Dir(entries) => {
                NodeKind::Dir(entries.iter().map(|(k, v)| (k.clone(), Node::deep_copy(v))).collect())
            }
            other => other.clone(),
        };
        Rc::new(RefCell::new(Node { kind, meta: n.meta.clone() }))
    }
}

/// How many symbolic links one lookup may follow before giving up with `ELOOP` (Linux: 40).
const MAX_SYMLINKS: usize = 40;

/// A filesystem: a root directory, the trees mounted on it, and path operations on both. Clones
/// share everything (the same filesystem seen twice).
#[derive(Debug, Clone)]
pub struct Fs {
    root: NodeRef,
    mounts: Rc<MountTable>,
}

impl Default for Fs {
    fn default() -> Self {
        Self::new()
    }
}

/// Splits an absolute or relative path into its non-empty components.
fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

impl Fs {
    /// An empty filesystem with only `/`.
    pub fn new() -> Self {
        Self { root: Node::dir(0o755), mounts: Rc::default() }
    }

    /// An independent copy of this filesystem's own tree, without what is mounted on it (a
    /// snapshot: later writes to either do not show in the other).
    pub fn deep_clone(&self) -> Fs {
        Fs { root: Node::deep_copy(&self.root), mounts: Rc::default() }
    }

    /// The same tree with `mounts` mounted on it (replacing any mounts it had).
    pub fn with_mounts(&self, mounts: MountTable) -> Fs {
        Fs { root: self.root.clone(), mounts: Rc::new(mounts) }
    }

    /// The same tree with nothing mounted on it: what the image's layers and the container's own
    /// changes hold at a mount point.
    pub fn without_mounts(&self) -> Fs {
        Fs { root: self.root.clone(), mounts: Rc::default() }
    }

    pub fn mounts(&self) -> &MountTable {
        &self.mounts
    }

    /// This filesystem's own root (not a mounted tree's).
    pub fn root(&self) -> NodeRef {
        self.root.clone()
    }

    /// Resolves `path` (taken from `/`) to its inode. With `follow`, a symbolic link in the last
    /// component is followed too; links in the middle always are.
    pub fn lookup(&self, path: &str, follow: bool) -> Result<NodeRef, FsError> {
        self.trace(path, follow, true)?.1.ok_or(FsError::NotFound)
    }

    /// Where `path` leads, like `realpath -m`: its canonical form (every symbolic link resolved,
    /// `.` and `..` applied) and the inode there, if any. Past a missing component the rest is
    /// taken as written, a `..` removing the name before it. The kernel mounts `/proc` and `/dev`
    /// over this tree: this is how it sees that a path leads into one of them, also through a
    /// link (`/etc/mtab -> ../proc/mounts`). With `follow`, a link in the last component is
    /// followed too.
    pub fn resolve(&self, path: &str, follow: bool) -> Result<(String, Option<NodeRef>), FsError> {
        let (names, node) = self.trace(path, follow, false)?;
        Ok((format!("/{}", names.join("/")), node))
    }

    /// Walks `path`: the canonical names reached and the inode there, if any. `strict` stops at
    /// the first missing name (`ENOENT`); otherwise the rest is taken as written. A name whose
    /// canonical path is a mount point leads to the mounted tree's root.
    fn trace(&self, path: &str, follow: bool, strict: bool) -> Result<(Vec<String>, Option<NodeRef>), FsError> {
        let mut budget = MAX_SYMLINKS;
        // Components still to walk, the next one last.
        let mut pending: Vec<String> = components(path).rev().map(str::to_string).collect();
        let mut names: Vec<String> = Vec::new();
        // nodes[i] is the inode at names[..i]; shorter than names + 1 once past a missing name.
        let mut nodes: Vec<NodeRef> = vec![self.root.clone()];
        while let Some(part) = pending.pop() {
            if part == ".." {
                names.pop();
                nodes.truncate(names.len() + 1);
                continue;
            }
            let found = nodes.len() == names.len() + 1;
            let current = match nodes.last() {
                Some(node) if found => node.clone(),
                _ => {
                    names.push(part);
                    continue;
                }
            };
            let child = match &current.borrow().kind {
                NodeKind::Dir(entries) => entries.get(&part).cloned(),
                _ => return Err(FsError::NotDir),
            };
            names.push(part);
            let Some(child) = self.mounts.at(&names).map(|m| m.root.clone()).or(child) else {
                if strict {
                    return Err(FsError::NotFound);
                }
                continue;
            };
            let link = match &child.borrow().kind {
                NodeKind::Symlink(target) if !pending.is_empty() || follow => Some(target.clone()),
                _ => None,
            };
            match link {
                Some(target) => {
                    budget = budget.checked_sub(1).ok_or(FsError::Loop)?;
                    names.pop();
                    if target.starts_with('/') {
                        names.clear();
                        nodes.truncate(1);
                    }
                    pending.extend(components(&target).rev().map(str::to_string));
                }
                None => nodes.push(child),
            }
        }
        let node = (nodes.len() == names.len() + 1).then(|| nodes.pop()).flatten();
        Ok((names, node))
    }

    /// The parent directory of `path` and the last component's name.
    pub fn parent_of<'p>(&self, path: &'p str) -> Result<(NodeRef, &'p str), FsError> {
        let trimmed = path.trim_end_matches('/');
        let (dir, name) = match trimmed.rfind('/') {
            Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
            None => ("", trimmed),
        };
        if name.is_empty() || name == "." || name == ".." {
            return Err(FsError::Invalid);
        }
        let parent = self.lookup(dir, true)?;
        if !parent.borrow().is_dir() {
            return Err(FsError::NotDir);
        }
        Ok((parent, name))
    }

    /// Puts `node` at `path`, replacing a non-directory that is there.
    pub fn insert(&self, path: &str, node: NodeRef) -> Result<(), FsError> {
        let (parent, name) = self.parent_of(path)?;
        let mut parent = parent.borrow_mut();
        if let NodeKind::Dir(entries) = &mut parent.kind {
            if let Some(existing) = entries.get(name) {
                if existing.borrow().is_dir() && node.borrow().is_dir() {
                    return Err(FsError::Exists);
                }
            }
            entries.insert(name.to_string(), node);
            Ok(())
        } else {
            Err(FsError::NotDir)
        }
    }

    /// Creates `path` and its missing parents as directories (`mkdir -p`).
    pub fn mkdir_p(&self, path: &str, mode: u32) -> Result<NodeRef, FsError> {
        let mut current = self.root.clone();
        let mut walked = String::new();
        for part in components(path) {
            walked.push('/');
            walked.push_str(part);
            let next = match self.lookup(&walked, true) {
                Ok(n) if n.borrow().is_dir() => n,
                Ok(_) => return Err(FsError::NotDir),
                Err(FsError::NotFound) => {
                    let dir = Node::dir(mode);
                    if let NodeKind::Dir(entries) = &mut current.borrow_mut().kind {
                        entries.insert(part.to_string(), dir.clone());
                    }
                    dir
                }
                Err(e) => return Err(e),
            };
            current = next;
        }
        Ok(current)
    }

    /// Writes a regular file, creating missing parent directories.
    pub fn write_file(&self, path: &str, data: Vec<u8>, mode: u32) -> Result<(), FsError> {
        if let Some(i) = path.trim_end_matches('/').rfind('/') {
            self.mkdir_p(&path[..i], 0o755)?;
        }
        self.insert(path, Node::file(data, mode))
    }

    /// Reads a whole regular file.
    pub fn read_file(&self, path: &str) -> Result<Vec<u8>, FsError> {
        let node = self.lookup(path, true)?;
        let node = node.borrow();
        match &node.kind {
            NodeKind::File(data) => Ok(data.clone()),
            NodeKind::Dir(_) => Err(FsError::IsDir),
            NodeKind::Symlink(_) => Err(FsError::Invalid),
        }
    }

    /// Names in a directory, sorted.
    pub fn read_dir(&self, path: &str) -> Result<Vec<String>, FsError> {
        let node = self.lookup(path, true)?;
        let node = node.borrow();
        match &node.kind {
            NodeKind::Dir(entries) => Ok(entries.keys().cloned().collect()),
            _ => Err(FsError::NotDir),
        }
    }

    /// Removes `path` and everything below it (`rm -rf`).
    pub fn remove_all(&self, path: &str) -> Result<(), FsError> {
        let (parent, name) = self.parent_of(path)?;
        let mut parent = parent.borrow_mut();
        let NodeKind::Dir(entries) = &mut parent.kind else {
            return Err(FsError::NotDir);
        };
        entries.remove(name).map(|_| ()).ok_or(FsError::NotFound)
    }

    /// Removes a file, link or empty directory.
    pub fn remove(&self, path: &str) -> Result<(), FsError> {
        let (parent, name) = self.parent_of(path)?;
        let mut parent = parent.borrow_mut();
        let NodeKind::Dir(entries) = &mut parent.kind else {
            return Err(FsError::NotDir);
        };
        let node = entries.get(name).ok_or(FsError::NotFound)?;
        if let NodeKind::Dir(children) = &node.borrow().kind {
            if !children.is_empty() {
                return Err(FsError::NotEmpty);
            }
        }
        entries.remove(name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_read_and_list() {
        let fs = Fs::new();
        fs.write_file("/etc/hostname", b"box\n".to_vec(), 0o644).unwrap();
        assert_eq!(fs.read_file("/etc/hostname").unwrap(), b"box\n");
        assert_eq!(fs.read_dir("/etc").unwrap(), vec!["hostname"]);
        assert_eq!(fs.read_file("/etc"), Err(FsError::IsDir));
        assert_eq!(fs.read_file("/nope"), Err(FsError::NotFound));
    }

    #[test]
    fn symlinks_resolve_and_loops_stop() {
        let fs = Fs::new();
        fs.write_file("/bin/busybox", b"x".to_vec(), 0o755).unwrap();
        fs.insert("/bin/sh", Node::symlink("busybox")).unwrap();
        fs.insert("/usr", Node::symlink("/bin")).unwrap();
        assert_eq!(fs.read_file("/bin/sh").unwrap(), b"x");
        assert_eq!(fs.read_file("/usr/sh").unwrap(), b"x");
        fs.insert("/a", Node::symlink("/b")).unwrap();
        fs.insert("/b", Node::symlink("/a")).unwrap();
        assert_eq!(fs.read_file("/a"), Err(FsError::Loop));
    }

    #[test]
    fn resolve_gives_the_canonical_path_even_past_missing_names() {
        let fs = Fs::new();
        fs.mkdir_p("/etc", 0o755).unwrap();
        fs.mkdir_p("/usr/lib", 0o755).unwrap();
        fs.insert("/etc/mtab", Node::symlink("../proc/mounts")).unwrap();
        fs.insert("/lib", Node::symlink("usr/lib")).unwrap();
        let path = |p: &str, follow: bool| fs.resolve(p, follow).map(|(path, node)| (path, node.is_some()));
        assert_eq!(path("/etc/mtab", true), Ok(("/proc/mounts".into(), false)));
        assert_eq!(path("/etc/mtab", false), Ok(("/etc/mtab".into(), true)));
        assert_eq!(path("/lib/../etc/./", true), Ok(("/usr/etc".into(), false)));
        assert_eq!(path("/lib", true), Ok(("/usr/lib".into(), true)));
        assert_eq!(path("/proc/self/../1", true), Ok(("/proc/1".into(), false)));
        assert_eq!(path("/", true), Ok(("/".into(), true)));
        assert_eq!(path("/..", true), Ok(("/".into(), true)));
        fs.write_file("/f", b"x".to_vec(), 0o644).unwrap();
        assert_eq!(path("/f/x", true), Err(FsError::NotDir));
        fs.insert("/a", Node::symlink("/b")).unwrap();
        fs.insert("/b", Node::symlink("/a")).unwrap();
        assert_eq!(path("/a", true), Err(FsError::Loop));
    }

    #[test]
    fn dotdot_and_remove() {
        let fs = Fs::new();
        fs.mkdir_p("/a/b/c", 0o755).unwrap();
        fs.write_file("/a/f", b"1".to_vec(), 0o644).unwrap();
        assert_eq!(fs.read_file("/a/b/c/../../f").unwrap(), b"1");
        assert_eq!(fs.remove("/a/b"), Err(FsError::NotEmpty));
        fs.remove("/a/b/c").unwrap();
        fs.remove("/a/b").unwrap();
        assert_eq!(fs.read_dir("/a").unwrap(), vec!["f"]);
    }
}
