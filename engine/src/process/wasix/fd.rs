//! WASIX calls on descriptors and the working directory: `pipe`, `dup`, `fcntl(F_DUPFD)`,
//! close-on-exec flags, `chdir`, `getcwd`, and `openat` with close-on-exec (`path_open2`).
//!
//! The working directory lives in two places. wasi-libc (what Rust's `std` uses on
//! `wasm32-wasip1`) keeps its own (`__wasilibc_cwd`, starting at "/"): `set_current_dir`
//! only changes that copy, and `File::open("rel")` becomes "/cwd/rel", passed to the kernel
//! relative to the preopened "/" (fd 3), so relative paths need nothing from the kernel. The
//! kernel's copy (`ProcState::cwd`, from `SpawnSpec::cwd`) is what WASIX `getcwd` reports
//! and where spawned children start. So a guest aligns the two: at start-up it calls WASIX
//! `getcwd` and `std::env::set_current_dir` with the answer, and its `cd` calls both
//! `set_current_dir` and WASIX `chdir`.

use crate::process::errno::Errno;
use crate::process::fdtable::{Entry, Fd, FDFLAGEXT_CLOEXEC};
use crate::process::mem;
use crate::process::pipe::{Pipe, PipeEnd};
use crate::process::state::ProcState;
use crate::process::wasi::path::PathOp;

/// `fd_pipe(ro_fd1, ro_fd2)`: a new pipe; `*ro_fd1` reads what `*ro_fd2` writes.
pub fn fd_pipe(st: &mut ProcState, m: &mut [u8], out_r: u32, out_w: u32) -> Result<(), Errno> {
    mem::bytes(m, out_r, 4)?;
    mem::bytes(m, out_w, 4)?;
    let pipe = Pipe::new();
    let r = st.fds.insert(Entry::new(Fd::PipeIn(PipeEnd::reader(pipe.clone()))))?;
    let w = match st.fds.insert(Entry::new(Fd::PipeOut(PipeEnd::writer(pipe)))) {
        Ok(w) => w,
        Err(e) => {
            st.fds.close(r).ok();
            return Err(e);
        }
    };
    mem::write_u32(m, out_r, r)?;
    mem::write_u32(m, out_w, w)
}

/// A copy of `fd`'s entry without close-on-exec (POSIX `dup` clears `FD_CLOEXEC`).
fn duplicate(st: &ProcState, fd: u32) -> Result<Entry, Errno> {
    let mut entry = st.fds.get(fd)?.clone();
    entry.ext &= !FDFLAGEXT_CLOEXEC;
    Ok(entry)
}

/// `fd_dup(fd, ret_fd)`: the lowest free descriptor, referring to the same object.
pub fn fd_dup(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    mem::bytes(m, out, 4)?;
    let entry = duplicate(st, fd)?;
    let n = st.fds.insert(entry)?;
    mem::write_u32(m, out, n)
}

/// `fd_dup2(fd, min_result_fd, cloexec, ret_fd)`: `fcntl(F_DUPFD[_CLOEXEC])`, the lowest free
/// descriptor at least `min`. (Renumbering onto a given descriptor is `fd_renumber`.)
pub fn fd_dup2(st: &mut ProcState, m: &mut [u8], fd: u32, min: u32, cloexec: bool, out: u32) -> Result<(), Errno> {
    mem::bytes(m, out, 4)?;
    let mut entry = duplicate(st, fd)?;
    if cloexec {
        entry.ext |= FDFLAGEXT_CLOEXEC;
    }
    let n = st.fds.insert_from(min, entry).map_err(|e| {
        if min as usize >= crate::process::fdtable::MAX_FDS {
            Errno::INVAL
        } else {
            e
        }
    })?;
    mem::write_u32(m, out, n)
}

/// `fd_fdflags_get(fd, ret_flags)`: the `fdflagsext` (close-on-exec).
pub fn fd_fdflags_get(st: &mut ProcState, m: &mut [u8], fd: u32, out: u32) -> Result<(), Errno> {
    let ext = st.fds.get(fd)?.ext;
    mem::write(m, out, &ext.to_le_bytes())
}

/// `fd_fdflags_set(fd, flags)`.
pub fn fd_fdflags_set(st: &mut ProcState, fd: u32, flags: u16) -> Result<(), Errno> {
    st.fds.get_mut(fd)?.ext = flags & FDFLAGEXT_CLOEXEC;
    Ok(())
}

/// `chdir(path, path_len)` (the host function goes through `PathOp::Chdir`, which may need
/// the kernel for `/proc`).
pub fn chdir(st: &mut ProcState, m: &mut [u8], path: u32, len: u32) -> Result<(), Errno> {
    PathOp::Chdir { path, len }.perform_here(st, m)
}

/// `getcwd(path, path_len)`: `*path_len` is the buffer's size on entry and the path's length
/// on return; the path is written NUL-terminated, or `EOVERFLOW` if it does not fit (then
/// `*path_len` tells the size needed), as Wasmer does.
pub fn getcwd(st: &mut ProcState, m: &mut [u8], buf: u32, len_ptr: u32) -> Result<(), Errno> {
    let max = mem::read_u32(m, len_ptr)?;
    let cwd = st.cwd.as_bytes();
    let len = u32::try_from(cwd.len()).map_err(|_| Errno::OVERFLOW)?;
    mem::write_u32(m, len_ptr, len)?;
    if len >= max {
        return Err(Errno::OVERFLOW);
    }
    mem::write(m, buf, cwd)?;
    mem::write_u8(m, mem::offset(buf, u64::from(len))?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::Fs;
    use crate::platform::{ManualClock, SeededEntropy};
    use std::cell::RefCell;
    use std::rc::Rc;

    fn state() -> ProcState {
        let fs = Fs::new();
        fs.mkdir_p("/srv/www", 0o755).unwrap();
        ProcState::new(
            1,
            1,
            vec![],
            vec![],
            "/".into(),
            fs,
            Rc::new(ManualClock::new(0)),
            Rc::new(RefCell::new(SeededEntropy::new(1))),
            wasmi::StoreLimitsBuilder::new().build(),
        )
    }

    #[test]
    fn chdir_and_getcwd_with_overflow() {
        let mut st = state();
        let mut m = vec![0u8; 256];
        m[100..103].copy_from_slice(b"srv");
        chdir(&mut st, &mut m, 100, 3).unwrap();
        m[100..106].copy_from_slice(b"www/..");
        chdir(&mut st, &mut m, 100, 6).unwrap();
        assert_eq!(st.cwd, "/srv");
        m[100..104].copy_from_slice(b"nope");
        assert_eq!(chdir(&mut st, &mut m, 100, 4), Err(Errno::NOENT));
        mem::write_u32(&mut m, 0, 4).unwrap();
        assert_eq!(getcwd(&mut st, &mut m, 8, 0), Err(Errno::OVERFLOW));
        assert_eq!(mem::read_u32(&m, 0), Ok(4), "the size needed");
        mem::write_u32(&mut m, 0, 64).unwrap();
        getcwd(&mut st, &mut m, 8, 0).unwrap();
        assert_eq!(&m[8..13], b"/srv\0");
        assert_eq!(getcwd(&mut st, &mut m, 8, 300), Err(Errno::FAULT));
    }

    #[test]
    fn pipe_dup_and_cloexec() {
        let mut st = state();
        let mut m = vec![0u8; 64];
        fd_pipe(&mut st, &mut m, 0, 4).unwrap();
        let (r, w) = (mem::read_u32(&m, 0).unwrap(), mem::read_u32(&m, 4).unwrap());
        assert_eq!((r, w), (0, 1), "lowest free descriptors");
        fd_dup2(&mut st, &mut m, w, 10, true, 8).unwrap();
        assert_eq!(mem::read_u32(&m, 8), Ok(10));
        fd_fdflags_get(&mut st, &mut m, 10, 12).unwrap();
        assert_eq!(m[12], 1);
        fd_dup(&mut st, &mut m, 10, 16).unwrap();
        assert_eq!(mem::read_u32(&m, 16), Ok(2));
        fd_fdflags_get(&mut st, &mut m, 2, 12).unwrap();
        assert_eq!(m[12], 0, "dup clears close-on-exec");
        assert_eq!(fd_dup(&mut st, &mut m, 99, 16), Err(Errno::BADF));
        assert_eq!(fd_pipe(&mut st, &mut m, 62, 0), Err(Errno::FAULT));
    }
}
