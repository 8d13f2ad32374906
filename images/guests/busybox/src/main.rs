//! The `busybox` binary: everything lives in the library (see `lib.rs`).

fn main() {
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    std::process::exit(guest_busybox::run(args));
}
