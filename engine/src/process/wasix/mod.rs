//! WASIX (`wasix_32v1`): the extensions to WASI preview 1 that a Unix userland needs and that
//! Wasmer defines: processes (`proc_spawn`, `proc_exec`, `proc_join`, `proc_signal`), pipes and
//! descriptor duplication, the working directory, signal handlers, sleeping, the terminal,
//! sockets ([`sock`]). Each import is registered under its exact `wasix_32v1` name and signature
//! (the `wasix` crate 0.13's bindings), so the same guest runs under Wasmer. Imports not listed
//! in [`IMPLEMENTED`] (threads, futexes, `proc_fork`, `epoll`...) link to a stub returning
//! `ENOSYS`.
//!
//! Also here: `playground_v1`, this project's own calls for what neither WASI nor WASIX can
//! express: Unix permission bits (`stat` mode, `chmod`) and ICMP echo (`ping`); a guest
//! importing them does not run under Wasmer.

pub mod fd;
pub mod proc;
pub mod sock;
pub mod sock_io;
mod sock_opt;
mod sock_resolve;
pub mod tty;

use super::blocked::{KOp, Op};
use super::errno::Errno;
use super::mem;
use super::signal::MAX_SIGNAL;
use super::state::{normalize, ProcState};
use super::wasi::path::PathOp;
use super::wasi::{blocking, call, kernel_call, path_call, Cx};
use wasmi::errors::LinkerError;
use wasmi::{Error, Linker};

/// The import module name of WASIX (32-bit pointers).
pub const MODULE: &str = "wasix_32v1";
/// The import module of this project's extensions.
pub const PLAYGROUND: &str = "playground_v1";

/// The `wasix_32v1` calls linked by [`link`]; any other gets `ENOSYS`.
pub const IMPLEMENTED: &[&str] = &[
    "fd_dup",
    "fd_dup2",
    "fd_pipe",
    "fd_fdflags_get",
    "fd_fdflags_set",
    "tty_get",
    "tty_set",
    "getcwd",
    "chdir",
    "callback_signal",
    "thread_sleep",
    "thread_parallelism",
    "path_open2",
    "proc_raise_interval",
    "proc_exit2",
    "proc_exec",
    "proc_exec2",
    "proc_exec3",
    "proc_exec4",
    "proc_spawn",
    "proc_spawn2",
    "proc_spawn3",
    "proc_id",
    "proc_parent",
    "proc_join",
    "proc_signal",
    "proc_signals_get",
    "proc_signals_sizes_get",
    "sock_open",
    "sock_bind",
    "sock_listen",
    "sock_accept_v2",
    "sock_connect",
    "sock_recv_from",
    "sock_send_to",
    "sock_addr_local",
    "sock_addr_peer",
    "sock_status",
    "sock_set_opt_flag",
    "sock_get_opt_flag",
    "sock_set_opt_time",
    "sock_get_opt_time",
    "sock_set_opt_size",
    "sock_get_opt_size",
    "resolve",
];

/// The `playground_v1` calls.
pub const PLAYGROUND_IMPLEMENTED: &[&str] = &["path_mode_get", "path_chmod", "native_run", "icmp_echo"];

/// Registers every implemented WASIX call.
pub fn link(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    link_fd(l)?;
    link_proc(l)?;
    link_playground(l)?;
    sock::link(l)?;
    Ok(())
}

fn u(v: i32) -> u32 {
    v as u32
}

fn link_fd(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    l.func_wrap(MODULE, "fd_pipe", |mut c: Cx<'_>, r: i32, w: i32| {
        call(&mut c, |st, m| fd::fd_pipe(st, m, u(r), u(w)))
    })?;
    l.func_wrap(MODULE, "fd_dup", |mut c: Cx<'_>, f: i32, out: i32| {
        call(&mut c, |st, m| fd::fd_dup(st, m, u(f), u(out)))
    })?;
    l.func_wrap(MODULE, "fd_dup2", |mut c: Cx<'_>, f: i32, min: i32, cloexec: i32, out: i32| {
        call(&mut c, |st, m| fd::fd_dup2(st, m, u(f), u(min), cloexec != 0, u(out)))
    })?;
    l.func_wrap(MODULE, "fd_fdflags_get", |mut c: Cx<'_>, f: i32, out: i32| {
        call(&mut c, |st, m| fd::fd_fdflags_get(st, m, u(f), u(out)))
    })?;
    l.func_wrap(MODULE, "fd_fdflags_set", |mut c: Cx<'_>, f: i32, flags: i32| {
        call(&mut c, |st, _| fd::fd_fdflags_set(st, u(f), flags as u16))
    })?;
    l.func_wrap(MODULE, "chdir", |mut c: Cx<'_>, p: i32, len: i32| {
        path_call(&mut c, PathOp::Chdir { path: u(p), len: u(len) })
    })?;
    l.func_wrap(MODULE, "getcwd", |mut c: Cx<'_>, p: i32, len: i32| {
        call(&mut c, |st, m| fd::getcwd(st, m, u(p), u(len)))
    })?;
    l.func_wrap(MODULE, "tty_get", |mut c: Cx<'_>, p: i32| call(&mut c, |st, m| tty::tty_get(st, m, u(p))))?;
    l.func_wrap(MODULE, "tty_set", |mut c: Cx<'_>, p: i32| call(&mut c, |st, m| tty::tty_set(st, m, u(p))))?;
    l.func_wrap(
        MODULE,
        "path_open2",
        |mut c: Cx<'_>,
         dirfd: i32,
         dirflags: i32,
         path: i32,
         len: i32,
         oflags: i32,
         rights: i64,
         _inheriting: i64,
         fdflags: i32,
         fdflagsext: i32,
         out: i32| {
            let op = PathOp::Open {
                dirfd: u(dirfd),
                dirflags: u(dirflags),
                path: u(path),
                len: u(len),
                oflags: oflags as u16,
                rights: rights as u64,
                fdflags: fdflags as u16,
                fdflagsext: fdflagsext as u16,
                out: u(out),
            };
            path_call(&mut c, op)
        },
    )?;
    Ok(())
}

fn link_proc(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    // The pid in the process's namespace: a container's first process is 1.
    l.func_wrap(MODULE, "proc_id", |mut c: Cx<'_>, out: i32| {
        call(&mut c, |st, m| mem::write_u32(m, u(out), st.ns_pid))
    })?;
    l.func_wrap(MODULE, "proc_parent", |_c: Cx<'_>, pid: i32, out: i32| {
        kernel_call(KOp::Parent { pid: u(pid), out: u(out) })
    })?;
    l.func_wrap(MODULE, "proc_join", |_c: Cx<'_>, pid: i32, flags: i32, status: i32| {
        kernel_call(KOp::Join { pid: u(pid), flags: u(flags), status: u(status) })
    })?;
    l.func_wrap(MODULE, "proc_signal", |_c: Cx<'_>, pid: i32, sig: i32| {
        kernel_call(KOp::Signal { pid: u(pid), sig: u(sig) })
    })?;
    l.func_wrap(MODULE, "proc_exit2", |_c: Cx<'_>, code: i32| -> Result<(), Error> { Err(Error::i32_exit(code)) })?;
    l.func_wrap(
        MODULE,
        "proc_spawn",
        |_c: Cx<'_>,
         a0: i32,
         a1: i32,
         a2: i32,
         a3: i32,
         a4: i32,
         a5: i32,
         a6: i32,
         a7: i32,
         a8: i32,
         a9: i32,
         a10: i32,
         a11: i32,
         a12: i32| {
            let args = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, 0].map(u);
            kernel_call(KOp::Spawn { version: 1, args })
        },
    )?;
    for (name, version) in [("proc_spawn2", 2u8), ("proc_spawn3", 3)] {
        l.func_wrap(
            MODULE,
            name,
            move |_c: Cx<'_>,
                  a0: i32,
                  a1: i32,
                  a2: i32,
                  a3: i32,
                  a4: i32,
                  a5: i32,
                  a6: i32,
                  a7: i32,
                  a8: i32,
                  a9: i32,
                  a10: i32,
                  a11: i32,
                  a12: i32,
                  a13: i32| {
                let args = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13].map(u);
                kernel_call(KOp::Spawn { version, args })
            },
        )?;
    }
    l.func_wrap(MODULE, "proc_exec", |_c: Cx<'_>, a0: i32, a1: i32, a2: i32, a3: i32| -> Result<(), Error> {
        let args = [a0, a1, a2, a3, 0, 0, 0, 0, 0].map(u);
        kernel_call(KOp::Exec { version: 1, args }).map(drop)
    })?;
    l.func_wrap(
        MODULE,
        "proc_exec2",
        |_c: Cx<'_>, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32| -> Result<(), Error> {
            let args = [a0, a1, a2, a3, a4, a5, 0, 0, 0].map(u);
            kernel_call(KOp::Exec { version: 2, args }).map(drop)
        },
    )?;
    for (name, version) in [("proc_exec3", 3u8), ("proc_exec4", 4)] {
        l.func_wrap(
            MODULE,
            name,
            move |_c: Cx<'_>, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, a6: i32, a7: i32, a8: i32| {
                let args = [a0, a1, a2, a3, a4, a5, a6, a7, a8].map(u);
                kernel_call(KOp::Exec { version, args })
            },
        )?;
    }
    l.func_wrap(MODULE, "callback_signal", |mut c: Cx<'_>, p: i32, len: i32| {
        let name = super::wasi::with_mem(&mut c, |_, m| {
            if u(len) > 256 {
                return Err(Errno::NAMETOOLONG);
            }
            mem::string(m, u(p), u(len)).map(str::to_string)
        });
        // No result to report a bad name with: it is ignored.
        if let Ok(name) = name {
            c.data_mut().signals.handler = (!name.is_empty()).then_some(name);
        }
    })?;
    l.func_wrap(MODULE, "thread_sleep", |mut c: Cx<'_>, ns: i64| {
        let now = c.data().clock.monotonic_micros();
        let until_micros = now.saturating_add((ns.max(0) as u64).div_ceil(1000));
        blocking(&mut c, Op::Sleep { until_micros })
    })?;
    l.func_wrap(MODULE, "thread_parallelism", |mut c: Cx<'_>, out: i32| {
        call(&mut c, |_, m| mem::write_u32(m, u(out), 1))
    })?;
    l.func_wrap(MODULE, "proc_raise_interval", |mut c: Cx<'_>, sig: i32, interval: i64, repeat: i32| {
        call(&mut c, |st, _| {
            let sig = u8::try_from(sig).map_err(|_| Errno::INVAL)?;
            if sig > MAX_SIGNAL {
                return Err(Errno::INVAL);
            }
            let interval_us = (interval.max(0) as u64).div_ceil(1000);
            st.alarm = (interval_us > 0).then(|| super::state::Alarm {
                at_micros: st.clock.monotonic_micros().saturating_add(interval_us),
                every_micros: (repeat != 0).then_some(interval_us),
                sig,
            });
            Ok(())
        })
    })?;
    l.func_wrap(MODULE, "proc_signals_sizes_get", |mut c: Cx<'_>, out: i32| {
        call(&mut c, |st, m| mem::write_u32(m, u(out), st.signals.ignored.count_ones()))
    })?;
    l.func_wrap(MODULE, "proc_signals_get", |mut c: Cx<'_>, buf: i32| {
        call(&mut c, |st, m| {
            // `signal_disposition` records: (signal, ignore = 1).
            let out: Vec<u8> =
                (1..=MAX_SIGNAL).filter(|s| st.signals.ignored & (1 << s) != 0).flat_map(|s| [s, 1]).collect();
            mem::write(m, u(buf), &out)
        })
    })?;
    Ok(())
}

fn link_playground(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    l.func_wrap(PLAYGROUND, "native_run", |_: Cx<'_>| kernel_call(crate::process::native::native_op()))?;
    // 24 bytes: st_mode, uid, gid, nlink (u32 each), inode (u64).
    l.func_wrap(PLAYGROUND, "path_mode_get", |mut c: Cx<'_>, p: i32, len: i32, follow: i32, out: i32| {
        path_call(&mut c, PathOp::Mode { path: u(p), len: u(len), follow: follow != 0, out: u(out) })
    })?;
    l.func_wrap(PLAYGROUND, "path_chmod", |mut c: Cx<'_>, p: i32, len: i32, mode: i32| {
        call(&mut c, |st, m| {
            let path = normalize(&st.cwd, mem::string(m, u(p), u(len))?);
            crate::process::vfs::check_attributes(st, &path)?;
            let node = st.fs.lookup(&path, true)?;
            // Only the owner (or root) changes a file's mode.
            if !st.cred.owns(&node) {
                return Err(Errno::PERM);
            }
            node.borrow_mut().meta.mode = u(mode) & 0o7777;
            Ok(())
        })
    })?;
    Ok(())
}
