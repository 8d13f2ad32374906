//! `busybox`: one multicall binary holding the shell and the coreutils of every container image.
//!
//! Which program runs is decided by the basename of argv[0] (`/bin/ls` is a symlink to
//! `/bin/busybox`, so argv[0] is `ls`), or by the first argument in `busybox APPLET ARGS`.
//! All system access goes through [`sys`]; the shell lives in [`shell`], every other program in
//! [`applets`].

mod applets;
mod shell;
mod sys;
mod util;

fn main() {
    sys::init();
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let code = applets::dispatch(args);
    std::process::exit(code);
}
