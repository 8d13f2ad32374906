//! Read-only views of a project's containers: `docker compose top` (their processes, in one
//! table with each row's service and replica number), `docker compose port SERVICE PORT` (where
//! a container's port is published) and `docker compose images` (the image each container
//! runs).

use super::{load_for, parse, Global};
use crate::cli::{Arity, Finished, Flag, Io, Matches, Spec, Step, Task};
use crate::compose::apply::project_containers_with;
use crate::daemon::Daemon;
use crate::image::Reference;

const TOP: Spec = Spec {
    name: "docker compose top",
    usage: "docker compose top [SERVICES...]",
    description: "Display the running processes",
    aliases: "",
    flags: &[Flag::bool("dry-run", None, "Execute command in dry run mode")],
    arity: Arity::Any,
    interspersed: true,
};

const PORT: Spec = Spec {
    name: "docker compose port",
    usage: "docker compose port [OPTIONS] SERVICE PRIVATE_PORT",
    description: "Print the public port for a port binding",
    aliases: "",
    flags: &[
        Flag::bool("dry-run", None, "Execute command in dry run mode"),
        Flag::value("index", None, "int", "Index of the container if service has multiple replicas"),
        Flag::value("protocol", None, "string", "tcp or udp").with_default("\"tcp\""),
    ],
    arity: Arity::AtLeast(2),
    interspersed: true,
};

const IMAGES: Spec = Spec {
    name: "docker compose images",
    usage: "docker compose images [OPTIONS] [SERVICE...]",
    description: "List images used by the created containers",
    aliases: "",
    flags: &[
        Flag::bool("dry-run", None, "Execute command in dry run mode"),
        Flag::value("format", None, "string", "Format the output. Values: [table | json]").with_default("\"table\""),
        Flag::bool("quiet", Some('q'), "Only display IDs"),
    ],
    arity: Arity::Any,
    interspersed: true,
};

#[derive(Clone, Copy)]
enum View {
    Top,
    Port,
    Images,
}

struct Query {
    view: View,
    m: Matches,
    global: Global,
}

/// Go's tabwriter with padding 2 and no minimum width beyond 4, as `compose top` uses.
fn tabwrite(rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
            let w = (cell.chars().count() + 2).max(4);
            match widths.get_mut(i) {
                Some(x) => *x = (*x).max(w),
                None => widths.push(w),
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if let Some(w) = widths.get(i).filter(|_| i + 1 < row.len()) {
                line.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.chars().count())));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

impl Query {
    fn top(&self, daemon: &Daemon, project: &str) -> Result<String, String> {
        let mut found = project_containers_with(daemon, project, false);
        found.retain(|(c, s, _)| (self.m.args.is_empty() || self.m.args.contains(s)) && c.state.is_running());
        found.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let mut rows = Vec::new();
        for (c, service, number) in found {
            let Some(run) = &c.process else { continue };
            for row in crate::cli::top::top_rows(daemon, c, run.group) {
                rows.push([service.clone(), number.to_string()].into_iter().chain(row).collect());
            }
        }
        if rows.is_empty() {
            return Ok(String::new());
        }
        let header = ["SERVICE", "#"].into_iter().chain(crate::cli::top::TOP_TITLES).map(String::from).collect();
        rows.insert(0, header);
        Ok(tabwrite(&rows))
    }

    fn port(&self, daemon: &Daemon, project: &str) -> Result<String, String> {
        let (service, wanted) = (&self.m.args[0], &self.m.args[1]);
        let port: u16 = wanted.parse().map_err(|_| format!("strconv.ParseUint: parsing {wanted:?}: invalid syntax"))?;
        let proto = self.m.value("protocol").unwrap_or("tcp");
        let index: u32 = self.m.value("index").and_then(|i| i.parse().ok()).filter(|i| *i > 0).unwrap_or(1);
        let found = project_containers_with(daemon, project, true);
        let Some((c, _, _)) = found.iter().find(|(_, s, n)| s == service && *n == index) else {
            return Err(format!("service \"{service}\" is not running"));
        };
        let published = c.net.live.as_ref().map(|l| l.published.as_slice()).unwrap_or_default();
        match published.iter().find(|p| p.port.number == port && p.port.proto.name() == proto) {
            Some(p) => Ok(format!("{}:{}\n", p.host_ip, p.host_port)),
            None => {
                let ports: Vec<String> =
                    published.iter().map(|p| format!("{}/{}", p.host_port, p.port.proto.name())).collect();
                Err(format!("no port {port}/{proto} for container {}: {}", c.name, ports.join(", ")))
            }
        }
    }

    fn images(&self, daemon: &Daemon, project: &str) -> Result<String, String> {
        let mut found = project_containers_with(daemon, project, false);
        found.retain(|(_, s, _)| self.m.args.is_empty() || self.m.args.contains(s));
        found.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let images: Vec<(String, String, String, String, String)> = found
            .iter()
            .map(|(c, _, _)| {
                let reference = Reference::parse(&c.config.image).ok();
                let repo = reference.as_ref().map(|r| r.familiar_name()).unwrap_or_else(|| "<none>".into());
                let tag = reference.as_ref().map(|r| r.tag_or_latest().to_string()).unwrap_or_else(|| "<none>".into());
                let size = daemon.images.get(&c.image_id).map(|i| i.size).unwrap_or(0);
                (c.name.clone(), repo, tag, c.image_id.to_string(), crate::units::human_size(size))
            })
            .collect();
        if self.m.flag("quiet") {
            let mut ids: Vec<String> = Vec::new();
            for (_, _, _, id, _) in &images {
                let id = id.split_once(':').map(|(_, h)| h.to_string()).unwrap_or_else(|| id.clone());
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            return Ok(ids.iter().map(|i| format!("{i}\n")).collect());
        }
        if self.m.value("format") == Some("json") {
            let list: Vec<serde_json::Value> = images
                .iter()
                .map(|(name, repo, tag, id, _)| {
                    let size = found
                        .iter()
                        .find(|(c, _, _)| &c.name == name)
                        .and_then(|(c, _, _)| daemon.images.get(&c.image_id))
                        .map(|i| i.size)
                        .unwrap_or(0);
                    serde_json::json!({"ID": id, "ContainerName": name, "Repository": repo, "Tag": tag, "Size": size})
                })
                .collect();
            return Ok(format!("{}\n", serde_json::Value::Array(list)));
        }
        let mut rows = vec![["CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"].map(String::from).to_vec()];
        for (name, repo, tag, id, size) in images {
            let short: String = id.split_once(':').map(|(_, h)| h).unwrap_or(&id).chars().take(12).collect();
            rows.push(vec![name, repo, tag, short, size]);
        }
        Ok(crate::cli::table::render_min(&rows, 20))
    }
}

impl Task for Query {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let services: &[String] = match self.view {
            View::Port => std::slice::from_ref(&self.m.args[0]),
            _ => &self.m.args,
        };
        let Some(project) = load_for(&self.global, daemon, io, services) else { return Step::Done(1) };
        let result = match self.view {
            View::Top => self.top(daemon, &project.name),
            View::Port => self.port(daemon, &project.name),
            View::Images => self.images(daemon, &project.name),
        };
        match result {
            Ok(out) => {
                io.out(out);
                Step::Done(0)
            }
            Err(e) => {
                io.err(format!("{e}\n"));
                Step::Done(1)
            }
        }
    }
}

fn query(view: View, spec: &Spec, args: &[String], global: Global) -> Box<dyn Task> {
    match parse(spec, args) {
        Ok(m) => {
            if let (View::Images, Some(f)) = (view, m.value("format")) {
                if f != "table" && f != "json" {
                    return Finished::fail(format!("format value {f:?} could not be parsed: unsupported format\n"), 1);
                }
            }
            Box::new(Query { view, m, global })
        }
        Err(task) => task,
    }
}

pub fn top(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    query(View::Top, &TOP, args, global)
}

pub fn port(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    query(View::Port, &PORT, args, global)
}

pub fn images(args: &[String], global: Global, _daemon: &mut Daemon) -> Box<dyn Task> {
    query(View::Images, &IMAGES, args, global)
}
