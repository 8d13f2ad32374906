//! One instruction at a time: config-only instructions change the stage's config; `WORKDIR`,
//! `COPY`, `ADD` and `RUN` change its filesystem and add a layer (the diff of a snapshot taken
//! before them). `RUN` runs in a build container: a process group of its own on the stage's
//! filesystem, with the stage's environment and the build arguments.

use super::copy::{copy, CopySpec, Source};
use super::{history, Build, BuildError, BuildEvent, Phase, Running, StageState};
use crate::container::commit::layer_entries;
use crate::container::start::find_executable;
use crate::fs::{diff, Fs};
use crate::ids::Digest;
use crate::image::build::{expand, Healthcheck, Instruction, ShellOrExec};
use crate::image::{build_layer, unpack_layer, HealthConfig, Reference};
use crate::process::{Pipe, ProcStatus, Signal, SpawnOptions, SpawnSpec, Stdio};
use crate::units::rfc3339_nanos;
use crate::Daemon;
use std::collections::BTreeMap;

fn key_of(parts: &[&str]) -> String {
    Digest::of(parts.join("\n").as_bytes()).to_string()
}

/// The `PATH` a stage without one gets (as Docker sets it in build containers).
const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

impl StageState {
    /// The filesystem, rebuilt from the layers if cached steps left it out.
    fn fs(&mut self, daemon: &Daemon) -> Result<Fs, BuildError> {
        if let Some(fs) = &self.fs {
            return Ok(fs.clone());
        }
        let fs = Fs::new();
        for layer in &self.layers {
            let bytes = daemon.images.layer(layer).ok_or_else(|| format!("layer {layer} is missing"))?;
            unpack_layer(&fs, &bytes).map_err(|e| e.to_string())?;
        }
        self.fs = Some(fs.clone());
        Ok(fs)
    }

    fn var(&self, name: &str) -> Option<String> {
        let env = self.config.config.env.iter().find_map(|e| e.strip_prefix(&format!("{name}=")).map(String::from));
        env.or_else(|| self.args.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    fn set_env(&mut self, key: &str, value: &str) {
        let env = &mut self.config.config.env;
        env.retain(|e| e.split('=').next() != Some(key));
        env.push(format!("{key}={value}"));
    }

    /// An absolute path in the image for `path` as written (relative to WORKDIR).
    fn resolve(&self, path: &str) -> String {
        if path.starts_with('/') {
            path.to_string()
        } else {
            let wd = if self.config.config.working_dir.is_empty() { "/" } else { &self.config.config.working_dir };
            format!("{}/{path}", wd.trim_end_matches('/'))
        }
    }

    /// Turns the changes since `snapshot` into a layer on the stage.
    fn commit(&mut self, daemon: &mut Daemon, snapshot: &Fs, created_by: String, now: u64) -> Result<(), BuildError> {
        let fs = self.fs(daemon)?;
        let changes = diff(snapshot, &fs);
        let tar = build_layer(&layer_entries(&fs, &changes), now / 1000).map_err(|e| e.to_string())?;
        let digest = Digest::of(&tar);
        daemon.images.add_layer(digest.clone(), tar.into());
        self.layers.push(digest.clone());
        self.config.rootfs.diff_ids.push(digest.to_string());
        history(&mut self.config, &rfc3339_nanos(now), created_by, false);
        Ok(())
    }
}

fn command_line(shell: &[String], cmd: &ShellOrExec) -> Vec<String> {
    match cmd {
        ShellOrExec::Exec(argv) => argv.clone(),
        ShellOrExec::Shell(line) => shell.iter().cloned().chain(std::iter::once(line.clone())).collect(),
    }
}

/// `HEALTHCHECK` as the image config stores it: the shell form becomes `CMD-SHELL` (run by the
/// container's shell when checked), `NONE` disables a check inherited from the base image.
fn health_config(h: &Healthcheck) -> HealthConfig {
    let nanos = |d: &Option<std::time::Duration>| d.map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    match h {
        Healthcheck::None => HealthConfig { test: vec!["NONE".into()], ..HealthConfig::default() },
        Healthcheck::Cmd { test, interval, timeout, start_period, start_interval, retries } => HealthConfig {
            test: match test {
                ShellOrExec::Exec(argv) => std::iter::once("CMD".to_string()).chain(argv.iter().cloned()).collect(),
                ShellOrExec::Shell(line) => vec!["CMD-SHELL".into(), line.clone()],
            },
            interval: nanos(interval),
            timeout: nanos(timeout),
            start_period: nanos(start_period),
            start_interval: nanos(start_interval),
            retries: retries.map_or(0, i64::from),
        },
    }
}

fn owner(spec: &Option<String>) -> Option<(u32, u32)> {
    let s = spec.as_ref()?;
    let (u, g) = s.split_once(':').unwrap_or((s, s));
    let id = |v: &str| v.parse::<u32>().unwrap_or(if v == "root" { 0 } else { 1000 });
    Some((id(u), id(g)))
}

impl Build {
    /// The next instruction of the current stage; false while it waits (a `RUN` started).
    pub(super) fn step(&mut self, daemon: &mut Daemon, events: &mut Vec<BuildEvent>) -> Result<bool, BuildError> {
        let stage_def = &self.file.stages[self.current];
        let Some(st) = self.stages.last_mut() else { return Err("no stage".into()) };
        let Some(located) = stage_def.instructions.get(st.next).cloned() else {
            self.current += 1;
            self.phase = if self.current > self.last { Phase::Export } else { Phase::Base(None) };
            return Ok(true);
        };
        st.next += 1;
        let escape = self.file.directives.escape;
        let now = daemon.now_ms();
        let created = rfc3339_nanos(now);
        let x = |st: &StageState, w: &str| expand(w, &|k: &str| st.var(k), escape).map_err(|e| e.to_string());
        let key_before = st.key.clone();
        let text = located.text.clone();
        match &located.value {
            Instruction::Env(pairs) => {
                for (k, v) in pairs {
                    let (k, v) = (x(st, k)?, x(st, v)?);
                    st.set_env(&k, &v);
                }
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Arg(args) => {
                for a in args {
                    let value = self
                        .opts
                        .build_args
                        .iter()
                        .find(|(k, _)| *k == a.name)
                        .map(|(_, v)| v.clone())
                        .or(a.default.clone())
                        .or_else(|| self.global_args.get(&a.name).cloned())
                        .unwrap_or_default();
                    st.args.retain(|(k, _)| *k != a.name);
                    st.args.push((a.name.clone(), value));
                }
                history(&mut st.config, &created, text.clone(), true);
            }
            Instruction::Label(pairs) => {
                let mut labels = st.config.config.labels.clone().unwrap_or_default();
                for (k, v) in pairs {
                    labels.insert(x(st, k)?, x(st, v)?);
                }
                st.config.config.labels = Some(labels);
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Maintainer(m) => {
                st.config.author = Some(m.clone());
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Expose(ports) => {
                let mut map = st.config.config.exposed_ports.clone().unwrap_or_default();
                for p in ports {
                    let p = x(st, p)?;
                    let p = if p.contains('/') { p } else { format!("{p}/tcp") };
                    map.insert(p, serde_json::json!({}));
                }
                st.config.config.exposed_ports = Some(map);
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::User(u) => {
                st.config.config.user = x(st, u)?;
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Volume(v) => {
                let mut map: BTreeMap<String, serde_json::Value> = st.config.config.volumes.clone().unwrap_or_default();
                for p in v {
                    map.insert(x(st, p)?, serde_json::json!({}));
                }
                st.config.config.volumes = Some(map);
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Cmd(c) => {
                st.config.config.cmd = Some(command_line(&st.shell, c));
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Entrypoint(c) => {
                st.config.config.entrypoint = Some(command_line(&st.shell, c));
                // A new ENTRYPOINT drops the CMD inherited from the base image.
                st.config.config.cmd = None;
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Shell(s) => {
                st.shell = s.clone();
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::StopSignal(s) => {
                st.config.config.stop_signal = Some(x(st, s)?);
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Healthcheck(h) => {
                st.config.config.healthcheck = Some(health_config(h));
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Onbuild { .. } => {
                history(&mut st.config, &created, format!("{text} # buildkit"), true);
            }
            Instruction::Workdir(p) => {
                let path = st.resolve(&x(st, p)?);
                st.config.config.working_dir = path.clone();
                st.shown += 1;
                let v = self.vertex + 1;
                self.vertex = v;
                let st = self.stages.last_mut().ok_or("no stage")?;
                events.push(BuildEvent::Start { vertex: v, name: label(st, &text) });
                let fs = st.fs(daemon)?;
                if fs.lookup(&path, true).is_err() {
                    let snapshot = fs.deep_clone();
                    fs.mkdir_p(&path, 0o755).map_err(|e| e.to_string())?;
                    st.commit(daemon, &snapshot, format!("{text} # buildkit"), now)?;
                } else {
                    history(&mut st.config, &created, format!("{text} # buildkit"), true);
                }
                events.push(BuildEvent::Done { vertex: v, millis: 0 });
            }
            Instruction::Copy(_) | Instruction::Add(_) => {
                return self.copy_step(daemon, events, &located.value, &text, now)
            }
            Instruction::Run(run) => return self.run_step(daemon, events, &run.cmd, &run.heredocs, &text, now),
        }
        let st = self.stages.last_mut().ok_or("no stage")?;
        st.key = key_of(&[&key_before, &text, &st.config.config.env.join(" ")]);
        Ok(true)
    }

    fn copy_step(
        &mut self,
        daemon: &mut Daemon,
        events: &mut Vec<BuildEvent>,
        ins: &Instruction,
        text: &str,
        now: u64,
    ) -> Result<bool, BuildError> {
        let escape = self.file.directives.escape;
        let (sources, dest, from, chown, chmod, unpack) = match ins {
            Instruction::Copy(c) => {
                (c.sources.clone(), c.dest.clone(), c.from.clone(), c.chown.clone(), c.chmod.clone(), false)
            }
            Instruction::Add(a) => {
                (a.sources.clone(), a.dest.clone(), None, a.chown.clone(), a.chmod.clone(), a.unpack != Some(false))
            }
            _ => return Ok(true),
        };
        if let Some(url) =
            sources.iter().find(|s| s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@"))
        {
            return Err(format!(
                "failed to load {url}: the playground is offline: ADD can only take files from the build context"
            ));
        }
        let v = self.vertex + 1;
        self.vertex = v;
        let from_fs = match &from {
            None => None,
            Some(f) => Some(self.source_fs(daemon, f)?),
        };
        let st = self.stages.last_mut().ok_or("no stage")?;
        st.shown += 1;
        events.push(BuildEvent::Start { vertex: v, name: label(st, text) });
        let expanded: Vec<String> = sources
            .iter()
            .map(|s| expand(s, &|k: &str| st.var(k), escape).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        let dest = expand(&dest, &|k: &str| st.var(k), escape).map_err(|e| e.to_string())?;
        let keep_slash = dest.ends_with('/');
        let mut dest = st.resolve(&dest);
        if keep_slash && !dest.ends_with('/') {
            dest.push('/');
        }
        let fs = st.fs(daemon)?;
        let snapshot = fs.deep_clone();
        let chmod = chmod.as_deref().and_then(|m| u32::from_str_radix(m, 8).ok());
        let spec = CopySpec { sources: &expanded, dest, chown: owner(&chown), chmod, unpack };
        let source = match &from_fs {
            Some(fs) => Source::Fs(fs),
            None => Source::Context(&self.context),
        };
        let digest = copy(&source, &spec, &fs).map_err(|missing| {
            format!(
                "failed to compute cache key: failed to calculate checksum of ref: \"/{}\": not found",
                missing.trim_start_matches('/')
            )
        })?;
        let key = key_of(&[&st.key, text, &digest]);
        match (self.opts.no_cache, daemon.build_cache.get(&key).cloned()) {
            (false, Some((config, layers))) => {
                st.config = config;
                st.layers = layers;
                events.push(BuildEvent::Cached { vertex: v });
            }
            _ => {
                st.commit(daemon, &snapshot, format!("{text} # buildkit"), now)?;
                daemon.build_cache.put(key.clone(), st.config.clone(), st.layers.clone());
            }
        }
        st.key = key;
        events.push(BuildEvent::Done { vertex: v, millis: daemon.now_ms().saturating_sub(now) });
        Ok(true)
    }

    /// The filesystem `COPY --from` reads: an earlier stage (by name or index) or an image.
    fn source_fs(&mut self, daemon: &mut Daemon, from: &str) -> Result<Fs, BuildError> {
        let by_name = self.stages.iter().position(|s| s.name.as_deref() == Some(from.to_ascii_lowercase().as_str()));
        let by_index = from.parse::<usize>().ok().filter(|i| *i < self.stages.len().saturating_sub(1));
        if let Some(i) = by_name.or(by_index) {
            return self.stages[i].fs(daemon);
        }
        let reference = Reference::parse(from).map_err(|e| e.to_string())?;
        let image = daemon.images.by_reference(&reference).cloned().ok_or_else(|| {
            format!("{from}: failed to resolve source metadata: image not found locally; pull it first")
        })?;
        daemon.image_rootfs(&image).map_err(|e| e.to_string())
    }

    fn run_step(
        &mut self,
        daemon: &mut Daemon,
        events: &mut Vec<BuildEvent>,
        cmd: &ShellOrExec,
        heredocs: &[crate::image::build::Heredoc],
        text: &str,
        now: u64,
    ) -> Result<bool, BuildError> {
        let v = self.vertex + 1;
        self.vertex = v;
        let st = self.stages.last_mut().ok_or("no stage")?;
        st.shown += 1;
        events.push(BuildEvent::Start { vertex: v, name: label(st, text) });
        let args: Vec<String> = st.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let key = key_of(&[&st.key, text, &args.join(" ")]);
        if !self.opts.no_cache {
            if let Some((config, layers)) = daemon.build_cache.get(&key).cloned() {
                st.config = config;
                st.layers = layers;
                st.fs = None;
                st.key = key;
                events.push(BuildEvent::Cached { vertex: v });
                events.push(BuildEvent::Done { vertex: v, millis: 0 });
                return Ok(true);
            }
        }
        // `RUN <<EOF` runs the heredoc as a script.
        let cmd = match (cmd, heredocs.first()) {
            (ShellOrExec::Shell(line), Some(doc)) if line.trim().starts_with("<<") => {
                ShellOrExec::Shell(doc.content.clone())
            }
            (c, _) => c.clone(),
        };
        let argv = command_line(&st.shell, &cmd);
        let mut env: Vec<String> = st.config.config.env.clone();
        if !env.iter().any(|e| e.starts_with("PATH=")) {
            env.insert(0, DEFAULT_PATH.into());
        }
        for a in args {
            if !env.iter().any(|e| e.split('=').next() == a.split('=').next()) {
                env.push(a);
            }
        }
        let fs = st.fs(daemon)?;
        let cwd = if st.config.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            st.config.config.working_dir.clone()
        };
        let _ = fs.mkdir_p(&cwd, 0o755);
        let cmd_line = argv.join(" ");
        let program = match argv.first() {
            Some(arg0) => {
                find_executable(&fs, arg0, &env, &cwd)
                    .map_err(|e| format!("process \"{cmd_line}\" did not complete successfully: {e}"))?
                    .1
            }
            None => return Err("RUN requires a command".into()),
        };
        let snapshot = fs.deep_clone();
        let host_resolv = daemon.host_fs.read_file(crate::network::resolv::HOST_RESOLV_CONF).unwrap_or_default();
        let (run_fs, resolv_stub) = crate::network::build_run_fs(&fs, &String::from_utf8_lossy(&host_resolv));
        let output = Pipe::new();
        let spec = SpawnSpec {
            program: program.into(),
            args: argv,
            env,
            cwd,
            fs: run_fs,
            stdin: Stdio::Null,
            stdout: Stdio::Pipe(output.clone()),
            stderr: Stdio::Pipe(output.clone()),
        };
        let group = daemon.kernel.new_group();
        let pid = daemon.kernel.spawn_with(spec, SpawnOptions { group, pid1: true }).map_err(|e| e.to_string())?;
        self.step_vertex = v;
        self.step_started = now;
        self.phase = Phase::Running(Box::new(Running {
            pid,
            group,
            output,
            partial: String::new(),
            snapshot,
            resolv_stub,
            cmd_line,
            key,
            started_ms: now,
        }));
        Ok(false)
    }

    /// Follows a `RUN`; true once it has finished and its layer is made.
    pub(super) fn poll_run(&mut self, daemon: &mut Daemon, events: &mut Vec<BuildEvent>) -> Result<bool, BuildError> {
        let Phase::Running(run) = &mut self.phase else { return Ok(true) };
        let now = daemon.now_ms();
        let elapsed = now.saturating_sub(run.started_ms) as f64 / 1000.0;
        let bytes = run.output.drain();
        run.partial.push_str(&String::from_utf8_lossy(&bytes));
        while let Some(i) = run.partial.find('\n') {
            let line: String = run.partial.drain(..=i).collect();
            events.push(BuildEvent::Log {
                vertex: self.step_vertex,
                text: format!("{elapsed:.3} {}", line.trim_end_matches('\n')),
            });
        }
        let Some(ProcStatus::Exited(code)) = daemon.kernel.status(run.pid) else { return Ok(false) };
        daemon.kernel.reap(run.pid);
        daemon.kernel.kill_group(run.group, Signal::Kill);
        if !run.partial.is_empty() {
            let rest = std::mem::take(&mut run.partial);
            events.push(BuildEvent::Log { vertex: self.step_vertex, text: format!("{elapsed:.3} {rest}") });
        }
        if code != 0 {
            let msg = format!("process \"{}\" did not complete successfully: exit code: {code}", run.cmd_line);
            self.phase = Phase::Finished;
            return Err(msg);
        }
        let Phase::Running(run) = std::mem::replace(&mut self.phase, Phase::Steps) else { return Ok(true) };
        let st = self.stages.last_mut().ok_or("no stage")?;
        if run.resolv_stub {
            let fs = st.fs(daemon)?;
            if fs.read_file("/etc/resolv.conf").is_ok_and(|b| b.is_empty()) {
                let _ = fs.remove("/etc/resolv.conf");
            }
        }
        let text = format!("RUN {} # buildkit", run.cmd_line);
        st.commit(daemon, &run.snapshot, text, now)?;
        daemon.build_cache.put(run.key.clone(), st.config.clone(), st.layers.clone());
        st.key = run.key;
        events.push(BuildEvent::Done { vertex: self.step_vertex, millis: now.saturating_sub(self.step_started) });
        Ok(true)
    }

    /// The final stage becomes an image, then gets its names.
    pub(super) fn export(&mut self, daemon: &mut Daemon, events: &mut Vec<BuildEvent>) -> Result<Digest, BuildError> {
        self.phase = Phase::Finished;
        let st = self.stages.get(self.last).ok_or("no stage")?.clone();
        let now = daemon.now_ms();
        let mut config = st.config.clone();
        config.created = rfc3339_nanos(now);
        let bytes = serde_json::to_vec(&config).map_err(|e| e.to_string())?;
        let id = Digest::of(&bytes);
        let size = st.layers.iter().map(|l| daemon.images.layer_size(l)).sum();
        let v = self.vertex + 1;
        self.vertex = v;
        events.push(BuildEvent::Start { vertex: v, name: "exporting to image".into() });
        events.push(BuildEvent::Log { vertex: v, text: "exporting layers done".into() });
        events.push(BuildEvent::Log { vertex: v, text: format!("writing image {id} done") });
        let image = crate::image::Image {
            id: id.clone(),
            config,
            layers: st.layers.clone(),
            repo_tags: Vec::new(),
            repo_digests: Vec::new(),
            size,
            created_ms: now,
        };
        daemon.images.add_image(image.clone(), None, None);
        for tag in &self.opts.tags {
            let r = Reference::parse(tag).map_err(|e| e.to_string())?.with_default_tag();
            daemon.images.add_image(image.clone(), Some(r.to_string()), None);
            events.push(BuildEvent::Log {
                vertex: v,
                text: format!("naming to {}/{}:{} done", r.domain, r.path, r.tag_or_latest()),
            });
        }
        events.push(BuildEvent::Done { vertex: v, millis: 0 });
        Ok(id)
    }
}

/// `[k/N] INSTRUCTION ...` (with the stage's name in multi-stage builds).
fn label(st: &StageState, text: &str) -> String {
    match &st.name {
        Some(n) => format!("[{n} {}/{}] {text}", st.shown, st.total),
        None => format!("[{}/{}] {text}", st.shown, st.total),
    }
}
