//! Processes from a guest's point of view: WASIX `proc_spawn` (posix_spawn: there is no `fork`,
//! since the interpreter cannot copy a running call stack), `proc_exec` (a new program image in
//! the same process), `proc_join` (`waitpid`), `proc_signal` (`kill`), `proc_parent`. These need
//! the process table and the program loader, so the kernel carries them out between slices
//! (`KOp`); this file decodes their arguments from guest memory, as the WASIX ABI
//! (`wasix_32v1`) lays them out, and does the work.
//!
//! A program is found in the caller's container filesystem like `execve` finds it: a name with a
//! `/` is a path (relative ones from the working directory), otherwise the `PATH` directories are
//! searched when asked. Symbolic links are followed (`/bin/sh` -> `/bin/busybox`); `argv[0]`
//! stays as given. A file that is not WebAssembly is `ENOEXEC` (a shell then runs it as a
//! script), one without an execute bit or on a `noexec` mount `EACCES`, a missing one `ENOENT`.

use crate::fs::{Fs, NodeKind, NodeRef};
use crate::process::access::{self, Cred};
use crate::process::blocked::{KOp, WouldBlock};
use crate::process::errno::Errno;
use crate::process::fdtable::{Entry, Fd, FdTable, FDFLAGEXT_CLOEXEC};
use crate::process::kernel::{Body, Death, KResult, Kernel, Live, NewProc, Parent, Proc};
use crate::process::mem;
use crate::process::pipe::{Pipe, PipeEnd};
use crate::process::procfs::ProcSource;
use crate::process::signal::{SignalState, MAX_SIGNAL};
use crate::process::state::{normalize, ProcState};
use crate::process::vfs::Miss;
use crate::process::wasi::path::{directory, open_path};

/// Most bytes of arguments plus environment (Linux's `ARG_MAX`); past it, `E2BIG`.
const ARG_MAX: usize = 2 * 1024 * 1024;
/// Most entries in an argument, environment or fd-operation list.
const MAX_LIST: u32 = 64 * 1024;
/// The `PATH` searched when neither the call nor the environment gives one.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const WASM_MAGIC: &[u8] = b"\0asm";

/// Size of a `proc_spawn_fd_op` record on wasm32.
const FD_OP_SIZE: u64 = 56;
const FD_OP_CLOSE: u8 = 0;
const FD_OP_DUP2: u8 = 1;
const FD_OP_OPEN: u8 = 2;
const FD_OP_CHDIR: u8 = 3;
const FD_OP_FCHDIR: u8 = 4;

/// `stdio_mode` of `proc_spawn`.
const STDIO_PIPED: u32 = 0;
const STDIO_NULL: u32 = 2;

/// `join_flags::non_blocking`.
const JOIN_NON_BLOCKING: u32 = 1;
/// `join_status_type`.
const JOIN_NOTHING: u8 = 0;
const JOIN_EXIT_NORMAL: u8 = 1;
const JOIN_EXIT_SIGNAL: u8 = 2;

/// The guest's memory and the process state of `live`.
fn split(live: &mut Live) -> (&mut [u8], &mut ProcState) {
    match live.store.data().memory {
        Some(memory) => memory.data_and_store_mut(&mut live.store),
        None => (&mut [], live.store.data_mut()),
    }
}

fn done(r: Result<(), Errno>) -> KResult {
    KResult::Done(r.err().unwrap_or(Errno::SUCCESS))
}

/// Counts argument bytes against [`ARG_MAX`].
struct Budget(usize);

impl Budget {
    fn take(&mut self, n: usize) -> Result<(), Errno> {
        self.0 = self.0.checked_sub(n.saturating_add(1)).ok_or(Errno::TOOBIG)?;
        Ok(())
    }
}

/// A NUL-terminated string at `ptr`.
fn cstring(m: &[u8], ptr: u32, budget: &mut Budget) -> Result<String, Errno> {
    let rest = m.get(ptr as usize..).ok_or(Errno::FAULT)?;
    let rest = &rest[..rest.len().min(budget.0 + 1)];
    let len =
        rest.iter().position(|&b| b == 0).ok_or(if rest.len() > budget.0 { Errno::TOOBIG } else { Errno::FAULT })?;
    budget.take(len)?;
    String::from_utf8(rest[..len].to_vec()).map_err(|_| Errno::ILSEQ)
}

/// An array of `count` pointers to NUL-terminated strings (`cstring_array`).
fn cstrings(m: &[u8], ptr: u32, count: u32, budget: &mut Budget) -> Result<Vec<String>, Errno> {
    if count > MAX_LIST {
        return Err(Errno::TOOBIG);
    }
    mem::bytes(m, ptr, count.checked_mul(4).ok_or(Errno::FAULT)?)?;
    (0..count)
        .map(|i| {
            let at = mem::read_u32(m, mem::offset(ptr, u64::from(i) * 4)?)?;
            cstring(m, at, budget)
        })
        .collect()
}

/// A string of entries separated by line feeds (the older calls' lists); empty ones dropped.
fn lines(m: &[u8], ptr: u32, len: u32, budget: &mut Budget) -> Result<Vec<String>, Errno> {
    budget.take(len as usize)?;
    Ok(mem::string(m, ptr, len)?.split(['\n', '\r']).filter(|s| !s.is_empty()).map(str::to_string).collect())
}

/// One `proc_spawn_fd_op`, decoded.
#[derive(Debug)]
struct FdOp {
    cmd: u8,
    fd: u32,
    src_fd: u32,
    path: String,
    dirflags: u32,
    oflags: u16,
    rights: u64,
    fdflags: u16,
    fdflagsext: u16,
}

fn fd_ops(m: &[u8], ptr: u32, count: u32, budget: &mut Budget) -> Result<Vec<FdOp>, Errno> {
    if count > MAX_LIST {
        return Err(Errno::TOOBIG);
    }
    let total = u64::from(count) * FD_OP_SIZE;
    mem::bytes(m, ptr, u32::try_from(total).map_err(|_| Errno::FAULT)?)?;
    (0..u64::from(count))
        .map(|i| {
            let at = mem::offset(ptr, i * FD_OP_SIZE)?;
            let field = |off: u64| mem::offset(at, off);
            let cmd = mem::read_u8(m, at)?;
            let needs_path = matches!(cmd, FD_OP_OPEN | FD_OP_CHDIR);
            let path = if needs_path {
                let (p, len) = (mem::read_u32(m, field(12)?)?, mem::read_u32(m, field(16)?)?);
                budget.take(len as usize)?;
                mem::string(m, p, len)?.to_string()
            } else {
                String::new()
            };
            Ok(FdOp {
                cmd,
                fd: mem::read_u32(m, field(4)?)?,
                src_fd: mem::read_u32(m, field(8)?)?,
                path,
                dirflags: mem::read_u32(m, field(20)?)?,
                oflags: mem::read_u16(m, field(24)?)?,
                rights: mem::read_u64(m, field(32)?)?,
                fdflags: mem::read_u16(m, field(48)?)?,
                fdflagsext: mem::read_u16(m, field(50)?)?,
            })
        })
        .collect()
}

/// `signal_disposition` records (signal, 0 = default / 1 = ignore), 2 bytes each.
fn dispositions(m: &[u8], ptr: u32, count: u32) -> Result<Vec<(u8, u8)>, Errno> {
    if count > MAX_LIST {
        return Err(Errno::TOOBIG);
    }
    let raw = mem::bytes(m, ptr, count.checked_mul(2).ok_or(Errno::FAULT)?)?;
    Ok(raw.chunks_exact(2).map(|c| (c[0], c[1])).collect())
}

/// A spawn or exec request, decoded from any version of the call.
struct Request {
    name: String,
    argv: Vec<String>,
    /// `None`: the caller's environment.
    env: Option<Vec<String>>,
    /// Where to search a name without `/`; `None`: use it as a path.
    search: Option<String>,
    ops: Vec<FdOp>,
    sigs: Vec<(u8, u8)>,
    /// `proc_spawn` (version 1): stdin, stdout, stderr modes and the working directory.
    stdio: Option<[u32; 3]>,
    cwd: Option<String>,
}

impl Request {
    fn new(name: String) -> Self {
        Self {
            name,
            argv: Vec::new(),
            env: None,
            search: None,
            ops: Vec::new(),
            sigs: Vec::new(),
            stdio: None,
            cwd: None,
        }
    }

    /// `search_path` and `path` arguments: an empty `path` means the environment's `PATH`.
    fn search_in(&mut self, search: u32, path: String) {
        if search != 0 {
            self.search = Some(path);
        }
    }

    /// The `PATH` to search, given the new program's environment.
    fn search_path(&self, env: &[String]) -> Option<String> {
        let from_env = || env.iter().find_map(|e| e.strip_prefix("PATH=")).unwrap_or(DEFAULT_PATH).to_string();
        match &self.search {
            Some(p) if !p.is_empty() => Some(p.clone()),
            Some(_) => Some(from_env()),
            None => None,
        }
    }
}

/// Whether `path` lies on a mount that forbids running programs (a tmpfs, by Docker's default).
fn on_noexec_mount(fs: &Fs, path: &str) -> bool {
    !fs.mounts().is_empty()
        && fs
            .resolve(path, true)
            .is_ok_and(|(canon, _)| fs.mounts().containing(&canon).is_some_and(|m| m.has_option("noexec")))
}

/// Finds the executable `name` in `fs`, as `execve`/`execvp` do.
pub fn find_program(fs: &Fs, cwd: &str, name: &str, search: Option<&str>, cred: &Cred) -> Result<NodeRef, Errno> {
    if name.is_empty() {
        return Err(Errno::NOENT);
    }
    let candidates: Vec<String> = match search {
        Some(path) if !name.contains('/') => path
            .split(':')
            .map(|d| if d.is_empty() { "." } else { d })
            .map(|d| normalize(cwd, &format!("{d}/{name}")))
            .collect(),
        _ => vec![normalize(cwd, name)],
    };
    let mut first_error = Errno::NOENT;
    for path in candidates {
        let node = match fs.lookup(&path, true) {
            Ok(node) => node,
            Err(_) => continue,
        };
        let runnable = cred.check_search(fs, &path).is_ok() && cred.may(&node, access::EXEC);
        let n = node.borrow();
        let error = match &n.kind {
            NodeKind::File(_) if !runnable || on_noexec_mount(fs, &path) => Errno::ACCES,
            NodeKind::File(data) if !data.starts_with(WASM_MAGIC) => return Err(Errno::NOEXEC),
            NodeKind::File(_) => {
                drop(n);
                return Ok(node);
            }
            _ => Errno::ACCES,
        };
        if first_error == Errno::NOENT {
            first_error = error;
        }
    }
    Err(first_error)
}

impl Kernel {
    /// Carries out a kernel call for process `pid` (out of the table during its turn).
    pub(crate) fn kernel_call(&mut self, pid: u32, proc: &Proc, live: &mut Live, op: KOp) -> KResult {
        match op {
            KOp::Native => self.native_call(pid, live),
            KOp::Spawn { version, args } => self.spawn_call(pid, proc, live, version, args),
            KOp::Exec { version, args } => self.exec_call(pid, proc, live, version, args),
            KOp::Join { pid: p, flags, status } => self.join_call(pid, live, p, flags, status),
            KOp::Signal { pid: target, sig } => self.signal_call(proc, live, target, sig),
            KOp::Parent { pid: target, out } => {
                // Pids are the caller's namespace's; the parent of its first process is outside: 0.
                let parent = if target == proc.ns_pid {
                    Some(proc.parent)
                } else {
                    self.global_pid(proc.group, target).and_then(|g| self.procs.get(&g)).map(|p| p.parent)
                };
                let parent = parent.map(|p| match p {
                    Parent::Proc(pp) if pp == pid => proc.ns_pid,
                    Parent::Proc(pp) => self.procs.get(&pp).map_or(0, |p| p.ns_pid),
                    Parent::Orphan => 1,
                    Parent::Engine => 0,
                });
                let (m, _) = split(live);
                done(match parent {
                    None => Err(Errno::SRCH),
                    Some(p) => mem::write_u32(m, out, p),
                })
            }
            KOp::Path(op) => {
                let memory = split(live).0.len() as u64;
                let st = live.store.data();
                let view = self.view(pid, proc, st, memory);
                let (m, st) = split(live);
                done(op.perform(st, m, Some(&view)).map_err(Miss::errno))
            }
        }
    }

    fn decode_spawn(m: &[u8], version: u8, a: [u32; 14]) -> Result<(Request, u32), Errno> {
        let mut budget = Budget(ARG_MAX);
        let name = mem::string(m, a[0], a[1])?.to_string();
        let mut req = Request::new(name.clone());
        let ret = match version {
            1 => {
                req.argv = std::iter::once(name).chain(lines(m, a[3], a[4], &mut budget)?).collect();
                req.stdio = Some([a[7], a[8], a[9]]);
                let wd = mem::string(m, a[10], a[11])?;
                if !wd.is_empty() && wd != "." {
                    req.cwd = Some(wd.to_string());
                }
                req.search = Some(String::new());
                mem::bytes(m, a[12], 28)?;
                a[12]
            }
            _ => {
                if version == 2 {
                    req.argv = lines(m, a[2], a[3], &mut budget)?;
                    if a[4] != 0 {
                        req.env = Some(lines(m, a[4], a[5], &mut budget)?);
                    }
                } else {
                    req.argv = cstrings(m, a[2], a[3], &mut budget)?;
                    if a[4] != 0 {
                        req.env = Some(cstrings(m, a[4], a[5], &mut budget)?);
                    }
                }
                req.ops = fd_ops(m, a[6], a[7], &mut budget)?;
                req.sigs = dispositions(m, a[8], a[9])?;
                let path = mem::string(m, a[11], a[12])?.to_string();
                req.search_in(a[10], path);
                mem::bytes(m, a[13], 4)?;
                a[13]
            }
        };
        if req.argv.is_empty() {
            req.argv.push(req.name.clone());
        }
        Ok((req, ret))
    }

    fn decode_exec(m: &[u8], version: u8, a: [u32; 9]) -> Result<Request, Errno> {
        let mut budget = Budget(ARG_MAX);
        let name = mem::string(m, a[0], a[1])?.to_string();
        let mut req = Request::new(name);
        if version == 4 {
            req.argv = cstrings(m, a[2], a[3], &mut budget)?;
            if a[4] != 0 {
                req.env = Some(cstrings(m, a[4], a[5], &mut budget)?);
            }
        } else {
            req.argv = lines(m, a[2], a[3], &mut budget)?;
            if version >= 2 && a[4] != 0 {
                req.env = Some(lines(m, a[4], a[5], &mut budget)?);
            }
        }
        if version >= 3 {
            let path = mem::string(m, a[7], a[8])?.to_string();
            req.search_in(a[6], path);
        } else {
            req.search = Some(String::new());
        }
        if req.argv.is_empty() {
            req.argv.push(req.name.clone());
        }
        Ok(req)
    }

    /// `proc_spawn`, `proc_spawn2`, `proc_spawn3`.
    fn spawn_call(&mut self, pid: u32, proc: &Proc, live: &mut Live, version: u8, args: [u32; 14]) -> KResult {
        let (m, st) = split(live);
        let (req, ret) = match Self::decode_spawn(m, version, args) {
            Ok(r) => r,
            Err(e) => return KResult::Done(e),
        };
        // The caller is out of the table during its turn: count it.
        if !self.room_for(proc.group, 1) {
            return KResult::Done(Errno::AGAIN);
        }
        let mut parent_ends: Vec<(usize, Entry)> = Vec::new();
        let memory = m.len() as u64;
        let child = match self.prepare_child(pid, proc, st, memory, req, &mut parent_ends) {
            Ok(c) => c,
            Err(e) => return KResult::Done(e),
        };
        let (np, argv0) = child;
        let child_pid = match self.create(np, argv0, Some(proc.ns_pid)) {
            // The caller knows its child by its namespaced pid.
            Ok(p) => self.procs.get(&p).map_or(0, |c| c.ns_pid),
            Err(e) => return KResult::Done(e),
        };
        let (m, st) = split(live);
        if version == 1 {
            // `process_handles`: pid, then an `option_fd` (tag, fd) per stream.
            let mut handles = [0u8; 28];
            handles[..4].copy_from_slice(&child_pid.to_le_bytes());
            for (stream, entry) in parent_ends {
                let Ok(fd) = st.fds.insert(entry) else {
                    continue;
                };
                let at = 4 + stream * 8;
                handles[at] = 1;
                handles[at + 4..at + 8].copy_from_slice(&fd.to_le_bytes());
            }
            return done(mem::write(m, ret, &handles));
        }
        done(mem::write_u32(m, ret, child_pid))
    }

    /// The child of a spawn: inherited descriptors with the requested changes, environment,
    /// working directory, signal dispositions, and its program.
    fn prepare_child(
        &self,
        pid: u32,
        proc: &Proc,
        st: &ProcState,
        memory: u64,
        req: Request,
        parent_ends: &mut Vec<(usize, Entry)>,
    ) -> Result<(NewProc, String), Errno> {
        let mut fds = st.fds.inherited();
        let mut cwd = st.cwd.clone();
        // Paths here may lead into /proc: the caller's view of it, when there are paths.
        let paths = req.cwd.is_some() || req.ops.iter().any(|op| matches!(op.cmd, FD_OP_OPEN | FD_OP_CHDIR));
        let view = paths.then(|| self.view(pid, proc, st, memory));
        let src = view.as_ref().map(|v| v as &dyn ProcSource);
        if let Some(dir) = &req.cwd {
            cwd = directory(st, src, dir).map_err(Miss::errno)?;
        }
        if let Some(modes) = req.stdio {
            for (n, mode) in (0u32..).zip(modes) {
                match mode {
                    STDIO_PIPED => {
                        let pipe = Pipe::new();
                        let (child, parent) = if n == 0 {
                            (Fd::PipeIn(PipeEnd::reader(pipe.clone())), Fd::PipeOut(PipeEnd::writer(pipe)))
                        } else {
                            (Fd::PipeOut(PipeEnd::writer(pipe.clone())), Fd::PipeIn(PipeEnd::reader(pipe)))
                        };
                        fds.install(n, Entry::new(child))?;
                        let mut parent = Entry::new(parent);
                        parent.ext = FDFLAGEXT_CLOEXEC;
                        parent_ends.push((n as usize, parent));
                    }
                    STDIO_NULL => fds.install(n, Entry::new(Fd::Null))?,
                    _ => {}
                }
            }
        }
        for op in &req.ops {
            apply_fd_op(st, src, &mut fds, &mut cwd, op)?;
        }
        let env = req.env.clone().unwrap_or_else(|| st.env.clone());
        let search = req.search_path(&env);
        let program = find_program(&st.fs, &cwd, &req.name, search.as_deref(), &st.cred)?;
        let mut signals = SignalState { ignored: st.signals.ignored, ..SignalState::default() };
        for &(sig, disp) in &req.sigs {
            signals.set_ignored(sig, disp == 1);
        }
        let argv0 = req.argv.first().cloned().unwrap_or_default();
        Ok((
            NewProc {
                program,
                args: req.argv,
                env,
                cwd,
                fs: st.fs.clone(),
                fds,
                parent: Parent::Proc(pid),
                group: proc.group,
                signals,
                tty: st.tty.clone(),
            },
            argv0,
        ))
    }

    /// `proc_exec` ... `proc_exec4`: the same process (pid, parent, descriptors but the
    /// close-on-exec ones, working directory, ignored signals) runs a new program.
    fn exec_call(&mut self, pid: u32, proc: &Proc, live: &mut Live, version: u8, args: [u32; 9]) -> KResult {
        let (m, st) = split(live);
        let result = Self::decode_exec(m, version, args).and_then(|req| {
            let env = req.env.clone().unwrap_or_else(|| st.env.clone());
            let search = req.search_path(&env);
            let program = find_program(&st.fs, &st.cwd, &req.name, search.as_deref(), &st.cred)?;
            Ok(NewProc {
                program,
                args: req.argv,
                env,
                cwd: st.cwd.clone(),
                fs: st.fs.clone(),
                fds: st.fds.inherited(),
                parent: proc.parent,
                group: proc.group,
                signals: st.signals.after_exec(),
                tty: st.tty.clone(),
            })
        });
        match result.and_then(|np| self.load(pid, proc.ns_pid, np)) {
            Ok(new) => KResult::Exec(new),
            // `proc_exec` and `proc_exec2` cannot return: the process ends as a shell would
            // report it (127 not found, 126 cannot execute).
            Err(e) if version <= 2 => KResult::Exit(Death::Exited(if e == Errno::NOENT { 127 } else { 126 })),
            Err(e) => KResult::Done(e),
        }
    }

    /// `proc_join(pid, flags, status)`: waits for a child (a given one, or any when `*pid` is
    /// `none`) to exit, reaps it and reports how it ended. Pids are namespaced.
    fn join_call(&mut self, me: u32, live: &mut Live, pid_ptr: u32, flags: u32, out: u32) -> KResult {
        let (m, _) = split(live);
        let wanted = match (mem::bytes(m, pid_ptr, 8), mem::bytes(m, out, 6)) {
            (Ok(_), Ok(_)) => match mem::read_u8(m, pid_ptr) {
                Ok(1) => mem::offset(pid_ptr, 4).and_then(|at| mem::read_u32(m, at)).ok(),
                _ => None,
            },
            _ => return KResult::Done(Errno::FAULT),
        };
        let children: Vec<(u32, Option<Death>)> = self
            .procs
            .iter()
            .filter(|(_, proc)| proc.parent == Parent::Proc(me) && wanted.is_none_or(|w| w == proc.ns_pid))
            .map(|(&p, proc)| {
                let death = match proc.body {
                    Body::Zombie(d) => Some(d),
                    Body::Live(_) => None,
                };
                (p, death)
            })
            .collect();
        if children.is_empty() {
            return KResult::Done(Errno::CHILD);
        }
        let mut status = [0u8; 6];
        let Some(&(child, Some(death))) = children.iter().find(|(_, d)| d.is_some()) else {
            if flags & JOIN_NON_BLOCKING != 0 {
                status[0] = JOIN_NOTHING;
                return done(mem::write(m, out, &status));
            }
            return KResult::Block(WouldBlock { wake_at_micros: None });
        };
        match death {
            Death::Exited(code) => {
                status[0] = JOIN_EXIT_NORMAL;
                status[2..4].copy_from_slice(&u16::from(code).to_le_bytes());
            }
            Death::Signaled(sig) => {
                status[0] = JOIN_EXIT_SIGNAL;
                status[4] = sig;
            }
        }
        let mut written = mem::write(m, out, &status);
        if wanted.is_none() && written.is_ok() {
            let mut opt = [0u8; 8];
            opt[0] = 1;
            let ns_pid = self.procs.get(&child).map_or(0, |c| c.ns_pid);
            opt[4..].copy_from_slice(&ns_pid.to_le_bytes());
            written = mem::write(m, pid_ptr, &opt);
        }
        if written.is_ok() {
            self.procs.remove(&child);
        }
        done(written)
    }

    /// `proc_signal(pid, sig)`: `kill(2)`, within the caller's group (its container), whose
    /// namespace numbers `target`.
    fn signal_call(&mut self, proc: &Proc, live: &mut Live, target: u32, sig: u32) -> KResult {
        let Ok(sig) = u8::try_from(sig) else {
            return KResult::Done(Errno::INVAL);
        };
        if sig > MAX_SIGNAL {
            return KResult::Done(Errno::INVAL);
        }
        if target == proc.ns_pid {
            if sig != 0 {
                if let Some(sig) = live.store.data_mut().signals.raise(sig) {
                    return KResult::Exit(Death::Signaled(sig));
                }
            }
            return KResult::Done(Errno::SUCCESS);
        }
        match self.global_pid(proc.group, target) {
            Some(global) => {
                if sig != 0 {
                    self.signal(global, sig);
                }
                KResult::Done(Errno::SUCCESS)
            }
            None => KResult::Done(Errno::SRCH),
        }
    }
}

/// Applies one `proc_spawn_fd_op` to the child's descriptors (`posix_spawn_file_actions`).
fn apply_fd_op(
    st: &ProcState,
    src: Option<&dyn ProcSource>,
    fds: &mut FdTable,
    cwd: &mut String,
    op: &FdOp,
) -> Result<(), Errno> {
    match op.cmd {
        // Closing a descriptor that is not open is not an error (as glibc does).
        FD_OP_CLOSE => {
            fds.close(op.fd).ok();
        }
        FD_OP_DUP2 => {
            let mut entry = fds.get(op.src_fd)?.clone();
            entry.ext &= !FDFLAGEXT_CLOEXEC;
            fds.install(op.fd, entry)?;
        }
        FD_OP_OPEN => {
            let full = normalize(cwd, &op.path);
            let mut entry =
                open_path(st, src, &full, op.dirflags, op.oflags, op.rights, op.fdflags).map_err(Miss::errno)?;
            entry.ext = op.fdflagsext & FDFLAGEXT_CLOEXEC;
            fds.install(op.fd, entry)?;
        }
        FD_OP_CHDIR => {
            let full = normalize(cwd, &op.path);
            *cwd = directory(st, src, &full).map_err(Miss::errno)?;
        }
        FD_OP_FCHDIR => match fds.get(op.fd)?.fd.dir_path() {
            Some(path) => *cwd = path.to_string(),
            None => return Err(Errno::NOTDIR),
        },
        _ => return Err(Errno::INVAL),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_found_like_execve_does() {
        let fs = Fs::new();
        fs.mkdir_p("/bin", 0o755).unwrap();
        fs.write_file("/bin/busybox", b"\0asm\x01\0\0\0".to_vec(), 0o755).unwrap();
        fs.insert("/bin/sh", crate::fs::Node::symlink("busybox")).unwrap();
        fs.write_file("/bin/script", b"#!/bin/sh\n".to_vec(), 0o755).unwrap();
        fs.write_file("/bin/data", b"\0asm".to_vec(), 0o644).unwrap();
        let path = Some("/usr/bin:/bin");
        let root = Cred::default();
        assert!(find_program(&fs, "/", "sh", path, &root).is_ok());
        assert!(find_program(&fs, "/bin", "./sh", None, &root).is_ok());
        assert!(find_program(&fs, "/", "/bin/sh", path, &root).is_ok());
        assert_eq!(find_program(&fs, "/", "sh", None, &root).err(), Some(Errno::NOENT));
        assert_eq!(find_program(&fs, "/", "nope", path, &root).err(), Some(Errno::NOENT));
        assert_eq!(find_program(&fs, "/", "script", path, &root).err(), Some(Errno::NOEXEC));
        assert_eq!(find_program(&fs, "/", "data", path, &root).err(), Some(Errno::ACCES));
        assert_eq!(find_program(&fs, "/", "/bin", path, &root).err(), Some(Errno::ACCES));
        assert_eq!(find_program(&fs, "/", "", path, &root).err(), Some(Errno::NOENT));
        let user = Cred { uid: 1000, gid: 1000, groups: Vec::new() };
        fs.write_file("/bin/mine", b"\0asm\x01\0\0\0".to_vec(), 0o700).unwrap();
        assert!(find_program(&fs, "/", "mine", path, &root).is_ok(), "root runs it: an x bit is set");
        assert_eq!(find_program(&fs, "/", "mine", path, &user).err(), Some(Errno::ACCES), "not the owner");
        assert!(find_program(&fs, "/", "sh", path, &user).is_ok());
    }

    #[test]
    fn strings_from_guest_memory_are_bounded() {
        let mut m = vec![0u8; 64];
        m[0..3].copy_from_slice(b"ab\0");
        m[8..12].copy_from_slice(&0u32.to_le_bytes());
        let mut b = Budget(ARG_MAX);
        assert_eq!(cstrings(&m, 8, 1, &mut b), Ok(vec!["ab".to_string()]));
        m[20..64].fill(b'x');
        assert_eq!(cstring(&m, 20, &mut b), Err(Errno::FAULT), "no NUL before the end");
        assert_eq!(cstring(&m, 200, &mut b), Err(Errno::FAULT));
        assert_eq!(cstring(&m, 0, &mut Budget(1)), Err(Errno::TOOBIG));
        assert_eq!(cstrings(&m, 8, u32::MAX, &mut b), Err(Errno::TOOBIG));
        m[0..6].copy_from_slice(b"a\nb\n\nc");
        assert_eq!(lines(&m, 0, 6, &mut b).unwrap(), vec!["a", "b", "c"]);
    }
}
