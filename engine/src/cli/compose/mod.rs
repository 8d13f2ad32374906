//! `docker compose` (the CLI plugin) and `docker-compose` (the same program standalone): the
//! global flags (`-f`, `-p`, `--project-directory`, `--env-file`, `--profile`), the choice of
//! subcommand, loading the project from the host's files with the client's working directory and
//! environment, and Compose's way of reporting: warnings as logrus prints them
//! (`WARN[0000] ...` on a terminal), errors as one line on stderr with status 1.

mod attach;
mod config;
mod converge;
mod down;
mod fetch;
mod lifecycle;
mod logs;
mod ls;
mod progress;
mod ps;
mod query;
mod run;
mod starter;
mod up;
mod version;

use super::{Finished, Flag, Io, Matches, Parsed, Spec, Task, UsageError};
use crate::compose::{ComposeError, LoadOptions, Project};
use crate::daemon::Daemon;

/// How the program was started (the usage lines say `docker compose` either way, as Compose's do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invoked {
    Plugin,
    Standalone,
}

const GLOBAL_FLAGS: &[Flag] = &[
    Flag::bool("all-resources", None, "Include all resources, even those not used by services"),
    Flag::value(
        "ansi",
        None,
        "string",
        "Control when to print ANSI control characters (\"never\"|\"always\"|\"auto\")",
    )
    .with_default("\"auto\""),
    Flag::bool("compatibility", None, "Run compose in backward compatibility mode"),
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::list("env-file", None, "stringArray", "Specify an alternate environment file"),
    Flag::list("file", Some('f'), "stringArray", "Compose configuration files"),
    Flag::value("parallel", None, "int", "Control max parallelism, -1 for unlimited").with_default("-1"),
    Flag::list("profile", None, "stringArray", "Specify a profile to enable"),
    Flag::value("progress", None, "string", "Set type of progress output (auto, tty, plain, json, quiet)")
        .with_default("\"auto\""),
    Flag::value(
        "project-directory",
        None,
        "string",
        "Specify an alternate working directory (default: the path of the, first specified, Compose file)",
    ),
    Flag::value("project-name", Some('p'), "string", "Project name"),
    Flag::bool("version", Some('v'), "Show the Docker Compose version information"),
];

const SPEC: Spec = Spec {
    name: "docker compose",
    usage: "docker compose [OPTIONS] COMMAND",
    description: "Define and run multi-container applications with Docker",
    aliases: "",
    flags: GLOBAL_FLAGS,
    arity: super::Arity::Any,
    interspersed: false,
};

type Handler = fn(&[String], Global, &mut Daemon) -> Box<dyn Task>;

/// The subcommands this playground implements, with Compose's help lines.
const COMMANDS: &[(&str, &str, Handler)] = &[
    ("build", "Build or rebuild services", fetch::build),
    ("config", "Parse, resolve and render compose file in canonical format", config::start),
    ("down", "Stop and remove containers, networks", down::start),
    ("exec", "Execute a command in a running container", lifecycle::exec),
    ("images", "List images used by the created containers", query::images),
    ("logs", "View output from containers", logs::start),
    ("ls", "List running compose projects", ls::start),
    ("port", "Print the public port for a port binding", query::port),
    ("ps", "List containers", ps::start),
    ("pull", "Pull service images", fetch::pull),
    ("restart", "Restart service containers", lifecycle::restart),
    ("run", "Run a one-off command on a service", run::start),
    ("start", "Start services", lifecycle::start),
    ("stop", "Stop services", lifecycle::stop),
    ("top", "Display the running processes", query::top),
    ("up", "Create and start containers", up::start),
    ("version", "Show the Docker Compose version information", |a, _, _| version::start(a)),
];

/// The global flags, for the subcommand.
pub struct Global {
    matches: Matches,
}

impl Global {
    /// Whether progress is drawn as on a terminal (`--progress` or the terminal itself).
    pub fn tty(&self, io: &Io) -> bool {
        match self.matches.value("progress") {
            Some("plain" | "quiet" | "json") => false,
            Some("tty") => true,
            _ => io.interactive,
        }
    }

    /// Whether output is coloured (`--ansi`, else whether stdout is a terminal).
    pub fn ansi(&self, io: &Io) -> bool {
        match self.matches.value("ansi") {
            Some("never") => false,
            Some("always") => true,
            _ => io.stdout_tty,
        }
    }

    /// Loads the project as the flags, the client's folder and environment say.
    pub fn load(&self, daemon: &Daemon, warnings: &mut Vec<String>) -> Result<Project, ComposeError> {
        let shell_env = daemon
            .client_env
            .iter()
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let opts = LoadOptions {
            files: self.matches.list("file").to_vec(),
            project_name: self.matches.value("project-name").map(String::from),
            project_directory: self.matches.value("project-directory").map(String::from),
            env_files: self.matches.list("env-file").to_vec(),
            profiles: self.matches.list("profile").iter().flat_map(|p| p.split(',')).map(String::from).collect(),
            cwd: daemon.client_cwd.clone(),
            home: crate::host::HOME.to_string(),
            shell_env,
        };
        let fs = daemon.host_fs.clone();
        let read =
            move |p: &str| fs.lookup(p, true).ok().filter(|n| !n.borrow().is_dir()).and_then(|_| fs.read_file(p).ok());
        crate::compose::load(&opts, &read, warnings)
    }
}

/// Loads the project, printing the loader's warnings; the error is printed too.
pub fn load(global: &Global, daemon: &Daemon, io: &mut Io) -> Option<Project> {
    let mut warnings = Vec::new();
    let result = global.load(daemon, &mut warnings);
    for w in &warnings {
        warn(io, daemon.now_ms(), w);
    }
    match result {
        Ok(p) => Some(p),
        Err(e) => {
            io.err(format!("{e}\n"));
            None
        }
    }
}

/// Loads the project for a command given service names (`ps web`, `logs db`): each must be
/// one of its services (`no such service: x`).
pub fn load_for(global: &Global, daemon: &Daemon, io: &mut Io, services: &[String]) -> Option<Project> {
    let project = load(global, daemon, io)?;
    if let Some(s) = services.iter().find(|s| !project.services.contains_key(*s)) {
        io.err(format!("no such service: {s}\n"));
        return None;
    }
    Some(project)
}

/// Compose's usage errors: the message alone, status 1.
pub fn usage_error(e: &UsageError) -> Box<dyn Task> {
    let first = e.text.lines().next().unwrap_or("").trim_start_matches("docker: ");
    Finished::fail(format!("{first}\n"), 1)
}

/// Parses a subcommand's flags, Compose's way.
pub fn parse(spec: &Spec, args: &[String]) -> Result<Matches, Box<dyn Task>> {
    match spec.parse(args) {
        Ok(Parsed::Run(m)) => Ok(m),
        Ok(Parsed::Help) => Err(Finished::out(format!("{}\n", spec.help()))),
        Err(e) => {
            // Compose's commands count their arguments with cobra's own validators.
            let any = Spec { arity: super::Arity::Any, ..*spec };
            if let (super::Arity::AtLeast(k), Ok(Parsed::Run(m))) = (spec.arity, any.parse(args)) {
                if m.args.len() < k {
                    return Err(Finished::fail(
                        format!("requires at least {k} arg(s), only received {}\n", m.args.len()),
                        1,
                    ));
                }
            }
            Err(usage_error(&e))
        }
    }
}

/// A warning as logrus prints it: coloured and padded on a terminal, logfmt otherwise.
pub fn warn(io: &mut Io, now_ms: u64, message: &str) {
    if io.interactive {
        io.err(format!("\x1b[33mWARN\x1b[0m[0000] {message:<44} \n"));
    } else {
        let time = &crate::units::rfc3339_nanos(now_ms)[..19];
        let quoted = serde_json::to_string(message).unwrap_or_default();
        io.err(format!("time=\"{time}Z\" level=warning msg={quoted}\n"));
    }
}

fn help() -> String {
    let mut out = format!("Usage:  {}\n\n{}\n", SPEC.usage, SPEC.description);
    let flags = SPEC.help();
    if let Some(options) = flags.split_once("\nOptions:\n").map(|(_, o)| o) {
        let options: String = options.lines().filter(|l| !l.contains("--version")).map(|l| format!("{l}\n")).collect();
        out.push_str(&format!("\nOptions:\n{options}"));
    }
    out.push_str("\nCommands:\n");
    for (name, about, _) in COMMANDS {
        out.push_str(&format!("  {name:<11} {about}\n"));
    }
    out.push_str("\nRun 'docker compose COMMAND --help' for more information on a command.\n");
    out
}

/// Runs `docker compose <args>` (or `docker-compose <args>`).
pub fn dispatch(args: &[String], daemon: &mut Daemon, _invoked: Invoked) -> Box<dyn Task> {
    let matches = match SPEC.parse(args) {
        Ok(Parsed::Run(m)) => m,
        Ok(Parsed::Help) => return Finished::out(help()),
        Err(e) => return usage_error(&e),
    };
    if matches.flag("version") {
        return version::start(&[]);
    }
    if let Some(ansi) = matches.value("ansi") {
        if !matches!(ansi, "never" | "always" | "auto") {
            return Finished::fail(format!("invalid --ansi value \"{ansi}\"\n"), 1);
        }
    }
    let Some((command, rest)) = matches.args.split_first() else {
        return Finished::out(help());
    };
    let Some((_, _, run)) = COMMANDS.iter().find(|(name, _, _)| name == command) else {
        return Box::new(Finished::both(help(), format!("unknown docker command: \"compose {command}\"\n"), 1));
    };
    let rest = rest.to_vec();
    let global = Global { matches };
    run(&rest, global, daemon)
}
