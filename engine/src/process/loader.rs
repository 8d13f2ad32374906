//! Loading programs, the `execve` part of starting a process: the executable's bytes are compiled
//! once per distinct content (a cache keyed by SHA-256, so a hundred `sh` processes share one
//! compiled module, as Linux shares one page-cache copy of `/bin/sh`), then instantiated in a
//! fresh store with the WASI system calls linked in. Imports the kernel does not implement link to
//! an `ENOSYS` stub (in `wasi_snapshot_preview1`, `wasix_32v1` and `playground_v1`); imports
//! from any other module refuse to start.

use super::state::ProcState;
use super::{wasi, wasix, ProcessError};
use crate::fs::{Node, NodeKind, NodeRef};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::{Rc, Weak};
use wasmi::{CompilationMode, Config, CustomFuelCosts, Engine, ExternType, Func, Instance, Linker, Module, Store};

/// A module compiled from a file, valid while the file is the same inode, unchanged.
struct FileModule {
    node: Weak<RefCell<Node>>,
    len: usize,
    mtime_ms: u64,
    module: Module,
}

/// Fuel for the module's own start function (initializers), if it has one.
const START_FUEL: u64 = 10_000_000;
/// wasmi's default price of `memory.copy`/`fill` and friends: one unit of fuel per 64 bytes.
const BYTES_COPIED_PER_FUEL: u32 = 64;
/// How deep guest calls may nest before a stack overflow trap (wasmi's default is 1000).
const MAX_RECURSION_DEPTH: usize = 16 * 1024;

/// The shared interpreter engine, the WASI linker and the compiled-module cache.
pub struct Loader {
    engine: Engine,
    linker: Linker<ProcState>,
    cache: HashMap<[u8; 32], Module>,
    /// Executable files already compiled, by inode: spawning `/bin/sh` again neither copies nor
    /// hashes its bytes.
    files: HashMap<usize, FileModule>,
}

impl Loader {
    pub fn new() -> Self {
        let mut config = Config::default();
        config.consume_fuel(true);
        // Functions are validated and translated when first called: a shell of 2 MB starts in
        // under a millisecond instead of ~150 ms (most of a multicall binary's code is never
        // run by one container). wasmi 2.0 charges fuel for that work, and running out of fuel
        // there is a fatal error, not a resumable pause; so the translation is made free of
        // fuel (it is bounded by the module's size, each function once). A function with
        // invalid code then fails when called, like a corrupt binary crashing at run time.
        config.compilation_mode(CompilationMode::Lazy);
        config.fuel_cost(CustomFuelCosts {
            bytes_copied_per_fuel: BYTES_COPIED_PER_FUEL,
            fuel_per_bytes_translated: 0,
            fuel_per_bytes_validated: 0,
        });
        config.set_max_recursion_depth(MAX_RECURSION_DEPTH);
        let engine = Engine::new(&config);
        // Defining each name once cannot fail; a test checks it.
        let linker = wasi::linker(&engine).unwrap_or_else(|_| Linker::new(&engine));
        Self { engine, linker, cache: HashMap::new(), files: HashMap::new() }
    }

    /// Compiles the executable file `node` (a regular file), or returns the cached module.
    pub fn compile_node(&mut self, node: &NodeRef) -> Result<Module, ProcessError> {
        let key = Rc::as_ptr(node) as usize;
        let (len, mtime_ms) = {
            let n = node.borrow();
            let NodeKind::File(data) = &n.kind else {
                return Err(ProcessError::ExecFormat("not a regular file".into()));
            };
            (data.len(), n.meta.mtime_ms)
        };
        if let Some(f) = self.files.get(&key) {
            let same = f.node.upgrade().is_some_and(|n| Rc::ptr_eq(&n, node));
            if same && f.len == len && f.mtime_ms == mtime_ms {
                return Ok(f.module.clone());
            }
        }
        let module = {
            let n = node.borrow();
            let NodeKind::File(data) = &n.kind else {
                return Err(ProcessError::ExecFormat("not a regular file".into()));
            };
            self.compile(data)?
        };
        self.files.retain(|_, f| f.node.strong_count() > 0);
        self.files.insert(key, FileModule { node: Rc::downgrade(node), len, mtime_ms, module: module.clone() });
        Ok(module)
    }

    /// Compiles (validates) `bytes`, or returns the cached module with the same content.
    pub fn compile(&mut self, bytes: &[u8]) -> Result<Module, ProcessError> {
        let key: [u8; 32] = Sha256::digest(bytes).into();
        if let Some(module) = self.cache.get(&key) {
            return Ok(module.clone());
        }
        let module = Module::new(&self.engine, bytes).map_err(|e| ProcessError::ExecFormat(e.to_string()))?;
        self.cache.insert(key, module.clone());
        Ok(module)
    }

    /// The WASI linker plus `ENOSYS` stubs for the unimplemented calls `module` imports.
    fn linker_for(&self, module: &Module) -> Result<Linker<ProcState>, ProcessError> {
        let mut linker = self.linker.clone();
        let mut stubbed = HashSet::new();
        for import in module.imports() {
            let unknown =
                || ProcessError::UnknownImport { module: import.module().to_string(), name: import.name().to_string() };
            let implemented = match import.module() {
                wasi::MODULE => wasi::IMPLEMENTED,
                wasix::MODULE => wasix::IMPLEMENTED,
                wasix::PLAYGROUND => wasix::PLAYGROUND_IMPLEMENTED,
                _ => return Err(unknown()),
            };
            let ExternType::Func(ty) = import.ty() else {
                return Err(unknown());
            };
            let (module_name, name) = (import.module(), import.name());
            if !implemented.contains(&name) && stubbed.insert((module_name.to_string(), name.to_string())) {
                wasi::define_enosys(&mut linker, module_name, name, ty.clone())
                    .map_err(|e| ProcessError::Instantiate(e.to_string()))?;
            }
        }
        Ok(linker)
    }

    /// A new process image: its store (owning `state`), instance and `_start` function.
    pub fn instantiate(
        &self,
        module: &Module,
        state: ProcState,
    ) -> Result<(Store<ProcState>, Instance, Func), ProcessError> {
        let linker = self.linker_for(module)?;
        let mut store = Store::new(&self.engine, state);
        store.limiter(|st| &mut st.limits);
        store.set_fuel(START_FUEL).ok();
        let instance =
            linker.instantiate_and_start(&mut store, module).map_err(|e| ProcessError::Instantiate(e.to_string()))?;
        store.data_mut().memory = instance.get_memory(&store, "memory");
        let start = instance.get_func(&store, "_start").ok_or(ProcessError::NoEntryPoint)?;
        let ty = start.ty(&store);
        if !ty.params().is_empty() || !ty.results().is_empty() {
            return Err(ProcessError::NoEntryPoint);
        }
        Ok((store, instance, start))
    }
}
