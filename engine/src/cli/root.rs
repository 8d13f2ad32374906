//! `docker` itself: global flags (`--version`, `--help`), and the choice of subcommand, including
//! the management-command forms (`docker container ls`, `docker image ls`).

use super::{
    history, images, info, inspect, kill, logs, ps, pull, rename, rm, rmi, run, start, stop, tag,
    version, wait, Arity, Finished, Flag, Parsed, Spec, Task,
};
use crate::daemon::Daemon;

const FLAGS: &[Flag] = &[Flag::bool(
    "version",
    Some('v'),
    "Print version information and quit",
)];

const SPEC: Spec = Spec {
    name: "docker",
    usage: "docker [OPTIONS] COMMAND [ARG...]",
    description: "A self-sufficient runtime for containers",
    aliases: "",
    flags: FLAGS,
    arity: Arity::Any,
    interspersed: false,
};

/// The commands this playground has, as `docker --help` lists them.
const COMMON: &[(&str, &str)] = &[
    ("run", "Create and run a new container from an image"),
    ("create", "Create a new container"),
    ("start", "Start one or more stopped containers"),
    ("stop", "Stop one or more running containers"),
    ("restart", "Restart one or more containers"),
    ("kill", "Kill one or more running containers"),
    ("rm", "Remove one or more containers"),
    ("rename", "Rename a container"),
    (
        "wait",
        "Block until one or more containers stop, then print their exit codes",
    ),
    ("logs", "Fetch the logs of a container"),
    ("ps", "List containers"),
    ("pull", "Download an image from a registry"),
    ("images", "List images"),
    ("rmi", "Remove one or more images"),
    (
        "tag",
        "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    ),
    ("history", "Show the history of an image"),
    ("version", "Show the Docker version information"),
    ("info", "Display system-wide information"),
    ("inspect", "Return low-level information on Docker objects"),
];

const MANAGEMENT: &[(&str, &str)] = &[
    ("container", "Manage containers"),
    ("image", "Manage images"),
    ("system", "Manage Docker"),
];

fn help() -> String {
    let mut out = String::from("\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n");
    for (name, what) in COMMON {
        out.push_str(&format!("  {name:<11} {what}\n"));
    }
    out.push_str("\nManagement Commands:\n");
    for (name, what) in MANAGEMENT {
        out.push_str(&format!("  {name:<11} {what}\n"));
    }
    out.push_str(
        "\nGlobal Options:\n  -v, --version            Print version information and quit\n",
    );
    out.push_str("\nRun 'docker COMMAND --help' for more information on a command.\n\n");
    out
}

fn unknown(words: &str) -> Box<dyn Task> {
    Finished::fail(
        format!(
            "docker: unknown command: docker {words}\n\nRun 'docker --help' for more information\n"
        ),
        1,
    )
}

/// Runs `docker <args>`.
pub fn dispatch(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match SPEC.parse(args) {
        Ok(Parsed::Run(m)) => m,
        Ok(Parsed::Help) => return Finished::out(help()),
        Err(e) => return Finished::usage(e),
    };
    if m.flag("version") {
        return Finished::out(format!(
            "Docker version {}, build playground\n",
            crate::DOCKER_VERSION
        ));
    }
    let Some((command, rest)) = m.args.split_first() else {
        return Finished::out(help());
    };
    match (command.as_str(), rest.first().map(String::as_str)) {
        ("run", _) | ("container", Some("run")) => run::start(skip(command, rest), daemon),
        ("create", _) | ("container", Some("create")) => run::create(skip(command, rest), daemon),
        ("start", _) | ("container", Some("start")) => start::start(skip(command, rest), daemon),
        ("stop", _) | ("container", Some("stop")) => stop::stop(skip(command, rest), daemon),
        ("restart", _) | ("container", Some("restart")) => {
            stop::restart(skip(command, rest), daemon)
        }
        ("kill", _) | ("container", Some("kill")) => kill::start(skip(command, rest), daemon),
        ("rm", _) | ("container", Some("rm" | "remove")) => rm::start(skip(command, rest), daemon),
        ("rename", _) | ("container", Some("rename")) => rename::start(skip(command, rest), daemon),
        ("wait", _) | ("container", Some("wait")) => wait::start(skip(command, rest)),
        ("logs", _) | ("container", Some("logs")) => logs::start(skip(command, rest), daemon),
        ("ps", _) | ("container", Some("ls" | "list" | "ps")) => {
            ps::start(skip(command, rest), daemon)
        }
        ("images", _) | ("image", Some("ls" | "list")) => {
            images::start(skip(command, rest), daemon)
        }
        ("pull", _) | ("image", Some("pull")) => pull::start(skip(command, rest)),
        ("rmi", _) | ("image", Some("rm" | "remove")) => rmi::start(skip(command, rest), daemon),
        ("tag", _) | ("image", Some("tag")) => tag::start(skip(command, rest), daemon),
        ("history", _) | ("image", Some("history")) => history::start(skip(command, rest), daemon),
        ("version", _) => version::start(rest),
        ("inspect", _) => inspect::start(rest, daemon),
        ("container" | "image", Some("inspect")) => {
            inspect::start(&typed(command, &rest[1..]), daemon)
        }
        ("info", _) | ("system", Some("info")) => info::start(skip(command, rest), daemon),
        ("container" | "image" | "system", None) => Finished::out(management_help(command)),
        ("container" | "image" | "system", Some(sub)) => unknown(&format!("{command} {sub}")),
        (other, _) => unknown(other),
    }
}

/// The arguments after the subcommand, for both `docker ps ...` and `docker container ls ...`.
fn skip<'a>(command: &str, rest: &'a [String]) -> &'a [String] {
    if matches!(command, "container" | "image" | "system") {
        &rest[1..]
    } else {
        rest
    }
}

/// `docker container inspect X` is `docker inspect --type container X`.
fn typed(command: &str, rest: &[String]) -> Vec<String> {
    let mut args = vec!["--type".to_string(), command.to_string()];
    args.extend_from_slice(rest);
    args
}

fn management_help(command: &str) -> String {
    let (title, subs): (&str, &[(&str, &str)]) = match command {
        "container" => (
            "Manage containers",
            &[
                ("ls", "List containers"),
                ("run", "Create and run a new container from an image"),
            ],
        ),
        "image" => (
            "Manage images",
            &[
                ("ls", "List images"),
                ("pull", "Download an image from a registry"),
            ],
        ),
        _ => (
            "Manage Docker",
            &[("info", "Display system-wide information")],
        ),
    };
    let mut out = format!("\nUsage:  docker {command} COMMAND\n\n{title}\n\nCommands:\n");
    for (name, what) in subs {
        out.push_str(&format!("  {name:<11} {what}\n"));
    }
    out.push_str(&format!(
        "\nRun 'docker {command} COMMAND --help' for more information on a command.\n\n"
    ));
    out
}
