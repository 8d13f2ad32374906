//! The learner's machine: the host that runs Docker. It has a shell prompt where `docker` is a
//! command, a line editor for the terminal, and (later) its own files and localhost ports.
//! Until the guest `sh` runs here too, a small command runner stands in for the shell.

mod files;
mod line_editor;
mod shell;

pub use files::{absolute, new_host_fs, HOME, USER};
pub use line_editor::{EditEvent, LineEditor};
pub use shell::Host;
