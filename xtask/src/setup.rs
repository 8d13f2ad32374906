//! Installs what a fresh machine lacks, from the package registries only: rustup targets, Trunk,
//! wasm-bindgen-cli at the exact version Cargo.lock pins, npm packages, Debian's Chromium. Each
//! step checks first, so a second run costs nothing. Also builds the guests and the catalog.

use crate::run::{output, run};
use crate::{catalog_dir, root, Result};

const TARGETS: &[&str] = &["wasm32-unknown-unknown", "wasm32-wasip1"];
const TRUNK_VERSION: &str = "0.21";

/// The wasm-bindgen version in Cargo.lock (the CLI must match it exactly).
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

pub fn rust_targets() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    let missing: Vec<&str> = TARGETS.iter().copied().filter(|t| !installed.lines().any(|l| l.trim() == *t)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut args = vec!["target", "add"];
    args.extend(missing);
    run(&root(), "rustup", &args)
}

pub fn web_tools() -> Result {
    rust_targets()?;
    let trunk = output("trunk", &["--version"]).unwrap_or_default();
    if !trunk.starts_with(&format!("trunk {TRUNK_VERSION}.")) {
        // Trunk 0.22 needs a newer rustc than this toolchain.
        run(&root(), "cargo", &["install", "trunk", "--version", &format!("~{TRUNK_VERSION}"), "--locked"])?;
    }
    let wanted = locked_wasm_bindgen()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(wanted.as_str()) {
        // Without --locked: with it, one of its index entries fails to resolve here.
        run(&root(), "cargo", &["install", "wasm-bindgen-cli", "--version", &wanted])?;
    }
    npm()
}

pub fn npm() -> Result {
    let root = root();
    let stamp = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if !fresh {
        run(&root, "npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

pub fn chromium() -> Result {
    if std::path::Path::new("/usr/bin/chromium").exists() {
        return Ok(());
    }
    run(&root(), "apt-get", &["update"])?;
    run(&root(), "apt-get", &["install", "-y", "--no-install-recommends", "chromium"])
}

/// Builds every guest program for wasm32-wasip1, then the catalog into `target/playground-images`.
pub fn images() -> Result {
    rust_targets()?;
    let mut args = vec!["build", "--release", "--target", "wasm32-wasip1"];
    let packages: Vec<String> = guest_packages()?;
    for p in &packages {
        args.push("-p");
        args.push(p);
    }
    run(&root(), "cargo", &args)?;
    // The networking examples the engine's tests run (engine/tests/net_guests.rs).
    run(&root(), "cargo", &["build", "--release", "--target", "wasm32-wasip1", "-p", "guest-net", "--examples"])?;
    let guests = root().join("target/wasm32-wasip1/release");
    let catalog = images::build_catalog(&guests).map_err(|e| e.to_string())?;
    let dir = catalog_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    catalog.write_to(&dir).map_err(|e| e.to_string())?;
    for warning in &catalog.warnings {
        eprintln!("warning: {warning}");
    }
    let bytes: usize = catalog.files.values().map(Vec::len).sum();
    eprintln!("catalog: {} files, {bytes} bytes in {}", catalog.files.len(), dir.display());
    Ok(())
}

/// The guest crates: every folder under images/guests.
fn guest_packages() -> Result<Vec<String>> {
    let dir = root().join("images/guests");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let manifest = std::fs::read_to_string(entry.path().join("Cargo.toml")).unwrap_or_default();
        if let Some(name) = manifest.lines().find_map(|l| l.strip_prefix("name = \"")) {
            names.push(name.trim_end_matches('"').to_string());
        }
    }
    names.sort();
    Ok(names)
}
