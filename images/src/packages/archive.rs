//! The container formats packages travel in: deterministic gzip members, tar archives of
//! layer entries, and the Unix `ar` archive a `.deb` is.

use engine::image::LayerEntry;
use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use std::io::Write;

/// One gzip member of `bytes`, with no name and no time in its header (same input, same output).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder: GzEncoder<Vec<u8>> = GzBuilder::new().mtime(0).write(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// A tar archive of `entries` (owner root, fixed mtime), without the two end-of-archive blocks
/// when `terminated` is false (an `.apk`'s control part continues in its data part).
pub fn tar(entries: &[LayerEntry], mtime: u64, terminated: bool) -> Vec<u8> {
    let mut bytes = engine::image::build_layer(entries, mtime).unwrap_or_default();
    if !terminated {
        // build_layer ends with at least two zero blocks; strip every trailing zero block.
        while bytes.len() >= 512 && bytes[bytes.len() - 512..].iter().all(|&b| b == 0) {
            bytes.truncate(bytes.len() - 512);
        }
    }
    bytes
}

/// A Unix `ar` archive (the `.deb` container): `!<arch>` then each member with its 60-byte header.
pub fn ar(members: &[(&str, &[u8])], mtime: u64) -> Vec<u8> {
    let mut out = b"!<arch>\n".to_vec();
    for (name, data) in members {
        let header = format!("{name:<16}{mtime:<12}{:<6}{:<6}{:<8}{:<10}`\n", 0, 0, "100644", data.len());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(b'\n');
        }
    }
    out
}

/// Standard base64 with padding (the `Q1` checksums of Alpine's indexes).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }

    #[test]
    fn gzip_is_deterministic_and_round_trips() {
        let a = gzip(b"hello hello hello");
        assert_eq!(a, gzip(b"hello hello hello"));
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&a[..]), &mut out).unwrap();
        assert_eq!(out, "hello hello hello");
    }

    #[test]
    fn ar_members_are_padded_to_even_offsets() {
        let a = ar(&[("debian-binary", b"2.0\n"), ("odd", b"x")], 7);
        assert!(a.starts_with(b"!<arch>\ndebian-binary   7           0     0     100644  4         `\n2.0\n"));
        assert_eq!(a.len(), 8 + 60 + 4 + 60 + 2);
    }

    #[test]
    fn an_unterminated_tar_has_no_end_blocks() {
        let entries = [LayerEntry::File { path: ".PKGINFO".into(), mode: 0o644, data: b"pkgname = x\n".to_vec() }];
        assert_eq!(tar(&entries, 0, false).len(), 1024);
        assert!(tar(&entries, 0, true).len() > 1024);
    }
}
