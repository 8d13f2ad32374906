//! What the tools need from the system, gathered in [`Ctx`]: the root of the filesystem they
//! manage (`/` in a container, a temporary folder in tests, `--root` for apk), the output
//! streams, standard input, whether stdout is a terminal, the clock and the network.

#[cfg(target_os = "wasi")]
mod ffi;

use crate::net::{HttpNet, Net};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// The world a tool runs in.
pub struct Ctx {
    /// The filesystem root every absolute path is taken under.
    pub root: PathBuf,
    pub out: Box<dyn Write>,
    pub err: Box<dyn Write>,
    pub input: Box<dyn BufRead>,
    /// Standard output is a terminal (apt prints `... Done` and progress only then).
    pub tty: bool,
    pub net: Box<dyn Net>,
    /// Seconds since the epoch.
    pub now: u64,
}

impl Ctx {
    /// The real process: `/`, the standard streams, the playground's network.
    pub fn system() -> Ctx {
        Ctx {
            root: PathBuf::from("/"),
            out: Box::new(io::stdout()),
            err: Box::new(io::stderr()),
            input: Box::new(io::BufReader::new(io::stdin())),
            tty: is_tty(1),
            net: Box::new(HttpNet::system()),
            now: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        }
    }

    pub fn print(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    pub fn println(&mut self, line: &str) {
        self.print(&format!("{line}\n"));
    }

    pub fn eprintln(&mut self, line: &str) {
        let _ = self.out.flush();
        let _ = self.err.write_all(format!("{line}\n").as_bytes());
        let _ = self.err.flush();
    }

    /// Reads one line of standard input (`None` at end of input).
    pub fn read_line(&mut self) -> Option<String> {
        let mut line = String::new();
        match self.input.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        }
    }

    /// The real path of `path` (absolute, as seen inside the managed system).
    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }

    pub fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.path(path))
    }

    pub fn read_string(&self, path: &str) -> io::Result<String> {
        std::fs::read_to_string(self.path(path))
    }

    /// Writes a file, creating its folders.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let full = self.path(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, bytes)
    }

    pub fn mkdir(&self, path: &str, mode: u32) -> io::Result<()> {
        let full = self.path(path);
        if full.is_dir() {
            return Ok(());
        }
        std::fs::create_dir_all(&full)?;
        chmod(&full, mode, &self.root)
    }

    /// Whether something (even a dangling link) is at `path`.
    pub fn exists(&self, path: &str) -> bool {
        std::fs::symlink_metadata(self.path(path)).is_ok()
    }

    pub fn is_dir(&self, path: &str) -> bool {
        std::fs::symlink_metadata(self.path(path)).is_ok_and(|m| m.is_dir())
    }

    /// Removes a file or link (not a folder); a missing one is not an error.
    pub fn remove(&self, path: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Removes an empty folder; returns whether it did.
    pub fn remove_empty_dir(&self, path: &str) -> bool {
        std::fs::remove_dir(self.path(path)).is_ok()
    }

    /// The names in a folder, sorted (empty if it does not exist).
    pub fn list(&self, dir: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(dir))
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Creates or replaces a file with `bytes` and `mode`.
    pub fn install_file(&self, path: &str, bytes: &[u8], mode: u32) -> io::Result<()> {
        let _ = self.remove(path);
        self.write(path, bytes)?;
        chmod(&self.path(path), mode, &self.root)
    }

    /// Creates or replaces a symbolic link.
    pub fn install_link(&self, path: &str, target: &str) -> io::Result<()> {
        let _ = self.remove(path);
        let full = self.path(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        symlink(target, &full)
    }

    /// The modification time of a file, in seconds since the epoch.
    pub fn mtime(&self, path: &str) -> Option<u64> {
        let m = std::fs::metadata(self.path(path)).ok()?.modified().ok()?;
        m.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs())
    }
}

#[allow(deprecated)] // the one spelling that works on Unix and WASI alike
fn symlink(target: &str, link: &Path) -> io::Result<()> {
    std::fs::soft_link(target, link)
}

#[cfg(target_os = "wasi")]
fn chmod(path: &Path, mode: u32, root: &Path) -> io::Result<()> {
    // The playground's call takes the path from the container's root.
    let inside = Path::new("/").join(path.strip_prefix(root).unwrap_or(path));
    ffi::chmod(&inside.to_string_lossy(), mode)
}

#[cfg(not(target_os = "wasi"))]
fn chmod(path: &Path, mode: u32, _root: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o7777))
}

/// Whether a descriptor is a terminal.
#[cfg(target_os = "wasi")]
pub fn is_tty(fd: u32) -> bool {
    ffi::is_terminal(fd)
}

#[cfg(not(target_os = "wasi"))]
pub fn is_tty(fd: u32) -> bool {
    use std::io::IsTerminal;
    match fd {
        0 => io::stdin().is_terminal(),
        1 => io::stdout().is_terminal(),
        _ => io::stderr().is_terminal(),
    }
}
