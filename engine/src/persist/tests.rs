//! Snapshots made and restored on a small world built here: a catalog whose userland is a
//! program that only reads its terminal, and an image `app` with tiny programs (sleep, print,
//! fail). The CLI-level round trip with the real catalog is `tests/persist.rs`.

use super::*;
use crate::container::{CreateOptions, Health, HealthResult, HealthStatus, HostConfig, RestartPolicy, State};
use crate::image::{build_layer, CatalogIndex, Descriptor, Image, ImageConfig, LayerEntry, Manifest as ImageManifest};
use crate::image::{RepoEntry, RootFs, CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE};
use crate::network::ports::{Port, PortBinding};
use crate::network::{EndpointConfig, NetworkCreate, NetworkMode, NetworkRequest};
use crate::platform::{Clock, ManualClock, MemoryBlobSource, MemoryStorage, Platform, Storage, StoragePoll};
use crate::process::Signal;
use crate::volume::VolumeCreate;
use crate::{Engine, TerminalMode};

const EPOCH_MS: u64 = 1_768_471_200_000;

fn wasm(body: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (import "wasix_32v1" "thread_sleep" (func $thread_sleep (param i64) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 64) "hello\n")
          {body})"#
    ))
    .expect("valid wat")
}

/// The host's "shell": reads its terminal for ever.
fn reader() -> Vec<u8> {
    wasm(
        r#"(func (export "_start")
          (loop $again
            (i32.store (i32.const 0) (i32.const 128))
            (i32.store (i32.const 4) (i32.const 64))
            (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
            (br $again)))"#,
    )
}

fn file(path: &str, data: &[u8], mode: u32) -> LayerEntry {
    LayerEntry::File { path: path.into(), mode, data: data.to_vec() }
}

/// A catalog whose `busybox` userland is the reader.
fn catalog() -> MemoryBlobSource {
    let layer = build_layer(
        &[
            file("bin/busybox", &reader(), 0o755),
            LayerEntry::Symlink { path: "bin/sh".into(), target: "busybox".into() },
            file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n", 0o644),
            file("etc/group", b"root:x:0:\n", 0o644),
        ],
        0,
    )
    .unwrap();
    let layer_digest = crate::ids::Digest::of(&layer);
    let config = b"{}".to_vec();
    let descriptor = |media: &str, bytes: &[u8]| Descriptor {
        media_type: media.into(),
        size: bytes.len() as u64,
        digest: crate::ids::Digest::of(bytes).to_string(),
    };
    let manifest = ImageManifest {
        schema_version: 2,
        media_type: MANIFEST_MEDIA_TYPE.into(),
        config: descriptor(CONFIG_MEDIA_TYPE, &config),
        layers: vec![descriptor(LAYER_MEDIA_TYPE, &layer)],
    };
    let manifest = serde_json::to_vec(&manifest).unwrap();
    let manifest_digest = crate::ids::Digest::of(&manifest);
    let mut index = CatalogIndex::default();
    let tags = [("latest".to_string(), manifest_digest.to_string())].into_iter().collect();
    index
        .repositories
        .insert("library/busybox".into(), RepoEntry { description: String::new(), stars: 0, official: true, tags });
    let mut blobs = MemoryBlobSource::default();
    blobs.insert("index.json", serde_json::to_vec(&index).unwrap());
    blobs.insert(format!("blobs/sha256/{}", manifest_digest.hex()), manifest);
    blobs.insert(format!("blobs/sha256/{}", layer_digest.hex()), layer);
    blobs
}

/// Ticks until the host shell waits at its prompt.
fn settle(engine: &mut Engine, clock: &ManualClock) {
    for _ in 0..500 {
        engine.tick(10_000);
        clock.advance_micros(10_000);
        if engine.at_prompt() {
            return;
        }
    }
    panic!("the host never got to its prompt");
}

fn boot(clock: &ManualClock, seed: u64) -> Engine {
    let mut engine =
        Engine::new(Platform::for_tests(clock.clone(), seed, Box::new(catalog())), TerminalMode::Interactive);
    settle(&mut engine, clock);
    engine
}

fn restore(clock: &ManualClock, snapshot: &Snapshot) -> Result<Engine, SnapshotError> {
    let platform = Platform::for_tests(clock.clone(), 99, Box::new(catalog()));
    let mut engine = Engine::restore(platform, TerminalMode::Interactive, snapshot)?;
    settle(&mut engine, clock);
    Ok(engine)
}

/// Adds the image `app`: `/bin/sleep`, `/bin/hello` (prints and exits), `/bin/fail` (exit 3),
/// `/etc/motd`, `/etc/app.conf`.
fn add_app(engine: &mut Engine) {
    let sleep = wasm(r#"(func (export "_start") (drop (call $thread_sleep (i64.const 1000000000000000))))"#);
    let hello = wasm(
        r#"(func (export "_start")
          (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 6))
          (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))"#,
    );
    let fail = wasm(r#"(func (export "_start") (call $proc_exit (i32.const 3)))"#);
    let entries = [
        file("bin/sleep", &sleep, 0o755),
        file("bin/hello", &hello, 0o755),
        file("bin/fail", &fail, 0o755),
        file("etc/motd", b"welcome\n", 0o644),
        file("etc/app.conf", b"port=80\n", 0o644),
    ];
    let tar = build_layer(&entries, 0).unwrap();
    let layer = crate::ids::Digest::of(&tar);
    let mut config = ImageConfig {
        author: None,
        architecture: "wasm".into(),
        os: "wasip1".into(),
        created: "2026-01-01T00:00:00Z".into(),
        config: Default::default(),
        rootfs: RootFs { kind: "layers".into(), diff_ids: vec![layer.to_string()] },
        history: Vec::new(),
    };
    config.config.cmd = Some(vec!["/bin/sleep".into()]);
    let id = crate::ids::Digest::of(&serde_json::to_vec(&config).unwrap());
    let image = Image {
        id,
        config,
        layers: vec![layer.clone()],
        repo_tags: Vec::new(),
        repo_digests: Vec::new(),
        size: 42,
        created_ms: EPOCH_MS,
    };
    let d = engine.daemon();
    d.images.add_layer(layer, tar.into());
    d.images.add_image(image, Some("app:latest".into()), None);
}

fn run(engine: &mut Engine, name: &str, cmd: &str, restart: RestartPolicy, binds: &[&str], rm: bool) {
    let host = HostConfig { restart, binds: binds.iter().map(|b| b.to_string()).collect(), ..HostConfig::default() };
    let mut network = NetworkRequest::default();
    network.endpoints.push(EndpointConfig::new("bridge"));
    if name == "web" {
        // On a network of its own, with a published port.
        network.mode = NetworkMode("front".into());
        network.endpoints = vec![EndpointConfig { aliases: vec!["site".into()], ..EndpointConfig::new("front") }];
        network.bindings = vec![(Port::tcp(80), PortBinding { host_ip: String::new(), host_port: "8080".into() })];
    }
    let opts = CreateOptions {
        image: "app".into(),
        name: Some(name.into()),
        cmd: vec![cmd.into()],
        host,
        auto_remove: rm,
        network,
        ..CreateOptions::default()
    };
    let d = engine.daemon();
    d.create_container(opts).unwrap();
    d.start_container(name).unwrap();
}

/// The world the round trip saves: every kind of container state, a volume, host edits.
fn busy_world(clock: &ManualClock) -> Engine {
    let mut engine = boot(clock, 7);
    add_app(&mut engine);
    let d = engine.daemon();
    d.create_volume(VolumeCreate { name: Some("data".into()), ..VolumeCreate::default() }).unwrap();
    d.volumes.get("data").unwrap().fs.write_file("/notes.txt", b"in the volume\n".to_vec(), 0o644).unwrap();
    let front = NetworkCreate { name: "front".into(), subnet: Some("10.5.0.0/24".into()), ..NetworkCreate::default() };
    d.create_network(front).unwrap();
    d.create_container(CreateOptions { image: "app".into(), name: Some("created".into()), ..Default::default() })
        .unwrap();
    let c = d.containers.find("created").unwrap();
    c.fs.write_file("/etc/app.conf", b"port=8080\n".to_vec(), 0o600).unwrap();
    c.fs.remove("/etc/motd").unwrap();
    run(&mut engine, "done", "/bin/hello", RestartPolicy::No, &[], false);
    run(&mut engine, "failed", "/bin/fail", RestartPolicy::No, &[], false);
    run(&mut engine, "web", "/bin/sleep", RestartPolicy::No, &["data:/data"], false);
    run(&mut engine, "always", "/bin/sleep", RestartPolicy::Always, &[], false);
    run(&mut engine, "always-stopped", "/bin/sleep", RestartPolicy::Always, &[], false);
    run(&mut engine, "unless", "/bin/sleep", RestartPolicy::UnlessStopped, &[], false);
    run(&mut engine, "unless-stopped", "/bin/sleep", RestartPolicy::UnlessStopped, &[], false);
    run(&mut engine, "retry", "/bin/sleep", RestartPolicy::OnFailure(2), &[], false);
    run(&mut engine, "temp", "/bin/sleep", RestartPolicy::No, &["/home/eleve/site:/srv"], true);
    run(&mut engine, "paused", "/bin/sleep", RestartPolicy::No, &[], false);
    engine.daemon().pause_container("paused").unwrap();
    for name in ["always-stopped", "unless-stopped"] {
        engine.daemon().signal_container(name, Signal::Kill).unwrap();
    }
    let d = engine.daemon();
    // A health record, and something pushed to the registry by an account.
    let result = HealthResult { start_ms: EPOCH_MS, end_ms: EPOCH_MS + 5, exit_code: 0, output: "ok\n".into() };
    d.containers.find_mut("done").unwrap().health = Some(Health::restored(HealthStatus::Healthy, 0, [result].into()));
    d.registry.login("moi", "secret").unwrap();
    let app_layer = d.images.resolve("app").unwrap().layers[0].clone();
    let bytes = d.images.layer(&app_layer).unwrap();
    d.registry.add_layer("moi/app", app_layer.as_str(), Some(bytes));
    d.registry.add_blob(crate::ids::Digest::of(b"{}").as_str(), Rc::from(&b"{}"[..]));
    d.registry.tag("moi/app", "1.0", crate::ids::Digest::of(b"{}").as_str());
    d.host_fs.write_file("/home/eleve/site/index.html", b"<h1>Salut</h1>\n".to_vec(), 0o644).unwrap();
    d.host_fs.remove("/etc/group").unwrap();
    engine.write_input(b"echo saved\r");
    settle(&mut engine, clock);
    engine
}

fn state(engine: &mut Engine, name: &str) -> State {
    engine.daemon().containers.find(name).unwrap_or_else(|| panic!("{name} is gone")).state
}

#[test]
fn a_restore_brings_everything_back_as_a_restarted_daemon_would() {
    let clock = ManualClock::new(EPOCH_MS);
    let mut before = busy_world(&clock);
    assert!(matches!(state(&mut before, "done"), State::Exited { code: 0, .. }));
    let snapshot = before.snapshot().unwrap();
    clock.advance_micros(60_000_000);
    let restored_at = EPOCH_MS + clock.monotonic_micros() / 1000;
    let mut after = restore(&clock, &snapshot).unwrap();
    let app_layer = after.daemon().images.resolve("app").unwrap().layers[0].clone();
    let app_size = after.daemon().images.layer(&app_layer).unwrap().len();

    let d = after.daemon();
    assert!(d.images.resolve("app").is_some(), "the image and its tag");
    let names: Vec<String> = d.containers.newest_first().map(|c| c.name.clone()).collect();
    let expected =
        ["always-stopped", "always", "created", "done", "failed", "paused", "retry", "unless", "unless-stopped", "web"];
    assert_eq!(names.len(), expected.len(), "{names:?}: the --rm container that was running is removed");
    assert_eq!(names.first().map(String::as_str), Some("paused"), "creation order kept");
    assert_eq!(state(&mut after, "created"), State::Created);
    assert!(matches!(state(&mut after, "done"), State::Exited { code: 0, .. }));
    assert!(matches!(state(&mut after, "failed"), State::Exited { code: 3, .. }));
    assert!(
        matches!(state(&mut after, "web"), State::Exited { code: 255, finished_ms, .. } if finished_ms >= restored_at),
        "a running container with no restart policy is stopped at the restart"
    );
    assert!(matches!(state(&mut after, "paused"), State::Exited { code: 255, .. }), "paused: stopped too");
    for up in ["always", "always-stopped", "unless", "retry"] {
        assert!(state(&mut after, up).is_running(), "{up} is started again");
    }
    assert!(!state(&mut after, "unless-stopped").is_running(), "stopped by the user: stays stopped");
    let d = after.daemon();
    assert_eq!(d.containers.find("retry").unwrap().restart_count, 0, "the restart resets the count");
    assert_eq!(d.containers.find("done").unwrap().logs.first().map(|l| l.bytes.clone()), Some(b"hello\n".to_vec()));
    let created = d.containers.find("created").unwrap();
    assert_eq!(created.fs.read_file("/etc/app.conf").unwrap(), b"port=8080\n");
    assert_eq!(created.fs.lookup("/etc/app.conf", false).unwrap().borrow().meta.mode, 0o600);
    assert!(created.fs.read_file("/etc/motd").is_err(), "a deleted file stays deleted");
    assert_eq!(
        created.fs.read_file("/bin/hello").unwrap(),
        d.containers.find("done").unwrap().fs.read_file("/bin/hello").unwrap()
    );
    assert_eq!(d.volumes.get("data").unwrap().fs.read_file("/notes.txt").unwrap(), b"in the volume\n");
    let web = d.containers.find("web").unwrap();
    assert_eq!(web.fs.read_file("/data/notes.txt").unwrap(), b"in the volume\n", "the volume is mounted again");
    assert_eq!(d.host_fs.read_file("/home/eleve/site/index.html").unwrap(), b"<h1>Salut</h1>\n");
    assert!(d.host_fs.read_file("/etc/group").is_err(), "a deleted host file stays deleted");
    assert!(d.host_fs.read_file("/bin/busybox").is_ok(), "the userland is installed again");
    assert!(d.host_fs.read_file("/etc/passwd").unwrap().ends_with(b"eleve:x:1000:1000:eleve:/home/eleve:/bin/sh\n"));
    assert!(after.host.history().contains(&"echo saved".to_string()));
    let d = after.daemon();
    let health = d.containers.find("done").unwrap().health.as_ref().unwrap();
    assert_eq!((health.status, health.log.len()), (HealthStatus::Healthy, 1));
    assert_eq!(d.registry.login("moi", "wrong"), Err(crate::image::RegistryError::IncorrectLogin), "the account");
    assert!(d.registry.has_layer("moi/app", app_layer.as_str()));
    assert_eq!(d.registry.blob_at(&format!("blobs/sha256/{}", app_layer.hex())).map(|b| b.len()), Some(app_size));
    let (before_net, after_net) = (before.daemon().networks.find("front").unwrap().clone(), {
        let n = after.daemon().networks.find("front").unwrap();
        (n.id.clone(), n.subnet(), n.ipam.as_ref().map(|i| i.gateway))
    });
    assert_eq!((before_net.id.clone(), before_net.subnet(), before_net.ipam.map(|i| i.gateway)), after_net);
    let bridge = |e: &mut Engine| e.daemon().networks.find("bridge").unwrap().id.clone();
    assert_eq!(bridge(&mut before), bridge(&mut after), "the default bridge keeps its ID");
    // A restored container starts again, on its network, with its port.
    after.daemon().start_container("web").unwrap();
    assert!(state(&mut after, "web").is_running());
    let d = after.daemon();
    let web = d.containers.find("web").unwrap();
    assert_eq!(web.net.bindings.len(), 1);
    let endpoint = d.networks.find("front").unwrap().endpoint(&web.id).map(|e| e.ip);
    assert_eq!(endpoint.map(|ip| ip.octets()[..3].to_vec()), Some(vec![10, 5, 0]), "an address on its network");
    // Saved again, the restored engine gives the same files, layers, logs and images: nothing
    // was lost or changed on the way (only the states and the containers' list differ).
    let again = after.snapshot().unwrap();
    let (first, second) =
        (snapshot::read_entries(snapshot.state()).unwrap(), snapshot::read_entries(again.state()).unwrap());
    let names = |i: usize| {
        let list: Vec<ContainerNames> = serde_json::from_slice(&first["containers/index.json"]).unwrap();
        list[i].name.clone()
    };
    let position = |name: &str| {
        let list: Vec<ContainerNames> = serde_json::from_slice(&second["containers/index.json"]).unwrap();
        list.iter().position(|c| c.name == name)
    };
    for (entry, bytes) in &first {
        let same = match entry.strip_prefix("containers/").and_then(|rest| rest.split_once('/')) {
            Some((i, what)) => match position(&names(i.parse().unwrap())) {
                Some(j) => second.get(&format!("containers/{j}/{what}")) == Some(bytes),
                None => true, // the --rm container, removed
            },
            None if entry.ends_with("index.json") && entry.starts_with("containers") => true,
            None if entry == "manifest.json" => true,
            // The containers started again took endpoints: only the counter moved.
            None if entry == "networks/index.json" => {
                let networks = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap()["networks"].clone();
                networks(bytes) == networks(&second[entry])
            }
            None => second.get(entry) == Some(bytes),
        };
        assert!(
            same,
            "{entry} changed through a save and a restore:\n{}\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(second.get(entry).map(Vec::as_slice).unwrap_or_default())
        );
    }
    assert_eq!(again.blobs(), snapshot.blobs());
    let mut third = restore(&clock, &again).unwrap();
    assert_eq!(third.daemon().containers.newest_first().count(), expected.len());
}

/// The part of a container record the comparison needs.
#[derive(serde::Deserialize)]
struct ContainerNames {
    name: String,
}

#[test]
fn saving_waits_for_the_host_and_the_generation_moves_only_with_activity() {
    let clock = ManualClock::new(EPOCH_MS);
    let engine = Engine::new(Platform::for_tests(clock.clone(), 1, Box::new(catalog())), TerminalMode::Interactive);
    assert!(matches!(engine.snapshot(), Err(SnapshotError::HostNotReady)));
    let mut engine = boot(&clock, 1);
    let quiet = engine.generation();
    engine.tick(10_000);
    assert_eq!(engine.generation(), quiet, "nothing ran");
    engine.write_input(b"x");
    engine.tick(10_000);
    assert_ne!(engine.generation(), quiet);
}

/// A snapshot with one entry replaced (or removed, for `None`).
fn tampered(snapshot: &Snapshot, name: &str, data: Option<&[u8]>) -> Snapshot {
    let mut entries = snapshot::read_entries(snapshot.state()).unwrap();
    match data {
        Some(d) => entries.insert(name.into(), d.to_vec()),
        None => entries.remove(name),
    };
    let manifest: Manifest = serde_json::from_slice(&entries.remove("manifest.json").unwrap()).unwrap();
    let state = snapshot::write_state(&manifest, &entries).unwrap();
    Snapshot::from_parts(state, snapshot.blobs().clone())
}

#[test]
fn damaged_or_newer_snapshots_are_refused_whole() {
    let clock = ManualClock::new(EPOCH_MS);
    let good = busy_world(&clock).snapshot().unwrap();
    let garbage = Snapshot::from_parts(b"definitely not a tar archive".to_vec(), []);
    assert!(matches!(restore(&clock, &garbage), Err(SnapshotError::NotASnapshot)));
    assert!(matches!(Snapshot::from_bytes(b"nope"), Err(SnapshotError::NotASnapshot)));

    let mut manifest = good.manifest().unwrap();
    manifest.version = VERSION + 1;
    let entries: BTreeMap<String, Vec<u8>> =
        snapshot::read_entries(good.state()).unwrap().into_iter().filter(|(n, _)| n != "manifest.json").collect();
    let newer = Snapshot::from_parts(snapshot::write_state(&manifest, &entries).unwrap(), good.blobs().clone());
    let err = restore(&clock, &newer).err().unwrap();
    assert!(matches!(err, SnapshotError::TooNew { found, supported: VERSION } if found == VERSION + 1));
    assert_eq!(err.to_string(), format!("snapshot format version {} is newer than this engine's (1)", VERSION + 1));

    let missing = tampered(&good, "containers/index.json", None);
    assert_eq!(
        restore(&clock, &missing).err().unwrap().to_string(),
        "the snapshot is damaged: containers/index.json is missing"
    );
    let bad_json = tampered(&good, "volumes/index.json", Some(b"[{\"name\": 3}]"));
    assert!(matches!(restore(&clock, &bad_json), Err(SnapshotError::Corrupt(_))));
    let bad_logs = tampered(&good, "containers/2/logs", Some(&[1, 2, 3]));
    assert!(matches!(restore(&clock, &bad_logs), Err(SnapshotError::Corrupt(m)) if m.contains("log entry 0")));
    let mut blobs = good.blobs().clone();
    if let Some(first) = blobs.values_mut().next() {
        *first = Rc::from(b"swapped".as_slice());
    }
    let swapped = Snapshot::from_parts(good.state().to_vec(), blobs);
    assert!(matches!(restore(&clock, &swapped), Err(SnapshotError::Corrupt(m)) if m.contains("does not match")));

    // Cut anywhere, the portable form is an error, never a panic.
    let bytes = good.to_bytes();
    for cut in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
        if let Ok(s) = Snapshot::from_bytes(&bytes[..cut]) {
            let _ = restore(&clock, &s);
        }
    }
}

#[test]
fn the_portable_form_round_trips_and_keeps_even_a_damaged_state() {
    let clock = ManualClock::new(EPOCH_MS);
    let snapshot = busy_world(&clock).snapshot().unwrap();
    let back = Snapshot::from_bytes(&snapshot.to_bytes()).unwrap();
    assert_eq!(back.state(), snapshot.state());
    assert_eq!(back.blobs(), snapshot.blobs());
    assert!(snapshot.manifest().unwrap().sections.contains(&"containers".to_string()));
    let damaged = Snapshot::from_parts(vec![7; 100], snapshot.blobs().clone());
    let kept = snapshot::read_entries(&damaged.to_bytes()).unwrap();
    assert_eq!(kept.get("state.tar"), Some(&vec![7; 100]));
    assert_eq!(kept.len(), 1 + snapshot.blobs().len());
}

#[test]
fn storages_keep_snapshots_and_report_quota_errors() {
    let clock = ManualClock::new(EPOCH_MS);
    let snapshot = busy_world(&clock).snapshot().unwrap();
    let mut memory = MemoryStorage::with_quota(snapshot.size() - 1);
    memory.start_save(&snapshot);
    assert!(matches!(memory.poll_writes(), StoragePoll::Failed(crate::platform::StorageError::QuotaExceeded(_))));
    assert!(matches!(memory.poll_load(), StoragePoll::Ready(s) if s.current.is_none()));

    let dir = std::env::temp_dir().join(format!("persist-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.tar");
    let mut file = crate::platform::FileStorage::new(&path);
    file.start_save(&snapshot);
    assert!(matches!(file.poll_writes(), StoragePoll::Ready(())));
    let StoragePoll::Ready(stored) = file.poll_load() else { panic!("file storage answers at once") };
    let loaded = stored.current.unwrap();
    assert_eq!(loaded.state(), snapshot.state());
    restore(&clock, &loaded).unwrap();
    // A file that is not a snapshot is handed over, to be set aside rather than overwritten.
    std::fs::write(&path, b"garbage").unwrap();
    let StoragePoll::Ready(stored) = file.poll_load() else { panic!() };
    let odd = stored.current.unwrap();
    assert!(matches!(restore(&clock, &odd), Err(SnapshotError::NotASnapshot)));
    file.start_set_aside(odd.to_bytes());
    let StoragePoll::Ready(stored) = file.poll_load() else { panic!() };
    assert!(stored.current.is_none());
    assert!(stored.set_aside.is_some_and(|b| snapshot::read_entries(&b).unwrap()["state.tar"] == b"garbage"));
    file.start_clear();
    let StoragePoll::Ready(stored) = file.poll_load() else { panic!() };
    assert!(stored.current.is_none() && stored.set_aside.is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The v1 snapshot kept in the repository (made by `busy_world` when the format was v1).
const V1_FIXTURE: &[u8] = include_bytes!("fixtures/v1.tar");

#[test]
fn the_v1_fixture_still_restores() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/persist/fixtures/v1.tar");
    if std::env::var_os("UPDATE_SNAPSHOT_FIXTURE").is_some() && VERSION == 1 {
        let clock = ManualClock::new(EPOCH_MS);
        std::fs::write(&path, busy_world(&clock).snapshot().unwrap().to_bytes()).unwrap();
        return;
    }
    let snapshot = Snapshot::from_bytes(V1_FIXTURE).unwrap();
    assert_eq!(snapshot.manifest().unwrap().version, 1);
    let clock = ManualClock::new(EPOCH_MS + 3_600_000);
    let mut engine = restore(&clock, &snapshot).unwrap();
    assert!(engine.daemon().images.resolve("app").is_some());
    assert!(matches!(state(&mut engine, "web"), State::Exited { code: 255, .. }));
    assert!(state(&mut engine, "always").is_running());
    let d = engine.daemon();
    assert_eq!(d.volumes.get("data").unwrap().fs.read_file("/notes.txt").unwrap(), b"in the volume\n");
    assert_eq!(d.host_fs.read_file("/home/eleve/site/index.html").unwrap(), b"<h1>Salut</h1>\n");
    assert_eq!(d.containers.find("created").unwrap().fs.read_file("/etc/app.conf").unwrap(), b"port=8080\n");
    assert!(d.networks.find("front").is_ok_and(|n| n.subnet().is_some_and(|s| s.to_string() == "10.5.0.0/24")));
    assert!(d.registry.repo("moi/app").is_some());
}
