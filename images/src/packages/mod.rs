//! The distributions' package repositories: what `apk add` and `apt-get install` download from
//! the playground's mirrors (see `engine::network::mirror`). Each distribution release has a
//! table of packages ([`Package`]: name, version, dependencies, and the files it installs, from
//! the same guest programs and BusyBox applets the images use); this module turns the tables into
//! the files a real mirror serves, in the real formats:
//!
//! - Alpine ([`alpine`]): `<repo>/x86_64/APKINDEX.tar.gz` and `<name>-<version>.apk` archives;
//! - Debian and Ubuntu ([`debian`]): `dists/<suite>/InRelease`, `<component>/binary-amd64/Packages.gz`
//!   and `pool/.../<name>_<version>_<arch>.deb` archives.
//!
//! A package whose contents cannot be built (a guest program not compiled, an applet the userland
//! does not have) is left out of the repository with a warning, so the catalog still builds.
//!
//! The same tables describe the packages already installed in the base images: [`Item::PackageDb`]
//! writes `/lib/apk/db/installed` or `/var/lib/dpkg/status` for the files of a layer.
//!
//! [`Item::PackageDb`]: crate::Item::PackageDb

pub mod alpine;
mod archive;
pub mod debian;
mod debian_tables;

use crate::recipes::{FileSource, Item};
use engine::image::LayerEntry;

/// One package of a repository.
#[derive(Debug, Clone)]
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
    /// One line (`T:` in an APKINDEX, the first line of a Debian `Description`).
    pub summary: &'static str,
    /// Debian's long description (paragraph lines), empty for Alpine.
    pub description: &'static str,
    pub url: &'static str,
    pub license: &'static str,
    /// Alpine: the repository (`main`, `community`); Debian: the component (`main`, `universe`).
    pub component: &'static str,
    /// Debian: the suite suffix the package is published in (`""`, `-updates`, `-security`).
    pub pocket: &'static str,
    /// Debian's section (`web`, `net`, `admin`...).
    pub section: &'static str,
    /// Debian's priority (`optional`, `important`...).
    pub priority: &'static str,
    pub maintainer: &'static str,
    /// Architecture-independent (`noarch`, `all`).
    pub arch_all: bool,
    pub depends: &'static [&'static str],
    pub recommends: &'static [&'static str],
    pub suggests: &'static [&'static str],
    pub provides: &'static [&'static str],
    /// What it installs, relative to `/`.
    pub items: Vec<Item>,
}

impl Package {
    /// A package with the given identity, a summary, and no contents yet.
    pub fn new(name: &'static str, version: &'static str, summary: &'static str) -> Self {
        Package {
            name,
            version,
            summary,
            description: "",
            url: "",
            license: "",
            component: "main",
            pocket: "",
            section: "misc",
            priority: "optional",
            maintainer: "",
            arch_all: false,
            depends: &[],
            recommends: &[],
            suggests: &[],
            provides: &[],
            items: Vec::new(),
        }
    }
}

/// A file of a mirror: host, URL path, content type and bytes.
#[derive(Debug, Clone)]
pub struct MirrorFile {
    pub host: &'static str,
    pub path: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Everything the repositories publish, plus what was left out and why.
#[derive(Debug, Default)]
pub struct Repositories {
    pub files: Vec<MirrorFile>,
    pub warnings: Vec<String>,
}

/// What the builder needs from the outside: guest programs by name, and the applets the
/// multicall userland provides.
pub trait Sources {
    fn guest(&self, name: &str) -> Option<Vec<u8>>;
    fn has_applet(&self, name: &str) -> bool;
}

/// The layer entries of a package's items, or why they cannot be built.
pub(crate) fn package_entries(items: &[Item], sources: &dyn Sources) -> Result<Vec<LayerEntry>, String> {
    let mut entries = Vec::new();
    for item in items {
        match item {
            Item::Dir { path, mode } => entries.push(LayerEntry::Dir { path: path.to_string(), mode: *mode }),
            Item::Link { path, target } => {
                // A link to the multicall binary runs the applet named like the link.
                if target.ends_with("busybox") {
                    let applet = path.rsplit('/').next().unwrap_or(path);
                    if !sources.has_applet(applet) {
                        return Err(format!("the userland has no applet {applet}"));
                    }
                }
                entries.push(LayerEntry::Symlink { path: path.to_string(), target: target.to_string() });
            }
            Item::File { path, mode, source } => {
                let data = match source {
                    FileSource::Text(t) => t.as_bytes().to_vec(),
                    FileSource::Guest(name) => {
                        sources.guest(name).ok_or_else(|| format!("guest program {name}.wasm is not built"))?
                    }
                    FileSource::Stamped { guest: name, stamps } => {
                        let program =
                            sources.guest(name).ok_or_else(|| format!("guest program {name}.wasm is not built"))?;
                        crate::build::stamped(program, name, stamps).map_err(|e| e.to_string())?
                    }
                };
                entries.push(LayerEntry::File { path: path.to_string(), mode: *mode, data });
            }
            Item::Applets { .. } | Item::PackageDb(_) => return Err("packages list their files one by one".into()),
        }
    }
    Ok(entries)
}

/// The bytes a package occupies once installed (files and link targets), as package managers
/// count them.
pub(crate) fn installed_size(entries: &[LayerEntry]) -> u64 {
    entries
        .iter()
        .map(|e| match e {
            LayerEntry::File { data, .. } => data.len() as u64,
            LayerEntry::Symlink { target, .. } => target.len() as u64,
            LayerEntry::Dir { .. } => 0,
        })
        .sum()
}

/// Which package database a base image keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distro {
    Alpine,
    Debian,
    UbuntuNoble,
    UbuntuJammy,
}

/// Every repository of every distribution.
pub fn build_repositories(sources: &dyn Sources) -> Repositories {
    let mut repos = Repositories::default();
    alpine::publish(sources, &mut repos);
    for distro in [Distro::Debian, Distro::UbuntuNoble, Distro::UbuntuJammy] {
        debian::publish(distro, sources, &mut repos);
    }
    repos
}

/// The package database files for a base image whose layer holds `entries` (see
/// [`Item::PackageDb`](crate::Item::PackageDb)).
pub fn package_db(distro: Distro, entries: &[LayerEntry]) -> Vec<LayerEntry> {
    match distro {
        Distro::Alpine => alpine::installed_db(entries),
        _ => debian::dpkg_status(distro, entries),
    }
}

#[cfg(test)]
mod tests;
