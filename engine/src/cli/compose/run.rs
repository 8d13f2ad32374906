//! `docker compose run SERVICE [COMMAND]`: a one-off container of a service, as `docker run`
//! makes one. The service's dependencies are created and started first (`[+] Creating`, then
//! `[+] Running`; not with `--no-deps`), its `depends_on` conditions waited on, then a container
//! named `<project>-<service>-run-<12 hex>` is created with the service's settings and the
//! command line's overrides (`-e`, `--entrypoint`, `-u`, `-w`, `--name`, `-l`), labelled
//! `com.docker.compose.oneoff=True` (so `ps` and `up` leave it alone), and attached with a
//! terminal unless `-T` (or `-d`: started in the background, its ID printed). `--rm` removes
//! it when it exits. The command's status is the container's.

use super::up;
use super::Global;
use crate::cli::{Arity, Flag, Io, Matches, Spec, Task};
use crate::compose::apply::{create_options, Resources};
use crate::compose::Project;
use crate::daemon::Daemon;

const FLAGS: &[Flag] = &[
    Flag::bool("detach", Some('d'), "Run container in background and print container ID"),
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::value("entrypoint", None, "string", "Override the entrypoint of the image"),
    Flag::list("env", Some('e'), "stringArray", "Set environment variables"),
    Flag::bool("interactive", Some('i'), "Keep STDIN open even if not attached").with_default("true"),
    Flag::list("label", Some('l'), "stringArray", "Add or override a label"),
    Flag::value("name", None, "string", "Assign a name to the container"),
    Flag::bool("no-TTY", Some('T'), "Disable pseudo-TTY allocation (default: auto-detected)").with_default("true"),
    Flag::bool("no-deps", None, "Don't start linked services"),
    Flag::bool("quiet-pull", None, "Pull without printing progress information"),
    Flag::bool("rm", None, "Automatically remove the container when it exits"),
    Flag::value("user", Some('u'), "string", "Run as specified username or uid"),
    Flag::value("workdir", Some('w'), "string", "Working directory inside the container"),
];

const SPEC: Spec = Spec {
    name: "docker compose run",
    usage: "docker compose run [OPTIONS] SERVICE [COMMAND] [ARGS...]",
    description: "Run a one-off command on a service",
    aliases: "",
    flags: FLAGS,
    arity: Arity::AtLeast(1),
    interspersed: false,
};

/// What the command line asks of the one-off container.
pub struct OneOff {
    pub service: String,
    m: Matches,
}

impl OneOff {
    /// Whether the service's dependencies come too.
    pub fn with_deps(&self) -> bool {
        !self.m.flag("no-deps")
    }

    /// Creates the container; starting it (attached or not) is the returned task's job.
    pub fn create(
        &self,
        daemon: &mut Daemon,
        io: &Io,
        project: &Project,
        resources: &mut dyn Resources,
    ) -> Result<Box<dyn Task>, String> {
        let Some(mut service) = project.services.get(&self.service).cloned() else {
            return Err(format!("no such service: {}", self.service));
        };
        let m = &self.m;
        let command: Vec<String> = m.args[1..].to_vec();
        if !command.is_empty() {
            service.command = Some(command.clone());
        }
        if let Some(e) = m.value("entrypoint") {
            let words = shell_words::split(e).map_err(|e| e.to_string())?;
            service.entrypoint = Some(words);
            if command.is_empty() {
                service.command = Some(Vec::new());
            }
        }
        for kv in m.list("env") {
            match kv.split_once('=') {
                Some((k, v)) => service.environment.insert(k.to_string(), Some(v.to_string())),
                // `-e NAME` takes the value from Compose's environment; unset ones are dropped.
                None => match project.environment.get(kv) {
                    Some(v) => service.environment.insert(kv.clone(), Some(v.clone())),
                    None => None,
                },
            };
        }
        if let Some(u) = m.value("user") {
            service.user = Some(u.to_string());
        }
        if let Some(w) = m.value("workdir") {
            service.working_dir = Some(w.to_string());
        }
        for l in m.list("label") {
            let Some((k, v)) = l.split_once('=') else { return Err("label must be set as KEY=VALUE".into()) };
            service.labels.insert(k.to_string(), v.to_string());
        }
        service.restart = None;
        let mut slug_bytes = [0u8; 32];
        daemon.entropy.borrow_mut().fill(&mut slug_bytes);
        let slug = hex::encode(slug_bytes);
        let name = match m.value("name") {
            Some(n) => n.to_string(),
            None => format!("{}-{}-run-{}", project.name, service.name, &slug[..12]),
        };
        service.container_name = Some(name.clone());
        let image_id =
            daemon.images.resolve(&service.image_name(&project.name)).map(|i| i.id.to_string()).unwrap_or_default();
        let mut opts = create_options(project, &service, 1, &image_id)?;
        for (k, v) in &mut opts.labels {
            if k == "com.docker.compose.oneoff" {
                *v = "True".into();
            }
        }
        opts.labels.push(("com.docker.compose.slug".into(), slug));
        opts.labels.sort();
        let detach = m.flag("detach");
        // `-T` is on by default when stdout is no terminal.
        let no_tty = if m.value("no-TTY").is_some() { m.flag("no-TTY") } else { !io.stdout_tty };
        opts.tty = !no_tty && !detach;
        opts.open_stdin = !detach && interactive(m);
        opts.auto_remove = m.flag("rm");
        resources.attach(daemon, project, &service, &mut opts)?;
        daemon.create_container(opts).map_err(|e| crate::cli::daemon_error(&e).trim_end().to_string())?;
        if detach {
            daemon.start_container(&name).map_err(|e| crate::cli::daemon_error(&e).trim_end().to_string())?;
            let id = daemon.containers.find(&name).map(|c| c.id.to_string()).unwrap_or_default();
            return Ok(crate::cli::Finished::out(format!("{id}\n")));
        }
        let mut args = vec!["-a".to_string()];
        if interactive(m) {
            args.push("-i".into());
        }
        args.push(name);
        Ok(crate::cli::start::start(&args, daemon))
    }
}

/// `-i` is on unless `-i=false`.
fn interactive(m: &Matches) -> bool {
    m.value("interactive").is_none_or(|v| v == "true")
}

pub fn start(args: &[String], global: Global, daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match super::parse(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let service = m.args[0].clone();
    up::for_run(global, OneOff { service, m }, daemon)
}
