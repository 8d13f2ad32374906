//! `docker create` (and the first half of `docker run`): a new container from a local image.
//! Its configuration is the image's defaults overridden by the flags; its root filesystem is the
//! image's layers unpacked in order, plus the files Docker writes into every container
//! (`/etc/hostname`, `/etc/hosts`), with its volumes and bind mounts mounted on it (see
//! [`crate::volume`]).

use super::{Config, Container, State};
use crate::ids::{generate_name, ContainerId};
use crate::{Daemon, Error};

/// What `docker create`/`docker run` flags ask for.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// The image as the user typed it.
    pub image: String,
    pub name: Option<String>,
    /// Replaces the image's `Cmd` when not empty.
    pub cmd: Vec<String>,
    /// Replaces the image's `Entrypoint` (`--entrypoint`); `Some("")` clears it.
    pub entrypoint: Option<String>,
    /// `-e KEY=value`, added to (and overriding) the image's environment.
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    pub hostname: Option<String>,
    pub tty: bool,
    pub open_stdin: bool,
    pub auto_remove: bool,
    pub host: super::HostConfig,
    pub labels: Vec<(String, String)>,
    /// `--health-*` / `--no-healthcheck`, merged over the image's `HEALTHCHECK`.
    pub healthcheck: Option<crate::image::HealthConfig>,
    /// `--network`, `-p`, `--link`, `--dns`, `--add-host`... (see [`crate::network`]).
    pub network: crate::network::NetworkRequest,
    /// Paths that get a new anonymous volume (`-v /path`), besides the image's `VOLUME`s.
    pub volumes: Vec<String>,
}

/// Docker's rule for container names.
pub(super) fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Overlays `extra` `KEY=value` pairs on `base`, replacing variables of the same name.
fn merge_env(base: &[String], extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = base.to_vec();
    for kv in extra {
        let key = kv.split('=').next().unwrap_or(kv);
        out.retain(|existing| existing.split('=').next() != Some(key));
        out.push(kv.clone());
    }
    out
}

impl Daemon {
    /// Creates a container from a local image. Returns its ID.
    pub fn create_container(&mut self, opts: CreateOptions) -> Result<ContainerId, Error> {
        let image = self.find_image(&opts.image)?.clone();
        if let Some(name) = &opts.name {
            let name = name.strip_prefix('/').unwrap_or(name);
            if !valid_name(name) {
                return Err(Error::InvalidName(name.to_string()));
            }
            if let Some(existing) = self.containers.name_taken(name) {
                return Err(Error::NameConflict { name: name.to_string(), id: existing.id.to_string() });
            }
        }
        let img = &image.config.config;
        if let Some(h) = &opts.healthcheck {
            super::health::validate(h).map_err(Error::Conflict)?;
        }
        let entrypoint = match &opts.entrypoint {
            Some(e) if e.is_empty() => Vec::new(),
            Some(e) => vec![e.clone()],
            None => img.entrypoint.clone().unwrap_or_default(),
        };
        // A new entrypoint drops the image's Cmd, as in Docker.
        let cmd = if !opts.cmd.is_empty() {
            opts.cmd.clone()
        } else if opts.entrypoint.is_some() {
            Vec::new()
        } else {
            img.cmd.clone().unwrap_or_default()
        };
        if entrypoint.is_empty() && cmd.is_empty() {
            return Err(Error::NoCommand);
        }
        let id = ContainerId::random(&mut *self.entropy.borrow_mut());
        let name = match &opts.name {
            Some(n) => n.trim_start_matches('/').to_string(),
            None => generate_name(&mut *self.entropy.borrow_mut(), |n| self.containers.name_taken(n).is_some()),
        };
        let (net, host_hostname) = self.container_net(&opts, &image)?;
        let hostname = opts.hostname.clone().or(host_hostname).unwrap_or_else(|| id.short().to_string());
        let mut env = merge_env(&img.env, &opts.env);
        if !env.iter().any(|e| e.starts_with("PATH=")) {
            env.insert(0, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
        }
        env.insert(1.min(env.len()), format!("HOSTNAME={hostname}"));
        let fs = self.image_rootfs(&image)?;
        fs.write_file("/etc/hostname", format!("{hostname}\n").into_bytes(), 0o644)?;
        // The container's own address lines are added when it joins its networks.
        fs.write_file("/etc/hosts", crate::network::hosts::build(&[], &[]).into_bytes(), 0o644)?;
        let working_dir = opts.working_dir.clone().unwrap_or_else(|| img.working_dir.clone());
        let working_dir = if working_dir.is_empty() { "/".to_string() } else { working_dir };
        fs.mkdir_p(&working_dir, 0o755)?;
        let mut volumes: Vec<String> = img.volumes.iter().flat_map(|v| v.keys().cloned()).collect();
        volumes
            .extend(opts.volumes.iter().filter(|v| !img.volumes.as_ref().is_some_and(|i| i.contains_key(*v))).cloned());
        let request = crate::volume::mount_point::MountRequest {
            binds: &opts.host.binds,
            mounts: &opts.host.mounts,
            tmpfs: &opts.host.tmpfs,
            volumes_from: &opts.host.volumes_from,
            anonymous: &volumes,
        };
        let mounts = self.register_mounts(request, &fs)?;
        // The image's STOPSIGNAL applies unless `--stop-signal` says otherwise.
        let mut host = opts.host.clone();
        // The image's USER applies unless `-u` says otherwise (`Config.User`).
        if host.user.is_empty() {
            host.user = img.user.clone();
        }
        if host.stop_signal.is_none() {
            host.stop_signal = img.stop_signal.clone().filter(|s| !s.is_empty());
        }
        let config = Config {
            hostname,
            env,
            cmd,
            entrypoint,
            working_dir,
            tty: opts.tty,
            open_stdin: opts.open_stdin,
            labels: opts.labels.clone(),
            image: opts.image.clone(),
            healthcheck: super::health::merge(opts.healthcheck.as_ref(), img.healthcheck.as_ref()),
            volumes,
        };
        self.containers.add(Container {
            id: id.clone(),
            name,
            image_id: image.id.clone(),
            config,
            created_ms: self.now_ms(),
            state: State::Created,
            fs,
            mounts,
            logs: Vec::new(),
            auto_remove: opts.auto_remove,
            host,
            restart_count: 0,
            manually_stopped: false,
            restart_at: None,
            restart_delay_ms: 0,
            process: None,
            health: None,
            net,
        });
        self.mount_container(id.as_str(), false)?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_dockers_rule() {
        assert!(valid_name("web"));
        assert!(valid_name("my-app_1.0"));
        assert!(!valid_name("-web"));
        assert!(!valid_name("we b"));
        assert!(!valid_name(""));
    }

    #[test]
    fn env_overrides_replace_by_key() {
        let merged = merge_env(&["PATH=/bin".into(), "A=1".into()], &["A=2".into(), "B=3".into()]);
        assert_eq!(merged, vec!["PATH=/bin", "A=2", "B=3"]);
    }
}
