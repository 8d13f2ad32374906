//! The virtual filesystem every container and the host see. A container's root filesystem is
//! built from its image's layers (each a tar archive) with the container's own changes on top;
//! processes open files in it through WASI. Nodes are shared, reference-counted inodes, so an open
//! file descriptor keeps working after the file is renamed or unlinked, as on Linux. Other trees
//! (volumes, host folders, tmpfs) can be mounted on a filesystem's paths ([`MountTable`]).

mod diff;
mod error;
mod mount;
mod tree;

pub use diff::{diff, Change, ChangeKind};
pub use error::FsError;
pub use mount::{Mount, MountTable};
pub use tree::{Fs, Meta, Node, NodeKind, NodeRef};
