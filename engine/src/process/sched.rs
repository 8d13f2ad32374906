//! The scheduler: who runs next, and one turn of a process. Everything happens on one thread,
//! in bounded calls to [`Kernel::run`]: turns go round-robin by pid, resuming after the last
//! process that ran; a turn runs a fuel slice of guest code, or tries a parked system call
//! again and resumes the guest if it completes, or carries out kernel calls (`proc_spawn`,
//! `proc_exec`...) back to back with the fuel the guest has left.

use super::blocked::{Op, WouldBlock};
use super::deliver::start_handler;
use super::errno::Errno;
use super::kernel::{Body, Death, KResult, Kernel, Live, Proc, Run, FUEL_SLICE};
use super::settle::{settle, Settled};
use super::state::ProcState;
use super::{Pid, ProcStatus, RunOutcome};
use wasmi::{Store, Val};

/// Most kernel calls carried out back to back in one turn (each resumes the guest with the fuel
/// it had left, so this only bounds the work between two fuel checks).
const MAX_CALLS_PER_TURN: u32 = 64;

impl Kernel {
    /// Runs processes, a slice at a time in turn, until the monotonic clock reaches
    /// `deadline_micros` (at least one slice runs if any process can run) or nothing can run.
    pub fn run(&mut self, deadline_micros: u64) -> RunOutcome {
        let mut slices = 0u32;
        let now = self.clock.monotonic_micros();
        if self.load.due(now) {
            let runnable = self.procs.keys().filter(|&&p| self.status(Pid(p)) == Some(ProcStatus::Running)).count();
            self.load.sample(now, runnable);
        }
        loop {
            self.deliver_tty_signals();
            let mut ran = false;
            for pid in self.rotation() {
                if slices > 0 && (slices >= self.max_slices || self.clock.monotonic_micros() >= deadline_micros) {
                    return RunOutcome::Busy;
                }
                if self.turn(pid) {
                    ran = true;
                    slices += 1;
                    self.turns += 1;
                    self.cursor = pid;
                }
            }
            if !ran {
                return self.quiet_outcome();
            }
        }
    }

    /// Live pids in turn order: those after the cursor, then from the start. Processes of a
    /// frozen group are left out: the freezer does not schedule them.
    fn rotation(&self) -> Vec<u32> {
        let live = |(pid, p): (&u32, &Proc)| {
            (matches!(p.body, Body::Live(_)) && !self.frozen.contains(&p.group)).then_some(*pid)
        };
        let after = self.procs.range(self.cursor.saturating_add(1)..);
        let before = self.procs.range(..=self.cursor);
        after.chain(before).filter_map(live).collect()
    }

    /// The outcome when no process could run: all blocked, or none left.
    fn quiet_outcome(&self) -> RunOutcome {
        let mut any = false;
        let mut wake: Option<u64> = None;
        for p in self.procs.values() {
            if let Body::Live(live) = &p.body {
                any = true;
                if self.frozen.contains(&p.group) {
                    // Its timers may expire, but it cannot run before its group is thawed.
                    continue;
                }
                let parked = match live.run {
                    Run::Parked { wake_at, .. } => wake_at,
                    _ => None,
                };
                let alarm = live.store.data().alarm.map(|a| a.at_micros);
                for at in [parked, alarm].into_iter().flatten() {
                    wake = Some(wake.map_or(at, |w| w.min(at)));
                }
            }
        }
        if any {
            RunOutcome::Waiting { wake_at_micros: wake }
        } else {
            RunOutcome::Idle
        }
    }

    /// Gives `pid` its turn; true if it ran guest code.
    fn turn(&mut self, pid: u32) -> bool {
        let Some(mut proc) = self.procs.remove(&pid) else {
            return false;
        };
        let body = std::mem::replace(&mut proc.body, Body::Zombie(Death::Exited(0)));
        let Body::Live(live) = body else {
            proc.body = body;
            self.procs.insert(pid, proc);
            return false;
        };
        let started = self.clock.monotonic_micros();
        let (body, ran) = self.step(pid, &proc, live);
        let spent = self.clock.monotonic_micros().saturating_sub(started);
        proc.cpu_micros = proc.cpu_micros.saturating_add(spent);
        self.busy_micros = self.busy_micros.saturating_add(spent);
        // After `exec`, the process is known by its new name.
        if let Body::Live(live) = &body {
            if let Some(argv0) = live.store.data().args.first().filter(|a| **a != proc.argv0) {
                proc.argv0 = argv0.clone();
            }
        }
        let died = matches!(body, Body::Zombie(_));
        proc.body = body;
        self.procs.insert(pid, proc);
        if died {
            self.after_death(pid);
        }
        ran
    }

    /// One turn of a live process: what it becomes, and whether guest code ran.
    fn step(&mut self, pid: u32, proc: &Proc, mut live: Box<Live>) -> (Body, bool) {
        let mut ran = false;
        let mut calls = 0u32;
        // True when the guest stopped for a kernel call in this very turn: it resumes with the
        // fuel it has left instead of a new slice.
        let mut same_turn = false;
        loop {
            live.store.data_mut().check_alarm();
            if let Some(sig) = live.store.data_mut().signals.fatal.take() {
                return (Body::Zombie(Death::Signaled(sig)), ran);
            }
            if !same_turn {
                start_handler(&mut live);
            }
            let run = std::mem::replace(&mut live.run, Run::Gone);
            let result = match run {
                Run::Gone => return (Body::Zombie(Death::Exited(0)), ran),
                Run::Start { func, arg } => {
                    refuel(&mut live.store, 0);
                    let args: Vec<Val> = arg.map(Val::I32).into_iter().collect();
                    func.call_resumable(&mut live.store, &args, &mut [])
                }
                Run::Preempted(call) => {
                    refuel(&mut live.store, call.required_fuel());
                    call.resume(&mut live.store, &mut [])
                }
                Run::Parked { call, op, .. } => {
                    let outcome = match op {
                        Op::Kernel(k) => self.kernel_call(pid, proc, &mut live, k),
                        op => match retry(&mut live.store, op) {
                            Ok(errno) => KResult::Done(errno),
                            Err(w) => KResult::Block(w),
                        },
                    };
                    match outcome {
                        KResult::Block(w) => {
                            live.run = Run::Parked { call, op, wake_at: w.wake_at_micros };
                            return (Body::Live(live), ran);
                        }
                        KResult::Exit(death) => return (Body::Zombie(death), ran),
                        KResult::Exec(new) => {
                            live = new;
                            same_turn = false;
                            continue;
                        }
                        KResult::Done(errno) => {
                            if let Some(sig) = live.store.data_mut().signals.fatal.take() {
                                return (Body::Zombie(Death::Signaled(sig)), ran);
                            }
                            if !same_turn {
                                refuel(&mut live.store, 0);
                            }
                            call.resume(&mut live.store, &[Val::I32(errno.code())], &mut [])
                        }
                    }
                }
            };
            ran = true;
            match settle(&proc.argv0, &mut live, result) {
                Settled::Dead(death) => return (Body::Zombie(death), ran),
                Settled::Returned => match live.interrupted.take() {
                    // A signal handler returned: what it interrupted goes on.
                    Some(run) => {
                        live.run = run;
                        return (Body::Live(live), ran);
                    }
                    None => return (Body::Zombie(Death::Exited(0)), ran),
                },
                Settled::Stopped { kernel } => {
                    calls += 1;
                    if kernel && calls <= MAX_CALLS_PER_TURN {
                        same_turn = true;
                        continue;
                    }
                    return (Body::Live(live), ran);
                }
            }
        }
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
