//! `docker commit` and `docker diff`: a container's changes, compared with its image, become a
//! new layer on top of the image's layers (deleted paths are written as `.wh.` whiteouts), and
//! the container's configuration becomes the new image's config. What its volumes and bind mounts
//! hold is not part of it, as with Docker.

use crate::fs::{diff, Change, ChangeKind, Fs, NodeKind};
use crate::ids::Digest;
use crate::image::{build_layer, unpack_layer, HistoryEntry, Image, LayerEntry};
use crate::units::rfc3339_nanos;
use crate::{Daemon, Error};

/// Files the daemon writes into every container (Docker bind-mounts them).
pub const MANAGED_FILES: &[&str] = &["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"];

/// What `docker commit` flags ask for.
#[derive(Debug, Clone, Default)]
pub struct CommitOptions {
    /// `REPOSITORY[:TAG]` to name the new image.
    pub reference: Option<String>,
    pub author: String,
    pub message: String,
}

/// The layer entries that replay `changes` from `current`.
pub(crate) fn layer_entries(current: &Fs, changes: &[Change]) -> Vec<LayerEntry> {
    let mut entries = Vec::new();
    for change in changes {
        let path = change.path.trim_start_matches('/').to_string();
        if change.kind == ChangeKind::Deleted {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
            let wh = if dir.is_empty() { format!(".wh.{name}") } else { format!("{dir}/.wh.{name}") };
            entries.push(LayerEntry::File { path: wh, mode: 0o644, data: Vec::new() });
            continue;
        }
        let Ok(node) = current.lookup(&change.path, false) else {
            continue;
        };
        let node = node.borrow();
        entries.push(match &node.kind {
            NodeKind::Dir(_) => LayerEntry::Dir { path, mode: node.meta.mode },
            NodeKind::File(data) => LayerEntry::File { path, mode: node.meta.mode, data: data.clone() },
            NodeKind::Symlink(target) => LayerEntry::Symlink { path, target: target.clone() },
        });
    }
    entries
}

impl Daemon {
    /// The filesystem an image gives a new container: its layers, unpacked in order.
    pub fn image_rootfs(&self, image: &Image) -> Result<Fs, Error> {
        let fs = Fs::new();
        for layer in &image.layers {
            let bytes = self.images.layer(layer).ok_or_else(|| Error::NoSuchImage(layer.to_string()))?;
            unpack_layer(&fs, &bytes)?;
        }
        Ok(fs)
    }

    /// `docker diff`: what the container changed, sorted by path.
    pub fn container_changes(&self, key: &str) -> Result<Vec<Change>, Error> {
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let image = self.images.get(&c.image_id).ok_or_else(|| Error::NoSuchImage(c.image_id.to_string()))?;
        let base = self.image_rootfs(image)?;
        // Docker mounts these into every container; they are not the container's changes. The
        // comparison base gets the container's copies so they (and /etc) compare equal.
        // Volumes and bind mounts are not the container's: only its own tree counts.
        let own = c.fs.without_mounts();
        for managed in MANAGED_FILES {
            if let Ok(data) = own.read_file(managed) {
                base.write_file(managed, data, 0o644)?;
            }
        }
        Ok(diff(&base, &own))
    }

    /// `docker commit`: a new image from the container's changes. Returns its ID.
    pub fn commit_container(&mut self, key: &str, opts: &CommitOptions) -> Result<Digest, Error> {
        let reference = match &opts.reference {
            Some(r) => Some(crate::image::Reference::parse(r)?.with_default_tag().to_string()),
            None => None,
        };
        let changes = self.container_changes(key)?;
        let c = self.containers.find(key).ok_or_else(|| Error::NoSuchContainer(key.to_string()))?;
        let parent = self.images.get(&c.image_id).ok_or_else(|| Error::NoSuchImage(c.image_id.to_string()))?.clone();
        let now = self.now_ms();
        let tar = build_layer(&layer_entries(&c.fs.without_mounts(), &changes), now / 1000)
            .map_err(|e| Error::Conflict(format!("cannot write the layer: {e}")))?;
        let layer_digest = Digest::of(&tar);
        let mut config = parent.config.clone();
        config.created = rfc3339_nanos(now);
        config.config.env = c.config.env.iter().filter(|e| !e.starts_with("HOSTNAME=")).cloned().collect();
        config.config.cmd = Some(c.config.cmd.clone());
        config.config.entrypoint = (!c.config.entrypoint.is_empty()).then(|| c.config.entrypoint.clone());
        config.config.working_dir = c.config.working_dir.clone();
        // The container's exposed ports (the image's, `--expose`, `-p`) become the image's.
        if !c.net.exposed.is_empty() {
            let ports = c.net.exposed.iter().map(|p| (p.to_string(), serde_json::json!({}))).collect();
            config.config.exposed_ports = Some(ports);
        }
        if !c.config.labels.is_empty() {
            config.config.labels = Some(c.config.labels.iter().cloned().collect());
        }
        config.rootfs.diff_ids.push(layer_digest.to_string());
        config.history.push(HistoryEntry {
            created: config.created.clone(),
            created_by: c.config.argv().join(" "),
            comment: opts.message.clone(),
            empty_layer: false,
        });
        if !opts.author.is_empty() {
            config.author = Some(opts.author.clone());
        }
        let bytes = serde_json::to_vec(&config).map_err(|e| Error::Conflict(e.to_string()))?;
        let id = Digest::of(&bytes);
        let mut layers = parent.layers.clone();
        layers.push(layer_digest.clone());
        let size = parent.size + crate::image::content_size(&tar);
        self.images.add_layer(layer_digest, tar.into());
        let image = Image {
            id: id.clone(),
            config,
            layers,
            repo_tags: Vec::new(),
            repo_digests: Vec::new(),
            size,
            created_ms: now,
        };
        self.images.add_image(image, reference, None);
        Ok(id)
    }
}
