//! `unzip`: lists (`-l`) and extracts zip archives, as BusyBox's does: entries stored as is
//! (method 0) or deflated (method 8), read through the archive's central directory (so sizes
//! are known even when the local headers defer them). Zip64 archives and encrypted entries are
//! reported, not guessed at.

use super::usage_error;
use crate::sys;
use crate::util::{err, errstr, opts};
use std::io::{self, BufRead, Read, Write};
use std::path::Path;

/// One member, from the central directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub method: u16,
    pub flags: u16,
    pub compressed: u64,
    pub size: u64,
    /// MS-DOS time and date.
    pub time: u16,
    pub date: u16,
    /// Unix permission bits when the archive was made on Unix.
    pub mode: Option<u32>,
    local_offset: u64,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The members of a zip archive, or BusyBox's complaint.
pub fn members(zip: &[u8]) -> Result<Vec<Member>, String> {
    // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
    let lowest = zip.len().saturating_sub(22 + 65535);
    let eocd = (lowest..zip.len().saturating_sub(21))
        .rev()
        .find(|&i| u32_at(zip, i) == Some(0x0605_4b50))
        .ok_or("not a zip file")?;
    let count = u16_at(zip, eocd + 10).ok_or("short read")?;
    let offset = u32_at(zip, eocd + 16).ok_or("short read")?;
    let mut at = offset as usize;
    if offset == u32::MAX || count == u16::MAX {
        return Err("zip64 archives are not supported".into());
    }
    let mut out = Vec::new();
    for _ in 0..count {
        if u32_at(zip, at) != Some(0x0201_4b50) {
            return Err("corrupted central directory".into());
        }
        let field = |off: usize| u16_at(zip, at + off).ok_or("short read");
        let word = |off: usize| u32_at(zip, at + off).ok_or("short read");
        let (made_by, flags, method, time, date) = (field(4)?, field(8)?, field(10)?, field(12)?, field(14)?);
        let (compressed, size) = (word(20)?, word(24)?);
        let (name_len, extra_len, comment_len) = (field(28)? as usize, field(30)? as usize, field(32)? as usize);
        let external = word(38)?;
        let local_offset = word(42)?;
        let name = zip.get(at + 46..at + 46 + name_len).ok_or("short read")?;
        out.push(Member {
            name: String::from_utf8_lossy(name).into_owned(),
            method,
            flags,
            compressed: u64::from(compressed),
            size: u64::from(size),
            time,
            date,
            mode: (made_by >> 8 == 3).then_some((external >> 16) & 0o7777).filter(|m| *m != 0),
            local_offset: u64::from(local_offset),
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(out)
}

/// The member's uncompressed bytes.
pub fn contents(zip: &[u8], m: &Member) -> Result<Vec<u8>, String> {
    if m.flags & 1 != 0 {
        return Err(format!("{}: encrypted, skipped", m.name));
    }
    let at = usize::try_from(m.local_offset).map_err(|_| "short read")?;
    if u32_at(zip, at) != Some(0x0403_4b50) {
        return Err("corrupted data".into());
    }
    let start = at + 30 + u16_at(zip, at + 26).unwrap_or(0) as usize + u16_at(zip, at + 28).unwrap_or(0) as usize;
    let data = zip.get(start..start + m.compressed as usize).ok_or("short read")?;
    match m.method {
        0 => Ok(data.to_vec()),
        8 => {
            let mut out = Vec::with_capacity(m.size as usize);
            flate2::read::DeflateDecoder::new(data).read_to_end(&mut out).map_err(|_| "corrupted data")?;
            Ok(out)
        }
        other => Err(format!("unsupported method {other}")),
    }
}

/// `MM-DD-YYYY HH:MM` from MS-DOS date and time.
fn dos_time(date: u16, time: u16) -> String {
    let (y, mo, d) = (1980 + (date >> 9), (date >> 5) & 15, date & 31);
    let (h, mi) = (time >> 11, (time >> 5) & 63);
    format!("{mo:02}-{d:02}-{y} {h:02}:{mi:02}")
}

fn list(all: &[Member], out: &mut dyn Write) {
    let _ = writeln!(out, "  Length      Date    Time    Name\n---------  ---------- -----   ----");
    let mut total = 0;
    for m in all {
        total += m.size;
        let _ = writeln!(out, "{:9}  {}   {}", m.size, dos_time(m.date, m.time), m.name);
    }
    let n = all.len();
    let _ = writeln!(
        out,
        "---------                     -------\n{total:9}                     {n} file{}",
        if n == 1 { "" } else { "s" }
    );
}

/// Asks BusyBox's question about an existing file; the first letter of the answer (`N` at end
/// of input).
fn ask(name: &str) -> char {
    eprint!("replace {name}? [y]es, [n]o, [A]ll, [N]one, [r]ename: ");
    let mut line = String::new();
    if io::stdin().lock().read_line(&mut line).unwrap_or(0) == 0 {
        return 'N';
    }
    line.trim().chars().next().unwrap_or('n')
}

pub fn main(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "lnojpqd:x") {
        Ok(o) => o,
        Err(e) => return usage_error("unzip", &e),
    };
    let Some(file) = o.operands.first() else {
        return usage_error("unzip", "");
    };
    let path = if Path::new(file).exists() || file.ends_with(".zip") { file.clone() } else { format!("{file}.zip") };
    let zip = match std::fs::read(&path) {
        Ok(z) => z,
        Err(e) => {
            err("unzip", format_args!("can't open {file}, {file}.zip, {file}.ZIP: {}", errstr(&e)));
            return 1;
        }
    };
    let all = match members(&zip) {
        Ok(m) => m,
        Err(e) => {
            err("unzip", e);
            return 1;
        }
    };
    let wanted = &o.operands[1..];
    let chosen: Vec<&Member> = all.iter().filter(|m| wanted.is_empty() || wanted.contains(&m.name)).collect();
    let quiet = o.has('q') || o.has('p');
    let mut out = io::stdout().lock();
    if !quiet {
        let _ = writeln!(out, "Archive:  {path}");
    }
    if o.has('l') {
        let owned: Vec<Member> = chosen.into_iter().cloned().collect();
        list(&owned, &mut out);
        return 0;
    }
    if let Some(d) = o.value('d') {
        if let Err(e) = std::fs::create_dir_all(d).and_then(|()| sys::chdir(Path::new(d))) {
            err("unzip", format_args!("can't change directory to '{d}': {}", errstr(&e)));
            return 1;
        }
    }
    let mut overwrite = if o.has('o') {
        Some(true)
    } else if o.has('n') {
        Some(false)
    } else {
        None
    };
    let mut status = 0;
    for m in chosen {
        let name = if o.has('j') { m.name.rsplit('/').next().unwrap_or(&m.name).to_string() } else { m.name.clone() };
        let name = name.trim_start_matches('/').to_string();
        if name.split('/').any(|c| c == "..") {
            err("unzip", format_args!("skipping unsafe path '{}'", m.name));
            continue;
        }
        if m.name.ends_with('/') {
            if !o.has('j') && !o.has('p') {
                if !quiet {
                    let _ = writeln!(out, "   creating: {name}");
                }
                let _ = std::fs::create_dir_all(&name);
            }
            continue;
        }
        let data = match contents(&zip, m) {
            Ok(d) => d,
            Err(e) => {
                err("unzip", e);
                status = 1;
                continue;
            }
        };
        if o.has('p') {
            let _ = out.write_all(&data);
            continue;
        }
        if Path::new(&name).exists() {
            let yes = match overwrite {
                Some(v) => v,
                None => {
                    let _ = out.flush();
                    match ask(&name) {
                        'y' => true,
                        'A' => {
                            overwrite = Some(true);
                            true
                        }
                        'N' => {
                            overwrite = Some(false);
                            false
                        }
                        _ => false,
                    }
                }
            };
            if !yes {
                continue;
            }
        }
        if !quiet {
            let verb = if m.method == 0 { " extracting" } else { "  inflating" };
            let _ = writeln!(out, "{verb}: {name}");
        }
        if let Some(parent) = Path::new(&name).parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(e) = std::fs::write(&name, &data) {
            err("unzip", format_args!("can't open '{name}': {}", errstr(&e)));
            status = 1;
            continue;
        }
        if let Some(mode) = m.mode {
            let _ = sys::chmod(Path::new(&name), mode);
        }
    }
    let _ = out.flush();
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip with a directory, a stored member and a deflated one, as `zip` would write it.
    fn sample() -> Vec<u8> {
        let mut zip = Vec::new();
        let mut central = Vec::new();
        let members: [(&str, u16, &[u8]); 3] =
            [("d/", 0, b""), ("d/a.txt", 0, b"stored\n"), ("b.txt", 8, b"deflated deflated\n")];
        for (name, method, data) in members {
            let body = if method == 8 {
                let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            } else {
                data.to_vec()
            };
            let offset = zip.len() as u32;
            let common = |v: &mut Vec<u8>| {
                v.extend_from_slice(&20u16.to_le_bytes());
                v.extend_from_slice(&0u16.to_le_bytes());
                v.extend_from_slice(&method.to_le_bytes());
                v.extend_from_slice(&0x5000u16.to_le_bytes()); // 10:00
                v.extend_from_slice(&0x5c2fu16.to_le_bytes()); // 2026-01-15
                v.extend_from_slice(&0u32.to_le_bytes()); // crc (not checked)
                v.extend_from_slice(&(body.len() as u32).to_le_bytes());
                v.extend_from_slice(&(data.len() as u32).to_le_bytes());
                v.extend_from_slice(&(name.len() as u16).to_le_bytes());
                v.extend_from_slice(&0u16.to_le_bytes());
            };
            zip.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            common(&mut zip);
            zip.extend_from_slice(name.as_bytes());
            zip.extend_from_slice(&body);
            central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            central.extend_from_slice(&0x031eu16.to_le_bytes()); // made by Unix
            common(&mut central);
            central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
            central.extend_from_slice(&((0o100640u32) << 16).to_le_bytes());
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = zip.len() as u32;
        let cd_len = central.len() as u32;
        zip.extend_from_slice(&central);
        zip.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        zip.extend_from_slice(&[0; 4]);
        zip.extend_from_slice(&3u16.to_le_bytes());
        zip.extend_from_slice(&3u16.to_le_bytes());
        zip.extend_from_slice(&cd_len.to_le_bytes());
        zip.extend_from_slice(&cd_offset.to_le_bytes());
        zip.extend_from_slice(&0u16.to_le_bytes());
        zip
    }

    #[test]
    fn reads_stored_and_deflated_members() {
        let zip = sample();
        let all = members(&zip).unwrap();
        assert_eq!(all.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["d/", "d/a.txt", "b.txt"]);
        assert_eq!(contents(&zip, &all[1]).unwrap(), b"stored\n");
        assert_eq!(contents(&zip, &all[2]).unwrap(), b"deflated deflated\n");
        assert_eq!(all[1].mode, Some(0o640));
        assert_eq!(dos_time(all[1].date, all[1].time), "01-15-2026 10:00");
        assert_eq!(members(b"not a zip at all, just text").unwrap_err(), "not a zip file");
        let mut out = Vec::new();
        list(&all, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "  Length      Date    Time    Name\n---------  ---------- -----   ----\n        0  01-15-2026 10:00   d/\n        7  01-15-2026 10:00   d/a.txt\n       18  01-15-2026 10:00   b.txt\n---------                     -------\n       25                     3 files\n"
        );
    }
}
