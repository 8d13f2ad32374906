//! WASIX imports (`wasix_32v1`, as the `wasix` crate 0.13 declares them) and WASI preview 1's
//! `fd_fdstat_get`. Arguments are `i32`s; pointers are offsets into this module's memory.

use std::io;

#[link(wasm_import_module = "wasix_32v1")]
extern "C" {
    fn proc_id(ret_pid: i32) -> i32;
    fn proc_signal(pid: i32, signal: i32) -> i32;
    fn callback_signal(name: i32, name_len: i32);
}

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn fd_fdstat_get(fd: i32, stat: i32) -> i32;
}

fn ptr<T>(p: *const T) -> i32 {
    p as usize as i32
}

/// An out-parameter the engine writes.
fn out<T>(p: *mut T) -> i32 {
    p as usize as i32
}

/// The name of the exported function below, registered with `callback_signal`.
const HANDLER: &str = "guest_server_signal";

/// Called by the engine, between two slices of this process, with a signal number.
#[no_mangle]
pub extern "C" fn guest_server_signal(sig: i32) {
    crate::signals::record(sig);
}

pub fn catch_signals(_signals: &[i32]) {
    // WASIX has one handler for every signal; `signals::record` keeps those asked for.
    // SAFETY: a pointer and length into a live static string.
    unsafe { callback_signal(ptr(HANDLER.as_ptr()), HANDLER.len() as i32) }
}

pub fn send_signal(pid: u32, sig: i32) -> io::Result<()> {
    // SAFETY: plain integer call.
    match unsafe { proc_signal(pid as i32, sig) } {
        0 => Ok(()),
        // WASI's ESRCH.
        71 => Err(io::Error::from_raw_os_error(3)),
        e => Err(io::Error::other(format!("proc_signal: errno {e}"))),
    }
}

pub fn pid() -> u32 {
    let mut p = 0u32;
    // SAFETY: one u32 out-parameter.
    if unsafe { proc_id(out(&mut p)) } == 0 {
        p
    } else {
        0
    }
}

pub fn isatty(fd: i32) -> bool {
    // `fdstat`: filetype u8, flags u16, rights u64 x2 (24 bytes, 8-aligned).
    let mut stat = [0u64; 3];
    // SAFETY: `stat` is 24 bytes, 8-aligned, the size of `fdstat`.
    let ok = unsafe { fd_fdstat_get(fd, out(stat.as_mut_ptr())) } == 0;
    // Like wasi-libc's isatty: a character device is a terminal.
    ok && stat[0].to_le_bytes()[0] == 2
}
