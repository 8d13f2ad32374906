//! Conformance of the engine's process kernel with a reference WASIX runtime.
//!
//! The engine runs every program of the playground (`busybox` and the other guests, built for
//! `wasm32-wasip1` with WASIX imports) in its own kernel, on wasmi. Wasmer is the runtime that
//! defines WASIX; its `wasmer-wasix` crate is the reference implementation. This crate runs the
//! same guest `.wasm` file, with the same arguments, environment, standard input and files, once
//! in the engine ([`engine_side`]) and once in Wasmer ([`wasmer_side`]), and returns what each
//! printed and its exit status, so a test can ask for the same result in both.
//!
//! Both sides see the same tree: the programs in `/bin` (`/bin/busybox` and one name per applet),
//! other guests beside it, the test's files in `/work`, the working directory. The playground's own imports
//! (`playground_v1`: modes and ownership, ICMP, `docker`) do not exist in Wasmer: the Wasmer side
//! defines each of them as a function that fails with `ENOSYS`, which the guests must tolerate.
//!
//! It is a crate of its own, outside the workspace's default members, because Wasmer (a compiler
//! and its runtime) is a large build: a plain `cargo test` stays fast, `cargo xtask test` runs it.

pub mod engine_side;
pub mod wasmer_side;

use std::path::PathBuf;

/// WASI's `ENOSYS` ("function not supported").
pub const ENOSYS: i32 = 52;

/// The tree a program runs in, and how it is started.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The multicall binary installed as `/bin/busybox`.
    pub busybox: Vec<u8>,
    /// The names installed in `/bin` that run `busybox` (the engine's images use symlinks).
    pub applets: Vec<String>,
    /// Other programs installed in `/bin` (name, module), e.g. `hello`.
    pub programs: Vec<(String, Vec<u8>)>,
    /// Files under `/work` (relative path, content); their directories are created.
    pub files: Vec<(String, Vec<u8>)>,
}

/// One run: `argv` (with `argv[0]`, an applet name looked up in `/bin`), its stdin.
#[derive(Debug, Clone)]
pub struct Run {
    pub argv: Vec<String>,
    pub stdin: Vec<u8>,
}

/// The environment every run gets, on both sides.
pub const ENV: &[(&str, &str)] = &[("PATH", "/bin"), ("HOME", "/work"), ("PWD", "/work")];

/// The working directory every run starts in.
pub const CWD: &str = "/work";

/// What a run left: its standard output, its standard error, its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: i32,
}

impl Outcome {
    /// The output as text, for messages.
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Where cargo put the guest programs: `$CARGO_TARGET_DIR` (at build time, then at run time), else
/// the workspace's `target/`.
pub fn guest_path(name: &str) -> PathBuf {
    let dirs = [
        option_env!("CARGO_TARGET_DIR").map(PathBuf::from),
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target")),
    ];
    let candidates: Vec<PathBuf> =
        dirs.into_iter().flatten().map(|d| d.join("wasm32-wasip1/release").join(format!("{name}.wasm"))).collect();
    candidates.iter().find(|p| p.exists()).cloned().unwrap_or_else(|| candidates[0].clone())
}

/// Reads a guest program built by `cargo xtask images`.
pub fn read_guest(name: &str) -> Result<Vec<u8>, String> {
    let path = guest_path(name);
    std::fs::read(&path).map_err(|e| {
        format!(
            "{}: {e}; build the guests first: `cargo xtask images` \
             (or `cargo build -p guest-{name} --release --target wasm32-wasip1`)",
            path.display()
        )
    })
}
