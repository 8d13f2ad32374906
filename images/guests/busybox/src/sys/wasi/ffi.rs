//! The raw imports this program needs from the engine beyond what Rust's `std` already uses, and
//! the only place in the crate where `unsafe` is allowed.
//!
//! Every function here is declared exactly as the WASIX ABI (`wasix_32v1`, see the `wasix` crate
//! 0.13 and the WASIX spec) or WASI preview 1 (`wasi_snapshot_preview1`) defines it: all integer
//! arguments are `i32`/`i64`, pointers are offsets into this module's linear memory, and the
//! return value is an errno (`0` = success). `src/sys/README.md` lists them for the engine team.
//! Each wrapper below turns one call into a safe Rust function returning `Result<_, u16>`.
#![allow(unsafe_code)]

use std::mem::MaybeUninit;

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn fd_read(fd: i32, iovs: i32, iovs_len: i32, nread: i32) -> i32;
    fn fd_write(fd: i32, iovs: i32, iovs_len: i32, nwritten: i32) -> i32;
    fn fd_close(fd: i32) -> i32;
    fn fd_fdstat_get(fd: i32, stat: i32) -> i32;
    fn fd_renumber(from: i32, to: i32) -> i32;
}

#[link(wasm_import_module = "wasix_32v1")]
extern "C" {
    fn fd_pipe(ro_fd1: i32, ro_fd2: i32) -> i32;
    fn fd_dup(fd: i32, ret_fd: i32) -> i32;
    fn fd_fdflags_set(fd: i32, flags: i32) -> i32;
    #[allow(clippy::too_many_arguments)]
    fn proc_exec4(
        name: i32,
        name_len: i32,
        args: i32,
        args_len: i32,
        envs: i32,
        envs_len: i32,
        search_path: i32,
        path: i32,
        path_len: i32,
    ) -> i32;
    fn chdir(path: i32, path_len: i32) -> i32;
    fn getcwd(path: i32, path_len: i32) -> i32;
    fn thread_sleep(duration: i64) -> i32;
    fn tty_get(state: i32) -> i32;
    fn proc_id(ret_pid: i32) -> i32;
    fn proc_parent(pid: i32, ret_parent: i32) -> i32;
    fn proc_signal(pid: i32, signal: i32) -> i32;
    fn callback_signal(name: i32, name_len: i32);
    fn proc_join(pid: i32, flags: i32, ret_status: i32) -> i32;
    #[allow(clippy::too_many_arguments)]
    fn proc_spawn3(
        name: i32,
        name_len: i32,
        args: i32,
        args_len: i32,
        envs: i32,
        envs_len: i32,
        fd_ops: i32,
        fd_ops_len: i32,
        signal_actions: i32,
        signal_actions_len: i32,
        search_path: i32,
        path: i32,
        path_len: i32,
        ret_pid: i32,
    ) -> i32;
}

// Non-standard extension for Unix permission bits, ownership and link counts, which neither
// WASI preview 1 nor WASIX can express (see README.md). Paths are absolute.
#[link(wasm_import_module = "playground_v1")]
extern "C" {
    fn path_mode_get(path: i32, path_len: i32, follow: i32, ret_mode: i32) -> i32;
    fn path_chmod(path: i32, path_len: i32, mode: i32) -> i32;
}

/// WASI `iovec` / `ciovec`: a (pointer, length) pair, 8 bytes on wasm32.
#[repr(C)]
struct IoVec {
    buf: *const u8,
    len: usize,
}

fn ptr<T>(p: *const T) -> i32 {
    p as usize as i32
}

fn check(ret: i32) -> Result<(), u16> {
    if ret == 0 {
        Ok(())
    } else {
        Err(ret as u16)
    }
}

pub fn read(fd: u32, buf: &mut [u8]) -> Result<usize, u16> {
    let iov = IoVec { buf: buf.as_mut_ptr(), len: buf.len() };
    let mut n = MaybeUninit::<usize>::uninit();
    // SAFETY: the iovec points at `buf`, which lives across the call; `n` is written by the host.
    check(unsafe { fd_read(fd as i32, ptr(&iov), 1, ptr(n.as_mut_ptr())) })?;
    // SAFETY: success means the host stored the count.
    Ok(unsafe { n.assume_init() })
}

pub fn write(fd: u32, buf: &[u8]) -> Result<usize, u16> {
    let iov = IoVec { buf: buf.as_ptr(), len: buf.len() };
    let mut n = MaybeUninit::<usize>::uninit();
    // SAFETY: as in `read`; the host only reads `buf`.
    check(unsafe { fd_write(fd as i32, ptr(&iov), 1, ptr(n.as_mut_ptr())) })?;
    // SAFETY: success means the host stored the count.
    Ok(unsafe { n.assume_init() })
}

pub fn close(fd: u32) -> Result<(), u16> {
    // SAFETY: plain integer call.
    check(unsafe { fd_close(fd as i32) })
}

/// The `fs_filetype` byte of `fd_fdstat_get` (offset 0 of the 24-byte `fdstat`).
pub fn filetype(fd: u32) -> Result<u8, u16> {
    let mut stat = [0u64; 3];
    // SAFETY: `stat` is 24 bytes, 8-aligned, the size of `fdstat`.
    check(unsafe { fd_fdstat_get(fd as i32, ptr(stat.as_mut_ptr())) })?;
    Ok((stat[0] & 0xff) as u8)
}

pub fn pipe() -> Result<(u32, u32), u16> {
    let mut a = 0u32;
    let mut b = 0u32;
    // SAFETY: two u32 out-parameters.
    check(unsafe { fd_pipe(ptr(&mut a), ptr(&mut b)) })?;
    Ok((a, b))
}

pub fn set_cwd(path: &str) -> Result<(), u16> {
    // SAFETY: the host reads `path_len` bytes at `path`.
    check(unsafe { chdir(ptr(path.as_ptr()), path.len() as i32) })
}

pub fn get_cwd() -> Result<String, u16> {
    let mut buf = vec![0u8; 1024];
    loop {
        let mut len: usize = buf.len();
        // SAFETY: the host writes at most `len` bytes into `buf` and updates `len`.
        let ret = unsafe { getcwd(ptr(buf.as_mut_ptr()), ptr(&mut len)) };
        if ret == 0 {
            buf.truncate(len.min(buf.len()));
            while buf.last() == Some(&0) {
                buf.pop();
            }
            return Ok(String::from_utf8_lossy(&buf).into_owned());
        }
        // EOVERFLOW (61): the buffer was too small and `len` holds the needed size.
        if ret == 61 && len > buf.len() && len < (1 << 20) {
            buf = vec![0u8; len];
            continue;
        }
        return Err(ret as u16);
    }
}

pub fn sleep_ns(ns: u64) -> Result<(), u16> {
    // SAFETY: plain integer call.
    check(unsafe { thread_sleep(ns as i64) })
}

/// `tty_get`: the 24-byte `tty` struct; returns (cols, rows, stdin_tty, stdout_tty).
pub fn tty() -> Result<(u32, u32, bool, bool), u16> {
    let mut t = [0u32; 6];
    // SAFETY: `t` is 24 bytes, 4-aligned, the size of `tty`.
    check(unsafe { tty_get(ptr(t.as_mut_ptr())) })?;
    let flags = t[4].to_le_bytes();
    Ok((t[0], t[1], flags[0] != 0, flags[1] != 0))
}

pub fn pid() -> Result<u32, u16> {
    let mut p = 0u32;
    // SAFETY: one u32 out-parameter.
    check(unsafe { proc_id(ptr(&mut p)) })?;
    Ok(p)
}

pub fn parent(pid: u32) -> Result<u32, u16> {
    let mut p = 0u32;
    // SAFETY: one u32 out-parameter.
    check(unsafe { proc_parent(pid as i32, ptr(&mut p)) })?;
    Ok(p)
}

pub fn signal(pid: u32, sig: u8) -> Result<(), u16> {
    // SAFETY: plain integer call.
    check(unsafe { proc_signal(pid as i32, i32::from(sig)) })
}

/// Outcome of `proc_join` on one pid.
pub enum Join {
    /// Non-blocking join: the child is still running.
    Running,
    /// Exit code of a normal exit.
    Exited(u16),
    /// Terminated by this signal.
    Signaled(u8),
}

pub fn join(pid: u32, nonblocking: bool) -> Result<Join, u16> {
    // `option_pid`: tag u8 at 0 (1 = some), pid u32 at 4.
    let mut opt = [0u32; 2];
    opt[0] = 1;
    opt[1] = pid;
    // `join_status`: tag u8 at 0, union at 2 (exit code u16 at 2, signal u8 at 4).
    let mut status = [0u16; 4];
    let flags = i32::from(nonblocking);
    // SAFETY: both structs are sized and aligned for the host's writes.
    check(unsafe { proc_join(ptr(opt.as_mut_ptr()), flags, ptr(status.as_mut_ptr())) })?;
    let tag = status[0] & 0xff;
    Ok(match tag {
        1 => Join::Exited(status[1]),
        2 => Join::Signaled((status[2] & 0xff) as u8),
        _ => Join::Running,
    })
}

/// One `proc_spawn_fd_op` (56 bytes on wasm32): only `close` and `dup2` are used.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct FdOp {
    cmd: u8,
    fd: u32,
    src_fd: u32,
    path: *const u8,
    path_len: usize,
    dirflags: u32,
    oflags: u16,
    rights_base: u64,
    rights_inheriting: u64,
    fdflags: u16,
    fdflagsext: u16,
}

impl FdOp {
    pub fn close(fd: u32) -> Self {
        Self::new(0, fd, 0)
    }
    /// In the child: make `fd` a copy of the parent's `src_fd`.
    pub fn dup2(src_fd: u32, fd: u32) -> Self {
        Self::new(1, fd, src_fd)
    }
    fn new(cmd: u8, fd: u32, src_fd: u32) -> Self {
        FdOp {
            cmd,
            fd,
            src_fd,
            path: std::ptr::null(),
            path_len: 0,
            dirflags: 0,
            oflags: 0,
            rights_base: 0,
            rights_inheriting: 0,
            fdflags: 0,
            fdflagsext: 0,
        }
    }
}

/// NUL-terminated copies of `items` (NULs inside dropped).
fn cstrings(items: &[String]) -> Vec<Vec<u8>> {
    items
        .iter()
        .map(|s| {
            let mut v: Vec<u8> = s.bytes().filter(|&b| b != 0).collect();
            v.push(0);
            v
        })
        .collect()
}

/// `fd_dup`: a new descriptor (the lowest free one) for the same open file.
pub fn dup(fd: u32) -> Result<u32, u16> {
    let mut new = 0u32;
    // SAFETY: one u32 out-parameter.
    check(unsafe { fd_dup(fd as i32, ptr(&mut new)) })?;
    Ok(new)
}

/// `fd_fdflags_set(fd, CLOEXEC)`: `fd` closes when the program is replaced.
pub fn close_on_exec(fd: u32) -> Result<(), u16> {
    // SAFETY: plain integer call.
    check(unsafe { fd_fdflags_set(fd as i32, 1) })
}

/// `fd_renumber`: `dup2(from, to)`, then `from` is closed.
pub fn renumber(from: u32, to: u32) -> Result<(), u16> {
    // SAFETY: plain integer call.
    check(unsafe { fd_renumber(from as i32, to as i32) })
}

/// `proc_exec4` with an explicit environment, no PATH search: on success it does not return.
pub fn exec(path: &str, argv: &[String], env: &[String]) -> u16 {
    let args = cstrings(argv);
    let envs = cstrings(env);
    let arg_ptrs: Vec<*const u8> = args.iter().map(|a| a.as_ptr()).collect();
    let env_ptrs: Vec<*const u8> = envs.iter().map(|a| a.as_ptr()).collect();
    // SAFETY: every pointer refers to a live buffer owned by this frame.
    let ret = unsafe {
        proc_exec4(
            ptr(path.as_ptr()),
            path.len() as i32,
            ptr(arg_ptrs.as_ptr()),
            arg_ptrs.len() as i32,
            ptr(env_ptrs.as_ptr()),
            env_ptrs.len() as i32,
            0,
            0,
            0,
        )
    };
    ret as u16
}

/// `proc_spawn3` with an explicit environment, no PATH search, no signal overrides.
pub fn spawn(path: &str, argv: &[String], env: &[String], ops: &[FdOp]) -> Result<u32, u16> {
    let args = cstrings(argv);
    let envs = cstrings(env);
    let arg_ptrs: Vec<*const u8> = args.iter().map(|a| a.as_ptr()).collect();
    let env_ptrs: Vec<*const u8> = envs.iter().map(|a| a.as_ptr()).collect();
    let mut pid = 0u32;
    // SAFETY: every pointer refers to a live buffer owned by this frame.
    check(unsafe {
        proc_spawn3(
            ptr(path.as_ptr()),
            path.len() as i32,
            ptr(arg_ptrs.as_ptr()),
            arg_ptrs.len() as i32,
            ptr(env_ptrs.as_ptr()),
            env_ptrs.len() as i32,
            ptr(ops.as_ptr()),
            ops.len() as i32,
            0,
            0,
            0,
            0,
            0,
            ptr(&mut pid),
        )
    })?;
    Ok(pid)
}

/// (st_mode, uid, gid, nlink, ino) from the playground extension (a 24-byte record).
pub fn mode_get(path: &str, follow: bool) -> Result<(u32, u32, u32, u32, u64), u16> {
    let mut out = [0u32; 6];
    // SAFETY: the host reads `path` and writes 24 bytes into `out` (8-aligned for the u64).
    check(unsafe { path_mode_get(ptr(path.as_ptr()), path.len() as i32, i32::from(follow), ptr(out.as_mut_ptr())) })?;
    Ok((out[0], out[1], out[2], out[3], u64::from(out[4]) | (u64::from(out[5]) << 32)))
}

pub fn chmod(path: &str, mode: u32) -> Result<(), u16> {
    // SAFETY: the host reads `path`.
    check(unsafe { path_chmod(ptr(path.as_ptr()), path.len() as i32, mode as i32) })
}

/// The function the engine calls with a signal number once [`on_signal`] registered it.
static SIGNAL_HANDLER: std::sync::OnceLock<fn(i32)> = std::sync::OnceLock::new();

/// Exported for the engine (WASIX `callback_signal` names it); runs between two slices of the
/// program, like a Unix signal handler.
#[no_mangle]
pub extern "C" fn busybox_signal(sig: i32) {
    if let Some(f) = SIGNAL_HANDLER.get() {
        f(sig);
    }
}

/// Makes every signal the process may catch call `handler` (`sigaction` for all of them).
pub fn on_signal(handler: fn(i32)) {
    if SIGNAL_HANDLER.set(handler).is_ok() {
        let name = b"busybox_signal";
        // SAFETY: the engine reads `name_len` bytes at `name`, a live static.
        unsafe { callback_signal(ptr(name.as_ptr()), name.len() as i32) };
    }
}
