//! `redis-cli`: see `guest_redis::cli`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(guest_redis::cli::main(&args));
}
