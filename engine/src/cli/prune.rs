//! `docker container prune`, `docker image prune [-a]`, `docker volume prune [-a]` and `docker
//! system prune [-a] [--volumes]`: remove what nothing uses any more, after Docker's `[y/N]`
//! confirmation (skipped with `-f`), then list what went and the space reclaimed.

use super::filter::Filters;
use super::{parse_or_task, Arity, Finished, Flag, Input, Io, Spec, Step, Task};
use crate::container::State;
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::units::human_size;
use crate::volume::PruneFilter;

const FORCE: Flag = Flag::bool("force", Some('f'), "Do not prompt for confirmation");
const ALL_IMAGES: Flag = Flag::bool("all", Some('a'), "Remove all unused images, not just dangling ones");

const CONTAINER: Spec = Spec {
    name: "docker container prune",
    usage: "docker container prune [OPTIONS]",
    description: "Remove all stopped containers",
    aliases: "",
    flags: &[FORCE],
    arity: Arity::None,
    interspersed: true,
};

const IMAGE: Spec = Spec {
    name: "docker image prune",
    usage: "docker image prune [OPTIONS]",
    description: "Remove unused images",
    aliases: "",
    flags: &[ALL_IMAGES, FORCE],
    arity: Arity::None,
    interspersed: true,
};

const SYSTEM: Spec = Spec {
    name: "docker system prune",
    usage: "docker system prune [OPTIONS]",
    description: "Remove unused data",
    aliases: "",
    flags: &[
        Flag::bool("all", Some('a'), "Remove all unused images not just dangling ones"),
        FORCE,
        Flag::bool("volumes", None, "Prune anonymous volumes"),
    ],
    arity: Arity::None,
    interspersed: true,
};

const VOLUME: Spec = Spec {
    name: "docker volume prune",
    usage: "docker volume prune [OPTIONS]",
    description: "Remove unused local volumes",
    aliases: "",
    flags: &[
        Flag::bool("all", Some('a'), "Remove all unused volumes, not just anonymous ones"),
        Flag::list("filter", None, "filter", "Provide filter values (e.g. \"label=<label>\")"),
        FORCE,
    ],
    arity: Arity::None,
    interspersed: true,
};

#[derive(Debug, Clone)]
enum What {
    Containers,
    Images { all: bool },
    Volumes(PruneFilter),
    System { all: bool, volumes: bool },
}

/// Removes stopped containers; returns their IDs.
fn prune_containers(daemon: &mut Daemon) -> Vec<String> {
    let stopped: Vec<String> = daemon
        .containers
        .newest_first()
        .filter(|c| matches!(c.state, State::Exited { .. } | State::Created))
        .map(|c| c.id.to_string())
        .collect();
    for id in &stopped {
        let _ = daemon.remove_container(id, false);
    }
    stopped
}

/// Removes dangling (or, with `all`, unused) images; returns the report lines and bytes freed.
fn prune_images(daemon: &mut Daemon, all: bool) -> (Vec<String>, u64) {
    let candidates: Vec<_> = daemon
        .images
        .list()
        .into_iter()
        .filter(|i| all || i.repo_tags.is_empty())
        .filter(|i| !daemon.containers.newest_first().any(|c| c.image_id == i.id))
        .cloned()
        .collect();
    let (mut lines, mut freed) = (Vec::new(), 0);
    for image in candidates {
        for tag in image.repo_tags.iter().chain(&image.repo_digests) {
            lines.push(format!("untagged: {tag}"));
        }
        let before: u64 = image.layers.iter().map(|l| daemon.images.layer_size(l)).sum();
        let deleted = daemon.delete_image(&image);
        let after: u64 = image.layers.iter().map(|l| daemon.images.layer_size(l)).sum();
        freed += before - after;
        lines.extend(deleted.into_iter().map(|d| format!("deleted: {d}")));
    }
    (lines, freed)
}

fn warning(what: &What) -> String {
    match *what {
        What::Containers => "WARNING! This will remove all stopped containers.\n".into(),
        What::Images { all: false } => "WARNING! This will remove all dangling images.\n".into(),
        What::Images { all: true } => {
            "WARNING! This will remove all images without at least one container associated to them.\n".into()
        }
        What::Volumes(PruneFilter { all: false, .. }) => {
            "WARNING! This will remove anonymous local volumes not used by at least one container.\n".into()
        }
        What::Volumes(PruneFilter { all: true, .. }) => {
            "WARNING! This will remove all local volumes not used by at least one container.\n".into()
        }
        What::System { all, volumes } => format!(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n{}  - {}\n  - {}\n\n",
            if volumes { "  - all anonymous volumes not used by at least one container\n" } else { "" },
            if all { "all images without at least one container associated to them" } else { "all dangling images" },
            if all { "all build cache" } else { "unused build cache" }
        ),
    }
}

fn prune(daemon: &mut Daemon, what: &What, io: &mut Io) {
    let mut freed = 0;
    if matches!(what, What::Containers | What::System { .. }) {
        let ids = prune_containers(daemon);
        if !ids.is_empty() {
            io.out(format!("Deleted Containers:\n{}\n\n", ids.join("\n")));
        }
    }
    if let What::System { .. } = what {
        io.out(super::network::prune_report(daemon, &Default::default()));
    }
    let volumes = match what {
        What::Volumes(filter) => Some(filter.clone()),
        What::System { volumes: true, .. } => Some(PruneFilter::default()),
        _ => None,
    };
    if let Some(filter) = volumes {
        let report = daemon.prune_volumes(&filter);
        freed += report.reclaimed;
        if !report.deleted.is_empty() {
            io.out(format!("Deleted Volumes:\n{}\n\n", report.deleted.join("\n")));
        }
    }
    if let What::Images { all } | What::System { all, .. } = *what {
        let (lines, bytes) = prune_images(daemon, all);
        freed += bytes;
        if !lines.is_empty() {
            io.out(format!("Deleted Images:\n{}\n\n", lines.join("\n")));
        }
    }
    io.out(format!("Total reclaimed space: {}\n", human_size(freed)));
}

struct PruneTask {
    what: What,
    confirm: bool,
    asked: bool,
}

impl Task for PruneTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        if !self.confirm {
            prune(daemon, &self.what, io);
            return Step::Done(0);
        }
        if !self.asked {
            self.asked = true;
            io.out(format!("{}Are you sure you want to continue? [y/N] ", warning(&self.what)));
        }
        match io.read_line() {
            None => Step::Pending(Activity::Idle),
            Some(Input::Data(answer))
                if matches!(String::from_utf8_lossy(&answer).trim(), "y" | "Y" | "yes" | "Yes" | "YES") =>
            {
                prune(daemon, &self.what, io);
                Step::Done(0)
            }
            Some(_) => Step::Done(0),
        }
    }
}

fn task(spec: &Spec, args: &[String], what: impl Fn(&super::Matches) -> Result<What, String>) -> Box<dyn Task> {
    match parse_or_task(spec, args) {
        Ok(m) => match what(&m) {
            Ok(what) => Box::new(PruneTask { what, confirm: !m.flag("force"), asked: false }),
            Err(e) => Finished::fail(format!("{e}\n"), 1),
        },
        Err(task) => task,
    }
}

/// `docker volume prune`'s filters: `label=...`, `label!=...`, `all=true|false`.
fn volume_filter(m: &super::Matches) -> Result<What, String> {
    let filters = Filters::parse(m.list("filter"), &["label", "label!", "all"])?;
    let all = match filters.values("all") {
        [] => m.flag("all"),
        _ if m.flag("all") => return Err("conflicting options: cannot specify both --all and --filter all=1".into()),
        [v] => match v.as_str() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => return Err(format!("Error response from daemon: invalid filter 'all': invalid value '{v}'")),
        },
        values => {
            return Err(format!(
                "Error response from daemon: invalid filter 'all=[{}]': only one value is expected",
                values.join(" ")
            ))
        }
    };
    Ok(What::Volumes(PruneFilter {
        all,
        labels: filters.values("label").to_vec(),
        not_labels: filters.values("label!").to_vec(),
    }))
}

pub fn containers(args: &[String]) -> Box<dyn Task> {
    task(&CONTAINER, args, |_| Ok(What::Containers))
}

pub fn images(args: &[String]) -> Box<dyn Task> {
    task(&IMAGE, args, |m| Ok(What::Images { all: m.flag("all") }))
}

pub fn volumes(args: &[String]) -> Box<dyn Task> {
    task(&VOLUME, args, volume_filter)
}

pub fn system(args: &[String]) -> Box<dyn Task> {
    task(&SYSTEM, args, |m| Ok(What::System { all: m.flag("all"), volumes: m.flag("volumes") }))
}
