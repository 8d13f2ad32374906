//! Filesystem errors, shaped like errno values so the WASI layer maps them one to one.

use thiserror::Error;

/// What went wrong with a path or file operation.
#[derive(Debug, Error, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    #[error("No such file or directory")]
    NotFound,
    #[error("Not a directory")]
    NotDir,
    #[error("Is a directory")]
    IsDir,
    #[error("File exists")]
    Exists,
    #[error("Directory not empty")]
    NotEmpty,
    #[error("Invalid argument")]
    Invalid,
    #[error("Too many levels of symbolic links")]
    Loop,
    #[error("Permission denied")]
    Access,
    #[error("Read-only file system")]
    ReadOnly,
}
