//! `cargo xtask fuzz <target> [--seconds N]`: runs one coverage-guided fuzz target of `fuzz/`
//! for N seconds (60 by default), installing cargo-fuzz first if it is missing.
//!
//! libFuzzer needs the compiler's sanitizer-coverage flags, which are nightly-only; here only
//! the stable toolchain exists, so cargo-fuzz runs with `RUSTC_BOOTSTRAP=1`, which lets stable
//! rustc accept them (see `fuzz/README.md`). Each target's corpus starts from seeds: the
//! course's Dockerfiles (the parser's test fixtures), the transcripts' commands, the Compose
//! loader's test projects, the snapshot fixtures, and the files under `fuzz/seeds/<target>/`.
//! Crashes land in `fuzz/artifacts/<target>/`. Not part of
//! `cargo xtask test`.

use crate::run::output;
use crate::{root, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGETS: &[&str] = &[
    "dockerfile",
    "cli_args",
    "reference",
    "shell",
    "dns",
    "dns_message",
    "http_request",
    "resp",
    "compose",
    "snapshot",
];

fn usage() -> String {
    format!("usage: cargo xtask fuzz <{}> [--seconds N]", TARGETS.join(" | "))
}

/// Installs cargo-fuzz from crates.io if `cargo fuzz` does not answer.
fn cargo_fuzz() -> Result {
    if output("cargo", &["fuzz", "--version"]).is_some() {
        return Ok(());
    }
    crate::run::run(&root(), "cargo", &["install", "cargo-fuzz", "--locked"])
}

/// Copies `from/*` into `corpus` (under `prefix-<name>`), leaving existing files alone.
fn seed(corpus: &Path, from: &Path, prefix: &str) -> Result {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let to = corpus.join(format!("{prefix}-{name}"));
        if !to.exists() {
            std::fs::copy(&path, &to).map_err(|e| format!("{}: {e}", to.display()))?;
        }
    }
    Ok(())
}

/// The seed folders of a target: its own, plus the project files that are natural inputs.
fn seed_dirs(target: &str) -> Vec<(PathBuf, String)> {
    let root = root();
    let mut dirs = vec![(root.join("fuzz/seeds").join(target), "seed".to_string())];
    match target {
        "dockerfile" => dirs.push((root.join("engine/src/image/build/tests/course"), "course".into())),
        "snapshot" => dirs.push((root.join("engine/src/persist/fixtures"), "fixture".into())),
        "cli_args" | "shell" => {
            let transcripts = root.join("engine/tests/transcripts");
            if let Ok(entries) = std::fs::read_dir(&transcripts) {
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    dirs.push((entry.path(), format!("transcript-{name}")));
                }
            }
        }
        "compose" => {
            let projects = root.join("engine/src/compose/testdata");
            if let Ok(entries) = std::fs::read_dir(&projects) {
                for entry in entries.flatten().filter(|e| e.path().is_dir()) {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    dirs.push((entry.path(), format!("project-{name}")));
                }
            }
        }
        _ => {}
    }
    dirs
}

pub fn fuzz(args: &[String]) -> Result {
    let mut target = None;
    let mut seconds: u64 = 60;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = it.next().and_then(|s| s.parse().ok()).ok_or_else(usage)?;
            }
            t if TARGETS.contains(&t) && target.is_none() => target = Some(t),
            _ => return Err(usage()),
        }
    }
    let target = target.ok_or_else(usage)?;
    cargo_fuzz()?;

    let fuzz_dir = root().join("fuzz");
    let corpus = fuzz_dir.join("corpus").join(target);
    std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    for (dir, prefix) in seed_dirs(target) {
        seed(&corpus, &dir, &prefix)?;
    }

    let mut libfuzzer_args = vec![
        format!("-max_total_time={seconds}"),
        "-timeout=10".to_string(),
        "-rss_limit_mb=4096".to_string(),
        "-print_final_stats=1".to_string(),
    ];
    let dict = fuzz_dir.join("dictionaries").join(format!("{target}.dict"));
    if dict.exists() {
        libfuzzer_args.push(format!("-dict={}", dict.display()));
    }
    let corpus_arg = corpus.display().to_string();
    let mut cmd_args = vec!["fuzz", "run", "-O", target, corpus_arg.as_str(), "--"];
    cmd_args.extend(libfuzzer_args.iter().map(String::as_str));
    eprintln!("+ RUSTC_BOOTSTRAP=1 cargo {}", cmd_args.join(" "));
    let status = Command::new("cargo")
        .args(&cmd_args)
        .current_dir(&fuzz_dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .status()
        .map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "fuzz target {target} failed ({status}); the input is in {}",
            fuzz_dir.join("artifacts").join(target).display()
        ))
    }
}
