//! A container's mount points, registered when it is created, as Docker's daemon does it:
//! 1. `--volumes-from`: the other container's mount points, read-only with `:ro`;
//! 2. `-v` strings (`HostConfig.Binds`), then `--mount` entries, each replacing what an earlier
//!    step put at the same place (two of them at one place: `Duplicate mount point`);
//! 3. an anonymous volume for each path of `Config.Volumes` (the image's `VOLUME`s and lone
//!    `-v /path`) that nothing is mounted on yet.
//!
//! Everything is checked before anything is created, so a refused `docker run` leaves no volume
//! behind. Volumes named for the first time are created; a new (empty) volume is then filled
//! with what the image has at the mount point, unless `nocopy` says not to.

use super::spec::{clean, parse_bind, MountSpec, MountType, DEFAULT_PROPAGATION};
use super::{VolumeCreate, VolumeError, LOCAL_DRIVER};
use crate::fs::{Fs, Node, NodeKind};
use crate::{Daemon, Error};

/// One mount of a container (an entry of `Mounts` in `docker inspect`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MountPoint {
    pub kind: MountType,
    /// The volume's name (empty for a bind mount or a tmpfs).
    pub name: String,
    /// A bind's host path; a volume's folder on the host (`/var/lib/docker/volumes/…/_data`).
    pub source: String,
    pub destination: String,
    /// `local` for volumes.
    pub driver: String,
    /// The mode of `-v` (`ro`, `z`), as `inspect` shows it.
    pub mode: String,
    pub rw: bool,
    /// `rprivate` for bind mounts.
    pub propagation: String,
    /// Fill a new volume with the image's content at the destination.
    pub copy_data: bool,
    /// It asked for no volume by name: `docker rm -v` and `--rm` remove the volume with it.
    pub anonymous: bool,
    /// A `--mount` bind: its source must exist (`-v` creates a missing folder instead).
    pub source_must_exist: bool,
    /// A folder of the volume mounted instead of its root (`volume-subpath`).
    pub subpath: Option<String>,
    /// A tmpfs's `tmpfs-size` and `tmpfs-mode`.
    pub tmpfs_size: Option<u64>,
    pub tmpfs_mode: Option<u32>,
}

/// What a container asks to mount (its config), the input of registration.
#[derive(Debug, Clone, Copy)]
pub struct MountRequest<'a> {
    pub binds: &'a [String],
    pub mounts: &'a [MountSpec],
    /// `--tmpfs` paths and their options.
    pub tmpfs: &'a [(String, String)],
    pub volumes_from: &'a [String],
    /// `Config.Volumes`: the paths that get an anonymous volume.
    pub anonymous: &'a [String],
}

/// A mount point waiting for its volume: `Some` when one must be created.
type Planned = (MountPoint, Option<VolumeCreate>);

/// Whether `mode` keeps `--volumes-from` read-write; `Err` for a mode it refuses.
fn volumes_from_mode(mode: &str) -> Result<bool, VolumeError> {
    let invalid = || VolumeError::InvalidMode(mode.to_string());
    let parts: Vec<&str> = mode.split(',').collect();
    if parts.iter().any(|p| !matches!(*p, "rw" | "ro" | "z" | "Z"))
        || parts.iter().filter(|p| p.starts_with('r')).count() > 1
    {
        return Err(invalid());
    }
    Ok(!parts.contains(&"ro"))
}

impl Daemon {
    /// The mount point a `-v` string or a `--mount` asks for (its volume not yet created).
    fn plan(&self, spec: &MountSpec, mode: String, from_mount_flag: bool) -> Result<Planned, Error> {
        let destination = clean(&spec.target);
        let mut point = MountPoint {
            kind: spec.kind,
            destination,
            mode,
            rw: !spec.read_only,
            copy_data: spec.copies_data(),
            tmpfs_size: spec.tmpfs_size,
            tmpfs_mode: spec.tmpfs_mode,
            ..MountPoint::default()
        };
        match spec.kind {
            MountType::Bind => {
                point.source = clean(&spec.source);
                point.propagation = spec.propagation.clone().unwrap_or_else(|| DEFAULT_PROPAGATION.to_string());
                point.source_must_exist = from_mount_flag;
                if from_mount_flag && self.host_fs.lookup(&point.source, true).is_err() {
                    let detail = format!("bind source path does not exist: {}", point.source);
                    return Err(VolumeError::MountConfig { kind: "bind".into(), detail }.into());
                }
                Ok((point, None))
            }
            MountType::Tmpfs => Ok((point, None)),
            MountType::Volume => {
                let options = spec.volume.clone().unwrap_or_default();
                point.anonymous = spec.source.is_empty();
                point.subpath = options.subpath.clone();
                point.driver = options.driver.clone().unwrap_or_else(|| LOCAL_DRIVER.to_string());
                // Docker gives local volumes mounted this way the SELinux mode `z`.
                if point.mode.is_empty() && point.driver == LOCAL_DRIVER {
                    point.mode = "z".into();
                }
                point.name = spec.source.clone();
                if self.volumes.contains(&spec.source) {
                    return Ok((point, None));
                }
                let create = VolumeCreate {
                    name: (!spec.source.is_empty()).then(|| spec.source.clone()),
                    driver: options.driver.clone(),
                    labels: (!options.labels.is_empty()).then(|| options.labels.clone()),
                    options: (!options.options.is_empty()).then(|| options.options.clone()),
                };
                super::create::check(&create)?;
                Ok((point, Some(create)))
            }
        }
    }

    /// The mount points of `--volumes-from` specs.
    fn volumes_from(&self, specs: &[String]) -> Result<Vec<MountPoint>, Error> {
        let mut out = Vec::new();
        for spec in specs {
            if spec.is_empty() {
                return Err(VolumeError::EmptyVolumesFrom.into());
            }
            let (key, mode) = spec.split_once(':').unwrap_or((spec, "rw"));
            let rw = volumes_from_mode(mode)?;
            let other = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
            for m in &other.mounts {
                out.push(MountPoint { rw: m.rw && rw, copy_data: false, ..m.clone() });
            }
        }
        Ok(out)
    }

    /// Registers the mounts a new container asks for: checks them all, creates the volumes
    /// they need, fills new volumes from `rootfs` (the container's own tree). Returns its mount
    /// points, sorted by destination.
    pub(crate) fn register_mounts(&mut self, req: MountRequest<'_>, rootfs: &Fs) -> Result<Vec<MountPoint>, Error> {
        let mut points: Vec<Planned> = self.volumes_from(req.volumes_from)?.into_iter().map(|m| (m, None)).collect();
        let tmpfs: Vec<String> = req.tmpfs.iter().map(|(path, _)| clean(path)).collect();
        let mut claimed: Vec<String> = Vec::new();
        let put = |points: &mut Vec<Planned>, planned: Planned| {
            points.retain(|(m, _)| m.destination != planned.0.destination);
            points.push(planned);
        };
        for raw in req.binds {
            let (spec, mode) = parse_bind(raw)?;
            let planned = self.plan(&spec, mode, false)?;
            let dest = planned.0.destination.clone();
            if claimed.contains(&dest) || tmpfs.contains(&dest) {
                return Err(VolumeError::Duplicate(dest).into());
            }
            claimed.push(dest);
            put(&mut points, planned);
        }
        for spec in req.mounts {
            spec.validate()?;
            let planned = self.plan(spec, String::new(), true)?;
            if claimed.contains(&planned.0.destination) {
                return Err(VolumeError::Duplicate(spec.target.clone()).into());
            }
            claimed.push(planned.0.destination.clone());
            put(&mut points, planned);
        }
        for path in tmpfs.iter() {
            check_tmpfs_target(path)?;
        }
        for spec in req.anonymous {
            let destination = clean(spec);
            if points.iter().any(|(m, _)| m.destination == destination) || tmpfs.contains(&destination) {
                continue;
            }
            if !spec.starts_with('/') {
                let detail = format!("invalid mount path: '{spec}' mount path must be absolute");
                let detail = Some(VolumeError::MountConfig { kind: "volume".into(), detail }.to_string());
                return Err(VolumeError::InvalidSpec { spec: spec.clone(), detail }.into());
            }
            if rootfs.lookup(&destination, true).is_ok_and(|n| !n.borrow().is_dir()) {
                return Err(VolumeError::OverFile(format!("/var/lib/docker/rootfs/overlayfs{destination}")).into());
            }
            let point = MountPoint {
                kind: MountType::Volume,
                destination,
                driver: LOCAL_DRIVER.into(),
                rw: true,
                copy_data: true,
                anonymous: true,
                ..MountPoint::default()
            };
            points.push((point, Some(VolumeCreate::default())));
        }
        let mut out = Vec::with_capacity(points.len());
        for (mut point, create) in points {
            if let Some(create) = create {
                point.name = self.create_volume(create)?;
            }
            if point.kind == MountType::Volume {
                if let Some(v) = self.volumes.get(&point.name) {
                    point.source = v.mountpoint();
                }
                if point.copy_data {
                    self.populate(&point, rootfs);
                }
            }
            out.push(point);
        }
        out.sort_by(|a, b| a.destination.cmp(&b.destination));
        Ok(out)
    }

    /// Fills an empty volume with what the container's own tree has at the mount point (its
    /// content, and the folder's owner and mode), as Docker does on a volume's first use.
    fn populate(&mut self, point: &MountPoint, rootfs: &Fs) {
        let Some(volume) = self.volumes.get(&point.name) else { return };
        let Ok(source) = rootfs.lookup(&point.destination, true) else { return };
        if !volume.is_empty() || point.subpath.is_some() {
            return;
        }
        let source = source.borrow();
        let NodeKind::Dir(entries) = &source.kind else { return };
        let root = volume.fs.root();
        let mut root = root.borrow_mut();
        root.meta = source.meta.clone();
        root.kind = NodeKind::Dir(entries.iter().map(|(k, v)| (k.clone(), Node::deep_copy(v))).collect());
    }
}

/// A `--tmpfs` path must be absolute and not `/`.
fn check_tmpfs_target(path: &str) -> Result<(), VolumeError> {
    if path == "/" {
        return Err(VolumeError::TargetIsRoot);
    }
    if !path.starts_with('/') {
        return Err(VolumeError::RelativePath(path.to_string()));
    }
    Ok(())
}
