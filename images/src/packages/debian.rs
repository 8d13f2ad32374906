//! Debian's and Ubuntu's archives, as `apt-get` reads them (`deb.debian.org`,
//! `archive.ubuntu.com`, `security.ubuntu.com`):
//!
//! ```text
//! /ubuntu/dists/noble-updates/InRelease                        the suite's Release: SHA256 of each index
//! /ubuntu/dists/noble-updates/main/binary-amd64/Packages.gz    one stanza per package (Package:, Version:, Depends:, Filename:...)
//! /ubuntu/pool/main/c/curl/curl_8.5.0-2ubuntu10.6_amd64.deb    ar archive: debian-binary, control.tar.gz, data.tar.gz
//! ```
//!
//! The real `InRelease` is the `Release` file signed with OpenPGP; the playground's are not
//! signed (and apt here does not check signatures).
//!
//! A base image's `/var/lib/dpkg/status` and `/var/lib/dpkg/info/*.list` come from
//! [`dpkg_status`]: each file of the image belongs to the package that installs it on a real system.

use super::archive::{ar, gzip, tar};
use super::debian_tables::{base_packages, packages, release, Owns};
use super::{installed_size, package_entries, Distro, MirrorFile, Package, Repositories, Sources};
use engine::image::LayerEntry;
use std::collections::{BTreeMap, BTreeSet};

/// Build time of the archives' files.
const MTIME: u64 = 1_741_996_800;

fn arch(pkg: &Package) -> &'static str {
    if pkg.arch_all {
        "all"
    } else {
        "amd64"
    }
}

/// `Installed-Size`, in KiB rounded up as dpkg-gencontrol counts it.
fn installed_kib(entries: &[LayerEntry]) -> u64 {
    installed_size(entries).div_ceil(1024).max(1)
}

/// The `control` stanza of a package (what `dpkg -s` shows, less `Status:`).
fn control(pkg: &Package, size_kib: u64, status: bool) -> String {
    let mut c = format!("Package: {}\n", pkg.name);
    if pkg.priority == "required" {
        c.push_str("Essential: yes\n");
    }
    if status {
        c.push_str("Status: install ok installed\n");
    }
    c.push_str(&format!("Priority: {}\nSection: {}\nInstalled-Size: {size_kib}\n", pkg.priority, pkg.section));
    if !pkg.maintainer.is_empty() {
        c.push_str(&format!("Maintainer: {}\n", pkg.maintainer));
    }
    c.push_str(&format!("Architecture: {}\nVersion: {}\n", arch(pkg), pkg.version));
    for (field, list) in [
        ("Provides", pkg.provides),
        ("Depends", pkg.depends),
        ("Recommends", pkg.recommends),
        ("Suggests", pkg.suggests),
    ] {
        if !list.is_empty() {
            c.push_str(&format!("{field}: {}\n", list.join(", ")));
        }
    }
    c.push_str(&format!("Description: {}\n", pkg.summary));
    for line in pkg.description.lines() {
        c.push_str(if line.is_empty() { " .\n" } else { " " });
        if !line.is_empty() {
            c.push_str(line);
            c.push('\n');
        }
    }
    if !pkg.url.is_empty() {
        c.push_str(&format!("Homepage: {}\n", pkg.url));
    }
    c
}

/// The entries of a `.deb`'s data part: `./`-relative, with every parent folder listed first.
fn data_entries(entries: &[LayerEntry]) -> Vec<LayerEntry> {
    let mut dirs = BTreeSet::new();
    let mut out = vec![LayerEntry::Dir { path: ".".into(), mode: 0o755 }];
    for e in entries {
        let path = entry_path(e);
        let mut at = String::new();
        for part in path.split('/').collect::<Vec<_>>().split_last().map(|(_, p)| p).unwrap_or(&[]) {
            at = if at.is_empty() { part.to_string() } else { format!("{at}/{part}") };
            if dirs.insert(at.clone()) {
                out.push(LayerEntry::Dir { path: format!("./{at}"), mode: 0o755 });
            }
        }
        out.push(match e {
            LayerEntry::Dir { path, mode } => LayerEntry::Dir { path: format!("./{path}"), mode: *mode },
            LayerEntry::File { path, mode, data } => {
                LayerEntry::File { path: format!("./{path}"), mode: *mode, data: data.clone() }
            }
            LayerEntry::Symlink { path, target } => {
                LayerEntry::Symlink { path: format!("./{path}"), target: target.clone() }
            }
        });
    }
    out
}

fn entry_path(e: &LayerEntry) -> &str {
    match e {
        LayerEntry::Dir { path, .. } | LayerEntry::File { path, .. } | LayerEntry::Symlink { path, .. } => path,
    }
}

/// A `.deb`: `debian-binary`, `control.tar.gz` (`./control`), `data.tar.gz`.
fn deb(pkg: &Package, entries: &[LayerEntry]) -> Vec<u8> {
    let control_text = control(pkg, installed_kib(entries), false);
    let control_tar = gzip(&tar(
        &[
            LayerEntry::Dir { path: ".".into(), mode: 0o755 },
            LayerEntry::File { path: "./control".into(), mode: 0o644, data: control_text.into_bytes() },
        ],
        MTIME,
        true,
    ));
    let data_tar = gzip(&tar(&data_entries(entries), MTIME, true));
    ar(&[("debian-binary", b"2.0\n"), ("control.tar.gz", &control_tar), ("data.tar.gz", &data_tar)], MTIME)
}

/// `pool/main/c/curl/` (`lib*` sources get four letters: `pool/main/libc/...`).
fn pool_dir(component: &str, name: &str) -> String {
    let prefix = if name.starts_with("lib") && name.len() > 3 { &name[..4] } else { &name[..1] };
    format!("pool/{component}/{prefix}/{name}")
}

/// Adds a release's archive files to `repos`.
pub fn publish(distro: Distro, sources: &dyn Sources, repos: &mut Repositories) {
    let info = release(distro);
    // Build each package once: (stanza of Packages, pool path, archive).
    let mut built = Vec::new();
    for pkg in packages(distro) {
        match package_entries(&pkg.items, sources) {
            Ok(entries) => {
                let archive = deb(&pkg, &entries);
                let file = format!(
                    "{}/{}_{}_{}.deb",
                    pool_dir(pkg.component, pkg.name),
                    pkg.name,
                    pkg.version.split_once(':').map_or(pkg.version, |(_, v)| v),
                    arch(&pkg)
                );
                let mut stanza = control(&pkg, installed_kib(&entries), false);
                stanza.push_str(&format!(
                    "Filename: {file}\nSize: {}\nSHA256: {}\n",
                    archive.len(),
                    engine::ids::Digest::of(&archive).hex()
                ));
                built.push((pkg, stanza, file, archive));
            }
            Err(why) => {
                repos.warnings.push(format!("{} {} package {} left out: {why}", info.origin, info.codename, pkg.name))
            }
        }
    }
    let mut pools: BTreeMap<(&str, &str, String), Vec<u8>> = BTreeMap::new();
    for suite in &info.suites {
        let mut checksums = String::new();
        for component in suite.components {
            let stanzas: Vec<&(Package, String, String, Vec<u8>)> =
                built.iter().filter(|(p, ..)| p.component == *component && p.pocket == suite.pocket).collect();
            let text: String = stanzas.iter().map(|(_, s, ..)| format!("{s}\n")).collect();
            for (_, _, file, archive) in &stanzas {
                pools.insert((suite.host, suite.root, file.clone()), archive.clone());
            }
            let gz = gzip(text.as_bytes());
            let dir = format!("{component}/binary-amd64");
            for (name, bytes) in [("Packages", text.as_bytes()), ("Packages.gz", &gz[..])] {
                checksums.push_str(&format!(
                    " {} {:>16} {dir}/{name}\n",
                    engine::ids::Digest::of(bytes).hex(),
                    bytes.len()
                ));
            }
            repos.files.push(MirrorFile {
                host: suite.host,
                path: format!("{}/dists/{}/{dir}/Packages.gz", suite.root, suite.name),
                content_type: "application/x-gzip",
                bytes: gz,
            });
        }
        let (label, suite_title) = match (info.origin, suite.pocket) {
            ("Debian", "-security") => (
                "Debian-Security",
                format!("Debian {} - Security Updates", info.version.split('.').next().unwrap_or("")),
            ),
            ("Debian", _) => ("Debian", format!("Debian {} Released {}", info.version, &info.date[5..16])),
            (_, pocket) => (
                "Ubuntu",
                format!("Ubuntu {} {}", capitalized(info.codename), capitalized(pocket.trim_start_matches('-'))),
            ),
        };
        let release_text = format!(
            "Origin: {}\nLabel: {label}\nSuite: {}\nVersion: {}\nCodename: {}\nDate: {}\nArchitectures: amd64 arm64\nComponents: {}\nDescription: {}\nSHA256:\n{checksums}",
            info.origin,
            suite.name,
            info.version,
            info.codename,
            info.date,
            suite.components.join(" "),
            suite_title.trim_end(),
        );
        for name in ["InRelease", "Release"] {
            repos.files.push(MirrorFile {
                host: suite.host,
                path: format!("{}/dists/{}/{name}", suite.root, suite.name),
                content_type: "text/plain",
                bytes: release_text.clone().into_bytes(),
            });
        }
    }
    for ((host, root, file), archive) in pools {
        repos.files.push(MirrorFile {
            host,
            path: format!("{root}/{file}"),
            content_type: "application/vnd.debian.binary-package",
            bytes: archive,
        });
    }
}

fn capitalized(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `/var/lib/dpkg/status` and the `info/<package>.list` files of a base image whose layer holds
/// `entries`.
pub fn dpkg_status(distro: Distro, entries: &[LayerEntry]) -> Vec<LayerEntry> {
    let mut status = String::new();
    let mut out = vec![
        LayerEntry::Dir { path: "var/lib/dpkg".into(), mode: 0o755 },
        LayerEntry::Dir { path: "var/lib/dpkg/info".into(), mode: 0o755 },
    ];
    let mut lists = Vec::new();
    for (pkg, owns) in base_packages(distro) {
        let owned: Vec<LayerEntry> = entries
            .iter()
            .filter(|e| {
                let path = entry_path(e);
                match owns {
                    Owns::Paths(paths) => paths.contains(&path),
                    Owns::Applets(names) => {
                        matches!(e, LayerEntry::Symlink { target, .. } if target.ends_with("busybox"))
                            && names.contains(&path.rsplit('/').next().unwrap_or(path))
                    }
                }
            })
            .cloned()
            .collect();
        if owned.is_empty() {
            continue;
        }
        status.push_str(&control(&pkg, installed_kib(&owned), true));
        status.push('\n');
        // A .list names every folder on the way, then the files: `/.`, `/usr`, `/usr/bin`, ...
        let mut paths = BTreeSet::new();
        paths.insert("/.".to_string());
        for e in &owned {
            let path = entry_path(e);
            let mut at = String::new();
            for part in path.split('/') {
                at = format!("{at}/{part}");
                paths.insert(at.clone());
            }
        }
        let list: String = paths.into_iter().map(|p| format!("{p}\n")).collect();
        lists.push(LayerEntry::File {
            path: format!("var/lib/dpkg/info/{}.list", pkg.name),
            mode: 0o644,
            data: list.into_bytes(),
        });
    }
    out.push(LayerEntry::File { path: "var/lib/dpkg/status".into(), mode: 0o644, data: status.into_bytes() });
    out.extend(lists);
    out
}
