//! Kernel information read from files, as on Linux: the engine serves a small `/proc` (see
//! `README.md` next to this file for the exact files and formats). Natively these are the host's
//! real files. Missing files are reported as errors, never replaced by made-up values.

use std::io;

fn read(path: &str) -> io::Result<String> {
    std::fs::read_to_string(path).map_err(|e| io::Error::new(e.kind(), format!("can't read '{path}': {e}")))
}

fn trimmed(path: &str) -> io::Result<String> {
    Ok(read(path)?.trim_end_matches('\n').to_string())
}

/// `uname` fields from `/proc/sys/kernel/*`.
pub struct Uname {
    pub sysname: String,
    pub nodename: String,
    pub release: String,
    pub version: String,
    pub machine: String,
}

pub fn uname() -> io::Result<Uname> {
    Ok(Uname {
        sysname: trimmed("/proc/sys/kernel/ostype")?,
        nodename: hostname()?,
        release: trimmed("/proc/sys/kernel/osrelease")?,
        version: trimmed("/proc/sys/kernel/version")?,
        machine: machine()?,
    })
}

/// The machine (hardware) name: `/proc/sys/kernel/arch`.
pub fn machine() -> io::Result<String> {
    trimmed("/proc/sys/kernel/arch")
}

pub fn hostname() -> io::Result<String> {
    trimmed("/proc/sys/kernel/hostname")
}

pub fn set_hostname(name: &str) -> io::Result<()> {
    std::fs::write("/proc/sys/kernel/hostname", name)
}

/// Real and effective user and group ids of this process from `/proc/self/status`.
pub struct Ids {
    pub uid: u32,
    pub euid: u32,
    pub gid: u32,
    pub egid: u32,
    pub groups: Vec<u32>,
}

fn status_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status.lines().find_map(|l| l.strip_prefix(key)).map(str::trim)
}

pub fn ids() -> io::Result<Ids> {
    let status = read("/proc/self/status")?;
    let pair = |key: &str| -> io::Result<(u32, u32)> {
        let v: Vec<u32> =
            status_field(&status, key).unwrap_or("").split_whitespace().filter_map(|x| x.parse().ok()).collect();
        match v.as_slice() {
            [real, eff, ..] => Ok((*real, *eff)),
            [real] => Ok((*real, *real)),
            [] => Err(io::Error::other(format!("no '{key}' line in /proc/self/status"))),
        }
    };
    let (uid, euid) = pair("Uid:")?;
    let (gid, egid) = pair("Gid:")?;
    let groups =
        status_field(&status, "Groups:").unwrap_or("").split_whitespace().filter_map(|x| x.parse().ok()).collect();
    Ok(Ids { uid, euid, gid, egid, groups })
}

/// The effective uid, when `/proc/self/status` says; `None` otherwise.
pub fn euid() -> Option<u32> {
    ids().ok().map(|i| i.euid)
}

/// One `/etc/passwd` or `/etc/group` entry: (name, id, primary gid or 0).
fn lookup(file: &str, by: impl Fn(&str, u32) -> bool) -> Option<(String, u32, u32)> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        let id = f.get(2)?.parse().ok()?;
        let gid = f.get(3).and_then(|g| g.parse().ok()).unwrap_or(0);
        by(f[0], id).then(|| (f[0].to_string(), id, gid))
    })
}

pub fn user_name(uid: u32) -> Option<String> {
    lookup("/etc/passwd", |_, id| id == uid).map(|e| e.0)
}

pub fn group_name(gid: u32) -> Option<String> {
    lookup("/etc/group", |_, id| id == gid).map(|e| e.0)
}

/// (uid, primary gid) of a user name.
pub fn user_by_name(name: &str) -> Option<(u32, u32)> {
    lookup("/etc/passwd", |n, _| n == name).map(|e| (e.1, e.2))
}

/// Names of the supplementary groups listing `user` in `/etc/group`: (gid, name).
pub fn groups_of(user: &str) -> Vec<(u32, String)> {
    let text = std::fs::read_to_string("/etc/group").unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let members = f.get(3)?;
            members.split(',').any(|m| m == user).then(|| Some((f.get(2)?.parse().ok()?, f[0].to_string())))?
        })
        .collect()
}

/// One process as `ps` shows it.
pub struct Process {
    pub pid: u32,
    pub ppid: u32,
    pub uid: Option<u32>,
    pub state: char,
    /// utime + stime in clock ticks (100 per second).
    pub ticks: u64,
    /// Virtual size in bytes.
    pub vsize: u64,
    pub comm: String,
    pub cmdline: Vec<String>,
}

pub fn process(pid: u32) -> io::Result<Process> {
    let stat = read(&format!("/proc/{pid}/stat"))?;
    let open = stat.find('(').ok_or_else(|| io::Error::other("bad /proc stat"))?;
    let close = stat.rfind(')').ok_or_else(|| io::Error::other("bad /proc stat"))?;
    let comm = stat.get(open + 1..close).unwrap_or("").to_string();
    let rest: Vec<&str> = stat.get(close + 1..).unwrap_or("").split_whitespace().collect();
    // rest[0] is field 3 (state); field n is rest[n - 3].
    let field = |n: usize| rest.get(n - 3).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let cmdline =
        cmdline.split(|&b| b == 0).filter(|a| !a.is_empty()).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    let uid = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| status_field(&s, "Uid:").and_then(|v| v.split_whitespace().next()).and_then(|v| v.parse().ok()));
    Ok(Process {
        pid,
        ppid: field(4) as u32,
        uid,
        state: rest.first().and_then(|s| s.chars().next()).unwrap_or('?'),
        ticks: field(14) + field(15),
        vsize: field(23),
        comm,
        cmdline,
    })
}

/// Every pid listed as a numeric directory of `/proc`, ascending.
pub fn pids() -> io::Result<Vec<u32>> {
    let dir = std::fs::read_dir("/proc").map_err(|e| io::Error::new(e.kind(), format!("can't read '/proc': {e}")))?;
    let mut pids: Vec<u32> = dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect();
    pids.sort_unstable();
    Ok(pids)
}

/// `/proc/meminfo` values in kB, by key (`MemTotal`, ...).
pub fn meminfo() -> io::Result<Vec<(String, u64)>> {
    let text = read("/proc/meminfo")?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let n = v.split_whitespace().next()?.parse().ok()?;
            Some((k.trim().to_string(), n))
        })
        .collect())
}

/// One mounted filesystem with its sizes.
pub struct Mount {
    pub source: String,
    pub target: String,
    pub fstype: String,
    pub block_size: u64,
    pub blocks: u64,
    pub free: u64,
    pub avail: u64,
}

/// `/proc/mounts` joined with the sizes from `/proc/statfs` (a playground file, see README).
pub fn mounts() -> io::Result<Vec<Mount>> {
    let mounts = read("/proc/mounts")?;
    let statfs = read("/proc/statfs")?;
    let mut out = Vec::new();
    for line in mounts.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (Some(src), Some(target), Some(fstype)) = (f.first(), f.get(1), f.get(2)) else {
            continue;
        };
        let sizes = statfs.lines().find_map(|l| {
            let s: Vec<&str> = l.split_whitespace().collect();
            if s.first() != Some(target) {
                return None;
            }
            let n: Vec<u64> = s[1..].iter().filter_map(|v| v.parse().ok()).collect();
            (n.len() >= 4).then(|| (n[0], n[1], n[2], n[3]))
        });
        if let Some((block_size, blocks, free, avail)) = sizes {
            out.push(Mount {
                source: src.to_string(),
                target: target.to_string(),
                fstype: fstype.to_string(),
                block_size,
                blocks,
                free,
                avail,
            });
        }
    }
    Ok(out)
}
