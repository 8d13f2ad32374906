//! The host's own filesystem: the learner's machine, where the Docker daemon runs. It holds the
//! learner's home directory (`/home/eleve`, the shell's `~`), `/etc/hosts`, and whatever the
//! learner creates: Dockerfiles and build contexts, tar files from `docker save`, sources
//! bind-mounted into containers. The daemon sees it because it runs on this host.

use crate::fs::{Fs, FsError};

/// The learner's login and home directory.
pub const USER: &str = "eleve";
pub const HOME: &str = "/home/eleve";

/// A fresh host filesystem.
pub fn new_host_fs() -> Result<Fs, FsError> {
    let fs = Fs::new();
    for dir in ["/tmp", "/etc", "/usr/local/bin", HOME] {
        fs.mkdir_p(dir, 0o755)?;
    }
    // Anyone may create files in /tmp (each removes only their own), and the learner's home
    // is theirs.
    fs.lookup("/tmp", false)?.borrow_mut().meta.mode = 0o1777;
    fs.write_file("/etc/hostname", b"playground\n".to_vec(), 0o644)?;
    fs.write_file(
        "/etc/hosts",
        b"127.0.0.1\tlocalhost\n127.0.1.1\tplayground\n::1\tlocalhost ip6-localhost ip6-loopback\n".to_vec(),
        0o644,
    )?;
    own_home(&fs);
    // A local stub resolver, as on Ubuntu: containers on the default bridge cannot use it, so
    // Docker gives them its fallback servers (see `network::resolv`).
    fs.write_file("/etc/resolv.conf", b"nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n".to_vec(), 0o644)?;
    Ok(fs)
}

/// Gives the learner's home directory to the learner's account (uid and gid 1000), as
/// `adduser` would, and `/etc/hosts` too: the labs have the learner edit it (`sudo` on a real
/// machine; the playground has no administrator apart from the learner).
pub fn own_home(fs: &Fs) {
    for path in [HOME, "/etc/hosts"] {
        if let Ok(node) = fs.lookup(path, true) {
            let mut n = node.borrow_mut();
            n.meta.uid = 1000;
            n.meta.gid = 1000;
        }
    }
}

/// Gives `path` (and everything under it) to the learner's account: what the `docker` client
/// writes on the host (`docker save -o`, `docker cp` out of a container, `~/.docker`) belongs
/// to the user who ran it.
pub fn give_to_learner(fs: &Fs, path: &str) {
    fn chown(node: &crate::fs::NodeRef, depth: usize) {
        let children: Vec<crate::fs::NodeRef> = {
            let mut n = node.borrow_mut();
            n.meta.uid = 1000;
            n.meta.gid = 1000;
            match &n.kind {
                crate::fs::NodeKind::Dir(entries) if depth < 64 => entries.values().cloned().collect(),
                _ => Vec::new(),
            }
        };
        for c in children {
            chown(&c, depth + 1);
        }
    }
    if let Ok(node) = fs.lookup(path, false) {
        chown(&node, 0);
    }
}

/// Resolves `path` against the working directory `cwd`, expanding a leading `~`.
pub fn absolute(cwd: &str, path: &str) -> String {
    let path = match path.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("{HOME}{rest}"),
        _ => path.to_string(),
    };
    if path.starts_with('/') {
        path
    } else {
        format!("{}/{path}", cwd.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_working_directory_and_home() {
        assert_eq!(absolute("/home/eleve", "app.tar"), "/home/eleve/app.tar");
        assert_eq!(absolute("/tmp", "~/x"), "/home/eleve/x");
        assert_eq!(absolute("/tmp", "/etc/hosts"), "/etc/hosts");
        let fs = new_host_fs().unwrap();
        assert!(fs.read_dir(HOME).unwrap().is_empty());
    }
}
