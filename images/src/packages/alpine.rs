//! Alpine Linux v3.21's repositories, as `apk` reads them from `dl-cdn.alpinelinux.org`:
//!
//! ```text
//! /alpine/v3.21/main/x86_64/APKINDEX.tar.gz     gzip'd tar: DESCRIPTION, APKINDEX (one record per package)
//! /alpine/v3.21/main/x86_64/curl-8.12.1-r1.apk  gzip member "control" (.PKGINFO) + gzip member "data" (files)
//! ```
//!
//! An index record has one field per line (`P:curl`, `V:8.12.1-r1`, `D:` dependencies...) and
//! starts with `C:`, the package's identity: `Q1` and the base64 SHA-1 of its control member.
//! The real archives also carry a signature member; the playground's are not signed.
//!
//! The base image's own packages (busybox, apk-tools...) are written into its
//! `/lib/apk/db/installed`, `/lib/apk/db/triggers` and `/etc/apk/world` by [`installed_db`].

use super::archive::{base64, gzip, tar};
use super::{installed_size, package_entries, Package, Repositories, Sources};
use crate::recipes::{FileSource, Item};
use engine::image::LayerEntry;

const HOST: &str = "dl-cdn.alpinelinux.org";
const BRANCH: &str = "/alpine/v3.21";
const ARCH: &str = "x86_64";
/// Build time of the packages (`t:`): the release's.
const BUILD_TIME: u64 = 1_739_507_316;
const PACKAGER: &str = "Buildozer <alpine-devel@lists.alpinelinux.org>";
/// The repositories' state (`apk update` prints it): a `git describe` of aports.
const DESCRIPTION: &str = "v3.21.3-0-g7a2f60b2d4e";
pub const BUSYBOX_VERSION: &str = "1.37.0-r12";
/// The directories whose changes run busybox's trigger (`Executing busybox-….trigger`).
const BUSYBOX_TRIGGERS: &str = "/bin /usr/bin /sbin /usr/sbin /lib/modules/*";

fn link(path: &'static str) -> Item {
    Item::Link { path, target: "/bin/busybox" }
}

fn pkg(
    name: &'static str,
    version: &'static str,
    summary: &'static str,
    url: &'static str,
    license: &'static str,
) -> Package {
    Package {
        url,
        license,
        maintainer: "Natanael Copa <ncopa@alpinelinux.org>",
        ..Package::new(name, version, summary)
    }
}

/// The packages `apk add` can install.
pub fn packages() -> Vec<Package> {
    vec![
        Package {
            items: vec![link("bin/bash")],
            ..pkg(
                "bash",
                "5.2.37-r0",
                "The GNU Bourne Again shell",
                "https://www.gnu.org/software/bash/bash.html",
                "GPL-3.0-or-later",
            )
        },
        Package {
            items: vec![Item::File { path: "usr/bin/dig", mode: 0o755, source: FileSource::Guest("dig") }],
            ..pkg("bind-tools", "9.18.35-r0", "The ISC DNS tools", "https://www.isc.org/", "MPL-2.0")
        },
        Package {
            items: vec![Item::File { path: "usr/bin/curl", mode: 0o755, source: FileSource::Guest("curl") }],
            ..pkg("curl", "8.12.1-r1", "URL retrieval utility and library", "https://curl.se/", "curl")
        },
        Package {
            items: vec![link("sbin/ip")],
            ..pkg(
                "iproute2",
                "6.11.0-r0",
                "IP Routing Utilities",
                "https://wiki.linuxfoundation.org/networking/iproute2",
                "GPL-2.0-or-later",
            )
        },
        Package {
            items: vec![link("bin/ping")],
            ..pkg(
                "iputils-ping",
                "20240905-r0",
                "A utility to check the reachability of network hosts",
                "https://github.com/iputils/iputils",
                "GPL-2.0-or-later AND BSD-3-Clause",
            )
        },
        Package {
            items: vec![link("bin/netstat"), link("sbin/ifconfig"), link("sbin/route")],
            ..pkg(
                "net-tools",
                "2.10-r3",
                "Linux networking base tools",
                "https://sourceforge.net/projects/net-tools/",
                "GPL-2.0-or-later",
            )
        },
        Package {
            component: "community",
            items: vec![link("usr/bin/nc")],
            ..pkg(
                "netcat-openbsd",
                "1.226-r0",
                "The TCP/IP swiss army knife. OpenBSD variant from debian.",
                "https://packages.debian.org/sid/netcat-openbsd",
                "BSD-3-Clause",
            )
        },
        Package {
            items: vec![link("usr/bin/vim")],
            ..pkg("vim", "9.1.1105-r0", "Improved vi-style text editor", "https://www.vim.org/", "Vim")
        },
        Package {
            provides: &["procps=4.0.4-r2"],
            items: vec![link("bin/ps"), link("usr/bin/free")],
            ..pkg(
                "procps-ng",
                "4.0.4-r2",
                "Utilities for monitoring your system and processes on your system",
                "https://gitlab.com/procps-ng/procps",
                "GPL-2.0-or-later AND LGPL-2.0-or-later",
            )
        },
    ]
}

/// The packages of the base image, with the paths of the image each one owns.
fn base_packages() -> Vec<(Package, &'static [&'static str])> {
    vec![
        (
            Package {
                depends: &["/bin/sh"],
                ..pkg(
                    "alpine-baselayout",
                    "3.6.8-r1",
                    "Alpine base dir structure and init scripts",
                    "https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout",
                    "GPL-2.0-only",
                )
            },
            &["etc/passwd", "etc/group", "etc/shells", "etc/motd"],
        ),
        (
            pkg("alpine-release", "3.21.3-r0", "Alpine release data", "https://alpinelinux.org", "MIT"),
            &["etc/alpine-release", "etc/os-release"],
        ),
        (
            pkg(
                "apk-tools",
                "2.14.6-r3",
                "Alpine Package Keeper - package manager for alpine",
                "https://gitlab.alpinelinux.org/alpine/apk-tools",
                "GPL-2.0-only",
            ),
            &["sbin/apk"],
        ),
        (
            pkg(
                "busybox",
                BUSYBOX_VERSION,
                "Size optimized toolbox of many common UNIX utilities",
                "https://busybox.net/",
                "GPL-2.0-only",
            ),
            &["bin/busybox"],
        ),
        (
            Package {
                depends: &["busybox=1.37.0-r12"],
                provides: &["/bin/sh"],
                ..pkg("busybox-binsh", BUSYBOX_VERSION, "busybox ash /bin/sh", "https://busybox.net/", "GPL-2.0-only")
            },
            &["bin/sh"],
        ),
    ]
}

/// A built package: its archive and what its index record says.
struct Built {
    archive: Vec<u8>,
    /// `Q1...`: base64 SHA-1 of the control member.
    checksum: String,
    installed_size: u64,
    provides: Vec<String>,
}

/// `cmd:NAME=VERSION` for every program a package puts in a `bin` folder, as abuild adds them.
fn commands(pkg: &Package, entries: &[LayerEntry]) -> Vec<String> {
    let mut out: Vec<String> = pkg.provides.iter().map(|p| p.to_string()).collect();
    for e in entries {
        let path = match e {
            LayerEntry::File { path, .. } | LayerEntry::Symlink { path, .. } => path,
            LayerEntry::Dir { .. } => continue,
        };
        if let Some((dir, name)) = path.rsplit_once('/') {
            if matches!(dir, "bin" | "sbin" | "usr/bin" | "usr/sbin") {
                out.push(format!("cmd:{name}={}", pkg.version));
            }
        }
    }
    out
}

fn build(pkg: &Package, entries: &[LayerEntry]) -> Built {
    let size = installed_size(entries);
    let provides = commands(pkg, entries);
    let data = gzip(&tar(entries, BUILD_TIME, true));
    let mut info = format!(
        "# Generated by abuild 3.14.1-r4\n# using fakeroot version 1.36\npkgname = {}\npkgver = {}\npkgdesc = {}\nurl = {}\nbuilddate = {BUILD_TIME}\npackager = {PACKAGER}\nsize = {size}\narch = {ARCH}\norigin = {}\nmaintainer = {}\nlicense = {}\n",
        pkg.name, pkg.version, pkg.summary, pkg.url, pkg.name, pkg.maintainer, pkg.license
    );
    for d in pkg.depends {
        info.push_str(&format!("depend = {d}\n"));
    }
    for p in &provides {
        info.push_str(&format!("provides = {p}\n"));
    }
    info.push_str(&format!("datahash = {}\n", engine::ids::Digest::of(&data).hex()));
    let control_entry = LayerEntry::File { path: ".PKGINFO".into(), mode: 0o644, data: info.into_bytes() };
    let control = gzip(&tar(&[control_entry], BUILD_TIME, false));
    let checksum = format!("Q1{}", base64(&sha1_smol::Sha1::from(&control).digest().bytes()));
    let mut archive = control;
    archive.extend_from_slice(&data);
    Built { archive, checksum, installed_size: size, provides }
}

/// The index record of a package (`C:`, `P:`, `V:`... as apk writes them).
fn record(pkg: &Package, built: &Built) -> String {
    let mut r = format!(
        "C:{}\nP:{}\nV:{}\nA:{ARCH}\nS:{}\nI:{}\nT:{}\nU:{}\nL:{}\no:{}\nm:{}\nt:{BUILD_TIME}\n",
        built.checksum,
        pkg.name,
        pkg.version,
        built.archive.len(),
        built.installed_size,
        pkg.summary,
        pkg.url,
        pkg.license,
        pkg.name,
        pkg.maintainer
    );
    if !pkg.depends.is_empty() {
        r.push_str(&format!("D:{}\n", pkg.depends.join(" ")));
    }
    if !built.provides.is_empty() {
        r.push_str(&format!("p:{}\n", built.provides.join(" ")));
    }
    r
}

/// Adds the repositories' files (indexes and archives) to `repos`.
pub fn publish(sources: &dyn Sources, repos: &mut Repositories) {
    for component in ["main", "community"] {
        let mut index = String::new();
        for pkg in packages().iter().filter(|p| p.component == component) {
            let entries = match package_entries(&pkg.items, sources) {
                Ok(entries) => entries,
                Err(why) => {
                    repos.warnings.push(format!("alpine package {} left out: {why}", pkg.name));
                    continue;
                }
            };
            let built = build(pkg, &entries);
            index.push_str(&record(pkg, &built));
            index.push('\n');
            repos.files.push(super::MirrorFile {
                host: HOST,
                path: format!("{BRANCH}/{component}/{ARCH}/{}-{}.apk", pkg.name, pkg.version),
                content_type: "application/octet-stream",
                bytes: built.archive,
            });
        }
        let files = [
            LayerEntry::File { path: "DESCRIPTION".into(), mode: 0o644, data: DESCRIPTION.as_bytes().to_vec() },
            LayerEntry::File { path: "APKINDEX".into(), mode: 0o644, data: index.into_bytes() },
        ];
        repos.files.push(super::MirrorFile {
            host: HOST,
            path: format!("{BRANCH}/{component}/{ARCH}/APKINDEX.tar.gz"),
            content_type: "application/octet-stream",
            bytes: gzip(&tar(&files, BUILD_TIME, true)),
        });
    }
}

fn entry_path(e: &LayerEntry) -> &str {
    match e {
        LayerEntry::Dir { path, .. } | LayerEntry::File { path, .. } | LayerEntry::Symlink { path, .. } => path,
    }
}

/// `Q1` + base64 SHA-1 of a file's content (or a link's target): the `Z:` of the installed db.
fn file_checksum(e: &LayerEntry) -> Option<String> {
    let bytes = match e {
        LayerEntry::File { data, .. } => data.as_slice(),
        LayerEntry::Symlink { target, .. } => target.as_bytes(),
        LayerEntry::Dir { .. } => return None,
    };
    Some(format!("Q1{}", base64(&sha1_smol::Sha1::from(bytes).digest().bytes())))
}

/// The installed-package database of a base image whose layer holds `entries`.
pub fn installed_db(entries: &[LayerEntry]) -> Vec<LayerEntry> {
    let mut db = String::new();
    let mut triggers = String::new();
    let mut world = Vec::new();
    for (pkg, paths) in base_packages() {
        let owned: Vec<&LayerEntry> = entries.iter().filter(|e| paths.contains(&entry_path(e))).collect();
        if owned.is_empty() {
            continue;
        }
        let cloned: Vec<LayerEntry> = owned.iter().map(|e| (*e).clone()).collect();
        let built = build(&pkg, &cloned);
        db.push_str(&record(&pkg, &built));
        let mut dir = None;
        for e in &owned {
            let path = entry_path(e);
            let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
            if dir != Some(parent) {
                db.push_str(&format!("F:{parent}\n"));
                dir = Some(parent);
            }
            db.push_str(&format!("R:{name}\n"));
            if let LayerEntry::File { mode, .. } = e {
                if mode & 0o7777 != 0o644 {
                    db.push_str(&format!("a:0:0:{:o}\n", mode & 0o7777));
                }
            }
            if let Some(z) = file_checksum(e) {
                db.push_str(&format!("Z:{z}\n"));
            }
        }
        db.push('\n');
        if pkg.name == "busybox" {
            triggers.push_str(&format!("{} {BUSYBOX_TRIGGERS}\n", built.checksum));
        }
        if pkg.name != "busybox-binsh" {
            world.push(pkg.name);
        }
    }
    let file = |path: &str, text: String| LayerEntry::File { path: path.into(), mode: 0o644, data: text.into_bytes() };
    vec![
        LayerEntry::Dir { path: "lib/apk".into(), mode: 0o755 },
        LayerEntry::Dir { path: "lib/apk/db".into(), mode: 0o755 },
        file("lib/apk/db/installed", db),
        file("lib/apk/db/triggers", triggers),
        file("etc/apk/world", world.iter().map(|w| format!("{w}\n")).collect()),
        LayerEntry::Dir { path: "var/cache/apk".into(), mode: 0o755 },
    ]
}
