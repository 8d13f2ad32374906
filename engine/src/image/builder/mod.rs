//! `docker build`: an image from a Dockerfile and a build context, one stage after another, one
//! instruction after another, as BuildKit does. Instructions that change files (`RUN`, `COPY`,
//! `ADD`, `WORKDIR` when it creates the folder) add a layer; the others only change the config.
//! `RUN` runs the stage's shell in a build container made of the stage's current filesystem;
//! its changes become the layer. Every step is cached by what it depends on (the steps before
//! it, the instruction, the files it copies): a rebuild with nothing changed reuses every layer
//! and prints `CACHED`. Nothing half-built is tagged: the names go on at the very end.

mod context;
mod copy;
mod step;

pub use context::Context;

use super::build::{parse, Dockerfile, ParseError};
use super::{HistoryEntry, ImageConfig, Pull, PullEvent, Reference, RootFs};
use crate::fs::Fs;
use crate::ids::Digest;
use crate::process::{GroupId, Pid, Pipe};
use crate::{Daemon, Error};
use std::collections::HashMap;

/// What `docker build` flags ask for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub tags: Vec<String>,
    pub build_args: Vec<(String, String)>,
    pub target: Option<String>,
    pub no_cache: bool,
}

/// What a build reports, for the CLI to show as BuildKit does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildEvent {
    /// A step starts: its number and title (`[2/4] RUN apk add curl`).
    Start { vertex: usize, name: String },
    /// Output of a step (a `RUN`'s lines), or a sub-task line (`transferring context: 2B`).
    Log { vertex: usize, text: String },
    /// The step's result was in the cache.
    Cached { vertex: usize },
    /// The step finished, after this many milliseconds.
    Done { vertex: usize, millis: u64 },
}

/// A stage's state while it is built.
#[derive(Clone)]
struct StageState {
    name: Option<String>,
    config: ImageConfig,
    layers: Vec<Digest>,
    /// Its filesystem, when a step needed it (rebuilt from the layers after cached steps).
    fs: Option<Fs>,
    /// Build-time variables in scope (`ARG`s declared in the stage), with their values.
    args: Vec<(String, String)>,
    shell: Vec<String>,
    /// The cache key of the state reached so far.
    key: String,
    /// Where it is in its instructions.
    next: usize,
    /// Steps shown as `[k/N]` so far, and N.
    shown: usize,
    total: usize,
}

/// A `RUN` in progress.
struct Running {
    pid: Pid,
    group: GroupId,
    output: Pipe,
    partial: String,
    snapshot: Fs,
    /// An empty `/etc/resolv.conf` was made as the DNS file's mount point: it goes after the step.
    resolv_stub: bool,
    cmd_line: String,
    key: String,
    started_ms: u64,
}

enum Phase {
    /// Resolving the base image of the current stage (pulling it if missing).
    Base(Option<Box<Pull>>),
    Steps,
    Running(Box<Running>),
    Export,
    Finished,
}

/// A build in progress.
pub struct Build {
    file: Dockerfile,
    opts: BuildOptions,
    context: Context,
    stages: Vec<StageState>,
    /// The stages to build: up to the target (or the last).
    last: usize,
    current: usize,
    phase: Phase,
    vertex: usize,
    /// The vertex of the step in progress and when it started.
    step_vertex: usize,
    step_started: u64,
    global_args: HashMap<String, String>,
}

/// The result of a failed build, as BuildKit words it after `ERROR: failed to solve: `.
pub type BuildError = String;

fn default_shell() -> Vec<String> {
    vec!["/bin/sh".into(), "-c".into()]
}

impl Build {
    /// Parses the Dockerfile and prepares the build. The error is the message to print.
    pub fn new(dockerfile_text: &str, context: Context, opts: BuildOptions) -> Result<Self, BuildError> {
        let file = parse(dockerfile_text).map_err(|e: ParseError| e.to_string())?;
        let last = match &opts.target {
            None => file.stages.len() - 1,
            Some(t) => file
                .stages
                .iter()
                .position(|s| s.name.as_deref() == Some(t.to_ascii_lowercase().as_str()))
                .ok_or_else(|| format!("target stage \"{t}\" could not be found"))?,
        };
        let mut global_args = HashMap::new();
        for a in &file.global_args {
            let value =
                opts.build_args.iter().find(|(k, _)| *k == a.name).map(|(_, v)| v.clone()).or(a.default.clone());
            global_args.insert(a.name.clone(), value.unwrap_or_default());
        }
        Ok(Self {
            file,
            opts,
            context,
            stages: Vec::new(),
            last,
            current: 0,
            phase: Phase::Base(None),
            vertex: 0,
            step_vertex: 0,
            step_started: 0,
            global_args,
        })
    }

    /// The lint warnings of the Dockerfile, as BuildKit prints them at the end.
    pub fn warnings(&self) -> String {
        super::build::render_warnings(self.file.warnings())
    }

    fn next_vertex(&mut self) -> usize {
        self.vertex += 1;
        self.vertex
    }

    /// Advances as far as it can. `Ok(Some(id))` when the image is built and named.
    pub fn poll(&mut self, daemon: &mut Daemon, events: &mut Vec<BuildEvent>) -> Result<Option<Digest>, BuildError> {
        loop {
            match &mut self.phase {
                Phase::Base(_) => {
                    if !self.base(daemon, events)? {
                        return Ok(None);
                    }
                }
                Phase::Steps => {
                    if self.current > self.last {
                        self.phase = Phase::Export;
                        continue;
                    }
                    if !self.step(daemon, events)? {
                        return Ok(None);
                    }
                }
                Phase::Running(_) => {
                    if !self.poll_run(daemon, events)? {
                        return Ok(None);
                    }
                }
                Phase::Export => return self.export(daemon, events).map(Some),
                Phase::Finished => return Ok(None),
            }
        }
    }

    /// Resolves the current stage's base; false while a pull is under way.
    fn base(&mut self, daemon: &mut Daemon, events: &mut Vec<BuildEvent>) -> Result<bool, BuildError> {
        let stage = &self.file.stages[self.current];
        let vars = |k: &str| self.global_args.get(k).cloned();
        let from = super::build::expand(&stage.from, &vars, self.file.directives.escape).map_err(|e| e.to_string())?;
        let total = 1 + stage
            .instructions
            .iter()
            .filter(|i| {
                matches!(
                    i.value,
                    super::build::Instruction::Run(_)
                        | super::build::Instruction::Copy(_)
                        | super::build::Instruction::Add(_)
                        | super::build::Instruction::Workdir(_)
                )
            })
            .count();
        let name = stage.name.clone();
        let earlier = self.stages.iter().position(|s| s.name.as_deref() == Some(from.to_ascii_lowercase().as_str()));
        let state = if from == "scratch" {
            Some(StageState::empty(name.clone(), "scratch".into(), total))
        } else if let Some(i) = earlier {
            let mut s = self.stages[i].clone();
            s.name = name.clone();
            s.next = 0;
            s.shown = 0;
            s.total = total;
            s.args.clear();
            Some(s)
        } else {
            None
        };
        let state = match state {
            Some(s) => s,
            None => {
                let reference =
                    Reference::parse(&from).map_err(|e| format!("failed to parse stage name \"{from}\": {e}"))?;
                match daemon.images.by_reference(&reference).cloned() {
                    Some(image) => StageState::from_image(name.clone(), &image, total),
                    None => {
                        let Phase::Base(pull) = &mut self.phase else { return Ok(true) };
                        let pull = pull.get_or_insert_with(|| Box::new(Pull::new(reference.clone())));
                        let mut pull_events: Vec<PullEvent> = Vec::new();
                        match daemon.poll_pull(pull, &mut pull_events) {
                            Ok(Some(_)) => return Ok(true),
                            Ok(None) => return Ok(false),
                            Err(_) => {
                                let shown = reference.clone().with_default_tag();
                                return Err(format!("{from}: failed to resolve source metadata for {}/{}:{}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed", shown.domain, shown.path, shown.tag_or_latest()));
                            }
                        }
                    }
                }
            }
        };
        let v = self.next_vertex();
        let label = match &name {
            Some(n) => format!("[{n} 1/{total}]"),
            None => format!("[1/{total}]"),
        };
        let shown_from = if from == "scratch" || earlier.is_some() {
            from.clone()
        } else {
            let r = Reference::parse(&from).map(|r| r.with_default_tag()).ok();
            r.map(|r| format!("{}/{}:{}", r.domain, r.path, r.tag_or_latest())).unwrap_or(from.clone())
        };
        events.push(BuildEvent::Start { vertex: v, name: format!("{label} FROM {shown_from}") });
        events.push(BuildEvent::Done { vertex: v, millis: 0 });
        let mut state = state;
        state.shown = 1;
        self.stages.push(state);
        self.phase = Phase::Steps;
        Ok(true)
    }
}

impl StageState {
    fn empty(name: Option<String>, key: String, total: usize) -> Self {
        let config = ImageConfig {
            author: None,
            architecture: "wasm".into(),
            os: "wasip1".into(),
            created: String::new(),
            config: Default::default(),
            rootfs: RootFs { kind: "layers".into(), diff_ids: Vec::new() },
            history: Vec::new(),
        };
        Self {
            name,
            config,
            layers: Vec::new(),
            fs: Some(Fs::new()),
            args: Vec::new(),
            shell: default_shell(),
            key,
            next: 0,
            shown: 0,
            total,
        }
    }

    fn from_image(name: Option<String>, image: &super::Image, total: usize) -> Self {
        let mut s = Self::empty(name, image.id.to_string(), total);
        s.config = image.config.clone();
        s.layers = image.layers.clone();
        s.fs = None;
        s
    }
}

/// Records a history line on the stage's config.
fn history(config: &mut ImageConfig, created: &str, created_by: String, empty_layer: bool) {
    config.history.push(HistoryEntry {
        created: created.into(),
        created_by,
        comment: "buildkit.dockerfile.v0".into(),
        empty_layer,
    });
}

/// The daemon's build cache: a step's key to the state it produced.
#[derive(Debug, Default)]
pub struct BuildCache {
    entries: HashMap<String, (ImageConfig, Vec<Digest>)>,
}

impl BuildCache {
    /// How many steps are cached.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    fn get(&self, key: &str) -> Option<&(ImageConfig, Vec<Digest>)> {
        self.entries.get(key)
    }
    pub(crate) fn put(&mut self, key: String, config: ImageConfig, layers: Vec<Digest>) {
        self.entries.insert(key, (config, layers));
    }
    /// Every cached step (for a snapshot).
    pub(crate) fn steps(&self) -> impl Iterator<Item = (&String, &(ImageConfig, Vec<Digest>))> {
        self.entries.iter()
    }
}

/// Why `docker build` could not start, before any step.
pub fn context_error(e: &Error) -> String {
    e.to_string()
}
