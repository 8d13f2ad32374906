//! Installing the host's programs at boot: the userland of the `busybox` image (its layer from
//! the bundled catalog, fetched like any blob) is unpacked into the host's filesystem, then the
//! engine's own programs are put on the PATH (`/usr/local/bin/docker`). Nothing is added to the
//! daemon's image store: on a fresh machine `docker images` is empty.
//!
//! The host also has programs a BusyBox image lacks (`curl`, to reach published ports as the
//! course does): the catalog lists them in [`HOST_INDEX`], each a guest program stored as a blob.
//! Their fetches start with the first poll, beside the userland's, so they add no wait of their
//! own; a catalog without the file gives a host without them.

use crate::daemon::Daemon;
use crate::fs::Fs;
use crate::image::{unpack_layer, CatalogIndex, Manifest};
use crate::platform::BlobPoll;
use crate::process::native::NATIVE_STUB;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The image whose userland the host uses.
const USERLAND_REPO: &str = "library/busybox";

/// The commands the engine implements natively, installed as stubs in `/usr/local/bin`.
/// `docker-compose` is Compose's standalone program (the same commands as `docker compose`).
pub const NATIVE_PROGRAMS: &[&str] = &["docker", "docker-compose"];

/// The catalog file listing the host's own programs ([`HostPrograms`]).
pub const HOST_INDEX: &str = "host.json";

/// `host.json`: program name -> where it goes on the host and which blob holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostPrograms {
    pub programs: BTreeMap<String, HostProgram>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostProgram {
    /// Absolute path on the host (`/usr/bin/curl`).
    pub path: String,
    /// `sha256:<hex>`: the program is `blobs/sha256/<hex>` in the catalog.
    pub digest: String,
    pub size: u64,
}

/// What the host was installed from (kept: a snapshot compares the host's files with a host
/// freshly installed from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub layer: Rc<[u8]>,
    /// Host programs: path and bytes.
    pub programs: Vec<(String, Rc<[u8]>)>,
}

/// Where an installation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    Index,
    Manifest(String),
    Layer(String),
    /// The userland is unpacked; the host programs are on their way.
    Programs(Rc<[u8]>),
    Done(Installed),
    Failed(String),
}

/// Polls `host.json` and every program it lists; `Some` once all have arrived (a missing or
/// unreadable `host.json`, or a program that cannot be fetched, leaves that program out).
fn poll_programs(daemon: &mut Daemon) -> Option<Vec<(String, Rc<[u8]>)>> {
    let index: HostPrograms = match daemon.poll_blob(HOST_INDEX) {
        BlobPoll::Pending => return None,
        BlobPoll::Failed(_) => return Some(Vec::new()),
        BlobPoll::Ready(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
    };
    let mut ready = Vec::new();
    let mut waiting = false;
    for program in index.programs.values() {
        match daemon.poll_blob(&blob(&program.digest)) {
            BlobPoll::Pending => waiting = true,
            BlobPoll::Failed(_) => {}
            BlobPoll::Ready(bytes) => ready.push((program.path.clone(), bytes)),
        }
    }
    (!waiting).then_some(ready)
}

fn blob(digest: &str) -> String {
    format!("blobs/{}", digest.replacen(':', "/", 1))
}

impl Install {
    /// Advances with whatever blobs have arrived; true when something changed.
    pub fn poll(&mut self, daemon: &mut Daemon) -> bool {
        // The host programs download while the userland does.
        let programs = poll_programs(daemon);
        let path = match self {
            Install::Index => "index.json".to_string(),
            Install::Manifest(d) | Install::Layer(d) => blob(d),
            Install::Programs(layer) => {
                let Some(programs) = programs else { return false };
                if let Err(e) = install_programs(&daemon.host_fs, &programs) {
                    *self = Install::Failed(e);
                    return true;
                }
                *self = Install::Done(Installed { layer: layer.clone(), programs });
                return true;
            }
            Install::Done(_) | Install::Failed(_) => return false,
        };
        let bytes = match daemon.poll_blob(&path) {
            BlobPoll::Pending => return false,
            BlobPoll::Failed(e) => {
                *self = Install::Failed(e);
                return true;
            }
            BlobPoll::Ready(b) => b,
        };
        *self = match self.next(&bytes, &daemon.host_fs) {
            Ok(next) => next,
            Err(e) => Install::Failed(e),
        };
        true
    }

    fn next(&self, bytes: &Rc<[u8]>, host: &Fs) -> Result<Install, String> {
        Ok(match self {
            Install::Index => {
                let index: CatalogIndex = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
                let repo = index.repositories.get(USERLAND_REPO).ok_or("the catalog has no busybox image")?;
                Install::Manifest(repo.tags.get("latest").cloned().ok_or("busybox has no latest tag")?)
            }
            Install::Manifest(_) => {
                let manifest: Manifest = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
                Install::Layer(manifest.layers.first().map(|l| l.digest.clone()).ok_or("busybox has no layer")?)
            }
            Install::Layer(_) => {
                install_userland(host, bytes)?;
                Install::Programs(bytes.clone())
            }
            Install::Programs(_) | Install::Done(_) | Install::Failed(_) => self.clone(),
        })
    }
}

/// Unpacks the userland layer onto the host's filesystem, adds the learner's account and puts the
/// engine's own programs on the PATH.
fn install_userland(host: &Fs, layer: &[u8]) -> Result<(), String> {
    // The layer's /etc must not replace the host's own hosts and hostname files.
    let keep: Vec<(&str, Vec<u8>)> = ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"]
        .iter()
        .filter_map(|p| host.read_file(p).ok().map(|d| (*p, d)))
        .collect();
    unpack_layer(host, layer).map_err(|e| e.to_string())?;
    for (path, data) in keep {
        host.write_file(path, data, 0o644).map_err(|e| e.to_string())?;
    }
    let passwd = host.read_file("/etc/passwd").unwrap_or_default();
    let mut passwd = String::from_utf8_lossy(&passwd).into_owned();
    passwd.push_str(&format!("{0}:x:1000:1000:{0}:{1}:/bin/sh\n", super::USER, super::HOME));
    host.write_file("/etc/passwd", passwd.into_bytes(), 0o644).map_err(|e| e.to_string())?;
    let mut group = String::from_utf8_lossy(&host.read_file("/etc/group").unwrap_or_default()).into_owned();
    group.push_str(&format!("{}:x:1000:\n", super::USER));
    host.write_file("/etc/group", group.into_bytes(), 0o644).map_err(|e| e.to_string())?;
    for name in NATIVE_PROGRAMS {
        host.write_file(&format!("/usr/local/bin/{name}"), NATIVE_STUB.to_vec(), 0o755).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Writes the host programs (executable by everyone).
fn install_programs(host: &Fs, programs: &[(String, Rc<[u8]>)]) -> Result<(), String> {
    for (path, bytes) in programs {
        host.write_file(path, bytes.to_vec(), 0o755).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

/// A host's filesystem as it is right after installing on a fresh machine.
pub fn installed_host_fs(installed: &Installed) -> Result<Fs, String> {
    let fs = super::new_host_fs().map_err(|e| e.to_string())?;
    install_userland(&fs, &installed.layer)?;
    install_programs(&fs, &installed.programs)?;
    Ok(fs)
}
