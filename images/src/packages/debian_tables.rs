//! What Debian 12 (bookworm), Ubuntu 24.04 (noble) and Ubuntu 22.04 (jammy) publish and have
//! installed: the package tables, release by release, and where each release's archive lives.

use super::{Distro, Package};
use crate::recipes::{FileSource, Item};

/// One suite of an archive: where apt finds it and what it holds.
#[derive(Debug, Clone)]
pub struct Suite {
    pub host: &'static str,
    /// The archive's root on the host (`/debian`, `/ubuntu`).
    pub root: &'static str,
    /// `bookworm`, `noble-updates`, `noble-security`...
    pub name: String,
    /// The package pocket it publishes (`""`, `-updates`, `-security`, `-backports`).
    pub pocket: &'static str,
    pub components: &'static [&'static str],
}

/// A release: its identity in `Release` files and its suites.
#[derive(Debug, Clone)]
pub struct ReleaseInfo {
    pub origin: &'static str,
    pub codename: &'static str,
    pub version: &'static str,
    pub date: &'static str,
    pub suites: Vec<Suite>,
}

const UBUNTU_COMPONENTS: &[&str] = &["main", "restricted", "universe", "multiverse"];

pub fn release(distro: Distro) -> ReleaseInfo {
    let suite =
        |host, root, name: &str, pocket, components| Suite { host, root, name: name.to_string(), pocket, components };
    match distro {
        Distro::Debian | Distro::Alpine => ReleaseInfo {
            origin: "Debian",
            codename: "bookworm",
            version: "12.10",
            date: "Sat, 15 Mar 2025 09:24:46 UTC",
            suites: vec![
                suite("deb.debian.org", "/debian", "bookworm", "", &["main"]),
                suite("deb.debian.org", "/debian", "bookworm-updates", "-updates", &["main"]),
                suite("deb.debian.org", "/debian-security", "bookworm-security", "-security", &["main"]),
            ],
        },
        Distro::UbuntuNoble | Distro::UbuntuJammy => {
            let (codename, version, date) = if distro == Distro::UbuntuNoble {
                ("noble", "24.04", "Thu, 25 Apr 2024 15:10:33 UTC")
            } else {
                ("jammy", "22.04", "Thu, 21 Apr 2022 17:16:08 UTC")
            };
            let archive = |pocket: &'static str| {
                suite("archive.ubuntu.com", "/ubuntu", &format!("{codename}{pocket}"), pocket, UBUNTU_COMPONENTS)
            };
            ReleaseInfo {
                origin: "Ubuntu",
                codename,
                version,
                date,
                suites: vec![
                    archive(""),
                    archive("-updates"),
                    archive("-backports"),
                    suite(
                        "security.ubuntu.com",
                        "/ubuntu",
                        &format!("{codename}-security"),
                        "-security",
                        UBUNTU_COMPONENTS,
                    ),
                ],
            }
        }
    }
}

fn link(path: &'static str) -> Item {
    Item::Link { path, target: "/bin/busybox" }
}

/// `vi` as `update-alternatives` sets it up from a package's maintainer script:
/// `/usr/bin/vi` -> `/etc/alternatives/vi` -> `target`.
fn vi_alternative(target: &'static str) -> Vec<Item> {
    vec![
        Item::Link { path: "usr/bin/vi", target: "/etc/alternatives/vi" },
        Item::Link { path: "etc/alternatives/vi", target },
    ]
}

/// `lsb_release`: a shell script reading `/etc/os-release`.
const LSB_RELEASE: &str = include_str!("lsb_release.sh");

fn guest(path: &'static str, name: &'static str) -> Item {
    Item::File { path, mode: 0o755, source: FileSource::Guest(name) }
}

/// Picks the value for a release: (bookworm, noble, jammy).
fn pick(distro: Distro, v: (&'static str, &'static str, &'static str)) -> &'static str {
    match distro {
        Distro::Debian | Distro::Alpine => v.0,
        Distro::UbuntuNoble => v.1,
        Distro::UbuntuJammy => v.2,
    }
}

fn ubuntu(distro: Distro) -> bool {
    matches!(distro, Distro::UbuntuNoble | Distro::UbuntuJammy)
}

/// The packages `apt-get install` can install on a release.
pub fn packages(distro: Distro) -> Vec<Package> {
    let v = |t| pick(distro, t);
    // Updated packages live in -updates on Ubuntu; Debian's point releases fold them into the release.
    let updates = if ubuntu(distro) { "-updates" } else { "" };
    let maint = |debian: &'static str| {
        if ubuntu(distro) {
            "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>"
        } else {
            debian
        }
    };
    let vim = v(("2:9.0.1378-2+deb12u2", "2:9.1.0016-1ubuntu7.8", "2:8.2.3995-1ubuntu2.24"));
    let bind = v(("1:9.18.33-1~deb12u2", "1:9.18.30-0ubuntu0.24.04.2", "1:9.18.30-0ubuntu0.22.04.2"));
    vec![
        Package {
            section: "web",
            pocket: updates,
            url: "https://curl.se/",
            maintainer: maint("Debian Curl Maintainers <team+curl@tracker.debian.org>"),
            description: "curl is a command line tool for transferring data with URL syntax, supporting\nDICT, FILE, FTP, FTPS, GOPHER, GOPHERS, HTTP, HTTPS, IMAP, IMAPS, LDAP, LDAPS,\nMQTT, POP3, POP3S, RTMP, RTMPS, RTSP, SCP, SFTP, SMB, SMBS, SMTP, SMTPS,\nTELNET and TFTP.",
            items: vec![guest("usr/bin/curl", "curl")],
            ..Package::new("curl", v(("7.88.1-10+deb12u12", "8.5.0-2ubuntu10.6", "7.81.0-1ubuntu1.20")), "command line tool for transferring data with URL syntax")
        },
        Package {
            section: "net",
            pocket: updates,
            url: "https://www.isc.org/downloads/bind/",
            maintainer: maint("Debian DNS Team <team+dns@tracker.debian.org>"),
            description: "This package delivers various client programs related to DNS that are\nderived from the BIND source tree.\n\n  - dig - query the DNS in various ways\n  - nslookup - the older way to do it",
            items: vec![guest("usr/bin/dig", "dig"), link("usr/bin/nslookup")],
            ..Package::new("bind9-dnsutils", bind, "Clients provided with BIND 9")
        },
        Package {
            section: "net",
            pocket: updates,
            arch_all: true,
            url: "https://www.isc.org/downloads/bind/",
            maintainer: maint("Debian DNS Team <team+dns@tracker.debian.org>"),
            depends: &["bind9-dnsutils"],
            description: "This is a transitional package, it can be safely removed.",
            ..Package::new("dnsutils", bind, "Transitional package for bind9-dnsutils")
        },
        Package {
            section: "net",
            priority: "important",
            url: "https://github.com/iproute2/iproute2",
            maintainer: maint("Debian Kernel Team <debian-kernel@lists.debian.org>"),
            description: "The iproute2 suite is a collection of utilities for networking and\ntraffic control.\n\nThese tools communicate with the Linux kernel via the (rt)netlink\ninterface, providing advanced features not available through the\nlegacy net-tools commands 'ifconfig' and 'route'.",
            items: vec![link("usr/bin/ip")],
            ..Package::new("iproute2", v(("6.1.0-3", "6.1.0-1ubuntu6", "5.15.0-1ubuntu2")), "networking and traffic control tools")
        },
        Package {
            section: "net",
            priority: "important",
            url: "https://github.com/iputils/iputils/",
            maintainer: maint("Noah Meyerhans <noahm@debian.org>"),
            description: "The ping command sends ICMP ECHO_REQUEST packets to a host in order to\ntest if the host is reachable via the network.\n\nThis package includes a ping6 utility which supports IPv6 network\nconnections.",
            items: vec![link("usr/bin/ping")],
            ..Package::new("iputils-ping", v(("3:20221126-1+deb12u1", "3:20240117-1build1", "3:20211215-1")), "Tools to test the reachability of network hosts")
        },
        Package {
            section: "net",
            priority: "important",
            url: "http://sourceforge.net/projects/net-tools/",
            maintainer: maint("Debian Network Tools Maintainers <pkg-net-tools-maintainers@lists.alioth.debian.org>"),
            description: "This package includes the important tools for controlling the network\nsubsystem of the Linux kernel. This includes arp, ifconfig, netstat,\nrarp, nameif and route. Additionally, this package contains utilities\nrelating to particular network hardware types (plipconfig, slattach,\nmii-tool) and advanced aspects of IP configuration (iptunnel, ipmaddr).\n\nIn the upstream package 'hostname' and friends are included. Those are\nnot installed by this package, since there is a special \"hostname*.deb\".",
            items: vec![link("usr/sbin/ifconfig"), link("usr/bin/netstat"), link("usr/sbin/route")],
            ..Package::new("net-tools", v(("2.10-0.1", "2.10-0.1ubuntu4", "1.60+git20181103.0eebece-1ubuntu5")), "NET-3 networking toolkit")
        },
        Package {
            section: "net",
            priority: if ubuntu(distro) { "important" } else { "optional" },
            provides: &["netcat"],
            url: "https://cvsweb.openbsd.org/src/usr.bin/nc/",
            maintainer: maint("Guilhem Moulin <guilhem@debian.org>"),
            description: "A simple Unix utility which reads and writes data across network\nconnections using TCP or UDP protocol. It is designed to be a reliable\n\"back-end\" tool that can be used directly or easily driven by other\nprograms and scripts.",
            items: vec![link("usr/bin/nc")],
            ..Package::new("netcat-openbsd", v(("1.219-1", "1.226-1ubuntu2", "1.218-4ubuntu1")), "TCP/IP swiss army knife")
        },
        Package {
            section: "admin",
            priority: "important",
            pocket: updates,
            url: "https://gitlab.com/procps-ng/procps",
            maintainer: maint("Craig Small <csmall@debian.org>"),
            description: "The procps package contains programs for monitoring your system\nand its processes.",
            items: vec![link("usr/bin/ps"), link("usr/bin/free"), link("usr/bin/top")],
            ..Package::new("procps", v(("2:4.0.2-3", "2:4.0.4-4ubuntu3.2", "2:3.3.17-6ubuntu2.1")), "/proc file system utilities")
        },
        Package {
            section: "misc",
            arch_all: true,
            url: "https://wiki.linuxfoundation.org/lsb/start",
            maintainer: maint("Debian Python Team <team+python@tracker.debian.org>"),
            description: "The Linux Standard Base (http://www.linuxbase.org/) is a standard\ncore system that third-party applications written for Linux can\ndepend upon.\n\nThe lsb_release command is a simple tool to help identify the Linux\ndistribution being used and its compliance with the Linux Standard Base.",
            items: vec![Item::File { path: "usr/bin/lsb_release", mode: 0o755, source: FileSource::Text(LSB_RELEASE) }],
            ..Package::new("lsb-release", v(("12.0-1", "12.0-2", "11.1.0ubuntu4")), "Linux Standard Base version reporting utility")
        },
        Package {
            section: "editors",
            pocket: updates,
            url: "https://www.vim.org/",
            maintainer: maint("Debian Vim Maintainers <team+vim@tracker.debian.org>"),
            suggests: &["ctags", "vim-doc", "vim-scripts"],
            description: "Vim is an almost compatible version of the UNIX editor Vi.\n\nThis package contains a version of vim compiled with a rather\nstandard set of features.  This package does not provide a GUI\nversion of Vim.  See the other vim-* packages if you need more\n(or less).\n\nIn the playground, vim is the BusyBox-style vi editor.",
            items: [vec![link("usr/bin/vim")], vi_alternative("/usr/bin/vim")].concat(),
            ..Package::new("vim", vim, "Vi IMproved - enhanced vi editor")
        },
        Package {
            section: "editors",
            priority: "important",
            pocket: updates,
            url: "https://www.vim.org/",
            maintainer: maint("Debian Vim Maintainers <team+vim@tracker.debian.org>"),
            description: "Vim is an almost compatible version of the UNIX editor Vi.\n\nThis package contains a minimal version of Vim compiled with no GUI and\na small subset of features. This package's sole purpose is to provide\nthe vi binary for base installations.\n\nIn the playground, vi is the BusyBox-style vi editor.",
            items: vi_alternative("/bin/busybox"),
            ..Package::new("vim-tiny", vim, "Vi IMproved - enhanced vi editor - compact version")
        },
        Package {
            section: "utils",
            url: "http://infozip.sourceforge.net/UnZip.html",
            maintainer: maint("Santiago Vila <sanvila@debian.org>"),
            description: "InfoZIP's unzip program. With the exception of multi-volume archives\n(ie, .ZIP files that are split across several disks using PKZIP's /& option),\nthis can handle any file produced either by PKZIP, or the corresponding\nInfoZIP zip program.\n\nIn the playground, unzip is BusyBox's (stored and deflated members).",
            items: vec![link("usr/bin/unzip")],
            ..Package::new("unzip", v(("6.0-28", "6.0-28ubuntu4.1", "6.0-26ubuntu3.2")), "De-archiver for .zip files")
        },
        Package {
            section: "web",
            priority: "standard",
            pocket: updates,
            url: "https://www.gnu.org/software/wget/",
            maintainer: maint("Noël Köthe <noel@debian.org>"),
            description: "Wget is a network utility to retrieve files from the web\nusing HTTP(S) and FTP, the two most widely used internet\nprotocols.",
            items: vec![link("usr/bin/wget")],
            ..Package::new("wget", v(("1.21.3-1+b2", "1.21.4-1ubuntu4.1", "1.21.2-2ubuntu1.1")), "retrieves files from the web")
        },
    ]
}

/// The packages of a base image: identity, and which of the image's paths each owns (an applet
/// link belongs to the package that provides that command on a real system).
pub fn base_packages(distro: Distro) -> Vec<(Package, Owns)> {
    let v = |t| pick(distro, t);
    let essential = |name, version, section, summary, owns| {
        (Package { section, priority: "required", ..Package::new(name, version, summary) }, owns)
    };
    vec![
        essential(
            "apt",
            v(("2.6.1", "2.7.14build2", "2.4.13")),
            "admin",
            "commandline package manager",
            Owns::Paths(&["usr/bin/apt-get", "usr/bin/apt", "usr/bin/apt-cache"]),
        ),
        essential(
            "base-files",
            v(("12.4+deb12u10", "13ubuntu10.2", "12ubuntu4.7")),
            "admin",
            "Debian base system miscellaneous files",
            Owns::Paths(&["etc/os-release", "etc/issue", "etc/debian_version"]),
        ),
        essential(
            "bash",
            v(("5.2.15-2+b7", "5.2.21-2ubuntu4", "5.1-6ubuntu1.1")),
            "shells",
            "GNU Bourne Again SHell",
            Owns::Applets(&["bash"]),
        ),
        essential(
            "busybox",
            v(("1:1.35.0-4+b3", "1:1.36.1-6ubuntu3.1", "1:1.30.1-7ubuntu3.1")),
            "utils",
            "Tiny utilities for small and embedded systems",
            Owns::Paths(&["bin/busybox"]),
        ),
        essential(
            "coreutils",
            v(("9.1-1", "9.4-3ubuntu6", "8.32-4.1ubuntu1.2")),
            "utils",
            "GNU core utilities",
            Owns::Applets(COREUTILS),
        ),
        essential(
            "dash",
            v(("0.5.12-2", "0.5.12-6ubuntu5", "0.5.11+git20210903+057cd650a4ed-3build1")),
            "shells",
            "POSIX-compliant shell",
            Owns::Applets(&["sh"]),
        ),
        essential(
            "debianutils",
            v(("5.7-0.5~deb12u1", "5.17build1", "5.5-1ubuntu2")),
            "utils",
            "Miscellaneous utilities specific to Debian",
            Owns::Applets(&["which"]),
        ),
        essential(
            "dpkg",
            v(("1.21.22", "1.22.6ubuntu6.1", "1.21.1ubuntu2.3")),
            "admin",
            "Debian package management system",
            Owns::Paths(&["usr/bin/dpkg"]),
        ),
        essential(
            "findutils",
            v(("4.9.0-4", "4.9.0-5build1", "4.8.0-1ubuntu3")),
            "utils",
            "utilities for finding files--find, xargs",
            Owns::Applets(&["find", "xargs"]),
        ),
        essential(
            "grep",
            v(("3.8-5", "3.11-4build1", "3.7-1build1")),
            "utils",
            "GNU grep, egrep and fgrep",
            Owns::Applets(&["grep", "egrep", "fgrep"]),
        ),
        essential(
            "hostname",
            v(("3.23+nmu1", "3.23+nmu2ubuntu2", "3.23ubuntu2")),
            "admin",
            "utility to set/show the host name or domain name",
            Owns::Applets(&["hostname"]),
        ),
        essential(
            "sed",
            v(("4.9-1", "4.9-2build1", "4.8-1ubuntu2")),
            "utils",
            "GNU stream editor for filtering/transforming text",
            Owns::Applets(&["sed"]),
        ),
    ]
}

/// What a base package owns in the image.
#[derive(Debug, Clone, Copy)]
pub enum Owns {
    /// These paths.
    Paths(&'static [&'static str]),
    /// The links of these applets, wherever the image put them.
    Applets(&'static [&'static str]),
}

/// The commands GNU coreutils provides, among the userland's applets.
const COREUTILS: &[&str] = &[
    "[", "basename", "cat", "chmod", "cp", "cut", "date", "df", "dirname", "du", "echo", "env", "false", "head", "id",
    "ln", "ls", "mkdir", "mv", "printenv", "printf", "pwd", "rm", "rmdir", "seq", "sleep", "sort", "stat", "tail",
    "tee", "test", "touch", "tr", "true", "uname", "uniq", "wc", "whoami", "yes",
];
