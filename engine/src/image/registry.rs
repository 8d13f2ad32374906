//! The registry inside the playground: our Docker Hub. Two parts answer as one registry:
//!
//! - the bundled catalog (official images, read-only, fetched lazily: see [`super::Pull`]);
//! - this store: what learners push (`docker push moi/app:1.0`), kept in the daemon's memory.
//!   Its repositories name their tags' manifests; blobs (manifests, configs, layers) are kept by
//!   digest, once, whatever the repository; each repository knows which layers it holds, which
//!   is how Docker Hub answers `Layer already exists` and lets a layer be mounted from another
//!   repository instead of uploaded.
//!
//! Accounts: Docker Hub checks a user name and password. The playground has no sign-up page, so
//! the first `docker login` with a new user name creates that account; later logins must give
//! the same password (`unauthorized: incorrect username or password` otherwise). A user may
//! push to the repositories of their own namespace (`moi/...`); anything else, and anything
//! without credentials, is `denied: requested access to the resource is denied`, as on the Hub.
//!
//! The store is plain data owned by the daemon, so a persistence layer can save and restore it.

use super::reference::DEFAULT_DOMAIN;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// Where the Docker client keeps Docker Hub credentials (`auths` key of `config.json`).
pub const INDEX_SERVER: &str = "https://index.docker.io/v1/";

/// Why the registry refused, worded as Docker reports it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password")]
    IncorrectLogin,
    #[error("unauthorized: incorrect username or password")]
    Unauthorized,
    #[error("denied: requested access to the resource is denied")]
    Denied,
    /// A registry other than Docker Hub: there is none in the playground.
    #[error("Get \"https://{address}/v2/\": dial tcp: lookup {host}: no such host")]
    UnknownRegistry { address: String, host: String },
    #[error("An image does not exist locally with the tag: {0}")]
    NoLocalImage(String),
    #[error("tag does not exist: {0}")]
    NoSuchTag(String),
}

impl RegistryError {
    /// The error for a registry address (`host[:port]`) that cannot be reached.
    pub fn unknown(address: &str) -> Self {
        let host = address.rsplit_once(':').map_or(address, |(h, _)| h);
        Self::UnknownRegistry { address: address.to_string(), host: host.to_string() }
    }
}

/// Credentials as the client sends them with a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// A repository of the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushedRepo {
    /// Tag -> manifest digest.
    pub tags: BTreeMap<String, String>,
    /// The layer digests it holds.
    pub layers: BTreeSet<String>,
}

/// The registry's store of pushed content and its accounts.
#[derive(Debug, Default)]
pub struct Registry {
    accounts: BTreeMap<String, String>,
    repos: BTreeMap<String, PushedRepo>,
    blobs: HashMap<String, Rc<[u8]>>,
}

impl Registry {
    /// `docker login`'s check on Docker Hub: a known user with the right password, or a new user
    /// name (the account is created).
    pub fn login(&mut self, username: &str, password: &str) -> Result<(), RegistryError> {
        match self.accounts.get(username) {
            Some(known) if known != password => Err(RegistryError::IncorrectLogin),
            Some(_) => Ok(()),
            None => {
                self.accounts.insert(username.to_string(), password.to_string());
                Ok(())
            }
        }
    }

    /// Who `credentials` identify: `Ok(None)` without credentials.
    pub fn authenticate(&self, credentials: Option<&Credentials>) -> Result<Option<String>, RegistryError> {
        let Some(c) = credentials else { return Ok(None) };
        match self.accounts.get(&c.username) {
            Some(p) if *p == c.password => Ok(Some(c.username.clone())),
            _ => Err(RegistryError::Unauthorized),
        }
    }

    /// Whether `user` may push to repository `path` (`moi/app`): their own namespace only.
    pub fn may_push(user: Option<&str>, path: &str) -> bool {
        user.is_some_and(|u| path.split_once('/').is_some_and(|(namespace, _)| namespace == u))
    }

    pub fn repo(&self, path: &str) -> Option<&PushedRepo> {
        self.repos.get(path)
    }

    /// The repositories pushed so far (`docker search` lists them).
    pub fn repositories(&self) -> impl Iterator<Item = (&String, &PushedRepo)> {
        self.repos.iter()
    }

    /// True when repository `path` holds layer `digest`.
    pub fn has_layer(&self, path: &str, digest: &str) -> bool {
        self.repos.get(path).is_some_and(|r| r.layers.contains(digest))
    }

    /// Adds a layer to a repository: uploaded (`bytes`), or mounted from another repository of
    /// the registry (`None`: the blob is already in the registry).
    pub fn add_layer(&mut self, path: &str, digest: &str, bytes: Option<Rc<[u8]>>) {
        if let Some(b) = bytes {
            self.blobs.insert(digest.to_string(), b);
        }
        self.repos.entry(path.to_string()).or_default().layers.insert(digest.to_string());
    }

    /// Stores a blob (a config, a manifest) by its digest.
    pub fn add_blob(&mut self, digest: &str, bytes: Rc<[u8]>) {
        self.blobs.insert(digest.to_string(), bytes);
    }

    /// Points `path:tag` at a manifest.
    pub fn tag(&mut self, path: &str, tag: &str, manifest_digest: &str) {
        self.repos.entry(path.to_string()).or_default().tags.insert(tag.to_string(), manifest_digest.to_string());
    }

    /// Everything the store holds, for a snapshot ([`crate::persist`]): accounts, repositories,
    /// blobs by digest.
    #[allow(clippy::type_complexity)]
    pub(crate) fn contents(
        &self,
    ) -> (&BTreeMap<String, String>, &BTreeMap<String, PushedRepo>, &HashMap<String, Rc<[u8]>>) {
        (&self.accounts, &self.repos, &self.blobs)
    }

    /// A store holding what a snapshot saved.
    pub(crate) fn from_contents(
        accounts: BTreeMap<String, String>,
        repos: BTreeMap<String, PushedRepo>,
        blobs: HashMap<String, Rc<[u8]>>,
    ) -> Self {
        Self { accounts, repos, blobs }
    }

    /// A blob by catalog path (`blobs/sha256/<hex>`), if it was pushed here.
    pub fn blob_at(&self, path: &str) -> Option<Rc<[u8]>> {
        let hex = path.strip_prefix("blobs/sha256/")?;
        self.blobs.get(&format!("sha256:{hex}")).cloned()
    }
}

impl crate::Daemon {
    /// `docker login`'s request: checks credentials with the registry at `server` (the client's
    /// key: [`INDEX_SERVER`] for Docker Hub, `host[:port]` otherwise).
    pub fn registry_login(&mut self, server: &str, username: &str, password: &str) -> Result<(), crate::Error> {
        if server != INDEX_SERVER {
            return Err(RegistryError::unknown(server).into());
        }
        Ok(self.registry.login(username, password)?)
    }
}

/// Checks that a registry address is the one the playground has (Docker Hub).
pub fn check_domain(domain: &str) -> Result<(), RegistryError> {
    if domain == DEFAULT_DOMAIN {
        Ok(())
    } else {
        Err(RegistryError::unknown(domain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_created_at_first_login_then_checked() {
        let mut r = Registry::default();
        assert_eq!(r.login("moi", "secret"), Ok(()));
        assert_eq!(r.login("moi", "secret"), Ok(()));
        assert_eq!(r.login("moi", "oops"), Err(RegistryError::IncorrectLogin));
        let creds = Credentials { username: "moi".into(), password: "secret".into() };
        assert_eq!(r.authenticate(Some(&creds)), Ok(Some("moi".into())));
        assert_eq!(r.authenticate(None), Ok(None));
        let wrong = Credentials { password: "x".into(), ..creds };
        assert_eq!(r.authenticate(Some(&wrong)), Err(RegistryError::Unauthorized));
    }

    #[test]
    fn users_push_to_their_own_namespace_only() {
        assert!(Registry::may_push(Some("moi"), "moi/app"));
        assert!(!Registry::may_push(Some("moi"), "toi/app"));
        assert!(!Registry::may_push(Some("moi"), "library/app"));
        assert!(!Registry::may_push(None, "moi/app"));
        assert_eq!(
            RegistryError::unknown("registre.local:5000").to_string(),
            "Get \"https://registre.local:5000/v2/\": dial tcp: lookup registre.local: no such host"
        );
    }

    #[test]
    fn pushed_blobs_are_found_by_catalog_path() {
        let mut r = Registry::default();
        r.add_layer("moi/app", "sha256:ab", Some(Rc::from(&b"layer"[..])));
        r.add_layer("moi/other", "sha256:ab", None);
        r.tag("moi/app", "1.0", "sha256:cd");
        assert!(r.has_layer("moi/other", "sha256:ab"));
        assert_eq!(r.blob_at("blobs/sha256/ab").as_deref(), Some(&b"layer"[..]));
        assert_eq!(r.repo("moi/app").and_then(|p| p.tags.get("1.0")).map(String::as_str), Some("sha256:cd"));
    }
}
