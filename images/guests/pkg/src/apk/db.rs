//! Alpine's package records: the `APKINDEX` of a repository and the installed database
//! (`/lib/apk/db/installed`) share one format, a record per package with one field per line
//! (`P:curl`, `V:8.12.1-r1`, `D:deps`, `p:provides`...), records separated by an empty line.
//! The installed database adds the files each package owns: `F:` a folder, `R:` a file in it,
//! `a:` its owner and mode when not `0:0:644`, `Z:` its checksum.

/// One package, as an index or the installed database describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pkg {
    /// `Q1...`: identity of the package's control part.
    pub checksum: String,
    pub name: String,
    pub version: String,
    pub arch: String,
    /// Archive size.
    pub size: u64,
    pub installed_size: u64,
    pub description: String,
    pub url: String,
    pub license: String,
    pub origin: String,
    pub maintainer: String,
    pub build_time: String,
    pub depends: Vec<String>,
    pub provides: Vec<String>,
    /// Installed packages: owned folders, each with its files.
    pub dirs: Vec<OwnedDir>,
    /// Index packages: the repository (by its position in `/etc/apk/repositories`).
    pub repo: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedDir {
    pub path: String,
    pub files: Vec<OwnedFile>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedFile {
    pub name: String,
    /// `a:` field (`0:0:755`), empty for the default.
    pub acl: String,
    pub checksum: String,
}

impl Pkg {
    /// `curl-8.12.1-r1`.
    pub fn name_version(&self) -> String {
        format!("{}-{}", self.name, self.version)
    }

    /// Whether this package answers to `name` (its own name or one it provides).
    pub fn provides_name(&self, name: &str) -> bool {
        self.name == name || self.provides.iter().any(|p| dep_name(p) == name)
    }

    /// Every file path it owns, relative to `/`.
    pub fn file_paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        for d in &self.dirs {
            for f in &d.files {
                out.push(if d.path.is_empty() { f.name.clone() } else { format!("{}/{}", d.path, f.name) });
            }
        }
        out
    }
}

/// The name a dependency or provide names: `so:libc.musl-x86_64.so.1`, `cmd:curl=8.12.1-r1` -> `cmd:curl`.
pub fn dep_name(dep: &str) -> &str {
    let dep = dep.trim_start_matches('!');
    let end = dep.find(['=', '<', '>', '~']).unwrap_or(dep.len());
    &dep[..end]
}

/// Parses records (an APKINDEX or the installed database).
pub fn parse(text: &str) -> Vec<Pkg> {
    let mut out = Vec::new();
    for record in text.split("\n\n") {
        let mut p = Pkg::default();
        for line in record.lines() {
            let Some((key, value)) = line.split_once(':') else { continue };
            let value = value.to_string();
            match key {
                "C" => p.checksum = value,
                "P" => p.name = value,
                "V" => p.version = value,
                "A" => p.arch = value,
                "S" => p.size = value.parse().unwrap_or(0),
                "I" => p.installed_size = value.parse().unwrap_or(0),
                "T" => p.description = value,
                "U" => p.url = value,
                "L" => p.license = value,
                "o" => p.origin = value,
                "m" => p.maintainer = value,
                "t" => p.build_time = value,
                "D" => p.depends = value.split_whitespace().map(str::to_string).collect(),
                "p" => p.provides = value.split_whitespace().map(str::to_string).collect(),
                "F" => p.dirs.push(OwnedDir { path: value, files: Vec::new() }),
                "R" => {
                    if p.dirs.is_empty() {
                        p.dirs.push(OwnedDir::default());
                    }
                    if let Some(d) = p.dirs.last_mut() {
                        d.files.push(OwnedFile { name: value, ..OwnedFile::default() });
                    }
                }
                "a" | "Z" => {
                    if let Some(f) = p.dirs.last_mut().and_then(|d| d.files.last_mut()) {
                        if key == "a" {
                            f.acl = value;
                        } else {
                            f.checksum = value;
                        }
                    }
                }
                _ => {}
            }
        }
        if !p.name.is_empty() {
            out.push(p);
        }
    }
    out
}

/// The record of a package, as apk writes it (with its files when `files`).
pub fn record(p: &Pkg, files: bool) -> String {
    let mut r = format!("C:{}\nP:{}\nV:{}\n", p.checksum, p.name, p.version);
    if !p.arch.is_empty() {
        r.push_str(&format!("A:{}\n", p.arch));
    }
    r.push_str(&format!("S:{}\nI:{}\nT:{}\nU:{}\nL:{}\n", p.size, p.installed_size, p.description, p.url, p.license));
    for (key, value) in [("o", &p.origin), ("m", &p.maintainer), ("t", &p.build_time)] {
        if !value.is_empty() {
            r.push_str(&format!("{key}:{value}\n"));
        }
    }
    if !p.depends.is_empty() {
        r.push_str(&format!("D:{}\n", p.depends.join(" ")));
    }
    if !p.provides.is_empty() {
        r.push_str(&format!("p:{}\n", p.provides.join(" ")));
    }
    if files {
        for d in &p.dirs {
            r.push_str(&format!("F:{}\n", d.path));
            for f in &d.files {
                r.push_str(&format!("R:{}\n", f.name));
                if !f.acl.is_empty() {
                    r.push_str(&format!("a:{}\n", f.acl));
                }
                if !f.checksum.is_empty() {
                    r.push_str(&format!("Z:{}\n", f.checksum));
                }
            }
        }
    }
    r
}

/// Reads the `.PKGINFO` of an archive (`key = value` lines) into a record.
pub fn from_pkginfo(text: &str) -> Pkg {
    let mut p = Pkg::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(" = ") else { continue };
        let value = value.to_string();
        match key.trim() {
            "pkgname" => p.name = value,
            "pkgver" => p.version = value,
            "pkgdesc" => p.description = value,
            "url" => p.url = value,
            "builddate" => p.build_time = value,
            "size" => p.installed_size = value.parse().unwrap_or(0),
            "arch" => p.arch = value,
            "origin" => p.origin = value,
            "maintainer" => p.maintainer = value,
            "license" => p.license = value,
            "depend" => p.depends.push(value),
            "provides" => p.provides.push(value),
            _ => {}
        }
    }
    p
}

/// apk's human sizes: `B`, then `KiB`, `MiB`... once the number reaches 10000.
pub fn human_size(size: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let (mut s, mut i) = (size, 0);
    while s >= 10000 && i < units.len() - 1 {
        s /= 1024;
        i += 1;
    }
    format!("{s} {}", units[i])
}

/// `Q1` and the base64 SHA-1 of `bytes`: how apk names a package's control part or a file's content.
pub fn q1(bytes: &[u8]) -> String {
    format!("Q1{}", base64(&sha1_smol::Sha1::from(bytes).digest().bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() { ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTALLED: &str = "C:Q1abc=\nP:busybox\nV:1.37.0-r12\nA:x86_64\nS:1000\nI:2000\nT:Size optimized toolbox\nU:https://busybox.net/\nL:GPL-2.0-only\no:busybox\nt:1739507316\nD:so:libc.musl-x86_64.so.1\np:cmd:busybox=1.37.0-r12\nF:bin\nR:busybox\na:0:0:755\nZ:Q1zzz=\nF:etc\nR:securetty\n\nC:Q1def=\nP:busybox-binsh\nV:1.37.0-r12\nS:1\nI:2\nT:sh\nU:u\nL:l\np:/bin/sh\n";

    #[test]
    fn records_round_trip_with_their_files() {
        let pkgs = parse(INSTALLED);
        assert_eq!(pkgs.len(), 2);
        let bb = &pkgs[0];
        assert_eq!((bb.name.as_str(), bb.version.as_str(), bb.installed_size), ("busybox", "1.37.0-r12", 2000));
        assert_eq!(bb.file_paths(), vec!["bin/busybox", "etc/securetty"]);
        assert_eq!(bb.dirs[0].files[0].acl, "0:0:755");
        assert!(pkgs[1].provides_name("/bin/sh"));
        assert_eq!(parse(&record(bb, true)), vec![bb.clone()]);
    }

    #[test]
    fn dependency_names_drop_their_constraints() {
        assert_eq!(dep_name("cmd:curl=8.12.1-r1"), "cmd:curl");
        assert_eq!(dep_name("!foo"), "foo");
        assert_eq!(dep_name("musl>=1.2"), "musl");
    }

    #[test]
    fn sizes_read_like_apk() {
        assert_eq!(human_size(9999), "9999 B");
        assert_eq!(human_size(250_000), "244 KiB");
        assert_eq!(human_size(2_400_000), "2343 KiB");
        assert_eq!(human_size(12_400_000), "11 MiB");
    }
}
