//! Namespaces: what makes a container look like a machine of its own. Docker gives each container
//! a PID namespace, so its first process is PID 1 and the processes it starts are numbered 2, 3...
//! among themselves, while the host sees them all under its own, larger numbers (the ones
//! `docker top` shows); and a UTS namespace, so it has its own host name. The user it runs as
//! (`docker run -u`) and its memory limit (`--memory`) are set by the daemon too.
//!
//! Here each process group ([`GroupId`], one per container) is a PID namespace: the kernel gives
//! each process a pid in its group's namespace besides its global [`Pid`]. Guests see only
//! namespaced pids (`getpid`, `getppid`, `waitpid`, `kill`, `/proc`); the engine's API keeps the
//! global ones. The daemon describes the container with [`GroupInfo`]; [`Kernel::processes`]
//! reports on its processes (`docker top`, `docker stats`). This module also shows the kernel
//! to the `/proc` generator ([`procfs::ProcSource`]), from one process's point of view.

use super::fdtable::Fd;
use super::kernel::{Body, Kernel, Live, Parent, Proc};
use super::mounts::container_mounts;
use super::procfs::{self, ProcSource};
use super::state::ProcState;
use super::{GroupId, Pid, ProcStatus};
use crate::fs::Fs;

/// What the daemon says about a container (a process group): its identity inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    /// The UTS namespace's host name (`/proc/sys/kernel/hostname`, `hostname`, `uname -n`).
    pub hostname: String,
    /// The user and group the processes run as (`docker run -u uid:gid`; 0:0 by default).
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups (runc takes them from the image's `/etc/group`).
    pub groups: Vec<u32>,
    /// `docker run --memory`: `MemTotal` in `/proc/meminfo`, and each process's memory cap.
    /// `None`: the kernel's default limit.
    pub memory_limit_bytes: Option<u64>,
    /// The network namespace its processes use (`--network`); the host's by default.
    pub netns: crate::network::stack::NetnsId,
}

impl Default for GroupInfo {
    fn default() -> Self {
        Self {
            hostname: "localhost".to_string(),
            uid: 0,
            gid: 0,
            groups: Vec::new(),
            memory_limit_bytes: None,
            netns: crate::network::stack::HOST_NETNS,
        }
    }
}

/// Where a process stands, as `ps` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessState {
    /// Runnable (`R`).
    Running,
    /// Waiting in a system call (`S`).
    Sleeping,
    /// Exited, not yet reaped (`Z`).
    Zombie,
}

/// One process, for `docker top` and `docker stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessInfo {
    /// The global pid (what the host sees).
    pub pid: Pid,
    /// Its pid inside the container.
    pub ns_pid: u32,
    /// The global pid of its parent, if that is a process (not the engine).
    pub ppid: Option<Pid>,
    pub uid: u32,
    pub gid: u32,
    /// Its command line (empty for a zombie but `argv[0]`).
    pub argv: Vec<String>,
    /// When it started: the kernel's monotonic clock, and the wall clock (ms since the epoch).
    pub started_micros: u64,
    pub started_unix_ms: u64,
    /// Time it spent running (counted by the scheduler).
    pub cpu_micros: u64,
    /// Its memory: the size of its WebAssembly linear memory (0 for a zombie).
    pub memory_bytes: u64,
    pub state: ProcessState,
    /// Whether it has a controlling terminal (`docker top`'s TTY: `pts/0`, else `?`).
    pub tty: bool,
}

/// A PID namespace: the pids given out so far, and the container's identity.
#[derive(Debug, Clone)]
pub(crate) struct Namespace {
    pub info: GroupInfo,
    next_pid: u32,
    last_pid: u32,
}

impl Default for Namespace {
    fn default() -> Self {
        Self { info: GroupInfo::default(), next_pid: 1, last_pid: 0 }
    }
}

/// Load averages as Linux computes them: every 5 seconds, an exponentially decaying average of
/// the number of runnable processes over 1, 5 and 15 minutes.
#[derive(Debug, Clone)]
pub(crate) struct LoadAverage {
    pub values: [f64; 3],
    next_at_micros: u64,
}

/// Linux samples the run queue every 5 s.
const LOAD_INTERVAL_MICROS: u64 = 5_000_000;
/// Past this many missed samples (an hour), the average restarts from the present.
const LOAD_MAX_CATCH_UP: u64 = 720;

impl LoadAverage {
    pub fn new(now_micros: u64) -> Self {
        Self { values: [0.0; 3], next_at_micros: now_micros.saturating_add(LOAD_INTERVAL_MICROS) }
    }

    /// Whether a sample is due at `now`.
    pub fn due(&self, now_micros: u64) -> bool {
        now_micros >= self.next_at_micros
    }

    /// Takes the samples due by `now` with `runnable` processes.
    pub fn sample(&mut self, now_micros: u64, runnable: usize) {
        if now_micros < self.next_at_micros {
            return;
        }
        let due = (now_micros - self.next_at_micros) / LOAD_INTERVAL_MICROS + 1;
        let n = runnable as f64;
        if due > LOAD_MAX_CATCH_UP {
            self.values = [n; 3];
        } else {
            for _ in 0..due {
                for (value, minutes) in self.values.iter_mut().zip([1.0f64, 5.0, 15.0]) {
                    let decay = (-5.0 / (60.0 * minutes)).exp();
                    *value = *value * decay + n * (1.0 - decay);
                }
            }
        }
        self.next_at_micros = self.next_at_micros.saturating_add(due.saturating_mul(LOAD_INTERVAL_MICROS));
    }
}

/// The command name of a program started as `argv0`: its file name.
fn comm_of(argv0: &str) -> String {
    argv0.rsplit('/').next().unwrap_or(argv0).to_string()
}

/// A signal mask of ours (bit n for signal n) in Linux's layout (bit n - 1).
fn linux_mask(mask: u32) -> u64 {
    u64::from(mask) >> 1
}

/// The size of a process's linear memory.
fn memory_of(live: &Live) -> u64 {
    live.store.data().memory.map_or(0, |m| m.data_size(&live.store) as u64)
}

fn state_of(status: ProcStatus) -> ProcessState {
    match status {
        ProcStatus::Running => ProcessState::Running,
        ProcStatus::Blocked => ProcessState::Sleeping,
        ProcStatus::Exited(_) => ProcessState::Zombie,
    }
}

impl Kernel {
    /// Describes the container that `group` is: host name, user, memory limit. Processes see it
    /// at once (`/proc`); a memory limit applies to processes started from now on. Call it
    /// before spawning the container's first process.
    pub fn set_group_info(&mut self, group: GroupId, info: GroupInfo) {
        if let Some(bytes) = info.memory_limit_bytes {
            self.set_memory_limit_for(group, usize::try_from(bytes).unwrap_or(usize::MAX));
        }
        let netns = info.netns;
        self.namespaces.entry(group.0).or_default().info = info;
        // Its processes move to the container's network namespace.
        let handle = self.net.handle(netns);
        for p in self.procs.values_mut().filter(|p| p.group == group.0) {
            if let Body::Live(live) = &mut p.body {
                live.store.data_mut().net = handle.clone();
            }
        }
    }

    /// What [`Kernel::set_group_info`] said about `group` (defaults otherwise).
    pub fn group_info(&self, group: GroupId) -> GroupInfo {
        self.namespaces.get(&group.0).map(|ns| ns.info.clone()).unwrap_or_default()
    }

    /// The pid `pid` has inside its container (its PID namespace).
    pub fn namespaced_pid(&self, pid: Pid) -> Option<u32> {
        self.procs.get(&pid.0).map(|p| p.ns_pid)
    }

    /// The group (container) `pid` belongs to.
    pub fn group_of(&self, pid: Pid) -> Option<GroupId> {
        self.procs.get(&pid.0).map(|p| GroupId(p.group))
    }

    /// The processes of `group`, zombies included, by global pid (`docker top`, `docker stats`).
    pub fn processes(&self, group: GroupId) -> Vec<ProcessInfo> {
        self.procs.iter().filter(|(_, p)| p.group == group.0).map(|(&pid, p)| self.info(pid, p)).collect()
    }

    /// One process, by global pid.
    pub fn process_info(&self, pid: Pid) -> Option<ProcessInfo> {
        self.procs.get(&pid.0).map(|p| self.info(pid.0, p))
    }

    fn info(&self, pid: u32, p: &Proc) -> ProcessInfo {
        let ns = self.group_info(GroupId(p.group));
        let (argv, memory_bytes, tty) = match &p.body {
            Body::Live(live) => (live.store.data().args.clone(), memory_of(live), live.store.data().tty.is_some()),
            Body::Zombie(_) => (vec![p.argv0.clone()], 0, false),
        };
        ProcessInfo {
            pid: Pid(pid),
            ns_pid: p.ns_pid,
            ppid: match p.parent {
                Parent::Proc(pp) => Some(Pid(pp)),
                _ => None,
            },
            uid: ns.uid,
            gid: ns.gid,
            argv,
            started_micros: p.started_micros,
            started_unix_ms: p.started_unix_ms,
            cpu_micros: p.cpu_micros,
            memory_bytes,
            state: self.status(Pid(pid)).map_or(ProcessState::Zombie, state_of),
            tty,
        }
    }

    /// A fresh pid in `group`'s namespace: the next after the last one given, skipping those in
    /// use (and `reserved`: the caller's, out of the table during its turn); after
    /// [`procfs::PID_MAX`] it wraps to 2, as Linux does in a container.
    pub(crate) fn allocate_ns_pid(&mut self, group: u32, reserved: Option<u32>) -> Option<u32> {
        let used: std::collections::BTreeSet<u32> =
            self.procs.values().filter(|p| p.group == group).map(|p| p.ns_pid).chain(reserved).collect();
        let ns = self.namespaces.entry(group).or_default();
        for _ in 0..procfs::PID_MAX {
            let pid = ns.next_pid;
            ns.next_pid = if pid >= procfs::PID_MAX { 2 } else { pid + 1 };
            if !used.contains(&pid) {
                ns.last_pid = pid;
                return Some(pid);
            }
        }
        None
    }

    /// The global pid of `ns_pid` in `group`, among the processes in the table.
    pub(crate) fn global_pid(&self, group: u32, ns_pid: u32) -> Option<u32> {
        self.procs.iter().find(|(_, p)| p.group == group && p.ns_pid == ns_pid).map(|(&pid, _)| pid)
    }

    /// The namespaced pid of global `pid`; `reader` is (global, namespaced) pid of the process
    /// out of the table during its turn.
    fn ns_of(&self, pid: u32, reader: (u32, u32)) -> Option<u32> {
        if pid == reader.0 {
            return Some(reader.1);
        }
        self.procs.get(&pid).map(|p| p.ns_pid)
    }

    /// `/proc`'s view of a process (`st`: its state, if alive).
    fn describe(
        &self,
        proc: &Proc,
        st: Option<(&ProcState, u64)>,
        state: ProcessState,
        reader: (u32, u32),
    ) -> procfs::Process {
        let info = self.namespaces.get(&proc.group).map(|ns| &ns.info);
        let ppid = match proc.parent {
            Parent::Proc(pp) => self.ns_of(pp, reader).unwrap_or(0),
            // Reparented to the namespace's init.
            Parent::Orphan => 1,
            Parent::Engine => 0,
        };
        let mut p = procfs::Process {
            pid: proc.ns_pid,
            ppid,
            comm: comm_of(&proc.argv0),
            argv: Vec::new(),
            env: Vec::new(),
            cwd: "/".to_string(),
            state,
            uid: info.map_or(0, |i| i.uid),
            gid: info.map_or(0, |i| i.gid),
            groups: info.map(|i| i.groups.clone()).unwrap_or_default(),
            cpu_micros: proc.cpu_micros,
            start_micros: proc.started_micros.saturating_sub(self.boot_micros),
            memory_bytes: 0,
            tty: false,
            sig_pending: 0,
            sig_ignored: 0,
            sig_caught: 0,
        };
        if let Some((st, memory)) = st {
            p.comm = st.args.first().map_or(p.comm, |a| comm_of(a));
            p.argv = st.args.clone();
            p.env = st.env.clone();
            p.cwd = st.cwd.clone();
            p.memory_bytes = memory;
            p.tty = st.tty.is_some();
            p.sig_pending = linux_mask(st.signals.pending);
            p.sig_ignored = linux_mask(st.signals.ignored);
            if st.signals.handler.is_some() {
                // One handler takes every signal but those ignored (and KILL, STOP).
                let all = (1u64 << super::signal::MAX_SIGNAL) - 1;
                p.sig_caught = all & !p.sig_ignored & !(1 << 8) & !(1 << 18);
            }
        }
        p
    }

    /// What `/proc` shows to `pid` (out of the table during its turn: `proc`, `st`, and
    /// `memory`, the size of its linear memory).
    pub(crate) fn view<'a>(&'a self, pid: u32, proc: &Proc, st: &ProcState, memory: u64) -> View<'a> {
        let reader = (pid, proc.ns_pid);
        View {
            kernel: self,
            group: proc.group,
            reader,
            me: self.describe(proc, Some((st, memory)), ProcessState::Running, reader),
            fs: st.fs.clone(),
        }
    }
}

/// The kernel seen from one process (the reader), for `/proc`.
pub(crate) struct View<'a> {
    kernel: &'a Kernel,
    group: u32,
    /// The reader's global and namespaced pids.
    reader: (u32, u32),
    me: procfs::Process,
    /// The reader's root filesystem (for `df`).
    fs: Fs,
}

impl View<'_> {
    fn members(&self) -> impl Iterator<Item = (&u32, &Proc)> {
        self.kernel.procs.iter().filter(move |(_, p)| p.group == self.group)
    }
}

impl ProcSource for View<'_> {
    fn me(&self) -> u32 {
        self.me.pid
    }

    fn pids(&self) -> Vec<u32> {
        let mut pids: Vec<u32> = self.members().map(|(_, p)| p.ns_pid).chain([self.me.pid]).collect();
        pids.sort_unstable();
        pids.dedup();
        pids
    }

    fn process(&self, pid: u32) -> Option<procfs::Process> {
        if pid == self.me.pid {
            return Some(self.me.clone());
        }
        let (&global, proc) = self.members().find(|(_, p)| p.ns_pid == pid)?;
        let state = self.kernel.status(Pid(global)).map_or(ProcessState::Zombie, state_of);
        let st = match &proc.body {
            Body::Live(live) => Some((live.store.data(), memory_of(live))),
            Body::Zombie(_) => None,
        };
        Some(self.kernel.describe(proc, st, state, self.reader))
    }

    fn system(&self) -> procfs::System {
        let k = self.kernel;
        let now = k.clock.monotonic_micros();
        let uptime = now.saturating_sub(k.boot_micros);
        let ns = k.namespaces.get(&self.group);
        let limit = ns
            .and_then(|ns| ns.info.memory_limit_bytes)
            .or_else(|| k.memory_limits.get(&self.group).map(|&b| b as u64))
            .unwrap_or(k.memory_limit as u64);
        let mut used = self.me.memory_bytes;
        let mut runnable = 1;
        let mut total = 1;
        for (&pid, p) in self.members() {
            total += 1;
            if let Body::Live(live) = &p.body {
                used = used.saturating_add(memory_of(live));
                if k.status(Pid(pid)) == Some(ProcStatus::Running) {
                    runnable += 1;
                }
            }
        }
        procfs::System {
            hostname: ns.map_or_else(|| GroupInfo::default().hostname, |ns| ns.info.hostname.clone()),
            uptime_micros: uptime,
            idle_micros: uptime.saturating_sub(k.busy_micros),
            mem_total_bytes: limit,
            mem_used_bytes: used,
            load: k.load.values,
            runnable,
            total,
            last_pid: ns.map_or(self.me.pid, |ns| ns.last_pid),
        }
    }

    fn mounts(&self, sizes: bool) -> Vec<procfs::Mount> {
        container_mounts(&self.fs, sizes)
    }

    fn net(&self) -> Option<crate::network::stack::NetHandle> {
        let netns =
            self.kernel.namespaces.get(&self.group).map_or(crate::network::stack::HOST_NETNS, |ns| ns.info.netns);
        Some(self.kernel.net.handle(netns))
    }
}

/// What `/proc/<pid>/fd/<n>` points to, as `readlink` shows it.
pub fn fd_link_target(fd: &Fd) -> String {
    match fd {
        Fd::Null => "/dev/null".to_string(),
        Fd::PipeIn(_) | Fd::PipeOut(_) => "pipe:[0]".to_string(),
        Fd::Tty(_) => "/dev/pts/0".to_string(),
        Fd::Dir { path, .. } | Fd::VDir { path, .. } => path.clone(),
        Fd::File { node, .. } => format!("/[inode {}]", crate::process::wasi::types::inode_number(node)),
        Fd::Snapshot { path, .. } => path.clone(),
        Fd::Device(d) => format!("/dev/{}", d.name()),
        Fd::Socket(s) => format!("socket:[{}]", s.inode()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_averages_decay_like_linux() {
        let mut load = LoadAverage::new(0);
        load.sample(4_999_999, 1);
        assert_eq!(load.values, [0.0; 3], "no sample before 5 s");
        load.sample(60_000_000, 1);
        let [one, five, fifteen] = load.values;
        assert!((one - 0.63).abs() < 0.01, "{one}: one minute of one runnable process");
        assert!(five < one && fifteen < five);
        load.sample(10_000_000_000, 0);
        assert_eq!(load.values, [0.0; 3], "a long sleep restarts from the present");
    }
}
