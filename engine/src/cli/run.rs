//! `docker run`: pull the image if it is missing, create a container, start it, and either print
//! its ID (`-d`) or stay attached: stream its output until it exits and return its exit status.
//! While attached, Ctrl-C is forwarded to the container as SIGINT (Docker's signal proxy), and
//! with `-i` what the learner types goes to the container's stdin, a line at a time.

use super::pull::PullTask;
use super::{parse_or_task, Arity, Flag, Io, Prefixed, Spec, Step, Task};
use crate::container::{CreateOptions, LogStream};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::host::{EditEvent, LineEditor};
use crate::ids::ContainerId;
use crate::image::Reference;
use crate::process::Signal;
use crate::Error;

const FLAGS: &[Flag] = &[
    Flag::bool(
        "detach",
        Some('d'),
        "Run container in background and print container ID",
    ),
    Flag::value(
        "entrypoint",
        None,
        "string",
        "Overwrite the default ENTRYPOINT of the image",
    ),
    Flag::list("env", Some('e'), "list", "Set environment variables"),
    Flag::value("hostname", Some('h'), "string", "Container host name"),
    Flag::bool(
        "interactive",
        Some('i'),
        "Keep STDIN open even if not attached",
    ),
    Flag::list("label", Some('l'), "list", "Set meta data on a container"),
    Flag::value("name", None, "string", "Assign a name to the container"),
    Flag::bool(
        "rm",
        None,
        "Automatically remove the container and its associated anonymous volumes when it exits",
    ),
    Flag::bool("tty", Some('t'), "Allocate a pseudo-TTY"),
    Flag::value(
        "workdir",
        Some('w'),
        "string",
        "Working directory inside the container",
    ),
];

const SPEC: Spec = Spec {
    name: "docker run",
    usage: "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
    description: "Create and run a new container from an image",
    aliases: "docker container run, docker run",
    flags: FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: false,
};

enum Stage {
    Pulling(Box<PullTask>),
    Create,
    Attached { id: ContainerId, cursor: usize },
    Done,
}

struct RunTask {
    opts: CreateOptions,
    detach: bool,
    stage: Stage,
    editor: LineEditor,
}

/// The exit status and message for a failure, as the Docker client reports it.
fn fail(io: &mut Io, e: &Error) -> Step {
    io.err(format!(
        "docker: {}\nRun 'docker run --help' for more information\n",
        super::daemon_error(e)
    ));
    let status = match e {
        Error::Exec(m) if m.contains("not found") || m.contains("no such file") => 127,
        Error::Exec(_) => 126,
        _ => 125,
    };
    Step::Done(status)
}

impl RunTask {
    fn create_and_start(&mut self, daemon: &mut Daemon, io: &mut Io) -> Step {
        let id = match daemon.create_container(self.opts.clone()) {
            Ok(id) => id,
            Err(e) => return fail(io, &e),
        };
        if let Err(e) = daemon.start_container(id.as_str()) {
            return fail(io, &e);
        }
        if self.detach {
            io.out(format!("{id}\n"));
            return Step::Done(0);
        }
        self.stage = Stage::Attached { id, cursor: 0 };
        Step::Pending(Activity::Busy)
    }

    /// Copies new output to the terminal, forwards input; finishes when the container has exited.
    fn attached(&mut self, daemon: &mut Daemon, io: &mut Io) -> Step {
        let Stage::Attached { id, cursor } = &mut self.stage else {
            return Step::Done(0);
        };
        let Some(c) = daemon.containers.find(id.as_str()) else {
            return Step::Done(0);
        };
        for entry in &c.logs[(*cursor).min(c.logs.len())..] {
            let text = String::from_utf8_lossy(&entry.bytes);
            match entry.stream {
                LogStream::Stdout => io.out(text),
                LogStream::Stderr => io.err(text),
            }
        }
        *cursor = c.logs.len();
        if let crate::container::State::Exited { code, .. } = c.state {
            return Step::Done(code);
        }
        // Only `-i` connects the terminal to the container; otherwise typed-ahead input stays
        // for the shell, as it would on a real host.
        if !self.opts.open_stdin {
            return Step::Pending(Activity::Idle);
        }
        let Some(run) = &c.process else {
            return Step::Pending(Activity::Idle);
        };
        let (pid, stdin) = (run.pid, run.stdin.clone());
        let input = io.take_input();
        let mut echo = Vec::new();
        for event in self.editor.feed(&input, &mut echo) {
            match event {
                EditEvent::Interrupt => daemon.kernel.kill(pid, Signal::Int),
                EditEvent::Line(line) => stdin.write_all(format!("{line}\n").as_bytes()),
                EditEvent::EndOfFile => stdin.close_write(),
                EditEvent::Clear => {}
            }
        }
        io.stdout.extend_from_slice(&echo);
        Step::Pending(Activity::Idle)
    }
}

impl Task for RunTask {
    fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        let Stage::Attached { id, .. } = &self.stage else {
            return true;
        };
        match daemon
            .containers
            .find(id.as_str())
            .and_then(|c| c.process.as_ref())
        {
            Some(run) => {
                let pid = run.pid;
                daemon.kernel.kill(pid, Signal::Int);
                false
            }
            None => true,
        }
    }

    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        loop {
            match &mut self.stage {
                Stage::Pulling(pull) => match pull.poll(daemon, io) {
                    Ok(Some(_)) => self.stage = Stage::Create,
                    Ok(None) => return Step::Pending(Activity::Waiting),
                    Err(e) => {
                        self.stage = Stage::Done;
                        return fail(io, &e);
                    }
                },
                Stage::Create => {
                    let step = self.create_and_start(daemon, io);
                    if step != Step::Pending(Activity::Busy) {
                        self.stage = Stage::Done;
                        return step;
                    }
                }
                Stage::Attached { .. } => return self.attached(daemon, io),
                Stage::Done => return Step::Done(0),
            }
        }
    }
}

/// Turns `KEY=value` label flags into pairs.
fn labels(list: &[String]) -> Vec<(String, String)> {
    list.iter()
        .map(|l| match l.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (l.clone(), String::new()),
        })
        .collect()
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let image = m.args[0].clone();
    let reference = match Reference::parse(&image) {
        Ok(r) => r,
        Err(e) => {
            return super::Finished::fail(
                format!("docker: {e}\n\nRun 'docker run --help' for more information\n"),
                125,
            )
        }
    };
    let opts = CreateOptions {
        image: image.clone(),
        name: m.value("name").map(String::from),
        cmd: m.args[1..].to_vec(),
        entrypoint: m.value("entrypoint").map(String::from),
        env: m.list("env").to_vec(),
        working_dir: m.value("workdir").map(String::from),
        hostname: m.value("hostname").map(String::from),
        tty: m.flag("tty"),
        open_stdin: m.flag("interactive"),
        auto_remove: m.flag("rm"),
        labels: labels(m.list("label")),
    };
    let detach = m.flag("detach");
    let stage = if daemon.images.resolve(&image).is_some() {
        Stage::Create
    } else {
        Stage::Pulling(Box::new(PullTask::new(reference.clone(), true)))
    };
    let mut prefix = String::new();
    if matches!(stage, Stage::Pulling(_)) {
        prefix = format!(
            "Unable to find image '{}' locally\n",
            reference.clone().with_default_tag()
        );
    }
    Box::new(Prefixed {
        text: prefix,
        to_stderr: true,
        inner: RunTask {
            opts,
            detach,
            stage,
            editor: LineEditor::new(),
        },
    })
}
