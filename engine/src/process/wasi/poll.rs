//! `poll_oneoff`: wait until one of several things happens — a timer expires, a descriptor
//! becomes readable or writable. It is how a WASI program sleeps (`std::thread::sleep` is a
//! `poll_oneoff` with one clock subscription) and how an event loop waits on several pipes or
//! sockets. If nothing is ready, the process blocks; the kernel wakes it at the earliest timer or
//! when I/O may have happened, and the same code runs again.

use crate::process::blocked::{Stop, WouldBlock};
use crate::process::errno::Errno;
use crate::process::fdtable::Fd;
use crate::process::mem;
use crate::process::state::ProcState;

/// Size of a `subscription` record.
const SUBSCRIPTION_SIZE: u64 = 48;
/// Size of an `event` record.
const EVENT_SIZE: u64 = 32;

const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const EVENTTYPE_FD_WRITE: u8 = 2;

const CLOCK_REALTIME: u32 = 0;
/// `subclockflags::subscription_clock_abstime`.
const ABSTIME: u16 = 1;
/// `eventrwflags::fd_readwrite_hangup`.
const HANGUP: u16 = 1;

/// One event to report.
#[derive(Debug, Clone, Copy)]
struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

/// When a clock subscription fires, in monotonic microseconds.
fn clock_deadline(st: &ProcState, id: u32, timeout_ns: u64, flags: u16, since: u64) -> u64 {
    let timeout_us = timeout_ns.div_ceil(1000);
    if flags & ABSTIME == 0 {
        return since.saturating_add(timeout_us);
    }
    if id == CLOCK_REALTIME {
        // An absolute wall-clock time: how far ahead of now it is, on the monotonic clock.
        let now_wall_us = st.clock.unix_millis().saturating_mul(1000);
        return st.clock.monotonic_micros().saturating_add(timeout_us.saturating_sub(now_wall_us));
    }
    timeout_us
}

/// Whether `fd` is ready for reading (or writing): `Some((nbytes, flags))` if it is.
fn fd_ready(st: &ProcState, fd: u32, write: bool) -> Result<Option<(u64, u16)>, Errno> {
    let entry = st.fds.get(fd)?;
    Ok(match (&entry.fd, write) {
        (Fd::PipeIn(p), false) => {
            if !p.is_empty() {
                Some((p.len() as u64, 0))
            } else if p.writer_closed() {
                Some((0, HANGUP))
            } else {
                None
            }
        }
        (Fd::PipeOut(p), true) => {
            if p.reader_closed() {
                Some((0, HANGUP))
            } else if p.room() > 0 {
                Some((p.room() as u64, 0))
            } else {
                None
            }
        }
        (Fd::PipeIn(_), true) | (Fd::PipeOut(_), false) => return Err(Errno::BADF),
        (Fd::Tty(t), false) => t.read_ready().then(|| {
            let flags = if t.is_hung_up() { HANGUP } else { 0 };
            (t.readable() as u64, flags)
        }),
        (Fd::Tty(t), true) => t.write_ready().then_some((1, 0)),
        (Fd::Socket(s), _) => {
            let (read, written) = s.sock().borrow().readiness();
            let hangup = |(n, hup): (u64, bool)| (n, if hup { HANGUP } else { 0 });
            if write {
                written.map(hangup)
            } else {
                read.map(hangup)
            }
        }
        (Fd::File { node, pos, .. }, false) => {
            let size = super::types::stat_node(node).size;
            Some((size.saturating_sub(pos.get()), 0))
        }
        _ => Some((0, 0)),
    })
}

/// Whether a `poll_oneoff` waits on descriptors (an event loop), not only on clocks (a sleep):
/// a signal the program handles interrupts the former with `EINTR`, as `poll(2)` does, while a
/// sleep goes on after the handler (as Rust's `thread::sleep` would retry it).
pub fn waits_on_fds(m: &[u8], subs: u32, nsubs: u32) -> bool {
    (0..u64::from(nsubs)).any(|i| {
        let kind = mem::offset(subs, i * SUBSCRIPTION_SIZE + 8).and_then(|at| mem::read_u8(m, at));
        matches!(kind, Ok(EVENTTYPE_FD_READ | EVENTTYPE_FD_WRITE))
    })
}

/// `poll_oneoff(in, out, nsubscriptions, nevents)`; relative timeouts count from `since`.
pub fn poll_oneoff(
    st: &mut ProcState,
    m: &mut [u8],
    subs: u32,
    events: u32,
    nsubs: u32,
    nevents: u32,
    since: u64,
) -> Result<(), Stop> {
    if nsubs == 0 {
        return Err(Errno::INVAL.into());
    }
    let subs_len = u64::from(nsubs) * SUBSCRIPTION_SIZE;
    mem::bytes(m, subs, u32::try_from(subs_len).map_err(|_| Errno::FAULT)?)?;
    let events_len = u64::from(nsubs) * EVENT_SIZE;
    mem::bytes(m, events, u32::try_from(events_len).map_err(|_| Errno::FAULT)?)?;
    mem::bytes(m, nevents, 4)?;

    let now = st.clock.monotonic_micros();
    let mut ready = Vec::new();
    let mut wake_at: Option<u64> = None;
    for i in 0..u64::from(nsubs) {
        let at = mem::offset(subs, i * SUBSCRIPTION_SIZE)?;
        let userdata = mem::read_u64(m, at)?;
        let kind = mem::read_u8(m, mem::offset(at, 8)?)?;
        let body = mem::offset(at, 16)?;
        let mut event = Event { userdata, error: Errno::SUCCESS, kind, nbytes: 0, flags: 0 };
        match kind {
            EVENTTYPE_CLOCK => {
                let id = mem::read_u32(m, body)?;
                let timeout = mem::read_u64(m, mem::offset(body, 8)?)?;
                let flags = mem::read_u16(m, mem::offset(body, 24)?)?;
                if id > 3 {
                    event.error = Errno::INVAL;
                    ready.push(event);
                    continue;
                }
                let deadline = clock_deadline(st, id, timeout, flags, since);
                if now >= deadline {
                    ready.push(event);
                } else {
                    wake_at = Some(wake_at.map_or(deadline, |w| w.min(deadline)));
                }
            }
            EVENTTYPE_FD_READ | EVENTTYPE_FD_WRITE => {
                let fd = mem::read_u32(m, body)?;
                // A connect in progress moves on (and says when to look again).
                if let Ok(Fd::Socket(s)) = st.fds.get(fd).map(|e| &e.fd) {
                    let s = s.sock().clone();
                    if let Some(at) = st.net.progress(&s, now) {
                        wake_at = Some(wake_at.map_or(at, |w| w.min(at)));
                    }
                }
                match fd_ready(st, fd, kind == EVENTTYPE_FD_WRITE) {
                    Ok(Some((nbytes, flags))) => {
                        event.nbytes = nbytes;
                        event.flags = flags;
                        ready.push(event);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        event.error = e;
                        ready.push(event);
                    }
                }
            }
            _ => return Err(Errno::INVAL.into()),
        }
    }
    if ready.is_empty() {
        return Err(Stop::Block(WouldBlock { wake_at_micros: wake_at }));
    }
    for (i, e) in (0u64..).zip(&ready) {
        let at = mem::offset(events, i * EVENT_SIZE)?;
        let out = mem::bytes_mut(m, at, EVENT_SIZE as u32)?;
        out.fill(0);
        out[0..8].copy_from_slice(&e.userdata.to_le_bytes());
        out[8..10].copy_from_slice(&e.error.0.to_le_bytes());
        out[10] = e.kind;
        out[16..24].copy_from_slice(&e.nbytes.to_le_bytes());
        out[24..26].copy_from_slice(&e.flags.to_le_bytes());
    }
    mem::write_u32(m, nevents, ready.len() as u32)?;
    Ok(())
}
