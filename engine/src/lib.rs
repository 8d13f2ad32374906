//! # The playground's Docker engine
//!
//! A Docker daemon, its command-line client and a small Linux host, in plain Rust, with no
//! browser code: the `web` crate drives it from the page, `cargo xtask shell` drives it from a
//! native terminal, and the tests drive it directly.
//!
//! The model follows Docker's own nouns:
//! - an **image** ([`image`]) is an ordered list of content-addressed layers (tar archives) plus a
//!   config (command, environment, working directory...); the bundled catalog plays Docker Hub;
//! - a **container** ([`container`]) is a root filesystem made from an image's layers, a config,
//!   and a main process whose life is the container's life;
//! - a **process** ([`process`]) is a WebAssembly program (WASI preview 1) run by an interpreter
//!   with a fuel budget, so many of them share the page's one thread without freezing it;
//! - a **volume** ([`volume`]) is a file tree the daemon keeps apart from any container, mounted
//!   into containers beside bind mounts of the host's files and tmpfs;
//! - the **host** ([`host`]) is the learner's machine: a shell prompt where `docker` is a command;
//! - a **Compose project** ([`compose`]) is a set of services described in YAML, loaded in stages
//!   (parse, interpolate, validate, normalise) into a typed model;
//! - a **snapshot** ([`persist`]) is all of that saved, brought back after a reload as a daemon
//!   comes back after a restart;
//! - the **CLI** ([`cli`]) turns `docker ...` argv into engine calls and prints what Docker prints.
//!
//! The page feeds keystrokes with [`Engine::write_input`], calls [`Engine::tick`] with a small
//! time budget, and shows what [`Engine::take_output`] returns. Everything runs in those ticks.

pub mod cli;
pub mod compose;
pub mod container;
pub mod error;
pub mod fs;
pub mod host;
pub mod ids;
pub mod image;
pub mod network;
pub mod persist;
pub mod platform;
pub mod process;
pub mod volume;

mod daemon;
mod engine;
pub mod units;

pub use daemon::Daemon;
pub use engine::{Activity, Engine, TerminalMode};
pub use error::Error;
pub use platform::Platform;

/// The Docker version this playground imitates (`docker --version`, `docker version`).
pub const DOCKER_VERSION: &str = "28.2.2";
/// The API version printed by `docker version`.
pub const API_VERSION: &str = "1.50";
