//! `cargo xtask bench`: the figures the issues set targets for, each measured in one run. The
//! browser figures (first-load size, time to a ready prompt, `docker run hello-world` latency)
//! come from `tests/bench.mjs` driving headless Chromium against the built site.

use crate::run::run;
use crate::{root, serve, setup, Result};

pub fn bench() -> Result {
    setup::chromium()?;
    serve::build_site()?;
    run(&root(), "node", &["tests/bench.mjs"])
}
