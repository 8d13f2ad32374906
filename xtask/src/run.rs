//! Running external commands with a readable trace and a clear failure.

use std::path::Path;
use std::process::Command;

/// Runs `program args...` in `dir`, echoing it first; fails if it exits non-zero.
pub fn run(dir: &Path, program: &str, args: &[&str]) -> crate::Result {
    eprintln!("+ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Runs a command and returns its stdout, or None if it cannot run or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
