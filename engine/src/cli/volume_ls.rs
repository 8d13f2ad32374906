//! `docker volume ls`: the volumes, in natural name order (`v2` before `v10`), as a `DRIVER
//! VOLUME NAME` table, names only (`-q`), or a `--format` template. Filters: `dangling` (used
//! by no container), `name` (part of the name), `driver`, `label` (all must match).

use super::filter::Filters;
use super::format::{self, Format};
use super::{parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use crate::volume::{has_label, Volume};
use serde_json::json;
use std::cmp::Ordering;

const FLAGS: &[Flag] = &[
    Flag::bool("cluster", None, "Display only cluster volumes, and use cluster volume list formatting"),
    Flag::list("filter", Some('f'), "filter", "Provide filter values (e.g. \"dangling=true\")"),
    format::FORMAT_FLAG,
    Flag::bool("quiet", Some('q'), "Only display volume names"),
];

const SPEC: Spec = Spec {
    name: "docker volume ls",
    usage: "docker volume ls [OPTIONS]",
    description: "List volumes",
    aliases: "docker volume ls, docker volume list",
    flags: FLAGS,
    arity: Arity::None,
    interspersed: true,
};

const HEADERS: &[(&str, &str)] = &[
    ("ID", "ID"),
    ("Name", "VOLUME NAME"),
    ("Group", "GROUP"),
    ("Driver", "DRIVER"),
    ("Scope", "SCOPE"),
    ("Availability", "AVAILABILITY"),
    ("Mountpoint", "MOUNTPOINT"),
    ("Labels", "LABELS"),
    ("Links", "LINKS"),
    ("Size", "SIZE"),
    ("Status", "STATUS"),
];

const DEFAULT_TABLE: &str = "{{.Driver}}\t{{.Name}}";
const CLUSTER_TABLE: &str = "{{.ID}}\t{{.Name}}\t{{.Group}}\t{{.Driver}}\t{{.Availability}}\t{{.Status}}";

/// Compares names as Docker's client sorts them: runs of digits by their value.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        let (Some(x), Some(y)) = (a.chars().next(), b.chars().next()) else {
            return a.len().cmp(&b.len());
        };
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let end = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
            let (da, db) = (&a[..end(a)], &b[..end(b)]);
            let (ta, tb) = (da.trim_start_matches('0'), db.trim_start_matches('0'));
            let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
            if order != Ordering::Equal {
                return order;
            }
            (a, b) = (&a[da.len()..], &b[db.len()..]);
        } else {
            if x != y {
                return x.cmp(&y);
            }
            (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
        }
    }
}

/// What a template sees of a volume (the client's `volumeContext`).
fn volume_object(v: &Volume) -> serde_json::Value {
    let labels: Vec<String> = v.labels.iter().flatten().map(|(k, val)| format!("{k}={val}")).collect();
    json!({
        "Availability": "N/A",
        "Driver": v.driver,
        "Group": "N/A",
        "Labels": labels.join(","),
        "Links": "N/A",
        "Mountpoint": v.mountpoint(),
        "Name": v.name,
        "Scope": "local",
        "Size": "N/A",
        "Status": "N/A",
    })
}

/// Whether `dangling=value` keeps a volume that is (`unused`) or is not used.
fn dangling_matches(values: &[String], unused: bool) -> Result<bool, String> {
    for v in values {
        let wanted = match v.as_str() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => return Err(format!("Error response from daemon: invalid filter 'dangling={v}'")),
        };
        if wanted != unused {
            return Ok(false);
        }
    }
    Ok(true)
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let filters = match Filters::parse(m.list("filter"), &["dangling", "name", "driver", "label"]) {
        Ok(f) => f,
        Err(e) => return Finished::fail(format!("{e}\n"), 1),
    };
    let mut volumes: Vec<&Volume> = Vec::new();
    for v in daemon.volumes.iter() {
        let unused = daemon.volume_users(&v.name).is_empty();
        let keep = match dangling_matches(filters.values("dangling"), unused) {
            Ok(keep) => keep,
            Err(e) => return Finished::fail(format!("{e}\n"), 1),
        };
        if keep
            && filters.matches("name", |n| v.name.contains(n))
            && filters.matches("driver", |d| v.driver == d)
            && filters.values("label").iter().all(|l| has_label(v, l))
            // Cluster volumes only: a machine outside a swarm has none.
            && !m.flag("cluster")
        {
            volumes.push(v);
        }
    }
    volumes.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    let format = match (m.value("format"), m.flag("quiet"), m.flag("cluster")) {
        (None | Some("table"), true, _) => Format::Raw("{{.Name}}".into()),
        (None, false, true) => Format::Table(CLUSTER_TABLE.into()),
        (value, _, _) => Format::parse(value, DEFAULT_TABLE),
    };
    let objects: Vec<_> = volumes.iter().map(|v| volume_object(v)).collect();
    match format::render(&format, &objects, HEADERS) {
        Ok(out) => Finished::out(out),
        Err(e) => Finished::fail(format!("{e}\n"), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_naturally() {
        let mut names = vec!["v10", "v2", "data", "v1", "app-db"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["app-db", "data", "v1", "v2", "v10"]);
        assert_eq!(natural_cmp("a", "ab"), Ordering::Less);
        assert_eq!(dangling_matches(&["true".into()], false), Ok(false));
        assert!(dangling_matches(&["maybe".into()], true).is_err());
    }
}
