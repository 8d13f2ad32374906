//! `cargo xtask test`: everything CI checks, in one place and in the order that fails fastest.

use crate::run::run;
use crate::{root, serve, setup, Result};

pub fn test(args: &[String]) -> Result {
    if let Some(a) = args.first() {
        return Err(format!("unknown argument {a}"));
    }
    let started = std::time::Instant::now();
    let root = root();
    setup::web_tools()?;
    setup::chromium()?;
    run(&root, "cargo", &["fmt", "--all", "--", "--check"])?;
    run(&root, "cargo", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    run(&root, "cargo", &["clippy", "-p", "web", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"])?;
    // The guests and the catalog come first: the engine's transcript tests pull from it.
    setup::images()?;
    // `--workspace` includes `conformance`, which runs the guests under Wasmer too (not a default
    // member: a plain `cargo test` does not build Wasmer).
    run(&root, "cargo", &["test", "--workspace", "--exclude", "web"])?;
    run(&root, "cargo", &["check", "-p", "engine", "--target", "wasm32-unknown-unknown"])?;
    serve::build_site()?;
    run(&root, "node", &["--test", "--test-concurrency=1", "tests/"])?;
    eprintln!("xtask test: all checks passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
