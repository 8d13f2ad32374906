//! The package managers of the base images, with the files they read: `apk` and
//! `/etc/apk/repositories` on Alpine; `apt-get`, `apt`, `apt-cache`, `dpkg` and the APT sources on
//! Debian and Ubuntu (plus the `docker-clean` hook the official images ship, which deletes the
//! downloaded `.deb` files after each install). All are applets of the `pkg` guest program,
//! which dispatches on the name it is started as.

use super::{FileSource, Item};
use crate::packages::Distro;

/// Alpine's `apk` and its configuration. The installed database comes last ([`Item::PackageDb`]).
pub fn apk() -> Vec<Item> {
    vec![
        Item::File { path: "sbin/apk", mode: 0o755, source: FileSource::Guest("pkg") },
        Item::file("etc/apk/arch", 0o644, "x86_64\n"),
        Item::dir("etc/apk/keys", 0o755),
        Item::dir("etc/apk/protected_paths.d", 0o755),
    ]
}

const DOCKER_CLEAN: &str = "# Since for most Docker users, package installs happen in \"docker build\" steps,\n# they essentially become individual layers due to the way Docker handles\n# layering, especially using CoW filesystems.  What this means for us is that\n# the caches that APT keeps end up just wasting space in those layers, making\n# our layers unnecessarily large (especially since we'll normally never use\n# these caches again and will instead just \"docker build\" again and make a brand\n# new image).\n\n# Ideally, these would just be invoking \"apt-get clean\", but in our testing,\n# that ended up being cyclic and we got stuck on APT's lock, so we get this fun\n# creation that's essentially just \"apt-get clean\".\nDPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\nAPT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\n\nDir::Cache::pkgcache \"\";\nDir::Cache::srcpkgcache \"\";\n\n# Note that we do realize this isn't the ideal way to do this, and are always\n# open to better suggestions (https://github.com/debuerreotype/debuerreotype/issues).\n";

const DEBIAN_SOURCES: &str = "Types: deb\n# http://snapshot.debian.org/archive/debian/20250428T000000Z\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\n# http://snapshot.debian.org/archive/debian-security/20250428T000000Z\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n";

const NOBLE_SOURCES: &str = "# Ubuntu sources have moved to the /etc/apt/sources.list.d/ubuntu.sources\n# file, which uses the deb822 format. Use deb822-formatted .sources files\n# to manage package sources in the /etc/apt/sources.list.d/ directory.\n# See the sources.list(5) manual page for details.\n";

const NOBLE_UBUNTU_SOURCES: &str = "## Ubuntu distribution repository\n##\n## The following settings can be adjusted to configure which packages to use from Ubuntu.\n## Mirror your choices (except for URIs and Suites) in the security section below to\n## ensure timely security updates.\n##\n## Types: Append deb-src to enable the fetching of source package.\n## URIs: A URL to the repository (you may add multiple URLs)\n## Suites: Two suites are essential: the codename, and the -updates suite. The -backports\n##         suite is optional. The -security suite is configured separately below.\n## Components: main restricted universe multiverse\n##\n## See the sources.list(5) manual page for further settings.\nTypes: deb\nURIs: http://archive.ubuntu.com/ubuntu/\nSuites: noble noble-updates noble-backports\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\n## Ubuntu security updates. Aside from URIs and Suites,\n## this should mirror your choices in the previous section.\nTypes: deb\nURIs: http://security.ubuntu.com/ubuntu/\nSuites: noble-security\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n";

const JAMMY_SOURCES: &str = "# See http://help.ubuntu.com/community/UpgradeNotes for how to upgrade to\n# newer versions of the distribution.\ndeb http://archive.ubuntu.com/ubuntu/ jammy main restricted\n# deb-src http://archive.ubuntu.com/ubuntu/ jammy main restricted\n\n## Major bug fix updates produced after the final release of the\n## distribution.\ndeb http://archive.ubuntu.com/ubuntu/ jammy-updates main restricted\n\n## N.B. software from this repository is ENTIRELY UNSUPPORTED by the Ubuntu\n## team. Also, please note that software in universe WILL NOT receive any\n## review or updates from the Ubuntu security team.\ndeb http://archive.ubuntu.com/ubuntu/ jammy universe\ndeb http://archive.ubuntu.com/ubuntu/ jammy-updates universe\n\n## N.B. software from this repository is ENTIRELY UNSUPPORTED by the Ubuntu\n## team, and may not be under a free licence. Please satisfy yourself as to\n## your rights to use the software. Also, please note that software in\n## multiverse WILL NOT receive any review or updates from the Ubuntu\n## security team.\ndeb http://archive.ubuntu.com/ubuntu/ jammy multiverse\ndeb http://archive.ubuntu.com/ubuntu/ jammy-updates multiverse\n\n## N.B. software from this repository may not have been tested as\n## extensively as that contained in the main release, although it includes\n## newer versions of some applications which may provide useful features.\n## Also, please note that software in backports WILL NOT receive any review\n## or updates from the Ubuntu security team.\ndeb http://archive.ubuntu.com/ubuntu/ jammy-backports main restricted universe multiverse\n\ndeb http://security.ubuntu.com/ubuntu/ jammy-security main restricted\ndeb http://security.ubuntu.com/ubuntu/ jammy-security universe\ndeb http://security.ubuntu.com/ubuntu/ jammy-security multiverse\n";

/// APT and dpkg for a Debian-family release, with its sources.
pub fn apt(distro: Distro) -> Vec<Item> {
    let mut items = vec![
        Item::File { path: "usr/bin/apt-get", mode: 0o755, source: FileSource::Guest("pkg") },
        Item::Link { path: "usr/bin/apt", target: "apt-get" },
        Item::Link { path: "usr/bin/apt-cache", target: "apt-get" },
        Item::Link { path: "usr/bin/dpkg", target: "apt-get" },
        Item::dir("etc/apt/apt.conf.d", 0o755),
        Item::file("etc/apt/apt.conf.d/docker-clean", 0o644, DOCKER_CLEAN),
        Item::dir("etc/apt/sources.list.d", 0o755),
        Item::dir("var/lib/apt/lists", 0o755),
        Item::dir("var/lib/apt/lists/partial", 0o700),
        Item::dir("var/cache/apt", 0o755),
        Item::dir("var/cache/apt/archives", 0o755),
        Item::dir("var/cache/apt/archives/partial", 0o700),
    ];
    match distro {
        Distro::UbuntuNoble => {
            items.push(Item::file("etc/apt/sources.list", 0o644, NOBLE_SOURCES));
            items.push(Item::file("etc/apt/sources.list.d/ubuntu.sources", 0o644, NOBLE_UBUNTU_SOURCES));
            items.push(Item::file("etc/debian_version", 0o644, "trixie/sid\n"));
        }
        Distro::UbuntuJammy => {
            items.push(Item::file("etc/apt/sources.list", 0o644, JAMMY_SOURCES));
            items.push(Item::file("etc/debian_version", 0o644, "bookworm/sid\n"));
        }
        Distro::Debian | Distro::Alpine => {
            items.push(Item::file("etc/apt/sources.list.d/debian.sources", 0o644, DEBIAN_SOURCES));
            items.push(Item::file("etc/debian_version", 0o644, "12.10\n"));
        }
    }
    items
}
