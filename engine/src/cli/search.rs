//! `docker search`: the registry's repositories (the bundled catalog, and what learners pushed)
//! whose name or
//! description contains the term, most stars first, with Docker's columns and filters
//! (`--filter is-official=true`, `--filter stars=N`, `--limit`).

use super::filter::Filters;
use super::table::{ellipsis, render};
use super::{parse_or_task, Arity, Finished, Flag, Io, Spec, Step, Task};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::image::CatalogIndex;
use crate::platform::BlobPoll;

const SPEC: Spec = Spec {
    name: "docker search",
    usage: "docker search [OPTIONS] TERM",
    description: "Search Docker Hub for images",
    aliases: "",
    flags: &[
        Flag::list("filter", Some('f'), "filter", "Filter output based on conditions provided"),
        Flag::value("limit", None, "int", "Max number of search results").with_default("25"),
        Flag::bool("no-trunc", None, "Don't truncate output"),
    ],
    arity: Arity::Exactly(1),
    interspersed: true,
};

struct SearchTask {
    term: String,
    filters: Filters,
    limit: usize,
    trunc: bool,
}

impl Task for SearchTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let bytes = match daemon.poll_blob("index.json") {
            BlobPoll::Pending => return Step::Pending(Activity::Waiting),
            BlobPoll::Failed(e) => {
                io.err(format!("Error response from daemon: {e}\n"));
                return Step::Done(1);
            }
            BlobPoll::Ready(b) => b,
        };
        let index: CatalogIndex = match serde_json::from_slice(&bytes) {
            Ok(i) => i,
            Err(e) => {
                io.err(format!("Error response from daemon: {e}\n"));
                return Step::Done(1);
            }
        };
        let term = self.term.to_ascii_lowercase();
        let pushed = daemon.registry.repositories().filter(|(path, _)| !index.repositories.contains_key(*path));
        let mut hits: Vec<(String, String, u32, bool)> = index
            .repositories
            .iter()
            .map(|(path, r)| {
                (path.strip_prefix("library/").unwrap_or(path).to_string(), r.description.clone(), r.stars, r.official)
            })
            .chain(pushed.map(|(path, _)| (path.clone(), String::new(), 0, false)))
            .filter(|(name, desc, _, _)| name.contains(&term) || desc.to_ascii_lowercase().contains(&term))
            .filter(|(_, _, stars, official)| {
                self.filters.matches("is-official", |v| (v == "true") == *official)
                    && self.filters.matches("stars", |v| v.parse::<u32>().is_ok_and(|n| *stars >= n))
            })
            .collect();
        hits.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        hits.truncate(self.limit);
        let mut rows = vec![["NAME", "DESCRIPTION", "STARS", "OFFICIAL"].map(String::from).to_vec()];
        for (name, desc, stars, official) in hits {
            let desc = if self.trunc { ellipsis(&desc, 45) } else { desc };
            rows.push(vec![name, desc, stars.to_string(), if official { "[OK]".into() } else { String::new() }]);
        }
        io.out(render(&rows));
        Step::Done(0)
    }
}

pub fn start(args: &[String]) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let filters = match Filters::parse(m.list("filter"), &["is-official", "stars", "is-automated"]) {
        Ok(f) => f,
        Err(e) => return Finished::fail(format!("{e}\n"), 1),
    };
    let limit = m.value("limit").and_then(|l| l.parse().ok()).unwrap_or(25);
    Box::new(SearchTask { term: m.args[0].clone(), filters, limit, trunc: !m.flag("no-trunc") })
}
