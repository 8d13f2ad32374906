//! How a container asks for mounts, as the daemon receives them: `HostConfig.Binds` strings
//! (`data:/var/lib/data:ro`, `/home/eleve/site:/usr/share/nginx/html`) parsed with Docker's
//! Linux rules ([`parse_bind`]), and `HostConfig.Mounts` entries ([`MountSpec`], one per
//! `--mount`) checked by [`MountSpec::validate`]. A source that is an absolute path is a bind
//! mount of the host's files; any other source names a volume; no source at all asks for a new
//! anonymous volume.

use super::VolumeError;
use std::collections::BTreeMap;

/// The three kinds of mount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum MountType {
    /// A volume the daemon keeps (named or anonymous).
    #[default]
    Volume,
    /// A file or folder of the host.
    Bind,
    /// A fresh in-memory tree, gone when the container stops.
    Tmpfs,
}

impl MountType {
    /// The API's name (`volume`, `bind`, `tmpfs`).
    pub fn as_str(self) -> &'static str {
        match self {
            MountType::Volume => "volume",
            MountType::Bind => "bind",
            MountType::Tmpfs => "tmpfs",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "volume" => Some(MountType::Volume),
            "bind" => Some(MountType::Bind),
            "tmpfs" => Some(MountType::Tmpfs),
            _ => None,
        }
    }
}

/// One mount as the API describes it (an entry of `HostConfig.Mounts`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MountSpec {
    pub kind: MountType,
    /// The volume's name (empty: a new anonymous volume), or the host path of a bind mount.
    pub source: String,
    /// Where it appears in the container.
    pub target: String,
    pub read_only: bool,
    /// `bind-propagation` (`rprivate` when unset).
    pub propagation: Option<String>,
    /// Volume options (`volume-*`): present when any was given.
    pub volume: Option<VolumeOptions>,
    /// `tmpfs-size`, in bytes.
    pub tmpfs_size: Option<u64>,
    /// `tmpfs-mode`: the permission bits of the tmpfs's root.
    pub tmpfs_mode: Option<u32>,
}

/// The `volume-*` options of a mount.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeOptions {
    /// Do not fill a new volume with the image's content at the target.
    pub no_copy: bool,
    /// Labels for the volume if the mount creates it.
    pub labels: BTreeMap<String, String>,
    /// The volume driver (only `local` exists here).
    pub driver: Option<String>,
    /// Driver options for the volume if the mount creates it.
    pub options: BTreeMap<String, String>,
    /// Mount only this folder of the volume.
    pub subpath: Option<String>,
}

/// The propagation modes Linux knows.
const PROPAGATIONS: &[&str] = &["private", "rprivate", "slave", "rslave", "shared", "rshared"];
/// Docker's default propagation for bind mounts.
pub const DEFAULT_PROPAGATION: &str = "rprivate";

/// Whether `mode` (the part after the second colon of `-v`) is a valid combination: at most one
/// each of rw/ro, z/Z, a propagation, `nocopy`, and a consistency.
fn valid_mode(mode: &str) -> bool {
    if mode.is_empty() {
        return true;
    }
    let mut counts = [0usize; 5];
    for o in mode.split(',') {
        let class = match o {
            "rw" | "ro" => 0,
            "z" | "Z" => 1,
            _ if PROPAGATIONS.contains(&o) => 2,
            "nocopy" => 3,
            "consistent" | "cached" | "delegated" => 4,
            _ => return false,
        };
        counts[class] += 1;
    }
    counts.iter().all(|&n| n <= 1)
}

/// A `-v` string as the daemon parses it: the mount and its mode string (`ro`, `z`, empty).
pub fn parse_bind(raw: &str) -> Result<(MountSpec, String), VolumeError> {
    let invalid = || VolumeError::InvalidSpec { spec: raw.to_string(), detail: None };
    let parts: Vec<&str> = raw.splitn(4, ':').collect();
    if parts.first().is_none_or(|p| p.is_empty()) {
        return Err(invalid());
    }
    let (source, target, mode) = match parts.as_slice() {
        [target] => ("", *target, ""),
        [_, second] if valid_mode(second) => return Err(invalid()),
        [source, target] => (*source, *target, ""),
        [source, target, mode] => (*source, *target, *mode),
        _ => return Err(invalid()),
    };
    if !valid_mode(mode) {
        return Err(VolumeError::InvalidMode(mode.to_string()));
    }
    let options: Vec<&str> = mode.split(',').collect();
    let kind = if source.starts_with('/') { MountType::Bind } else { MountType::Volume };
    let mut spec = MountSpec {
        kind,
        source: source.to_string(),
        target: target.to_string(),
        read_only: options.contains(&"ro"),
        ..MountSpec::default()
    };
    if options.contains(&"nocopy") {
        spec.volume = Some(VolumeOptions { no_copy: true, ..VolumeOptions::default() });
    }
    if let Some(p) = options.iter().find(|o| PROPAGATIONS.contains(o)) {
        spec.propagation = Some(p.to_string());
    }
    spec.check_target().map_err(|e| VolumeError::InvalidSpec { spec: raw.to_string(), detail: Some(e.to_string()) })?;
    Ok((spec, mode.to_string()))
}

/// Cleans an absolute path as Go's `path.Clean` does (`/data/` -> `/data`).
pub fn clean(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    let joined = out.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

impl MountSpec {
    fn config_error(&self, detail: impl Into<String>) -> VolumeError {
        VolumeError::MountConfig { kind: self.kind.as_str().to_string(), detail: detail.into() }
    }

    /// The target's rules: set, absolute, not `/`.
    fn check_target(&self) -> Result<(), VolumeError> {
        if self.target.is_empty() {
            return Err(self.config_error("field Target must not be empty"));
        }
        if clean(&self.target) == "/" {
            return Err(self.config_error(VolumeError::TargetIsRoot.to_string()));
        }
        if !self.target.starts_with('/') {
            return Err(self.config_error(format!("invalid mount path: '{}' mount path must be absolute", self.target)));
        }
        Ok(())
    }

    /// Docker's checks of a `--mount` (except that a bind's source exists, which needs the
    /// host's files).
    pub fn validate(&self) -> Result<(), VolumeError> {
        if self.kind != MountType::Bind && self.propagation.is_some() {
            return Err(self.config_error("field BindOptions must not be specified"));
        }
        if self.kind != MountType::Volume && self.volume.is_some() {
            return Err(self.config_error("field VolumeOptions must not be specified"));
        }
        if self.kind != MountType::Tmpfs && (self.tmpfs_size.is_some() || self.tmpfs_mode.is_some()) {
            return Err(self.config_error("field TmpfsOptions must not be specified"));
        }
        self.check_target()?;
        match self.kind {
            MountType::Bind => {
                if self.source.is_empty() {
                    return Err(self.config_error("field Source must not be empty"));
                }
                if let Some(p) = &self.propagation {
                    if !PROPAGATIONS.contains(&p.as_str()) {
                        return Err(self.config_error(format!("invalid propagation mode: {p}")));
                    }
                }
                if !self.source.starts_with('/') {
                    return Err(
                        self.config_error(format!("invalid mount path: '{}' mount path must be absolute", self.source))
                    );
                }
            }
            MountType::Volume => {
                if let Some(sub) = self.volume.as_ref().and_then(|v| v.subpath.as_ref()) {
                    if self.source.is_empty() {
                        return Err(self.config_error("must not set Subpath when using anonymous volumes"));
                    }
                    if sub.starts_with('/') || clean(sub).starts_with("..") {
                        return Err(self.config_error("subpath must be a relative path within the volume"));
                    }
                }
            }
            MountType::Tmpfs => {
                if !self.source.is_empty() {
                    return Err(self.config_error("field Source must not be specified"));
                }
            }
        }
        Ok(())
    }

    /// Whether a new volume gets the image's content at the target.
    pub fn copies_data(&self) -> bool {
        !self.volume.as_ref().is_some_and(|v| v.no_copy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bind(raw: &str) -> Result<(MountType, String, String, bool, String), String> {
        parse_bind(raw).map(|(s, mode)| (s.kind, s.source, s.target, s.read_only, mode)).map_err(|e| e.to_string())
    }

    #[test]
    fn bind_strings_follow_dockers_linux_parser() {
        let v = |k, s: &str, t: &str, ro, m: &str| Ok((k, s.into(), t.into(), ro, m.into()));
        assert_eq!(bind("data:/var/lib/data"), v(MountType::Volume, "data", "/var/lib/data", false, ""));
        assert_eq!(bind("/home/eleve/site:/srv:ro"), v(MountType::Bind, "/home/eleve/site", "/srv", true, "ro"));
        assert_eq!(bind("data:/x:rw,nocopy"), v(MountType::Volume, "data", "/x", false, "rw,nocopy"));
        assert!(!parse_bind("data:/x:nocopy").unwrap().0.copies_data());
        assert_eq!(bind("/foo:rw").unwrap_err(), "invalid volume specification: '/foo:rw'");
        assert_eq!(bind("a:b:c:d").unwrap_err(), "invalid volume specification: 'a:b:c:d'");
        assert_eq!(bind(":/x").unwrap_err(), "invalid volume specification: ':/x'");
        assert_eq!(bind("v:/x:ro,rw").unwrap_err(), "invalid mode: ro,rw");
        assert_eq!(bind("v:/x:xyz").unwrap_err(), "invalid mode: xyz");
        assert_eq!(
            bind("v:rel").unwrap_err(),
            "invalid volume specification: 'v:rel': invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute"
        );
        assert_eq!(
            bind("/src:/").unwrap_err(),
            "invalid volume specification: '/src:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'"
        );
    }

    #[test]
    fn mount_specs_are_checked_like_the_daemon() {
        let spec = |kind, source: &str, target: &str| MountSpec {
            kind,
            source: source.into(),
            target: target.into(),
            ..MountSpec::default()
        };
        assert!(spec(MountType::Volume, "", "/data").validate().is_ok());
        assert_eq!(
            spec(MountType::Bind, "", "/x").validate().unwrap_err().to_string(),
            "invalid mount config for type \"bind\": field Source must not be empty"
        );
        assert_eq!(
            spec(MountType::Tmpfs, "x", "/x").validate().unwrap_err().to_string(),
            "invalid mount config for type \"tmpfs\": field Source must not be specified"
        );
        let mut sub = spec(MountType::Volume, "", "/x");
        sub.volume = Some(VolumeOptions { subpath: Some("a".into()), ..VolumeOptions::default() });
        assert!(sub.validate().unwrap_err().to_string().ends_with("must not set Subpath when using anonymous volumes"));
        assert_eq!(clean("/data/./x/../"), "/data");
        assert_eq!(clean("/"), "/");
    }
}
