//! Native programs: commands the engine implements itself, such as `docker`, installed on the
//! host like any program so that the shell runs them with pipes and redirections
//! (`docker ps -q | wc -l`, `docker logs web > log.txt`). The file on the host's disk is a tiny
//! WebAssembly stub ([`NATIVE_STUB`]) whose `_start` calls `playground_v1.native_run`. That call
//! parks the process and hands a [`NativeRequest`] to the engine, which runs the command with the
//! process's own descriptors ([`Kernel::native_read`], [`Kernel::native_write`]) and ends it with
//! [`Kernel::native_finish`]. Signals other than SIGKILL do not kill a native process: they are
//! handed to the engine ([`Kernel::take_native_signals`]), as the real `docker` client catches
//! SIGINT to forward it to an attached container.

use super::blocked::{KOp, Stop};
use super::kernel::{Death, KResult, Kernel, Live};
use super::wasi::fd::{read_bytes, write_bytes};
use super::{Pid, Signal};
use crate::process::fdtable::Fd;

/// `(module (import "playground_v1" "native_run" (func (result i32))) (memory (export "memory") 1)
/// (func (export "_start") call 0 drop))`
pub const NATIVE_STUB: &[u8] = &[
    0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 2, 96, 0, 1, 127, 96, 0, 0, 2, 28, 1, 13, 112, 108, 97, 121, 103, 114, 111, 117,
    110, 100, 95, 118, 49, 10, 110, 97, 116, 105, 118, 101, 95, 114, 117, 110, 0, 0, 3, 2, 1, 1, 5, 3, 1, 0, 1, 7, 19,
    2, 6, 109, 101, 109, 111, 114, 121, 2, 0, 6, 95, 115, 116, 97, 114, 116, 0, 1, 10, 7, 1, 5, 0, 16, 0, 26, 11,
];

/// A native program to run: what the stub was started with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeRequest {
    pub pid: Pid,
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
}

/// Where a native process stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NativeSlot {
    /// Handed to the engine; running.
    Running,
    /// The engine finished it with this status.
    Finished(u8),
}

/// The result of reading a native process's descriptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NativeRead {
    Data(Vec<u8>),
    /// End of file.
    Eof,
    /// Nothing yet; try again later.
    Pending,
    /// The descriptor cannot be read (closed, not readable).
    Error,
}

impl Kernel {
    /// `native_run`: the first time, hand the request to the engine; then wait until it is done.
    pub(crate) fn native_call(&mut self, pid: u32, live: &mut Live) -> KResult {
        match self.natives.get(&pid) {
            Some(NativeSlot::Finished(code)) => {
                let code = *code;
                self.natives.remove(&pid);
                KResult::Exit(Death::Exited(code))
            }
            Some(NativeSlot::Running) => KResult::Block(Default::default()),
            None => {
                let st = live.store.data();
                self.native_requests.push(NativeRequest {
                    pid: Pid(pid),
                    argv: st.args.clone(),
                    env: st.env.clone(),
                    cwd: st.cwd.clone(),
                });
                self.natives.insert(pid, NativeSlot::Running);
                KResult::Block(Default::default())
            }
        }
    }

    /// The native programs started since the last call.
    pub fn take_native_requests(&mut self) -> Vec<NativeRequest> {
        std::mem::take(&mut self.native_requests)
    }

    /// Signals sent to native programs since the last call (SIGKILL still kills them).
    pub fn take_native_signals(&mut self) -> Vec<(Pid, Signal)> {
        std::mem::take(&mut self.native_signals)
    }

    /// True if `pid` is a native program the engine is running.
    pub(crate) fn is_native(&self, pid: u32) -> bool {
        matches!(self.natives.get(&pid), Some(NativeSlot::Running))
    }

    /// Ends a native program with `status`; its stub exits on its next turn.
    pub fn native_finish(&mut self, pid: Pid, status: i32) {
        if self.natives.contains_key(&pid.0) {
            self.natives.insert(pid.0, NativeSlot::Finished((status & 0xff) as u8));
        }
    }

    fn with_state<T>(&mut self, pid: Pid, f: impl FnOnce(&mut super::state::ProcState) -> T) -> Option<T> {
        match &mut self.procs.get_mut(&pid.0)?.body {
            super::kernel::Body::Live(live) => Some(f(live.store.data_mut())),
            super::kernel::Body::Zombie(_) => None,
        }
    }

    /// Reads up to `max` bytes from descriptor `fd` of native process `pid`.
    pub fn native_read(&mut self, pid: Pid, fd: u32, max: usize) -> NativeRead {
        match self.with_state(pid, |st| read_bytes(st, fd, max)) {
            Some(Ok(data)) if data.is_empty() => NativeRead::Eof,
            Some(Ok(data)) => NativeRead::Data(data),
            Some(Err(Stop::Block(_))) => NativeRead::Pending,
            _ => NativeRead::Error,
        }
    }

    /// Writes to descriptor `fd` of native process `pid`: how many bytes were taken (0 when a
    /// pipe is full), or `None` if nobody reads any more (the reader of a pipe is gone).
    pub fn native_write(&mut self, pid: Pid, fd: u32, data: &[u8]) -> Option<usize> {
        match self.with_state(pid, |st| write_bytes(st, fd, data))? {
            Ok(n) => Some(n),
            Err(Stop::Block(_)) => Some(0),
            Err(Stop::Fail(_)) => None,
        }
    }

    /// True if `pid` waits for its terminal: parked reading (or polling) a tty. For the host's
    /// shell, that means it shows its prompt.
    pub fn waiting_for_terminal(&self, pid: Pid) -> bool {
        let Some(super::kernel::Proc { body: super::kernel::Body::Live(live), .. }) = self.procs.get(&pid.0) else {
            return false;
        };
        match live.run {
            super::kernel::Run::Parked { op: super::blocked::Op::FdRead { fd, .. }, .. } => {
                live.store.data().fds.get(fd).map(|e| matches!(e.fd, Fd::Tty(_))).unwrap_or(false)
            }
            super::kernel::Run::Parked { op: super::blocked::Op::Poll { .. }, .. } => true,
            _ => false,
        }
    }

    /// True if some live process of `group` waits for its terminal.
    pub fn group_waiting_for_terminal(&self, group: super::GroupId) -> bool {
        self.group_pids(group).into_iter().any(|pid| self.waiting_for_terminal(pid))
    }

    /// The terminal behind descriptor `fd` of `pid`, if it is one (`docker run -it` switches
    /// it to raw mode while attached).
    pub fn native_tty(&mut self, pid: Pid, fd: u32) -> Option<super::Tty> {
        self.with_state(pid, |st| match st.fds.get(fd).map(|e| &e.fd) {
            Ok(Fd::Tty(t)) => Some(t.clone()),
            _ => None,
        })
        .flatten()
    }

    /// True if descriptor `fd` of `pid` is a terminal.
    pub fn native_isatty(&mut self, pid: Pid, fd: u32) -> bool {
        self.with_state(pid, |st| st.fds.get(fd).map(|e| matches!(e.fd, Fd::Tty(_))).unwrap_or(false)).unwrap_or(false)
    }
}

/// The call a native stub makes.
pub(crate) fn native_op() -> KOp {
    KOp::Native
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stub_is_the_module_its_comment_describes() {
        let wat = r#"(module (import "playground_v1" "native_run" (func (result i32))) (memory (export "memory") 1)
            (func (export "_start") call 0 drop))"#;
        assert_eq!(wat::parse_str(wat).unwrap(), NATIVE_STUB);
    }
}
