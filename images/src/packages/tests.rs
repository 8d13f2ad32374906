use super::*;
use std::io::Read;

/// Guest programs and applets, all present (`missing` lists those absent).
struct Fake {
    missing: &'static [&'static str],
}

impl Sources for Fake {
    fn guest(&self, name: &str) -> Option<Vec<u8>> {
        (!self.missing.contains(&name)).then(|| format!("\0asm {name}").into_bytes())
    }
    fn has_applet(&self, name: &str) -> bool {
        !self.missing.contains(&name)
    }
}

fn file<'a>(repos: &'a Repositories, host: &str, path: &str) -> &'a [u8] {
    let found = repos.files.iter().find(|f| f.host == host && f.path == path);
    &found.unwrap_or_else(|| panic!("{host}{path} not published")).bytes
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

/// The files of a tar archive, by name.
fn untar(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(bytes);
    let mut out = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.push((name, data));
    }
    out
}

#[test]
fn alpine_indexes_name_every_archive_with_its_checksum_and_size() {
    let repos = build_repositories(&Fake { missing: &[] });
    assert!(repos.warnings.is_empty(), "{:?}", repos.warnings);
    let index = untar(&gunzip(file(&repos, "dl-cdn.alpinelinux.org", "/alpine/v3.21/main/x86_64/APKINDEX.tar.gz")));
    assert_eq!(index[0].0, "DESCRIPTION");
    let text = String::from_utf8(index[1].1.clone()).unwrap();
    let curl = text.split("\n\n").find(|r| r.contains("\nP:curl\n")).expect("curl is in main");
    let size: usize = curl.lines().find_map(|l| l.strip_prefix("S:")).unwrap().parse().unwrap();
    let apk = file(&repos, "dl-cdn.alpinelinux.org", "/alpine/v3.21/main/x86_64/curl-8.12.1-r1.apk");
    assert_eq!(apk.len(), size);
    assert!(curl.contains("\np:cmd:curl=8.12.1-r1"), "{curl}");
    // The archive: .PKGINFO first, then the files.
    let entries = untar(&gunzip(apk));
    assert_eq!(entries[0].0, ".PKGINFO");
    assert!(String::from_utf8_lossy(&entries[0].1).contains("pkgname = curl\n"));
    assert!(entries.iter().any(|(n, d)| n == "usr/bin/curl" && d == b"\0asm curl"));
    // netcat-openbsd lives in community.
    let community =
        untar(&gunzip(file(&repos, "dl-cdn.alpinelinux.org", "/alpine/v3.21/community/x86_64/APKINDEX.tar.gz")));
    assert!(String::from_utf8_lossy(&community[1].1).contains("P:netcat-openbsd\n"));
}

#[test]
fn debian_suites_list_their_packages_and_the_pool_has_the_debs() {
    let repos = build_repositories(&Fake { missing: &[] });
    let release =
        String::from_utf8(file(&repos, "archive.ubuntu.com", "/ubuntu/dists/noble-updates/InRelease").to_vec())
            .unwrap();
    assert!(release.contains("Suite: noble-updates\n") && release.contains("Codename: noble\n"), "{release}");
    let packages =
        gunzip(file(&repos, "archive.ubuntu.com", "/ubuntu/dists/noble-updates/main/binary-amd64/Packages.gz"));
    let packages = String::from_utf8(packages).unwrap();
    let hash = engine::ids::Digest::of(packages.as_bytes()).hex().to_string();
    assert!(release.contains(&format!(" {hash} ")), "the Release file names the index by its SHA256");
    let curl = packages.split("\n\n").find(|s| s.starts_with("Package: curl\n")).expect("curl in noble-updates");
    let filename = curl.lines().find_map(|l| l.strip_prefix("Filename: ")).unwrap();
    assert_eq!(filename, "pool/main/c/curl/curl_8.5.0-2ubuntu10.6_amd64.deb");
    let deb = file(&repos, "archive.ubuntu.com", &format!("/ubuntu/{filename}"));
    assert!(deb.starts_with(b"!<arch>\ndebian-binary   "));
    // The release pocket has the packages that were not updated; security has none of ours.
    let noble = String::from_utf8(gunzip(file(
        &repos,
        "archive.ubuntu.com",
        "/ubuntu/dists/noble/main/binary-amd64/Packages.gz",
    )))
    .unwrap();
    assert!(noble.contains("Package: iputils-ping\n") && !noble.contains("Package: curl\n"));
    file(&repos, "security.ubuntu.com", "/ubuntu/dists/noble-security/InRelease");
    // Debian: an epoch is not part of the file name.
    let bookworm = String::from_utf8(gunzip(file(
        &repos,
        "deb.debian.org",
        "/debian/dists/bookworm/main/binary-amd64/Packages.gz",
    )))
    .unwrap();
    assert!(bookworm.contains("Filename: pool/main/p/procps/procps_4.0.2-3_amd64.deb\n"), "{bookworm}");
    assert!(bookworm.contains("Package: dnsutils\n") && bookworm.contains("Depends: bind9-dnsutils\n"));
}

#[test]
fn the_course_packages_are_published_and_the_unreal_ones_are_not() {
    let repos = build_repositories(&Fake { missing: &[] });
    let noble_updates = String::from_utf8(gunzip(file(
        &repos,
        "archive.ubuntu.com",
        "/ubuntu/dists/noble-updates/main/binary-amd64/Packages.gz",
    )))
    .unwrap();
    let noble = String::from_utf8(gunzip(file(
        &repos,
        "archive.ubuntu.com",
        "/ubuntu/dists/noble/main/binary-amd64/Packages.gz",
    )))
    .unwrap();
    for name in ["vim", "vim-tiny"] {
        assert!(noble_updates.contains(&format!("Package: {name}\n")), "{name} in noble-updates");
    }
    for name in ["lsb-release", "unzip"] {
        assert!(noble.contains(&format!("Package: {name}\n")), "{name} in noble");
    }
    // TLS certificates and OpenPGP cannot work here: apt says it cannot locate them.
    for name in ["ca-certificates", "gnupg", "docker-ce"] {
        assert!(
            !noble.contains(&format!("Package: {name}\n")) && !noble_updates.contains(&format!("Package: {name}\n"))
        );
    }
    let deb = file(&repos, "archive.ubuntu.com", "/ubuntu/pool/main/l/lsb-release/lsb-release_12.0-2_all.deb");
    assert!(deb.starts_with(b"!<arch>\n"));
}

#[test]
fn a_package_without_its_program_is_left_out_with_a_warning() {
    let repos = build_repositories(&Fake { missing: &["dig", "ping"] });
    assert!(
        repos.warnings.iter().any(|w| w == "alpine package bind-tools left out: guest program dig.wasm is not built"),
        "{:?}",
        repos.warnings
    );
    assert!(repos.warnings.iter().any(|w| w.contains("iputils-ping left out: the userland has no applet ping")));
    let index = untar(&gunzip(file(&repos, "dl-cdn.alpinelinux.org", "/alpine/v3.21/main/x86_64/APKINDEX.tar.gz")));
    assert!(!String::from_utf8_lossy(&index[1].1).contains("P:bind-tools"));
}

#[test]
fn base_images_record_what_their_packages_own() {
    let entries = vec![
        LayerEntry::File { path: "bin/busybox".into(), mode: 0o755, data: b"bb".to_vec() },
        LayerEntry::Symlink { path: "bin/ls".into(), target: "busybox".into() },
        LayerEntry::Symlink { path: "bin/sh".into(), target: "busybox".into() },
        LayerEntry::Symlink { path: "bin/bash".into(), target: "busybox".into() },
        LayerEntry::File { path: "sbin/apk".into(), mode: 0o755, data: b"apk".to_vec() },
        LayerEntry::File { path: "etc/os-release".into(), mode: 0o644, data: b"ID=x\n".to_vec() },
    ];
    let db = package_db(Distro::Alpine, &entries);
    let text = |path: &str| {
        db.iter()
            .find_map(|e| match e {
                LayerEntry::File { path: p, data, .. } if p == path => Some(String::from_utf8(data.clone()).unwrap()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{path} missing"))
    };
    let installed = text("lib/apk/db/installed");
    assert!(installed.contains("P:busybox\nV:1.37.0-r12\n"), "{installed}");
    assert!(installed.contains("F:bin\nR:busybox\na:0:0:755\nZ:Q1"), "{installed}");
    assert!(installed.contains("P:busybox-binsh\n") && installed.contains("R:sh\n"));
    assert!(!installed.contains("R:ls\n"), "applet links belong to no package on Alpine");
    assert!(text("lib/apk/db/triggers").ends_with(" /bin /usr/bin /sbin /usr/sbin /lib/modules/*\n"));
    assert_eq!(text("etc/apk/world"), "alpine-release\napk-tools\nbusybox\n");

    let db = package_db(Distro::UbuntuNoble, &entries);
    let status = db.iter().find_map(|e| match e {
        LayerEntry::File { path, data, .. } if path == "var/lib/dpkg/status" => {
            Some(String::from_utf8(data.clone()).unwrap())
        }
        _ => None,
    });
    let status = status.unwrap();
    assert!(status.contains("Package: coreutils\nEssential: yes\nStatus: install ok installed\n"), "{status}");
    assert!(status.contains("Package: dash\n") && status.contains("Package: bash\n"));
    let list = db.iter().find_map(|e| match e {
        LayerEntry::File { path, data, .. } if path == "var/lib/dpkg/info/coreutils.list" => Some(data.clone()),
        _ => None,
    });
    assert_eq!(list.unwrap(), b"/.\n/bin\n/bin/ls\n");
}
