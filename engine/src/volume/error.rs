//! What can go wrong with volumes and mounts, worded as Docker's daemon words it (the CLI adds
//! `Error response from daemon: `). Operations on a volume say which (`remove data: ...`), as
//! the volume store's `OpErr` does.

use thiserror::Error;

/// A volume or mount error.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum VolumeError {
    #[error("get {0}: no such volume")]
    NoSuchVolume(String),
    /// `users`: the full IDs of the containers that use it.
    #[error("remove {name}: volume is in use - [{}]", users.join(", "))]
    InUse { name: String, users: Vec<String> },
    #[error("create {0}: volume name is too short, names should be at least two alphanumeric characters")]
    NameTooShort(String),
    #[error("create {0}: \"{0}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    InvalidName(String),
    #[error("create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found")]
    UnknownDriver { name: String, driver: String },
    #[error("create {name}: invalid option: \"{option}\"")]
    InvalidOption { name: String, option: String },
    #[error("create {name}: missing required option: \"{option}\"")]
    MissingOption { name: String, option: String },
    #[error("create {0}: quota size requested but no quota support")]
    NoQuota(String),
    /// A `-v` that does not parse; `detail` says more when there is more to say.
    #[error("invalid volume specification: '{spec}'{}", detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    InvalidSpec { spec: String, detail: Option<String> },
    #[error("invalid mode: {0}")]
    InvalidMode(String),
    /// A mount that cannot be (`kind`: volume, bind, tmpfs).
    #[error("invalid mount config for type \"{kind}\": {detail}")]
    MountConfig { kind: String, detail: String },
    #[error("Duplicate mount point: {0}")]
    Duplicate(String),
    #[error("invalid mount path: '{0}' mount path must be absolute")]
    RelativePath(String),
    #[error("invalid specification: destination can't be '/'")]
    TargetIsRoot,
    #[error("cannot mount volume over existing file, file exists {0}")]
    OverFile(String),
    #[error("volumes-from specification cannot be an empty string")]
    EmptyVolumesFrom,
}
