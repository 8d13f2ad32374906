//! `docker build`: builds an image from a Dockerfile in a folder of the host (the build
//! context) and shows BuildKit's progress: numbered steps (`#6 [2/3] RUN ...`) with their
//! output in `--progress=plain` (the default when not on a terminal), or the `[+] Building`
//! summary on a terminal, `CACHED` for steps reused from the cache, and on failure the step, its
//! output and the Dockerfile line, as BuildKit prints them. On a live terminal (the page's), the
//! summary is redrawn in place while the build runs, as BuildKit's tty display does: the running
//! steps with their time so far and their last lines of output.

use super::{parse_or_task, Arity, Finished, Flag, Io, Spec, Step, Task};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::host::absolute;
use crate::image::builder::{Build, BuildEvent, BuildOptions, Context};

const FLAGS: &[Flag] = &[
    Flag::list("build-arg", None, "stringArray", "Set build-time variables"),
    Flag::value("file", Some('f'), "string", "Name of the Dockerfile (default: \"PATH/Dockerfile\")"),
    Flag::bool("no-cache", None, "Do not use cache when building the image"),
    Flag::value("progress", None, "string", "Set type of progress output (\"auto\", \"plain\", \"tty\", \"quiet\")")
        .with_default("\"auto\""),
    Flag::bool("pull", None, "Always attempt to pull all referenced images"),
    Flag::bool("quiet", Some('q'), "Suppress the build output and print image ID on success"),
    Flag::list("tag", Some('t'), "stringArray", "Name and optionally a tag (format: \"name:tag\")"),
    Flag::value("target", None, "string", "Set the target build stage to build"),
];

const SPEC: Spec = Spec {
    name: "docker buildx build",
    usage: "docker buildx build [OPTIONS] PATH | URL | -",
    description: "Start a build",
    aliases: "docker build, docker builder build, docker image build, docker buildx b",
    flags: FLAGS,
    arity: Arity::Exactly(1),
    interspersed: true,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Progress {
    Plain,
    Tty,
    Quiet,
}

/// One step as the summary shows it.
struct Vertex {
    name: String,
    cached: bool,
    millis: u64,
    logs: Vec<String>,
    /// When it started (ms since the epoch), and whether it is done.
    started_ms: u64,
    done: bool,
}

/// How often the live display redraws (BuildKit's tty display: 100 ms).
const REFRESH_MS: u64 = 100;
/// Lines of a running step's output the live display shows.
const LIVE_LOG_LINES: usize = 6;

struct BuildTask {
    build: Build,
    progress: Progress,
    vertices: Vec<Vertex>,
    started_ms: u64,
    dockerfile_text: String,
    /// Lines of the last live frame on screen (0 before the first), and when it was drawn.
    drawn: usize,
    drawn_at_ms: u64,
}

impl BuildTask {
    fn show(&mut self, io: &mut Io, events: Vec<BuildEvent>, now: u64) {
        for e in events {
            match e {
                BuildEvent::Start { vertex, name } => {
                    if self.progress == Progress::Plain {
                        io.err(format!("#{} {name}\n", vertex + 2));
                    }
                    self.vertices.push(Vertex {
                        name,
                        cached: false,
                        millis: 0,
                        logs: Vec::new(),
                        started_ms: now,
                        done: false,
                    });
                }
                BuildEvent::Log { vertex, text } => {
                    if self.progress == Progress::Plain {
                        io.err(format!("#{} {text}\n", vertex + 2));
                    }
                    if let Some(v) = self.vertices.get_mut(vertex - 1) {
                        v.logs.push(text);
                    }
                }
                BuildEvent::Cached { vertex } => {
                    if self.progress == Progress::Plain {
                        io.err(format!("#{} CACHED\n\n", vertex + 2));
                    }
                    if let Some(v) = self.vertices.get_mut(vertex - 1) {
                        v.cached = true;
                    }
                }
                BuildEvent::Done { vertex, millis } => {
                    let cached = self.vertices.get(vertex - 1).is_some_and(|v| v.cached);
                    if self.progress == Progress::Plain && !cached {
                        io.err(format!("#{} DONE {:.1}s\n\n", vertex + 2, millis as f64 / 1000.0));
                    }
                    if let Some(v) = self.vertices.get_mut(vertex - 1) {
                        v.millis = millis;
                        v.done = true;
                    }
                }
            }
        }
    }

    /// The `[+] Building` summary of a terminal, line by line. While the build runs (`live`),
    /// running steps show their time so far and their last lines of output.
    fn frame(&self, cols: u16, total_ms: u64, finished: bool, live: Option<u64>) -> Vec<String> {
        let width = usize::from(cols.max(60));
        let n = self.vertices.len() + 2;
        let done = match live {
            Some(_) => self.vertices.iter().filter(|v| v.done).count() + 2,
            None => n,
        };
        let head = format!(
            "[+] Building {:.1}s ({done}/{n}) {}",
            total_ms as f64 / 1000.0,
            if finished { "FINISHED" } else { "" }
        );
        let mut lines = vec![format!("{head:<w$}docker:default", w = width.saturating_sub(14))];
        let line = |lines: &mut Vec<String>, text: &str, millis: u64| {
            let time = format!("{:.1}s", millis as f64 / 1000.0);
            let room = width.saturating_sub(time.len() + 1);
            let text: String = text.chars().take(room).collect();
            lines.push(format!("{text:<room$} {time}"));
        };
        line(&mut lines, " => [internal] load build definition from Dockerfile", 0);
        line(&mut lines, &format!(" => => transferring dockerfile: {}B", self.dockerfile_text.len()), 0);
        line(&mut lines, " => [internal] load .dockerignore", 0);
        for v in &self.vertices {
            let name = if v.cached { format!(" => CACHED {}", v.name) } else { format!(" => {}", v.name) };
            match live {
                Some(now) if !v.done => {
                    line(&mut lines, &name, now.saturating_sub(v.started_ms));
                    let from = v.logs.len().saturating_sub(LIVE_LOG_LINES);
                    for l in &v.logs[from..] {
                        // Without the time plain progress puts first (`0.012 hello`).
                        let l =
                            l.split_once(' ').filter(|(t, _)| t.parse::<f64>().is_ok()).map_or(l.as_str(), |(_, r)| r);
                        let text: String = format!(" => => # {l}").chars().take(width).collect();
                        lines.push(text);
                    }
                }
                _ => line(&mut lines, &name, v.millis),
            }
            if v.name == "exporting to image" && (v.done || live.is_none()) {
                for l in &v.logs {
                    line(&mut lines, &format!(" => => {}", l.trim_end_matches(" done")), 0);
                }
            }
        }
        lines
    }

    /// Shows the summary: redrawn over the previous frame on a live terminal, else printed.
    fn summary(&mut self, io: &mut Io, total_ms: u64, finished: bool) {
        let lines = self.frame(io.cols, total_ms, finished, None);
        self.draw(io, lines);
    }

    /// Prints `lines`, over the last frame if one is on screen.
    fn draw(&mut self, io: &mut Io, lines: Vec<String>) {
        let mut out = String::new();
        if self.drawn > 0 {
            out.push_str(&format!("\x1b[{}A\r", self.drawn));
        }
        let erase = if self.drawn > 0 { "\x1b[K" } else { "" };
        for l in &lines {
            out.push_str(&format!("{l}{erase}\n"));
        }
        // A shorter frame than the last: blank what is left of it.
        let extra = self.drawn.saturating_sub(lines.len());
        if extra > 0 {
            out.push_str(&"\x1b[K\n".repeat(extra));
            out.push_str(&format!("\x1b[{extra}A"));
        }
        if io.live {
            self.drawn = lines.len();
        }
        io.err(out);
    }

    /// On a live terminal, redraws the running summary every [`REFRESH_MS`].
    fn refresh(&mut self, io: &mut Io, now: u64) {
        if self.progress != Progress::Tty || !io.live || now.saturating_sub(self.drawn_at_ms) < REFRESH_MS {
            return;
        }
        self.drawn_at_ms = now;
        let lines = self.frame(io.cols, now.saturating_sub(self.started_ms), false, Some(now));
        self.draw(io, lines);
    }

    fn fail(&mut self, io: &mut Io, error: String, total_ms: u64) -> Step {
        if self.progress == Progress::Tty {
            self.summary(io, total_ms, false);
        }
        if let Some(v) = self.vertices.last() {
            if v.name.contains("] RUN ") || v.name.contains("] COPY ") || v.name.contains("] ADD ") {
                io.err(format!("------\n > {}:\n", v.name));
                for l in &v.logs {
                    io.err(format!("{l}\n"));
                }
                io.err("------\n");
                let text = v.name.split_once("] ").map(|(_, t)| t).unwrap_or("");
                if let Some((n, _)) = self.dockerfile_text.lines().enumerate().find(|(_, l)| l.trim() == text.trim()) {
                    io.err(format!(
                        "Dockerfile:{}\n--------------------\n{:>4} | >>> {}\n--------------------\n",
                        n + 1,
                        n + 1,
                        text
                    ));
                }
            }
        }
        io.err(format!("ERROR: failed to solve: {error}\n"));
        Step::Done(1)
    }
}

impl Task for BuildTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let mut events = Vec::new();
        let result = self.build.poll(daemon, &mut events);
        let now = daemon.now_ms();
        self.show(io, events, now);
        let total = now.saturating_sub(self.started_ms);
        match result {
            Ok(None) => {
                self.refresh(io, now);
                Step::Pending(Activity::Waiting)
            }
            Ok(Some(id)) => {
                match self.progress {
                    Progress::Quiet => io.out(format!("{id}\n")),
                    Progress::Tty => self.summary(io, total, true),
                    Progress::Plain => {}
                }
                let warnings = self.build.warnings();
                if !warnings.is_empty() && self.progress != Progress::Quiet {
                    io.err(format!("\n{warnings}"));
                }
                Step::Done(0)
            }
            Err(e) => self.fail(io, e, total),
        }
    }
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let dir = absolute(&daemon.client_cwd, &m.args[0]);
    if m.args[0] == "-" || m.args[0].contains("://") {
        return Finished::fail("ERROR: the playground builds from a folder of the host: docker build PATH\n", 1);
    }
    if !daemon.host_fs.lookup(&dir, true).is_ok_and(|n| n.borrow().is_dir()) {
        return Finished::fail(
            format!("ERROR: failed to build: unable to prepare context: path \"{}\" not found\n", m.args[0]),
            1,
        );
    }
    let file = m
        .value("file")
        .map(|f| absolute(&daemon.client_cwd, f))
        .unwrap_or_else(|| format!("{}/Dockerfile", dir.trim_end_matches('/')));
    let text = match daemon.host_fs.read_file(&file) {
        Ok(t) => String::from_utf8_lossy(&t).into_owned(),
        Err(_) => {
            let shown = m.value("file").unwrap_or("Dockerfile");
            return Finished::fail(
                format!("ERROR: failed to solve: failed to read dockerfile: open {shown}: no such file or directory\n"),
                1,
            );
        }
    };
    let mut build_args = Vec::new();
    for a in m.list("build-arg") {
        // `--build-arg NAME` alone takes the value from the environment (none on this host).
        if let Some((k, v)) = a.split_once('=') {
            build_args.push((k.to_string(), v.to_string()));
        }
    }
    let opts = BuildOptions {
        tags: m.list("tag").to_vec(),
        build_args,
        target: m.value("target").map(String::from),
        no_cache: m.flag("no-cache"),
    };
    for t in &opts.tags {
        if let Err(e) = crate::image::Reference::parse(t) {
            return Finished::fail(format!("ERROR: failed to build: invalid tag \"{t}\": {e}\n"), 1);
        }
    }
    let context = Context::new(daemon.host_fs.clone(), dir);
    let build = match Build::new(&text, context, opts) {
        Ok(b) => b,
        Err(e) => return Finished::fail(format!("ERROR: failed to solve: {e}\n"), 1),
    };
    let progress = match (m.flag("quiet"), m.value("progress")) {
        (true, _) | (_, Some("quiet")) => Progress::Quiet,
        (_, Some("plain")) => Progress::Plain,
        (_, Some("tty")) => Progress::Tty,
        _ => Progress::Tty,
    };
    let now = daemon.now_ms();
    let mut task = BuildTask {
        build,
        progress,
        vertices: Vec::new(),
        started_ms: now,
        dockerfile_text: text,
        drawn: 0,
        // The first frame comes after one refresh period, as BuildKit's does.
        drawn_at_ms: now,
    };
    if progress == Progress::Plain {
        let size = task.dockerfile_text.len();
        let mut head = String::from("#0 building with \"default\" instance using docker driver\n\n");
        head.push_str(&format!("#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: {size}B done\n#1 DONE 0.0s\n\n"));
        head.push_str("#2 [internal] load .dockerignore\n#2 transferring context: 2B done\n#2 DONE 0.0s\n\n");
        return Box::new(super::Prefixed { text: head, to_stderr: true, inner: task });
    }
    task.vertices.reserve(8);
    Box::new(task)
}
