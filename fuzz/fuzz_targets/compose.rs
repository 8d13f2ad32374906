//! Compose loader: any text as a project's `docker-compose.yml` goes through every stage
//! (parse, interpolate, merge, validate, normalise, checks, cycles). Nothing may panic; an
//! invalid file must come back as a `ComposeError` with a message. A project that loads is
//! printed as `docker compose config` prints it, and that output must load again into the same
//! project and print the same text (the canonical form is a fixed point), except where Compose
//! itself prints what it cannot read back: an empty key (`labels: ["=x"]` gives `"": x`, which
//! the schema then refuses; found by this target, and Compose v2.36.2 does the same).

#![no_main]

use engine::compose::config::render;
use engine::compose::{load, LoadOptions};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

const DIR: &str = "/home/eleve/app";

fn config(text: &[u8], env_file: &[u8]) -> Result<String, String> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert(format!("{DIR}/docker-compose.yml"), text.to_vec());
    files.insert(format!("{DIR}/.env"), env_file.to_vec());
    files.insert(format!("{DIR}/web.env"), b"FROM_FILE=1\n".to_vec());
    let shell_env = [("HOME", "/home/eleve"), ("TAG", "1.0"), ("EMPTY", "")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let opts = LoadOptions { cwd: DIR.into(), home: "/home/eleve".into(), shell_env, ..LoadOptions::default() };
    let read = |p: &str| files.get(p).cloned();
    let mut warnings = Vec::new();
    match load(&opts, &read, &mut warnings) {
        Ok(project) => Ok(render(&project)),
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
            Err(message)
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // An optional `.env` after a NUL byte.
    let (file, env_file) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"PORT=8080\nNAME=web\n"[..]),
    };
    if let Ok(text) = config(file, env_file) {
        if text.contains("\"\": ") {
            return;
        }
        let again = config(text.as_bytes(), env_file);
        assert_eq!(again.as_deref(), Ok(text.as_str()), "config output did not load back to itself");
    }
});
