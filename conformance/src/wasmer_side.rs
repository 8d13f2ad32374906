//! The reference side: the same program under Wasmer (`wasmer-wasix`, its own WASIX
//! implementation, compiled natively by its singlepass compiler).
//!
//! The tree is two in-memory filesystems mounted at `/bin` (the programs) and `/work` (the files);
//! Wasmer's own root provides the rest (`/dev`, `/tmp`). A program spawned by another
//! (`proc_spawn3` with an absolute path) is loaded from that tree by Wasmer itself.

use crate::{Outcome, Run, Setup, CWD, ENOSYS, ENV};
use anyhow::Context;
use shared_buffer::OwnedBuffer;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wasmer::{ExternType, Function, FunctionType, Imports, Module, Type, Value};
use wasmer_wasix::runners::wasi::{RuntimeOrEngine, WasiRunner};
use wasmer_wasix::runtime::module_cache::HashedModuleData;
use wasmer_wasix::runtime::task_manager::tokio::TokioTaskManager;
use wasmer_wasix::virtual_fs::{mem_fs, AsyncWriteExt, FileSystem};
use wasmer_wasix::{Pipe, PluggableRuntime, Runtime, WasiError, WasiRuntimeError};

/// The imports the playground adds to WASIX, all answered with `ENOSYS`.
const PLAYGROUND_MODULE: &str = "playground_v1";

/// A Wasmer runtime with the guest compiled once.
pub struct WasmerHost {
    tokio: tokio::runtime::Runtime,
    runtime: Arc<dyn Runtime + Send + Sync>,
    module: Module,
    module_data: HashedModuleData,
    setup: Setup,
}

impl std::fmt::Debug for WasmerHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmerHost").finish_non_exhaustive()
    }
}

/// Defines every `playground_v1` function `module` imports as one that returns `ENOSYS`.
fn enosys_imports(module: &Module, store: &mut wasmer::StoreMut) -> anyhow::Result<Imports> {
    let mut imports = Imports::new();
    for import in module.imports().filter(|i| i.module() == PLAYGROUND_MODULE) {
        let ExternType::Function(ty) = import.ty() else {
            anyhow::bail!("{PLAYGROUND_MODULE}.{} is not a function", import.name());
        };
        let results: Vec<Value> = ty
            .results()
            .iter()
            .map(|t| match t {
                Type::I64 => Ok(Value::I64(i64::from(ENOSYS))),
                Type::I32 => Ok(Value::I32(ENOSYS)),
                other => Err(anyhow::anyhow!("{PLAYGROUND_MODULE}.{} returns {other:?}", import.name())),
            })
            .collect::<anyhow::Result<_>>()?;
        let ty = FunctionType::new(ty.params().to_vec(), ty.results().to_vec());
        let f = Function::new(store, ty, move |_args| Ok(results.clone()));
        imports.define(PLAYGROUND_MODULE, import.name(), f);
    }
    Ok(imports)
}

impl WasmerHost {
    pub fn new(setup: Setup) -> anyhow::Result<WasmerHost> {
        let tokio = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        let mut runtime = PluggableRuntime::new(Arc::new(TokioTaskManager::new(tokio.handle().clone())));
        runtime.with_additional_imports(enosys_imports);
        let runtime: Arc<dyn Runtime + Send + Sync> = Arc::new(runtime);
        let module_data = HashedModuleData::new(OwnedBuffer::from_bytes(setup.busybox.clone()));
        let module = {
            let _guard = tokio.enter();
            runtime.load_hashed_module_sync(module_data.clone(), None).context("compiling busybox")?
        };
        Ok(WasmerHost { tokio, runtime, module, module_data, setup })
    }

    /// `/bin`: busybox under its own name and each applet's, all sharing one buffer; the other programs.
    fn bin(&self) -> anyhow::Result<mem_fs::FileSystem> {
        let fs = mem_fs::FileSystem::default();
        let wasm = self.module_data.wasm().clone();
        fs.insert_ro_file(Path::new("/busybox"), wasm.clone())?;
        for applet in &self.setup.applets {
            fs.insert_ro_file(&Path::new("/").join(applet), wasm.clone())?;
        }
        for (name, module) in &self.setup.programs {
            fs.insert_ro_file(&Path::new("/").join(name), OwnedBuffer::from_bytes(module.clone()))?;
        }
        Ok(fs)
    }

    /// `/work` with the setup's files, writable.
    fn work(&self) -> anyhow::Result<mem_fs::FileSystem> {
        let fs = mem_fs::FileSystem::default();
        for (path, data) in &self.setup.files {
            let full = Path::new("/").join(path);
            let mut dir = PathBuf::from("/");
            if let Some(parent) = full.parent() {
                for part in parent.components().skip(1) {
                    dir.push(part);
                    if fs.metadata(&dir).is_err() {
                        fs.create_dir(&dir)?;
                    }
                }
            }
            let mut file = fs.new_open_options().create(true).write(true).truncate(true).open(&full)?;
            self.tokio.block_on(async { file.write_all(data).await })?;
        }
        Ok(fs)
    }

    /// Runs `run` on a fresh copy of the tree, to its exit.
    pub fn run(&self, run: &Run) -> anyhow::Result<Outcome> {
        let (mut stdin_tx, stdin_rx) = Pipe::channel();
        let (stdout_tx, mut stdout_rx) = Pipe::channel();
        let (stderr_tx, mut stderr_rx) = Pipe::channel();
        std::io::Write::write_all(&mut stdin_tx, &run.stdin)?;
        drop(stdin_tx); // end of file after the input
        let mut runner = WasiRunner::new();
        runner
            .with_args(run.argv.iter().skip(1))
            .with_envs(ENV.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .with_mount("/bin".into(), Arc::new(self.bin()?))
            .with_mount(CWD.into(), Arc::new(self.work()?))
            .with_current_dir(CWD)
            .with_stdin(Box::new(stdin_rx))
            .with_stdout(Box::new(stdout_tx))
            .with_stderr(Box::new(stderr_tx));
        let program = run.argv.first().map(String::as_str).unwrap_or("busybox");
        let result = {
            let _guard = self.tokio.enter();
            runner.run_wasm(
                RuntimeOrEngine::Runtime(self.runtime.clone()),
                program,
                self.module.clone(),
                *self.module_data.hash(),
            )
        };
        drop(runner);
        let code = match result {
            Ok(()) => 0,
            Err(e) => exit_code(&e).ok_or(e)?,
        };
        Ok(Outcome { stdout: drain(&mut stdout_rx), stderr: drain(&mut stderr_rx), code })
    }
}

/// The exit status in the error Wasmer returns for a non-zero exit.
fn exit_code(e: &anyhow::Error) -> Option<i32> {
    e.chain().find_map(|cause| match cause.downcast_ref::<WasiRuntimeError>() {
        Some(WasiRuntimeError::Wasi(WasiError::Exit(code))) => Some(code.raw()),
        _ => match cause.downcast_ref::<WasiError>() {
            Some(WasiError::Exit(code)) => Some(code.raw()),
            _ => None,
        },
    })
}

/// What is in `pipe` now, without waiting for writers that may still hold it.
fn drain(pipe: &mut Pipe) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    while let Some(n @ 1..) = pipe.try_read(&mut buf) {
        out.extend_from_slice(&buf[..n]);
    }
    out
}
