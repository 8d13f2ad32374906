//! All access to the operating system, behind one interface with two backends.
//!
//! - `wasi` (`target_os = "wasi"`): the program inside a container, run by the engine. Files,
//!   environment and clock through `std` (WASI preview 1); processes, pipes, working directory,
//!   signals, sleep and terminal through WASIX imports (see `README.md` in this folder for the
//!   exact list the engine implements).
//! - `native` (everything else): the same functions on the build machine, for `cargo test`.
//!
//! The shell never renumbers its own descriptors: it keeps a table of which descriptor plays
//! stdin/stdout/stderr and hands that mapping to [`spawn`] (posix_spawn-style `dup2` actions).
//! Kernel information that WASI cannot express (process list, memory, mounts, host name, users)
//! is read from `/proc`-style files described in `README.md`.

use std::io;
use std::path::{Path, PathBuf};

#[cfg(not(target_os = "wasi"))]
mod native;
#[cfg(not(target_os = "wasi"))]
use native as backend;
#[cfg(target_os = "wasi")]
mod wasi;
#[cfg(target_os = "wasi")]
use wasi as backend;

pub mod procfs;

pub use backend::{
    chdir, getcwd, getpid, getppid, init, isatty, kill, on_interrupt, on_signal, sleep, terminal_width, wait,
};

/// A descriptor number of this process (emulated natively).
pub type RawFd = u32;

/// How [`Fd::open`] opens a path (the shell's redirection operators).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    /// `<`
    Read,
    /// `>`: create or truncate.
    Write,
    /// `>>`: create, append.
    Append,
    /// `<>`: read and write, create.
    ReadWrite,
}

impl OpenMode {
    fn options(self) -> std::fs::OpenOptions {
        let mut o = std::fs::OpenOptions::new();
        match self {
            OpenMode::Read => o.read(true),
            OpenMode::Write => o.write(true).create(true).truncate(true),
            OpenMode::Append => o.append(true).create(true),
            OpenMode::ReadWrite => o.read(true).write(true).create(true),
        };
        o
    }
}

/// An open descriptor owned by the shell; closed when dropped.
#[derive(Debug)]
pub struct Fd(RawFd);

impl Fd {
    pub fn open(path: &Path, mode: OpenMode) -> io::Result<Fd> {
        backend::open(path, mode).map(Fd)
    }
    /// A pipe: (read end, write end).
    pub fn pipe() -> io::Result<(Fd, Fd)> {
        backend::pipe().map(|(r, w)| (Fd(r), Fd(w)))
    }
    pub fn raw(&self) -> RawFd {
        self.0
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        backend::close(self.0);
    }
}

/// Reads from a descriptor (retrying on interruption).
pub fn read(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    backend::read(fd, buf)
}

/// Writes all of `buf` to a descriptor.
pub fn write_all(fd: RawFd, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        match backend::write(fd, buf) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One descriptor of a child: `target` in the child is a copy of `source` here (None: closed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpawnFd {
    pub target: RawFd,
    pub source: Option<RawFd>,
}

/// Starts `path` (already resolved, no PATH search) with `argv`, exactly the environment `env`
/// (`KEY=value` strings) and the descriptors `fds`; every other descriptor opened through this
/// module is closed in the child. Returns the child's pid.
pub fn spawn(path: &str, argv: &[String], env: &[String], fds: &[SpawnFd]) -> io::Result<u32> {
    backend::spawn(path, argv, env, fds)
}

/// Replaces this program with `path` (`execve`, same pid): like [`spawn`], descriptors 0-2 become
/// `fds`' sources and every other descriptor opened through this module is closed. Returns only
/// when the program could not be started, with 0-2 as they were.
pub fn exec(path: &str, argv: &[String], env: &[String], fds: &[SpawnFd]) -> io::Error {
    backend::exec(path, argv, env, fds)
}

/// The program to spawn for a subshell (`sh -c ...`): this executable natively, `/bin/sh` in
/// a container.
pub fn shell_path() -> String {
    #[cfg(target_os = "wasi")]
    {
        "/bin/sh".to_string()
    }
    #[cfg(not(target_os = "wasi"))]
    {
        std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|_| "/bin/sh".to_string())
    }
}

/// Unix mode bits (with the file type bits, as `st_mode`), ownership, link count, inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModeInfo {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    pub ino: u64,
}

/// `stat`/`lstat` for mode and ownership (WASI's own filestat has neither).
pub fn mode_info(path: &Path, follow: bool) -> io::Result<ModeInfo> {
    backend::mode_info(path, follow)
}

/// Sets the permission bits (the low 12 bits of `mode`).
pub fn chmod(path: &Path, mode: u32) -> io::Result<()> {
    backend::chmod(path, mode & 0o7777)
}

/// Creates a symbolic link `link` pointing at `target`.
#[allow(deprecated)] // the one portable spelling that works on Unix and WASI alike
pub fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::fs::soft_link(target, link)
}

/// An absolute, lexically normalized form of `path` (relative to the working directory).
pub fn absolute(path: &Path) -> io::Result<String> {
    let base = if path.is_absolute() { PathBuf::from("/") } else { getcwd()? };
    let mut parts: Vec<String> = Vec::new();
    for c in base.join(path).components() {
        match c {
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    Ok(format!("/{}", parts.join("/")))
}
