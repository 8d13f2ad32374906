//! `docker compose ps`: the project's containers, as a table like `docker ps` with the service
//! each belongs to (`NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS`).

use super::{load_for, parse, Global};
use crate::cli::table::{ellipsis, render};
use crate::cli::{Arity, Flag, Io, Matches, Spec, Step, Task};
use crate::compose::apply::project_containers_with;
use crate::daemon::Daemon;
use crate::units::human_duration;

const FLAGS: &[Flag] = &[
    Flag::bool("all", Some('a'), "Show all stopped containers (including those created by the run command)"),
    Flag::bool("dry-run", None, "Execute command in dry run mode"),
    Flag::bool("quiet", Some('q'), "Only display IDs"),
    Flag::bool("services", None, "Display services"),
];

const SPEC: Spec = Spec {
    name: "docker compose ps",
    usage: "docker compose ps [OPTIONS] [SERVICE...]",
    description: "List containers",
    aliases: "",
    flags: FLAGS,
    arity: Arity::Any,
    interspersed: true,
};

struct Ps {
    m: Matches,
    global: Global,
}

impl Task for Ps {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let Some(project) = load_for(&self.global, daemon, io, &self.m.args) else { return Step::Done(1) };
        let now = daemon.now_ms();
        // `-a` shows `run`'s one-off containers too.
        let mut found = project_containers_with(daemon, &project.name, self.m.flag("all"));
        found.retain(|(c, s, _)| {
            (self.m.args.is_empty() || self.m.args.contains(s)) && (self.m.flag("all") || c.state.is_up())
        });
        found.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        if self.m.flag("quiet") {
            io.out(found.iter().map(|(c, _, _)| format!("{}\n", c.id)).collect::<String>());
            return Step::Done(0);
        }
        if self.m.flag("services") {
            let mut services: Vec<&String> = found.iter().map(|(_, s, _)| s).collect();
            services.dedup();
            io.out(services.iter().map(|s| format!("{s}\n")).collect::<String>());
            return Step::Done(0);
        }
        let mut rows =
            vec![["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"].map(String::from).to_vec()];
        for (c, service, _) in &found {
            let cmd = ellipsis(&c.config.argv().join(" "), 20);
            rows.push(vec![
                c.name.clone(),
                c.config.image.clone(),
                format!("\"{cmd}\""),
                service.clone(),
                format!("{} ago", human_duration(now.saturating_sub(c.created_ms))),
                c.status_text(now),
                crate::cli::ps::ports(c),
            ]);
        }
        io.out(render(&rows));
        Step::Done(0)
    }
}

pub fn start(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    match parse(&SPEC, args) {
        Ok(m) => Box::new(Ps { m, global }),
        Err(task) => task,
    }
}
