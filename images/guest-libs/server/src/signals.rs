//! Signals a server reacts to. The handler only records them (a signal may arrive between any two
//! instructions); the event loop takes them after each `poll` and acts: re-read the
//! configuration on `SIGHUP`, stop on `SIGTERM`/`SIGINT`/`SIGQUIT`.

use std::io;
use std::sync::atomic::{AtomicU32, Ordering};

pub const SIGHUP: i32 = 1;
pub const SIGINT: i32 = 2;
pub const SIGQUIT: i32 = 3;
pub const SIGUSR1: i32 = 10;
pub const SIGUSR2: i32 = 12;
pub const SIGTERM: i32 = 15;
pub const SIGWINCH: i32 = 28;

/// Signals caught and not yet taken, one bit each.
static PENDING: AtomicU32 = AtomicU32::new(0);
/// Signals the program asked to catch, one bit each.
static WANTED: AtomicU32 = AtomicU32::new(0);

fn bit(sig: i32) -> u32 {
    if (1..32).contains(&sig) {
        1 << sig
    } else {
        0
    }
}

/// Catches `signals` from now on: they no longer end the process but wait in [`take`].
pub fn catch(signals: &[i32]) {
    let mask = signals.iter().fold(0, |m, &s| m | bit(s));
    WANTED.fetch_or(mask, Ordering::SeqCst);
    crate::sys::catch_signals(signals);
}

/// The signal handler's whole work.
pub(crate) fn record(sig: i32) {
    if WANTED.load(Ordering::SeqCst) & bit(sig) != 0 {
        PENDING.fetch_or(bit(sig), Ordering::SeqCst);
    }
}

/// The signals caught since the last call, lowest number first.
pub fn take() -> Vec<i32> {
    let pending = PENDING.swap(0, Ordering::SeqCst);
    (1..32).filter(|&s| pending & bit(s) != 0).collect()
}

/// Sends `sig` to process `pid` (`kill(2)`).
pub fn send(pid: u32, sig: i32) -> io::Result<()> {
    crate::sys::send_signal(pid, sig)
}

/// The signal's name without `SIG` (`HUP`), as logs print it.
pub fn name(sig: i32) -> &'static str {
    match sig {
        SIGHUP => "HUP",
        SIGINT => "INT",
        SIGQUIT => "QUIT",
        SIGUSR1 => "USR1",
        SIGUSR2 => "USR2",
        SIGTERM => "TERM",
        SIGWINCH => "WINCH",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    // One test: the flags are process-wide, parallel tests would take each other's signals.
    #[test]
    fn caught_signals_wait_in_the_flags_until_taken_and_others_are_dropped() {
        catch(&[SIGUSR2, SIGWINCH]);
        record(SIGUSR1);
        record(SIGUSR2);
        assert_eq!(take(), vec![SIGUSR2]);
        assert!(take().is_empty());
        send(crate::pid(), SIGWINCH).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !take().contains(&SIGWINCH) {
            assert!(Instant::now() < deadline, "SIGWINCH never arrived");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
