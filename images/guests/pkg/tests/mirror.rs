//! The package managers end to end, natively: the catalog's real repositories (built by
//! `images` with stand-in program bytes) served by the engine's mirror behind a loopback TCP
//! listener, and a base image's real files (from its recipe) in a temporary folder as the root.

use engine::image::LayerEntry;
use engine::network::mirror::{Mirror, MirrorFile, MirrorIndex, Reply, INDEX};
use engine::platform::MemoryBlobSource;
use guest_pkg::net::HttpNet;
use guest_pkg::Ctx;
use images::packages::{build_repositories, package_db, Distro, Sources};
use images::{FileSource, Item};
use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::rc::Rc;

struct Fake;

impl Sources for Fake {
    fn guest(&self, name: &str) -> Option<Vec<u8>> {
        Some(format!("\0asm {name}").into_bytes())
    }
    fn has_applet(&self, _: &str) -> bool {
        true
    }
}

/// Starts the mirror on a loopback port; returns the port.
fn serve() -> u16 {
    let files: Vec<(String, String, &'static str, Vec<u8>)> = build_repositories(&Fake)
        .files
        .into_iter()
        .map(|f| (f.host.to_string(), f.path, f.content_type, f.bytes))
        .collect();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut blobs = MemoryBlobSource::default();
        let mut index = MirrorIndex::default();
        for (host, path, content_type, bytes) in files {
            let digest = engine::ids::Digest::of(&bytes);
            blobs.insert(format!("blobs/sha256/{}", digest.hex()), bytes.clone());
            index.sites.entry(host).or_default().insert(
                path,
                MirrorFile { digest: digest.to_string(), size: bytes.len() as u64, content_type: content_type.into() },
            );
        }
        blobs.insert(INDEX, serde_json::to_vec(&index).unwrap());
        let mut mirror = Mirror::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut received = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                match mirror.handle(&received, &mut blobs) {
                    Reply::Respond { consumed, response, close } => {
                        let _ = stream.write_all(&response);
                        received.drain(..consumed);
                        if close {
                            break;
                        }
                    }
                    Reply::Incomplete | Reply::Pending => match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => received.extend_from_slice(&buf[..n]),
                    },
                }
            }
        }
    });
    port
}

/// The root filesystem of a catalog image, with stand-ins for programs.
fn image_root(repository: &str, tag: &str, distro: Distro) -> PathBuf {
    let recipe = images::recipes().into_iter().find(|r| r.repository == repository && r.tags.contains(&tag)).unwrap();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("pkg-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut entries = Vec::new();
    for layer in &recipe.layers {
        for item in &layer.items {
            match item {
                Item::Dir { path, mode } => entries.push(LayerEntry::Dir { path: path.to_string(), mode: *mode }),
                Item::Link { path, target } => {
                    entries.push(LayerEntry::Symlink { path: path.to_string(), target: target.to_string() })
                }
                Item::File { path, mode, source } => {
                    let data = match source {
                        FileSource::Text(t) => t.as_bytes().to_vec(),
                        FileSource::Guest(name) | FileSource::Stamped { guest: name, .. } => {
                            format!("\0asm {name}").into_bytes()
                        }
                    };
                    entries.push(LayerEntry::File { path: path.to_string(), mode: *mode, data });
                }
                Item::Applets { .. } => {
                    entries.push(LayerEntry::Symlink { path: "bin/sh".into(), target: "busybox".into() });
                    entries.push(LayerEntry::Symlink { path: "bin/ls".into(), target: "busybox".into() });
                }
                Item::PackageDb(_) => {
                    let db = package_db(distro, &entries);
                    entries.extend(db);
                }
            }
        }
    }
    for e in entries {
        match e {
            LayerEntry::Dir { path, .. } => std::fs::create_dir_all(dir.join(path)).unwrap(),
            LayerEntry::File { path, data, .. } => {
                std::fs::create_dir_all(dir.join(&path).parent().unwrap()).unwrap();
                std::fs::write(dir.join(path), data).unwrap();
            }
            LayerEntry::Symlink { path, target } => {
                std::fs::create_dir_all(dir.join(&path).parent().unwrap()).unwrap();
                let _ = std::os::unix::fs::symlink(target, dir.join(path));
            }
        }
    }
    dir
}

static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A system to run commands in: root, network (the mirror, or none), terminal output captured.
struct System {
    root: PathBuf,
    port: Option<u16>,
    now: u64,
}

impl System {
    fn new(repository: &str, tag: &str, distro: Distro) -> Self {
        System { root: image_root(repository, tag, distro), port: Some(serve()), now: 1_750_000_000 }
    }

    /// Runs `argv` with `stdin`; returns (exit status, stdout and stderr interleaved).
    fn run_with(&self, argv: &str, stdin: &str) -> (i32, String) {
        let out = Shared::default();
        let port = self.port;
        let net = HttpNet::new(
            move |host: &str| match port {
                Some(_) if Mirror::serves(host) => Ok(vec![Ipv4Addr::LOCALHOST]),
                _ => Err(std::io::Error::other("Name does not resolve")),
            },
            port.unwrap_or(1),
        );
        let mut ctx = Ctx {
            root: self.root.clone(),
            out: Box::new(out.clone()),
            err: Box::new(out.clone()),
            input: Box::new(std::io::Cursor::new(stdin.as_bytes().to_vec())),
            tty: false,
            net: Box::new(net),
            now: self.now,
        };
        let args: Vec<String> = argv.split_whitespace().map(str::to_string).collect();
        let code = guest_pkg::run(&args, &mut ctx);
        drop(ctx);
        let text = String::from_utf8_lossy(&out.0.borrow()).into_owned();
        (code, text)
    }

    fn run(&self, argv: &str) -> (i32, String) {
        self.run_with(argv, "")
    }

    fn file(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.root.join(path.trim_start_matches('/'))).ok()
    }

    fn exists(&self, path: &str) -> bool {
        std::fs::symlink_metadata(self.root.join(path.trim_start_matches('/'))).is_ok()
    }
}

impl Drop for System {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn apk_add_fetches_the_indexes_installs_and_records() {
    let sys = System::new("library/alpine", "3.21", Distro::Alpine);
    let (code, out) = sys.run("apk add curl");
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/main/x86_64/APKINDEX.tar.gz");
    assert_eq!(lines[1], "fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/community/x86_64/APKINDEX.tar.gz");
    assert_eq!(lines[2], "(1/1) Installing curl (8.12.1-r1)");
    assert_eq!(lines[3], "Executing busybox-1.37.0-r12.trigger");
    assert!(lines[4].starts_with("OK: 0 MiB in ") && lines[4].ends_with(" packages"), "{out}");
    assert_eq!(lines.len(), 5, "{out}");
    assert_eq!(sys.file("/usr/bin/curl").unwrap(), b"\0asm curl");
    assert_eq!(mode(&sys.root.join("usr/bin/curl")), 0o755);
    let db = String::from_utf8(sys.file("/lib/apk/db/installed").unwrap()).unwrap();
    assert!(db.contains("P:curl\nV:8.12.1-r1\n") && db.contains("F:usr/bin\nR:curl\na:0:0:755\nZ:Q1"), "{db}");
    assert!(String::from_utf8(sys.file("/etc/apk/world").unwrap()).unwrap().lines().any(|l| l == "curl"));
    // The indexes stay in the cache (this is what --no-cache avoids).
    assert_eq!(sys.root.join("var/cache/apk").read_dir().unwrap().count(), 2);
    // A second add finds the cache fresh: no fetch.
    let (code, out) = sys.run("apk add bash");
    assert_eq!(code, 0);
    assert!(out.starts_with("(1/1) Installing bash (5.2.37-r0)\n"), "{out}");
    assert!(std::fs::read_link(sys.root.join("bin/bash")).unwrap() == Path::new("/bin/busybox"));
    // Already there: nothing but the summary.
    let (_, out) = sys.run("apk add curl");
    assert!(out.starts_with("OK: "), "{out}");
}

#[test]
fn apk_no_cache_keeps_nothing_and_del_purges() {
    let sys = System::new("library/alpine", "latest", Distro::Alpine);
    let before: Vec<String> = std::fs::read_dir(sys.root.join("var/cache/apk"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let (code, out) = sys.run("apk add --no-cache curl bind-tools");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(1/2) Installing bind-tools (9.18.35-r0)\n(2/2) Installing curl (8.12.1-r1)\n"), "{out}");
    let after: Vec<String> = std::fs::read_dir(sys.root.join("var/cache/apk"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(before, after);
    let (code, out) = sys.run("apk del curl");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "WARNING: opening from cache https://dl-cdn.alpinelinux.org/alpine/v3.21/main: No such file or directory\n"
        ),
        "{out}"
    );
    assert!(out.contains("(1/1) Purging curl (8.12.1-r1)\nExecuting busybox-1.37.0-r12.trigger\nOK: "), "{out}");
    assert!(!sys.exists("/usr/bin/curl"));
    assert!(sys.exists("/usr/bin/dig"));
}

#[test]
fn apk_reports_unknown_packages_like_apk() {
    let sys = System::new("library/alpine", "latest", Distro::Alpine);
    let (code, out) = sys.run("apk add --no-cache nosuchthing");
    assert_eq!(code, 1);
    assert!(out.ends_with("ERROR: unable to select packages:\n  nosuchthing (no such package):\n    required by: world[nosuchthing]\n"), "{out}");
    assert!(!String::from_utf8(sys.file("/etc/apk/world").unwrap()).unwrap().contains("nosuchthing"));
}

#[test]
fn apk_without_a_network_cannot_fetch() {
    let mut sys = System::new("library/alpine", "latest", Distro::Alpine);
    sys.port = None;
    let (code, out) = sys.run("apk add curl");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/main/x86_64/APKINDEX.tar.gz\nWARNING: updating and opening https://dl-cdn.alpinelinux.org/alpine/v3.21/main: DNS lookup error\n"), "{out}");
    assert!(out.ends_with("  curl (no such package):\n    required by: world[curl]\n"), "{out}");
    let (code, out) = sys.run("apk update");
    assert_eq!(code, 4, "{out}");
    assert!(out.ends_with("4 unavailable, 0 stale; 5 distinct packages available\n"), "{out}");
}

#[test]
fn apk_update_info_and_search() {
    let sys = System::new("library/alpine", "latest", Distro::Alpine);
    let (code, out) = sys.run("apk update");
    assert_eq!(code, 0);
    assert!(out.contains("v3.21.3-0-g7a2f60b2d4e [https://dl-cdn.alpinelinux.org/alpine/v3.21/main]\n"), "{out}");
    assert!(
        out.lines().last().unwrap().starts_with("OK: ") && out.ends_with(" distinct packages available\n"),
        "{out}"
    );
    let (_, out) = sys.run("apk search curl");
    assert_eq!(out, "curl-8.12.1-r1\n");
    let (_, out) = sys.run("apk info curl");
    assert_eq!(out, "curl-8.12.1-r1 description:\nURL retrieval utility and library\n\ncurl-8.12.1-r1 webpage:\nhttps://curl.se/\n\ncurl-8.12.1-r1 installed size:\n9 B\n\n");
    let (_, out) = sys.run("apk info");
    assert!(out.lines().any(|l| l == "busybox") && out.lines().any(|l| l == "apk-tools"), "{out}");
    let (code, out) = sys.run("apk frobnicate");
    assert_eq!((code, out.as_str()), (1, "ERROR: 'frobnicate' is not an apk command. See 'apk --help'.\n"));
}

#[test]
fn apt_get_needs_the_lists_then_installs_with_dependencies() {
    let sys = System::new("library/ubuntu", "24.04", Distro::UbuntuNoble);
    let (code, out) = sys.run("apt-get install -y curl");
    assert_eq!(code, 100);
    assert_eq!(out, "Reading package lists...\nBuilding dependency tree...\nReading state information...\nE: Unable to locate package curl\n");
    let (code, out) = sys.run("apt-get update");
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("Get:1 http://archive.ubuntu.com/ubuntu noble InRelease ["), "{out}");
    assert!(lines[3].starts_with("Get:4 http://security.ubuntu.com/ubuntu noble-security InRelease ["), "{out}");
    assert!(out.contains(" http://archive.ubuntu.com/ubuntu noble/main amd64 Packages ["), "{out}");
    assert!(out.contains(" http://archive.ubuntu.com/ubuntu noble-updates/main amd64 Packages ["), "{out}");
    assert!(lines[lines.len() - 2].starts_with("Fetched "), "{out}");
    assert_eq!(lines[lines.len() - 1], "Reading package lists...");
    assert!(sys.exists("/var/lib/apt/lists/archive.ubuntu.com_ubuntu_dists_noble-updates_main_binary-amd64_Packages"));
    // Without -y, extra packages make apt ask; with no answer (Dockerfile RUN), it aborts.
    let (code, out) = sys.run("apt-get install dnsutils");
    assert_eq!(code, 1);
    assert!(out.ends_with("Do you want to continue? [Y/n] Abort.\n"), "{out}");
    let (code, out) = sys.run("apt-get install -y dnsutils curl");
    assert_eq!(code, 0, "{out}");
    let expected_head = "Reading package lists...\nBuilding dependency tree...\nReading state information...\nThe following additional packages will be installed:\n  bind9-dnsutils\nThe following NEW packages will be installed:\n  bind9-dnsutils curl dnsutils\n0 upgraded, 3 newly installed, 0 to remove and 0 not upgraded.\nNeed to get ";
    assert!(out.starts_with(expected_head), "{out}");
    assert!(out.contains("\nGet:1 http://archive.ubuntu.com/ubuntu noble-updates/main amd64 bind9-dnsutils amd64 1:9.18.30-0ubuntu0.24.04.2 ["), "{out}");
    assert!(out.contains("\nSelecting previously unselected package bind9-dnsutils.\n(Reading database ... "), "{out}");
    assert!(out.contains("\nPreparing to unpack .../bind9-dnsutils_1%3a9.18.30-0ubuntu0.24.04.2_amd64.deb ...\nUnpacking bind9-dnsutils (1:9.18.30-0ubuntu0.24.04.2) ...\n"), "{out}");
    assert!(out.contains("\nSetting up bind9-dnsutils (1:9.18.30-0ubuntu0.24.04.2) ...\n"), "{out}");
    let setup_dnsutils = out.find("Setting up dnsutils").unwrap();
    assert!(out.find("Setting up bind9-dnsutils").unwrap() < setup_dnsutils, "dependencies are set up first");
    assert_eq!(sys.file("/usr/bin/curl").unwrap(), b"\0asm curl");
    assert!(std::fs::read_link(sys.root.join("usr/bin/nslookup")).unwrap() == Path::new("/bin/busybox"));
    let status = String::from_utf8(sys.file("/var/lib/dpkg/status").unwrap()).unwrap();
    assert!(status.contains("Package: curl\nStatus: install ok installed\n"), "{status}");
    assert_eq!(
        String::from_utf8(sys.file("/var/lib/dpkg/info/curl.list").unwrap()).unwrap(),
        "/.\n/usr\n/usr/bin\n/usr/bin/curl\n"
    );
    // The docker-clean hook of the official images deleted the downloaded archives.
    assert!(sys.root.join("var/cache/apt/archives").read_dir().unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".deb")));
    let (_, out) = sys.run("apt-get install -y curl");
    assert!(out.contains("\ncurl is already the newest version (8.5.0-2ubuntu10.6).\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"), "{out}");
    // apt list, dpkg -l
    let (_, out) = sys.run("apt list --installed");
    assert!(
        out.contains("\nbind9-dnsutils/noble-updates,now 1:9.18.30-0ubuntu0.24.04.2 amd64 [installed,automatic]\n"),
        "{out}"
    );
    assert!(out.contains("\ncurl/noble-updates,now 8.5.0-2ubuntu10.6 amd64 [installed]\n"), "{out}");
    let (_, out) = sys.run("dpkg -l curl");
    assert!(
        out.ends_with(
            "ii  curl 8.5.0-2ubuntu10.6 amd64        command line tool for transferring data with URL syntax\n"
        ),
        "{out}"
    );
    // Removing the transitional package leaves its dependency, which autoremove takes.
    let (code, out) = sys.run("apt-get remove -y dnsutils");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("The following package was automatically installed and is no longer required:\n  bind9-dnsutils\nUse 'apt autoremove' to remove it.\nThe following packages will be REMOVED:\n  dnsutils\n0 upgraded, 0 newly installed, 1 to remove and 0 not upgraded.\n"), "{out}");
    assert!(out.ends_with("Removing dnsutils (1:9.18.30-0ubuntu0.24.04.2) ...\n"), "{out}");
    let (_, out) = sys.run("apt-get purge -y --auto-remove curl");
    assert!(out.contains("The following packages will be REMOVED:\n  bind9-dnsutils* curl*\n"), "{out}");
    assert!(!sys.exists("/usr/bin/curl") && !sys.exists("/usr/bin/dig"));
    assert!(sys.exists("/usr/bin"), "folders other packages use stay");
    // rm -rf /var/lib/apt/lists/* puts the image back in its fresh state.
    for f in sys.root.join("var/lib/apt/lists").read_dir().unwrap() {
        let f = f.unwrap().path();
        if f.is_file() {
            std::fs::remove_file(f).unwrap();
        }
    }
    let (code, _) = sys.run("apt-get install -y wget");
    assert_eq!(code, 100);
}

#[test]
fn apt_on_debian_and_jammy_reads_their_sources() {
    let sys = System::new("library/debian", "bookworm", Distro::Debian);
    let (code, out) = sys.run("apt-get update");
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("Get:1 http://deb.debian.org/debian bookworm InRelease ["), "{out}");
    assert!(out.contains("Get:3 http://deb.debian.org/debian-security bookworm-security InRelease ["), "{out}");
    let (code, out) = sys.run("apt-get install -y --no-install-recommends iputils-ping");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "Get:1 http://deb.debian.org/debian bookworm/main amd64 iputils-ping amd64 3:20221126-1+deb12u1 ["
        ),
        "{out}"
    );
    let jammy = System::new("library/ubuntu", "22.04", Distro::UbuntuJammy);
    let (_, out) = jammy.run("apt-get update");
    assert!(out.contains("Get:1 http://archive.ubuntu.com/ubuntu jammy InRelease ["), "{out}");
    let (_, out) = jammy.run("apt-get update");
    assert!(out.starts_with("Hit:1 http://archive.ubuntu.com/ubuntu jammy InRelease\n"), "{out}");
    assert!(!out.contains("Fetched"), "{out}");
}

#[test]
fn apt_without_a_network_warns() {
    let mut sys = System::new("library/debian", "latest", Distro::Debian);
    sys.port = None;
    let (code, out) = sys.run("apt-get update");
    assert_eq!(code, 0);
    assert!(
        out.starts_with(
            "Err:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'\n"
        ),
        "{out}"
    );
    assert!(
        out.ends_with("W: Some index files failed to download. They have been ignored, or old ones used instead.\n"),
        "{out}"
    );
}
