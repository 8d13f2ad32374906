//! The `host` section: the learner's files and the shell's history. The host's userland is not
//! saved (it is installed again from the catalog at every boot, several megabytes): only what
//! differs from a freshly installed host, compared file by file with one rebuilt from the same
//! userland layer, so deleted and changed system files come back too.

use super::restore::PendingRestore;
use super::{tree, Parts, SnapshotError};
use crate::host::Host;
use crate::Daemon;
use serde::{Deserialize, Serialize};

const FILES: &str = "host/files.tar";
const SESSION: &str = "host/session.json";
/// The most history lines kept (bash's default `HISTSIZE` is 500; a session here is shorter).
const MAX_HISTORY: usize = 1000;

#[derive(Debug, Default, Serialize, Deserialize)]
struct SessionRecord {
    /// The terminal's history of entered lines, oldest first.
    #[serde(default)]
    history: Vec<String>,
}

pub(super) fn save(host: &Host, daemon: &Daemon, out: &mut Parts) -> Result<(), SnapshotError> {
    let userland = host.userland().ok_or(SnapshotError::HostNotReady)?;
    let fresh = crate::host::installed_host_fs(&userland).map_err(SnapshotError::Write)?;
    let files = tree::diff_archive(&fresh, &daemon.host_fs.without_mounts())
        .map_err(|e| SnapshotError::Write(e.to_string()))?;
    out.entries.insert(FILES.to_string(), files);
    let mut history = host.history();
    let history = history.split_off(history.len().saturating_sub(MAX_HISTORY));
    out.put_json(SESSION, &SessionRecord { history })
}

/// Reads the section; the files are checked now (applied to an empty tree), put in place once
/// the host is installed.
pub(super) fn load(parts: &Parts) -> Result<PendingRestore, SnapshotError> {
    let files = parts.entry(FILES)?.to_vec();
    tree::apply(&crate::fs::Fs::new(), &files).map_err(|e| SnapshotError::Corrupt(format!("host files: {e}")))?;
    let session: SessionRecord = parts.json(SESSION)?;
    Ok(PendingRestore { host_files: files, history: session.history, were_running: Vec::new() })
}
