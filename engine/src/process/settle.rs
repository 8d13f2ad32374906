//! How a slice of guest execution ended: the program returned, stopped (out of fuel, or parked
//! in a blocking call), exited, or trapped. A trap kills the process the way the matching signal
//! kills a native Linux process (`unreachable`, a Rust panic, is SIGABRT: status 134), with a
//! one-line diagnostic on its stderr.

use super::blocked::{Blocked, Killed, Op};
use super::fdtable::Fd;
use super::kernel::{Death, Live, Run};
use wasmi::{ResumableCall, TrapCode};

/// How a slice ended.
pub(super) enum Settled {
    /// The call returned (`_start` finished, or a signal handler).
    Returned,
    /// Preempted or parked (`live.run` says which); `kernel` if for a kernel call.
    Stopped {
        kernel: bool,
    },
    Dead(Death),
}

/// Records in `live` how a slice ended with `result`.
pub(super) fn settle(argv0: &str, live: &mut Live, result: Result<ResumableCall, wasmi::Error>) -> Settled {
    let call = match result {
        Ok(ResumableCall::Finished) => return Settled::Returned,
        Ok(ResumableCall::OutOfFuel(call)) => {
            live.run = Run::Preempted(call);
            return Settled::Stopped { kernel: false };
        }
        Ok(ResumableCall::HostTrap(call)) => call,
        Err(error) => {
            return match error.i32_exit_status() {
                Some(code) => Settled::Dead(Death::Exited(code as u8)),
                None => Settled::Dead(die(argv0, live, &error)),
            }
        }
    };
    let error = call.host_error();
    if let Some(code) = error.i32_exit_status() {
        return Settled::Dead(Death::Exited(code as u8));
    }
    if let Some(&Killed(sig)) = error.downcast_ref::<Killed>() {
        return Settled::Dead(Death::Signaled(sig));
    }
    let Some(&Blocked { op, wake_at_micros }) = error.downcast_ref::<Blocked>() else {
        let error = call.into_host_error();
        return Settled::Dead(die(argv0, live, &error));
    };
    live.run = Run::Parked { call, op, wake_at: wake_at_micros };
    Settled::Stopped { kernel: matches!(op, Op::Kernel(_)) }
}

/// The signal a native process would have died of for this trap.
fn trap_signal(error: &wasmi::Error) -> (u8, &'static str) {
    match error.as_trap_code() {
        Some(TrapCode::UnreachableCodeReached) | None => (6, "SIGABRT"),
        Some(TrapCode::IntegerDivisionByZero | TrapCode::IntegerOverflow | TrapCode::BadConversionToInteger) => {
            (8, "SIGFPE")
        }
        Some(TrapCode::OutOfSystemMemory | TrapCode::GrowthOperationLimited) => (9, "SIGKILL"),
        Some(_) => (11, "SIGSEGV"),
    }
}

/// Death by trap: a one-line diagnostic on the process's stderr, status 128 + signo.
fn die(argv0: &str, live: &mut Live, error: &wasmi::Error) -> Death {
    let (signo, name) = trap_signal(error);
    let line = format!("{argv0}: terminated by {name} (wasm trap: {error})\n");
    if let Ok(entry) = live.store.data().fds.get(2) {
        match &entry.fd {
            Fd::PipeOut(pipe) if !pipe.reader_closed() => pipe.write_all(line.as_bytes()),
            Fd::Tty(tty) => {
                tty.write(line.as_bytes());
            }
            _ => {}
        }
    }
    Death::Signaled(signo)
}
