//! Signals: how `docker stop` (`SIGTERM`), `docker kill` (`SIGKILL`), Ctrl-C (`SIGINT`) and
//! `kill PID` reach a process. Numbers are Linux's, which WASIX uses too.
//!
//! Each signal has a default action: most terminate the process (its status is 128 + the signal
//! number), a few are ignored (`SIGCHLD`, `SIGWINCH`, `SIGURG`, `SIGCONT`; the stop signals too,
//! as there is no job control). A program can take signals over by registering a handler with
//! WASIX's `callback_signal`: the kernel then calls that exported function with the signal number
//! at the process's next turn, between two slices, as Wasmer does (`SIGKILL` cannot be caught).
//! A process started with some signals ignored (`proc_spawn`'s signal dispositions) drops them.
//!
//! A container's first process is special, as PID 1 is on Linux: signals whose action would be the
//! default are not delivered to it, so `docker stop` on a plain shell waits for the grace period
//! and `SIGKILL`. The engine asks for this per process ([`super::SpawnOptions::pid1`]).

/// Signals the engine sends ([`super::Kernel::kill`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `SIGHUP` (1): the terminal went away.
    Hup,
    /// `SIGINT` (2): Ctrl-C.
    Int,
    /// `SIGQUIT` (3): Ctrl-\; nginx's `STOPSIGNAL` (a graceful shutdown).
    Quit,
    /// `SIGKILL` (9): `docker kill`, or `docker stop` after the grace period.
    Kill,
    /// `SIGUSR1` (10).
    Usr1,
    /// `SIGUSR2` (12).
    Usr2,
    /// `SIGTERM` (15): `docker stop`'s polite request.
    Term,
    /// `SIGWINCH` (28): the terminal was resized.
    Winch,
    /// Any other signal, by its Linux number (1 to [`MAX_SIGNAL`]).
    Other(u8),
}

/// Linux's signal names (without `SIG`) and numbers, as Docker's `ParseSignal` knows them.
const NAMES: [(&str, u8); 34] = [
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ILL", 4),
    ("TRAP", 5),
    ("ABRT", 6),
    ("IOT", 6),
    ("BUS", 7),
    ("FPE", 8),
    ("KILL", 9),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("STKFLT", 16),
    ("CHLD", 17),
    ("CLD", 17),
    ("CONT", 18),
    ("STOP", 19),
    ("TSTP", 20),
    ("TTIN", 21),
    ("TTOU", 22),
    ("URG", 23),
    ("XCPU", 24),
    ("XFSZ", 25),
    ("VTALRM", 26),
    ("PROF", 27),
    ("WINCH", 28),
    ("IO", 29),
    ("POLL", 29),
    ("PWR", 30),
    ("SYS", 31),
];

impl Signal {
    /// The signal with this Linux number (1 to [`MAX_SIGNAL`]).
    pub fn from_number(n: u8) -> Option<Self> {
        if n == 0 || n > MAX_SIGNAL {
            return None;
        }
        let named = [
            Signal::Hup,
            Signal::Int,
            Signal::Quit,
            Signal::Kill,
            Signal::Usr1,
            Signal::Usr2,
            Signal::Term,
            Signal::Winch,
        ];
        Some(named.into_iter().find(|s| s.number() == i32::from(n)).unwrap_or(Signal::Other(n)))
    }

    /// Parses a signal as Docker does (`docker kill -s`, `--stop-signal`, `STOPSIGNAL`): a number,
    /// or a name with or without `SIG`, in any case (`SIGQUIT`, `quit`, `3`).
    pub fn parse(s: &str) -> Option<Self> {
        if let Ok(n) = s.parse::<u8>() {
            return Self::from_number(n);
        }
        let upper = s.to_ascii_uppercase();
        let name = upper.strip_prefix("SIG").unwrap_or(&upper);
        NAMES.iter().find(|(n, _)| *n == name).and_then(|&(_, num)| Self::from_number(num))
    }

    /// The Linux (and WASIX) signal number.
    pub fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Quit => 3,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
            Signal::Usr2 => 12,
            Signal::Term => 15,
            Signal::Winch => 28,
            Signal::Other(n) => i32::from(n),
        }
    }
}

pub const SIGKILL: u8 = 9;
pub const SIGPIPE: u8 = 13;
pub const SIGCHLD: u8 = 17;
/// Signal numbers go from 1 to this.
pub const MAX_SIGNAL: u8 = 31;

/// True if `sig`'s default action is to do nothing.
pub fn ignored_by_default(sig: u8) -> bool {
    // CHLD, CONT, STOP, TSTP, TTIN, TTOU, URG, WINCH
    matches!(sig, 17..=23 | 28)
}

fn bit(sig: u8) -> u32 {
    1u32 << (sig & 31)
}

/// A process's signal state.
#[derive(Debug, Clone, Default)]
pub struct SignalState {
    /// Signals raised and not yet handled (bit n = signal n).
    pub pending: u32,
    /// Signals set to "ignore" (spawn dispositions).
    pub ignored: u32,
    /// The exported function registered with `callback_signal`.
    pub handler: Option<String>,
    /// PID 1 rules: signals left to their default action are not delivered.
    pub pid1: bool,
    /// A signal the process raised on itself inside a system call and must die of as soon as
    /// the call returns (`SIGPIPE`).
    pub fatal: Option<u8>,
}

/// What raising a signal does to a process, decided at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Dropped (ignored, or PID 1 without a handler).
    Ignore,
    /// The process dies of it.
    Terminate,
    /// Left pending for the guest's handler.
    Handle,
}

impl SignalState {
    /// State for a new process image: handlers do not survive `exec`, ignored signals do.
    pub fn after_exec(&self) -> Self {
        Self { pending: self.pending, ignored: self.ignored, handler: None, pid1: self.pid1, fatal: None }
    }

    /// What `sig` does to this process now.
    pub fn action(&self, sig: u8) -> Action {
        if sig == SIGKILL {
            return Action::Terminate;
        }
        if sig == 0 || sig > MAX_SIGNAL || self.ignored & bit(sig) != 0 {
            return Action::Ignore;
        }
        if self.handler.is_some() {
            return Action::Handle;
        }
        if self.pid1 || ignored_by_default(sig) {
            Action::Ignore
        } else {
            Action::Terminate
        }
    }

    /// Raises `sig`: `Some(sig)` back if the process must die of it now, otherwise it is dropped
    /// or left pending for the handler.
    pub fn raise(&mut self, sig: u8) -> Option<u8> {
        match self.action(sig) {
            Action::Ignore => None,
            Action::Terminate => Some(sig),
            Action::Handle => {
                self.pending |= bit(sig);
                None
            }
        }
    }

    /// Raises `sig` from inside a system call: a fatal one is kept in [`Self::fatal`] for the
    /// kernel to act on when the call returns.
    pub fn raise_now(&mut self, sig: u8) {
        if let Some(sig) = self.raise(sig) {
            self.fatal.get_or_insert(sig);
        }
    }

    /// Takes the lowest pending signal, for the handler.
    pub fn take_pending(&mut self) -> Option<u8> {
        if self.pending == 0 {
            return None;
        }
        let sig = self.pending.trailing_zeros() as u8;
        self.pending &= !bit(sig);
        Some(sig)
    }

    /// Sets the disposition of `sig` (spawn's `signal_dispositions`): ignore or default.
    pub fn set_ignored(&mut self, sig: u8, ignore: bool) {
        if sig == 0 || sig > MAX_SIGNAL || sig == SIGKILL {
            return;
        }
        if ignore {
            self.ignored |= bit(sig);
        } else {
            self.ignored &= !bit(sig);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pid1_handlers_and_ignores() {
        let mut s = SignalState::default();
        assert_eq!(s.raise(15), Some(15));
        assert_eq!(s.raise(17), None, "SIGCHLD is ignored by default");
        assert_eq!(s.raise(28), None, "SIGWINCH too");
        s.pid1 = true;
        assert_eq!(s.raise(15), None, "PID 1 ignores TERM without a handler");
        assert_eq!(s.raise(2), None);
        assert_eq!(s.raise(9), Some(9), "but not KILL");
        s.handler = Some("_signal".into());
        assert_eq!(s.raise(15), None);
        assert_eq!(s.raise(2), None);
        assert_eq!(s.take_pending(), Some(2));
        assert_eq!(s.take_pending(), Some(15));
        assert_eq!(s.take_pending(), None);
        s.set_ignored(2, true);
        assert_eq!(s.raise(2), None);
        assert_eq!(s.pending, 0);
        assert!(s.after_exec().handler.is_none());
    }

    #[test]
    fn signals_parse_as_docker_parses_them() {
        assert_eq!(Signal::parse("SIGQUIT"), Some(Signal::Quit));
        assert_eq!(Signal::parse("quit"), Some(Signal::Quit));
        assert_eq!(Signal::parse("3"), Some(Signal::Quit));
        assert_eq!(Signal::parse("SIGWINCH"), Some(Signal::Winch));
        assert_eq!(Signal::parse("sigpwr"), Some(Signal::Other(30)));
        assert_eq!(Signal::parse("CLD").map(Signal::number), Some(17));
        assert_eq!(Signal::parse("0"), None);
        assert_eq!(Signal::parse("32"), None);
        assert_eq!(Signal::parse("SIGFOO"), None);
        assert_eq!(Signal::parse(""), None);
    }
}
