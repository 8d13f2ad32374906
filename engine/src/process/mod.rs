//! Processes: what runs inside a container. Each process is a WebAssembly module built for WASI
//! preview 1 (`wasm32-wasip1`), run by the `wasmi` interpreter in its own store. The kernel here
//! schedules them on the page's single thread:
//!
//! - preemption: every process runs with a fuel slice ([`FUEL_SLICE`]); when the slice is used up
//!   the call returns a resumable "out of fuel" state and the next process gets its turn;
//! - blocking: a host call that would block (reading an empty pipe, writing a full one, sleeping)
//!   returns a resumable host trap; the process sleeps until its wake condition holds, then the
//!   call is completed and the guest resumes as if it had never stopped.
//!
//! So a container spinning in `while true; do :; done` never freezes the page or starves others.
//!
//! Public contract used by the rest of the engine (containers, CLI):
//! [`Kernel::new`], [`Kernel::spawn`] with a [`SpawnSpec`], [`Kernel::run`] with a deadline,
//! [`Kernel::status`], [`Kernel::kill`], [`Kernel::reap`], [`Kernel::pids`], and [`Pipe`] for
//! stdio.

mod blocked;
mod errno;
mod fdtable;
mod kernel;
mod loader;
mod mem;
mod pipe;
mod state;
mod wasi;

#[cfg(test)]
mod tests;

pub use kernel::{Kernel, DEFAULT_MEMORY_LIMIT, FUEL_SLICE, MAX_SLICES_PER_RUN};
pub use pipe::{Pipe, PIPE_CAPACITY};

use std::fmt;
use std::rc::Rc;
use thiserror::Error;

/// A process id, unique within one [`Kernel`] until the process is reaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid(pub u32);

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a standard stream (fd 0, 1 or 2) is bound to.
#[derive(Debug, Clone)]
pub enum Stdio {
    /// Nothing, like `/dev/null`: reads see end of file, writes are swallowed.
    Null,
    /// A pipe: the process reads its stdin from it, or writes its stdout/stderr into it.
    Pipe(Pipe),
}

/// Everything needed to start a process (`execve` plus the container's setup).
#[derive(Debug, Clone)]
pub struct SpawnSpec {
    /// The WebAssembly module (the executable file's content).
    pub program: Rc<[u8]>,
    /// `argv`, `argv[0]` included.
    pub args: Vec<String>,
    /// The environment, as `KEY=value` strings.
    pub env: Vec<String>,
    /// The working directory, absolute.
    pub cwd: String,
    /// The container's root filesystem, preopened as "/" (fd 3).
    pub fs: crate::fs::Fs,
    pub stdin: Stdio,
    pub stdout: Stdio,
    pub stderr: Stdio,
}

/// Where a process stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcStatus {
    /// Runnable: it will get slices.
    Running,
    /// Waiting in a system call (input, room in a pipe, a timer).
    Blocked,
    /// Done, with its exit status (0-255; 128+n when killed by signal n).
    Exited(i32),
}

/// What [`Kernel::run`] leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// The deadline came while processes could still run: call again soon.
    Busy,
    /// Every live process is blocked. Call again when input arrives, or at `wake_at_micros`
    /// (monotonic clock) when a sleep ends.
    Waiting { wake_at_micros: Option<u64> },
    /// No live process.
    Idle,
}

/// Signals [`Kernel::kill`] can send. No process handles signals yet: each one terminates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `SIGINT` (2): Ctrl-C.
    Int,
    /// `SIGTERM` (15): `docker stop`'s polite request.
    Term,
    /// `SIGKILL` (9): `docker kill`, or `docker stop` after the grace period.
    Kill,
}

impl Signal {
    /// The Linux signal number.
    pub fn number(self) -> i32 {
        match self {
            Signal::Int => 2,
            Signal::Term => 15,
            Signal::Kill => 9,
        }
    }
}

/// Why a process could not be started.
#[derive(Debug, Error)]
pub enum ProcessError {
    /// Not a valid WebAssembly module (the detail says why). Docker: `exec format error`.
    #[error("exec format error")]
    ExecFormat(String),
    /// The module imports something the kernel does not provide.
    #[error("exec format error: unsupported import {module}::{name}")]
    UnknownImport { module: String, name: String },
    /// The module has no `_start` function taking and returning nothing.
    #[error("exec format error: no _start entry point")]
    NoEntryPoint,
    /// Instantiation failed (memory beyond the limit, a start function that trapped...).
    #[error("cannot start process: {0}")]
    Instantiate(String),
}
