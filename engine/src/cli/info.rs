//! `docker info`: system-wide information about the daemon: how many containers (and in which
//! state) and images it holds, and what it runs on. The layout is Docker's; the values say what
//! this daemon really is (an in-browser engine running WASI programs).

use super::{parse_or_task, Arity, Finished, Spec, Task};
use crate::container::State;
use crate::daemon::Daemon;

const SPEC: Spec = Spec {
    name: "docker info",
    usage: "docker info [OPTIONS]",
    description: "Display system-wide information",
    aliases: "docker system info, docker info",
    flags: &[],
    arity: Arity::None,
    interspersed: true,
};

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    if let Err(task) = parse_or_task(&SPEC, args) {
        return task;
    }
    let (mut running, mut paused, mut stopped) = (0, 0, 0);
    for c in daemon.containers.newest_first() {
        match c.state {
            State::Running { paused: true, .. } => paused += 1,
            State::Running { .. } => running += 1,
            State::Created | State::Exited { .. } => stopped += 1,
        }
    }
    let images = daemon.images.list().len();
    let v = crate::DOCKER_VERSION;
    Finished::out(format!(
        "Client:\n Version:    {v}\n Context:    default\n Debug Mode: false\n\n\
         Server:\n Containers: {}\n  Running: {running}\n  Paused: {paused}\n  Stopped: {stopped}\n Images: {images}\n \
         Server Version: {v}\n Storage Driver: overlay2 (in memory)\n Logging Driver: json-file\n \
         Cgroup Driver: none\n Runtimes: wasmi\n Default Runtime: wasmi\n Kernel Version: wasip1\n \
         Operating System: Docker Playground (in the browser)\n OSType: wasip1\n Architecture: wasm32\n \
         Name: playground\n Docker Root Dir: /var/lib/docker\n Debug Mode: false\n Experimental: false\n \
         Live Restore Enabled: false\n\n",
        running + paused + stopped
    ))
}
