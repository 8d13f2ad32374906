//! The WASI backend: what the program does when it runs inside the engine (`wasm32-wasip1`).
//!
//! Files, directories, environment, arguments and the clock go through Rust's `std`, which uses
//! WASI preview 1. What preview 1 lacks (processes, pipes, the working directory as the engine
//! sees it, signals, sleeping, the terminal, permission bits) goes through the imports in
//! [`ffi`]. File descriptors are the real WASI descriptors of this process.

mod ffi;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io;
use std::os::fd::IntoRawFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{ModeInfo, OpenMode, RawFd, SpawnFd};

thread_local! {
    /// Descriptors this process opened through `sys` (files, pipes): closed in spawned children.
    static OPEN: RefCell<BTreeSet<RawFd>> = const { RefCell::new(BTreeSet::new()) };
}

/// Converts a WASI errno into an `io::Error` with the matching kind and message.
fn err(errno: u16) -> io::Error {
    use io::ErrorKind as K;
    let (kind, msg) = match errno {
        2 => (K::PermissionDenied, "Permission denied"),
        8 => (K::InvalidInput, "Bad file descriptor"),
        10 => (K::Other, "No child process"),
        20 => (K::AlreadyExists, "File exists"),
        28 => (K::InvalidInput, "Invalid argument"),
        44 => (K::NotFound, "No such file or directory"),
        45 => (K::Other, "Exec format error"),
        52 => (K::Unsupported, "Function not implemented"),
        54 => (K::Other, "Not a directory"),
        58 => (K::Unsupported, "Not supported"),
        63 => (K::PermissionDenied, "Operation not permitted"),
        64 => (K::BrokenPipe, "Broken pipe"),
        71 => (K::NotFound, "No such process"),
        _ => return io::Error::other(format!("WASI error {errno}")),
    };
    io::Error::new(kind, msg)
}

pub fn init() {
    // wasi-libc keeps its own working directory (starting at "/"): align it with the one the
    // engine gave this process (Docker's WorkingDir, or the parent shell's directory).
    let cwd = ffi::get_cwd().ok().or_else(|| std::env::var("PWD").ok());
    if let Some(cwd) = cwd {
        if cwd.starts_with('/') && cwd != "/" {
            let _ = std::env::set_current_dir(&cwd);
        }
    }
}

pub fn open(path: &Path, mode: OpenMode) -> io::Result<RawFd> {
    let file = mode.options().open(path)?;
    let fd = file.into_raw_fd() as RawFd;
    OPEN.with(|o| o.borrow_mut().insert(fd));
    Ok(fd)
}

pub fn close(fd: RawFd) {
    OPEN.with(|o| o.borrow_mut().remove(&fd));
    let _ = ffi::close(fd);
}

pub fn pipe() -> io::Result<(RawFd, RawFd)> {
    let (r, w) = ffi::pipe().map_err(err)?;
    OPEN.with(|o| {
        let mut o = o.borrow_mut();
        o.insert(r);
        o.insert(w);
    });
    Ok((r, w))
}

pub fn read(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match ffi::read(fd, buf) {
            Ok(n) => return Ok(n),
            Err(27) => continue, // EINTR
            Err(e) => return Err(err(e)),
        }
    }
}

pub fn write(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    ffi::write(fd, buf).map_err(err)
}

pub fn isatty(fd: RawFd) -> bool {
    // Like wasi-libc's isatty: a character device is a terminal.
    ffi::filetype(fd) == Ok(2)
}

pub fn terminal_width() -> Option<usize> {
    match ffi::tty() {
        Ok((cols, _, _, true)) if cols > 0 => Some(cols as usize),
        _ => None,
    }
}

/// The terminal's size (columns, rows): `TIOCGWINSZ`.
pub fn terminal_size() -> Option<(usize, usize)> {
    match ffi::tty() {
        Ok((cols, rows, _, _)) if cols > 0 && rows > 0 => Some((cols as usize, rows as usize)),
        _ => None,
    }
}

/// Turns the terminal's cooked mode (line editing and echo) on or off; returns whether it was on.
pub fn set_cooked(on: bool) -> io::Result<bool> {
    ffi::tty_cooked(on).map_err(err)
}

pub fn spawn(path: &str, argv: &[String], env: &[String], fds: &[SpawnFd]) -> io::Result<u32> {
    let open: BTreeSet<RawFd> = OPEN.with(|o| o.borrow().clone());
    let targets: BTreeSet<RawFd> = fds.iter().map(|f| f.target).collect();
    let mut ops = Vec::new();
    // A source that is also a target would be overwritten before use: copy it out of the way.
    let mut temp = open.iter().chain(targets.iter()).max().copied().unwrap_or(2).max(9) + 1;
    let mut temps = Vec::new();
    let mut sources = Vec::new();
    for f in fds {
        match f.source {
            Some(src) if src != f.target && targets.contains(&src) => {
                ops.push(ffi::FdOp::dup2(src, temp));
                temps.push(temp);
                sources.push(Some(temp));
                temp += 1;
            }
            other => sources.push(other),
        }
    }
    for (f, src) in fds.iter().zip(sources) {
        match src {
            Some(s) if s == f.target => {}
            Some(s) => ops.push(ffi::FdOp::dup2(s, f.target)),
            None => ops.push(ffi::FdOp::close(f.target)),
        }
    }
    for fd in open.iter().chain(temps.iter()) {
        if !targets.contains(fd) {
            ops.push(ffi::FdOp::close(*fd));
        }
    }
    ffi::spawn(path, argv, env, &ops).map_err(err)
}

/// Replaces this program with `path` (`execve`): descriptors 0-2 become `fds`' sources, the
/// others this module opened are closed. Returns only on failure, with 0-2 as they were.
pub fn exec(path: &str, argv: &[String], env: &[String], fds: &[SpawnFd]) -> io::Error {
    // Copies first, so that a source that is also a target is read before it is replaced.
    let mut saved = Vec::new();
    let mut copies = Vec::new();
    for f in fds {
        if let Ok(copy) = ffi::dup(f.target) {
            saved.push((f.target, copy));
        }
        match f.source {
            Some(src) if src != f.target => match ffi::dup(src) {
                Ok(copy) => copies.push((f.target, Some(copy))),
                Err(e) => return err(e),
            },
            Some(_) => {}
            None => copies.push((f.target, None)),
        }
    }
    for (target, copy) in copies {
        let _ = match copy {
            Some(copy) => ffi::renumber(copy, target),
            None => ffi::close(target),
        };
    }
    // Everything else this process opened, and the copies kept to undo, closes on success.
    let open: Vec<RawFd> = OPEN.with(|o| o.borrow().iter().copied().collect());
    let targets: BTreeSet<RawFd> = fds.iter().map(|f| f.target).collect();
    for fd in open.iter().filter(|fd| !targets.contains(fd)).chain(saved.iter().map(|(_, c)| c)) {
        let _ = ffi::close_on_exec(*fd);
    }
    let errno = ffi::exec(path, argv, env);
    for (target, copy) in saved {
        let _ = ffi::renumber(copy, target);
    }
    err(errno)
}

fn status_of(j: ffi::Join) -> Option<i32> {
    match j {
        ffi::Join::Running => None,
        ffi::Join::Exited(c) => Some(i32::from(c & 0xff)),
        ffi::Join::Signaled(s) => Some(128 + i32::from(s)),
    }
}

pub fn wait(pid: u32) -> io::Result<i32> {
    loop {
        if let Some(s) = status_of(ffi::join(pid, false).map_err(err)?) {
            return Ok(s);
        }
    }
}

pub fn getpid() -> u32 {
    ffi::pid().unwrap_or(1)
}

pub fn getppid() -> u32 {
    ffi::pid().and_then(ffi::parent).unwrap_or(0)
}

pub fn kill(pid: u32, sig: i32) -> io::Result<()> {
    let sig = u8::try_from(sig).map_err(|_| err(28))?;
    ffi::signal(pid, sig).map_err(err)
}

/// Runs `handler` on Ctrl-C (`SIGINT`); every other signal keeps its default action.
pub fn on_interrupt(handler: fn()) {
    static INTERRUPT: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();
    if INTERRUPT.set(handler).is_err() {
        return;
    }
    ffi::on_signal(|sig| match (sig, INTERRUPT.get()) {
        (2, Some(f)) => f(),
        // One handler takes every signal: do what the default action would have done.
        // CHLD, CONT, the stop signals, URG and WINCH are ignored; PID 1 ignores the others.
        (17..=23 | 28, _) => {}
        _ if getpid() == 1 => {}
        _ => std::process::exit(128 + sig),
    });
}

/// Makes every catchable signal call `handler` (the first handler set stays).
pub fn on_signal(handler: fn(i32)) {
    ffi::on_signal(handler);
}

pub fn sleep(d: Duration) {
    let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    let _ = ffi::sleep_ns(ns);
}

pub fn chdir(path: &Path) -> io::Result<()> {
    let before = std::env::current_dir().ok();
    std::env::set_current_dir(path)?;
    let abs = std::env::current_dir()?;
    // Tell the engine too, so children start here; it also checks the search permission. An
    // engine without `chdir` (ENOSYS) still works for this process; children then learn the
    // directory from $PWD.
    match ffi::set_cwd(&abs.to_string_lossy()) {
        Ok(()) | Err(52) => Ok(()),
        Err(e) => {
            if let Some(dir) = before {
                let _ = std::env::set_current_dir(dir);
            }
            Err(err(e))
        }
    }
}

pub fn getcwd() -> io::Result<PathBuf> {
    std::env::current_dir()
}

pub fn mode_info(path: &Path, follow: bool) -> io::Result<ModeInfo> {
    let abs = super::absolute(path)?;
    match ffi::mode_get(&abs, follow) {
        Ok((mode, uid, gid, nlink, ino)) => Ok(ModeInfo { mode, uid, gid, nlink, ino }),
        Err(ENOSYS) => default_mode_info(path, follow),
        Err(e) => Err(err(e)),
    }
}

/// WASI's `ENOSYS`: the runtime lacks the call (a WASI runtime other than the engine).
const ENOSYS: u16 = 52;

/// What a runtime without the playground's extension is assumed to have: the file's type (WASI
/// knows it), root's ownership, and no permission bit withheld beyond the usual defaults:
/// `rwxr-xr-x` for directories and files (such a runtime runs any file it can open, so the shell's
/// `execve` check must not refuse it), `rwxrwxrwx` for symbolic links; one link, no inode number.
fn default_mode_info(path: &Path, follow: bool) -> io::Result<ModeInfo> {
    let meta = if follow { std::fs::metadata(path)? } else { std::fs::symlink_metadata(path)? };
    let t = meta.file_type();
    let mode = if t.is_dir() {
        0o040755
    } else if t.is_symlink() {
        0o120777
    } else {
        0o100755
    };
    Ok(ModeInfo { mode, uid: 0, gid: 0, nlink: 1, ino: 0 })
}

pub fn chmod(path: &Path, mode: u32) -> io::Result<()> {
    let abs = super::absolute(path)?;
    ffi::chmod(&abs, mode).map_err(err)
}
