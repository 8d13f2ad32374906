//! The container's filesystem with its mounts: its own tree, and on it each volume's tree, each
//! bind-mounted host folder or file (the host's own inode: edits show both ways at once), each
//! tmpfs (a new empty tree). Built when the container is created (so `docker cp` reaches its
//! volumes before it runs) and again at each start, as runc mounts everything afresh: a tmpfs is
//! empty again, a `-v` host folder that does not exist is created, and the mount points are
//! made in the container's tree (`docker diff` shows them, as with Docker). Parents are mounted
//! before what is below them, and a mount point inside another mount is made in that mount.

use super::spec::clean;
use super::{MountPoint, MountType, VolumeError};
use crate::container::parse_size;
use crate::fs::{Mount, MountTable, Node, NodeKind, NodeRef};
use crate::{Daemon, Error};

/// The device `/proc/mounts` names for volumes and bind mounts: the host's disk.
const HOST_DISK: &str = "/dev/sda1";

/// What one mount of the table is made of.
struct Planned {
    destination: String,
    /// What `/proc/mounts` says besides the root.
    source: String,
    fstype: String,
    options: String,
    read_only: bool,
    root: NodeRef,
}

/// A tmpfs's options as `/proc/mounts` shows them (`nosuid,nodev,noexec,relatime,size=65536k`),
/// whether it is read-only, and the mode of its root.
fn tmpfs_options(size: Option<u64>, mode: Option<u32>, extra: &str) -> (String, bool, u32) {
    let (mut size, mut mode, mut read_only, mut exec) = (size, mode, false, false);
    for opt in extra.split(',').filter(|o| !o.is_empty()) {
        match opt.split_once('=') {
            Some(("size", v)) => size = parse_size(v).or(size),
            Some(("mode", v)) => mode = u32::from_str_radix(v, 8).ok().or(mode),
            _ if opt == "ro" => read_only = true,
            _ if opt == "rw" => read_only = false,
            _ if opt == "exec" => exec = true,
            _ if opt == "noexec" => exec = false,
            _ => {}
        }
    }
    let mut options = vec!["nosuid", "nodev"];
    if !exec {
        options.push("noexec");
    }
    options.push("relatime");
    let mut options: Vec<String> = options.into_iter().map(String::from).collect();
    if let Some(bytes) = size {
        options.push(format!("size={}k", bytes.div_ceil(1024)));
    }
    let mode = mode.unwrap_or(0o1777);
    if mode != 0o1777 {
        options.push(format!("mode={mode:o}"));
    }
    options.push("inode64".into());
    (options.join(","), read_only, mode)
}

fn depth(path: &str) -> usize {
    path.matches('/').count()
}

impl Daemon {
    /// What a mount point mounts: `None` for a `-v` host folder that is missing while the
    /// container is only being created.
    fn mount_source(&mut self, m: &MountPoint, starting: bool) -> Result<Option<Planned>, Error> {
        let plan = |source: &str, fstype: &str, options: &str, read_only, root| Planned {
            destination: m.destination.clone(),
            source: source.into(),
            fstype: fstype.into(),
            options: options.into(),
            read_only,
            root,
        };
        match m.kind {
            MountType::Volume => {
                let volume = self.volumes.get(&m.name).ok_or_else(|| VolumeError::NoSuchVolume(m.name.clone()))?;
                let root = match &m.subpath {
                    None => volume.fs.root(),
                    Some(sub) => volume.fs.lookup(sub, true).map_err(|_| {
                        let detail = format!("cannot access path {}/{sub}: no such file or directory", m.source);
                        Error::Exec(format!("error while mounting volume '{}': {detail}", m.source))
                    })?,
                };
                if volume.is_tmpfs() {
                    let options = volume.options.as_ref().and_then(|o| o.get("o")).cloned().unwrap_or_default();
                    let (options, _, _) = tmpfs_options(None, None, &options);
                    let device = volume.options.as_ref().and_then(|o| o.get("device")).cloned().unwrap_or_default();
                    return Ok(Some(plan(&device, "tmpfs", &options, !m.rw, root)));
                }
                Ok(Some(plan(HOST_DISK, "ext4", "relatime", !m.rw, root)))
            }
            MountType::Bind => {
                let root = match self.host_fs.lookup(&m.source, true) {
                    Ok(node) => node,
                    Err(_) if !starting => return Ok(None),
                    Err(_) if m.source_must_exist => {
                        let detail = format!("bind source path does not exist: {}", m.source);
                        return Err(VolumeError::MountConfig { kind: "bind".into(), detail }.into());
                    }
                    // `-v` creates a missing host folder.
                    Err(_) => self.host_fs.mkdir_p(&m.source, 0o755)?,
                };
                Ok(Some(plan(HOST_DISK, "ext4", "relatime", !m.rw, root)))
            }
            MountType::Tmpfs => {
                let (options, _, mode) = tmpfs_options(m.tmpfs_size, m.tmpfs_mode, "");
                Ok(Some(plan("tmpfs", "tmpfs", &options, !m.rw, self.new_dir(mode))))
            }
        }
    }

    /// Mounts a container's volumes, bind mounts and tmpfs on its own tree. `starting`: the
    /// container is about to run (mount points are made, missing `-v` folders created, a tmpfs
    /// volume emptied if no running container has it).
    pub(crate) fn mount_container(&mut self, key: &str, starting: bool) -> Result<(), Error> {
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let (id, points, tmpfs, own) = (c.id.clone(), c.mounts.clone(), c.host.tmpfs.clone(), c.fs.without_mounts());
        let mut planned = Vec::new();
        for m in &points {
            if let Some(p) = self.mount_source(m, starting)? {
                planned.push(p);
            }
        }
        for (path, options) in &tmpfs {
            let (options, read_only, mode) = tmpfs_options(None, None, options);
            planned.push(Planned {
                destination: clean(path),
                source: "tmpfs".into(),
                fstype: "tmpfs".into(),
                options,
                read_only,
                root: self.new_dir(mode),
            });
        }
        if starting {
            self.empty_tmpfs_volumes(&id, &points);
        }
        planned.sort_by_key(|p| depth(&p.destination));
        let mut table = MountTable::new();
        for p in planned {
            let view = own.with_mounts(table.clone());
            // As runc does, links in the destination are followed inside the container.
            let (target, existing) = view.resolve(&p.destination, true)?;
            if starting {
                make_mount_point(&view, &target, existing.as_ref(), &p, self.now_ms())?;
            }
            table.push(Mount {
                target,
                root: p.root,
                read_only: p.read_only,
                source: p.source,
                fstype: p.fstype,
                options: p.options,
            });
        }
        if let Some(c) = self.containers.find_mut(id.as_str()) {
            c.fs = own.with_mounts(table);
        }
        Ok(())
    }

    /// An empty directory made now (a tmpfs's root).
    fn new_dir(&self, mode: u32) -> NodeRef {
        let dir = Node::dir(mode);
        dir.borrow_mut().meta.mtime_ms = self.now_ms();
        dir
    }

    /// Empties the `-o type=tmpfs` volumes of `points` that no running container other than
    /// `id` mounts: a tmpfs volume is mounted afresh by its first user.
    fn empty_tmpfs_volumes(&mut self, id: &crate::ids::ContainerId, points: &[MountPoint]) {
        for m in points.iter().filter(|m| m.kind == MountType::Volume) {
            let in_use = self
                .containers
                .newest_first()
                .any(|c| &c.id != id && c.state.is_running() && c.mounts.iter().any(|o| o.name == m.name));
            if let Some(volume) = self.volumes.get(&m.name).filter(|v| v.is_tmpfs() && !in_use) {
                if let NodeKind::Dir(entries) = &mut volume.fs.root().borrow_mut().kind {
                    entries.clear();
                }
            }
        }
    }
}

/// Makes the mount point at canonical `target`: a folder, or an empty file for a file bind
/// mount; what is there must be of the same kind (runc's messages otherwise).
fn make_mount_point(
    view: &crate::fs::Fs,
    target: &str,
    existing: Option<&NodeRef>,
    p: &Planned,
    now_ms: u64,
) -> Result<(), Error> {
    let wants_dir = p.root.borrow().is_dir();
    let fail = |why: &str| {
        Err(Error::Exec(format!("error mounting \"{}\" to rootfs at \"{}\": {why}", p.source, p.destination)))
    };
    match existing {
        Some(node) if node.borrow().is_dir() == wants_dir => Ok(()),
        Some(_) if wants_dir => fail("not a directory"),
        Some(_) => fail("is a directory"),
        None if wants_dir => {
            view.mkdir_p(target, 0o755)?.borrow_mut().meta.mtime_ms = now_ms;
            Ok(())
        }
        None => {
            if let Some((parent, _)) = target.rsplit_once('/').filter(|(p, _)| !p.is_empty()) {
                view.mkdir_p(parent, 0o755)?;
            }
            let file = Node::file(Vec::new(), 0o755);
            file.borrow_mut().meta.mtime_ms = now_ms;
            Ok(view.insert(target, file)?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tmpfs_options_read_like_proc_mounts() {
        assert_eq!(tmpfs_options(None, None, ""), ("nosuid,nodev,noexec,relatime,inode64".into(), false, 0o1777));
        assert_eq!(
            tmpfs_options(None, None, "rw,size=64m,mode=755,exec"),
            ("nosuid,nodev,relatime,size=65536k,mode=755,inode64".into(), false, 0o755)
        );
        assert!(tmpfs_options(Some(1 << 20), None, "ro").1);
    }
}
