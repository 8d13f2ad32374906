//! What the kernel keeps for one process besides its WebAssembly instance: argv, environment,
//! working directory, root filesystem, descriptor table and resource limits, plus handles on the
//! machine's clock and entropy. It lives inside the process's `wasmi::Store`, so host functions
//! (the system calls) reach it from the `Caller`.

use super::fdtable::{Entry, Fd, FdTable};
use super::Stdio;
use crate::fs::Fs;
use crate::platform::{Clock, Entropy};
use std::cell::RefCell;
use std::rc::Rc;
use wasmi::{Memory, StoreLimits};

/// The kernel's side of one process.
pub struct ProcState {
    pub args: Vec<String>,
    pub env: Vec<String>,
    /// The working directory the process was started in (`WorkingDir`). WASI preview 1 has no
    /// `getcwd`: wasi-libc starts at "/", so this is kept for the WASIX calls to come.
    #[allow(dead_code)]
    pub cwd: String,
    pub fs: Fs,
    pub fds: FdTable,
    pub clock: Rc<dyn Clock>,
    pub entropy: Rc<RefCell<dyn Entropy>>,
    /// Memory and table caps, enforced by wasmi when the guest grows its memory.
    pub limits: StoreLimits,
    /// The guest's exported linear memory, once instantiated.
    pub memory: Option<Memory>,
}

impl ProcState {
    /// A process with stdio bound as given and "/" preopened as fd 3.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        args: Vec<String>,
        env: Vec<String>,
        cwd: String,
        fs: Fs,
        stdio: [Stdio; 3],
        clock: Rc<dyn Clock>,
        entropy: Rc<RefCell<dyn Entropy>>,
        limits: StoreLimits,
    ) -> Self {
        let mut fds = FdTable::default();
        for (n, s) in (0u32..).zip(stdio) {
            let fd = match s {
                Stdio::Null => Fd::Null,
                Stdio::Pipe(p) if n == 0 => Fd::PipeIn(p),
                Stdio::Pipe(p) => Fd::PipeOut(p),
            };
            fds.install(n, Entry::new(fd));
        }
        fds.install(
            3,
            Entry::new(Fd::Dir {
                node: fs.root(),
                path: "/".to_string(),
                preopen: Some("/".to_string()),
            }),
        );
        Self {
            args,
            env,
            cwd,
            fs,
            fds,
            clock,
            entropy,
            limits,
            memory: None,
        }
    }
}
