//! The skeleton every Linux image shares: the Filesystem Hierarchy Standard folders, the users
//! and groups files, and the shell's profile. The distribution-specific files (os-release, the
//! package manager's folders) are added by each image's recipe.

use super::Item;

pub const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n";
const GROUP: &str =
    "root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nnogroup:x:65533:\nnobody:x:65534:\n";

/// Folders, users and groups; `shells` is the content of `/etc/shells`.
pub fn linux_base(shells: &'static str) -> Vec<Item> {
    let mut items: Vec<Item> = [
        ("bin", 0o755),
        ("dev", 0o755),
        ("etc", 0o755),
        ("home", 0o755),
        ("lib", 0o755),
        ("mnt", 0o755),
        ("opt", 0o755),
        ("proc", 0o555),
        ("root", 0o700),
        ("run", 0o755),
        ("sbin", 0o755),
        ("srv", 0o755),
        ("sys", 0o555),
        ("tmp", 0o1777),
        ("usr", 0o755),
        ("usr/bin", 0o755),
        ("usr/lib", 0o755),
        ("usr/local", 0o755),
        ("usr/local/bin", 0o755),
        ("usr/sbin", 0o755),
        ("usr/share", 0o755),
        ("var", 0o755),
        ("var/cache", 0o755),
        ("var/lib", 0o755),
        ("var/log", 0o755),
        ("var/tmp", 0o1777),
    ]
    .into_iter()
    .map(|(path, mode)| Item::dir(path, mode))
    .collect();
    items.push(Item::file("etc/passwd", 0o644, PASSWD));
    items.push(Item::file("etc/group", 0o644, GROUP));
    items.push(Item::file("etc/shells", 0o644, shells));
    items
}
