//! `busybox`: one multicall binary holding the shell and the coreutils of every container image.
//!
//! Which program runs is decided by the basename of argv[0] (`/bin/ls` is a symlink to
//! `/bin/busybox`, so argv[0] is `ls`), or by the first argument in `busybox APPLET ARGS`.
//! All system access goes through [`sys`]; the shell lives in [`shell`], every other program in
//! [`applets`]. The binary (`main.rs`) only calls [`run`]; the library exists so the shell's
//! parser can be fuzzed (`cargo xtask fuzz shell`).

mod applets;
mod shell;
mod sys;
mod util;

/// Runs the program argv names and returns its exit status.
pub fn run(args: Vec<String>) -> i32 {
    sys::init();
    applets::dispatch(args)
}

/// For the fuzz target: parses `script` as `sh` would, then parses the text the tree prints
/// back (`type f`, `set`), which must parse to the same text. Returns whether the script parsed.
pub fn fuzz_shell_parser(script: &str) -> bool {
    shell::fuzz_parse(script)
}
