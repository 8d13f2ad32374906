//! The native backend: the same interface on the build machine, so `cargo test` runs the shell and
//! the applets natively and fast. Only safe `std` is used.
//!
//! Descriptors are emulated: a table maps small numbers to open `File`s (0, 1, 2 start as copies
//! of the real standard streams). Children get descriptors 0, 1 and 2 from that table; higher
//! descriptors are not passed on natively. A program path like `/bin/ls` whose name is an applet
//! runs this same executable (argv[0] = `ls`), so tests never depend on the host's tools.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::time::Duration;

use super::{ModeInfo, OpenMode, RawFd, SpawnFd};

#[derive(Default)]
struct Table {
    files: BTreeMap<RawFd, Rc<File>>,
    children: BTreeMap<u32, Child>,
    ready: bool,
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
}

fn with<T>(f: impl FnOnce(&mut Table) -> T) -> T {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        if !t.ready {
            t.ready = true;
            let std_fds = [
                io::stdin().as_fd().try_clone_to_owned(),
                io::stdout().as_fd().try_clone_to_owned(),
                io::stderr().as_fd().try_clone_to_owned(),
            ];
            for (i, fd) in std_fds.into_iter().enumerate() {
                if let Ok(fd) = fd {
                    t.files.insert(i as RawFd, Rc::new(File::from(fd)));
                }
            }
        }
        f(&mut t)
    })
}

fn insert(file: File) -> RawFd {
    with(|t| {
        let mut fd = 3;
        while t.files.contains_key(&fd) {
            fd += 1;
        }
        t.files.insert(fd, Rc::new(file));
        fd
    })
}

fn get(fd: RawFd) -> io::Result<Rc<File>> {
    with(|t| t.files.get(&fd).cloned())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "Bad file descriptor"))
}

pub fn init() {}

pub fn open(path: &Path, mode: OpenMode) -> io::Result<RawFd> {
    Ok(insert(mode.options().open(path)?))
}

pub fn close(fd: RawFd) {
    with(|t| t.files.remove(&fd));
}

pub fn pipe() -> io::Result<(RawFd, RawFd)> {
    let (r, w) = io::pipe()?;
    let r = File::from(std::os::fd::OwnedFd::from(r));
    let w = File::from(std::os::fd::OwnedFd::from(w));
    Ok((insert(r), insert(w)))
}

pub fn read(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    let f = get(fd)?;
    let mut r: &File = &f;
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

pub fn write(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    let f = get(fd)?;
    let mut w: &File = &f;
    w.write(buf)
}

pub fn isatty(fd: RawFd) -> bool {
    use std::io::IsTerminal;
    get(fd).map(|f| f.is_terminal()).unwrap_or(false)
}

pub fn terminal_width() -> Option<usize> {
    None
}

/// Maps `/bin/ls`, `/usr/bin/env`, ... to this executable when the name is an applet.
fn native_program(path: &str) -> (PathBuf, Option<String>) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let standard = ["/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/"].iter().any(|d| path.strip_prefix(d) == Some(name));
    if standard && crate::applets::find(name).is_some() {
        if let Ok(exe) = std::env::current_exe() {
            return (exe, Some(name.to_string()));
        }
    }
    (PathBuf::from(path), None)
}

pub fn spawn(path: &str, argv: &[String], env: &[String], fds: &[SpawnFd]) -> io::Result<u32> {
    let (program, applet) = native_program(path);
    let mut cmd = Command::new(program);
    if let Some(first) = argv.first() {
        cmd.arg0(applet.as_deref().unwrap_or(first));
    }
    cmd.args(argv.iter().skip(1));
    cmd.env_clear();
    for kv in env {
        if let Some((k, v)) = kv.split_once('=') {
            cmd.env(k, v);
        }
    }
    let stdio = |target: RawFd| -> io::Result<Stdio> {
        match fds.iter().find(|f| f.target == target) {
            Some(SpawnFd { source: Some(src), .. }) => Ok(Stdio::from(get(*src)?.try_clone()?)),
            Some(SpawnFd { source: None, .. }) => Ok(Stdio::null()),
            None => Ok(Stdio::from(get(target)?.try_clone()?)),
        }
    };
    cmd.stdin(stdio(0)?).stdout(stdio(1)?).stderr(stdio(2)?);
    let child = cmd.spawn()?;
    let pid = child.id();
    with(|t| t.children.insert(pid, child));
    Ok(pid)
}

/// `execve` natively: the emulated descriptors become the new program's stdio.
pub fn exec(path: &str, argv: &[String], env: &[String], fds: &[SpawnFd]) -> io::Error {
    let (program, applet) = native_program(path);
    let mut cmd = Command::new(program);
    if let Some(first) = argv.first() {
        cmd.arg0(applet.as_deref().unwrap_or(first));
    }
    cmd.args(argv.iter().skip(1)).env_clear();
    for kv in env {
        if let Some((k, v)) = kv.split_once('=') {
            cmd.env(k, v);
        }
    }
    let stdio = |target: RawFd| -> io::Result<Stdio> {
        match fds.iter().find(|f| f.target == target) {
            Some(SpawnFd { source: Some(src), .. }) => Ok(Stdio::from(get(*src)?.try_clone()?)),
            Some(SpawnFd { source: None, .. }) => Ok(Stdio::null()),
            None => Ok(Stdio::from(get(target)?.try_clone()?)),
        }
    };
    match (stdio(0), stdio(1), stdio(2)) {
        (Ok(i), Ok(o), Ok(e)) => cmd.stdin(i).stdout(o).stderr(e).exec(),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => e,
    }
}

fn code(status: std::process::ExitStatus) -> i32 {
    status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

pub fn wait(pid: u32) -> io::Result<i32> {
    let child = with(|t| t.children.remove(&pid));
    match child {
        Some(mut c) => Ok(code(c.wait()?)),
        None => Err(io::Error::other("No child process")),
    }
}

pub fn getpid() -> u32 {
    std::process::id()
}

pub fn getppid() -> u32 {
    std::os::unix::process::parent_id()
}

pub fn kill(pid: u32, sig: i32) -> io::Result<()> {
    // No safe `kill(2)` in std: ask the host's kill(1), good enough for tests.
    let tool = ["/bin/kill", "/usr/bin/kill"].into_iter().find(|p| Path::new(p).exists()).unwrap_or("/bin/kill");
    let status = Command::new(tool).arg(format!("-{sig}")).arg(pid.to_string()).stderr(Stdio::null()).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::new(io::ErrorKind::NotFound, "No such process"))
    }
}

/// Natively, Ctrl-C keeps its default action (the tests never send it).
pub fn on_interrupt(_handler: fn()) {}

pub fn on_signal(_handler: fn(i32)) {}

pub fn sleep(d: Duration) {
    std::thread::sleep(d);
}

pub fn chdir(path: &Path) -> io::Result<()> {
    std::env::set_current_dir(path)
}

pub fn getcwd() -> io::Result<PathBuf> {
    std::env::current_dir()
}

pub fn mode_info(path: &Path, follow: bool) -> io::Result<ModeInfo> {
    let m = if follow { std::fs::metadata(path)? } else { std::fs::symlink_metadata(path)? };
    Ok(ModeInfo { mode: m.mode(), uid: m.uid(), gid: m.gid(), nlink: m.nlink() as u32, ino: m.ino() })
}

pub fn chmod(path: &Path, mode: u32) -> io::Result<()> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}
