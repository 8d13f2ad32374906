//! What each bundled image contains. A recipe names its repository and tags, the layers it is
//! made of, and the config a container gets from it (Cmd, Env...), with Docker Hub's
//! descriptions for `docker search`. Layers list items: files (from compiled guest programs or
//! written inline), folders, symbolic links, and the links that install every applet of the
//! multicall userland.

mod base;
mod os;
mod pkgtools;
mod servers;

use engine::image::ContainerConfig;

pub use base::{linux_base, PATH_ENV};

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// A compiled guest program, by binary name.
    Guest(&'static str),
    /// Inline text.
    Text(&'static str),
    /// A compiled guest program with values stamped into it (`guest_server::stamp`): the same
    /// nginx program reports 1.27.4 in `nginx:1.27` and 1.21.6 in `nginx:1.21-alpine`.
    Stamped { guest: &'static str, stamps: &'static [(&'static str, &'static str)] },
}

/// One thing a layer adds.
#[derive(Debug, Clone)]
pub enum Item {
    File {
        path: &'static str,
        mode: u32,
        source: FileSource,
    },
    Dir {
        path: &'static str,
        mode: u32,
    },
    Link {
        path: &'static str,
        target: &'static str,
    },
    /// A link to `/bin/busybox` for every applet the binary reports (`busybox --list`) but those
    /// in `exclude`: those in `usr_bin` go to `/usr/bin`, those in `sbin` to `/sbin`, the rest
    /// to `/bin`, as Alpine installs them.
    Applets {
        usr_bin: &'static [&'static str],
        sbin: &'static [&'static str],
        exclude: &'static [&'static str],
    },
    /// The package manager's database of what is installed (`/lib/apk/db/installed`,
    /// `/var/lib/dpkg/status`...), describing the entries listed before it in the layer.
    PackageDb(crate::packages::Distro),
}

impl Item {
    pub const fn file(path: &'static str, mode: u32, text: &'static str) -> Self {
        Item::File { path, mode, source: FileSource::Text(text) }
    }
    pub const fn dir(path: &'static str, mode: u32) -> Self {
        Item::Dir { path, mode }
    }
}

/// One layer: what it adds, and the history line that made it (`docker history`).
#[derive(Debug, Clone)]
pub struct LayerSpec {
    pub created_by: &'static str,
    pub items: Vec<Item>,
}

/// One repository of the catalog, with every tag pointing at the same image.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// `library/hello-world`
    pub repository: &'static str,
    pub tags: &'static [&'static str],
    pub description: &'static str,
    pub stars: u32,
    pub official: bool,
    /// RFC 3339 creation time of the image.
    pub created: &'static str,
    pub layers: Vec<LayerSpec>,
    pub config: ContainerConfig,
    /// History lines of config-only instructions (no layer), appended after the layers'.
    pub metadata_history: Vec<&'static str>,
}

/// Every image of the catalog.
pub fn recipes() -> Vec<Recipe> {
    vec![
        os::hello_world(),
        os::busybox(),
        os::alpine(),
        os::ubuntu("24.04", &["latest", "24.04", "noble"]),
        os::ubuntu("22.04", &["22.04", "jammy"]),
        os::debian(),
    ]
    .into_iter()
    .chain(servers::recipes())
    .collect()
}
