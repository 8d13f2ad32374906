//! The kernel: the process table and the scheduler. Like Linux's, it decides who runs next, but
//! everything happens on one thread, in bounded calls to [`Kernel::run`] that the page makes from
//! its animation frames. Each live process is in one of three states:
//!
//! - ready to start or preempted (its fuel slice ran out): it gets another slice on its turn;
//! - parked in a blocking system call: on its turn the call is tried again, and if it completes
//!   the process resumes with the result; otherwise it is skipped;
//! - exited (or killed): a zombie, only its exit status remains, until its parent joins it
//!   (`proc_join`, `wait(2)`) or, for a process the engine started, [`Kernel::reap`].
//!
//! Turns go round-robin by pid, resuming after the last process that ran, so no process starves
//! another. A process dies of a trap (a Rust panic aborts with `unreachable`) the way a native one
//! dies of a signal: `SIGABRT` gives status 134, a bad memory access `SIGSEGV` 139.
//!
//! Processes form a tree (a guest's children, spawned with WASIX `proc_spawn`) and belong to a
//! [`GroupId`]: the engine gives each container its own, with a limit on how many processes it
//! may hold (`pids.max`), so a fork bomb in one container gets `EAGAIN` and nobody else suffers.
//! A process whose parent died is an orphan: nobody will join it, so it leaves no zombie.
//!
//! System calls that need the process table or the program loader (`proc_spawn`, `proc_exec`,
//! `proc_join`, `proc_signal`) stop the guest like a blocking call ([`Op::Kernel`]); the kernel
//! carries them out at once, in the same turn, and resumes the guest (see `wasix::proc`).
//!
//! This file holds the process table, starting processes and what follows a death; the
//! scheduler and a process's turn are in `sched`, signal delivery in `deliver`.

use super::blocked::{KOp, Op, WouldBlock};
use super::errno::Errno;
use super::fdtable::FdTable;
use super::loader::Loader;
use super::namespace::{LoadAverage, Namespace};
use super::signal::SIGCHLD;
use super::state::{initial_fds, ProcState};
use super::{Pid, ProcStatus, ProcessError, Signal, SpawnOptions, SpawnSpec};
use crate::fs::Fs;
use crate::platform::{Clock, Entropy};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasmi::{Func, Instance, ResumableCallHostTrap, ResumableCallOutOfFuel, Store, StoreLimitsBuilder};

/// Fuel (roughly, interpreted instructions) one process gets per turn. Measured natively
/// (release build, wasmi 2, test `fuel_slice_timing`): 30 µs for a loop of loads, stores and
/// arithmetic (which cost more fuel each), 105 µs for an empty `loop br 0`. In the browser the
/// interpreter is itself WebAssembly and runs a few times slower, so a slice stays well under a
/// millisecond and a tick of a few milliseconds switches processes many times.
pub const FUEL_SLICE: u64 = 100_000;

/// The most slices one [`Kernel::run`] call runs by default, whatever the clock says: a guard for
/// clocks that do not move during a call (a manual clock in tests), so `run` always returns.
/// With a real clock the deadline comes first (100 slices are ~10 ms natively).
pub const MAX_SLICES_PER_RUN: u32 = 100;

/// Default cap on a process's linear memory (Docker's `--memory`): growing past it fails
/// (`memory.grow` returns -1, `malloc` returns null).
pub const DEFAULT_MEMORY_LIMIT: usize = 256 * 1024 * 1024;

/// Default cap on the processes (zombies included) of one group, like a cgroup's `pids.max`.
pub const DEFAULT_PIDS_LIMIT: usize = 128;

/// Cap on the processes of the whole kernel, whatever the groups' limits.
pub const MAX_PROCESSES: usize = 1024;

/// Most table elements a process may have (function pointer tables).
pub(crate) const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// Where a live process's execution stands.
pub(crate) enum Run {
    /// A call not started yet: `_start`, or a signal handler with its signal number.
    Start { func: Func, arg: Option<i32> },
    /// Its slice ran out.
    Preempted(ResumableCallOutOfFuel),
    /// Inside a system call that must wait.
    Parked { call: ResumableCallHostTrap, op: Op, wake_at: Option<u64> },
    /// Only while a turn has taken the state out.
    Gone,
}

/// A live process.
pub(crate) struct Live {
    pub store: Store<ProcState>,
    pub instance: Instance,
    pub run: Run,
    /// What a running signal handler interrupted; it goes on when the handler returns.
    pub interrupted: Option<Run>,
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Death {
    Exited(u8),
    Signaled(u8),
}

impl Death {
    /// The shell's `$?`: the exit code, or 128 + the signal number.
    pub fn status(self) -> i32 {
        match self {
            Death::Exited(code) => i32::from(code),
            Death::Signaled(sig) => 128 + i32::from(sig),
        }
    }
}

/// Who waits for a process's exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parent {
    /// The engine ([`Kernel::spawn`]): it calls [`Kernel::reap`].
    Engine,
    /// A guest process (`proc_join`).
    Proc(u32),
    /// Its parent died: nobody; it is removed when it exits.
    Orphan,
}

pub(crate) enum Body {
    Live(Box<Live>),
    Zombie(Death),
}

/// A process table entry.
pub(crate) struct Proc {
    pub parent: Parent,
    pub group: u32,
    /// Its pid in the group's namespace.
    pub ns_pid: u32,
    pub argv0: String,
    pub body: Body,
    /// When it started (monotonic clock, wall clock).
    pub started_micros: u64,
    pub started_unix_ms: u64,
    /// Time it spent running.
    pub cpu_micros: u64,
}

/// What a kernel call ends in.
pub(crate) enum KResult {
    /// Completed with this errno: the guest resumes.
    Done(Errno),
    /// Must wait.
    Block(WouldBlock),
    /// The process ends (exec failed with no way back, a signal it sent itself).
    Exit(Death),
    /// `exec` succeeded: the new image replaces the old one.
    Exec(Box<Live>),
}

/// What starting a process needs, from the engine or from a guest's `proc_spawn`.
pub(crate) struct NewProc {
    pub program: crate::fs::NodeRef,
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    pub fs: Fs,
    pub fds: FdTable,
    pub parent: Parent,
    pub group: u32,
    pub signals: super::signal::SignalState,
    /// The controlling terminal, inherited.
    pub tty: Option<super::tty::Tty>,
}

/// The process table and scheduler.
pub struct Kernel {
    pub(crate) loader: Loader,
    pub(crate) clock: Rc<dyn Clock>,
    pub(crate) entropy: Rc<RefCell<dyn Entropy>>,
    pub(crate) procs: BTreeMap<u32, Proc>,
    next_pid: u32,
    /// The pid that ran last; the next turn goes to the one after it.
    pub(crate) cursor: u32,
    pub(crate) memory_limit: usize,
    pub(crate) max_slices: u32,
    /// Per-group process limits; groups not listed get [`DEFAULT_PIDS_LIMIT`].
    pub(crate) pids_limits: BTreeMap<u32, usize>,
    /// Per-group memory limits (`docker run --memory`), each process's linear memory at most;
    /// groups not listed get `memory_limit`.
    pub(crate) memory_limits: BTreeMap<u32, usize>,
    pub(crate) next_group: u32,
    /// Native programs (see [`super::native`]): running or finished, by pid.
    pub(crate) natives: BTreeMap<u32, super::native::NativeSlot>,
    pub(crate) native_requests: Vec<super::native::NativeRequest>,
    pub(crate) native_signals: Vec<(Pid, Signal)>,
    /// Per-group PID namespaces and identities.
    pub(crate) namespaces: BTreeMap<u32, Namespace>,
    /// When the kernel started (monotonic clock): `/proc/uptime` counts from there.
    pub(crate) boot_micros: u64,
    /// Time spent running processes, all of them (the rest is idle time).
    pub(crate) busy_micros: u64,
    pub(crate) load: LoadAverage,
    /// The network world: namespaces, interfaces, sockets (see [`crate::network::stack`]).
    pub(crate) net: crate::network::stack::NetStack,
    /// Frozen groups (`docker pause`, the cgroup freezer): their processes get no turns.
    pub(crate) frozen: std::collections::BTreeSet<u32>,
    /// Turns taken by processes since boot: whether anything ran (and may have changed files).
    pub(crate) turns: u64,
}

impl Kernel {
    pub fn new(clock: Rc<dyn Clock>, entropy: Rc<RefCell<dyn Entropy>>) -> Self {
        let boot_micros = clock.monotonic_micros();
        Self {
            loader: Loader::new(),
            clock,
            entropy,
            procs: BTreeMap::new(),
            next_pid: 1,
            cursor: 0,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            max_slices: MAX_SLICES_PER_RUN,
            pids_limits: BTreeMap::new(),
            memory_limits: BTreeMap::new(),
            next_group: 1,
            natives: BTreeMap::new(),
            native_requests: Vec::new(),
            native_signals: Vec::new(),
            namespaces: BTreeMap::new(),
            boot_micros,
            busy_micros: 0,
            load: LoadAverage::new(boot_micros),
            net: crate::network::stack::NetStack::new(),
            frozen: Default::default(),
            turns: 0,
        }
    }

    /// The network stack (read side).
    pub fn net(&self) -> &crate::network::stack::NetStack {
        &self.net
    }

    /// The network stack: the daemon sets namespaces, interfaces, DNS and ports through it.
    pub fn net_mut(&mut self) -> &mut crate::network::stack::NetStack {
        &mut self.net
    }

    /// Sets the memory cap, in bytes, for processes spawned from now on.
    pub fn set_memory_limit(&mut self, bytes: usize) {
        self.memory_limit = bytes;
    }

    /// Sets how many slices one [`Kernel::run`] call may run at most (at least 1).
    pub fn set_max_slices_per_run(&mut self, slices: u32) {
        self.max_slices = slices.max(1);
    }

    /// Loads and instantiates a program; it starts running on the next [`Kernel::run`]. On
    /// failure nothing is left behind (the stdio pipes are not closed: the caller still owns
    /// them and reports the error).
    pub fn spawn(&mut self, spec: SpawnSpec) -> Result<Pid, ProcessError> {
        self.spawn_with(spec, SpawnOptions::default())
    }

    /// [`Kernel::spawn`] with the container's settings: its group, PID 1 signal rules, a
    /// terminal.
    pub fn spawn_with(&mut self, spec: SpawnSpec, options: SpawnOptions) -> Result<Pid, ProcessError> {
        let spec = super::script::interpret(spec)?;
        let group = options.group.0;
        if !self.room_for(group, 0) {
            return Err(ProcessError::TooManyProcesses);
        }
        let module = self.loader.compile(&spec.program)?;
        let argv0 = spec.args.first().cloned().unwrap_or_default();
        let ns_pid = self.allocate_ns_pid(group, None).ok_or(ProcessError::TooManyProcesses)?;
        let pid = self.allocate_pid();
        let mut state = self.new_state(pid, ns_pid, group, spec.args, spec.env, spec.cwd, spec.fs.clone());
        state.signals.pid1 = options.pid1;
        let (store, instance, start) = self.loader.instantiate(&module, state)?;
        let mut live = Live { store, instance, run: Run::Start { func: start, arg: None }, interrupted: None };
        let fds = initial_fds(&spec.fs, [spec.stdin, spec.stdout, spec.stderr]);
        live.store.data_mut().set_fds(fds);
        let body = Body::Live(Box::new(live));
        self.procs.insert(pid, self.new_proc(Parent::Engine, group, ns_pid, argv0, body));
        Ok(Pid(pid))
    }

    /// A process table entry, started now.
    fn new_proc(&self, parent: Parent, group: u32, ns_pid: u32, argv0: String, body: Body) -> Proc {
        Proc {
            parent,
            group,
            ns_pid,
            argv0,
            body,
            started_micros: self.clock.monotonic_micros(),
            started_unix_ms: self.clock.unix_millis(),
            cpu_micros: 0,
        }
    }

    /// A fresh process state for `pid` (`ns_pid` in its namespace), with the kernel's limits,
    /// clock and entropy.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new_state(
        &self,
        pid: u32,
        ns_pid: u32,
        group: u32,
        args: Vec<String>,
        env: Vec<String>,
        cwd: String,
        fs: Fs,
    ) -> ProcState {
        let memory = self.memory_limits.get(&group).copied().unwrap_or(self.memory_limit);
        let limits = StoreLimitsBuilder::new().memory_size(memory).table_elements(MAX_TABLE_ELEMENTS).build();
        let mut st = ProcState::new(pid, ns_pid, args, env, cwd, fs, self.clock.clone(), self.entropy.clone(), limits);
        let netns = self.namespaces.get(&group).map_or(crate::network::stack::HOST_NETNS, |ns| ns.info.netns);
        st.net = self.net.handle(netns);
        if let Some(ns) = self.namespaces.get(&group) {
            st.cred = super::access::Cred { uid: ns.info.uid, gid: ns.info.gid, groups: ns.info.groups.clone() };
        }
        st
    }

    /// Instantiates `np` as process `pid` (`ns_pid` in its namespace): a new process, or a new
    /// image for `exec`.
    pub(crate) fn load(&mut self, pid: u32, ns_pid: u32, np: NewProc) -> Result<Box<Live>, Errno> {
        let module = self.loader.compile_node(&np.program).map_err(|_| Errno::NOEXEC)?;
        let mut state = self.new_state(pid, ns_pid, np.group, np.args, np.env, np.cwd, np.fs);
        state.signals = np.signals;
        state.tty = np.tty;
        let (store, instance, start) = self.loader.instantiate(&module, state).map_err(|e| match e {
            ProcessError::Instantiate(_) => Errno::NOMEM,
            _ => Errno::NOEXEC,
        })?;
        let mut live =
            Box::new(Live { store, instance, run: Run::Start { func: start, arg: None }, interrupted: None });
        live.store.data_mut().set_fds(np.fds);
        Ok(live)
    }

    /// Starts `np` as a new process; its pid. `reserved`: a namespaced pid in use by a process
    /// out of the table (the caller, during its turn).
    pub(crate) fn create(&mut self, np: NewProc, argv0: String, reserved: Option<u32>) -> Result<u32, Errno> {
        let (parent, group) = (np.parent, np.group);
        let ns_pid = self.allocate_ns_pid(group, reserved).ok_or(Errno::AGAIN)?;
        let pid = self.allocate_pid();
        let live = self.load(pid, ns_pid, np)?;
        self.procs.insert(pid, self.new_proc(parent, group, ns_pid, argv0, Body::Live(live)));
        Ok(pid)
    }

    fn allocate_pid(&mut self) -> u32 {
        loop {
            let pid = self.next_pid;
            self.next_pid = self.next_pid.checked_add(1).unwrap_or(1);
            if pid != 0 && !self.procs.contains_key(&pid) {
                return pid;
            }
        }
    }

    /// After `pid` died: its children become orphans (zombie ones go at once), its parent
    /// hears of it (`SIGCHLD`), and an orphan itself leaves no zombie.
    pub(super) fn after_death(&mut self, pid: u32) {
        let orphans: Vec<u32> =
            self.procs.iter().filter(|(_, p)| p.parent == Parent::Proc(pid)).map(|(&c, _)| c).collect();
        for child in orphans {
            let zombie = match self.procs.get_mut(&child) {
                Some(p) => {
                    p.parent = Parent::Orphan;
                    matches!(p.body, Body::Zombie(_))
                }
                None => false,
            };
            if zombie {
                self.procs.remove(&child);
            }
        }
        let parent = self.procs.get(&pid).map(|p| p.parent);
        match parent {
            Some(Parent::Orphan) => {
                self.procs.remove(&pid);
            }
            Some(Parent::Proc(ppid)) => self.signal(ppid, SIGCHLD),
            _ => {}
        }
    }

    pub fn status(&self, pid: Pid) -> Option<ProcStatus> {
        Some(match &self.procs.get(&pid.0)?.body {
            Body::Zombie(death) => ProcStatus::Exited(death.status()),
            Body::Live(live) => match live.run {
                Run::Parked { op: Op::Kernel(KOp::Join { .. }), .. } => ProcStatus::Blocked,
                Run::Parked { op: Op::Yield | Op::Kernel(_), .. }
                | Run::Start { .. }
                | Run::Preempted(_)
                | Run::Gone => ProcStatus::Running,
                Run::Parked { .. } => ProcStatus::Blocked,
            },
        })
    }

    /// Removes an exited process and returns its status (`waitpid`); `None` if it is still
    /// alive or unknown.
    pub fn reap(&mut self, pid: Pid) -> Option<i32> {
        match self.procs.get(&pid.0)?.body {
            Body::Zombie(death) => {
                self.procs.remove(&pid.0);
                Some(death.status())
            }
            Body::Live(_) => None,
        }
    }

    /// Every process in the table, exited ones not yet reaped included.
    pub fn pids(&self) -> Vec<Pid> {
        self.procs.keys().map(|&p| Pid(p)).collect()
    }

    /// The parent of `pid`, if it is a process (not the engine, not an orphan).
    pub fn parent(&self, pid: Pid) -> Option<Pid> {
        match self.procs.get(&pid.0)?.parent {
            Parent::Proc(p) => Some(Pid(p)),
            _ => None,
        }
    }

    /// `argv[0]` of `pid` (what `ps` shows).
    pub fn command(&self, pid: Pid) -> Option<&str> {
        self.procs.get(&pid.0).map(|p| p.argv0.as_str())
    }
}
