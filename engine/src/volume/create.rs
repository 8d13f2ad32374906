//! `docker volume create` (and the volumes `docker run` creates on first use): a new, empty
//! volume in the daemon's store. Creating a name that exists returns the existing volume
//! unchanged, as Docker does. Without a name the volume is anonymous. The `local` driver is the
//! only one; its options are Linux mount options (`-o type=tmpfs -o device=tmpfs`), checked as
//! Docker checks them.

use super::{Volume, VolumeError, ANONYMOUS_LABEL, LOCAL_DRIVER};
use crate::fs::Fs;
use crate::{Daemon, Error};
use std::collections::BTreeMap;

/// What a new volume should be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeCreate {
    /// `None`: an anonymous volume with a random name.
    pub name: Option<String>,
    /// `None`: `local`.
    pub driver: Option<String>,
    /// `None` shows as `null` in `inspect` (`Some` of an empty map as `{}`).
    pub labels: Option<BTreeMap<String, String>>,
    pub options: Option<BTreeMap<String, String>>,
}

/// The options the local driver knows, and the ones each needs besides.
const LOCAL_OPTIONS: &[(&str, &[&str])] =
    &[("type", &["device"]), ("o", &["device", "type"]), ("device", &["type"]), ("size", &[])];

/// Docker's rule for local volume names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
fn check_name(name: &str) -> Result<(), VolumeError> {
    if name.chars().count() == 1 {
        return Err(VolumeError::NameTooShort(name.to_string()));
    }
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if valid {
        Ok(())
    } else {
        Err(VolumeError::InvalidName(name.to_string()))
    }
}

fn check_options(name: &str, options: &BTreeMap<String, String>) -> Result<(), VolumeError> {
    for key in options.keys() {
        if !LOCAL_OPTIONS.iter().any(|(k, _)| k == key) {
            return Err(VolumeError::InvalidOption { name: name.to_string(), option: key.clone() });
        }
    }
    // Quotas need a filesystem that has them (XFS with project quotas); this disk has none.
    if options.get("size").is_some_and(|s| crate::container::parse_size(s).unwrap_or(1) > 0) {
        return Err(VolumeError::NoQuota(name.to_string()));
    }
    for (key, needs) in LOCAL_OPTIONS {
        if options.contains_key(*key) {
            if let Some(missing) = needs.iter().find(|n| !options.contains_key(**n)) {
                return Err(VolumeError::MissingOption { name: name.to_string(), option: missing.to_string() });
            }
        }
    }
    Ok(())
}

/// Whether a volume of this kind can be created: the driver exists, the name and options suit
/// it. (A name that exists is fine whatever the rest says: creating it finds the volume.)
pub(super) fn check(req: &VolumeCreate) -> Result<(), VolumeError> {
    let name = req.name.clone().unwrap_or_default();
    if let Some(driver) = req.driver.as_ref().filter(|d| *d != LOCAL_DRIVER) {
        return Err(VolumeError::UnknownDriver { name, driver: driver.clone() });
    }
    if !name.is_empty() {
        check_name(&name)?;
    }
    match &req.options {
        Some(options) => check_options(&name, options),
        None => Ok(()),
    }
}

impl Daemon {
    /// Creates a volume, or finds the existing one of that name. Returns its name.
    pub fn create_volume(&mut self, req: VolumeCreate) -> Result<String, Error> {
        let driver = req.driver.clone().unwrap_or_else(|| LOCAL_DRIVER.to_string());
        let (name, labels) = match &req.name {
            Some(name) if !name.is_empty() => (name.clone(), req.labels.clone()),
            _ => {
                let mut bytes = [0u8; 32];
                self.entropy.borrow_mut().fill(&mut bytes);
                let mut labels = req.labels.clone().unwrap_or_default();
                labels.insert(ANONYMOUS_LABEL.to_string(), String::new());
                (hex::encode(bytes), Some(labels))
            }
        };
        if self.volumes.contains(&name) {
            return Ok(name);
        }
        check(&VolumeCreate { name: Some(name.clone()), ..req.clone() })?;
        let created_ms = self.now_ms();
        let fs = Fs::new();
        fs.root().borrow_mut().meta.mtime_ms = created_ms;
        self.volumes.insert(Volume { name: name.clone(), driver, labels, options: req.options, created_ms, fs });
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn names_and_options_follow_the_local_driver() {
        assert!(check_name("mes-donnees-app").is_ok());
        assert_eq!(
            check_name("x").unwrap_err().to_string(),
            "create x: volume name is too short, names should be at least two alphanumeric characters"
        );
        assert!(check_name("a/b")
            .unwrap_err()
            .to_string()
            .starts_with("create a/b: \"a/b\" includes invalid characters"));
        assert!(check_options("v", &opts(&[("type", "tmpfs"), ("device", "tmpfs"), ("o", "size=1m")])).is_ok());
        assert_eq!(
            check_options("v", &opts(&[("type", "tmpfs")])).unwrap_err().to_string(),
            "create v: missing required option: \"device\""
        );
        assert_eq!(
            check_options("v", &opts(&[("foo", "1")])).unwrap_err().to_string(),
            "create v: invalid option: \"foo\""
        );
        assert!(matches!(check_options("v", &opts(&[("size", "10m")])), Err(VolumeError::NoQuota(_))));
    }
}
