//! `docker cp`: copies files and folders between the host and a container, in either direction
//! (`docker cp web:/etc/hosts .`, `docker cp index.html web:/usr/share/nginx/html/`). As in
//! Docker: copying into an existing folder puts the source inside it; `SRC/.` copies a folder's
//! content; the target's parent must exist. A path in a volume or bind mount is the mount's
//! (a read-only one refuses copies into it).

use super::{parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use crate::fs::{Fs, NodeKind};
use crate::host::absolute;
use crate::image::{build_layer, tree_entries, unpack_layer};
use crate::units::human_size;

const SPEC: Spec = Spec {
    name: "docker cp",
    usage: "docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
    description: "Copy files/folders between a container and the local filesystem",
    aliases: "docker container cp, docker cp",
    flags: &[
        Flag::bool("archive", Some('a'), "Archive mode (copy all uid/gid information)"),
        Flag::bool("follow-link", Some('L'), "Always follow symbol link in SRC_PATH"),
        Flag::bool("quiet", Some('q'), "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached"),
    ],
    arity: Arity::Exactly(2),
    interspersed: true,
};

/// `container:path` or a host path.
enum Side {
    Container { key: String, path: String },
    Host(String),
}

fn side(arg: &str, cwd: &str) -> Side {
    // A colon before any slash names a container (`web:/x`); `./a:b` is a host path.
    match arg.split_once(':') {
        Some((key, path)) if !key.is_empty() && !key.contains('/') => {
            let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
            Side::Container { key: key.to_string(), path }
        }
        _ => Side::Host(absolute(cwd, arg)),
    }
}

fn basename(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

fn parent(path: &str) -> &str {
    match path.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((p, _)) => p,
    }
}

/// Copies `src` in `from` to `dst` in `to`; returns the bytes of the archive moved.
fn copy(from: &Fs, src: &str, to: &Fs, dst: &str) -> Result<usize, String> {
    let contents_only = src.ends_with("/.");
    let src_node = from.lookup(src.trim_end_matches("/."), true).map_err(|_| "NOTFOUND".to_string())?;
    let src_is_dir = src_node.borrow().is_dir();
    let (target, entries) = match to.lookup(dst, true) {
        Ok(node) if node.borrow().is_dir() => {
            if contents_only {
                (dst.trim_end_matches('/').to_string(), tree_entries(from, src.trim_end_matches("/."), ""))
            } else {
                (format!("{}/{}", dst.trim_end_matches('/'), basename(src)), tree_entries(from, src, ""))
            }
        }
        Ok(node) => {
            if src_is_dir || matches!(node.borrow().kind, NodeKind::Dir(_)) {
                return Err(format!("cannot copy directory to file: {dst}"));
            }
            (dst.to_string(), tree_entries(from, src, ""))
        }
        Err(_) => {
            if dst.ends_with('/') && !src_is_dir {
                return Err(format!("destination directory \"{dst}\" must exist"));
            }
            if !to.lookup(parent(dst), true).is_ok_and(|p| p.borrow().is_dir()) {
                return Err(format!("lstat {}: no such file or directory", parent(dst)));
            }
            (dst.trim_end_matches('/').to_string(), tree_entries(from, src.trim_end_matches("/."), ""))
        }
    };
    let entries = entries.map_err(|e| e.to_string())?;
    // Entries are relative to the source; re-root them at the target.
    let rooted: Vec<_> = entries
        .into_iter()
        .map(|e| {
            use crate::image::LayerEntry::*;
            let at = |p: &str| {
                if p.is_empty() {
                    target.clone()
                } else {
                    format!("{target}/{p}")
                }
            };
            match e {
                Dir { path, mode } => Dir { path: at(&path), mode },
                File { path, mode, data } => File { path: at(&path), mode, data },
                Symlink { path, target: t } => Symlink { path: at(&path), target: t },
            }
        })
        .collect();
    let tar = build_layer(&rooted, 0).map_err(|e| e.to_string())?;
    unpack_layer(to, &tar).map_err(|e| e.to_string())?;
    Ok(tar.len())
}

/// Whether `path` in a container's filesystem lies on a read-only mount.
fn read_only_target(fs: &Fs, path: &str) -> bool {
    fs.resolve(path, true).is_ok_and(|(canon, _)| fs.mounts().containing(&canon).is_some_and(|m| m.read_only))
}

/// What `docker cp` wrote on the host belongs to the learner: the destination itself, or the
/// entry named after the source inside a destination directory.
fn give_copy_to_learner(daemon: &Daemon, host: &str, src: &str, inside: bool) {
    let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let target =
        if inside && !name.is_empty() { format!("{}/{name}", host.trim_end_matches('/')) } else { host.to_string() };
    crate::host::give_to_learner(&daemon.host_fs, &target);
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let cwd = daemon.client_cwd.clone();
    let (src, dst) = (side(&m.args[0], &cwd), side(&m.args[1], &cwd));
    let container_fs = |key: &str| daemon.containers.find(key).map(|c| c.fs.clone());
    let result = match (&src, &dst) {
        (Side::Container { key, path }, Side::Host(host)) => match container_fs(key) {
            None => Err(format!("Error response from daemon: No such container: {key}")),
            Some(fs) => {
                let into_dir = daemon.host_fs.lookup(host, true).is_ok_and(|n| n.borrow().is_dir());
                copy(&fs, path, &daemon.host_fs, host).inspect(|_| give_copy_to_learner(daemon, host, path, into_dir))
            }
            .map_err(|e| {
                if e == "NOTFOUND" {
                    format!("Error response from daemon: Could not find the file {path} in container {key}")
                } else {
                    e
                }
            }),
        },
        (Side::Host(host), Side::Container { key, path }) => match container_fs(key) {
            None => Err(format!("Error response from daemon: No such container: {key}")),
            Some(fs) if read_only_target(&fs, path) => {
                Err("Error response from daemon: mounted volume is marked read-only".to_string())
            }
            Some(fs) => copy(&daemon.host_fs, host, &fs, path).map_err(|e| {
                if e == "NOTFOUND" {
                    format!("lstat {host}: no such file or directory")
                } else {
                    e
                }
            }),
        },
        (Side::Container { .. }, Side::Container { .. }) => Err("copying between containers is not supported".into()),
        (Side::Host(_), Side::Host(_)) => Err("must specify at least one container source".into()),
    };
    match result {
        Ok(bytes) if m.flag("quiet") => {
            let _ = bytes;
            Finished::out("")
        }
        Ok(bytes) => Box::new(Finished::both(
            String::new(),
            format!("Successfully copied {} to {}\n", human_size(bytes as u64), m.args[1]),
            0,
        )),
        Err(e) => Finished::fail(format!("{e}\n"), 1),
    }
}
