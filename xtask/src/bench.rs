//! `cargo xtask bench`: the figures the issues set targets for, each measured in one run.
//!
//! - natively (`engine/examples/lifecycle_bench.rs`, an optimized build on the real clock): a
//!   container's create + start + exit, `docker run --rm busybox true` at the host shell, and a
//!   10-instruction `docker build` cold and fully cached, with their ratio;
//! - natively, the network (`engine/examples/network_bench.rs`): HTTP requests per second and p50
//!   latency container to container and host to a published port, and DNS lookups among 100
//!   containers on one network (the browser bench measures the same scenario);
//! - natively, the process kernel against Wasmer (`conformance/examples/runtimes_bench.rs`): a
//!   shell loop piping `seq` into `wc -l` in both, with their ratio, and the engine's process
//!   spawn latency (`true` to its exit, no container);
//! - in the browser (`tests/bench.mjs` driving headless Chromium against the built site):
//!   first-load size, time to a ready prompt, `docker run hello-world` latency, and a container's
//!   run to its exit (`docker run --rm busybox true`).
//!
//! Every figure is a `name: value unit` line.

use crate::run::run;
use crate::{catalog_dir, root, serve, setup, Result};

pub fn bench() -> Result {
    if !catalog_dir().join("index.json").exists() {
        setup::images()?;
    }
    let catalog = catalog_dir().display().to_string();
    run(
        &root(),
        "cargo",
        &["run", "--quiet", "--release", "-p", "engine", "--example", "lifecycle_bench", "--", &catalog, "20"],
    )?;
    // `docker compose up -d` of a five-service project (engine/examples/compose_bench.rs).
    run(
        &root(),
        "cargo",
        &["run", "--quiet", "--release", "-p", "engine", "--example", "compose_bench", "--", &catalog, "5"],
    )?;
    run(
        &root(),
        "cargo",
        &["run", "--quiet", "--release", "-p", "engine", "--example", "network_bench", "--", &catalog, "200"],
    )?;
    // An optimized build without LTO (see `profile.native-bench` in Cargo.toml).
    let example = ["--profile", "native-bench", "-p", "conformance", "--example", "runtimes_bench", "--", "5"];
    run(&root(), "cargo", &[&["run", "--quiet"][..], &example].concat())?;
    setup::chromium()?;
    serve::build_site()?;
    run(&root(), "node", &["tests/bench.mjs"])
}
