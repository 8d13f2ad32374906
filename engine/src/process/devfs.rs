//! `/dev`: device files. On Linux a device file is a name for a driver, not for data:
//! `/dev/null` swallows what is written and reads as empty, `/dev/zero` reads as endless zero
//! bytes, `/dev/urandom` as random ones, `/dev/tty` is the process's own terminal. Docker mounts a
//! small `tmpfs` on a container's `/dev` holding these (whatever the image has there), plus
//! `/dev/stdin`, `/dev/stdout`, `/dev/stderr` and `/dev/fd`, which are symbolic links into
//! `/proc/self/fd`: opening `/dev/stdout` opens whatever the process's descriptor 1 is.
//!
//! This module names the devices and says what is at a path under `/dev`; other names there
//! are looked up in the container's own filesystem (`vfs`). Opening a device gives a descriptor
//! the WASI layer knows ([`crate::process::fdtable::Fd`]).

use super::errno::Errno;

/// A character device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// Reads end at once, writes vanish.
    Null,
    /// Reads give zero bytes, writes vanish.
    Zero,
    /// Reads give zero bytes, writes fail: the disk is full (`ENOSPC`).
    Full,
    /// Reads give random bytes (both are the machine's entropy source here).
    Random,
    Urandom,
    /// The process's controlling terminal (`ENXIO` without one).
    Tty,
}

impl Device {
    /// The device's name under `/dev`.
    pub fn name(self) -> &'static str {
        match self {
            Device::Null => "null",
            Device::Zero => "zero",
            Device::Full => "full",
            Device::Random => "random",
            Device::Urandom => "urandom",
            Device::Tty => "tty",
        }
    }

    /// (major, minor) device numbers, as on Linux.
    pub fn numbers(self) -> (u32, u32) {
        match self {
            Device::Null => (1, 3),
            Device::Zero => (1, 5),
            Device::Full => (1, 7),
            Device::Random => (1, 8),
            Device::Urandom => (1, 9),
            Device::Tty => (5, 0),
        }
    }
}

const DEVICES: [Device; 6] = [Device::Null, Device::Zero, Device::Full, Device::Random, Device::Urandom, Device::Tty];

/// The symbolic links Docker puts in `/dev`: (name, target).
const LINKS: [(&str, &str); 5] = [
    ("fd", "/proc/self/fd"),
    ("stdin", "/proc/self/fd/0"),
    ("stdout", "/proc/self/fd/1"),
    ("stderr", "/proc/self/fd/2"),
    ("core", "/proc/kcore"),
];

/// Something under `/dev` this module serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// `/dev` itself.
    Dir,
    Device(Device),
    /// A symbolic link and its target.
    Link(&'static str),
}

/// What a path under `/dev` leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Node(Node),
    /// Through one of the links: resolve this absolute path again.
    Redirect(String),
    /// A name this module does not serve (`/dev/shm`...): the container's filesystem has it, or
    /// nothing does.
    NotOurs,
}

/// The names in `/dev` served here, with their nodes.
pub fn entries() -> impl Iterator<Item = (&'static str, Node)> {
    DEVICES.iter().map(|&d| (d.name(), Node::Device(d))).chain(LINKS.iter().map(|&(name, to)| (name, Node::Link(to))))
}

/// Whether `name` is a name in `/dev` served here.
pub fn is_ours(name: &str) -> bool {
    entries().any(|(n, _)| n == name)
}

/// Resolves `path` (relative to `/dev`, without `.` or `..`). With `follow`, a link in the
/// last component is followed.
pub fn lookup(path: &str, follow: bool) -> Result<Found, Errno> {
    let parts: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let Some((&name, rest)) = parts.split_first() else {
        return Ok(Found::Node(Node::Dir));
    };
    let Some((_, node)) = entries().find(|(n, _)| *n == name) else {
        return Ok(Found::NotOurs);
    };
    match node {
        Node::Link(target) if follow || !rest.is_empty() => {
            let mut path = target.to_string();
            for part in rest {
                path.push('/');
                path.push_str(part);
            }
            Ok(Found::Redirect(path))
        }
        _ if !rest.is_empty() => Err(Errno::NOTDIR),
        node => Ok(Found::Node(node)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_links_and_other_names() {
        assert_eq!(lookup("", true), Ok(Found::Node(Node::Dir)));
        assert_eq!(lookup("null", true), Ok(Found::Node(Node::Device(Device::Null))));
        assert_eq!(lookup("urandom", false), Ok(Found::Node(Node::Device(Device::Urandom))));
        assert_eq!(lookup("null/x", true), Err(Errno::NOTDIR));
        assert_eq!(lookup("stdout", false), Ok(Found::Node(Node::Link("/proc/self/fd/1"))));
        assert_eq!(lookup("stdout", true), Ok(Found::Redirect("/proc/self/fd/1".into())));
        assert_eq!(lookup("fd/3", false), Ok(Found::Redirect("/proc/self/fd/3".into())));
        assert_eq!(lookup("shm/x", true), Ok(Found::NotOurs));
        assert!(is_ours("tty") && is_ours("stderr") && !is_ours("pts"));
        assert_eq!(Device::Urandom.numbers(), (1, 9));
    }
}
