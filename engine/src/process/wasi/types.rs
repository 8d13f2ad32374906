//! The data layouts of WASI preview 1 that cross the guest/kernel boundary: file types, rights,
//! the `filestat` record `stat(2)` fills, as `wasi_snapshot_preview1` lays them out in memory
//! (little-endian, natural alignment).

use crate::fs::{Node, NodeKind, NodeRef};
use crate::process::errno::Errno;
use crate::process::mem;
use std::rc::Rc;

pub const FILETYPE_UNKNOWN: u8 = 0;
pub const FILETYPE_CHARACTER_DEVICE: u8 = 2;
pub const FILETYPE_DIRECTORY: u8 = 3;
pub const FILETYPE_REGULAR_FILE: u8 = 4;
pub const FILETYPE_SOCKET_DGRAM: u8 = 5;
pub const FILETYPE_SOCKET_STREAM: u8 = 6;
pub const FILETYPE_SYMBOLIC_LINK: u8 = 7;

/// `rights::fd_read`.
pub const RIGHT_FD_READ: u64 = 1 << 1;
/// `rights::fd_write`.
pub const RIGHT_FD_WRITE: u64 = 1 << 6;
/// Every right WASI preview 1 defines (bits 0 to 29): the kernel does not restrict descriptors.
pub const RIGHTS_ALL: u64 = (1 << 30) - 1;

/// The largest a regular file may grow (`EFBIG` past it): files live in the page's memory.
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// Nanoseconds per millisecond (file times are kept in milliseconds).
pub const NANOS_PER_MILLI: u64 = 1_000_000;

/// What `stat` reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileStat {
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub mtim_ns: u64,
}

/// The WASI file type of an inode.
pub fn filetype(node: &Node) -> u8 {
    match node.kind {
        NodeKind::Dir(_) => FILETYPE_DIRECTORY,
        NodeKind::File(_) => FILETYPE_REGULAR_FILE,
        NodeKind::Symlink(_) => FILETYPE_SYMBOLIC_LINK,
    }
}

/// An inode number: stable for the inode's life, shared by hard links.
pub fn inode_number(node: &NodeRef) -> u64 {
    Rc::as_ptr(node) as usize as u64
}

pub fn stat_node(node: &NodeRef) -> FileStat {
    let ino = inode_number(node);
    let n = node.borrow();
    let size = match &n.kind {
        NodeKind::Dir(entries) => entries.len() as u64,
        NodeKind::File(data) => data.len() as u64,
        NodeKind::Symlink(target) => target.len() as u64,
    };
    FileStat { ino, filetype: filetype(&n), nlink: 1, size, mtim_ns: n.meta.mtime_ms.saturating_mul(NANOS_PER_MILLI) }
}

/// Writes a `filestat` (64 bytes) at `ptr`.
pub fn write_filestat(m: &mut [u8], ptr: u32, st: &FileStat) -> Result<(), Errno> {
    let out = mem::bytes_mut(m, ptr, 64)?;
    out.fill(0);
    out[8..16].copy_from_slice(&st.ino.to_le_bytes());
    out[16] = st.filetype;
    out[24..32].copy_from_slice(&st.nlink.to_le_bytes());
    out[32..40].copy_from_slice(&st.size.to_le_bytes());
    for at in [40, 48, 56] {
        out[at..at + 8].copy_from_slice(&st.mtim_ns.to_le_bytes());
    }
    Ok(())
}
