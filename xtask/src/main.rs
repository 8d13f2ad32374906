//! `cargo xtask <command>`: the project's one entry point.
//!
//! - `serve [--port N]`  install what is missing, build guests, images and the site, serve it on
//!   http://127.0.0.1:N (8080 by default);
//! - `test`              install what is missing, then fmt, clippy, native tests, the wasm check
//!   of the engine, a release build of the site and the browser end-to-end tests;
//! - `shell`             the playground's host shell on this terminal (stdin/stdout); with
//!   `--state FILE`, restored from FILE and saved into it at the end;
//! - `images`            build the guest programs and the bundled image catalog;
//! - `bench`             measure size, start-up and latency figures (see the issues' targets);
//! - `fuzz <target> [--seconds N]`  run one fuzz target of `fuzz/` (see fuzz/README.md).

mod bench;
mod fuzz;
mod run;
mod serve;
mod setup;
mod shell;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

/// The workspace root (xtask lives one folder below it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// Where `cargo xtask images` puts the catalog; Trunk copies it into the site as `images/`.
pub fn catalog_dir() -> PathBuf {
    root().join("target/playground-images")
}

/// An error that ends the command, with a message for the developer.
pub type Result<T = ()> = std::result::Result<T, String>;

fn usage() -> String {
    "usage: cargo xtask <serve [--port N] | test | shell [--state FILE] | images | bench | fuzz TARGET>".into()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::serve(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("shell") => shell::shell(&args[1..]),
        Some("images") => setup::images(),
        Some("bench") => bench::bench(),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
