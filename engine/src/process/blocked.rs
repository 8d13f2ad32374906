//! Blocking system calls. On Linux a `read` on an empty pipe puts the process to sleep in the
//! kernel until data arrives. Here the guest cannot be suspended in the middle of a host function,
//! so a call that would block returns a [`Blocked`] host error instead: wasmi stops the guest and
//! hands back a resumable call. The kernel parks the process with the operation ([`Op`]) and, on
//! each of its turns, performs the operation again, with the very same code the host function
//! ran. When it completes, its errno is fed to the guest as the call's result and the guest goes
//! on as if it had waited inside the call. Operations that would block have no side effect, so
//! trying again is always safe.

use super::errno::Errno;
use super::state::ProcState;
use super::wasi::{fd, poll};
use std::fmt;

/// Why an operation cannot complete now, and when at the latest to try again (a sleep's end,
/// on the monotonic clock, in microseconds; `None` means "when some I/O happens").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WouldBlock {
    pub wake_at_micros: Option<u64>,
}

/// How a blocking-capable system call ends: an errno, or "not yet".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Fail(Errno),
    Block(WouldBlock),
}

impl From<Errno> for Stop {
    fn from(e: Errno) -> Self {
        Stop::Fail(e)
    }
}

/// A system call that may have to wait, with its arguments (guest pointers stay valid while the
/// guest is stopped, since nothing else runs in its memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    FdRead {
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        nread: u32,
    },
    FdWrite {
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        nwritten: u32,
    },
    /// `poll_oneoff`; relative timeouts count from `since_micros`, when the call was first made.
    Poll {
        subs: u32,
        events: u32,
        nsubs: u32,
        nevents: u32,
        since_micros: u64,
    },
    /// `sched_yield`: gives up the rest of the slice; always completes on the next turn.
    Yield,
    /// WASIX `thread_sleep`: until the monotonic clock reaches `until_micros`.
    Sleep {
        until_micros: u64,
    },
    /// A socket call that may wait (`accept`, `connect`, `recv`, `send`, `ping`).
    Sock(super::wasix::sock_io::SockOp),
    /// A call a signal handler interrupted: it returns `EINTR` once the handler is done.
    Interrupted,
    /// A call only the kernel can carry out (it needs the process table or the program loader):
    /// the host function always stops the guest, and the kernel performs it between slices.
    Kernel(KOp),
}

/// The system calls the kernel performs itself, with their raw arguments (guest pointers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KOp {
    /// `proc_spawn` (1), `proc_spawn2` (2) or `proc_spawn3` (3); unused arguments are 0.
    Spawn { version: u8, args: [u32; 14] },
    /// `proc_exec` (1), `proc_exec2` (2), `proc_exec3` (3) or `proc_exec4` (4).
    Exec { version: u8, args: [u32; 9] },
    /// `proc_join(pid_ptr, flags, status_ptr)`.
    Join { pid: u32, flags: u32, status: u32 },
    /// `playground_v1.native_run`: run the engine's own program for this process.
    Native,
    /// `proc_signal(pid, signal)`.
    Signal { pid: u32, sig: u32 },
    /// `proc_parent(pid, ret_parent)`.
    Parent { pid: u32, out: u32 },
    /// A call on a path that leads into `/proc`, which needs the process table.
    Path(super::wasi::path::PathOp),
}

impl Op {
    /// What this call becomes when a handled signal arrives while it waits: `poll` on
    /// descriptors returns `EINTR` after the handler, as on Linux, so that an event loop looks
    /// at what its handler recorded at once; reads, writes, socket waits, sleeps and `waitpid`
    /// go on where they were once the handler returns (`SA_RESTART`, which `signal()` sets).
    pub fn on_signal(self, mem: &[u8]) -> Op {
        match self {
            Op::Poll { subs, nsubs, .. } if poll::waits_on_fds(mem, subs, nsubs) => Op::Interrupted,
            op => op,
        }
    }

    /// Performs the operation: the errno to return, or [`Stop::Block`] to wait.
    pub fn perform(&self, st: &mut ProcState, mem: &mut [u8]) -> Result<Errno, WouldBlock> {
        let result = match *self {
            Op::FdRead { fd, iovs, iovs_len, nread } => fd::fd_read(st, mem, fd, iovs, iovs_len, nread),
            Op::FdWrite { fd, iovs, iovs_len, nwritten } => fd::fd_write(st, mem, fd, iovs, iovs_len, nwritten),
            Op::Poll { subs, events, nsubs, nevents, since_micros } => {
                poll::poll_oneoff(st, mem, subs, events, nsubs, nevents, since_micros)
            }
            Op::Sock(op) => op.perform(st, mem),
            Op::Yield => Ok(()),
            Op::Interrupted => Err(Stop::Fail(Errno::INTR)),
            Op::Sleep { until_micros } => {
                if st.clock.monotonic_micros() >= until_micros {
                    Ok(())
                } else {
                    Err(Stop::Block(WouldBlock { wake_at_micros: Some(until_micros) }))
                }
            }
            // Carried out by the kernel, never here.
            Op::Kernel(_) => Err(Stop::Block(WouldBlock { wake_at_micros: None })),
        };
        match result {
            Ok(()) => Ok(Errno::SUCCESS),
            Err(Stop::Fail(e)) => Ok(e),
            Err(Stop::Block(w)) => Err(w),
        }
    }
}

/// The host error a blocking system call returns to stop the guest.
#[derive(Debug, Clone, Copy)]
pub struct Blocked {
    pub op: Op,
    pub wake_at_micros: Option<u64>,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "process blocked in {:?}", self.op)
    }
}

impl wasmi::errors::HostError for Blocked {}

/// The host error that stops a process which must die of a signal it raised on itself inside a
/// system call (`SIGPIPE`, `proc_raise`).
#[derive(Debug, Clone, Copy)]
pub struct Killed(pub u8);

impl fmt::Display for Killed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "killed by signal {}", self.0)
    }
}

impl wasmi::errors::HostError for Killed {}
