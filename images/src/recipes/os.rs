//! The base images: `hello-world`, `busybox`, `alpine`, `ubuntu`, `debian`. They all run the
//! playground's multicall userland (a BusyBox-style `sh` and coreutils); what differs is the
//! layout around it, `/etc/os-release`, the default command, and `bash` on the Debian family.

use super::{linux_base, FileSource, Item, LayerSpec, Recipe, PATH_ENV};
use crate::packages::Distro;
use engine::image::ContainerConfig;

/// Applets Alpine installs in /usr/bin rather than /bin.
const USR_BIN: &[&str] = &[
    "[", "awk", "basename", "clear", "cut", "dirname", "du", "env", "find", "free", "head", "id", "nc", "nslookup",
    "printf", "seq", "sort", "tail", "tee", "test", "tr", "uniq", "wc", "wget", "which", "whoami", "xargs", "yes",
];

/// Applets Alpine installs in /sbin (system administration).
const SBIN: &[&str] = &["ifconfig", "ip", "route"];

/// The network tools of BusyBox. Debian and Ubuntu images do not have them: `ping` comes with
/// iputils-ping, `ip` with iproute2, `ifconfig`/`netstat`/`route` with net-tools, `wget`, `nc`
/// and `nslookup` with their own packages (`apt-get install`).
const NET_APPLETS: &[&str] = &["ifconfig", "ip", "nc", "netstat", "nslookup", "ping", "route", "wget"];

fn config(cmd: &str) -> ContainerConfig {
    ContainerConfig { env: vec![PATH_ENV.into()], cmd: Some(vec![cmd.into()]), ..ContainerConfig::default() }
}

/// The multicall binary and its applet links, without the applets in `exclude`.
fn userland(exclude: &'static [&'static str]) -> Vec<Item> {
    vec![
        Item::File { path: "bin/busybox", mode: 0o755, source: FileSource::Guest("busybox") },
        Item::Applets { usr_bin: USR_BIN, sbin: SBIN, exclude },
    ]
}

pub fn hello_world() -> Recipe {
    Recipe {
        repository: "library/hello-world",
        tags: &["latest", "linux"],
        description: "Hello World! (an example of minimal Dockerization)",
        stars: 2437,
        official: true,
        created: "2025-08-13T09:12:00Z",
        layers: vec![LayerSpec {
            created_by: "COPY hello / # buildkit",
            items: vec![Item::File { path: "hello", mode: 0o755, source: FileSource::Guest("hello") }],
        }],
        config: ContainerConfig { working_dir: "/".into(), ..config("/hello") },
        metadata_history: vec!["CMD [\"/hello\"]"],
    }
}

pub fn busybox() -> Recipe {
    let mut items = linux_base("/bin/sh\n");
    items.extend(userland(&[]));
    Recipe {
        repository: "library/busybox",
        tags: &["latest", "1.37", "stable", "musl"],
        description: "Busybox base image.",
        stars: 3342,
        official: true,
        created: "2025-09-26T17:41:08Z",
        layers: vec![LayerSpec { created_by: "BusyBox 1.37.0 (musl), Debian bookworm", items }],
        config: config("sh"),
        metadata_history: vec!["CMD [\"sh\"]"],
    }
}

pub fn alpine() -> Recipe {
    let mut items = linux_base("/bin/sh\n/bin/ash\n");
    items.extend(userland(&[]));
    items.extend([
        Item::file(
            "etc/os-release",
            0o644,
            "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME=\"Alpine Linux v3.21\"\nHOME_URL=\"https://alpinelinux.org/\"\nBUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n",
        ),
        Item::file("etc/alpine-release", 0o644, "3.21.3\n"),
        Item::file("etc/motd", 0o644, "Welcome to Alpine!\n\nThe Alpine Wiki contains a large amount of how-to guides and general\ninformation about administrating Alpine systems.\nSee <https://wiki.alpinelinux.org/>.\n\nYou can setup the system with the command: setup-alpine\n\nYou may change this message by editing /etc/motd.\n\n"),
        Item::dir("etc/apk", 0o755),
        Item::file("etc/apk/repositories", 0o644, "https://dl-cdn.alpinelinux.org/alpine/v3.21/main\nhttps://dl-cdn.alpinelinux.org/alpine/v3.21/community\n"),
    ]);
    items.extend(super::pkgtools::apk());
    items.push(Item::PackageDb(Distro::Alpine));
    Recipe {
        repository: "library/alpine",
        tags: &["latest", "3", "3.21", "3.21.3"],
        description:
            "A minimal Docker image based on Alpine Linux with a complete package index and only 5 MB in size!",
        stars: 11238,
        official: true,
        created: "2025-02-14T03:28:36Z",
        layers: vec![LayerSpec { created_by: "ADD alpine-minirootfs-3.21.3-x86_64.tar.gz / # buildkit", items }],
        config: config("/bin/sh"),
        metadata_history: vec!["CMD [\"/bin/sh\"]"],
    }
}

/// `/etc/bash.bashrc` of the Debian family (the prompt part of Debian's file): what sets the
/// prompt of an interactive `bash`, `root@<hostname>:/# `.
const BASH_BASHRC: &str = r#"# System-wide .bashrc file for interactive bash(1) shells.

# To enable the settings / commands in this file for login shells as well,
# this file has to be sourced in /etc/profile.

# If not running interactively, don't do anything
[ -z "$PS1" ] && return

# set variable identifying the chroot you work in (used in the prompt below)
if [ -z "${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then
    debian_chroot=$(cat /etc/debian_chroot)
fi

# set a fancy prompt (non-color, overwrite the one in /etc/profile)
# but only if not SUDOing and have SUDO_PS1 set; then assume smart user.
if ! [ -n "${SUDO_USER}" -a -n "${SUDO_PS1}" ]; then
  PS1='${debian_chroot:+($debian_chroot)}\u@\h:\w\$ '
fi
"#;

/// `/root/.bashrc` of the Debian family (the prompt part of `/etc/skel/.bashrc`).
const ROOT_BASHRC: &str = r#"# ~/.bashrc: executed by bash(1) for non-login shells.

# If not running interactively, don't do anything
[ -z "$PS1" ] && return

# set variable identifying the chroot you work in (used in the prompt below)
if [ -z "${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then
    debian_chroot=$(cat /etc/debian_chroot)
fi

PS1='${debian_chroot:+($debian_chroot)}\u@\h:\w\$ '

# some more ls aliases
alias ll='ls -alF'
alias la='ls -A'
alias l='ls -CF'
"#;

/// The Debian family: `bash` is the shell, and `/bin/sh` too.
fn debian_family(distro: Distro, pretty: &'static str, os_release: &'static str) -> Vec<Item> {
    let mut items = linux_base("/bin/sh\n/bin/bash\n/usr/bin/bash\n");
    items.extend(userland(NET_APPLETS));
    items.extend([
        Item::file("etc/os-release", 0o644, os_release),
        Item::file("etc/issue", 0o644, pretty),
        Item::dir("etc/apt", 0o755),
        Item::dir("var/lib/apt", 0o755),
        Item::dir("var/lib/dpkg", 0o755),
        Item::file("etc/bash.bashrc", 0o644, BASH_BASHRC),
        Item::file("root/.bashrc", 0o644, ROOT_BASHRC),
    ]);
    items.extend(super::pkgtools::apt(distro));
    items.push(Item::PackageDb(distro));
    items
}

/// One Ubuntu release (`24.04`, `22.04`): same userland, its own os-release.
pub fn ubuntu(version: &'static str, tags: &'static [&'static str]) -> Recipe {
    let (full, codename, title) = match version {
        "22.04" => ("22.04.5 LTS", "jammy", "Jammy Jellyfish"),
        _ => ("24.04.2 LTS", "noble", "Noble Numbat"),
    };
    let os_release: &'static str = Box::leak(
        format!(
            "PRETTY_NAME=\"Ubuntu {full}\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"{version}\"\nVERSION=\"{full} ({title})\"\nVERSION_CODENAME={codename}\nID=ubuntu\nID_LIKE=debian\nHOME_URL=\"https://www.ubuntu.com/\"\nUBUNTU_CODENAME={codename}\n"
        )
        .into_boxed_str(),
    );
    let issue: &'static str = Box::leak(format!("Ubuntu {full} \\n \\l\n").into_boxed_str());
    Recipe {
        repository: "library/ubuntu",
        tags,
        description: "Ubuntu is a Debian-based Linux operating system based on free software.",
        stars: 17421,
        official: true,
        created: if version == "22.04" { "2025-04-08T10:17:42Z" } else { "2025-04-08T10:18:03Z" },
        layers: vec![LayerSpec {
            created_by: "/bin/sh -c #(nop) ADD file:ubuntu-oci-amd64-root.tar.gz in / ",
            items: debian_family(
                if version == "22.04" { Distro::UbuntuJammy } else { Distro::UbuntuNoble },
                issue,
                os_release,
            ),
        }],
        config: config("/bin/bash"),
        metadata_history: vec!["/bin/sh -c #(nop)  CMD [\"/bin/bash\"]"],
    }
}

pub fn debian() -> Recipe {
    let items = debian_family(
        Distro::Debian,
        "Debian GNU/Linux 12 \\n \\l\n",
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n",
    );
    Recipe {
        repository: "library/debian",
        tags: &["latest", "12", "bookworm", "stable"],
        description: "Debian is a Linux distribution that's composed entirely of free and open-source software.",
        stars: 5132,
        official: true,
        created: "2025-04-28T00:00:00Z",
        layers: vec![LayerSpec { created_by: "# debian.sh --arch 'amd64' out/ 'bookworm' '@1745798400'", items }],
        config: config("bash"),
        metadata_history: vec!["CMD [\"bash\"]"],
    }
}
