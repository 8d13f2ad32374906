//! The daemon's side of volumes: registration at create, the mounted filesystem at start,
//! removal and prune, on a small image built here.

use super::*;
use crate::container::{CreateOptions, HostConfig, RemoveOptions};
use crate::ids::Digest;
use crate::image::{build_layer, Image, ImageConfig, LayerEntry, RootFs};
use crate::platform::{ManualClock, MemoryBlobSource, Platform};
use crate::Daemon;

/// A daemon with one image, `app`: `/etc/app.conf`, `/srv/data/seed.txt`, a file `/file`, and
/// `VOLUME /srv/data`.
fn daemon() -> Daemon {
    let platform = Platform::for_tests(ManualClock::new(1_768_471_200_000), 7, Box::new(MemoryBlobSource::default()));
    let mut d = Daemon::new(platform);
    let file = |path: &str, data: &str| LayerEntry::File { path: path.into(), mode: 0o644, data: data.into() };
    let dir = |path: &str| LayerEntry::Dir { path: path.into(), mode: 0o755 };
    let entries = [
        dir("etc"),
        file("etc/app.conf", "port=80"),
        dir("srv"),
        dir("srv/data"),
        file("srv/data/seed.txt", "seed"),
        file("file", "x"),
    ];
    let tar = build_layer(&entries, 0).unwrap();
    let layer = Digest::of(&tar);
    let mut config = ImageConfig {
        author: None,
        architecture: "wasm".into(),
        os: "wasip1".into(),
        created: "2026-01-01T00:00:00Z".into(),
        config: Default::default(),
        rootfs: RootFs { kind: "layers".into(), diff_ids: vec![layer.to_string()] },
        history: Vec::new(),
    };
    config.config.cmd = Some(vec!["sh".into()]);
    config.config.volumes = Some([("/srv/data".to_string(), serde_json::json!({}))].into_iter().collect());
    let image = Image {
        id: Digest::of(b"app"),
        config,
        layers: vec![layer.clone()],
        repo_tags: Vec::new(),
        repo_digests: Vec::new(),
        size: tar.len() as u64,
        created_ms: 0,
    };
    d.images.add_layer(layer, tar.into());
    d.images.add_image(image, Some("app:latest".into()), None);
    d
}

fn create(d: &mut Daemon, name: &str, host: HostConfig) -> Result<String, crate::Error> {
    let opts = CreateOptions { image: "app".into(), name: Some(name.into()), host, ..CreateOptions::default() };
    d.create_container(opts).map(|id| id.to_string())
}

fn binds(list: &[&str]) -> HostConfig {
    HostConfig { binds: list.iter().map(|s| s.to_string()).collect(), ..HostConfig::default() }
}

#[test]
fn a_new_volume_is_filled_from_the_image_and_the_image_volume_gets_an_anonymous_one() {
    let mut d = daemon();
    create(&mut d, "a", binds(&["conf:/etc"])).unwrap();
    assert_eq!(d.volumes.get("conf").unwrap().fs.read_file("/app.conf").unwrap(), b"port=80");
    let c = d.containers.find("a").unwrap();
    let anonymous = c.mounts.iter().find(|m| m.destination == "/srv/data").unwrap();
    assert!(anonymous.anonymous && anonymous.name.len() == 64);
    assert!(d.volumes.get(&anonymous.name).unwrap().is_anonymous());
    assert_eq!(c.fs.read_file("/srv/data/seed.txt").unwrap(), b"seed", "mounted at create");
    // Filled only while empty: a second container's image content does not overwrite it.
    d.volumes.get("conf").unwrap().fs.write_file("/app.conf", b"port=81".to_vec(), 0o644).unwrap();
    create(&mut d, "b", binds(&["conf:/etc"])).unwrap();
    assert_eq!(d.volumes.get("conf").unwrap().fs.read_file("/app.conf").unwrap(), b"port=81");
    let nocopy = HostConfig { binds: vec!["empty:/etc:nocopy".into()], ..HostConfig::default() };
    create(&mut d, "c", nocopy).unwrap();
    assert!(d.volumes.get("empty").unwrap().is_empty());
}

#[test]
fn mounts_are_checked_before_anything_is_created() {
    let mut d = daemon();
    let err = |d: &mut Daemon, host| create(d, "x", host).unwrap_err().to_string();
    assert_eq!(err(&mut d, binds(&["v1:/a", "/tmp:/a"])), "Duplicate mount point: /a");
    let mount =
        MountSpec { kind: MountType::Bind, source: "/nope".into(), target: "/x".into(), ..MountSpec::default() };
    let host = HostConfig { binds: vec!["v2:/b".into()], mounts: vec![mount], ..HostConfig::default() };
    assert_eq!(err(&mut d, host), "invalid mount config for type \"bind\": bind source path does not exist: /nope");
    assert!(d.volumes.is_empty(), "no volume left behind");
    let over_file = CreateOptions { volumes: vec!["/file".into()], ..CreateOptions::default() };
    let opts = CreateOptions { image: "app".into(), ..over_file };
    assert!(d.create_container(opts).unwrap_err().to_string().starts_with("cannot mount volume over existing file"));
    assert_eq!(err(&mut d, binds(&["bad name:/a"])).split(':').next(), Some("create bad name"));
}

#[test]
fn starting_makes_mount_points_and_a_fresh_tmpfs() {
    let mut d = daemon();
    d.host_fs.write_file("/home/eleve/site/index.html", b"v1".to_vec(), 0o644).unwrap();
    let host = HostConfig {
        binds: vec!["/home/eleve/site:/www:ro".into(), "/home/eleve/new:/new".into()],
        tmpfs: vec![("/cache".into(), "size=1m".into())],
        ..HostConfig::default()
    };
    create(&mut d, "w", host).unwrap();
    d.mount_container("w", true).unwrap();
    let fs = d.containers.find("w").unwrap().fs.clone();
    assert_eq!(fs.read_file("/www/index.html").unwrap(), b"v1");
    d.host_fs.write_file("/home/eleve/site/index.html", b"v2".to_vec(), 0o644).unwrap();
    assert_eq!(fs.read_file("/www/index.html").unwrap(), b"v2", "the host's edit shows at once");
    assert!(d.host_fs.lookup("/home/eleve/new", true).unwrap().borrow().is_dir(), "-v made the host folder");
    assert!(fs.without_mounts().lookup("/www", true).unwrap().borrow().is_dir(), "mount point in the container");
    fs.write_file("/cache/tmp", b"t".to_vec(), 0o644).unwrap();
    d.mount_container("w", true).unwrap();
    let fs = d.containers.find("w").unwrap().fs.clone();
    assert!(fs.read_file("/cache/tmp").is_err(), "a tmpfs starts empty");
    let ro: Vec<bool> = fs.mounts().iter().map(|m| m.read_only).collect();
    assert!(ro.contains(&true) && ro.contains(&false));
}

#[test]
fn removal_keeps_volumes_in_use_and_named_ones() {
    let mut d = daemon();
    create(&mut d, "a", binds(&["named:/data"])).unwrap();
    let anonymous = d.containers.find("a").unwrap().mounts.iter().find(|m| m.anonymous).unwrap().name.clone();
    let id = d.containers.find("a").unwrap().id.to_string();
    assert_eq!(
        d.remove_volume("named", true).unwrap_err().to_string(),
        format!("remove named: volume is in use - [{id}]")
    );
    assert_eq!(d.remove_volume("nope", false).unwrap_err().to_string(), "get nope: no such volume");
    assert!(d.remove_volume("nope", true).is_ok());
    // Another container shares the anonymous volume: `rm -v` leaves it.
    let from = HostConfig { volumes_from: vec!["a:ro".into()], ..HostConfig::default() };
    create(&mut d, "b", from).unwrap();
    assert!(d.containers.find("b").unwrap().mounts.iter().all(|m| !m.rw));
    d.remove_container_with("a", RemoveOptions { force: false, volumes: true }).unwrap();
    assert!(d.volumes.contains(&anonymous));
    d.remove_container_with("b", RemoveOptions { force: false, volumes: true }).unwrap();
    assert!(!d.volumes.contains(&anonymous) && d.volumes.contains("named"));
    let labelled = VolumeCreate {
        name: Some("lab".into()),
        labels: Some([("k".to_string(), "v".to_string())].into_iter().collect()),
        ..VolumeCreate::default()
    };
    d.create_volume(labelled).unwrap();
    assert!(d.prune_volumes(&PruneFilter::default()).deleted.is_empty(), "named volumes stay without --all");
    let filter = PruneFilter { all: true, labels: vec!["k=v".into()], ..PruneFilter::default() };
    assert_eq!(d.prune_volumes(&filter).deleted, ["lab"]);
    assert_eq!(d.prune_volumes(&PruneFilter { all: true, ..PruneFilter::default() }).deleted, ["named"]);
}
