//! libc, for the native builds the programs' tests run on.

use std::io;

extern "C" fn on_signal(sig: libc::c_int) {
    crate::signals::record(sig);
}

pub fn catch_signals(signals: &[i32]) {
    for &sig in signals {
        // SAFETY: `on_signal` only stores into an atomic, which is async-signal-safe.
        unsafe { libc::signal(sig, on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t) };
    }
}

pub fn send_signal(pid: u32, sig: i32) -> io::Result<()> {
    let pid = libc::pid_t::try_from(pid).map_err(|_| io::Error::from_raw_os_error(libc::ESRCH))?;
    // SAFETY: plain integer call.
    if unsafe { libc::kill(pid, sig) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

pub fn isatty(fd: i32) -> bool {
    // SAFETY: plain integer call.
    unsafe { libc::isatty(fd) == 1 }
}
