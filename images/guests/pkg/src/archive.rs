//! Reading package archives: gzip members (an `.apk` is two of them one after the other), tar
//! archives, and the `ar` container of a `.deb`.

use std::io::{self, Read};

/// One thing an archive holds, with a path relative to `/` (no `./`, no leading `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir { path: String, mode: u32 },
    File { path: String, mode: u32, data: Vec<u8> },
    Link { path: String, target: String },
}

impl Entry {
    pub fn path(&self) -> &str {
        match self {
            Entry::Dir { path, .. } | Entry::File { path, .. } | Entry::Link { path, .. } => path,
        }
    }
}

/// Every gzip member of `bytes`, decompressed and joined.
pub fn gunzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// A path as archives write it (`./usr/bin/x`, `usr/bin/x/`), made relative to `/`.
fn clean(path: &str) -> String {
    path.split('/').filter(|p| !p.is_empty() && *p != ".").collect::<Vec<_>>().join("/")
}

/// The entries of a tar archive (regular files, folders, symbolic links; others are skipped).
pub fn untar(bytes: &[u8]) -> io::Result<Vec<Entry>> {
    let mut archive = tar::Archive::new(bytes);
    let mut out = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = clean(&entry.path()?.to_string_lossy());
        let mode = entry.header().mode().unwrap_or(0o644) & 0o7777;
        match entry.header().entry_type() {
            tar::EntryType::Directory if !path.is_empty() => out.push(Entry::Dir { path, mode }),
            tar::EntryType::Directory => {}
            tar::EntryType::Symlink => {
                let target = entry.link_name()?.map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
                out.push(Entry::Link { path, target });
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let mut data = Vec::new();
                entry.read_to_end(&mut data)?;
                out.push(Entry::File { path, mode, data });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The members of a Unix `ar` archive, by name.
pub fn ar_members(bytes: &[u8]) -> Option<Vec<(String, &[u8])>> {
    let mut rest = bytes.strip_prefix(b"!<arch>\n")?;
    let mut out = Vec::new();
    while rest.len() >= 60 {
        let header = std::str::from_utf8(&rest[..60]).ok()?;
        let name = header[..16].trim_end().trim_end_matches('/').to_string();
        let size: usize = header[48..58].trim().parse().ok()?;
        let data = rest.get(60..60 + size)?;
        out.push((name, data));
        let next = 60 + size + size % 2;
        rest = rest.get(next..).unwrap_or(&[]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ar_members_are_read_with_their_padding() {
        let mut a = b"!<arch>\n".to_vec();
        a.extend_from_slice(format!("{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n", "odd", 0, 0, 0, "100644", 1).as_bytes());
        a.extend_from_slice(b"x\n");
        a.extend_from_slice(
            format!("{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n", "data.tar.gz/", 0, 0, 0, "100644", 2).as_bytes(),
        );
        a.extend_from_slice(b"yz");
        let m = ar_members(&a).unwrap();
        assert_eq!(m, vec![("odd".to_string(), &b"x"[..]), ("data.tar.gz".to_string(), &b"yz"[..])]);
        assert!(ar_members(b"PK\x03\x04").is_none());
    }

    #[test]
    fn archive_paths_are_made_relative() {
        assert_eq!(clean("./usr/bin/"), "usr/bin");
        assert_eq!(clean("/etc//apk"), "etc/apk");
        assert_eq!(clean("./"), "");
    }
}
