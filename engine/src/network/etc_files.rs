//! How a container's `/etc/hosts`, `/etc/resolv.conf` and `/etc/hostname` reach it: as in
//! Docker, each is a file of the daemon's own (`/var/lib/docker/containers/<id>/hosts`...)
//! bind-mounted over the container's filesystem when it starts, on top of its volumes. So a
//! volume on `/etc` still shows them (Docker creates their mount points in it, empty), they are
//! not part of the container's changes, and a container sharing another's network namespace
//! (`--network container:x`) sees x's very files.

use super::error::NetworkError;
use super::resolv::{self, DnsOverrides, Resolver};
use crate::container::Container;
use crate::fs::{Fs, Mount, Node, NodeKind, NodeRef};

/// The files, in the order Docker mounts them (`/proc/mounts` lists them so).
pub const ETC_FILES: [&str; 3] = ["/etc/resolv.conf", "/etc/hostname", "/etc/hosts"];

/// Mounts `files` (path and node) on the container's filesystem, making the mount points
/// (empty files, as runc does) where they are missing.
fn mount_nodes(c: &mut Container, files: Vec<(String, NodeRef)>) -> Result<(), NetworkError> {
    let mut table = c.fs.mounts().clone();
    for (path, node) in &files {
        if c.fs.lookup(path, true).is_err() {
            if let Some((parent, _)) = path.rsplit_once('/').filter(|(p, _)| !p.is_empty()) {
                c.fs.mkdir_p(parent, 0o755).map_err(NetworkError::setup)?;
            }
            c.fs.insert(path, Node::file(Vec::new(), 0o644)).map_err(NetworkError::setup)?;
        }
        let (target, _) = c.fs.resolve(path, true).map_err(NetworkError::setup)?;
        table.push(Mount {
            target,
            root: node.clone(),
            read_only: false,
            source: "/dev/sda1".into(),
            fstype: "ext4".into(),
            options: "relatime".into(),
        });
    }
    c.fs = c.fs.without_mounts().with_mounts(table);
    c.net.etc = files;
    Ok(())
}

/// Gives the container fresh files with these contents.
pub fn mount_fresh(c: &mut Container, hostname: String, hosts: String, resolv: String) -> Result<(), NetworkError> {
    let files = ETC_FILES
        .iter()
        .zip([resolv, hostname, hosts])
        .map(|(path, text)| (path.to_string(), Node::file(text.into_bytes(), 0o644)))
        .collect();
    mount_nodes(c, files)
}

/// Mounts another container's files (`--network container:x`).
pub fn mount_shared(c: &mut Container, files: Vec<(String, NodeRef)>) -> Result<(), NetworkError> {
    mount_nodes(c, files)
}

/// The text of one of the container's files.
pub fn read(c: &Container, path: &str) -> String {
    let bytes = match c.net.etc.iter().find(|(p, _)| p == path) {
        Some((_, node)) => match &node.borrow().kind {
            NodeKind::File(data) => data.clone(),
            _ => Vec::new(),
        },
        None => c.fs.read_file(path).unwrap_or_default(),
    };
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Rewrites one of the container's files (in place: the mount stays).
pub fn write(c: &Container, path: &str, text: String) {
    match c.net.etc.iter().find(|(p, _)| p == path) {
        Some((_, node)) => node.borrow_mut().kind = NodeKind::File(text.into_bytes()),
        None => {
            let _ = c.fs.write_file(path, text.into_bytes(), 0o644);
        }
    }
}

/// What a `docker build` step's `RUN` sees of `fs`: the same tree with an `/etc/resolv.conf`
/// mounted on it, made from the host's (`host_resolv`) as for a default-bridge container, so
/// `RUN apt-get update` resolves the mirrors. BuildKit mounts one the same way; the file is not
/// part of the step's layer. When the image has `/etc` but no `resolv.conf`, an empty mount
/// point is made, and the second value says so: the builder takes it away after the step. An
/// image without `/etc` gets no file (and no name resolution).
pub fn build_run_fs(fs: &Fs, host_resolv: &str) -> (Fs, bool) {
    const PATH: &str = "/etc/resolv.conf";
    let mut stub = false;
    if fs.lookup(PATH, true).is_err() {
        if fs.lookup("/etc", true).is_err() || fs.insert(PATH, Node::file(Vec::new(), 0o644)).is_err() {
            return (fs.clone(), false);
        }
        stub = true;
    }
    let Ok((target, _)) = fs.resolve(PATH, true) else { return (fs.clone(), stub) };
    let text = resolv::generate(host_resolv, Resolver::Legacy, &DnsOverrides::default());
    let mut table = fs.mounts().clone();
    table.push(Mount {
        target,
        root: Node::file(text.into_bytes(), 0o644),
        read_only: false,
        source: "/dev/sda1".into(),
        fstype: "ext4".into(),
        options: "relatime".into(),
    });
    (fs.without_mounts().with_mounts(table), stub)
}
