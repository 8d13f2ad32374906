//! What the servers' native end-to-end tests share: a temporary folder removed at the end, and a
//! free local port to listen on. Not used by the guests themselves (dropped from their builds).

use std::net::TcpListener;
use std::path::PathBuf;

/// A temporary folder, `<tmp>/<prefix>-<name>-<pid>`, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// # Panics
    /// If the folder cannot be made (tests only).
    pub fn new(prefix: &str, name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("{prefix}-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temporary folder");
        TempDir(p)
    }

    /// `rel` inside the folder, as text.
    pub fn path(&self, rel: &str) -> String {
        self.0.join(rel).display().to_string()
    }

    /// Writes `text` to `rel`, making its folders.
    ///
    /// # Panics
    /// If the file cannot be written (tests only).
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).expect("folder");
        }
        std::fs::write(p, text).expect("file");
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A local port nobody listens on now.
///
/// # Panics
/// If no port can be bound (tests only).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}
