//! System calls on paths: `open`, `stat`, `mkdir`, `unlink`, `rmdir`, `rename`, `link`,
//! `symlink`, `readlink`. WASI names a path by a directory descriptor plus a path relative to it
//! (like Linux's `openat`); libc turns "/etc/hostname" into (fd 3 = "/", "etc/hostname"). Paths are
//! resolved in the container's own filesystem, so a process sees its image's files and nothing of
//! the host, with `/proc` and `/dev` mounted over it (see [`crate::process::vfs`]); nothing can be
//! created or removed in those two, nor written on a read-only volume or bind mount.

use super::fd::set_mtime;
use super::types::{self, RIGHT_FD_READ, RIGHT_FD_WRITE};

/// `rights::fd_readdir`.
const RIGHT_FD_READDIR: u64 = 1 << 14;
use crate::fs::{Node, NodeKind, NodeRef};
use crate::process::access;
use crate::process::errno::Errno;
use crate::process::fdtable::{Entry, Fd, FDFLAG_APPEND, FDFLAG_NONBLOCK};
use crate::process::mem;
use crate::process::procfs::ProcSource;
use crate::process::state::{normalize, ProcState};
use crate::process::vfs::{self, Miss, Place};
use std::cell::Cell;
use std::rc::Rc;

/// `lookupflags::symlink_follow`.
const LOOKUP_FOLLOW: u32 = 1;
const OFLAG_CREAT: u16 = 1;
const OFLAG_DIRECTORY: u16 = 2;
const OFLAG_EXCL: u16 = 4;
const OFLAG_TRUNC: u16 = 8;
/// `fstflags::mtim`: an explicit modification time (not "now").
const FSTFLAGS_MTIM: u16 = 4;

/// The absolute path named by (`fd`, the guest string at `ptr`).
fn resolve(st: &ProcState, m: &[u8], fd: u32, ptr: u32, len: u32) -> Result<String, Errno> {
    let rel = mem::string(m, ptr, len)?;
    if rel.is_empty() {
        return Err(Errno::NOENT);
    }
    let base = st.fds.get(fd)?.fd.dir_path().ok_or(Errno::NOTDIR)?;
    Ok(if rel.starts_with('/') { rel.to_string() } else { format!("{}/{rel}", base.trim_end_matches('/')) })
}

/// A system call that resolves a path for reading and may have to look into `/proc`: carried
/// out at once when the path does not lead there, by the kernel otherwise (with a view of the
/// process table, see [`crate::process::vfs`]). Its arguments are the guest's, so the kernel
/// can perform it again; nothing changes before the path is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathOp {
    /// `path_open` (`fdflagsext` 0) and WASIX `path_open2`.
    Open {
        dirfd: u32,
        dirflags: u32,
        path: u32,
        len: u32,
        oflags: u16,
        rights: u64,
        fdflags: u16,
        fdflagsext: u16,
        out: u32,
    },
    /// `path_filestat_get`.
    Stat { fd: u32, flags: u32, path: u32, len: u32, out: u32 },
    /// `path_readlink`.
    Readlink { fd: u32, path: u32, len: u32, buf: u32, buf_len: u32, used: u32 },
    /// The playground's `path_mode_get` (absolute or relative to the working directory).
    Mode { path: u32, len: u32, follow: bool, out: u32 },
    /// WASIX `chdir`.
    Chdir { path: u32, len: u32 },
}

impl PathOp {
    /// Performs the call; `src` is the view of the process table, when the kernel has given one.
    pub fn perform(self, st: &mut ProcState, m: &mut [u8], src: Option<&dyn ProcSource>) -> Result<(), Miss> {
        match self {
            PathOp::Open { dirfd, dirflags, path, len, oflags, rights, fdflags, fdflagsext, out } => {
                mem::bytes(m, out, 4)?;
                let full = resolve(st, m, dirfd, path, len)?;
                let mut entry = open_path(st, src, &full, dirflags, oflags, rights, fdflags)?;
                entry.ext = fdflagsext & crate::process::fdtable::FDFLAGEXT_CLOEXEC;
                let n = st.fds.insert(entry)?;
                Ok(mem::write_u32(m, out, n)?)
            }
            PathOp::Stat { fd, flags, path, len, out } => {
                let full = resolve(st, m, fd, path, len)?;
                let place = vfs::locate(st, src, &full, flags & LOOKUP_FOLLOW != 0)?;
                Ok(types::write_filestat(m, out, &place.stat(st)?)?)
            }
            PathOp::Readlink { fd, path, len, buf, buf_len, used } => {
                let full = resolve(st, m, fd, path, len)?;
                let target = vfs::locate(st, src, &full, false)?.readlink()?;
                let bytes = &target.as_bytes()[..target.len().min(buf_len as usize)];
                mem::write(m, buf, bytes)?;
                Ok(mem::write_u32(m, used, bytes.len() as u32)?)
            }
            PathOp::Mode { path, len, follow, out } => {
                mem::bytes(m, out, 24)?;
                let full = normalize(&st.cwd, mem::string(m, path, len)?);
                let mode = vfs::locate(st, src, &full, follow)?.mode(st)?;
                let mut bytes = [0u8; 24];
                for (i, word) in [mode.mode, mode.uid, mode.gid, mode.nlink].into_iter().enumerate() {
                    bytes[i * 4..i * 4 + 4].copy_from_slice(&word.to_le_bytes());
                }
                bytes[16..].copy_from_slice(&mode.ino.to_le_bytes());
                Ok(mem::write(m, out, &bytes)?)
            }
            PathOp::Chdir { path, len } => {
                let path = mem::string(m, path, len)?;
                st.cwd = directory(st, src, path)?;
                Ok(())
            }
        }
    }

    /// Performs the call without a view of the process table (`/proc` paths fail with
    /// `ENOSYS`): for tests and callers that know the path does not go there.
    pub fn perform_here(self, st: &mut ProcState, m: &mut [u8]) -> Result<(), Errno> {
        self.perform(st, m, None).map_err(Miss::errno)
    }
}

/// Resolves `path` against the working directory to an existing directory (`chdir`).
pub fn directory(st: &ProcState, src: Option<&dyn ProcSource>, path: &str) -> Result<String, Miss> {
    if path.is_empty() {
        return Err(Errno::NOENT.into());
    }
    let full = normalize(&st.cwd, path);
    let place = vfs::locate(st, src, &full, true)?;
    if !place.is_dir(st) {
        return Err(Errno::NOTDIR.into());
    }
    if let Place::Fs { node, .. } = &place {
        st.cred.check(node, access::EXEC)?;
    }
    Ok(full)
}

/// `path_open` (`openat`): opens or creates a file or directory and stores the new descriptor.
#[cfg(test)]
#[allow(clippy::too_many_arguments)]
pub fn path_open(
    st: &mut ProcState,
    m: &mut [u8],
    dirfd: u32,
    dirflags: u32,
    path: u32,
    len: u32,
    oflags: u16,
    rights: u64,
    fdflags: u16,
    out: u32,
) -> Result<(), Errno> {
    PathOp::Open { dirfd, dirflags, path, len, oflags, rights, fdflags, fdflagsext: 0, out }.perform_here(st, m)
}

/// Opens (or creates) the absolute path `full`: the descriptor entry for it.
pub fn open_path(
    st: &ProcState,
    src: Option<&dyn ProcSource>,
    full: &str,
    dirflags: u32,
    oflags: u16,
    rights: u64,
    fdflags: u16,
) -> Result<Entry, Miss> {
    let follow = dirflags & LOOKUP_FOLLOW != 0;
    let want_write = rights & RIGHT_FD_WRITE != 0 || oflags & OFLAG_TRUNC != 0;
    let flags = fdflags & (FDFLAG_APPEND | FDFLAG_NONBLOCK);
    let (node, canonical) = match vfs::locate(st, src, full, follow) {
        Ok(_) if oflags & OFLAG_CREAT != 0 && oflags & OFLAG_EXCL != 0 => return Err(Errno::EXIST.into()),
        Ok(Place::Fs { node, path }) => {
            if want_write {
                vfs::check_writable(st, &path)?;
            }
            let is_dir = node.borrow().is_dir();
            let mut want = if want_write { access::WRITE } else { 0 };
            if rights & (RIGHT_FD_READ | RIGHT_FD_READDIR) != 0 && (!is_dir || oflags & OFLAG_DIRECTORY != 0) {
                want |= access::READ;
            }
            st.cred.check(&node, want)?;
            (node, path)
        }
        Ok(place) => {
            let fd = place.open_virtual(st, rights & RIGHT_FD_READ != 0, want_write, oflags & OFLAG_DIRECTORY != 0)?;
            return Ok(Entry { fd, flags, ext: 0 });
        }
        Err(Miss::Errno(Errno::NOENT)) if oflags & OFLAG_CREAT != 0 => {
            vfs::check_mutable(st, full)?;
            st.cred.check_dir_change(&st.fs, full, None)?;
            let node = Node::file(Vec::new(), 0o644);
            node.borrow_mut().meta.mtime_ms = st.clock.unix_millis();
            st.cred.own(&node);
            st.fs.insert(full, node.clone())?;
            (node, full.to_string())
        }
        Err(e) => return Err(e),
    };
    let kind = types::filetype(&node.borrow());
    let fd = match kind {
        types::FILETYPE_DIRECTORY if want_write => return Err(Errno::ISDIR.into()),
        types::FILETYPE_DIRECTORY => Fd::Dir { node, path: canonical, preopen: None },
        _ if oflags & OFLAG_DIRECTORY != 0 => return Err(Errno::NOTDIR.into()),
        types::FILETYPE_SYMBOLIC_LINK => return Err(Errno::LOOP.into()),
        _ => {
            if oflags & OFLAG_TRUNC != 0 {
                if let NodeKind::File(data) = &mut node.borrow_mut().kind {
                    data.clear();
                }
            }
            Fd::File { node, pos: Rc::new(Cell::new(0)), read: rights & RIGHT_FD_READ != 0, write: want_write }
        }
    };
    Ok(Entry { fd, flags, ext: 0 })
}

/// `path_filestat_set_times` (`utimensat`, as `touch` uses). Devices take it and keep nothing.
#[allow(clippy::too_many_arguments)]
pub fn path_filestat_set_times(
    st: &mut ProcState,
    m: &mut [u8],
    fd: u32,
    flags: u32,
    path: u32,
    len: u32,
    mtim_ns: u64,
    fst_flags: u16,
) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    match vfs::locate(st, None, &full, flags & LOOKUP_FOLLOW != 0) {
        Ok(Place::Fs { node, path }) => {
            vfs::check_writable(st, &path)?;
            // The owner may set any time; others with write permission only "now".
            if !st.cred.owns(&node) {
                if fst_flags & FSTFLAGS_MTIM != 0 {
                    return Err(Errno::PERM);
                }
                st.cred.check(&node, access::WRITE)?;
            }
            set_mtime(&node, mtim_ns, fst_flags, st.clock.unix_millis());
            Ok(())
        }
        Ok(Place::Dev { .. }) => Ok(()),
        Ok(_) => Err(Errno::ACCES),
        Err(Miss::NeedsKernel) => Err(vfs::check_mutable(st, &full).err().unwrap_or(Errno::ACCES)),
        Err(Miss::Errno(e)) => Err(e),
    }
}

/// Fails with `EEXIST` if something is already at `full` (links not followed), or if nothing
/// may be created there (`/proc`, the devices).
fn must_be_free(st: &ProcState, full: &str) -> Result<(), Errno> {
    vfs::check_mutable(st, full)?;
    match st.fs.lookup(full, false) {
        Ok(_) => Err(Errno::EXIST),
        Err(crate::fs::FsError::NotFound) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The entry at `full` (links not followed), for removing it; where nothing may be removed
/// (`/proc`, the devices) that error comes first.
fn existing(st: &ProcState, full: &str) -> Result<NodeRef, Errno> {
    st.fs.lookup(full, false).or_else(|e| {
        vfs::check_mutable(st, full)?;
        Err(e.into())
    })
}

/// `path_create_directory` (`mkdir`).
pub fn path_create_directory(st: &mut ProcState, m: &mut [u8], fd: u32, path: u32, len: u32) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    must_be_free(st, &full)?;
    st.cred.check_dir_change(&st.fs, &full, None)?;
    let dir = Node::dir(0o755);
    dir.borrow_mut().meta.mtime_ms = st.clock.unix_millis();
    st.cred.own(&dir);
    Ok(st.fs.insert(&full, dir)?)
}

/// `path_remove_directory` (`rmdir`).
pub fn path_remove_directory(st: &mut ProcState, m: &mut [u8], fd: u32, path: u32, len: u32) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    // Permission first, then whether the entry may go (a mount point is busy), as Linux checks.
    let node = existing(st, &full)?;
    st.cred.check_dir_change(&st.fs, &full, Some(&node))?;
    vfs::check_mutable(st, &full)?;
    if !node.borrow().is_dir() {
        return Err(Errno::NOTDIR);
    }
    Ok(st.fs.remove(&full)?)
}

/// `path_unlink_file` (`unlink`).
pub fn path_unlink_file(st: &mut ProcState, m: &mut [u8], fd: u32, path: u32, len: u32) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    let node = existing(st, &full)?;
    st.cred.check_dir_change(&st.fs, &full, Some(&node))?;
    vfs::check_mutable(st, &full)?;
    if node.borrow().is_dir() {
        return Err(Errno::ISDIR);
    }
    Ok(st.fs.remove(&full)?)
}

/// `path_symlink` (`symlink`): the target string is stored as given.
pub fn path_symlink(
    st: &mut ProcState,
    m: &mut [u8],
    target: u32,
    target_len: u32,
    fd: u32,
    path: u32,
    len: u32,
) -> Result<(), Errno> {
    let target = mem::string(m, target, target_len)?.to_string();
    let full = resolve(st, m, fd, path, len)?;
    must_be_free(st, &full)?;
    st.cred.check_dir_change(&st.fs, &full, None)?;
    let link = Node::symlink(&target);
    st.cred.own(&link);
    Ok(st.fs.insert(&full, link)?)
}

/// `path_link` (`link`): a second name for the same inode.
#[allow(clippy::too_many_arguments)]
pub fn path_link(
    st: &mut ProcState,
    m: &mut [u8],
    old_fd: u32,
    old_flags: u32,
    old: u32,
    old_len: u32,
    new_fd: u32,
    new: u32,
    new_len: u32,
) -> Result<(), Errno> {
    let old = resolve(st, m, old_fd, old, old_len)?;
    let new = resolve(st, m, new_fd, new, new_len)?;
    vfs::check_mutable(st, &old)?;
    let node = st.fs.lookup(&old, old_flags & LOOKUP_FOLLOW != 0)?;
    vfs::check_same_mount(st, &old, &new)?;
    if node.borrow().is_dir() {
        return Err(Errno::from(crate::fs::FsError::Access));
    }
    must_be_free(st, &new)?;
    st.cred.check_dir_change(&st.fs, &new, None)?;
    Ok(st.fs.insert(&new, node)?)
}

/// Detaches the entry `name` from directory `parent`.
fn detach(parent: &NodeRef, name: &str) -> Option<NodeRef> {
    match &mut parent.borrow_mut().kind {
        NodeKind::Dir(entries) => entries.remove(name),
        _ => None,
    }
}

/// `path_rename` (`rename`): moves an entry, replacing a file (or empty directory) at the target.
#[allow(clippy::too_many_arguments)]
pub fn path_rename(
    st: &mut ProcState,
    m: &mut [u8],
    old_fd: u32,
    old: u32,
    old_len: u32,
    new_fd: u32,
    new: u32,
    new_len: u32,
) -> Result<(), Errno> {
    let old = resolve(st, m, old_fd, old, old_len)?;
    let new = resolve(st, m, new_fd, new, new_len)?;
    vfs::check_mutable(st, &old)?;
    vfs::check_mutable(st, &new)?;
    let node = st.fs.lookup(&old, false)?;
    vfs::check_same_mount(st, &old, &new)?;
    st.cred.check_dir_change(&st.fs, &old, Some(&node))?;
    st.cred.check_dir_change(&st.fs, &new, st.fs.lookup(&new, false).ok().as_ref())?;
    if let Ok(existing) = st.fs.lookup(&new, false) {
        if std::rc::Rc::ptr_eq(&existing, &node) {
            return Ok(());
        }
        match (node.borrow().is_dir(), existing.borrow().is_dir()) {
            (true, false) => return Err(Errno::NOTDIR),
            (false, true) => return Err(Errno::ISDIR),
            _ => {}
        }
        // An empty directory may be replaced; `remove` refuses a non-empty one.
        st.fs.remove(&new)?;
    }
    let (old_parent, old_name) = st.fs.parent_of(&old)?;
    let moved = detach(&old_parent, old_name).ok_or(Errno::NOENT)?;
    if let Err(e) = st.fs.insert(&new, moved.clone()) {
        // Put it back where it was.
        if let NodeKind::Dir(entries) = &mut old_parent.borrow_mut().kind {
            entries.insert(old_name.to_string(), moved);
        }
        return Err(e.into());
    }
    Ok(())
}
