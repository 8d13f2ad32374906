//! A process's command line and environment (`argv`, `environ`), as `execve(2)` hands them over:
//! libc first asks for the sizes, allocates, then asks for the NUL-terminated strings and the
//! array of pointers to them.

use crate::process::errno::Errno;
use crate::process::mem;
use crate::process::state::ProcState;

/// Writes the count and total byte size (with terminating NULs) of `list`.
fn sizes(m: &mut [u8], list: &[String], count: u32, size: u32) -> Result<(), Errno> {
    let total: usize = list.iter().map(|s| s.len() + 1).sum();
    mem::write_u32(m, count, list.len() as u32)?;
    mem::write_u32(m, size, u32::try_from(total).map_err(|_| Errno::OVERFLOW)?)
}

/// Writes the strings of `list` at `buf` and pointers to them at `ptrs`.
fn strings(m: &mut [u8], list: &[String], ptrs: u32, buf: u32) -> Result<(), Errno> {
    let mut at = buf;
    for (i, s) in (0u64..).zip(list) {
        mem::write_u32(m, mem::offset(ptrs, i * 4)?, at)?;
        mem::write(m, at, s.as_bytes())?;
        let end = mem::offset(at, s.len() as u64)?;
        mem::write_u8(m, end, 0)?;
        at = mem::offset(end, 1)?;
    }
    Ok(())
}

pub fn args_sizes_get(st: &mut ProcState, m: &mut [u8], count: u32, size: u32) -> Result<(), Errno> {
    sizes(m, &st.args, count, size)
}

pub fn args_get(st: &mut ProcState, m: &mut [u8], ptrs: u32, buf: u32) -> Result<(), Errno> {
    strings(m, &st.args, ptrs, buf)
}

pub fn environ_sizes_get(st: &mut ProcState, m: &mut [u8], count: u32, size: u32) -> Result<(), Errno> {
    sizes(m, &st.env, count, size)
}

pub fn environ_get(st: &mut ProcState, m: &mut [u8], ptrs: u32, buf: u32) -> Result<(), Errno> {
    strings(m, &st.env, ptrs, buf)
}
