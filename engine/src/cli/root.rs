//! `docker` itself: global flags (`--version`, `--help`), and the choice of subcommand. One table
//! lists every command once: its top-level name (`docker ps`), its management form
//! (`docker container ls`), its help line; dispatch and `--help` pages are derived from it.

use super::{
    attach, build, commit, cp, df, exec, history, images, info, inspect, kill, login, logs, network, network_inspect,
    pause, port, prune, ps, pull, push, rename, rm, rmi, run, save, search, start, stop, tag, top, version, volume,
    volume_ls, wait, Arity, Finished, Flag, Parsed, Spec, Task,
};
use crate::daemon::Daemon;

const FLAGS: &[Flag] = &[Flag::bool("version", Some('v'), "Print version information and quit")];

const SPEC: Spec = Spec {
    name: "docker",
    usage: "docker [OPTIONS] COMMAND [ARG...]",
    description: "A self-sufficient runtime for containers",
    aliases: "",
    flags: FLAGS,
    arity: Arity::Any,
    interspersed: false,
};

type Handler = fn(&[String], &mut Daemon) -> Box<dyn Task>;

/// One command of the client.
struct Command {
    /// `docker NAME`, or `None` if it only exists under its group (`docker image prune`).
    top: Option<&'static str>,
    /// The management group and the names under it (`container`, `["ls", "list", "ps"]`).
    group: &'static str,
    subs: &'static [&'static str],
    about: &'static str,
    run: Handler,
}

const fn cmd(
    top: Option<&'static str>,
    group: &'static str,
    subs: &'static [&'static str],
    about: &'static str,
    run: Handler,
) -> Command {
    Command { top, group, subs, about, run }
}

const COMMANDS: &[Command] = &[
    cmd(Some("run"), "container", &["run"], "Create and run a new container from an image", run::start),
    cmd(Some("build"), "image", &["build"], "Build an image from a Dockerfile", build::start),
    cmd(Some("exec"), "container", &["exec"], "Execute a command in a running container", exec::start),
    cmd(Some("top"), "container", &["top"], "Display the running processes of a container", top::top),
    cmd(
        Some("stats"),
        "container",
        &["stats"],
        "Display a live stream of container(s) resource usage statistics",
        top::stats,
    ),
    cmd(
        Some("attach"),
        "container",
        &["attach"],
        "Attach local standard input, output, and error streams to a running container",
        attach::command,
    ),
    cmd(Some("search"), "", &[], "Search Docker Hub for images", |a, _| search::start(a)),
    cmd(None, "system", &["df"], "Show docker disk usage", df::start),
    cmd(Some("ps"), "container", &["ls", "list", "ps"], "List containers", ps::start),
    cmd(Some("pull"), "image", &["pull"], "Download an image from a registry", |a, _| pull::start(a)),
    cmd(Some("push"), "image", &["push"], "Upload an image to a registry", push::start),
    cmd(Some("images"), "image", &["ls", "list"], "List images", images::start),
    cmd(Some("login"), "", &[], "Authenticate to a registry", login::login),
    cmd(Some("logout"), "", &[], "Log out from a registry", login::logout),
    cmd(Some("version"), "", &[], "Show the Docker version information", |a, _| version::start(a)),
    cmd(Some("info"), "system", &["info"], "Display system-wide information", info::start),
    cmd(Some("create"), "container", &["create"], "Create a new container", run::create),
    cmd(Some("start"), "container", &["start"], "Start one or more stopped containers", start::start),
    cmd(Some("stop"), "container", &["stop"], "Stop one or more running containers", stop::stop),
    cmd(Some("restart"), "container", &["restart"], "Restart one or more containers", stop::restart),
    cmd(Some("kill"), "container", &["kill"], "Kill one or more running containers", kill::start),
    cmd(Some("pause"), "container", &["pause"], "Pause all processes within one or more containers", pause::pause),
    cmd(
        Some("unpause"),
        "container",
        &["unpause"],
        "Unpause all processes within one or more containers",
        pause::unpause,
    ),
    cmd(Some("rm"), "container", &["rm", "remove"], "Remove one or more containers", rm::start),
    cmd(Some("rename"), "container", &["rename"], "Rename a container", rename::start),
    cmd(
        Some("wait"),
        "container",
        &["wait"],
        "Block until one or more containers stop, then print their exit codes",
        |a, _| wait::start(a),
    ),
    cmd(Some("logs"), "container", &["logs"], "Fetch the logs of a container", logs::start),
    cmd(Some("inspect"), "", &[], "Return low-level information on Docker objects", inspect::start),
    cmd(None, "container", &["inspect"], "Display detailed information on one or more containers", |a, d| {
        inspect::start(&typed("container", a), d)
    }),
    cmd(None, "image", &["inspect"], "Display detailed information on one or more images", |a, d| {
        inspect::start(&typed("image", a), d)
    }),
    cmd(None, "container", &["prune"], "Remove all stopped containers", |a, _| prune::containers(a)),
    cmd(Some("commit"), "container", &["commit"], "Create a new image from a container's changes", commit::commit),
    cmd(
        Some("diff"),
        "container",
        &["diff"],
        "Inspect changes to files or directories on a container's filesystem",
        commit::diff,
    ),
    cmd(Some("cp"), "container", &["cp"], "Copy files/folders between a container and the local filesystem", cp::start),
    cmd(Some("export"), "container", &["export"], "Export a container's filesystem as a tar archive", save::export),
    cmd(
        Some("save"),
        "image",
        &["save"],
        "Save one or more images to a tar archive (streamed to STDOUT by default)",
        save::save,
    ),
    cmd(Some("load"), "image", &["load"], "Load an image from a tar archive or STDIN", save::load),
    cmd(Some("rmi"), "image", &["rm", "remove"], "Remove one or more images", rmi::start),
    cmd(Some("tag"), "image", &["tag"], "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", tag::start),
    cmd(Some("history"), "image", &["history"], "Show the history of an image", history::start),
    cmd(None, "image", &["prune"], "Remove unused images", |a, _| prune::images(a)),
    cmd(None, "system", &["prune"], "Remove unused data", |a, _| prune::system(a)),
    cmd(
        Some("port"),
        "container",
        &["port"],
        "List port mappings or a specific mapping for the container",
        port::start,
    ),
    cmd(None, "network", &["connect"], "Connect a container to a network", network::connect),
    cmd(None, "network", &["create"], "Create a network", network::create),
    cmd(None, "network", &["disconnect"], "Disconnect a container from a network", network::disconnect),
    cmd(None, "network", &["inspect"], "Display detailed information on one or more networks", network_inspect::start),
    cmd(None, "network", &["ls", "list"], "List networks", network::ls),
    cmd(None, "network", &["prune"], "Remove all unused networks", network::prune),
    cmd(None, "network", &["rm", "remove"], "Remove one or more networks", network::rm),
    cmd(None, "volume", &["create"], "Create a volume", volume::create),
    cmd(None, "volume", &["inspect"], "Display detailed information on one or more volumes", volume::inspect),
    cmd(None, "volume", &["ls", "list"], "List volumes", volume_ls::start),
    cmd(None, "volume", &["prune"], "Remove unused local volumes", |a, _| prune::volumes(a)),
    cmd(None, "volume", &["rm", "remove"], "Remove one or more volumes", volume::rm),
];

/// The management groups, as `docker --help` lists them.
const GROUPS: &[(&str, &str)] = &[
    ("container", "Manage containers"),
    ("image", "Manage images"),
    ("network", "Manage networks"),
    ("system", "Manage Docker"),
    ("volume", "Manage volumes"),
];

/// `docker container inspect X` is `docker inspect --type container X`.
fn typed(kind: &str, rest: &[String]) -> Vec<String> {
    let mut args = vec!["--type".to_string(), kind.to_string()];
    args.extend_from_slice(rest);
    args
}

fn help() -> String {
    let mut out = String::from(
        "\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n",
    );
    for c in COMMANDS {
        if let Some(name) = c.top {
            out.push_str(&format!("  {name:<11} {}\n", c.about));
        }
    }
    out.push_str("\nManagement Commands:\n");
    // Compose is a CLI plugin: docker marks plugins with a star.
    out.push_str(&format!("  {:<11} {}\n", "compose*", "Docker Compose"));
    for (group, about) in GROUPS {
        out.push_str(&format!("  {group:<11} {about}\n"));
    }
    out.push_str("\nGlobal Options:\n  -v, --version            Print version information and quit\n");
    out.push_str("\nRun 'docker COMMAND --help' for more information on a command.\n\n");
    out
}

fn group_help(group: &str, about: &str) -> String {
    let mut out = format!("\nUsage:  docker {group} COMMAND\n\n{about}\n\nCommands:\n");
    let mut lines: Vec<(&str, &str)> =
        COMMANDS.iter().filter(|c| c.group == group).filter_map(|c| c.subs.first().map(|s| (*s, c.about))).collect();
    lines.sort();
    for (sub, about) in lines {
        out.push_str(&format!("  {sub:<11} {about}\n"));
    }
    out.push_str(&format!("\nRun 'docker {group} COMMAND --help' for more information on a command.\n\n"));
    out
}

fn unknown(words: &str) -> Box<dyn Task> {
    Finished::fail(format!("docker: unknown command: docker {words}\n\nRun 'docker --help' for more information\n"), 1)
}

/// Runs `docker <args>`.
pub fn dispatch(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match SPEC.parse(args) {
        Ok(Parsed::Run(m)) => m,
        Ok(Parsed::Help) => return Finished::out(help()),
        Err(e) => return Finished::usage(e),
    };
    if m.flag("version") {
        return Finished::out(format!("Docker version {}, build playground\n", crate::DOCKER_VERSION));
    }
    let Some((command, rest)) = m.args.split_first() else {
        return Finished::out(help());
    };
    if command == "compose" {
        return super::compose::dispatch(rest, daemon, super::compose::Invoked::Plugin);
    }
    if let Some((group, about)) = GROUPS.iter().find(|(g, _)| g == command) {
        let Some((sub, rest)) = rest.split_first() else {
            return Finished::out(group_help(group, about));
        };
        if sub == "--help" || sub == "-h" {
            return Finished::out(group_help(group, about));
        }
        return match COMMANDS.iter().find(|c| c.group == *group && c.subs.contains(&sub.as_str())) {
            Some(c) => (c.run)(rest, daemon),
            None => Finished::fail(
                format!(
                    "docker: unknown command: docker {group} {sub}\n\nUsage:  docker {group}\n\nRun 'docker {group} --help' for more information\n"
                ),
                1,
            ),
        };
    }
    match COMMANDS.iter().find(|c| c.top == Some(command.as_str())) {
        Some(c) => (c.run)(rest, daemon),
        None => unknown(command),
    }
}
