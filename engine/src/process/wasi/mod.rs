//! The system call interface: WASI preview 1 (`wasi_snapshot_preview1`), what a Rust program built
//! for `wasm32-wasip1` imports to do I/O, read its arguments and environment, tell the time, get
//! random bytes and exit. Each call is a host function linked into the program; it works on the
//! process's [`ProcState`] (descriptors, filesystem) and on the guest's memory, and returns an
//! errno. Calls that may wait (`fd_read`, `fd_write`, `poll_oneoff`, `sched_yield`) go through
//! [`Op`] so the kernel can park the process and finish the call later. A call the kernel does
//! not implement still links and returns `ENOSYS`, as an unknown syscall does on Linux.

pub mod args_env;
pub mod clock_random;
pub mod fd;
mod link;
pub mod path;
pub mod poll;
pub mod types;

pub use link::linker;

use super::blocked::{Blocked, KOp, Killed, Op};
use super::errno::{to_code, Errno};
use super::state::ProcState;
use wasmi::errors::LinkerError;
use wasmi::{Caller, Error, FuncType, Linker, Val, ValType};

/// The import module name of WASI preview 1.
pub const MODULE: &str = "wasi_snapshot_preview1";

pub(crate) type Cx<'a> = Caller<'a, ProcState>;

/// Runs `f` with the process state and the guest's memory (empty if it exports none, so every
/// pointer is then `EFAULT`).
pub fn with_mem<R>(c: &mut Cx<'_>, f: impl FnOnce(&mut ProcState, &mut [u8]) -> R) -> R {
    match c.data().memory {
        Some(memory) => {
            let (m, st) = memory.data_and_store_mut(&mut *c);
            f(st, m)
        }
        None => f(c.data_mut(), &mut []),
    }
}

/// A system call that never waits.
pub(crate) fn call(c: &mut Cx<'_>, f: impl FnOnce(&mut ProcState, &mut [u8]) -> Result<(), Errno>) -> i32 {
    to_code(with_mem(c, f))
}

/// A system call that may wait: performs `op`, or stops the guest with a [`Blocked`] host error.
/// A signal the call raised that kills the process stops it with [`Killed`].
pub(crate) fn blocking(c: &mut Cx<'_>, op: Op) -> Result<i32, Error> {
    with_mem(c, |st, m| {
        let result = op.perform(st, m);
        if let Some(sig) = st.signals.fatal.take() {
            return Err(Error::host(Killed(sig)));
        }
        match result {
            Ok(errno) => Ok(errno.code()),
            Err(w) => Err(Error::host(Blocked { op, wake_at_micros: w.wake_at_micros })),
        }
    })
}

/// A system call on a path that may lead into `/proc`: carried out at once, or by the kernel
/// when it needs the process table (see [`path::PathOp`]).
pub(crate) fn path_call(c: &mut Cx<'_>, op: path::PathOp) -> Result<i32, Error> {
    match with_mem(c, |st, m| op.perform(st, m, None)) {
        Ok(()) => Ok(Errno::SUCCESS.code()),
        Err(crate::process::vfs::Miss::Errno(e)) => Ok(e.code()),
        Err(crate::process::vfs::Miss::NeedsKernel) => kernel_call(KOp::Path(op)),
    }
}

/// A system call the kernel carries out: stops the guest at once (see [`Op::Kernel`]).
pub(crate) fn kernel_call(op: KOp) -> Result<i32, Error> {
    Err(Error::host(Blocked { op: Op::Kernel(op), wake_at_micros: None }))
}

/// A host function for a WASI call the kernel does not implement: returns `ENOSYS` (or zeros
/// when the import's signature has no single `i32` result).
pub fn define_enosys(
    linker: &mut Linker<ProcState>,
    module: &str,
    name: &str,
    ty: FuncType,
) -> Result<(), LinkerError> {
    let results: Vec<ValType> = ty.results().to_vec();
    linker.func_new(module, name, ty, move |_c, _params, out| {
        for (slot, ty) in out.iter_mut().zip(&results) {
            *slot = Val::default_for_ty(*ty);
        }
        if let [slot @ Val::I32(_)] = out {
            *slot = Val::I32(Errno::NOSYS.code());
        }
        Ok(())
    })?;
    Ok(())
}

/// The names of the calls linked by [`linker`]; any other `wasi_snapshot_preview1` import gets
/// [`define_enosys`].
pub const IMPLEMENTED: &[&str] = &[
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "random_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];
