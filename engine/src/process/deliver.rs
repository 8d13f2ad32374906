//! Delivering signals: `kill(2)` from the engine (`docker stop`, `docker kill`) or a guest,
//! the terminal's Ctrl-C, and the start of a guest's handler. A signal left to its default
//! action ends the process at once, whatever call it is blocked in; a handled one runs the
//! guest's handler at its next turn, and the call it interrupted then goes on or returns
//! `EINTR` (see [`super::blocked::Op::on_signal`]).

use super::kernel::{Body, Death, Kernel, Live, Run};
use super::{Pid, Signal};

impl Kernel {
    /// Sends the signals typed on terminals (Ctrl-C, Ctrl-\, resizes) to the live processes
    /// attached to them (the terminal's foreground processes).
    pub(super) fn deliver_tty_signals(&mut self) {
        let mut ttys: Vec<super::tty::Tty> = Vec::new();
        for p in self.procs.values() {
            if let Body::Live(live) = &p.body {
                if let Some(t) = &live.store.data().tty {
                    if !ttys.iter().any(|x| x.same(t)) {
                        ttys.push(t.clone());
                    }
                }
            }
        }
        for tty in ttys {
            let signals = tty.take_signals();
            if signals.is_empty() {
                continue;
            }
            let attached: Vec<u32> = self
                .procs
                .iter()
                .filter(|(_, p)| match &p.body {
                    Body::Live(live) => live.store.data().tty.as_ref().is_some_and(|t| t.same(&tty)),
                    Body::Zombie(_) => false,
                })
                .map(|(&pid, _)| pid)
                .collect();
            for sig in signals {
                for &pid in &attached {
                    self.signal(pid, sig);
                }
            }
        }
    }

    /// Raises signal `sig` on `pid` (in the table): its default action is taken at once, a
    /// handled one waits for the process's next turn.
    pub(crate) fn signal(&mut self, pid: u32, sig: u8) {
        if self.is_native(pid) && sig != 9 {
            if let Some(signal) = Signal::from_number(sig) {
                self.native_signals.push((Pid(pid), signal));
            }
            return;
        }
        let Some(p) = self.procs.get_mut(&pid) else {
            return;
        };
        let frozen = self.frozen.contains(&p.group);
        let Body::Live(live) = &mut p.body else {
            return;
        };
        if let Some(sig) = live.store.data_mut().signals.raise(sig) {
            if frozen && sig != super::signal::SIGKILL {
                // A frozen process acts on the signal once thawed; only SIGKILL goes through.
                live.store.data_mut().signals.fatal = Some(sig);
                return;
            }
            self.terminate(pid, Death::Signaled(sig));
        }
    }

    /// Ends live process `pid` now: its descriptors close (readers of its output see end of
    /// file).
    pub(crate) fn terminate(&mut self, pid: u32, death: Death) {
        let Some(p) = self.procs.get_mut(&pid) else {
            return;
        };
        if let Body::Live(live) = &mut p.body {
            live.store.data_mut().fds.close_all();
            p.body = Body::Zombie(death);
            self.after_death(pid);
        }
    }

    /// Delivers `signal` to `pid`. Unless the process handles or ignores it (see
    /// [`super::signal`]), it dies at once with status 128 + signo, its descriptors closed. A
    /// no-op on an exited or unknown pid.
    pub fn kill(&mut self, pid: Pid, signal: Signal) {
        self.signal(pid.0, signal.number() as u8);
    }
}

/// If a signal waits for the guest's handler and none is running, starts the handler; what it
/// interrupts goes on when it returns. Before `_start` has run, signals wait.
pub(super) fn start_handler(live: &mut Live) {
    if live.interrupted.is_some() || matches!(live.run, Run::Start { arg: None, .. }) {
        return;
    }
    let st = live.store.data_mut();
    if st.signals.pending == 0 {
        return;
    }
    let Some(name) = st.signals.handler.clone() else {
        return;
    };
    let handler = live.instance.get_typed_func::<i32, ()>(&live.store, &name).ok();
    let Some(sig) = live.store.data_mut().signals.take_pending() else {
        return;
    };
    match handler {
        Some(f) => {
            let run = Run::Start { func: *f.func(), arg: Some(i32::from(sig)) };
            let mut interrupted = std::mem::replace(&mut live.run, run);
            if let Run::Parked { op, .. } = &mut interrupted {
                let memory = live.store.data().memory;
                *op = op.on_signal(memory.map_or(&[][..], |m| m.data(&live.store)));
            }
            live.interrupted = Some(interrupted);
        }
        None => {
            // The registered export does not exist: as if there were no handler.
            let st = live.store.data_mut();
            st.signals.handler = None;
            if let Some(sig) = st.signals.raise(sig) {
                st.signals.fatal = Some(sig);
            }
        }
    }
}
