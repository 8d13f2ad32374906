//! The kernel: the process table and the scheduler. Like Linux's, it decides who runs next, but
//! everything happens on one thread, in bounded calls to [`Kernel::run`] that the page makes from
//! its animation frames. Each live process is in one of three states:
//!
//! - ready to start or preempted (its fuel slice ran out): it gets another slice on its turn;
//! - parked in a blocking system call: on its turn the call is tried again, and if it completes
//!   the process resumes with the result; otherwise it is skipped;
//! - exited (or killed): only its exit status remains, until [`Kernel::reap`] (`wait(2)`).
//!
//! Turns go round-robin by pid, resuming after the last process that ran, so no process starves
//! another. A process dies of a trap (a Rust panic aborts with `unreachable`) the way a native one
//! dies of a signal: `SIGABRT` gives status 134, a bad memory access `SIGSEGV` 139.

use super::blocked::{Blocked, Op, WouldBlock};
use super::errno::Errno;
use super::fdtable::Fd;
use super::loader::Loader;
use super::state::ProcState;
use super::{Pid, ProcStatus, ProcessError, RunOutcome, Signal, SpawnSpec};
use crate::platform::{Clock, Entropy};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasmi::{
    Func, ResumableCall, ResumableCallHostTrap, ResumableCallOutOfFuel, Store, StoreLimitsBuilder,
    TrapCode, Val,
};

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

/// Most table elements a process may have (function pointer tables).
const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// Where a live process's execution stands.
enum Run {
    /// Instantiated; `_start` not called yet.
    Start(Func),
    /// Its slice ran out.
    Preempted(ResumableCallOutOfFuel),
    /// Inside a system call that must wait.
    Parked {
        call: ResumableCallHostTrap,
        op: Op,
        wake_at: Option<u64>,
    },
}

/// A live process.
struct Live {
    argv0: String,
    store: Store<ProcState>,
    run: Run,
}

/// A process table entry.
enum Slot {
    Live(Box<Live>),
    Exited(i32),
}

/// The process table and scheduler.
pub struct Kernel {
    loader: Loader,
    clock: Rc<dyn Clock>,
    entropy: Rc<RefCell<dyn Entropy>>,
    procs: BTreeMap<u32, Slot>,
    next_pid: u32,
    /// The pid that ran last; the next turn goes to the one after it.
    cursor: u32,
    memory_limit: usize,
    max_slices: u32,
}

impl Kernel {
    pub fn new(clock: Rc<dyn Clock>, entropy: Rc<RefCell<dyn Entropy>>) -> Self {
        Self {
            loader: Loader::new(),
            clock,
            entropy,
            procs: BTreeMap::new(),
            next_pid: 1,
            cursor: 0,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            max_slices: MAX_SLICES_PER_RUN,
        }
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
        let module = self.loader.compile(&spec.program)?;
        let argv0 = spec.args.first().cloned().unwrap_or_default();
        let limits = StoreLimitsBuilder::new()
            .memory_size(self.memory_limit)
            .table_elements(MAX_TABLE_ELEMENTS)
            .build();
        let state = ProcState::new(
            spec.args,
            spec.env,
            spec.cwd,
            spec.fs,
            [spec.stdin, spec.stdout, spec.stderr],
            self.clock.clone(),
            self.entropy.clone(),
            limits,
        );
        let (store, start) = self.loader.instantiate(&module, state)?;
        let pid = self.allocate_pid();
        let live = Live {
            argv0,
            store,
            run: Run::Start(start),
        };
        self.procs.insert(pid, Slot::Live(Box::new(live)));
        Ok(Pid(pid))
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

    /// Runs processes, a slice at a time in turn, until the monotonic clock reaches
    /// `deadline_micros` (at least one slice runs if any process can run) or nothing can run.
    pub fn run(&mut self, deadline_micros: u64) -> RunOutcome {
        let mut slices = 0u32;
        loop {
            let mut ran = false;
            for pid in self.rotation() {
                if slices > 0
                    && (slices >= self.max_slices
                        || self.clock.monotonic_micros() >= deadline_micros)
                {
                    return RunOutcome::Busy;
                }
                if self.turn(pid) {
                    ran = true;
                    slices += 1;
                    self.cursor = pid;
                }
            }
            if !ran {
                return self.quiet_outcome();
            }
        }
    }

    /// Live pids in turn order: those after the cursor, then from the start.
    fn rotation(&self) -> Vec<u32> {
        let live = |(pid, slot): (&u32, &Slot)| matches!(slot, Slot::Live(_)).then_some(*pid);
        let after = self.procs.range(self.cursor.saturating_add(1)..);
        let before = self.procs.range(..=self.cursor);
        after.chain(before).filter_map(live).collect()
    }

    /// The outcome when no process could run: all blocked, or none left.
    fn quiet_outcome(&self) -> RunOutcome {
        let mut any = false;
        let mut wake: Option<u64> = None;
        for slot in self.procs.values() {
            if let Slot::Live(live) = slot {
                any = true;
                if let Run::Parked {
                    wake_at: Some(at), ..
                } = live.run
                {
                    wake = Some(wake.map_or(at, |w| w.min(at)));
                }
            }
        }
        if any {
            RunOutcome::Waiting {
                wake_at_micros: wake,
            }
        } else {
            RunOutcome::Idle
        }
    }

    /// Gives `pid` its turn; true if it ran guest code.
    fn turn(&mut self, pid: u32) -> bool {
        let Some(Slot::Live(live)) = self.procs.remove(&pid) else {
            return false;
        };
        let (slot, ran) = step(*live);
        self.procs.insert(pid, slot);
        ran
    }

    pub fn status(&self, pid: Pid) -> Option<ProcStatus> {
        Some(match self.procs.get(&pid.0)? {
            Slot::Exited(code) => ProcStatus::Exited(*code),
            Slot::Live(live) => match live.run {
                Run::Parked { op: Op::Yield, .. } | Run::Start(_) | Run::Preempted(_) => {
                    ProcStatus::Running
                }
                Run::Parked { .. } => ProcStatus::Blocked,
            },
        })
    }

    /// Delivers `signal`. No process handles signals yet, so it dies with status 128 + signo,
    /// its descriptors closed (readers of its output see end of file). A no-op on an exited or
    /// unknown pid.
    pub fn kill(&mut self, pid: Pid, signal: Signal) {
        let Some(slot) = self.procs.get_mut(&pid.0) else {
            return;
        };
        if let Slot::Live(_) = slot {
            let old = std::mem::replace(slot, Slot::Exited(128 + signal.number()));
            if let Slot::Live(mut live) = old {
                live.store.data_mut().fds.close_all();
            }
        }
    }

    /// Removes an exited process and returns its status (`waitpid`); `None` if it is still
    /// alive or unknown.
    pub fn reap(&mut self, pid: Pid) -> Option<i32> {
        match self.procs.get(&pid.0)? {
            Slot::Exited(code) => {
                let code = *code;
                self.procs.remove(&pid.0);
                Some(code)
            }
            Slot::Live(_) => None,
        }
    }

    /// Every process in the table, exited ones not yet reaped included.
    pub fn pids(&self) -> Vec<Pid> {
        self.procs.keys().map(|&p| Pid(p)).collect()
    }
}

/// Tops the store's fuel up for a slice.
fn refuel(store: &mut Store<ProcState>, at_least: u64) {
    store.set_fuel(FUEL_SLICE.max(at_least)).ok();
}

/// Tries a parked system call again, with the same code its host function ran.
fn retry(store: &mut Store<ProcState>, op: Op) -> Result<Errno, WouldBlock> {
    match store.data().memory {
        Some(memory) => {
            let (m, st) = memory.data_and_store_mut(&mut *store);
            op.perform(st, m)
        }
        None => op.perform(store.data_mut(), &mut []),
    }
}

/// One turn of a live process: the new table entry, and whether guest code ran.
fn step(live: Live) -> (Slot, bool) {
    let Live {
        argv0,
        mut store,
        run,
    } = live;
    let result = match run {
        Run::Start(start) => {
            refuel(&mut store, 0);
            start.call_resumable(&mut store, &[], &mut [])
        }
        Run::Preempted(call) => {
            refuel(&mut store, call.required_fuel());
            call.resume(&mut store, &mut [])
        }
        Run::Parked { call, op, .. } => match retry(&mut store, op) {
            Err(w) => {
                let run = Run::Parked {
                    call,
                    op,
                    wake_at: w.wake_at_micros,
                };
                return (Slot::Live(Box::new(Live { argv0, store, run })), false);
            }
            Ok(errno) => {
                refuel(&mut store, 0);
                call.resume(&mut store, &[Val::I32(errno.code())], &mut [])
            }
        },
    };
    (settle(argv0, store, result), true)
}

/// The table entry after a slice ended with `result`.
fn settle(
    argv0: String,
    store: Store<ProcState>,
    result: Result<ResumableCall, wasmi::Error>,
) -> Slot {
    let call = match result {
        Ok(ResumableCall::Finished) => return exit(store, 0),
        Ok(ResumableCall::OutOfFuel(call)) => {
            let run = Run::Preempted(call);
            return Slot::Live(Box::new(Live { argv0, store, run }));
        }
        Ok(ResumableCall::HostTrap(call)) => call,
        Err(error) => {
            return match error.i32_exit_status() {
                Some(code) => exit(store, code),
                None => die(&argv0, store, &error),
            }
        }
    };
    let error = call.host_error();
    if let Some(code) = error.i32_exit_status() {
        return exit(store, code);
    }
    let Some(&Blocked { op, wake_at_micros }) = error.downcast_ref::<Blocked>() else {
        let error = call.into_host_error();
        return die(&argv0, store, &error);
    };
    let run = Run::Parked {
        call,
        op,
        wake_at: wake_at_micros,
    };
    Slot::Live(Box::new(Live { argv0, store, run }))
}

/// A normal exit (`exit(code)` or returning from `main`): status is the low 8 bits, as on Linux.
fn exit(mut store: Store<ProcState>, code: i32) -> Slot {
    store.data_mut().fds.close_all();
    Slot::Exited(code & 0xff)
}

/// The signal a native process would have died of for this trap.
fn trap_signal(error: &wasmi::Error) -> (i32, &'static str) {
    match error.as_trap_code() {
        Some(TrapCode::UnreachableCodeReached) | None => (6, "SIGABRT"),
        Some(
            TrapCode::IntegerDivisionByZero
            | TrapCode::IntegerOverflow
            | TrapCode::BadConversionToInteger,
        ) => (8, "SIGFPE"),
        Some(TrapCode::OutOfSystemMemory | TrapCode::GrowthOperationLimited) => (9, "SIGKILL"),
        Some(_) => (11, "SIGSEGV"),
    }
}

/// Death by trap: a one-line diagnostic on the process's stderr, status 128 + signo.
fn die(argv0: &str, mut store: Store<ProcState>, error: &wasmi::Error) -> Slot {
    let (signo, name) = trap_signal(error);
    if let Ok(entry) = store.data().fds.get(2) {
        if let Fd::PipeOut(pipe) = &entry.fd {
            if !pipe.reader_closed() {
                let line = format!("{argv0}: terminated by {name} (wasm trap: {error})\n");
                pipe.write_all(line.as_bytes());
            }
        }
    }
    store.data_mut().fds.close_all();
    Slot::Exited(128 + signo)
}
