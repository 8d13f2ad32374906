//! The filesystems a container's processes see mounted, as `/proc/mounts` lists them and
//! `/proc/statfs` (read by `df`) sizes them: the container's root (an overlay whose usage is its
//! own tree's), `/proc`, `/dev`, and the volumes, bind mounts and tmpfs mounted on its filesystem
//! (see [`crate::fs::MountTable`]).

use super::procfs;
use crate::fs::{Fs, NodeKind, NodeRef};

/// The size of the disk a container's root filesystem reports in `df` (its usage is real).
pub const DISK_BYTES: u64 = 16 << 30;
/// The size of the `tmpfs` on `/dev` (Docker's: 64 MiB).
const DEV_BYTES: u64 = 64 << 20;
/// Block size reported for filesystems.
const BLOCK: u64 = 4096;
/// Most inodes counted when measuring a filesystem.
const MAX_COUNTED: usize = 1 << 20;

/// Bytes used by `fs`'s own tree (not what is mounted on it): each file's content rounded up to
/// blocks, one block per directory.
pub fn disk_usage(fs: &Fs) -> u64 {
    tree_usage(&fs.root())
}

/// Bytes used by the tree below `root`.
fn tree_usage(root: &NodeRef) -> u64 {
    let mut used = 0u64;
    let mut stack = vec![root.clone()];
    let mut counted = 0usize;
    while let Some(node) = stack.pop() {
        counted += 1;
        if counted > MAX_COUNTED {
            break;
        }
        match &node.borrow().kind {
            NodeKind::Dir(entries) => {
                used = used.saturating_add(BLOCK);
                stack.extend(entries.values().cloned());
            }
            NodeKind::File(data) => used = used.saturating_add((data.len() as u64).div_ceil(BLOCK) * BLOCK),
            NodeKind::Symlink(_) => {}
        }
    }
    used
}

/// The mounts of a container whose root filesystem is `fs`, with their sizes (the root's usage
/// only if `measure`: 0 otherwise).
pub fn container_mounts(fs: &Fs, measure: bool) -> Vec<procfs::Mount> {
    let used = if measure { disk_usage(fs).min(DISK_BYTES) / BLOCK } else { 0 };
    let total = DISK_BYTES / BLOCK;
    let mount = |source: &str, target: &str, fstype: &str, options: &str, blocks: u64, free: u64| procfs::Mount {
        source: source.to_string(),
        target: target.to_string(),
        fstype: fstype.to_string(),
        options: options.to_string(),
        block_size: BLOCK,
        blocks,
        free,
        avail: free,
    };
    let mut list = vec![
        mount("overlay", "/", "overlay", "rw,relatime", total, total - used),
        mount("proc", "/proc", "proc", "rw,nosuid,nodev,noexec,relatime", 0, 0),
        mount("tmpfs", "/dev", "tmpfs", "rw,nosuid,size=65536k,mode=755,inode64", DEV_BYTES / BLOCK, DEV_BYTES / BLOCK),
    ];
    // Volumes, bind mounts and tmpfs: the disk's size (a tmpfs: its `size=`, or half the
    // memory as Linux gives it), and what their own tree holds.
    for m in fs.mounts().iter() {
        let size = tmpfs_size(&m.options).unwrap_or(if m.fstype == "tmpfs" { TMPFS_BYTES } else { DISK_BYTES });
        let blocks = size / BLOCK;
        let used = if measure { (tree_usage(&m.root) / BLOCK).min(blocks) } else { 0 };
        list.push(mount(&m.source, &m.target, &m.fstype, &m.option_string(), blocks, blocks - used));
    }
    list
}

/// A tmpfs's default size: half the memory.
const TMPFS_BYTES: u64 = super::DEFAULT_MEMORY_LIMIT as u64 / 2;

/// The `size=` of mount options (`size=65536k`), in bytes.
fn tmpfs_size(options: &str) -> Option<u64> {
    let value = options.split(',').find_map(|o| o.strip_prefix("size="))?;
    let (digits, unit) = value.split_at(value.find(|c: char| !c.is_ascii_digit()).unwrap_or(value.len()));
    let shift = match unit {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        _ => return None,
    };
    digits.parse::<u64>().ok().map(|n| n << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_usage_counts_blocks() {
        let fs = Fs::new();
        fs.write_file("/a/b", vec![1; 5000], 0o644).unwrap();
        fs.insert("/a/l", crate::fs::Node::symlink("b")).unwrap();
        // "/" and "/a": a block each; 5000 bytes: two blocks.
        assert_eq!(disk_usage(&fs), 4 * BLOCK);
        let mounts = container_mounts(&fs, true);
        assert_eq!(mounts[0].target, "/");
        assert_eq!(mounts[0].blocks - mounts[0].free, 4);
    }
}
