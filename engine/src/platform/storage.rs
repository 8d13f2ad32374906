//! Where snapshots ([`crate::persist::Snapshot`]) are kept between page loads. The page keeps
//! them in IndexedDB, whose requests answer later, while the engine runs in synchronous ticks: as
//! with [`super::BlobSource`], an operation starts at once and its result is polled on later
//! ticks. Natively, [`MemoryStorage`] (tests) and [`FileStorage`] (`cargo xtask shell --state
//! FILE`) answer at once.
//!
//! Besides the current snapshot a storage keeps one that could not be restored (damaged, or
//! written by a newer engine), set aside so a fresh start does not overwrite it and the learner
//! can still download it.

use crate::persist::Snapshot;
use std::path::PathBuf;

/// The answer to a storage request.
#[derive(Debug, Clone)]
pub enum StoragePoll<T> {
    Ready(T),
    /// Under way: ask again on a later tick.
    Pending,
    Failed(StorageError),
}

/// Why a storage request failed. The page words each for the learner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser (or the disk) refused to store more.
    #[error("storage quota exceeded: {0}")]
    QuotaExceeded(String),
    /// There is no storage here: private browsing, a sandboxed iframe, storage disabled.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Another tab keeps an older version of the database open.
    #[error("storage blocked by another tab of this page")]
    Blocked,
    #[error("{0}")]
    Other(String),
}

/// What a storage holds.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    /// The last snapshot saved.
    pub current: Option<Snapshot>,
    /// A snapshot that could not be restored, in its portable form ([`Snapshot::to_bytes`]).
    pub set_aside: Option<Vec<u8>>,
}

/// A place to keep snapshots.
pub trait Storage {
    /// Reads what is stored; `Pending` until it is read (the first call starts the read).
    fn poll_load(&mut self) -> StoragePoll<Stored>;
    /// Starts replacing the current snapshot with `snapshot`.
    fn start_save(&mut self, snapshot: &Snapshot);
    /// Starts setting aside a snapshot that could not be restored (`bytes`, its portable form)
    /// in place of the current one, which is deleted.
    fn start_set_aside(&mut self, bytes: Vec<u8>);
    /// Starts deleting the snapshot set aside.
    fn start_forget_set_aside(&mut self);
    /// Starts deleting everything.
    fn start_clear(&mut self);
    /// How the writes started so far went: `Pending` while one is under way, else the first
    /// failure since the last call, else `Ready`.
    fn poll_writes(&mut self) -> StoragePoll<()>;
}

/// A storage in memory, with an optional quota (tests).
#[derive(Debug, Clone, Default)]
pub struct MemoryStorage {
    pub stored: Stored,
    /// Bytes a snapshot may take; a larger one fails with [`StorageError::QuotaExceeded`].
    pub quota: Option<usize>,
    failure: Option<StorageError>,
}

impl MemoryStorage {
    /// An empty storage that refuses snapshots larger than `quota` bytes.
    pub fn with_quota(quota: usize) -> Self {
        Self { quota: Some(quota), ..Self::default() }
    }
}

impl Storage for MemoryStorage {
    fn poll_load(&mut self) -> StoragePoll<Stored> {
        StoragePoll::Ready(self.stored.clone())
    }
    fn start_save(&mut self, snapshot: &Snapshot) {
        match self.quota {
            Some(quota) if snapshot.size() > quota => {
                let why = format!("{} bytes do not fit in {quota}", snapshot.size());
                self.failure.get_or_insert(StorageError::QuotaExceeded(why));
            }
            _ => self.stored.current = Some(snapshot.clone()),
        }
    }
    fn start_set_aside(&mut self, bytes: Vec<u8>) {
        self.stored = Stored { current: None, set_aside: Some(bytes) };
    }
    fn start_forget_set_aside(&mut self) {
        self.stored.set_aside = None;
    }
    fn start_clear(&mut self) {
        self.stored = Stored::default();
    }
    fn poll_writes(&mut self) -> StoragePoll<()> {
        match self.failure.take() {
            Some(e) => StoragePoll::Failed(e),
            None => StoragePoll::Ready(()),
        }
    }
}

/// A storage in one file (the portable form), with the set-aside snapshot beside it
/// (`FILE.rejected`). Writes go to a temporary file renamed over the old one, so a crash
/// mid-write leaves the previous snapshot whole.
#[derive(Debug, Clone)]
pub struct FileStorage {
    path: PathBuf,
    failure: Option<StorageError>,
}

fn storage_error(path: &std::path::Path, e: &std::io::Error) -> StorageError {
    let what = format!("{}: {e}", path.display());
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => StorageError::QuotaExceeded(what),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            StorageError::Unavailable(what)
        }
        _ => StorageError::Other(what),
    }
}

impl FileStorage {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into(), failure: None }
    }

    fn aside_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".rejected");
        PathBuf::from(name)
    }

    fn read(path: &std::path::Path) -> Result<Option<Vec<u8>>, StorageError> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(storage_error(path, &e)),
        }
    }

    /// Writes `bytes` at `path`; false (the failure recorded) if it could not.
    fn write(&mut self, path: &std::path::Path, bytes: &[u8]) -> bool {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        if let Err(e) = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path)) {
            self.failure.get_or_insert(storage_error(path, &e));
            return false;
        }
        true
    }

    fn remove(&mut self, path: &std::path::Path) {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                self.failure.get_or_insert(storage_error(path, &e));
            }
            _ => {}
        }
    }
}

impl Storage for FileStorage {
    fn poll_load(&mut self) -> StoragePoll<Stored> {
        let load = || -> Result<Stored, StorageError> {
            // A file that is not a snapshot is still handed over (as a state that will not
            // restore), so that it is set aside rather than overwritten.
            let current = Self::read(&self.path)?
                .map(|bytes| Snapshot::from_bytes(&bytes).unwrap_or_else(|_| Snapshot::from_parts(bytes, [])));
            Ok(Stored { current, set_aside: Self::read(&self.aside_path())? })
        };
        match load() {
            Ok(stored) => StoragePoll::Ready(stored),
            Err(e) => StoragePoll::Failed(e),
        }
    }
    fn start_save(&mut self, snapshot: &Snapshot) {
        let path = self.path.clone();
        self.write(&path, &snapshot.to_bytes());
    }
    fn start_set_aside(&mut self, bytes: Vec<u8>) {
        let (aside, path) = (self.aside_path(), self.path.clone());
        // The current snapshot goes only once its copy is safe.
        if self.write(&aside, &bytes) {
            self.remove(&path);
        }
    }
    fn start_forget_set_aside(&mut self) {
        let aside = self.aside_path();
        self.remove(&aside);
    }
    fn start_clear(&mut self) {
        let (aside, path) = (self.aside_path(), self.path.clone());
        self.remove(&path);
        self.remove(&aside);
    }
    fn poll_writes(&mut self) -> StoragePoll<()> {
        match self.failure.take() {
            Some(e) => StoragePoll::Failed(e),
            None => StoragePoll::Ready(()),
        }
    }
}
