//! `docker top` and `docker stats`: the processes of a running container as the host sees them
//! (host pids, like `ps -ef`), and its resource usage: CPU time, memory (the processes'
//! WebAssembly memories) against its limit, and how many processes it has.

use super::table::{render, render_min};
use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Io, Spec, Step, Task};
use crate::container::Container;
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::process::DEFAULT_MEMORY_LIMIT;

const TOP: Spec = Spec {
    name: "docker top",
    usage: "docker top CONTAINER [ps OPTIONS]",
    description: "Display the running processes of a container",
    aliases: "docker container top, docker top",
    flags: &[],
    arity: Arity::AtLeast(1),
    interspersed: false,
};

const STATS: Spec = Spec {
    name: "docker stats",
    usage: "docker stats [OPTIONS] [CONTAINER...]",
    description: "Display a live stream of container(s) resource usage statistics",
    aliases: "docker container stats, docker stats",
    flags: &[
        Flag::bool("all", Some('a'), "Show all containers (default shows just running)"),
        Flag::bool("no-stream", None, "Disable streaming stats and only pull the first result"),
        Flag::bool("no-trunc", None, "Do not truncate output"),
    ],
    arity: Arity::Any,
    interspersed: true,
};

fn hh_mm(ms: u64) -> String {
    let iso = crate::units::rfc3339_nanos(ms);
    iso[11..16].to_string()
}

/// The columns of `docker top`.
pub(crate) const TOP_TITLES: [&str; 8] = ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"];

/// A running container's processes, one row of [`TOP_TITLES`] each (`docker compose top` too).
pub(crate) fn top_rows(daemon: &Daemon, c: &Container, group: crate::process::GroupId) -> Vec<Vec<String>> {
    let passwd = String::from_utf8_lossy(&c.fs.read_file("/etc/passwd").unwrap_or_default()).into_owned();
    let user = |uid: u32| {
        passwd
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| f.get(2) == Some(&uid.to_string().as_str()))
            .and_then(|f| f.first().map(|s| s.to_string()))
            .unwrap_or_else(|| uid.to_string())
    };
    let mut rows = Vec::new();
    for p in daemon.kernel.processes(group) {
        let secs = p.cpu_micros / 1_000_000;
        rows.push(vec![
            user(p.uid),
            p.pid.to_string(),
            p.ppid.map(|x| x.to_string()).unwrap_or_else(|| "0".into()),
            "0".into(),
            hh_mm(p.started_unix_ms),
            if p.tty { "pts/0".into() } else { "?".into() },
            format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
            p.argv.join(" "),
        ]);
    }
    rows
}

pub fn top(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&TOP, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let Some(c) = daemon.containers.find(&m.args[0]) else {
        return Finished::fail(daemon_error(&crate::Error::NoSuchContainer(m.args[0].clone())), 1);
    };
    let Some(run) = &c.process else {
        return Finished::fail(format!("Error response from daemon: container {} is not running\n", c.id), 1);
    };
    let mut rows = vec![TOP_TITLES.map(String::from).to_vec()];
    rows.extend(top_rows(daemon, c, run.group));
    Finished::out(render_min(&rows, 20))
}

/// Binary units with four significant digits, as `docker stats` prints memory (`1.172MiB`).
fn bytes_size(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    let digits = if v >= 1000.0 {
        0
    } else if v >= 100.0 {
        1
    } else if v >= 10.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    format!("{s}{}", UNITS[i])
}

fn stats_rows(daemon: &Daemon, keys: &[String], all: bool, trunc: bool) -> Result<String, String> {
    let now = daemon.now_ms();
    let chosen: Vec<&Container> = if keys.is_empty() {
        daemon.containers.newest_first().filter(|c| all || c.state.is_running()).collect()
    } else {
        keys.iter()
            .map(|k| {
                daemon.containers.find(k).ok_or_else(|| format!("Error response from daemon: No such container: {k}"))
            })
            .collect::<Result<_, _>>()?
    };
    let mut rows =
        vec![["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"]
            .map(String::from)
            .to_vec()];
    for c in chosen {
        let (cpu, mem, pids, limit) = match &c.process {
            Some(run) => {
                let procs = daemon.kernel.processes(run.group);
                let cpu: u64 = procs.iter().map(|p| p.cpu_micros).sum();
                let mem: u64 = procs.iter().map(|p| p.memory_bytes).sum();
                let up = match c.state {
                    crate::container::State::Running { started_ms, .. } => now.saturating_sub(started_ms).max(1),
                    _ => 1,
                };
                let limit = c.host.memory.unwrap_or(DEFAULT_MEMORY_LIMIT as u64);
                (cpu as f64 / 10.0 / up as f64, mem, procs.len(), limit)
            }
            None => (0.0, 0, 0, 0),
        };
        let pct = if limit > 0 { mem as f64 * 100.0 / limit as f64 } else { 0.0 };
        rows.push(vec![
            if trunc { c.id.short().to_string() } else { c.id.to_string() },
            c.name.clone(),
            format!("{cpu:.2}%"),
            format!("{} / {}", bytes_size(mem), bytes_size(limit)),
            format!("{pct:.2}%"),
            "0B / 0B".into(),
            "0B / 0B".into(),
            pids.to_string(),
        ]);
    }
    Ok(render(&rows))
}

/// `docker stats` without `--no-stream`: the table again every second, until Ctrl-C.
struct StatsStream {
    keys: Vec<String>,
    all: bool,
    trunc: bool,
    next_ms: u64,
}

impl Task for StatsStream {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let now = daemon.now_ms();
        if now < self.next_ms {
            return Step::Pending(Activity::Waiting);
        }
        self.next_ms = now + 1000;
        match stats_rows(daemon, &self.keys, self.all, self.trunc) {
            Ok(t) => io.out(format!("\x1b[2J\x1b[H{t}")),
            Err(e) => {
                io.err(format!("{e}\n"));
                return Step::Done(1);
            }
        }
        Step::Pending(Activity::Waiting)
    }
}

pub fn stats(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&STATS, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let (all, trunc) = (m.flag("all"), !m.flag("no-trunc"));
    if m.flag("no-stream") {
        return match stats_rows(daemon, &m.args, all, trunc) {
            Ok(t) => Finished::out(t),
            Err(e) => Finished::fail(format!("{e}\n"), 1),
        };
    }
    Box::new(StatsStream { keys: m.args.clone(), all, trunc, next_ms: 0 })
}

#[cfg(test)]
mod tests {
    #[test]
    fn memory_reads_like_docker_stats() {
        assert_eq!(super::bytes_size(1_228_800), "1.172MiB");
        assert_eq!(super::bytes_size(268_435_456), "256MiB");
        assert_eq!(super::bytes_size(0), "0B");
    }
}
