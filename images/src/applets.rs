//! The applets of the multicall userland, asked of the binary itself: the catalog builder runs
//! `busybox --list` with the engine's own process kernel, so the links an image installs always
//! match what the binary provides.

use engine::fs::Fs;
use engine::platform::{ManualClock, SeededEntropy};
use engine::process::{Kernel, Pipe, ProcStatus, SpawnSpec, Stdio};
use std::cell::RefCell;
use std::rc::Rc;

/// Runs `busybox --list` and returns the applet names.
pub fn list(busybox: &[u8]) -> Result<Vec<String>, String> {
    let mut kernel = Kernel::new(Rc::new(ManualClock::new(0)), Rc::new(RefCell::new(SeededEntropy::new(0))));
    let stdout = Pipe::new();
    let spec = SpawnSpec {
        program: busybox.into(),
        args: vec!["busybox".into(), "--list".into()],
        env: Vec::new(),
        cwd: "/".into(),
        fs: Fs::new(),
        stdin: Stdio::Null,
        stdout: Stdio::Pipe(stdout.clone()),
        stderr: Stdio::Null,
    };
    let pid = kernel.spawn(spec).map_err(|e| format!("busybox --list: {e}"))?;
    let mut out = Vec::new();
    for _ in 0..10_000 {
        kernel.run(u64::MAX);
        out.extend(stdout.drain());
        if let Some(ProcStatus::Exited(code)) = kernel.status(pid) {
            out.extend(stdout.drain());
            if code != 0 {
                return Err(format!("busybox --list exited with status {code}"));
            }
            let names: Vec<String> =
                String::from_utf8_lossy(&out).lines().map(str::to_string).filter(|l| !l.is_empty()).collect();
            return Ok(names);
        }
    }
    Err("busybox --list did not finish".into())
}
