//! The few system calls `std` does not offer: the process id, sending and catching signals, and
//! whether a descriptor is a terminal. WASIX imports on wasm32-wasip1, libc natively. The only
//! module of the crate where `unsafe` is allowed.
#![allow(unsafe_code)]

#[cfg(not(target_os = "wasi"))]
mod native;
#[cfg(target_os = "wasi")]
mod wasi;

#[cfg(not(target_os = "wasi"))]
pub(crate) use native::{catch_signals, send_signal};
#[cfg(target_os = "wasi")]
pub(crate) use wasi::{catch_signals, send_signal};

/// This process's id, as `getpid()` gives it (1 for a container's first process).
pub fn pid() -> u32 {
    #[cfg(target_os = "wasi")]
    return wasi::pid();
    #[cfg(not(target_os = "wasi"))]
    return std::process::id();
}

/// True if descriptor `fd` (0, 1, 2) is a terminal, as `isatty(3)` says.
pub fn isatty(fd: i32) -> bool {
    #[cfg(target_os = "wasi")]
    return wasi::isatty(fd);
    #[cfg(not(target_os = "wasi"))]
    return native::isatty(fd);
}
