//! Volumes and mounts as Docker's API shows them in JSON: a volume (`docker volume inspect`), a
//! container's mount point (`Mounts` of `docker inspect`) and a `--mount` request
//! (`HostConfig.Mounts`), with the API's field names, order and omitted empty fields.

use crate::units::rfc3339_nanos;
use crate::volume::{MountPoint, MountSpec, Volume};
use serde_json::{json, Map, Value};

/// A volume's creation time as the volume API gives it: RFC 3339 to the second.
pub fn created_at(v: &Volume) -> String {
    format!("{}Z", &rfc3339_nanos(v.created_ms)[..19])
}

/// `docker volume inspect`.
pub fn volume_json(v: &Volume) -> Value {
    json!({
        "CreatedAt": created_at(v),
        "Driver": v.driver,
        "Labels": v.labels,
        "Mountpoint": v.mountpoint(),
        "Name": v.name,
        "Options": v.options,
        "Scope": "local",
    })
}

/// An entry of a container's `Mounts`.
pub fn mount_point_json(m: &MountPoint) -> Value {
    let mut out = Map::new();
    out.insert("Type".into(), json!(m.kind.as_str()));
    if !m.name.is_empty() {
        out.insert("Name".into(), json!(m.name));
    }
    out.insert("Source".into(), json!(m.source));
    out.insert("Destination".into(), json!(m.destination));
    if !m.driver.is_empty() {
        out.insert("Driver".into(), json!(m.driver));
    }
    out.insert("Mode".into(), json!(m.mode));
    out.insert("RW".into(), json!(m.rw));
    out.insert("Propagation".into(), json!(m.propagation));
    Value::Object(out)
}

/// An entry of `HostConfig.Mounts`.
pub fn mount_spec_json(s: &MountSpec) -> Value {
    let mut out = Map::new();
    out.insert("Type".into(), json!(s.kind.as_str()));
    if !s.source.is_empty() {
        out.insert("Source".into(), json!(s.source));
    }
    out.insert("Target".into(), json!(s.target));
    if s.read_only {
        out.insert("ReadOnly".into(), json!(true));
    }
    if let Some(p) = &s.propagation {
        out.insert("BindOptions".into(), json!({ "Propagation": p }));
    }
    if let Some(v) = &s.volume {
        let mut opts = Map::new();
        if v.no_copy {
            opts.insert("NoCopy".into(), json!(true));
        }
        if !v.labels.is_empty() {
            opts.insert("Labels".into(), json!(v.labels));
        }
        if let Some(sub) = &v.subpath {
            opts.insert("Subpath".into(), json!(sub));
        }
        let mut driver = Map::new();
        if let Some(name) = &v.driver {
            driver.insert("Name".into(), json!(name));
        }
        if !v.options.is_empty() {
            driver.insert("Options".into(), json!(v.options));
        }
        opts.insert("DriverConfig".into(), Value::Object(driver));
        out.insert("VolumeOptions".into(), Value::Object(opts));
    }
    if s.tmpfs_size.is_some() || s.tmpfs_mode.is_some() {
        let mut opts = Map::new();
        if let Some(size) = s.tmpfs_size {
            opts.insert("SizeBytes".into(), json!(size));
        }
        if let Some(mode) = s.tmpfs_mode {
            opts.insert("Mode".into(), json!(mode));
        }
        out.insert("TmpfsOptions".into(), Value::Object(opts));
    }
    Value::Object(out)
}
