//! Test harness: runs the native `busybox` binary as `sh` with a `$PATH` made only of applet
//! symlinks, in a fresh temporary directory.

#![allow(dead_code)]

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct Out {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// A directory with `bin/` (applet links) and `work/` (the working directory).
pub fn sandbox() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_busybox"));
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let root = std::env::temp_dir().join(format!("bbtest-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::create_dir_all(root.join("work")).unwrap();
    let list = Command::new(&exe).arg("--list").output().unwrap();
    for name in String::from_utf8_lossy(&list.stdout).lines() {
        std::os::unix::fs::symlink(&exe, root.join("bin").join(name)).unwrap();
    }
    root
}

/// Runs `sh -c script` with `stdin`.
pub fn sh(script: &str) -> Out {
    sh_in(script, "")
}

pub fn sh_in(script: &str, stdin: &str) -> Out {
    let root = sandbox();
    let out = run_in(&root, &["sh", "-c", script], stdin);
    let _ = std::fs::remove_dir_all(&root);
    out
}

/// Runs `args` (args[0] an applet name) in a sandbox's work directory.
pub fn run_in(root: &std::path::Path, args: &[&str], stdin: &str) -> Out {
    let mut child = Command::new(root.join("bin").join(args[0]))
        .arg0(args[0])
        .args(&args[1..])
        .current_dir(root.join("work"))
        .env_clear()
        .env("PATH", root.join("bin"))
        .env("HOME", root.join("work"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_string();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(data.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Asserts stdout and exit status of a script.
pub fn check(script: &str, stdout: &str, code: i32) {
    let o = sh(script);
    assert_eq!(o.stdout, stdout, "script: {script}\nstderr: {}", o.stderr);
    assert_eq!(o.code, code, "script: {script}\nstderr: {}", o.stderr);
}
