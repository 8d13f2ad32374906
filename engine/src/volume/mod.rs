//! Volumes: data that outlives containers. A container's own files go when it is removed; what
//! it writes in a volume stays, for the next container that mounts it. The daemon keeps each
//! volume's files in its own tree ([`Volume::fs`], Docker's `/var/lib/docker/volumes/NAME/_data`),
//! in its store, so the page can save them. A volume is named (`docker volume create data`,
//! `-v data:/var/lib/data`, created on first use) or anonymous (`-v /data`, an image's `VOLUME`:
//! a random 64-hex name and the label `com.docker.volume.anonymous`, removed with the container
//! by `docker rm -v` and `--rm`, and by `docker volume prune`).
//!
//! Besides volumes a container can mount a file or folder of the host (a bind mount: the
//! learner's own files, edits show both ways at once) or a fresh in-memory tree (tmpfs). The
//! modules follow the path of a mount:
//! - [`flags`]: what the client makes of `-v`, `--mount`, `--tmpfs`;
//! - [`spec`]: what the daemon makes of them ([`MountSpec`], Docker's Linux parser);
//! - [`mount_point`]: the container's mounts, registered at create (volumes created and filled
//!   with the image's content on first use, `--volumes-from` copied) and what `inspect` shows;
//! - [`setup`]: the container's filesystem with its mounts, built at create and at each start;
//! - [`create`], [`remove`], [`store`]: the volumes themselves.

mod create;
mod error;
pub mod flags;
pub mod mount_point;
mod remove;
mod setup;
pub mod spec;
mod store;

pub use create::VolumeCreate;
pub use error::VolumeError;
pub use mount_point::MountPoint;
pub use remove::{has_label, PruneFilter, PruneReport};
pub use spec::{MountSpec, MountType, VolumeOptions};
pub use store::VolumeStore;

use crate::fs::{Fs, NodeKind, NodeRef};
use std::collections::BTreeMap;

/// The label that marks an anonymous volume.
pub const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";

/// The only volume driver: the daemon's own storage.
pub const LOCAL_DRIVER: &str = "local";

/// A volume.
#[derive(Debug, Clone)]
pub struct Volume {
    pub name: String,
    pub driver: String,
    /// `None` when it was created without any (a volume `docker run -v` creates shows `null`).
    pub labels: Option<BTreeMap<String, String>>,
    /// The driver options (`-o type=tmpfs`); `None` as for labels.
    pub options: Option<BTreeMap<String, String>>,
    /// Milliseconds since the epoch.
    pub created_ms: u64,
    /// Its files.
    pub fs: Fs,
}

impl Volume {
    /// Where Docker keeps its files on the host (what `inspect` shows).
    pub fn mountpoint(&self) -> String {
        format!("/var/lib/docker/volumes/{}/_data", self.name)
    }

    pub fn is_anonymous(&self) -> bool {
        self.labels.as_ref().is_some_and(|l| l.contains_key(ANONYMOUS_LABEL))
    }

    /// A local volume with `-o type=tmpfs`: empty each time a first container mounts it.
    pub fn is_tmpfs(&self) -> bool {
        self.options.as_ref().and_then(|o| o.get("type")).is_some_and(|t| t == "tmpfs")
    }

    /// The bytes its files hold (what `docker system df` and `prune` count).
    pub fn size(&self) -> u64 {
        tree_size(&self.fs.root())
    }

    /// Whether it holds nothing (a first mount then fills it with the image's content).
    pub fn is_empty(&self) -> bool {
        matches!(&self.fs.root().borrow().kind, NodeKind::Dir(entries) if entries.is_empty())
    }
}

/// The bytes of the files and link targets below `node`.
fn tree_size(node: &NodeRef) -> u64 {
    match &node.borrow().kind {
        NodeKind::Dir(entries) => entries.values().map(tree_size).sum(),
        NodeKind::File(data) => data.len() as u64,
        NodeKind::Symlink(target) => target.len() as u64,
    }
}

#[cfg(test)]
mod tests;
