//! The `pkg` binary: `apk`, `apt-get`, `apt`, `apt-cache` or `dpkg`, by the name it runs as.

fn main() {
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let mut ctx = guest_pkg::Ctx::system();
    let code = guest_pkg::run(&args, &mut ctx);
    let _ = std::io::Write::flush(&mut ctx.out);
    std::process::exit(code);
}
