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
//! Programs start other programs (a shell running `ls | wc -l`) with the WASIX extensions
//! (`wasix_32v1`): `proc_spawn` (there is no `fork`), `proc_exec`, `proc_join`, pipes, `dup`,
//! `chdir`, signals, the terminal (see [`wasix`]). A terminal's line discipline (echo, line
//! editing, Ctrl-C) is in [`tty`].
//!
//! Each container is a process group ([`GroupId`]) and a PID namespace: its processes see one
//! another numbered from 1 (see `namespace`), and they see their container through a `/proc`
//! made up from the process table ([`procfs`]) and the devices of `/dev` (`devfs`), both mounted
//! over the container's filesystem (`vfs`).
//!
//! Public contract used by the rest of the engine (containers, CLI):
//! [`Kernel::new`], [`Kernel::spawn`] with a [`SpawnSpec`] (or [`Kernel::spawn_with`] and
//! [`SpawnOptions`]: the container's [`GroupId`], PID 1 rules), [`Kernel::run`] with a deadline,
//! [`Kernel::status`], [`Kernel::kill`], [`Kernel::reap`], [`Kernel::pids`], per-group limits
//! ([`Kernel::new_group`], [`Kernel::set_pids_limit`], [`Kernel::kill_group`], and the freezer:
//! [`Kernel::freeze_group`], [`Kernel::thaw_group`]), the container's
//! identity ([`Kernel::set_group_info`] with a [`GroupInfo`]), what runs in it
//! ([`Kernel::processes`], [`ProcessInfo`], [`Kernel::namespaced_pid`]), and [`Pipe`] or [`Tty`]
//! for stdio. [`Pid`]s in this API are global (what the host sees, as in `docker top`).

mod access;
mod blocked;
mod deliver;
mod devfs;
mod errno;
mod fdtable;
mod groups;
mod kernel;
mod line_edit;
mod loader;
mod mem;
mod mounts;
mod namespace;
pub mod native;
mod pipe;
pub mod procfs;
mod procnet;
mod sched;
mod script;
mod settle;
pub mod signal;
mod state;
pub mod tty;
mod vfs;
mod wasi;
pub mod wasix;

#[cfg(test)]
mod freezer_tests;
#[cfg(test)]
mod namespace_tests;
#[cfg(test)]
mod signal_tests;
#[cfg(test)]
mod sock_tests;
#[cfg(test)]
mod test_world;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod wasix_tests;

pub use kernel::{Kernel, DEFAULT_MEMORY_LIMIT, DEFAULT_PIDS_LIMIT, FUEL_SLICE, MAX_PROCESSES, MAX_SLICES_PER_RUN};
pub use line_edit::{EditEvent, LineEditor};
pub use namespace::{GroupInfo, ProcessInfo, ProcessState};
pub use pipe::{drain_in_order, Pipe, PIPE_CAPACITY};
pub use signal::Signal;
pub use tty::{Tty, TtyMode};

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

/// A set of processes with a common limit: a container (its pid namespace and `pids` cgroup).
/// Children join their parent's group; signals from a guest reach only its own group. Group 0
/// is where processes go when nobody says otherwise ([`Kernel::spawn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct GroupId(pub u32);

/// What a standard stream (fd 0, 1 or 2) is bound to.
#[derive(Debug, Clone)]
pub enum Stdio {
    /// Nothing, like `/dev/null`: reads see end of file, writes are swallowed.
    Null,
    /// A pipe: the process reads its stdin from it, or writes its stdout/stderr into it.
    Pipe(Pipe),
    /// A terminal (`-t`): a character device (`isatty` is true) with a line discipline; the
    /// first one among a process's stdio is its controlling terminal (Ctrl-C reaches it).
    Tty(Tty),
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
    /// The working directory, absolute: WASIX `getcwd` reports it and children start there.
    pub cwd: String,
    /// The container's root filesystem, preopened as "/" (fd 3); children spawned by the
    /// process find their programs in it too.
    pub fs: crate::fs::Fs,
    pub stdin: Stdio,
    pub stdout: Stdio,
    pub stderr: Stdio,
}

/// How the engine starts a process, beyond the program and its stdio ([`Kernel::spawn_with`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct SpawnOptions {
    /// The container it belongs to; its children join it too.
    pub group: GroupId,
    /// PID 1 rules: signals it does not handle are not delivered (except `SIGKILL`), so a shell
    /// as a container's main process survives `docker stop`'s `SIGTERM`. For main processes.
    pub pid1: bool,
}

/// Where a process stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcStatus {
    /// Runnable: it will get slices.
    Running,
    /// Waiting in a system call (input, room in a pipe, a timer, a child).
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
    /// A `#!` script whose interpreter does not exist (`execve`'s `ENOENT`).
    #[error("no such file or directory")]
    NoInterpreter(String),
    /// The group's process limit is reached (`pids.max`).
    #[error("cannot start process: resource temporarily unavailable (too many processes)")]
    TooManyProcesses,
}
