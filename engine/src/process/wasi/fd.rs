//! System calls on open descriptors: `read`, `write`, `close`, `lseek`, `fstat`, `getdents`...
//! Reads and writes on pipes are where processes wait for each other: reading an empty pipe
//! blocks until the writer writes or closes it (then reads return 0, end of file); writing a full
//! pipe blocks until the reader drains it; writing a pipe nobody reads fails with `EPIPE`.

use super::types::{self, MAX_FILE_SIZE, RIGHTS_ALL};
use crate::fs::{NodeKind, NodeRef};
use crate::process::blocked::{Stop, WouldBlock};
use crate::process::devfs::Device;
use crate::process::errno::Errno;
use crate::process::fdtable::{Fd, FDFLAG_APPEND, FDFLAG_NONBLOCK};
use crate::process::mem::{self, IoVec};
use crate::process::signal::SIGPIPE;
use crate::process::state::ProcState;
use crate::process::vfs;

const WAIT: Stop = Stop::Block(WouldBlock { wake_at_micros: None });

/// Most bytes one read of a device gives (`/dev/zero`, `/dev/urandom` never end).
const DEVICE_READ_MAX: usize = 1 << 20;

/// Up to `want` bytes of a `/proc` snapshot from `pos`.
fn snapshot_at(data: &[u8], pos: u64, want: usize) -> Vec<u8> {
    let start = usize::try_from(pos).unwrap_or(usize::MAX).min(data.len());
    data[start..start.saturating_add(want).min(data.len())].to_vec()
}

/// Reads up to `want` bytes of a regular file from `pos`.
fn read_at(node: &NodeRef, pos: u64, want: usize) -> Result<Vec<u8>, Errno> {
    match &node.borrow().kind {
        NodeKind::File(data) => {
            let start = usize::try_from(pos).unwrap_or(usize::MAX).min(data.len());
            let end = start.saturating_add(want).min(data.len());
            Ok(data[start..end].to_vec())
        }
        NodeKind::Dir(_) => Err(Errno::ISDIR),
        NodeKind::Symlink(_) => Err(Errno::INVAL),
    }
}

/// Writes `bytes` into a regular file at `pos`, growing it (with zeros) as needed.
fn write_at(node: &NodeRef, pos: u64, bytes: &[u8], now_ms: u64) -> Result<(), Errno> {
    let end = pos.checked_add(bytes.len() as u64).ok_or(Errno::FBIG)?;
    if end > MAX_FILE_SIZE {
        return Err(Errno::FBIG);
    }
    let mut n = node.borrow_mut();
    let NodeKind::File(data) = &mut n.kind else {
        return Err(Errno::ISDIR);
    };
    let (start, end) = (pos as usize, end as usize);
    if data.len() < end {
        data.resize(end, 0);
    }
    data[start..end].copy_from_slice(bytes);
    n.meta.mtime_ms = now_ms;
    Ok(())
}

/// `fd_read`: fills `iovs` from `fd`, storing the count at `nread`.
pub fn fd_read(st: &mut ProcState, m: &mut [u8], fd: u32, iovs: u32, iovs_len: u32, nread: u32) -> Result<(), Stop> {
    let iovs = mem::iovecs(m, iovs, iovs_len)?;
    mem::bytes(m, nread, 4)?;
    let data = read_bytes(st, fd, mem::total_len(&iovs))?;
    mem::scatter(m, &iovs, &data)?;
    mem::write_u32(m, nread, data.len() as u32)?;
    Ok(())
}

/// The core of `read`: up to `want` bytes from `fd` (empty at end of file). Guests reach it
/// through `fd_read`; native programs (the engine's own commands) call it directly.
pub fn read_bytes(st: &mut ProcState, fd: u32, want: usize) -> Result<Vec<u8>, Stop> {
    let entry = st.fds.get_mut(fd)?;
    let nonblock = entry.flags & FDFLAG_NONBLOCK != 0;
    let data = match &mut entry.fd {
        Fd::Null => Vec::new(),
        Fd::PipeIn(p) => {
            if want > 0 && p.is_empty() && !p.writer_closed() {
                return Err(if nonblock { Errno::AGAIN.into() } else { WAIT });
            }
            let mut buf = vec![0u8; want.min(p.len())];
            let n = p.read(&mut buf);
            buf.truncate(n);
            buf
        }
        Fd::Tty(t) => {
            let mut buf = vec![0u8; want];
            match t.read(&mut buf) {
                Some(n) => buf.truncate(n),
                None if want == 0 => buf.clear(),
                None => return Err(if nonblock { Errno::AGAIN.into() } else { WAIT }),
            }
            buf
        }
        Fd::File { node, pos, read: true, .. } => {
            let data = read_at(node, pos.get(), want)?;
            pos.set(pos.get().saturating_add(data.len() as u64));
            data
        }
        Fd::Snapshot { data, pos, .. } => {
            let out = snapshot_at(data, pos.get(), want);
            pos.set(pos.get().saturating_add(out.len() as u64));
            out
        }
        Fd::Device(Device::Random | Device::Urandom) => {
            let mut buf = vec![0u8; want.min(DEVICE_READ_MAX)];
            st.entropy.try_borrow_mut().map_err(|_| Errno::AGAIN)?.fill(&mut buf);
            buf
        }
        Fd::Device(Device::Null) => Vec::new(),
        Fd::Device(_) => vec![0u8; want.min(DEVICE_READ_MAX)],
        Fd::Socket(s) => {
            let s = s.sock().clone();
            return crate::process::wasix::sock_io::recv_bytes(st, &s, want, nonblock, None);
        }
        Fd::Dir { .. } | Fd::VDir { .. } => return Err(Errno::ISDIR.into()),
        Fd::PipeOut(_) | Fd::File { .. } => return Err(Errno::BADF.into()),
    };
    Ok(data)
}

/// `fd_write`: writes the bytes of `iovs` to `fd`, storing the count at `nwritten`. A pipe takes
/// what fits; a full one makes the writer wait.
pub fn fd_write(
    st: &mut ProcState,
    m: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> Result<(), Stop> {
    let iovs = mem::iovecs(m, iovs, iovs_len)?;
    mem::bytes(m, nwritten, 4)?;
    let data = mem::gather(m, &iovs)?;
    let n = write_bytes(st, fd, &data)?;
    mem::write_u32(m, nwritten, n as u32)?;
    Ok(())
}

/// The core of `write`: how many bytes of `data` went to `fd`. Guests reach it through
/// `fd_write`; native programs call it directly.
pub fn write_bytes(st: &mut ProcState, fd: u32, data: &[u8]) -> Result<usize, Stop> {
    let now_ms = st.clock.unix_millis();
    let entry = st.fds.get_mut(fd)?;
    let flags = entry.flags;
    let nonblock = flags & FDFLAG_NONBLOCK != 0;
    let n = match &mut entry.fd {
        Fd::Null => data.len(),
        Fd::Tty(t) => match t.write(data) {
            0 if !data.is_empty() => return Err(if nonblock { Errno::AGAIN.into() } else { WAIT }),
            n => n,
        },
        Fd::PipeOut(p) => match p.write(data) {
            None => {
                // Linux raises SIGPIPE on the writer (its default action kills it, which is how
                // `yes | head -1` ends) and the call fails with EPIPE if it survives.
                st.signals.raise_now(SIGPIPE);
                return Err(Errno::PIPE.into());
            }
            Some(0) if !data.is_empty() => return Err(if nonblock { Errno::AGAIN.into() } else { WAIT }),
            Some(n) => n,
        },
        Fd::File { node, pos, write: true, .. } => {
            if flags & FDFLAG_APPEND != 0 {
                pos.set(types::stat_node(node).size);
            }
            write_at(node, pos.get(), data, now_ms)?;
            pos.set(pos.get().saturating_add(data.len() as u64));
            data.len()
        }
        Fd::Socket(s) => {
            let s = s.sock().clone();
            return crate::process::wasix::sock_io::send_bytes(st, &s, data, nonblock, None);
        }
        Fd::Device(Device::Full) => return Err(Errno::NOSPC.into()),
        Fd::Device(_) => data.len(),
        Fd::Dir { .. } | Fd::VDir { .. } => return Err(Errno::ISDIR.into()),
        Fd::PipeIn(_) | Fd::File { .. } | Fd::Snapshot { .. } => return Err(Errno::BADF.into()),
    };
    Ok(n)
}

/// `fd_pread`: reads a regular file at `offset` without moving its position.
pub fn fd_pread(
    st: &mut ProcState,
    m: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread: u32,
) -> Result<(), Errno> {
    let iovs: Vec<IoVec> = mem::iovecs(m, iovs, iovs_len)?;
    mem::bytes(m, nread, 4)?;
    let data = match &st.fds.get(fd)?.fd {
        Fd::File { node, read: true, .. } => read_at(node, offset, mem::total_len(&iovs))?,
        Fd::Snapshot { data, .. } => snapshot_at(data, offset, mem::total_len(&iovs)),
        Fd::File { .. } => return Err(Errno::BADF),
        Fd::Dir { .. } | Fd::VDir { .. } => return Err(Errno::ISDIR),
        _ => return Err(Errno::SPIPE),
    };
    mem::scatter(m, &iovs, &data)?;
    mem::write_u32(m, nread, data.len() as u32)
}

/// `fd_pwrite`: writes a regular file at `offset` without moving its position.
pub fn fd_pwrite(
    st: &mut ProcState,
    m: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten: u32,
) -> Result<(), Errno> {
    let iovs = mem::iovecs(m, iovs, iovs_len)?;
    mem::bytes(m, nwritten, 4)?;
    let data = mem::gather(m, &iovs)?;
    let now_ms = st.clock.unix_millis();
    match &st.fds.get(fd)?.fd {
        Fd::File { node, write: true, .. } => write_at(node, offset, &data, now_ms)?,
        Fd::File { .. } | Fd::Snapshot { .. } => return Err(Errno::BADF),
        Fd::Dir { .. } | Fd::VDir { .. } => return Err(Errno::ISDIR),
        _ => return Err(Errno::SPIPE),
    }
    mem::write_u32(m, nwritten, data.len() as u32)
}

pub fn fd_close(st: &mut ProcState, fd: u32) -> Result<(), Errno> {
    st.fds.close(fd)
}

/// `fd_renumber` (`dup2` and close the old one). As in Wasmer, `to` need not be open (so
/// WASIX libcs build `dup2` from `fd_dup` and this).
pub fn fd_renumber(st: &mut ProcState, from: u32, to: u32) -> Result<(), Errno> {
    st.fds.get(from)?;
    if to as usize >= crate::process::fdtable::MAX_FDS {
        return Err(Errno::BADF);
    }
    if from == to {
        return Ok(());
    }
    let entry = st.fds.take(from)?;
    st.fds.install(to, entry)
}

/// `fd_fdstat_get`: the descriptor's type, flags and rights (24 bytes).
pub fn fd_fdstat_get(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    let entry = st.fds.get(fd)?;
    let buf = mem::bytes_mut(m, out, 24)?;
    buf.fill(0);
    buf[0] = vfs::fd_filetype(&entry.fd);
    buf[2..4].copy_from_slice(&entry.flags.to_le_bytes());
    buf[8..16].copy_from_slice(&RIGHTS_ALL.to_le_bytes());
    buf[16..24].copy_from_slice(&RIGHTS_ALL.to_le_bytes());
    Ok(())
}

/// `fd_fdstat_set_flags`: only `append` and `nonblock` mean something here.
pub fn fd_fdstat_set_flags(st: &mut ProcState, fd: u32, flags: u16) -> Result<(), Errno> {
    st.fds.get_mut(fd)?.flags = flags & (FDFLAG_APPEND | FDFLAG_NONBLOCK);
    Ok(())
}

fn preopen_name(st: &ProcState, fd: u32) -> Result<&str, Errno> {
    match &st.fds.get(fd)?.fd {
        Fd::Dir { preopen: Some(name), .. } => Ok(name),
        _ => Err(Errno::BADF),
    }
}

/// `fd_prestat_get`: how libc discovers the directories it was given (fd 3 = "/").
pub fn fd_prestat_get(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    let len = preopen_name(st, fd)?.len() as u32;
    mem::bytes_mut(m, out, 8)?.fill(0);
    mem::write_u32(m, mem::offset(out, 4)?, len)
}

pub fn fd_prestat_dir_name(st: &mut ProcState, m: &mut [u8], fd: u32, path: u32, len: u32) -> Result<(), Errno> {
    let name = preopen_name(st, fd)?.as_bytes();
    if (len as usize) < name.len() {
        return Err(Errno::NAMETOOLONG);
    }
    mem::write(m, path, name)
}

/// `fd_seek` (`lseek`): pipes cannot seek (`ESPIPE`).
pub fn fd_seek(st: &mut ProcState, m: &mut [u8], fd: u32, offset: i64, whence: u8, out: u32) -> Result<(), Errno> {
    mem::bytes(m, out, 8)?;
    let pos = match &st.fds.get(fd)?.fd {
        Fd::File { node, pos, .. } => {
            let base = match whence {
                0 => 0,
                1 => pos.get(),
                2 => types::stat_node(node).size,
                _ => return Err(Errno::INVAL),
            };
            let new = i128::from(base) + i128::from(offset);
            pos.set(u64::try_from(new).map_err(|_| Errno::INVAL)?);
            pos.get()
        }
        Fd::Snapshot { data, pos, .. } => {
            let base = match whence {
                0 => 0,
                1 => pos.get(),
                2 => data.len() as u64,
                _ => return Err(Errno::INVAL),
            };
            let new = i128::from(base) + i128::from(offset);
            pos.set(u64::try_from(new).map_err(|_| Errno::INVAL)?);
            pos.get()
        }
        Fd::Null | Fd::Device(_) => 0,
        Fd::Dir { .. } | Fd::VDir { .. } => return Err(Errno::ISDIR),
        Fd::PipeIn(_) | Fd::PipeOut(_) | Fd::Tty(_) | Fd::Socket(_) => return Err(Errno::SPIPE),
    };
    mem::write_u64(m, out, pos)
}

pub fn fd_tell(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    fd_seek(st, m, fd, 0, 1, out)
}

/// `fd_filestat_get` (`fstat`).
pub fn fd_filestat_get(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    let stat = vfs::fd_stat(&st.fds.get(fd)?.fd);
    types::write_filestat(m, out, &stat)
}

/// `fd_filestat_set_size` (`ftruncate`).
pub fn fd_filestat_set_size(st: &mut ProcState, fd: u32, size: u64) -> Result<(), Errno> {
    if size > MAX_FILE_SIZE {
        return Err(Errno::FBIG);
    }
    let now_ms = st.clock.unix_millis();
    match &st.fds.get(fd)?.fd {
        Fd::File { node, write: true, .. } => {
            let mut n = node.borrow_mut();
            if let NodeKind::File(data) = &mut n.kind {
                data.resize(size as usize, 0);
            }
            n.meta.mtime_ms = now_ms;
            Ok(())
        }
        _ => Err(Errno::BADF),
    }
}

/// `fd_filestat_set_times` (`futimens`): only the modification time is kept.
pub fn fd_filestat_set_times(st: &mut ProcState, fd: u32, mtim_ns: u64, fst_flags: u16) -> Result<(), Errno> {
    let now_ms = st.clock.unix_millis();
    match &st.fds.get(fd)?.fd {
        Fd::File { node, .. } | Fd::Dir { node, .. } => {
            set_mtime(node, mtim_ns, fst_flags, now_ms);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Applies `fstflags` (`mtim` = 4, `mtim_now` = 8) to an inode's modification time.
pub fn set_mtime(node: &NodeRef, mtim_ns: u64, fst_flags: u16, now_ms: u64) {
    let mut n = node.borrow_mut();
    if fst_flags & 8 != 0 {
        n.meta.mtime_ms = now_ms;
    } else if fst_flags & 4 != 0 {
        n.meta.mtime_ms = mtim_ns / types::NANOS_PER_MILLI;
    }
}

/// `fd_readdir` (`getdents`): directory entries from position `cookie`, as many as fit in the
/// buffer; a full buffer tells libc to call again from the last cookie.
pub fn fd_readdir(
    st: &mut ProcState,
    m: &mut [u8],
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> Result<(), Errno> {
    mem::bytes(m, buf, buf_len)?;
    mem::bytes(m, bufused, 4)?;
    let mut entries: Vec<(String, u64, u8)> = Vec::new();
    match &st.fds.get(fd)?.fd {
        Fd::Dir { node, path, .. } => {
            entries.push((".".into(), types::inode_number(node), types::FILETYPE_DIRECTORY));
            entries.push(("..".into(), 0, types::FILETYPE_DIRECTORY));
            if let NodeKind::Dir(children) = &node.borrow().kind {
                for (name, child) in children {
                    let kind = types::filetype(&child.borrow());
                    entries.push((name.clone(), types::inode_number(child), kind));
                }
                // The mount points exist in every container, whatever the image has.
                if path == "/" {
                    for mount in ["dev", "proc", "sys"].into_iter().filter(|m| !children.contains_key(*m)) {
                        entries.push((mount.into(), vfs::virtual_ino(&format!("/{mount}")), types::FILETYPE_DIRECTORY));
                    }
                }
            }
        }
        Fd::VDir { path, entries: listed } => {
            entries.push((".".into(), vfs::virtual_ino(path), types::FILETYPE_DIRECTORY));
            entries.push(("..".into(), 0, types::FILETYPE_DIRECTORY));
            entries.extend(listed.iter().map(|e| (e.name.clone(), e.ino, e.filetype)));
        }
        _ => return Err(Errno::NOTDIR),
    }
    let mut out = Vec::new();
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    for (i, (name, ino, kind)) in entries.iter().enumerate().skip(start) {
        if out.len() >= buf_len as usize {
            break;
        }
        out.extend_from_slice(&(i as u64 + 1).to_le_bytes());
        out.extend_from_slice(&ino.to_le_bytes());
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(&[*kind, 0, 0, 0]);
        out.extend_from_slice(name.as_bytes());
    }
    out.truncate(buf_len as usize);
    mem::write(m, buf, &out)?;
    mem::write_u32(m, bufused, out.len() as u32)
}

/// For `fd_sync`, `fd_datasync`, `fd_advise`, `fd_allocate`: nothing to do on an in-memory
/// filesystem beyond checking the descriptor.
pub fn fd_check(st: &mut ProcState, fd: u32) -> Result<(), Errno> {
    st.fds.get(fd).map(|_| ())
}
