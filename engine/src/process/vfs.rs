//! The file tree a process sees: its container's root filesystem with `/proc`, `/dev` and `/sys`
//! (read-only, only `class/net`) mounted over it, as runc sets up a container's mount namespace. Whatever the image has at those two
//! places is hidden (in `/dev`, only the names the kernel serves are), and both exist even when
//! the image has no such folder. The container's volumes, bind mounts and tmpfs are mounted in
//! its filesystem itself ([`crate::fs::MountTable`]); this view enforces what they mean for the
//! guest: nothing is written on a read-only mount (`EROFS`), nothing is renamed or linked from
//! one mount to another (`EXDEV`), a mount point cannot be removed or replaced (`EBUSY`).
//!
//! Every system call on a path resolves it here ([`locate`]): through the container's own tree
//! first, following its symbolic links (which may lead into a mount: `/etc/mtab ->
//! ../proc/mounts`), then in `/proc` (made up from the process table, [`procfs`]) or `/dev`
//! ([`devfs`]), whose own links (`/proc/self`, `/dev/stdout`) may lead back anywhere.
//!
//! `/proc` needs the process table, which a system call made in a process's turn cannot see (the
//! kernel holds it). So a path that leads into `/proc` without a [`ProcSource`] at hand is
//! [`Miss::NeedsKernel`]: the call is then carried out again by the kernel, with one.

use super::devfs::{self, Device};
use super::errno::Errno;
use super::fdtable::{Fd, VEntry};
use super::namespace::fd_link_target;
use super::procfs::{self, Content, ProcSource};
use super::state::ProcState;
use super::wasi::types::{self, FileStat};
use crate::fs::{FsError, NodeRef};
use std::cell::Cell;
use std::rc::Rc;

/// Most links through the mounts one resolution follows (`ELOOP` past it).
const MAX_REDIRECTS: usize = 40;

/// Why a path could not be resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    Errno(Errno),
    /// It leads into `/proc` and there is no view of the process table: the kernel must carry
    /// the call out.
    NeedsKernel,
}

impl Miss {
    /// The errno for the guest; a call that needed the kernel and did not get it is `ENOSYS`.
    pub fn errno(self) -> Errno {
        match self {
            Miss::Errno(e) => e,
            Miss::NeedsKernel => Errno::NOSYS,
        }
    }
}

impl From<Errno> for Miss {
    fn from(e: Errno) -> Self {
        Miss::Errno(e)
    }
}

impl From<FsError> for Miss {
    fn from(e: FsError) -> Self {
        Miss::Errno(e.into())
    }
}

/// What a path leads to.
#[derive(Debug, Clone)]
pub enum Place {
    /// An inode of the container's filesystem, at its canonical path.
    Fs { node: NodeRef, path: String },
    /// A `/proc` file, directory or link.
    Proc { path: String, node: procfs::Node },
    /// Something `/dev` serves; `fs` is the container's own `/dev` folder, if it has one (its
    /// other entries show through).
    Dev { path: String, node: devfs::Node, fs: Option<NodeRef> },
    /// `/proc/self/fd/<n>`, followed: the process's own descriptor n.
    Fd { fd: u32 },
}

/// The part of `path` below mount point `mount`, if it is there.
fn under<'a>(path: &'a str, mount: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(mount)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// Whether absolute `path` (canonical) is in `/proc` or one of the names `/dev` serves.
fn mounted(path: &str) -> Option<MountPoint<'_>> {
    if let Some(rest) = under(path, "/proc") {
        return Some(MountPoint::Proc(rest));
    }
    if let Some(rest) = under(path, "/sys") {
        return Some(MountPoint::Sys(rest));
    }
    let rest = under(path, "/dev")?;
    let first = rest.split('/').find(|c| !c.is_empty());
    match first {
        None => Some(MountPoint::Dev(rest)),
        Some(name) if devfs::is_ours(name) => Some(MountPoint::Dev(rest)),
        Some(_) => None,
    }
}

enum MountPoint<'a> {
    Proc(&'a str),
    Dev(&'a str),
    /// `/sys`, read-only: the network interfaces of the process's namespace.
    Sys(&'a str),
}

/// Resolves absolute `path` in the process's view. With `follow`, a symbolic link in the last
/// component is followed too.
pub fn locate(st: &ProcState, src: Option<&dyn ProcSource>, path: &str, follow: bool) -> Result<Place, Miss> {
    let mut path = path.to_string();
    for _ in 0..MAX_REDIRECTS {
        let (canon, node) = st.fs.resolve(&path, follow)?;
        match mounted(&canon) {
            Some(MountPoint::Proc(rest)) => {
                let src = src.ok_or(Miss::NeedsKernel)?;
                match procfs::lookup(src, rest, follow)? {
                    procfs::Found::Redirect(to) => path = to,
                    procfs::Found::Node(node) => return proc_place(st, canon, node, follow),
                }
            }
            Some(MountPoint::Sys(rest)) => {
                let parts: Vec<&str> = rest.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
                let node = super::procnet::sys(&st.net, &parts)?;
                return Ok(Place::Proc { path: canon, node });
            }
            Some(MountPoint::Dev(rest)) => match devfs::lookup(rest, follow)? {
                devfs::Found::Redirect(to) => path = to,
                devfs::Found::Node(dev) => {
                    let fs = node.filter(|n| n.borrow().is_dir() && dev == devfs::Node::Dir);
                    return Ok(Place::Dev { path: canon, node: dev, fs });
                }
                devfs::Found::NotOurs => return Err(Errno::NOENT.into()),
            },
            None => {
                // Every directory on the way must be searchable (`EACCES` before `ENOENT`).
                st.cred.check_search(&st.fs, &canon)?;
                return node.map(|node| Place::Fs { node, path: canon }).ok_or(Miss::Errno(Errno::NOENT));
            }
        }
    }
    Err(Errno::LOOP.into())
}

/// A `/proc` node as a place: the process's own descriptors are its business, not the
/// generator's.
fn proc_place(st: &ProcState, path: String, mut node: procfs::Node, follow: bool) -> Result<Place, Miss> {
    match node.content {
        Content::Fd(fd) => {
            let entry = st.fds.get(fd).map_err(|_| Errno::NOENT)?;
            if follow {
                return Ok(Place::Fd { fd });
            }
            node.content = Content::Link(fd_link_target(&entry.fd));
        }
        Content::FdDir => {
            let entries =
                st.fds.iter().map(|(n, _)| procfs::DirEntry { name: n.to_string(), kind: procfs::Kind::Link });
            node.content = Content::Dir(entries.collect());
        }
        _ => {}
    }
    Ok(Place::Proc { path, node })
}

/// An inode number for something that is not in the container's filesystem: from its path.
pub fn virtual_ino(path: &str) -> u64 {
    // FNV-1a, with the top bit set: never the address of a real inode.
    let hash = path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    hash | 1 << 63
}

fn kind_filetype(kind: procfs::Kind) -> u8 {
    match kind {
        procfs::Kind::Dir => types::FILETYPE_DIRECTORY,
        procfs::Kind::File => types::FILETYPE_REGULAR_FILE,
        procfs::Kind::Link => types::FILETYPE_SYMBOLIC_LINK,
    }
}

fn dev_filetype(node: devfs::Node) -> u8 {
    match node {
        devfs::Node::Dir => types::FILETYPE_DIRECTORY,
        devfs::Node::Device(_) => types::FILETYPE_CHARACTER_DEVICE,
        devfs::Node::Link(_) => types::FILETYPE_SYMBOLIC_LINK,
    }
}

/// The file type bits of `st_mode` for a WASI file type (a pipe is a FIFO).
pub fn type_bits(filetype: u8) -> u32 {
    match filetype {
        types::FILETYPE_DIRECTORY => 0o040000,
        types::FILETYPE_REGULAR_FILE => 0o100000,
        types::FILETYPE_SYMBOLIC_LINK => 0o120000,
        types::FILETYPE_CHARACTER_DEVICE => 0o020000,
        types::FILETYPE_SOCKET_DGRAM | types::FILETYPE_SOCKET_STREAM => 0o140000,
        _ => 0o010000,
    }
}

/// What `stat` on an open descriptor says.
pub fn fd_stat(fd: &Fd) -> FileStat {
    let filetype = fd_filetype(fd);
    match fd {
        Fd::Dir { node, .. } | Fd::File { node, .. } => types::stat_node(node),
        Fd::Snapshot { path, .. } | Fd::VDir { path, .. } => {
            FileStat { ino: virtual_ino(path), filetype, nlink: 1, ..FileStat::default() }
        }
        Fd::Device(d) => {
            FileStat { ino: virtual_ino(&format!("/dev/{}", d.name())), filetype, nlink: 1, ..FileStat::default() }
        }
        Fd::Socket(s) => FileStat { ino: s.inode(), filetype, nlink: 1, ..FileStat::default() },
        _ => FileStat { filetype, nlink: 1, ..FileStat::default() },
    }
}

/// The WASI file type of a descriptor.
pub fn fd_filetype(fd: &Fd) -> u8 {
    match fd {
        Fd::Null | Fd::Tty(_) | Fd::Device(_) => types::FILETYPE_CHARACTER_DEVICE,
        Fd::PipeIn(_) | Fd::PipeOut(_) => types::FILETYPE_UNKNOWN,
        Fd::Dir { .. } | Fd::VDir { .. } => types::FILETYPE_DIRECTORY,
        Fd::File { .. } | Fd::Snapshot { .. } => types::FILETYPE_REGULAR_FILE,
        Fd::Socket(s) => match s.kind() {
            crate::network::stack::SockKind::Tcp => types::FILETYPE_SOCKET_STREAM,
            crate::network::stack::SockKind::Udp => types::FILETYPE_SOCKET_DGRAM,
        },
    }
}

/// `stat` for the playground's `path_mode_get`: what WASI's `filestat` lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// `st_mode`: type bits and permissions.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    pub ino: u64,
}

/// The owner and permissions of what a descriptor refers to.
fn fd_mode(fd: &Fd) -> Mode {
    let stat = fd_stat(fd);
    let (perm, uid, gid) = match fd {
        Fd::Dir { node, .. } | Fd::File { node, .. } => {
            let n = node.borrow();
            (n.meta.mode & 0o7777, n.meta.uid, n.meta.gid)
        }
        Fd::Snapshot { .. } => (0o444, 0, 0),
        Fd::VDir { .. } => (0o555, 0, 0),
        Fd::PipeIn(_) | Fd::PipeOut(_) => (0o600, 0, 0),
        Fd::Socket(_) => (0o777, 0, 0),
        Fd::Tty(_) => (0o620, 0, 5),
        Fd::Null | Fd::Device(_) => (0o666, 0, 0),
    };
    Mode { mode: type_bits(stat.filetype) | perm, uid, gid, nlink: 1, ino: stat.ino }
}

impl Place {
    /// `stat`.
    pub fn stat(&self, st: &ProcState) -> Result<FileStat, Errno> {
        let mtim_ns = st.clock.unix_millis().saturating_mul(types::NANOS_PER_MILLI);
        Ok(match self {
            Place::Fs { node, .. } => types::stat_node(node),
            Place::Fd { fd, .. } => fd_stat(&st.fds.get(*fd)?.fd),
            Place::Proc { path, node } => {
                let size = match &node.content {
                    Content::Link(target) => target.len() as u64,
                    _ => 0,
                };
                let filetype = kind_filetype(node.kind());
                FileStat { ino: virtual_ino(path), filetype, nlink: 1, size, mtim_ns }
            }
            Place::Dev { path, node, .. } => {
                let size = match node {
                    devfs::Node::Link(target) => target.len() as u64,
                    _ => 0,
                };
                FileStat { ino: virtual_ino(path), filetype: dev_filetype(*node), nlink: 1, size, mtim_ns }
            }
        })
    }

    /// Owner, permissions, link count and inode (`ls -l`, `test -c`).
    pub fn mode(&self, st: &ProcState) -> Result<Mode, Errno> {
        let stat = self.stat(st)?;
        let (perm, uid, gid) = match self {
            Place::Fs { node, .. } => {
                let n = node.borrow();
                (n.meta.mode & 0o7777, n.meta.uid, n.meta.gid)
            }
            Place::Fd { fd, .. } => return Ok(fd_mode(&st.fds.get(*fd)?.fd)),
            Place::Proc { node, .. } => (node.mode, node.uid, node.gid),
            Place::Dev { node, .. } => match node {
                devfs::Node::Dir => (0o755, 0, 0),
                devfs::Node::Link(_) => (0o777, 0, 0),
                devfs::Node::Device(Device::Tty) => (0o666, 0, 5),
                devfs::Node::Device(_) => (0o666, 0, 0),
            },
        };
        Ok(Mode { mode: type_bits(stat.filetype) | perm, uid, gid, nlink: 1, ino: stat.ino })
    }

    /// A symbolic link's target (`EINVAL` if it is not one).
    pub fn readlink(&self) -> Result<String, Errno> {
        match self {
            Place::Fs { node, .. } => match &node.borrow().kind {
                crate::fs::NodeKind::Symlink(target) => Ok(target.clone()),
                _ => Err(Errno::INVAL),
            },
            Place::Proc { node: procfs::Node { content: Content::Link(target), .. }, .. } => Ok(target.clone()),
            Place::Dev { node: devfs::Node::Link(target), .. } => Ok(target.to_string()),
            _ => Err(Errno::INVAL),
        }
    }

    pub fn is_dir(&self, st: &ProcState) -> bool {
        self.stat(st).is_ok_and(|s| s.filetype == types::FILETYPE_DIRECTORY)
    }

    /// Opens something that is not in the container's filesystem: a snapshot of a `/proc` file,
    /// a listing of a directory, a device, the process's own descriptor again. `write`: for
    /// writing; `directory`: `O_DIRECTORY`.
    pub fn open_virtual(self, st: &ProcState, read: bool, write: bool, directory: bool) -> Result<Fd, Errno> {
        let fd = match self {
            Place::Fs { .. } => return Err(Errno::INVAL),
            Place::Fd { fd, .. } => reopen(&st.fds.get(fd)?.fd, read, write),
            Place::Proc { path, node } => match node.content {
                Content::Dir(entries) => {
                    let entries = entries.into_iter().map(|e| VEntry {
                        ino: virtual_ino(&format!("{path}/{}", e.name)),
                        filetype: kind_filetype(e.kind),
                        name: e.name,
                    });
                    Fd::VDir { entries: entries.collect(), path }
                }
                Content::File(data) => {
                    if write {
                        return Err(procfs::write_error(path.strip_prefix("/proc").unwrap_or(&path)));
                    }
                    Fd::Snapshot { data: data.into(), pos: Rc::new(Cell::new(0)), path }
                }
                Content::Link(_) | Content::Fd(_) | Content::FdDir => return Err(Errno::LOOP),
            },
            Place::Dev { path, node, fs } => match node {
                devfs::Node::Dir => Fd::VDir { entries: dev_entries(&path, fs.as_ref()).into(), path },
                devfs::Node::Link(_) => return Err(Errno::LOOP),
                devfs::Node::Device(Device::Null) => Fd::Null,
                devfs::Node::Device(Device::Tty) => Fd::Tty(st.tty.clone().ok_or(Errno::NXIO)?),
                devfs::Node::Device(d) => Fd::Device(d),
            },
        };
        let is_dir = matches!(fd, Fd::Dir { .. } | Fd::VDir { .. });
        if is_dir && write {
            return Err(Errno::ISDIR);
        }
        if directory && !is_dir {
            return Err(Errno::NOTDIR);
        }
        Ok(fd)
    }
}

/// `/dev`'s entries: the devices and links, then the container's own that they do not hide.
fn dev_entries(path: &str, fs: Option<&NodeRef>) -> Vec<VEntry> {
    let mut out: Vec<VEntry> = devfs::entries()
        .map(|(name, node)| VEntry {
            name: name.to_string(),
            filetype: dev_filetype(node),
            ino: virtual_ino(&format!("{path}/{name}")),
        })
        .collect();
    if let Some(dir) = fs {
        if let crate::fs::NodeKind::Dir(children) = &dir.borrow().kind {
            for (name, child) in children.iter().filter(|(n, _)| !devfs::is_ours(n)) {
                let filetype = types::filetype(&child.borrow());
                out.push(VEntry { name: name.clone(), filetype, ino: types::inode_number(child) });
            }
        }
    }
    out
}

/// Opening `/proc/self/fd/<n>`: a regular file is opened again (a new position, the access
/// asked for), anything else is shared as `dup` would.
fn reopen(fd: &Fd, read: bool, write: bool) -> Fd {
    match fd {
        Fd::File { node, .. } => Fd::File { node: node.clone(), pos: Rc::new(Cell::new(0)), read, write },
        Fd::Snapshot { data, path, .. } => {
            Fd::Snapshot { data: data.clone(), pos: Rc::new(Cell::new(0)), path: path.clone() }
        }
        other => other.clone(),
    }
}

/// Where the entry `full` sits: the canonical path of its parent directory joined with its own
/// name (a link in the last component is not followed). `None` if the parent cannot be
/// resolved (the filesystem will say why when the call goes on).
fn entry_path(st: &ProcState, full: &str) -> Option<String> {
    let trimmed = full.trim_end_matches('/');
    let (dir, name) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
    let (parent, _) = st.fs.resolve(if dir.is_empty() { "/" } else { dir }, true).ok()?;
    Some(format!("{}/{name}", parent.trim_end_matches('/')))
}

/// The parent of canonical `path`.
fn parent_of(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((dir, _)) => dir,
    }
}

/// Whether the entry `full` may be created, removed, renamed or changed: not in `/proc` (`EACCES`,
/// or `EROFS` in `/proc/sys`), not one of the names `/dev` serves (`EPERM`), not a mount point
/// itself (`EBUSY`), not in a directory on a read-only mount (`EROFS`).
pub fn check_mutable(st: &ProcState, full: &str) -> Result<(), Errno> {
    let Some(path) = entry_path(st, full) else {
        return Ok(());
    };
    match mounted(&path) {
        Some(MountPoint::Proc("")) | Some(MountPoint::Dev("")) | Some(MountPoint::Sys("")) => Err(Errno::BUSY),
        Some(MountPoint::Proc(rest)) => Err(procfs::write_error(rest)),
        Some(MountPoint::Sys(_)) => Err(Errno::ROFS),
        Some(MountPoint::Dev(_)) => Err(Errno::PERM),
        None if st.fs.mounts().is_mount_point(&path) => Err(Errno::BUSY),
        None => check_writable(st, parent_of(&path)),
    }
}

/// Whether what canonical `path` names may be written or changed in place (opened for writing,
/// truncated, its mode or times set): not on a read-only mount (`EROFS`).
pub fn check_writable(st: &ProcState, path: &str) -> Result<(), Errno> {
    match st.fs.mounts().containing(path) {
        Some(mount) if mount.read_only => Err(Errno::ROFS),
        _ => Ok(()),
    }
}

/// Whether the mode of what `full` leads to (links followed) may change (`chmod`): not in
/// `/proc`, `/dev` or `/sys`'s own names, not on a read-only mount.
pub fn check_attributes(st: &ProcState, full: &str) -> Result<(), Errno> {
    let Ok((path, _)) = st.fs.resolve(full, true) else {
        return Ok(());
    };
    match mounted(&path) {
        Some(MountPoint::Proc("")) | Some(MountPoint::Dev("")) | Some(MountPoint::Sys("")) => Err(Errno::BUSY),
        Some(MountPoint::Proc(rest)) => Err(procfs::write_error(rest)),
        Some(MountPoint::Dev(_)) => Err(Errno::PERM),
        // /sys is read-only, as its other writes.
        Some(MountPoint::Sys(_)) => Err(Errno::ROFS),
        None => check_writable(st, &path),
    }
}

/// Whether the entries `old` and `new` are on the same mount, as `rename` and `link` need
/// (`EXDEV` otherwise: `mv` then copies and deletes).
pub fn check_same_mount(st: &ProcState, old: &str, new: &str) -> Result<(), Errno> {
    let (Some(old), Some(new)) = (entry_path(st, old), entry_path(st, new)) else {
        return Ok(());
    };
    let mounts = st.fs.mounts();
    if mounts.index_of(parent_of(&old)) == mounts.index_of(parent_of(&new)) {
        Ok(())
    } else {
        Err(Errno::XDEV)
    }
}

#[cfg(test)]
#[path = "vfs_tests.rs"]
mod tests;
