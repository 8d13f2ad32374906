//! The engine's side: the program runs in the engine's process kernel (wasmi), on an in-memory
//! filesystem built like a container's (`/bin/busybox` and a symlink per applet).

use crate::{Outcome, Run, Setup, CWD, ENV};
use engine::fs::{Fs, Node};
use engine::platform::{Clock, Entropy, SeededEntropy, SystemClock};
use engine::process::{Kernel, Pipe, ProcStatus, RunOutcome, SpawnSpec, Stdio};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Longest a run may take before it counts as hung.
const LIMIT: Duration = Duration::from_secs(120);

/// A kernel and the tree its runs share (each run gets a fresh copy of the files, see [`EngineHost::run`]).
pub struct EngineHost {
    kernel: Kernel,
    clock: Rc<SystemClock>,
    setup: Setup,
    busybox: Rc<[u8]>,
}

impl EngineHost {
    pub fn new(setup: Setup) -> EngineHost {
        let clock = Rc::new(SystemClock::default());
        let entropy: Rc<RefCell<dyn Entropy>> = Rc::new(RefCell::new(SeededEntropy::new(7)));
        let kernel = Kernel::new(clock.clone(), entropy);
        let busybox: Rc<[u8]> = setup.busybox.clone().into();
        EngineHost { kernel, clock, setup, busybox }
    }

    /// A filesystem with the programs and the files of the setup.
    pub fn tree(&self) -> Result<Fs, String> {
        let fs = Fs::new();
        let e = |e: engine::fs::FsError| e.to_string();
        fs.mkdir_p("/bin", 0o755).map_err(e)?;
        fs.mkdir_p("/tmp", 0o1777).map_err(e)?;
        fs.mkdir_p(CWD, 0o755).map_err(e)?;
        fs.write_file("/bin/busybox", self.setup.busybox.clone(), 0o755).map_err(e)?;
        for applet in &self.setup.applets {
            fs.insert(&format!("/bin/{applet}"), Node::symlink("busybox")).map_err(e)?;
        }
        for (name, module) in &self.setup.programs {
            fs.write_file(&format!("/bin/{name}"), module.clone(), 0o755).map_err(e)?;
        }
        for (path, data) in &self.setup.files {
            let full = format!("{CWD}/{path}");
            if let Some((dir, _)) = full.rsplit_once('/') {
                fs.mkdir_p(dir, 0o755).map_err(e)?;
            }
            fs.write_file(&full, data.clone(), 0o644).map_err(e)?;
        }
        Ok(fs)
    }

    /// Runs `run` on a fresh copy of the tree, to its exit.
    pub fn run(&mut self, run: &Run) -> Result<Outcome, String> {
        let fs = self.tree()?;
        self.run_in(run, fs)
    }

    /// Runs `run` in `fs` (kept, so a caller can look at what the program changed).
    pub fn run_in(&mut self, run: &Run, fs: Fs) -> Result<Outcome, String> {
        let (stdin, stdout, stderr) = (Pipe::new(), Pipe::new(), Pipe::new());
        stdin.write_all(&run.stdin);
        stdin.close_write();
        let spec = SpawnSpec {
            program: self.busybox.clone(),
            args: run.argv.clone(),
            env: ENV.iter().map(|(k, v)| format!("{k}={v}")).collect(),
            cwd: CWD.into(),
            fs,
            stdin: Stdio::Pipe(stdin),
            stdout: Stdio::Pipe(stdout.clone()),
            stderr: Stdio::Pipe(stderr.clone()),
        };
        let pid = self.kernel.spawn(spec).map_err(|e| format!("spawn {:?}: {e}", run.argv))?;
        let started = Instant::now();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        loop {
            let outcome = self.kernel.run(self.clock.monotonic_micros() + 20_000);
            out.extend(stdout.drain());
            err.extend(stderr.drain());
            if let Some(ProcStatus::Exited(code)) = self.kernel.status(pid) {
                self.kernel.reap(pid);
                // Children the program left behind may still write into the pipes: let them run
                // until they end or block.
                while self.kernel.run(self.clock.monotonic_micros() + 20_000) == RunOutcome::Busy {
                    out.extend(stdout.drain());
                    err.extend(stderr.drain());
                }
                out.extend(stdout.drain());
                err.extend(stderr.drain());
                return Ok(Outcome { stdout: out, stderr: err, code });
            }
            if started.elapsed() > LIMIT {
                return Err(format!("{:?} still running after {LIMIT:?}", run.argv));
            }
            if let RunOutcome::Waiting { .. } = outcome {
                std::thread::sleep(Duration::from_micros(100));
            }
        }
    }
}

/// The applets `busybox` provides (`busybox --list`, run in the engine).
pub fn list_applets(busybox: &[u8]) -> Result<Vec<String>, String> {
    let setup = Setup { busybox: busybox.to_vec(), applets: Vec::new(), programs: Vec::new(), files: Vec::new() };
    let run = Run { argv: vec!["busybox".into(), "--list".into()], stdin: Vec::new() };
    let outcome = EngineHost::new(setup).run(&run)?;
    if outcome.code != 0 {
        return Err(format!("busybox --list exited with {}", outcome.code));
    }
    Ok(outcome.stdout_text().lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
}
