//! The imports this program needs beyond Rust's `std`, and the only place where `unsafe` is
//! allowed: the file type of a descriptor (is it a terminal?) from WASI preview 1, and the
//! playground's `path_chmod` (WASI has no permission bits; see the busybox guest's
//! `src/sys/README.md` for the contract). Each wrapper is a safe function.
#![allow(unsafe_code)]

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn fd_fdstat_get(fd: i32, stat: i32) -> i32;
}

#[link(wasm_import_module = "playground_v1")]
extern "C" {
    fn path_chmod(path: i32, path_len: i32, mode: i32) -> i32;
}

/// A terminal is a character device, as wasi-libc's `isatty` decides.
pub fn is_terminal(fd: u32) -> bool {
    // fdstat: fs_filetype u8 at 0, flags u16 at 2, rights u64 at 8 and 16 (24 bytes, 8-aligned).
    let mut stat = [0u64; 3];
    // SAFETY: the host writes 24 bytes into `stat`.
    let ret = unsafe { fd_fdstat_get(fd as i32, stat.as_mut_ptr() as i32) };
    ret == 0 && (stat[0] & 0xff) == 2
}

pub fn chmod(path: &str, mode: u32) -> std::io::Result<()> {
    // SAFETY: the host reads `path_len` bytes at `path`.
    let ret = unsafe { path_chmod(path.as_ptr() as i32, path.len() as i32, mode as i32) };
    // ENOSYS (52): a WASI runtime without the playground's extension has no permission bits to
    // set; the package's files stay as that runtime makes them rather than failing the install.
    if ret == 0 || ret == 52 {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("chmod {path}: WASI error {ret}")))
    }
}
