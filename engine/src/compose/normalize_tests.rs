//! Normalisation through the whole loader: each folder of `testdata/` holds a project (its
//! `docker-compose.yml`, maybe `.env` and other files) and `expected`: what Docker Compose
//! v2.36.2 prints for `docker compose config` there (or its error), recorded in
//! `/home/eleve/<folder>` with `HOME=/home/eleve` and the environment of `env` if present.

use crate::compose::{config::render, load, LoadOptions};
use std::collections::BTreeMap;
use std::path::Path;

fn run(dir: &Path, name: &str) -> String {
    let root = format!("/home/eleve/{name}");
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut shell_env = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        match file.as_str() {
            "expected" | "actual" => {}
            "env" => {
                for line in String::from_utf8_lossy(&bytes).lines() {
                    if let Some((k, v)) = line.split_once('=') {
                        shell_env.insert(k.to_string(), v.to_string());
                    }
                }
            }
            _ => {
                files.insert(format!("{root}/{}", file.replace("__", "/")), bytes);
            }
        }
    }
    let opts = LoadOptions { cwd: root, home: "/home/eleve".into(), shell_env, ..LoadOptions::default() };
    let mut warnings = Vec::new();
    let read = |p: &str| files.get(p).cloned();
    let mut out = String::new();
    let result = load(&opts, &read, &mut warnings);
    for w in warnings {
        out.push_str(&format!("WARN {w}\n"));
    }
    match result {
        Ok(p) => out.push_str(&render(&p)),
        Err(e) => out.push_str(&format!("ERROR {e}\n")),
    }
    out
}

#[test]
fn projects_normalise_as_compose_prints_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/compose/testdata");
    let update = std::env::var_os("UPDATE_COMPOSE_TESTDATA").is_some();
    let mut failures = Vec::new();
    let mut dirs: Vec<_> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let actual = run(&dir, &name);
        let expected = std::fs::read_to_string(dir.join("expected")).unwrap_or_default();
        if update {
            std::fs::write(dir.join("actual"), &actual).unwrap();
        }
        if actual != expected {
            failures.push(format!("{name}:\n--- expected\n{expected}--- actual\n{actual}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Differential testing against the real Compose: `COMPOSE_DIFF_DIR=/some/dir cargo test -p
/// engine --lib compose::normalize -- --ignored` writes `actual` into each project folder there,
/// to compare with what `record.py` records as `expected` for the same folders.
#[test]
#[ignore]
fn write_actual_for_a_folder_of_projects() {
    let Some(root) = std::env::var_os("COMPOSE_DIFF_DIR") else { return };
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            std::fs::write(dir.join("actual"), run(&dir, &name)).unwrap();
        }
    }
}
