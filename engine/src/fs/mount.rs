//! Mounts: a tree grafted onto a path of another, as `mount` does on Linux. A container's
//! filesystem is its own tree (the image's layers plus its changes) with other trees mounted on
//! it: volumes, folders of the host (bind mounts), fresh in-memory trees (tmpfs). A path that
//! reaches a mount point goes on in the mounted tree, and `..` from a mount's root climbs back
//! into the tree it sits on, because resolution works on canonical names ([`super::Fs::resolve`]).
//!
//! The table only says what is mounted where. Nothing here copies: a bind mount's root is the
//! host's own inode, so an edit on either side shows on the other at once. Whether a write may
//! happen (`EROFS` on a read-only mount, `EXDEV` for a rename across two mounts) is the process
//! view's business ([`crate::process::vfs`]); the daemon's own writes (`docker cp`) go through.

use super::NodeRef;

/// One mounted tree.
#[derive(Debug, Clone)]
pub struct Mount {
    /// Where it is mounted: an absolute, canonical path (`/data`).
    pub target: String,
    /// The root of the mounted tree: a directory, or a regular file for a file bind mount.
    pub root: NodeRef,
    pub read_only: bool,
    /// The device `/proc/mounts` and `df` name (`/dev/sda1` for the host's disk, `tmpfs`).
    pub source: String,
    /// The filesystem type (`ext4`, `tmpfs`).
    pub fstype: String,
    /// Mount options after `ro`/`rw` (`relatime`, `nosuid,nodev,noexec,relatime,size=65536k`).
    pub options: String,
}

impl Mount {
    /// Whether its options include `option` (`noexec`).
    pub fn has_option(&self, option: &str) -> bool {
        self.options.split(',').any(|o| o == option)
    }

    /// The options field of `/proc/mounts`: `rw,relatime`.
    pub fn option_string(&self) -> String {
        let mode = if self.read_only { "ro" } else { "rw" };
        if self.options.is_empty() {
            mode.to_string()
        } else {
            format!("{mode},{}", self.options)
        }
    }
}

/// The mounts of one filesystem, in the order they were mounted: a later mount on the same path
/// hides an earlier one, as on Linux.
#[derive(Debug, Clone, Default)]
pub struct MountTable {
    mounts: Vec<Mount>,
    /// Each mount's target split into names, for matching during resolution.
    names: Vec<Vec<String>>,
}

fn split(path: &str) -> Vec<String> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".").map(str::to_string).collect()
}

/// Whether canonical `path` is `target` or below it.
fn is_under(path: &str, target: &str) -> bool {
    let target = target.trim_end_matches('/');
    match path.strip_prefix(target) {
        Some(rest) => rest.is_empty() || rest.starts_with('/') || target.is_empty(),
        None => false,
    }
}

impl MountTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Mounts `mount` on top of whatever is at its target.
    pub fn push(&mut self, mut mount: Mount) {
        let names = split(&mount.target);
        mount.target = format!("/{}", names.join("/"));
        self.names.push(names);
        self.mounts.push(mount);
    }

    pub fn is_empty(&self) -> bool {
        self.mounts.is_empty()
    }

    /// The mounts, in mount order.
    pub fn iter(&self) -> impl Iterator<Item = &Mount> {
        self.mounts.iter()
    }

    /// The mount whose target is exactly the canonical path made of `names`.
    pub fn at(&self, names: &[String]) -> Option<&Mount> {
        if self.mounts.is_empty() {
            return None;
        }
        self.names.iter().rposition(|n| n.as_slice() == names).and_then(|i| self.mounts.get(i))
    }

    /// Whether something is mounted right at canonical `path`.
    pub fn is_mount_point(&self, path: &str) -> bool {
        self.at(&split(path)).is_some()
    }

    /// Which mount canonical `path` lies in: its position in the table (the filesystem's own tree
    /// is `None`). Two paths in different places cannot be linked or renamed into each other.
    pub fn index_of(&self, path: &str) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (i, m) in self.mounts.iter().enumerate() {
            let depth = self.names[i].len();
            if is_under(path, &m.target) && best.is_none_or(|(_, d)| depth >= d) {
                best = Some((i, depth));
            }
        }
        best.map(|(i, _)| i)
    }

    /// The mount canonical `path` lies in, if not the filesystem's own tree.
    pub fn containing(&self, path: &str) -> Option<&Mount> {
        self.index_of(path).and_then(|i| self.mounts.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::{Fs, FsError, Node};

    fn mount(target: &str, root: NodeRef, read_only: bool) -> Mount {
        Mount {
            target: target.into(),
            root,
            read_only,
            source: "/dev/sda1".into(),
            fstype: "ext4".into(),
            options: "relatime".into(),
        }
    }

    #[test]
    fn paths_go_on_in_the_mounted_tree_and_dotdot_climbs_back() {
        let rootfs = Fs::new();
        rootfs.write_file("/data/from-image", b"hidden".to_vec(), 0o644).unwrap();
        rootfs.write_file("/etc/hostname", b"box".to_vec(), 0o644).unwrap();
        let volume = Fs::new();
        volume.write_file("/notes.txt", b"kept".to_vec(), 0o644).unwrap();
        let mut table = MountTable::new();
        table.push(mount("/data/", volume.root(), false));
        let fs = rootfs.with_mounts(table);
        assert_eq!(fs.read_file("/data/notes.txt").unwrap(), b"kept");
        assert_eq!(fs.read_file("/data/from-image"), Err(FsError::NotFound), "the image's files are hidden");
        assert_eq!(fs.read_file("/data/../etc/hostname").unwrap(), b"box");
        assert_eq!(fs.resolve("/data/./notes.txt", true).unwrap().0, "/data/notes.txt");
        // Writes land in the volume's own tree, not the container's.
        fs.write_file("/data/sub/new", b"n".to_vec(), 0o644).unwrap();
        assert_eq!(volume.read_file("/sub/new").unwrap(), b"n");
        assert!(rootfs.lookup("/data/sub", true).is_err());
        assert_eq!(fs.without_mounts().read_file("/data/from-image").unwrap(), b"hidden");
    }

    #[test]
    fn links_nested_mounts_and_file_mounts_resolve() {
        let rootfs = Fs::new();
        rootfs.mkdir_p("/srv", 0o755).unwrap();
        // A mount point need not exist (it is made at start), its parent must.
        rootfs.mkdir_p("/etc", 0o755).unwrap();
        rootfs.insert("/www", Node::symlink("srv/site")).unwrap();
        let site = Fs::new();
        site.mkdir_p("/logs", 0o755).unwrap();
        site.insert("/up", Node::symlink("../etc")).unwrap();
        let logs = Fs::new();
        logs.write_file("/access.log", b"GET /".to_vec(), 0o644).unwrap();
        let conf = Node::file(b"listen 80;".to_vec(), 0o644);
        let mut table = MountTable::new();
        table.push(mount("/srv/site", site.root(), false));
        table.push(mount("/srv/site/logs", logs.root(), true));
        table.push(mount("/etc/app.conf", conf, true));
        let fs = rootfs.with_mounts(table);
        assert_eq!(fs.read_file("/www/logs/access.log").unwrap(), b"GET /");
        assert_eq!(fs.read_file("/etc/app.conf").unwrap(), b"listen 80;");
        assert_eq!(fs.resolve("/www/up/app.conf", true).unwrap().0, "/srv/etc/app.conf");
        let t = fs.mounts();
        assert_eq!(t.containing("/srv/site/logs/access.log").map(|m| m.read_only), Some(true));
        assert_eq!(t.index_of("/srv/site/index.html"), Some(0));
        assert_eq!(t.index_of("/srv/sites"), None);
        assert_eq!(t.index_of("/"), None);
        assert!(t.is_mount_point("/srv/site/logs") && !t.is_mount_point("/srv"));
        assert_eq!(t.iter().next().map(Mount::option_string), Some("rw,relatime".to_string()));
    }
}
