//! System calls on paths: `open`, `stat`, `mkdir`, `unlink`, `rmdir`, `rename`, `link`,
//! `symlink`, `readlink`. WASI names a path by a directory descriptor plus a path relative to it
//! (like Linux's `openat`); libc turns "/etc/hostname" into (fd 3 = "/", "etc/hostname"). Paths are
//! resolved in the container's own filesystem, so a process sees its image's files and nothing of
//! the host.

use super::fd::set_mtime;
use super::types::{self, RIGHT_FD_READ, RIGHT_FD_WRITE};
use crate::fs::{Node, NodeKind, NodeRef};
use crate::process::errno::Errno;
use crate::process::fdtable::{Entry, Fd, FDFLAG_APPEND, FDFLAG_NONBLOCK};
use crate::process::mem;
use crate::process::state::ProcState;
use std::cell::Cell;
use std::rc::Rc;

/// `lookupflags::symlink_follow`.
const LOOKUP_FOLLOW: u32 = 1;
const OFLAG_CREAT: u16 = 1;
const OFLAG_DIRECTORY: u16 = 2;
const OFLAG_EXCL: u16 = 4;
const OFLAG_TRUNC: u16 = 8;

/// The absolute path named by (`fd`, the guest string at `ptr`).
fn resolve(st: &ProcState, m: &[u8], fd: u32, ptr: u32, len: u32) -> Result<String, Errno> {
    let rel = mem::string(m, ptr, len)?;
    if rel.is_empty() {
        return Err(Errno::NOENT);
    }
    let Fd::Dir { path: base, .. } = &st.fds.get(fd)?.fd else {
        return Err(Errno::NOTDIR);
    };
    Ok(if rel.starts_with('/') { rel.to_string() } else { format!("{}/{rel}", base.trim_end_matches('/')) })
}

/// `path_open` (`openat`): opens or creates a file or directory and stores the new descriptor.
#[allow(clippy::too_many_arguments)]
pub fn path_open(
    st: &mut ProcState,
    m: &mut [u8],
    dirfd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags: u16,
    rights: u64,
    fdflags: u16,
    out: u32,
) -> Result<(), Errno> {
    mem::bytes(m, out, 4)?;
    let full = resolve(st, m, dirfd, path, path_len)?;
    let entry = open_path(st, &full, dirflags, oflags, rights, fdflags)?;
    let n = st.fds.insert(entry)?;
    mem::write_u32(m, out, n)
}

/// Opens (or creates) the absolute path `full`: the descriptor entry for it.
pub fn open_path(
    st: &ProcState,
    full: &str,
    dirflags: u32,
    oflags: u16,
    rights: u64,
    fdflags: u16,
) -> Result<Entry, Errno> {
    let follow = dirflags & LOOKUP_FOLLOW != 0;
    let want_write = rights & RIGHT_FD_WRITE != 0 || oflags & OFLAG_TRUNC != 0;
    let node = match st.fs.lookup(full, follow) {
        Ok(_) if oflags & OFLAG_CREAT != 0 && oflags & OFLAG_EXCL != 0 => return Err(Errno::EXIST),
        Ok(node) => node,
        Err(crate::fs::FsError::NotFound) if oflags & OFLAG_CREAT != 0 => {
            let node = Node::file(Vec::new(), 0o644);
            node.borrow_mut().meta.mtime_ms = st.clock.unix_millis();
            st.fs.insert(full, node.clone())?;
            node
        }
        Err(e) => return Err(e.into()),
    };
    let kind = types::filetype(&node.borrow());
    let fd = match kind {
        types::FILETYPE_DIRECTORY if want_write => return Err(Errno::ISDIR),
        types::FILETYPE_DIRECTORY => Fd::Dir { node, path: full.to_string(), preopen: None },
        _ if oflags & OFLAG_DIRECTORY != 0 => return Err(Errno::NOTDIR),
        types::FILETYPE_SYMBOLIC_LINK => return Err(Errno::LOOP),
        _ => {
            if oflags & OFLAG_TRUNC != 0 {
                if let NodeKind::File(data) = &mut node.borrow_mut().kind {
                    data.clear();
                }
            }
            Fd::File { node, pos: Rc::new(Cell::new(0)), read: rights & RIGHT_FD_READ != 0, write: want_write }
        }
    };
    Ok(Entry { fd, flags: fdflags & (FDFLAG_APPEND | FDFLAG_NONBLOCK), ext: 0 })
}

/// `path_filestat_get` (`stat`, or `lstat` without the follow flag).
pub fn path_filestat_get(
    st: &mut ProcState,
    m: &mut [u8],
    fd: u32,
    flags: u32,
    path: u32,
    len: u32,
    out: u32,
) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    let node = st.fs.lookup(&full, flags & LOOKUP_FOLLOW != 0)?;
    types::write_filestat(m, out, &types::stat_node(&node))
}

/// `path_filestat_set_times` (`utimensat`, as `touch` uses).
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
    let node = st.fs.lookup(&full, flags & LOOKUP_FOLLOW != 0)?;
    set_mtime(&node, mtim_ns, fst_flags, st.clock.unix_millis());
    Ok(())
}

/// Fails with `EEXIST` if something is already at `full` (links not followed).
fn must_be_free(st: &ProcState, full: &str) -> Result<(), Errno> {
    match st.fs.lookup(full, false) {
        Ok(_) => Err(Errno::EXIST),
        Err(crate::fs::FsError::NotFound) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// `path_create_directory` (`mkdir`).
pub fn path_create_directory(st: &mut ProcState, m: &mut [u8], fd: u32, path: u32, len: u32) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    must_be_free(st, &full)?;
    let dir = Node::dir(0o755);
    dir.borrow_mut().meta.mtime_ms = st.clock.unix_millis();
    Ok(st.fs.insert(&full, dir)?)
}

/// `path_remove_directory` (`rmdir`).
pub fn path_remove_directory(st: &mut ProcState, m: &mut [u8], fd: u32, path: u32, len: u32) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    if !st.fs.lookup(&full, false)?.borrow().is_dir() {
        return Err(Errno::NOTDIR);
    }
    Ok(st.fs.remove(&full)?)
}

/// `path_unlink_file` (`unlink`).
pub fn path_unlink_file(st: &mut ProcState, m: &mut [u8], fd: u32, path: u32, len: u32) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    if st.fs.lookup(&full, false)?.borrow().is_dir() {
        return Err(Errno::ISDIR);
    }
    Ok(st.fs.remove(&full)?)
}

/// `path_readlink` (`readlink`): the target, truncated to the buffer.
#[allow(clippy::too_many_arguments)]
pub fn path_readlink(
    st: &mut ProcState,
    m: &mut [u8],
    fd: u32,
    path: u32,
    len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> Result<(), Errno> {
    let full = resolve(st, m, fd, path, len)?;
    let node = st.fs.lookup(&full, false)?;
    let NodeKind::Symlink(target) = &node.borrow().kind else {
        return Err(Errno::INVAL);
    };
    let bytes = &target.as_bytes()[..target.len().min(buf_len as usize)];
    mem::write(m, buf, bytes)?;
    mem::write_u32(m, bufused, bytes.len() as u32)
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
    Ok(st.fs.insert(&full, Node::symlink(&target))?)
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
    let node = st.fs.lookup(&old, old_flags & LOOKUP_FOLLOW != 0)?;
    if node.borrow().is_dir() {
        return Err(Errno::from(crate::fs::FsError::Access));
    }
    must_be_free(st, &new)?;
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
    let node = st.fs.lookup(&old, false)?;
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
