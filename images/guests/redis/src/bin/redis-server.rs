//! `redis-server`: see `guest_redis::start`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(guest_redis::start::main(&args));
}
