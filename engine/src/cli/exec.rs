//! `docker exec`: runs a command in a running container (`docker exec -it web sh`) and relays
//! its streams: output as it comes, input when `-i`, a terminal with `-t`; the command's exit
//! status becomes the client's.

use super::attach::Relay;
use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Input, Io, Spec, Step, Task};
use crate::container::{ExecHandle, ExecOptions};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::process::{ProcStatus, Signal};

const FLAGS: &[Flag] = &[
    Flag::bool("detach", Some('d'), "Detached mode: run command in the background"),
    Flag::list("env", Some('e'), "list", "Set environment variables"),
    Flag::bool("interactive", Some('i'), "Keep STDIN open even if not attached"),
    Flag::bool("tty", Some('t'), "Allocate a pseudo-TTY"),
    Flag::value("user", Some('u'), "string", "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
    Flag::value("workdir", Some('w'), "string", "Working directory inside the container"),
];

const SPEC: Spec = Spec {
    name: "docker exec",
    usage: "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]",
    description: "Execute a command in a running container",
    aliases: "docker container exec, docker exec",
    flags: FLAGS,
    arity: Arity::AtLeast(2),
    interspersed: false,
};

struct ExecTask {
    handle: ExecHandle,
    interactive: bool,
    relay: Relay,
}

impl Task for ExecTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let h = &self.handle;
        match &h.tty {
            Some(tty) => {
                io.stdout.extend(tty.take_output());
                if self.interactive {
                    self.relay.start(io, tty);
                }
            }
            None => {
                io.stdout.extend(h.stdout.drain());
                io.stderr.extend(h.stderr.drain());
            }
        }
        if let Some(ProcStatus::Exited(code)) = daemon.kernel.status(h.pid) {
            daemon.kernel.reap(h.pid);
            self.relay.restore();
            return Step::Done(code);
        }
        if self.interactive {
            match (io.read(), &h.tty) {
                (Some(Input::Data(bytes)), Some(tty)) => {
                    if self.relay.forward(tty, &bytes) {
                        self.relay.restore();
                        io.err("read escape sequence\n");
                        return Step::Done(0);
                    }
                }
                (Some(Input::Data(bytes)), None) => h.stdin.write_all(&bytes),
                (Some(Input::Eof), Some(tty)) => tty.hangup(),
                (Some(Input::Eof), None) => h.stdin.close_write(),
                (None, _) => {}
            }
        }
        Step::Pending(Activity::Idle)
    }

    fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        daemon.kernel.kill(self.handle.pid, Signal::Int);
        false
    }
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let opts = ExecOptions {
        cmd: m.args[1..].to_vec(),
        env: m.list("env").to_vec(),
        workdir: m.value("workdir").map(String::from),
        tty: m.flag("tty"),
        interactive: m.flag("interactive"),
    };
    match daemon.exec_in_container(&m.args[0], &opts) {
        Ok(_) if m.flag("detach") => Finished::out(""),
        Ok(handle) => Box::new(ExecTask { handle, interactive: opts.interactive, relay: Relay::default() }),
        Err(e) => {
            let status = if e.to_string().contains("executable file not found") { 127 } else { 1 };
            Finished::fail(daemon_error(&e), status)
        }
    }
}
