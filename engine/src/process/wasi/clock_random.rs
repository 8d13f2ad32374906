//! Time and randomness for processes: `clock_gettime` (wall clock from the machine's clock,
//! monotonic clock from its steady counter, both in nanoseconds) and `getrandom`. Both come from
//! the injected platform sources, so tests can make them deterministic.

use crate::process::errno::Errno;
use crate::process::mem;
use crate::process::state::ProcState;

const CLOCK_REALTIME: u32 = 0;
const CLOCK_MONOTONIC: u32 = 1;
const CLOCK_PROCESS_CPUTIME: u32 = 2;
const CLOCK_THREAD_CPUTIME: u32 = 3;

/// `clock_res_get`: the wall clock ticks in milliseconds, the others in microseconds.
pub fn clock_res_get(_st: &mut ProcState, m: &mut [u8], id: u32, out: u32) -> Result<(), Errno> {
    let res = match id {
        CLOCK_REALTIME => 1_000_000,
        CLOCK_MONOTONIC | CLOCK_PROCESS_CPUTIME | CLOCK_THREAD_CPUTIME => 1_000,
        _ => return Err(Errno::INVAL),
    };
    mem::write_u64(m, out, res)
}

/// `clock_time_get`: nanoseconds. CPU-time clocks read the monotonic clock.
pub fn clock_time_get(st: &mut ProcState, m: &mut [u8], id: u32, out: u32) -> Result<(), Errno> {
    let ns = match id {
        CLOCK_REALTIME => st.clock.unix_millis().saturating_mul(1_000_000),
        CLOCK_MONOTONIC | CLOCK_PROCESS_CPUTIME | CLOCK_THREAD_CPUTIME => {
            st.clock.monotonic_micros().saturating_mul(1_000)
        }
        _ => return Err(Errno::INVAL),
    };
    mem::write_u64(m, out, ns)
}

/// `random_get`: fills the buffer from the machine's entropy source.
pub fn random_get(st: &mut ProcState, m: &mut [u8], buf: u32, len: u32) -> Result<(), Errno> {
    let out = mem::bytes_mut(m, buf, len)?;
    let mut entropy = st.entropy.try_borrow_mut().map_err(|_| Errno::AGAIN)?;
    entropy.fill(out);
    Ok(())
}
