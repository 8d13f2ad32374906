//! The engine's error type, composed of each module's errors. The CLI prints them as Docker does
//! (`Error response from daemon: ...`).

use thiserror::Error;

/// Any error the engine reports.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Fs(#[from] crate::fs::FsError),
    #[error(transparent)]
    Process(#[from] crate::process::ProcessError),
}
