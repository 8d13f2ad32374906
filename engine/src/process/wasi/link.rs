//! The table of system calls: each WASI preview 1 function the kernel implements, registered
//! under its import name with its exact signature, converting the guest's `i32`/`i64` arguments
//! and handing over to the function that does the work.

use super::path::PathOp;
use super::{args_env, blocking, call, clock_random, fd, path, path_call, Cx, MODULE};
use crate::process::blocked::{Killed, Op};
use crate::process::errno::Errno;
use crate::process::signal::MAX_SIGNAL;
use crate::process::state::ProcState;
use crate::process::wasix::sock;
use crate::process::wasix::sock_io::SockOp;
use wasmi::errors::LinkerError;
use wasmi::{Engine, Error, Linker};

/// A linker with every implemented WASI preview 1 and WASIX call.
pub fn linker(engine: &Engine) -> Result<Linker<ProcState>, LinkerError> {
    let mut l = Linker::<ProcState>::new(engine);
    link_process(&mut l)?;
    link_fd(&mut l)?;
    link_path(&mut l)?;
    crate::process::wasix::link(&mut l)?;
    sock::link_wasi(&mut l)?;
    Ok(l)
}

fn link_process(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    l.func_wrap(MODULE, "args_get", |mut c: Cx<'_>, p: i32, b: i32| {
        call(&mut c, |st, m| args_env::args_get(st, m, p as u32, b as u32))
    })?;
    l.func_wrap(MODULE, "args_sizes_get", |mut c: Cx<'_>, n: i32, s: i32| {
        call(&mut c, |st, m| args_env::args_sizes_get(st, m, n as u32, s as u32))
    })?;
    l.func_wrap(MODULE, "environ_get", |mut c: Cx<'_>, p: i32, b: i32| {
        call(&mut c, |st, m| args_env::environ_get(st, m, p as u32, b as u32))
    })?;
    l.func_wrap(MODULE, "environ_sizes_get", |mut c: Cx<'_>, n: i32, s: i32| {
        call(&mut c, |st, m| args_env::environ_sizes_get(st, m, n as u32, s as u32))
    })?;
    l.func_wrap(MODULE, "clock_res_get", |mut c: Cx<'_>, id: i32, out: i32| {
        call(&mut c, |st, m| clock_random::clock_res_get(st, m, id as u32, out as u32))
    })?;
    l.func_wrap(MODULE, "clock_time_get", |mut c: Cx<'_>, id: i32, _precision: i64, out: i32| {
        call(&mut c, |st, m| clock_random::clock_time_get(st, m, id as u32, out as u32))
    })?;
    l.func_wrap(MODULE, "random_get", |mut c: Cx<'_>, buf: i32, len: i32| {
        call(&mut c, |st, m| clock_random::random_get(st, m, buf as u32, len as u32))
    })?;
    l.func_wrap(MODULE, "poll_oneoff", |mut c: Cx<'_>, subs: i32, events: i32, nsubs: i32, nevents: i32| {
        let since_micros = c.data().clock.monotonic_micros();
        let op = Op::Poll {
            subs: subs as u32,
            events: events as u32,
            nsubs: nsubs as u32,
            nevents: nevents as u32,
            since_micros,
        };
        blocking(&mut c, op)
    })?;
    l.func_wrap(MODULE, "sched_yield", |mut c: Cx<'_>| blocking(&mut c, Op::Yield))?;
    l.func_wrap(MODULE, "proc_exit", |_c: Cx<'_>, code: i32| -> Result<(), Error> { Err(Error::i32_exit(code)) })?;
    // Signal numbers are Linux's, as in WASIX.
    l.func_wrap(MODULE, "proc_raise", |mut c: Cx<'_>, sig: i32| -> Result<i32, Error> {
        let Ok(sig) = u8::try_from(sig) else {
            return Ok(Errno::INVAL.code());
        };
        if sig > MAX_SIGNAL {
            return Ok(Errno::INVAL.code());
        }
        let signals = &mut c.data_mut().signals;
        signals.raise_now(sig);
        match signals.fatal.take() {
            Some(sig) => Err(Error::host(Killed(sig))),
            None => Ok(Errno::SUCCESS.code()),
        }
    })?;
    Ok(())
}

fn link_fd(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    // On a socket, `read` and `write` are `recv` and `send` (which honour its timeouts).
    l.func_wrap(MODULE, "fd_read", |mut c: Cx<'_>, fd: i32, iovs: i32, len: i32, nread: i32| {
        let (fd, iovs, iovs_len, nread) = (fd as u32, iovs as u32, len as u32, nread as u32);
        let op = match sock::is_socket(c.data(), fd) {
            Some(since) => Op::Sock(SockOp::Recv {
                fd,
                iovs,
                iovs_len,
                flags: 0,
                ret_len: nread,
                ret_flags: None,
                ret_addr: None,
                since,
            }),
            None => Op::FdRead { fd, iovs, iovs_len, nread },
        };
        blocking(&mut c, op)
    })?;
    l.func_wrap(MODULE, "fd_write", |mut c: Cx<'_>, fd: i32, iovs: i32, len: i32, nwritten: i32| {
        let (fd, iovs, iovs_len, nwritten) = (fd as u32, iovs as u32, len as u32, nwritten as u32);
        let op = match sock::is_socket(c.data(), fd) {
            Some(since) => {
                Op::Sock(SockOp::Send { fd, iovs, iovs_len, flags: 0, addr: None, ret_len: nwritten, since })
            }
            None => Op::FdWrite { fd, iovs, iovs_len, nwritten },
        };
        blocking(&mut c, op)
    })?;
    l.func_wrap(MODULE, "fd_pread", |mut c: Cx<'_>, fd: i32, iovs: i32, len: i32, off: i64, out: i32| {
        call(&mut c, |st, m| fd::fd_pread(st, m, fd as u32, iovs as u32, len as u32, off as u64, out as u32))
    })?;
    l.func_wrap(MODULE, "fd_pwrite", |mut c: Cx<'_>, fd: i32, iovs: i32, len: i32, off: i64, out: i32| {
        call(&mut c, |st, m| fd::fd_pwrite(st, m, fd as u32, iovs as u32, len as u32, off as u64, out as u32))
    })?;
    l.func_wrap(MODULE, "fd_close", |mut c: Cx<'_>, fd: i32| call(&mut c, |st, _| fd::fd_close(st, fd as u32)))?;
    l.func_wrap(MODULE, "fd_renumber", |mut c: Cx<'_>, from: i32, to: i32| {
        call(&mut c, |st, _| fd::fd_renumber(st, from as u32, to as u32))
    })?;
    l.func_wrap(MODULE, "fd_fdstat_get", |mut c: Cx<'_>, fd: i32, out: i32| {
        call(&mut c, |st, m| fd::fd_fdstat_get(st, m, fd as u32, out as u32))
    })?;
    l.func_wrap(MODULE, "fd_fdstat_set_flags", |mut c: Cx<'_>, fd: i32, f: i32| {
        call(&mut c, |st, _| fd::fd_fdstat_set_flags(st, fd as u32, f as u16))
    })?;
    l.func_wrap(MODULE, "fd_prestat_get", |mut c: Cx<'_>, fd: i32, out: i32| {
        call(&mut c, |st, m| fd::fd_prestat_get(st, m, fd as u32, out as u32))
    })?;
    l.func_wrap(MODULE, "fd_prestat_dir_name", |mut c: Cx<'_>, fd: i32, path: i32, len: i32| {
        call(&mut c, |st, m| fd::fd_prestat_dir_name(st, m, fd as u32, path as u32, len as u32))
    })?;
    l.func_wrap(MODULE, "fd_seek", |mut c: Cx<'_>, fd: i32, off: i64, whence: i32, out: i32| {
        call(&mut c, |st, m| fd::fd_seek(st, m, fd as u32, off, whence as u8, out as u32))
    })?;
    l.func_wrap(MODULE, "fd_tell", |mut c: Cx<'_>, fd: i32, out: i32| {
        call(&mut c, |st, m| fd::fd_tell(st, m, fd as u32, out as u32))
    })?;
    l.func_wrap(MODULE, "fd_filestat_get", |mut c: Cx<'_>, fd: i32, out: i32| {
        call(&mut c, |st, m| fd::fd_filestat_get(st, m, fd as u32, out as u32))
    })?;
    l.func_wrap(MODULE, "fd_filestat_set_size", |mut c: Cx<'_>, fd: i32, size: i64| {
        call(&mut c, |st, _| fd::fd_filestat_set_size(st, fd as u32, size as u64))
    })?;
    l.func_wrap(MODULE, "fd_filestat_set_times", |mut c: Cx<'_>, fd: i32, _atim: i64, mtim: i64, flags: i32| {
        call(&mut c, |st, _| fd::fd_filestat_set_times(st, fd as u32, mtim as u64, flags as u16))
    })?;
    l.func_wrap(MODULE, "fd_readdir", |mut c: Cx<'_>, fd: i32, buf: i32, len: i32, cookie: i64, used: i32| {
        call(&mut c, |st, m| fd::fd_readdir(st, m, fd as u32, buf as u32, len as u32, cookie as u64, used as u32))
    })?;
    for name in ["fd_sync", "fd_datasync"] {
        l.func_wrap(MODULE, name, |mut c: Cx<'_>, fd: i32| call(&mut c, |st, _| fd::fd_check(st, fd as u32)))?;
    }
    l.func_wrap(MODULE, "fd_advise", |mut c: Cx<'_>, fd: i32, _off: i64, _len: i64, _advice: i32| {
        call(&mut c, |st, _| fd::fd_check(st, fd as u32))
    })?;
    l.func_wrap(MODULE, "fd_allocate", |mut c: Cx<'_>, fd: i32, _off: i64, _len: i64| {
        call(&mut c, |st, _| fd::fd_check(st, fd as u32))
    })?;
    Ok(())
}

fn link_path(l: &mut Linker<ProcState>) -> Result<(), LinkerError> {
    l.func_wrap(
        MODULE,
        "path_open",
        |mut c: Cx<'_>,
         dirfd: i32,
         dirflags: i32,
         path: i32,
         len: i32,
         oflags: i32,
         rights: i64,
         _inheriting: i64,
         fdflags: i32,
         out: i32| {
            let op = PathOp::Open {
                dirfd: dirfd as u32,
                dirflags: dirflags as u32,
                path: path as u32,
                len: len as u32,
                oflags: oflags as u16,
                rights: rights as u64,
                fdflags: fdflags as u16,
                fdflagsext: 0,
                out: out as u32,
            };
            path_call(&mut c, op)
        },
    )?;
    l.func_wrap(MODULE, "path_filestat_get", |mut c: Cx<'_>, fd: i32, flags: i32, path: i32, len: i32, out: i32| {
        let op =
            PathOp::Stat { fd: fd as u32, flags: flags as u32, path: path as u32, len: len as u32, out: out as u32 };
        path_call(&mut c, op)
    })?;
    l.func_wrap(
        MODULE,
        "path_filestat_set_times",
        |mut c: Cx<'_>, fd: i32, flags: i32, path: i32, len: i32, _atim: i64, mtim: i64, fst: i32| {
            call(&mut c, |st, m| {
                path::path_filestat_set_times(
                    st,
                    m,
                    fd as u32,
                    flags as u32,
                    path as u32,
                    len as u32,
                    mtim as u64,
                    fst as u16,
                )
            })
        },
    )?;
    l.func_wrap(MODULE, "path_create_directory", |mut c: Cx<'_>, fd: i32, path: i32, len: i32| {
        call(&mut c, |st, m| path::path_create_directory(st, m, fd as u32, path as u32, len as u32))
    })?;
    l.func_wrap(MODULE, "path_remove_directory", |mut c: Cx<'_>, fd: i32, path: i32, len: i32| {
        call(&mut c, |st, m| path::path_remove_directory(st, m, fd as u32, path as u32, len as u32))
    })?;
    l.func_wrap(MODULE, "path_unlink_file", |mut c: Cx<'_>, fd: i32, path: i32, len: i32| {
        call(&mut c, |st, m| path::path_unlink_file(st, m, fd as u32, path as u32, len as u32))
    })?;
    l.func_wrap(
        MODULE,
        "path_readlink",
        |mut c: Cx<'_>, fd: i32, path: i32, len: i32, buf: i32, buf_len: i32, used: i32| {
            let op = PathOp::Readlink {
                fd: fd as u32,
                path: path as u32,
                len: len as u32,
                buf: buf as u32,
                buf_len: buf_len as u32,
                used: used as u32,
            };
            path_call(&mut c, op)
        },
    )?;
    l.func_wrap(
        MODULE,
        "path_symlink",
        |mut c: Cx<'_>, target: i32, target_len: i32, fd: i32, path: i32, len: i32| {
            call(&mut c, |st, m| {
                path::path_symlink(st, m, target as u32, target_len as u32, fd as u32, path as u32, len as u32)
            })
        },
    )?;
    l.func_wrap(
        MODULE,
        "path_link",
        |mut c: Cx<'_>, old_fd: i32, old_flags: i32, old: i32, old_len: i32, new_fd: i32, new: i32, new_len: i32| {
            call(&mut c, |st, m| {
                path::path_link(
                    st,
                    m,
                    old_fd as u32,
                    old_flags as u32,
                    old as u32,
                    old_len as u32,
                    new_fd as u32,
                    new as u32,
                    new_len as u32,
                )
            })
        },
    )?;
    l.func_wrap(
        MODULE,
        "path_rename",
        |mut c: Cx<'_>, old_fd: i32, old: i32, old_len: i32, new_fd: i32, new: i32, new_len: i32| {
            call(&mut c, |st, m| {
                path::path_rename(
                    st,
                    m,
                    old_fd as u32,
                    old as u32,
                    old_len as u32,
                    new_fd as u32,
                    new as u32,
                    new_len as u32,
                )
            })
        },
    )?;
    Ok(())
}
