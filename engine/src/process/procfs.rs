//! `/proc`, the process information pseudo-filesystem. On Linux no file of `/proc` is on a disk:
//! the kernel makes each one up when it is read, `/proc/<pid>/stat` from the process table,
//! `/proc/meminfo` from its memory counters, and the usual tools (`ps`, `free`, `df`, `uname`,
//! `id`, `hostname`) learn about the system by reading them. Docker mounts a fresh `/proc` in
//! each container; since the container has its own PID namespace, that `/proc` lists only the
//! container's processes, numbered from 1, and `/proc/sys/kernel/hostname` gives the
//! container's host name (its UTS namespace).
//!
//! This module is the generator alone: from what the kernel knows ([`ProcSource`], seen from one
//! process) it says what is at a path under `/proc` ([`lookup`]) and makes each file's content,
//! in Linux's formats. It knows nothing of WASI or descriptors: the kernel opens a file by
//! taking a snapshot of its content (one per open file description), see `vfs`.

use super::errno::Errno;
use super::namespace::ProcessState;
use std::fmt::Write as _;

/// `/proc/sys/kernel/ostype` (`uname -s`).
pub const OSTYPE: &str = "Linux";
/// `/proc/sys/kernel/osrelease` (`uname -r`).
pub const OSRELEASE: &str = "6.6.0-playground";
/// `/proc/sys/kernel/version` (`uname -v`).
pub const VERSION: &str = "#1 SMP PREEMPT_DYNAMIC Mon Jan  1 00:00:00 UTC 2024";
/// `/proc/sys/kernel/arch` (`uname -m`).
pub const ARCH: &str = "wasm32";
/// Clock ticks per second (`USER_HZ`): the unit of the times in `/proc/<pid>/stat`.
pub const TICKS_PER_SEC: u64 = 100;
/// The page size `statm` and `rss` count in.
pub const PAGE_SIZE: u64 = 4096;
/// The largest pid (`/proc/sys/kernel/pid_max`).
pub const PID_MAX: u32 = 32768;
/// The capabilities Docker gives a container's root by default, as `CapEff` shows them.
const DOCKER_CAPS: u64 = 0xa804_25fb;

/// One process as `/proc/<pid>` shows it, pids as the reader's namespace numbers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    /// 0 when the parent is outside the namespace (PID 1's parent, as in a container).
    pub ppid: u32,
    /// The command name (`comm`): the program's file name, at most 15 bytes.
    pub comm: String,
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    pub state: ProcessState,
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups.
    pub groups: Vec<u32>,
    /// Time spent running.
    pub cpu_micros: u64,
    /// When it started, counted from the machine's boot.
    pub start_micros: u64,
    /// Its memory (a WebAssembly linear memory is its whole address space).
    pub memory_bytes: u64,
    /// Whether it has a controlling terminal.
    pub tty: bool,
    /// Signal masks, Linux's layout (bit n - 1 for signal n).
    pub sig_pending: u64,
    pub sig_ignored: u64,
    pub sig_caught: u64,
}

/// Machine-wide facts, as the reader's container sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct System {
    pub hostname: String,
    pub uptime_micros: u64,
    /// Time the processor spent with nothing to run.
    pub idle_micros: u64,
    /// The memory limit of the container (or the machine's default).
    pub mem_total_bytes: u64,
    /// The memory its processes use.
    pub mem_used_bytes: u64,
    /// Load averages over 1, 5 and 15 minutes.
    pub load: [f64; 3],
    /// Runnable processes and all processes (`/proc/loadavg`).
    pub runnable: usize,
    pub total: usize,
    /// The most recently allocated pid.
    pub last_pid: u32,
}

/// One mounted filesystem with its size (`/proc/mounts`, `/proc/statfs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub source: String,
    pub target: String,
    pub fstype: String,
    pub options: String,
    pub block_size: u64,
    pub blocks: u64,
    pub free: u64,
    pub avail: u64,
}

/// What the kernel knows, seen from the process reading `/proc`. Each method is called only for
/// the files that need it, so costly facts (the size of the filesystem) are computed on demand.
pub trait ProcSource {
    /// The reader's own pid.
    fn me(&self) -> u32;
    /// The pids of the namespace, ascending.
    fn pids(&self) -> Vec<u32>;
    fn process(&self, pid: u32) -> Option<Process>;
    fn system(&self) -> System;
    /// The mounts; their sizes only if `sizes` (measuring a filesystem takes a walk through it).
    fn mounts(&self, sizes: bool) -> Vec<Mount>;
    /// The reader's network namespace (`/proc/<pid>/net`); none: no such files.
    fn net(&self) -> Option<crate::network::stack::NetHandle> {
        None
    }
}

/// The type of a `/proc` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
    Link,
}

/// A directory entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub kind: Kind,
}

fn entry(name: &str, kind: Kind) -> DirEntry {
    DirEntry { name: name.to_string(), kind }
}

/// What is at a `/proc` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Dir(Vec<DirEntry>),
    File(Vec<u8>),
    /// A symbolic link and its target.
    Link(String),
    /// `/proc/<reader>/fd`: the reader's descriptors (listed by the caller, which has them).
    FdDir,
    /// `/proc/<reader>/fd/<n>`: the reader's descriptor n (on Linux a magic link: opening it
    /// opens the same file).
    Fd(u32),
}

/// A `/proc` node: its content, owner and permission bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub content: Content,
    pub uid: u32,
    pub gid: u32,
    /// Permission bits (`0o444`), without the file type.
    pub mode: u32,
}

impl Node {
    fn root(content: Content) -> Self {
        let mode = match content {
            Content::Dir(_) | Content::FdDir => 0o555,
            Content::Link(_) | Content::Fd(_) => 0o777,
            Content::File(_) => 0o444,
        };
        Node { content, uid: 0, gid: 0, mode }
    }

    fn file(text: String) -> Self {
        Node::root(Content::File(text.into_bytes()))
    }

    pub fn kind(&self) -> Kind {
        match self.content {
            Content::Dir(_) | Content::FdDir => Kind::Dir,
            Content::File(_) => Kind::File,
            Content::Link(_) | Content::Fd(_) => Kind::Link,
        }
    }
}

/// What a path leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Node(Node),
    /// A symbolic link on the way (`/proc/self`, `/proc/<pid>/cwd`) leads to this absolute path,
    /// which the caller resolves again: it may leave `/proc`.
    Redirect(String),
}

/// The error a write to `path` (relative to `/proc`) gets: `/proc/sys` is mounted read-only in a
/// container (`EROFS`), the rest is not writable (`EACCES`).
pub fn write_error(path: &str) -> Errno {
    if components(path).next() == Some("sys") {
        Errno::ROFS
    } else {
        Errno::ACCES
    }
}

fn components(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// Resolves `path` (relative to `/proc`, without `..`). With `follow`, a link in the last
/// component is followed too; links in the middle always are.
pub fn lookup(src: &dyn ProcSource, path: &str, follow: bool) -> Result<Found, Errno> {
    let parts: Vec<&str> = components(path).collect();
    let Some((&first, rest)) = parts.split_first() else {
        return Ok(Found::Node(Node::root(Content::Dir(root_entries(src)))));
    };
    if first == "self" {
        let me = src.me();
        if rest.is_empty() && !follow {
            return Ok(Found::Node(Node::root(Content::Link(me.to_string()))));
        }
        return Ok(Found::Redirect(join(&format!("/proc/{me}"), rest)));
    }
    if let Ok(pid) = first.parse::<u32>() {
        if first.starts_with('0') || first.starts_with('+') {
            return Err(Errno::NOENT);
        }
        let p = src.process(pid).ok_or(Errno::NOENT)?;
        return process_node(src, &p, rest, follow);
    }
    if first == "sys" {
        return sys_node(src, rest).map(Found::Node);
    }
    // `/proc/net` is a link to `self/net`.
    if first == "net" {
        if rest.is_empty() && !follow {
            return Ok(Found::Node(Node::root(Content::Link("self/net".to_string()))));
        }
        return Ok(Found::Redirect(join(&format!("/proc/{}/net", src.me()), rest)));
    }
    let (file, []) = (first, rest) else {
        return match first {
            "mounts" | "meminfo" | "uptime" | "loadavg" | "cpuinfo" | "statfs" | "version" => Err(Errno::NOTDIR),
            _ => Err(Errno::NOENT),
        };
    };
    let text = match file {
        "meminfo" => meminfo(&src.system()),
        "uptime" => uptime(&src.system()),
        "loadavg" => loadavg(&src.system()),
        "cpuinfo" => cpuinfo(),
        "mounts" => mounts(&src.mounts(false)),
        "statfs" => statfs(&src.mounts(true)),
        "version" => format!("{OSTYPE} version {OSRELEASE} (playground@wasm) (rustc) {VERSION}\n"),
        _ => return Err(Errno::NOENT),
    };
    Ok(Found::Node(Node::file(text)))
}

/// `base` followed by the components `rest`.
fn join(base: &str, rest: &[&str]) -> String {
    let mut out = base.to_string();
    for part in rest {
        out.push('/');
        out.push_str(part);
    }
    out
}

const ROOT_FILES: &[&str] = &["cpuinfo", "loadavg", "meminfo", "mounts", "statfs", "uptime", "version"];

fn root_entries(src: &dyn ProcSource) -> Vec<DirEntry> {
    let mut out: Vec<DirEntry> = ROOT_FILES.iter().map(|f| entry(f, Kind::File)).collect();
    out.push(entry("net", Kind::Link));
    out.push(entry("self", Kind::Link));
    out.push(entry("sys", Kind::Dir));
    out.extend(src.pids().into_iter().map(|p| entry(&p.to_string(), Kind::Dir)));
    out
}

/// The files of `/proc/<pid>`: (name, kind).
const PROCESS_ENTRIES: &[(&str, Kind)] = &[
    ("cmdline", Kind::File),
    ("comm", Kind::File),
    ("cwd", Kind::Link),
    ("environ", Kind::File),
    ("fd", Kind::Dir),
    ("mounts", Kind::File),
    ("net", Kind::Dir),
    ("root", Kind::Link),
    ("stat", Kind::File),
    ("statm", Kind::File),
    ("status", Kind::File),
];

fn process_node(src: &dyn ProcSource, p: &Process, rest: &[&str], follow: bool) -> Result<Found, Errno> {
    let mine = p.pid == src.me();
    let owned = |content: Content, mode: u32| Found::Node(Node { content, uid: p.uid, gid: p.gid, mode });
    let Some((&name, rest)) = rest.split_first() else {
        let entries = PROCESS_ENTRIES.iter().filter(|(n, _)| mine || *n != "fd").map(|(n, k)| entry(n, *k));
        return Ok(owned(Content::Dir(entries.collect()), 0o555));
    };
    let link = |target: &str| {
        if rest.is_empty() && !follow {
            owned(Content::Link(target.to_string()), 0o777)
        } else {
            let path = join(target.trim_end_matches('/'), rest);
            Found::Redirect(if path.is_empty() { "/".to_string() } else { path })
        }
    };
    match name {
        "net" => {
            let net = src.net().ok_or(Errno::NOENT)?;
            return super::procnet::proc_net(&net, rest).map(Found::Node);
        }
        "cwd" => return Ok(link(&p.cwd)),
        "root" => return Ok(link("/")),
        "fd" if mine => {
            return match rest {
                [] => Ok(owned(Content::FdDir, 0o500)),
                [n] => match n.parse::<u32>() {
                    Ok(fd) if !n.starts_with('+') && (n.len() == 1 || !n.starts_with('0')) => {
                        Ok(owned(Content::Fd(fd), 0o700))
                    }
                    _ => Err(Errno::NOENT),
                },
                _ => Err(Errno::NOTDIR),
            };
        }
        _ => {}
    }
    let text: Vec<u8> = match name {
        "cmdline" if p.state == ProcessState::Zombie => Vec::new(),
        "cmdline" => nul_separated(&p.argv),
        "environ" if p.state == ProcessState::Zombie => Vec::new(),
        "environ" => nul_separated(&p.env),
        "comm" => format!("{}\n", comm(p)).into_bytes(),
        "stat" => stat(p, &src.system()).into_bytes(),
        "statm" => statm(p).into_bytes(),
        "status" => status(p).into_bytes(),
        "mounts" => mounts(&src.mounts(false)).into_bytes(),
        _ => return Err(Errno::NOENT),
    };
    if !rest.is_empty() {
        return Err(Errno::NOTDIR);
    }
    let mode = if name == "environ" { 0o400 } else { 0o444 };
    Ok(owned(Content::File(text), mode))
}

/// `/proc/sys`: only `kernel/` and its identity files.
fn sys_node(src: &dyn ProcSource, rest: &[&str]) -> Result<Node, Errno> {
    const KERNEL: &[&str] = &["arch", "domainname", "hostname", "osrelease", "ostype", "pid_max", "version"];
    match rest {
        [] => Ok(Node::root(Content::Dir(vec![entry("kernel", Kind::Dir)]))),
        ["kernel"] => Ok(Node::root(Content::Dir(KERNEL.iter().map(|n| entry(n, Kind::File)).collect()))),
        ["kernel", name] => {
            let value = match *name {
                "arch" => ARCH.to_string(),
                "domainname" => "(none)".to_string(),
                "hostname" => src.system().hostname,
                "osrelease" => OSRELEASE.to_string(),
                "ostype" => OSTYPE.to_string(),
                "pid_max" => PID_MAX.to_string(),
                "version" => VERSION.to_string(),
                _ => return Err(Errno::NOENT),
            };
            let mut node = Node::file(format!("{value}\n"));
            if matches!(*name, "hostname" | "domainname" | "pid_max") {
                node.mode = 0o644;
            }
            Ok(node)
        }
        ["kernel", _, ..] => Err(Errno::NOTDIR),
        _ => Err(Errno::NOENT),
    }
}

fn nul_separated(items: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        out.extend_from_slice(item.as_bytes());
        out.push(0);
    }
    out
}

/// The command name, cut to 15 bytes as Linux's `TASK_COMM_LEN` does.
fn comm(p: &Process) -> &str {
    let mut end = p.comm.len().min(15);
    while !p.comm.is_char_boundary(end) {
        end -= 1;
    }
    &p.comm[..end]
}

/// The state letter and word (`R (running)`).
fn state(p: &Process) -> (char, &'static str) {
    match p.state {
        ProcessState::Running => ('R', "running"),
        ProcessState::Sleeping => ('S', "sleeping"),
        ProcessState::Zombie => ('Z', "zombie"),
    }
}

fn ticks(micros: u64) -> u64 {
    micros / (1_000_000 / TICKS_PER_SEC)
}

fn pages(bytes: u64) -> u64 {
    bytes.div_ceil(PAGE_SIZE)
}

/// `/proc/<pid>/stat`: one line of 52 fields (`man 5 proc_pid_stat`).
pub fn stat(p: &Process, system: &System) -> String {
    let (letter, _) = state(p);
    // A controlling terminal is the container's /dev/pts/0: major 136, minor 0.
    let (tty_nr, tpgid) = if p.tty { (136 << 8, 1i64) } else { (0, -1) };
    let zombie = p.state == ProcessState::Zombie;
    let vsize = if zombie { 0 } else { p.memory_bytes };
    let start = ticks(p.start_micros.min(system.uptime_micros));
    let fields: [i128; 49] = [
        p.ppid.into(),              // 4 ppid
        1,                          // 5 pgrp
        1,                          // 6 session
        tty_nr,                     // 7 tty_nr
        tpgid.into(),               // 8 tpgid
        4_194_560,                  // 9 flags (PF_FORKNOEXEC | PF_RANDOMIZE)
        0,                          // 10 minflt
        0,                          // 11 cminflt
        0,                          // 12 majflt
        0,                          // 13 cmajflt
        ticks(p.cpu_micros).into(), // 14 utime
        0,                          // 15 stime
        0,                          // 16 cutime
        0,                          // 17 cstime
        20,                         // 18 priority
        0,                          // 19 nice
        1,                          // 20 num_threads
        0,                          // 21 itrealvalue
        start.into(),               // 22 starttime
        vsize.into(),               // 23 vsize
        pages(vsize).into(),        // 24 rss
        u64::MAX.into(),            // 25 rsslim
        0,                          // 26 startcode
        0,                          // 27 endcode
        0,                          // 28 startstack
        0,                          // 29 kstkesp
        0,                          // 30 kstkeip
        p.sig_pending.into(),       // 31 signal
        0,                          // 32 blocked
        p.sig_ignored.into(),       // 33 sigignore
        p.sig_caught.into(),        // 34 sigcatch
        0,                          // 35 wchan
        0,                          // 36 nswap
        0,                          // 37 cnswap
        17,                         // 38 exit_signal (SIGCHLD)
        0,                          // 39 processor
        0,                          // 40 rt_priority
        0,                          // 41 policy
        0,                          // 42 delayacct_blkio_ticks
        0,                          // 43 guest_time
        0,                          // 44 cguest_time
        0,                          // 45 start_data
        0,                          // 46 end_data
        0,                          // 47 start_brk
        0,                          // 48 arg_start
        0,                          // 49 arg_end
        0,                          // 50 env_start
        0,                          // 51 env_end
        0,                          // 52 exit_code
    ];
    let mut out = format!("{} ({}) {letter}", p.pid, comm(p));
    for f in fields {
        let _ = write!(out, " {f}");
    }
    out.push('\n');
    out
}

/// `/proc/<pid>/statm`: sizes in pages.
pub fn statm(p: &Process) -> String {
    let n = if p.state == ProcessState::Zombie { 0 } else { pages(p.memory_bytes) };
    format!("{n} {n} 0 0 0 {n} 0\n")
}

/// `/proc/<pid>/status`: the human-readable summary `id` and `ps` read the ids from.
pub fn status(p: &Process) -> String {
    let (letter, word) = state(p);
    let mut s = String::new();
    let _ = writeln!(s, "Name:\t{}", comm(p));
    let _ = writeln!(s, "Umask:\t0022");
    let _ = writeln!(s, "State:\t{letter} ({word})");
    for key in ["Tgid", "Ngid", "Pid"] {
        let _ = writeln!(s, "{key}:\t{}", if key == "Ngid" { 0 } else { p.pid });
    }
    let _ = writeln!(s, "PPid:\t{}", p.ppid);
    let _ = writeln!(s, "TracerPid:\t0");
    let (u, g) = (p.uid, p.gid);
    let _ = writeln!(s, "Uid:\t{u}\t{u}\t{u}\t{u}");
    let _ = writeln!(s, "Gid:\t{g}\t{g}\t{g}\t{g}");
    let _ = writeln!(s, "FDSize:\t64");
    // Linux ends the list with a space, groups or not.
    let groups: Vec<String> = p.groups.iter().map(u32::to_string).collect();
    let _ = writeln!(s, "Groups:\t{} ", groups.join(" "));
    for key in ["NStgid", "NSpid"] {
        let _ = writeln!(s, "{key}:\t{}", p.pid);
    }
    let _ = writeln!(s, "NSpgid:\t1");
    let _ = writeln!(s, "NSsid:\t1");
    if p.state != ProcessState::Zombie {
        let kb = p.memory_bytes / 1024;
        for (key, v) in [
            ("VmPeak", kb),
            ("VmSize", kb),
            ("VmLck", 0),
            ("VmPin", 0),
            ("VmHWM", kb),
            ("VmRSS", kb),
            ("RssAnon", kb),
            ("RssFile", 0),
            ("RssShmem", 0),
            ("VmData", kb),
            ("VmStk", 0),
            ("VmExe", 0),
            ("VmLib", 0),
            ("VmPTE", 0),
            ("VmSwap", 0),
        ] {
            let _ = writeln!(s, "{key}:\t{v:>8} kB");
        }
    }
    let _ = writeln!(s, "Threads:\t1");
    let _ = writeln!(s, "SigQ:\t0/{}", PID_MAX);
    let _ = writeln!(s, "SigPnd:\t{:016x}", p.sig_pending);
    let _ = writeln!(s, "ShdPnd:\t{:016x}", 0);
    let _ = writeln!(s, "SigBlk:\t{:016x}", 0);
    let _ = writeln!(s, "SigIgn:\t{:016x}", p.sig_ignored);
    let _ = writeln!(s, "SigCgt:\t{:016x}", p.sig_caught);
    // Root in a container has Docker's default capabilities; other users none.
    let caps = if p.uid == 0 { DOCKER_CAPS } else { 0 };
    let _ = writeln!(s, "CapInh:\t{:016x}", 0);
    let _ = writeln!(s, "CapPrm:\t{caps:016x}");
    let _ = writeln!(s, "CapEff:\t{caps:016x}");
    let _ = writeln!(s, "CapBnd:\t{DOCKER_CAPS:016x}");
    let _ = writeln!(s, "CapAmb:\t{:016x}", 0);
    let _ = writeln!(s, "NoNewPrivs:\t0");
    let _ = writeln!(s, "Seccomp:\t2");
    let _ = writeln!(s, "Seccomp_filters:\t1");
    let _ = writeln!(s, "Cpus_allowed:\t1");
    let _ = writeln!(s, "Cpus_allowed_list:\t0");
    let _ = writeln!(s, "voluntary_ctxt_switches:\t0");
    let _ = writeln!(s, "nonvoluntary_ctxt_switches:\t0");
    s
}

/// A `meminfo` line: the key padded to 16 columns, the value to 8, in kB.
fn kb_line(out: &mut String, key: &str, bytes: u64) {
    let _ = writeln!(out, "{:<16}{:>8} kB", format!("{key}:"), bytes / 1024);
}

/// `/proc/meminfo`: the container's memory limit as the total, its processes' memory as used.
pub fn meminfo(system: &System) -> String {
    let total = system.mem_total_bytes;
    let free = total.saturating_sub(system.mem_used_bytes);
    let mut s = String::new();
    let used = total - free;
    for (key, v) in [
        ("MemTotal", total),
        ("MemFree", free),
        ("MemAvailable", free),
        ("Buffers", 0),
        ("Cached", 0),
        ("SwapCached", 0),
        ("Active", used),
        ("Inactive", 0),
        ("SwapTotal", 0),
        ("SwapFree", 0),
        ("Dirty", 0),
        ("AnonPages", used),
        ("Mapped", 0),
        ("Shmem", 0),
        ("Slab", 0),
        ("SReclaimable", 0),
        ("CommitLimit", total),
        ("Committed_AS", used),
    ] {
        kb_line(&mut s, key, v);
    }
    s
}

/// Seconds with two decimals, as `/proc/uptime` and `/proc/loadavg` print them.
fn centis(micros: u64) -> String {
    let c = micros / 10_000;
    format!("{}.{:02}", c / 100, c % 100)
}

/// `/proc/uptime`: seconds since boot, and seconds the processor was idle.
pub fn uptime(system: &System) -> String {
    format!("{} {}\n", centis(system.uptime_micros), centis(system.idle_micros.min(system.uptime_micros)))
}

/// `/proc/loadavg`: the three load averages, runnable/total processes, the last pid.
pub fn loadavg(system: &System) -> String {
    let [a, b, c] = system.load.map(|l| if l.is_finite() { l.max(0.0) } else { 0.0 });
    format!("{a:.2} {b:.2} {c:.2} {}/{} {}\n", system.runnable, system.total, system.last_pid)
}

/// `/proc/cpuinfo`: one processor, the interpreter.
pub fn cpuinfo() -> String {
    let lines: [(&str, &str); 14] = [
        ("processor", "0"),
        ("vendor_id", "WebAssembly"),
        ("cpu family", "0"),
        ("model", "0"),
        ("model name", "wasmi WebAssembly interpreter"),
        ("stepping", "0"),
        ("cpu MHz", "1000.000"),
        ("cache size", "0 KB"),
        ("physical id", "0"),
        ("siblings", "1"),
        ("core id", "0"),
        ("cpu cores", "1"),
        ("flags", "wasm32"),
        ("bogomips", "2000.00"),
    ];
    let mut s = String::new();
    for (key, value) in lines {
        // Linux pads the key with tabs to the second tab stop.
        let tabs = if key.len() < 8 { "\t\t" } else { "\t" };
        let _ = writeln!(s, "{key}{tabs}: {value}");
    }
    s.push('\n');
    s
}

/// `/proc/mounts`: `source target fstype options 0 0`.
pub fn mounts(list: &[Mount]) -> String {
    list.iter().map(|m| format!("{} {} {} {} 0 0\n", m.source, m.target, m.fstype, m.options)).collect()
}

/// `/proc/statfs` (this playground's own file, for `df`): `target block_size blocks free avail`.
pub fn statfs(list: &[Mount]) -> String {
    list.iter().map(|m| format!("{} {} {} {} {}\n", m.target, m.block_size, m.blocks, m.free, m.avail)).collect()
}

#[cfg(test)]
#[path = "procfs_tests.rs"]
mod tests;
