//! `docker start` (and the second half of `docker run`): the container's mounts are set up and
//! its main process is spawned from its command line. As in runc, a command without a `/` is looked up in the container's
//! `PATH`; the file must be an executable (here: a WebAssembly module).

use super::{Running, State};
use crate::fs::{Fs, NodeKind};
use crate::process::{GroupInfo, Pipe, SpawnOptions, SpawnSpec, Stdio, Tty};
use crate::{Daemon, Error};

/// The first bytes of every WebAssembly module.
const WASM_MAGIC: &[u8] = b"\0asm";

/// Finds the program file for `arg0`, searching `PATH` when it has no slash.
pub(crate) fn find_executable(fs: &Fs, arg0: &str, env: &[String], cwd: &str) -> Result<(String, Vec<u8>), Error> {
    let candidates: Vec<String> = if arg0.contains('/') {
        let path = if arg0.starts_with('/') { arg0.to_string() } else { format!("{cwd}/{arg0}") };
        vec![path]
    } else {
        let path_var = env.iter().find_map(|e| e.strip_prefix("PATH=")).unwrap_or("/usr/local/bin:/usr/bin:/bin");
        path_var.split(':').filter(|d| !d.is_empty()).map(|d| format!("{}/{arg0}", d.trim_end_matches('/'))).collect()
    };
    for path in &candidates {
        let Ok(node) = fs.lookup(path, true) else {
            continue;
        };
        let node = node.borrow();
        match &node.kind {
            NodeKind::File(data) if node.meta.mode & 0o111 != 0 => {
                // A `#!` script is run through its interpreter by the kernel, as `execve` does.
                if !data.starts_with(WASM_MAGIC) && !data.starts_with(b"#!") {
                    return Err(Error::Exec(format!("exec {path}: exec format error")));
                }
                return Ok((path.clone(), data.clone()));
            }
            NodeKind::File(_) if arg0.contains('/') => {
                return Err(Error::Exec(format!("exec: \"{arg0}\": permission denied")));
            }
            NodeKind::Dir(_) if arg0.contains('/') => {
                return Err(Error::Exec(format!("exec: \"{arg0}\": is a directory")));
            }
            _ => {}
        }
    }
    if arg0.contains('/') {
        Err(Error::Exec(format!("exec: \"{arg0}\": stat {arg0}: no such file or directory")))
    } else {
        Err(Error::Exec(format!("exec: \"{arg0}\": executable file not found in $PATH")))
    }
}

/// The uid and gid `-u` names: numbers, or names looked up in the container's `/etc/passwd`
/// and `/etc/group` (root when unset).
pub(crate) fn user_ids(fs: &Fs, user: &str) -> (u32, u32) {
    if user.is_empty() {
        return (0, 0);
    }
    let (u, g) = user.split_once(':').map(|(u, g)| (u, Some(g))).unwrap_or((user, None));
    let table = |path: &str| String::from_utf8_lossy(&fs.read_file(path).unwrap_or_default()).into_owned();
    let passwd = table("/etc/passwd");
    let entry = passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&u) || f.get(2) == Some(&u));
    let uid = u.parse().ok().or_else(|| entry.as_ref().and_then(|f| f.get(2)?.parse().ok())).unwrap_or(0);
    let primary = entry.as_ref().and_then(|f| f.get(3)?.parse().ok()).unwrap_or(uid);
    let gid = match g {
        None => primary,
        Some(g) => g
            .parse()
            .ok()
            .or_else(|| {
                table("/etc/group")
                    .lines()
                    .map(|l| l.split(':').collect::<Vec<_>>())
                    .find(|f| f.first() == Some(&g))
                    .and_then(|f| f.get(2)?.parse().ok())
            })
            .unwrap_or(0),
    };
    (uid, gid)
}

/// The home directory of `uid` in the container's `/etc/passwd` (`/` when it has none), which
/// the runtime gives the process as `HOME` unless the environment sets it (`HOME=/root`).
pub(crate) fn user_home(fs: &Fs, uid: u32) -> String {
    let passwd = String::from_utf8_lossy(&fs.read_file("/etc/passwd").unwrap_or_default()).into_owned();
    passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.get(2).and_then(|id| id.parse::<u32>().ok()) == Some(uid))
        .and_then(|f| f.get(5).map(|h| h.to_string()))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "/".to_string())
}

impl Daemon {
    /// Starts a created or exited container's main process.
    pub fn start_container(&mut self, key: &str) -> Result<(), Error> {
        let result = self.start_main_process(key);
        // As Docker does, a `--rm` container that cannot start is removed at once.
        if result.is_err() && self.containers.find(key).is_some_and(|c| c.auto_remove && c.process.is_none()) {
            let _ = self.remove_container(key, true);
        }
        result
    }

    fn start_main_process(&mut self, key: &str) -> Result<(), Error> {
        let now = self.now_ms();
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        if c.state.is_paused() {
            return Err(Error::Conflict("cannot start a paused container, try unpause instead".into()));
        }
        if c.state.is_running() {
            return Ok(());
        }
        // Volumes, bind mounts and tmpfs are mounted afresh, as runc does at each start.
        self.mount_container(key, true)?;
        let c = self.containers.find_mut(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let argv = c.config.argv();
        let (pids_limit, memory) = (c.host.pids_limit, c.host.memory);
        let (user, c_fs) = (c.host.user.clone(), c.fs.clone());
        let arg0 = argv.first().ok_or(Error::NoCommand)?;
        let program = match find_executable(&c.fs, arg0, &c.config.env, &c.config.working_dir) {
            Ok((_, program)) => program,
            Err(e) => {
                // runc's failure leaves the container created, with exit code 127 recorded.
                return Err(e);
            }
        };
        let stdin = Pipe::new();
        let (stdout, stderr) = Pipe::ordered_pair();
        if !c.config.open_stdin {
            stdin.close_write();
        }
        // `-t`: the container gets a terminal of its own (stderr goes to it too, as in Docker).
        let tty = c.config.tty.then(|| Tty::new(80, 24));
        let (stdin_io, stdout_io, stderr_io) = match &tty {
            Some(t) => (Stdio::Tty(t.clone()), Stdio::Tty(t.clone()), Stdio::Tty(t.clone())),
            None => (Stdio::Pipe(stdin.clone()), Stdio::Pipe(stdout.clone()), Stdio::Pipe(stderr.clone())),
        };
        let (working_dir, id) = (c.config.working_dir.clone(), c.id.clone());
        // Networks are joined last, so a failure above leaves nothing to undo. Joining mounts
        // the /etc files: the processes get the filesystem as it is afterwards.
        let joined = self.join_networks(key)?;
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let fs = c.fs.clone();
        let mut env = crate::network::links::merge_env(&c.config.env, c.net.link_env());
        if tty.is_some() && !env.iter().any(|e| e.starts_with("TERM=")) {
            env.push("TERM=xterm".into());
        }
        if !env.iter().any(|e| e.starts_with("HOME=")) {
            env.push(format!("HOME={}", user_home(&fs, user_ids(&fs, &c.host.user).0)));
        }
        let spec = SpawnSpec {
            program: program.into(),
            args: argv.clone(),
            env,
            cwd: working_dir,
            fs,
            stdin: stdin_io,
            stdout: stdout_io,
            stderr: stderr_io,
        };
        let hostname = joined.hostname;
        let group = self.kernel.new_group();
        if let Some(limit) = pids_limit.filter(|n| *n > 0) {
            self.kernel.set_pids_limit(group, limit as usize);
        }
        let (uid, gid) = user_ids(&c_fs, &user);
        self.kernel.set_group_info(
            group,
            GroupInfo { hostname, uid, gid, groups: Vec::new(), memory_limit_bytes: memory, netns: joined.netns },
        );
        let pid = match self.kernel.spawn_with(spec, SpawnOptions { group, pid1: true }) {
            Ok(pid) => pid,
            Err(e) => {
                self.leave_networks(&id);
                return Err(Error::Exec(e.to_string()));
            }
        };
        let c = self.containers.find_mut(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        c.state = State::Running { started_ms: now, paused: false };
        c.manually_stopped = false;
        c.process = Some(Running { tty, pid, group, stdin, stdout, stderr });
        self.init_health(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_lookup_finds_wasm_and_words_failures_like_runc() {
        let fs = Fs::new();
        fs.write_file("/usr/bin/hello", b"\0asm\x01\0\0\0".to_vec(), 0o755).unwrap();
        fs.write_file("/etc/passwd", b"root".to_vec(), 0o644).unwrap();
        fs.write_file("/bin/script", b"echo hi".to_vec(), 0o755).unwrap();
        let env = vec!["PATH=/bin:/usr/bin".to_string()];
        assert_eq!(find_executable(&fs, "hello", &env, "/").unwrap().0, "/usr/bin/hello");
        let missing = find_executable(&fs, "nope", &env, "/").unwrap_err().to_string();
        assert!(missing.contains("exec: \"nope\": executable file not found in $PATH"), "{missing}");
        let denied = find_executable(&fs, "/etc/passwd", &env, "/").unwrap_err().to_string();
        assert!(denied.contains("permission denied"), "{denied}");
        let format = find_executable(&fs, "script", &env, "/").unwrap_err().to_string();
        assert!(format.contains("exec format error"), "{format}");
        fs.write_file("/bin/entry.sh", b"#!/bin/sh\n".to_vec(), 0o755).unwrap();
        assert_eq!(
            find_executable(&fs, "entry.sh", &env, "/").unwrap().0,
            "/bin/entry.sh",
            "the kernel runs its interpreter"
        );
    }
}
