//! Trapped signals (`trap 'echo bye; exit' TERM`). A Unix shell cannot run a trap's commands
//! inside the signal handler: the handler only records the signal, and the shell runs the trap
//! at the next safe point, after the command in progress (when a foreground program is running,
//! once it has ended, as POSIX says).
//!
//! Once a trap is set the shell handles every signal itself (the engine calls one handler for
//! all of them), so signals without a trap get their default action here: most end the shell
//! with status 128 + n, the ones Linux ignores by default are ignored, and so are all of them
//! when the shell is PID 1 (the kernel does not deliver default-action signals to PID 1).

use std::sync::atomic::{AtomicU32, Ordering};

use super::{Flow, Shell, R};
use crate::sys;

/// Signals with a trap action, waiting to be run.
static PENDING: AtomicU32 = AtomicU32::new(0);
/// Signals with a trap action.
static TRAPPED: AtomicU32 = AtomicU32::new(0);
/// Signals trapped with an empty action (`trap '' INT`): dropped.
static IGNORED: AtomicU32 = AtomicU32::new(0);

fn bit(sig: i32) -> u32 {
    if (1..32).contains(&sig) {
        1 << sig
    } else {
        0
    }
}

/// What a signal does from now on.
pub enum Disposition {
    Default,
    Ignore,
    Trap,
}

/// Sets how the shell reacts to `sig` (installing the handler the first time).
pub fn set(sig: i32, disposition: Disposition) {
    let b = bit(sig);
    TRAPPED.fetch_and(!b, Ordering::SeqCst);
    IGNORED.fetch_and(!b, Ordering::SeqCst);
    match disposition {
        Disposition::Default => {}
        Disposition::Ignore => {
            IGNORED.fetch_or(b, Ordering::SeqCst);
        }
        Disposition::Trap => {
            TRAPPED.fetch_or(b, Ordering::SeqCst);
        }
    }
    sys::on_signal(handler);
}

fn handler(sig: i32) {
    let b = bit(sig);
    if TRAPPED.load(Ordering::SeqCst) & b != 0 {
        PENDING.fetch_or(b, Ordering::SeqCst);
    } else if IGNORED.load(Ordering::SeqCst) & b != 0 || matches!(sig, 17..=23 | 28) || sys::getpid() == 1 {
        // Ignored: explicitly, by default, or as PID 1.
    } else {
        std::process::exit(128 + sig);
    }
}

/// The trapped signals received since the last call, lowest first.
fn take() -> Vec<i32> {
    let pending = PENDING.swap(0, Ordering::SeqCst);
    (1..32).filter(|&s| pending & bit(s) != 0).collect()
}

impl Shell {
    /// Runs the actions of the trapped signals that arrived (`$?` is kept around them).
    pub fn run_pending_traps(&mut self) -> R {
        let pending = take();
        if pending.is_empty() {
            return Ok(self.status);
        }
        let status = self.status;
        for sig in pending {
            let Some(name) = crate::applets::kill::SIGNALS.iter().find(|(_, n)| *n == sig).map(|(n, _)| *n) else {
                continue;
            };
            let Some(action) = self.traps.get(name).cloned() else { continue };
            match self.eval_source(&action) {
                Err(Flow::Exit(s)) => return Err(Flow::Exit(s)),
                Err(e @ Flow::Error(_)) => return Err(e),
                _ => {}
            }
        }
        self.status = status;
        Ok(status)
    }
}
