//! `docker version`: the client's and the daemon's versions. The playground reports the Docker
//! release whose behaviour it follows, and says plainly what actually runs underneath: a client
//! and daemon compiled to WebAssembly, running WASI programs with the wasmi interpreter.

use super::{parse_or_task, Arity, Finished, Spec, Task};

const SPEC: Spec = Spec {
    name: "docker version",
    usage: "docker version [OPTIONS]",
    description: "Show the Docker version information",
    aliases: "",
    flags: &[],
    arity: Arity::None,
    interspersed: true,
};

pub fn start(args: &[String]) -> Box<dyn Task> {
    if let Err(task) = parse_or_task(&SPEC, args) {
        return task;
    }
    let v = crate::DOCKER_VERSION;
    let api = crate::API_VERSION;
    let host_arch = if cfg!(target_arch = "wasm32") { "browser/wasm32" } else { "native/playground" };
    Finished::out(format!(
        "Client: Docker Playground\n Version:           {v}\n API version:       {api}\n OS/Arch:           {host_arch}\n Context:           default\n\n\
         Server: Docker Playground Engine\n Engine:\n  Version:          {v}\n  API version:      {api} (minimum version 1.24)\n  OS/Arch:          wasip1/wasm\n  Experimental:     false\n \
         runtime:\n  Version:          wasmi 2.0\n"
    ))
}
