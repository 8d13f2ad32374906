//! What the fuzz targets share: a tiny image catalog held in memory, standing in for the
//! bundled one (which `cargo xtask images` builds from the guest programs).
//!
//! `hello-world:latest` runs a real WASI program (written in WebAssembly text) that prints a
//! line and exits; `alpine:latest` has a `/bin/sh` that is not a program at all, so `docker run`
//! reaches container creation and then fails to start, as with a broken image.

use engine::ids::Digest;
use engine::image::{
    build_layer, CatalogIndex, ContainerConfig, Descriptor, ImageConfig, LayerEntry, Manifest,
    RepoEntry, RootFs, CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE,
};
use engine::platform::MemoryBlobSource;
use std::collections::BTreeMap;

const HELLO_WAT: &str = r#"
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello from Docker!\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 19))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
"#;

fn add(source: &mut MemoryBlobSource, bytes: Vec<u8>) -> Descriptor {
    let digest = Digest::of(&bytes);
    let size = bytes.len() as u64;
    source.insert(format!("blobs/sha256/{}", digest.hex()), bytes);
    Descriptor {
        media_type: String::new(),
        size,
        digest: digest.to_string(),
    }
}

fn image(source: &mut MemoryBlobSource, files: Vec<LayerEntry>, cmd: &[&str]) -> Option<String> {
    let tar = build_layer(&files, 1_700_000_000).ok()?;
    let layer = Descriptor {
        media_type: LAYER_MEDIA_TYPE.into(),
        ..add(source, tar)
    };
    let config = ImageConfig {
        author: None,
        architecture: "wasm".into(),
        os: "wasip1".into(),
        created: "2025-08-13T09:12:00Z".into(),
        config: ContainerConfig {
            env: vec!["PATH=/usr/local/bin:/usr/bin:/bin".into()],
            cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
            working_dir: "/".into(),
            ..ContainerConfig::default()
        },
        rootfs: RootFs {
            kind: "layers".into(),
            diff_ids: vec![layer.digest.clone()],
        },
        history: vec![],
    };
    let config = Descriptor {
        media_type: CONFIG_MEDIA_TYPE.into(),
        ..add(source, serde_json::to_vec(&config).ok()?)
    };
    let manifest = Manifest {
        schema_version: 2,
        media_type: MANIFEST_MEDIA_TYPE.into(),
        config,
        layers: vec![layer],
    };
    Some(add(source, serde_json::to_vec(&manifest).ok()?).digest)
}

fn repo(manifest: String, tags: &[&str]) -> RepoEntry {
    RepoEntry {
        description: String::new(),
        stars: 1,
        official: true,
        tags: tags
            .iter()
            .map(|t| (t.to_string(), manifest.clone()))
            .collect(),
    }
}

/// The in-memory catalog; empty if it cannot be built (the target still runs).
pub fn catalog() -> MemoryBlobSource {
    let mut source = MemoryBlobSource::default();
    let hello = wat::parse_str(HELLO_WAT).unwrap_or_default();
    let file = |path: &str, data: Vec<u8>| LayerEntry::File {
        path: path.into(),
        mode: 0o755,
        data,
    };
    let mut repositories = BTreeMap::new();
    if let Some(m) = image(&mut source, vec![file("hello", hello)], &["/hello"]) {
        repositories.insert(
            "library/hello-world".to_string(),
            repo(m, &["latest", "linux"]),
        );
    }
    let sh = file("bin/sh", b"#!not a program\n".to_vec());
    if let Some(m) = image(&mut source, vec![sh], &["/bin/sh"]) {
        repositories.insert("library/alpine".to_string(), repo(m, &["latest", "3.19"]));
    }
    let index = CatalogIndex { repositories };
    if let Ok(json) = serde_json::to_vec(&index) {
        source.insert("index.json", json);
    }
    source
}
