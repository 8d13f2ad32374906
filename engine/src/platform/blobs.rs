//! Where image content comes from. The bundled catalog (our stand-in for Docker Hub) is a folder
//! of static files built by `cargo xtask images`: `index.json` naming repositories and tags, and
//! content-addressed `blobs/sha256/<hex>` (manifests, configs, layer tars). The page fetches them
//! lazily on the first `docker pull`; natively they are read from the build folder.

use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

/// The answer to a blob request.
#[derive(Debug, Clone)]
pub enum BlobPoll {
    /// The bytes are here.
    Ready(Rc<[u8]>),
    /// A fetch is under way; ask again on a later tick.
    Pending,
    /// The blob cannot be had (missing file, network error); the text says why.
    Failed(String),
}

/// A read-only store of catalog files, addressed by their path under the catalog root
/// (`index.json`, `blobs/sha256/<hex>`).
pub trait BlobSource {
    /// Returns the file if it is available, starting a fetch if needed. Called again on every
    /// tick until it is `Ready` or `Failed`. In the browser the first call starts a `fetch()`
    /// and later calls see its result; natively the answer is immediate.
    fn poll(&mut self, path: &str) -> BlobPoll;
}

/// A catalog held in memory (tests build one on the fly).
#[derive(Debug, Default, Clone)]
pub struct MemoryBlobSource {
    files: HashMap<String, Rc<[u8]>>,
}

impl MemoryBlobSource {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Rc<[u8]>>) {
        self.files.insert(path.into(), bytes.into());
    }
}

impl BlobSource for MemoryBlobSource {
    fn poll(&mut self, path: &str) -> BlobPoll {
        match self.files.get(path) {
            Some(b) => BlobPoll::Ready(b.clone()),
            None => BlobPoll::Failed(format!("{path}: not found")),
        }
    }
}

/// A catalog read from a folder on disk (native runs: `cargo xtask shell`, tests).
#[derive(Debug, Clone)]
pub struct DirBlobSource {
    root: PathBuf,
}

impl DirBlobSource {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

impl BlobSource for DirBlobSource {
    fn poll(&mut self, path: &str) -> BlobPoll {
        if path.split('/').any(|part| part == "..") {
            return BlobPoll::Failed(format!("{path}: invalid path"));
        }
        match std::fs::read(self.root.join(path)) {
            Ok(bytes) => BlobPoll::Ready(bytes.into()),
            Err(e) => BlobPoll::Failed(format!("{}: {e}", self.root.join(path).display())),
        }
    }
}
