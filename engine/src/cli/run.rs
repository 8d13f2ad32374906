//! `docker run` and `docker create`: pull the image if it is missing, create a container, and for
//! `run` start it and either print its ID (`-d`) or stay attached until it exits, returning its
//! exit status (see [`super::attach`]).

use super::attach::Attach;
use super::pull::PullTask;
use super::{parse_or_task, Arity, Finished, Flag, Io, Prefixed, Spec, Step, Task};
use crate::container::CreateOptions;
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::image::Reference;
use crate::Error;

/// The flags `run` and `create` share, plus any given.
macro_rules! create_flags {
    ($($extra:expr),*) => {
        &[
            Flag::value("entrypoint", None, "string", "Overwrite the default ENTRYPOINT of the image"),
            Flag::list("env", Some('e'), "list", "Set environment variables"),
            Flag::list("env-file", None, "list", "Read in a file of environment variables"),
            Flag::value("hostname", Some('h'), "string", "Container host name"),
            Flag::bool("interactive", Some('i'), "Keep STDIN open even if not attached"),
            Flag::list("label", Some('l'), "list", "Set meta data on a container"),
            Flag::value("log-driver", None, "string", "Logging driver for the container"),
            Flag::list("log-opt", None, "list", "Log driver options"),
            Flag::value("memory", Some('m'), "bytes", "Memory limit"),
            Flag::list("mount", None, "mount", "Attach a filesystem mount to the container"),
            Flag::value("name", None, "string", "Assign a name to the container"),
            Flag::value("pids-limit", None, "int", "Tune container pids limit (set -1 for unlimited)"),
            Flag::value("restart", None, "string", "Restart policy to apply when a container exits").with_default("\"no\""),
            Flag::bool("rm", None, "Automatically remove the container and its associated anonymous volumes when it exits"),
            Flag::value("stop-signal", None, "string", "Signal to stop the container"),
            Flag::value("stop-timeout", None, "int", "Timeout (in seconds) to stop a container"),
            Flag::list("tmpfs", None, "list", "Mount a tmpfs directory"),
            Flag::bool("tty", Some('t'), "Allocate a pseudo-TTY"),
            Flag::value("user", Some('u'), "string", "Username or UID (format: <name|uid>[:<group|gid>])"),
            Flag::list("volume", Some('v'), "list", "Bind mount a volume"),
            Flag::list("volumes-from", None, "list", "Mount volumes from the specified container(s)"),
            Flag::value("workdir", Some('w'), "string", "Working directory inside the container"),
            // Health checks (see `run_flags::healthcheck`).
            Flag::value("health-cmd", None, "string", "Command to run to check health"),
            Flag::value("health-interval", None, "duration", "Time between running the check (ms|s|m|h) (default 0s)"),
            Flag::value("health-retries", None, "int", "Consecutive failures needed to report unhealthy"),
            Flag::value("health-start-interval", None, "duration", "Time between running the check during the start period (ms|s|m|h) (default 0s)"),
            Flag::value("health-start-period", None, "duration", "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)"),
            Flag::value("health-timeout", None, "duration", "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"),
            Flag::bool("no-healthcheck", None, "Disable any container-specified HEALTHCHECK"),
            // Networking (parsed in network_flags.rs).
            Flag::list("add-host", None, "list", "Add a custom host-to-IP mapping (host:ip)"),
            Flag::list("dns", None, "list", "Set custom DNS servers"),
            Flag::list("dns-option", None, "list", "Set DNS options"),
            Flag::list("dns-search", None, "list", "Set custom DNS search domains"),
            Flag::list("expose", None, "list", "Expose a port or a range of ports"),
            Flag::value("ip", None, "string", "IPv4 address (e.g., 172.30.100.104)"),
            Flag::list("link", None, "list", "Add link to another container"),
            Flag::list("network", None, "network", "Connect a container to a network"),
            Flag::list("network-alias", None, "list", "Add network-scoped alias for the container"),
            Flag::list("publish", Some('p'), "list", "Publish a container's port(s) to the host"),
            Flag::bool("publish-all", Some('P'), "Publish all exposed ports to random ports"),
            Flag::list("net", None, "network", "Connect a container to a network").hidden(),
            Flag::list("net-alias", None, "list", "Add network-scoped alias for the container").hidden(),
            $($extra),*
        ]
    };
}

const CREATE_FLAGS: &[Flag] = create_flags!();
const RUN_FLAGS: &[Flag] =
    create_flags!(Flag::bool("detach", Some('d'), "Run container in background and print container ID"));

const RUN: Spec = Spec {
    name: "docker run",
    usage: "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
    description: "Create and run a new container from an image",
    aliases: "docker container run, docker run",
    flags: RUN_FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: false,
};

const CREATE: Spec = Spec {
    name: "docker create",
    usage: "docker create [OPTIONS] IMAGE [COMMAND] [ARG...]",
    description: "Create a new container",
    aliases: "docker container create, docker create",
    flags: CREATE_FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: false,
};

/// What to do once the container exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `docker create`: print the ID.
    Create,
    /// `docker run -d`: start, print the ID.
    Detached,
    /// `docker run`: start and stay attached.
    Attached,
}

enum Stage {
    Pulling(Box<PullTask>),
    Create,
    Attached(Attach),
    Done,
}

struct RunTask {
    spec: &'static Spec,
    opts: CreateOptions,
    mode: Mode,
    stage: Stage,
}

/// The exit status and message for a failure, as the Docker client reports it.
fn fail(spec: &Spec, io: &mut Io, e: &Error) -> Step {
    io.err(format!("docker: {}\nRun '{} --help' for more information\n", super::daemon_error(e), spec.name));
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
            Err(e) => return fail(self.spec, io, &e),
        };
        let net = &self.opts.network;
        if net.mode.is_host() && (!net.bindings.is_empty() || net.publish_all) {
            io.err("WARNING: Published ports are discarded when using host network mode\n");
        }
        if self.mode == Mode::Create {
            io.out(format!("{id}\n"));
            return Step::Done(0);
        }
        if let Err(e) = daemon.start_container(id.as_str()) {
            return fail(self.spec, io, &e);
        }
        if self.mode == Mode::Detached {
            io.out(format!("{id}\n"));
            return Step::Done(0);
        }
        self.stage = Stage::Attached(Attach::new(daemon, id, self.opts.open_stdin, true));
        Step::Pending(Activity::Busy)
    }
}

impl Task for RunTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        loop {
            match &mut self.stage {
                Stage::Pulling(pull) => match pull.poll(daemon, io) {
                    Ok(Some(_)) => self.stage = Stage::Create,
                    Ok(None) => return Step::Pending(Activity::Waiting),
                    Err(e) => {
                        self.stage = Stage::Done;
                        return fail(self.spec, io, &e);
                    }
                },
                Stage::Create => {
                    let step = self.create_and_start(daemon, io);
                    if !matches!(self.stage, Stage::Attached(_)) {
                        self.stage = Stage::Done;
                        return step;
                    }
                }
                Stage::Attached(attach) => return attach.poll(daemon, io),
                Stage::Done => return Step::Done(0),
            }
        }
    }

    fn interrupt(&mut self, daemon: &mut Daemon) -> bool {
        match &mut self.stage {
            Stage::Attached(attach) => attach.interrupt(daemon),
            _ => true,
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

fn start_with(spec: &'static Spec, args: &[String], daemon: &mut Daemon, create_only: bool) -> Box<dyn Task> {
    let m = match parse_or_task(spec, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let image = m.args[0].clone();
    let reference = match Reference::parse(&image) {
        Ok(r) => r,
        Err(e) => {
            return Finished::fail(format!("docker: {e}\n\nRun '{} --help' for more information\n", spec.name), 125)
        }
    };
    let (mut host, file_env) = match super::run_flags::host_config(&m, daemon) {
        Ok(v) => v,
        Err(e) => {
            return Finished::fail(format!("docker: {e}\n\nRun '{} --help' for more information\n", spec.name), 125)
        }
    };
    let healthcheck = match super::run_flags::healthcheck(&m) {
        Ok(h) => h,
        Err(e) => {
            return Finished::fail(format!("docker: {e}\n\nRun '{} --help' for more information\n", spec.name), 125)
        }
    };
    let network = match super::network_flags::network_request(&m) {
        Ok(n) => n,
        Err(super::network_flags::FlagError::Usage(e)) => {
            let usage = format!("\n\nUsage:  {}\n\nRun '{} --help' for more information\n", spec.usage, spec.name);
            return Finished::fail(format!("{e}{usage}"), 125);
        }
        Err(super::network_flags::FlagError::Client(e)) => {
            return Finished::fail(format!("docker: {e}\n\nRun '{} --help' for more information\n", spec.name), 125)
        }
    };
    let mut mounts = match super::run_flags::mount_flags(&m, spec, &daemon.client_cwd) {
        Ok(v) => v,
        Err(text) => return Finished::fail(text, 125),
    };
    mounts.apply(&mut host);
    let opts = CreateOptions {
        healthcheck,
        network,
        host,
        image: image.clone(),
        name: m.value("name").map(String::from),
        cmd: m.args[1..].to_vec(),
        entrypoint: m.value("entrypoint").map(String::from),
        env: file_env.into_iter().chain(m.list("env").iter().cloned()).collect(),
        working_dir: m.value("workdir").map(String::from),
        hostname: m.value("hostname").map(String::from),
        tty: m.flag("tty"),
        open_stdin: m.flag("interactive"),
        auto_remove: m.flag("rm"),
        labels: labels(m.list("label")),
        volumes: mounts.anonymous,
    };
    let mode = match (create_only, m.flag("detach")) {
        (true, _) => Mode::Create,
        (false, true) => Mode::Detached,
        (false, false) => Mode::Attached,
    };
    let (stage, prefix) = if daemon.images.resolve(&image).is_some() {
        (Stage::Create, String::new())
    } else {
        let shown = reference.clone().with_default_tag();
        (Stage::Pulling(Box::new(PullTask::new(reference, true))), format!("Unable to find image '{shown}' locally\n"))
    };
    Box::new(Prefixed { text: prefix, to_stderr: true, inner: RunTask { spec, opts, mode, stage } })
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    start_with(&RUN, args, daemon, false)
}

pub fn create(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    start_with(&CREATE, args, daemon, true)
}
