//! The `registry` section: what learners pushed to the playground's registry (`docker push`) and
//! its accounts (`docker login` creates them), so a pushed image can still be pulled after a
//! reload. Its blobs (layers, configs, manifests) go with the snapshot's blobs, by digest: a layer
//! both pushed and in the local image store is kept once. The client's side of a login (the
//! credentials in `~/.docker/config.json`) is a host file, saved with them.

use super::{Parts, SnapshotError};
use crate::ids::Digest;
use crate::image::registry::PushedRepo;
use crate::image::Registry;
use crate::Daemon;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const INDEX: &str = "registry/index.json";

#[derive(Debug, Serialize, Deserialize)]
struct RepoRecord {
    tags: BTreeMap<String, String>,
    layers: BTreeSet<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct RegistrySection {
    /// User name -> password, as the playground's Docker Hub knows them.
    accounts: BTreeMap<String, String>,
    repositories: BTreeMap<String, RepoRecord>,
    /// The digests of its blobs (their bytes are among the snapshot's blobs).
    blobs: Vec<String>,
}

pub(super) fn save(daemon: &Daemon, out: &mut Parts) -> Result<(), SnapshotError> {
    let (accounts, repos, blobs) = daemon.registry.contents();
    let mut digests = Vec::new();
    for (digest, bytes) in blobs {
        let parsed = Digest::parse(digest)
            .ok_or_else(|| SnapshotError::Write(format!("registry blob {digest}: not a sha256 digest")))?;
        out.blobs.insert(parsed, bytes.clone());
        digests.push(digest.clone());
    }
    digests.sort();
    let repositories = repos
        .iter()
        .map(|(path, r)| (path.clone(), RepoRecord { tags: r.tags.clone(), layers: r.layers.clone() }))
        .collect();
    out.put_json(INDEX, &RegistrySection { accounts: accounts.clone(), repositories, blobs: digests })
}

pub(super) fn load(parts: &Parts, daemon: &mut Daemon) -> Result<(), SnapshotError> {
    let section: RegistrySection = parts.json(INDEX)?;
    let mut blobs = HashMap::new();
    for digest in section.blobs {
        let bytes = Digest::parse(&digest)
            .and_then(|d| parts.blobs.get(&d))
            .ok_or_else(|| SnapshotError::Corrupt(format!("registry blob {digest} is missing")))?;
        blobs.insert(digest, bytes.clone());
    }
    let repos = section
        .repositories
        .into_iter()
        .map(|(path, r)| (path, PushedRepo { tags: r.tags, layers: r.layers }))
        .collect();
    daemon.registry = Registry::from_contents(section.accounts, repos, blobs);
    Ok(())
}
