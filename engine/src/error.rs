//! The daemon's errors, worded as Docker's daemon words them. The CLI prints them after
//! `Error response from daemon: `, as the real client does.

use thiserror::Error;

/// Any error the daemon reports.
#[derive(Debug, Error)]
pub enum Error {
    #[error("No such container: {0}")]
    NoSuchContainer(String),
    #[error("No such image: {0}")]
    NoSuchImage(String),
    #[error("Conflict. The container name \"/{name}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.")]
    NameConflict { name: String, id: String },
    #[error("Invalid container name ({0}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")]
    InvalidName(String),
    #[error("no command specified")]
    NoCommand,
    /// The runtime could not start the main process (what runc reports through containerd).
    #[error("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {0}: unknown")]
    Exec(String),
    /// A container that must run does not (the text is the whole message).
    #[error("{0}")]
    NotRunning(String),
    /// The request conflicts with the object's state (the text is the whole message).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Pull(#[from] crate::image::PullError),
    #[error(transparent)]
    Reference(#[from] crate::image::ReferenceError),
    #[error(transparent)]
    Registry(#[from] crate::image::RegistryError),
    #[error("failed to mount the image's layers: {0}")]
    Layer(#[from] crate::image::LayerError),
    #[error(transparent)]
    Archive(#[from] crate::image::ArchiveError),
    #[error(transparent)]
    Fs(#[from] crate::fs::FsError),
    #[error(transparent)]
    Volume(#[from] crate::volume::VolumeError),
    #[error(transparent)]
    Process(#[from] crate::process::ProcessError),
    #[error(transparent)]
    Network(#[from] crate::network::NetworkError),
}
