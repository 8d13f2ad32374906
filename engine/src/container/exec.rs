//! `docker exec`: one more process in a running container, with the container's filesystem,
//! environment (plus `-e`), working directory (or `-w`), and process group: it shares the
//! container's PID namespace and limits, and dies with it. Its output goes to the client that
//! started it, not to the container's logs.

use super::start::find_executable;
use crate::process::{Pid, Pipe, SpawnOptions, SpawnSpec, Stdio, Tty};
use crate::{Daemon, Error};

/// What `docker exec` flags ask for.
#[derive(Debug, Clone, Default)]
pub struct ExecOptions {
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub tty: bool,
    pub interactive: bool,
}

/// A process started by `docker exec` and its streams.
#[derive(Debug)]
pub struct ExecHandle {
    pub pid: Pid,
    pub tty: Option<Tty>,
    pub stdin: Pipe,
    pub stdout: Pipe,
    pub stderr: Pipe,
}

impl Daemon {
    pub fn exec_in_container(&mut self, key: &str, opts: &ExecOptions) -> Result<ExecHandle, Error> {
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let Some(run) = &c.process else {
            return Err(Error::Conflict(format!("container {} is not running", c.id)));
        };
        if c.state.is_paused() {
            return Err(Error::Conflict(format!("Container {key} is paused, unpause the container before exec")));
        }
        let mut env = crate::network::links::merge_env(&c.config.env, c.net.link_env());
        for kv in &opts.env {
            let k = kv.split('=').next().unwrap_or(kv);
            env.retain(|e| e.split('=').next() != Some(k));
            env.push(kv.clone());
        }
        if !env.iter().any(|e| e.starts_with("HOME=")) {
            let uid = super::start::user_ids(&c.fs, &c.host.user).0;
            env.push(format!("HOME={}", super::start::user_home(&c.fs, uid)));
        }
        let cwd = opts.workdir.clone().unwrap_or_else(|| c.config.working_dir.clone());
        let arg0 = opts.cmd.first().ok_or(Error::NoCommand)?;
        let (_, program) = find_executable(&c.fs, arg0, &env, &cwd).map_err(|e| match e {
            Error::Exec(m) => Error::Conflict(format!(
                "OCI runtime exec failed: exec failed: unable to start container process: {m}: unknown"
            )),
            other => other,
        })?;
        let (stdin, stdout, stderr) = (Pipe::new(), Pipe::new(), Pipe::new());
        if !opts.interactive {
            stdin.close_write();
        }
        let tty = opts.tty.then(|| Tty::new(80, 24));
        let (i, o, e) = match &tty {
            Some(t) => (Stdio::Tty(t.clone()), Stdio::Tty(t.clone()), Stdio::Tty(t.clone())),
            None => (Stdio::Pipe(stdin.clone()), Stdio::Pipe(stdout.clone()), Stdio::Pipe(stderr.clone())),
        };
        let spec = SpawnSpec {
            program: program.into(),
            args: opts.cmd.clone(),
            env,
            cwd,
            fs: c.fs.clone(),
            stdin: i,
            stdout: o,
            stderr: e,
        };
        let group = run.group;
        let pid = self
            .kernel
            .spawn_with(spec, SpawnOptions { group, pid1: false })
            .map_err(|e| Error::Exec(e.to_string()))?;
        Ok(ExecHandle { pid, tty, stdin, stdout, stderr })
    }
}
