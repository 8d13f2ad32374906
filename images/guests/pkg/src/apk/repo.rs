//! The repositories of `/etc/apk/repositories` and their indexes. Like apk 2.14, the index of
//! each repository (`<repo>/<arch>/APKINDEX.tar.gz`) is kept in the cache folder
//! `/var/cache/apk` as `APKINDEX.<first 4 bytes of the SHA-1 of its URL>.tar.gz`: `apk update`
//! always downloads it, `apk add` when it is missing or older than four hours, `apk add
//! --no-cache` downloads it without keeping it, and the read-only commands (and `apk del`) only
//! read the cache.

use super::db::{self, Pkg};
use crate::archive::{gunzip, untar, Entry};
use crate::net::{NetError, Url};
use crate::Ctx;

pub const CACHE_DIR: &str = "/var/cache/apk";
/// How long a cached index is fresh enough for `apk add`.
const MAX_AGE: u64 = 4 * 60 * 60;
pub const USER_AGENT: &str = "apk-tools/2.14.6";

/// How to get the indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Download when stale (`apk add`), or always (`force`: `apk update`, `--update-cache`).
    Update { force: bool },
    /// Download without keeping anything (`--no-cache`).
    NoCache,
    /// Only what the cache has (`apk del`, `info`, `search`).
    CacheOnly,
}

/// One repository and what loading it gave.
#[derive(Debug, Clone)]
pub struct Repo {
    /// As written in the repositories file (`https://dl-cdn.alpinelinux.org/alpine/v3.21/main`).
    pub url: String,
    /// The index's `DESCRIPTION` (`v3.21.3-...`), once loaded.
    pub description: Option<String>,
}

/// The loaded repositories, their packages, and the counts `apk update` reports.
#[derive(Debug, Default)]
pub struct Repos {
    pub repos: Vec<Repo>,
    pub available: Vec<Pkg>,
    pub unavailable: usize,
    pub stale: usize,
}

/// apk's text for a download error.
pub fn error_text(e: &NetError) -> &'static str {
    match e {
        NetError::Resolve => "DNS lookup error",
        NetError::Refused(_) => "could not connect to server (check repositories file)",
        NetError::Unreachable(_) => "network error (check Internet connection and firewall)",
        NetError::TimedOut(_) => "operation timed out",
        NetError::Status(404 | 410, _) => "No such file or directory",
        NetError::Status(..) => "remote server returned error (try 'apk update')",
        NetError::Io(_) => "network connection aborted",
    }
}

/// The architecture the system installs (`/etc/apk/arch`).
pub fn arch(ctx: &Ctx) -> String {
    ctx.read_string("/etc/apk/arch")
        .ok()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "x86_64".into())
}

/// The repository URLs: `/etc/apk/repositories` and `/etc/apk/repositories.d/*.list`, then `extra`
/// (`--repository`).
pub fn urls(ctx: &Ctx, extra: &[String]) -> Vec<String> {
    let mut files = vec!["/etc/apk/repositories".to_string()];
    files.extend(
        ctx.list("/etc/apk/repositories.d")
            .into_iter()
            .filter(|n| n.ends_with(".list"))
            .map(|n| format!("/etc/apk/repositories.d/{n}")),
    );
    let mut out = Vec::new();
    for f in files {
        for line in ctx.read_string(&f).unwrap_or_default().lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // `@tag url` pins a repository to a tag; the tag is not used here.
            let url = line.rsplit(' ').next().unwrap_or(line);
            out.push(url.trim_end_matches('/').to_string());
        }
    }
    out.extend(extra.iter().map(|u| u.trim_end_matches('/').to_string()));
    out
}

pub fn index_url(repo: &str, arch: &str) -> String {
    format!("{repo}/{arch}/APKINDEX.tar.gz")
}

/// `/var/cache/apk/APKINDEX.1a2b3c4d.tar.gz` for an index URL.
pub fn cache_file(index_url: &str) -> String {
    let digest = sha1_smol::Sha1::from(index_url).digest().bytes();
    format!("{CACHE_DIR}/APKINDEX.{:02x}{:02x}{:02x}{:02x}.tar.gz", digest[0], digest[1], digest[2], digest[3])
}

/// Reads an index archive: (DESCRIPTION, packages).
fn read_index(bytes: &[u8]) -> Option<(String, Vec<Pkg>)> {
    let entries = untar(&gunzip(bytes).ok()?).ok()?;
    let mut description = String::new();
    let mut pkgs = None;
    for e in entries {
        if let Entry::File { path, data, .. } = e {
            match path.as_str() {
                "DESCRIPTION" => description = String::from_utf8_lossy(&data).trim().to_string(),
                "APKINDEX" => pkgs = Some(db::parse(&String::from_utf8_lossy(&data))),
                _ => {}
            }
        }
    }
    Some((description, pkgs?))
}

/// Loads every repository's index, printing what apk prints (`fetch ...`, warnings).
pub fn load(ctx: &mut Ctx, how: Load, extra: &[String]) -> Repos {
    let arch = arch(ctx);
    let mut out = Repos::default();
    for (n, url) in urls(ctx, extra).into_iter().enumerate() {
        let index = index_url(&url, &arch);
        let cache = cache_file(&index);
        let parsed_url = Url::parse(&index);
        let fetch = |ctx: &mut Ctx| -> Result<Vec<u8>, NetError> {
            ctx.println(&format!("fetch {index}"));
            let u = parsed_url.clone().ok_or_else(|| NetError::Io("invalid URL".into()))?;
            ctx.net.get(&u, USER_AGENT)
        };
        let mut loaded = None;
        let mut warning = None;
        match how {
            Load::NoCache => match fetch(ctx) {
                Ok(bytes) => match read_index(&bytes) {
                    Some(index) => loaded = Some(index),
                    None => warning = Some(("fetching", "BAD archive")),
                },
                Err(e) => warning = Some(("fetching", error_text(&e))),
            },
            Load::Update { force } => {
                let fresh = ctx.mtime(&cache).is_some_and(|t| ctx.now.saturating_sub(t) <= MAX_AGE);
                let mut update_error = None;
                if force || !fresh {
                    match fetch(ctx) {
                        Ok(bytes) if read_index(&bytes).is_some() => {
                            let _ = ctx.mkdir(CACHE_DIR, 0o755);
                            if ctx.write(&cache, &bytes).is_err() {
                                update_error = Some("IO ERROR");
                            }
                        }
                        Ok(_) => update_error = Some("BAD archive"),
                        Err(e) => update_error = Some(error_text(&e)),
                    }
                }
                loaded = ctx.read(&cache).ok().and_then(|b| read_index(&b));
                match (update_error, &loaded) {
                    (Some(e), None) => warning = Some(("updating and opening", e)),
                    (Some(e), Some(_)) => {
                        warning = Some(("updating", e));
                        out.stale += 1;
                    }
                    (None, None) => warning = Some(("opening from cache", "No such file or directory")),
                    (None, Some(_)) => {}
                }
            }
            Load::CacheOnly => {
                loaded = ctx.read(&cache).ok().and_then(|b| read_index(&b));
                if loaded.is_none() {
                    warning = Some(("opening from cache", "No such file or directory"));
                }
            }
        }
        if let Some((action, text)) = warning {
            ctx.eprintln(&format!("WARNING: {action} {url}: {text}"));
        }
        let description = match loaded {
            Some((description, pkgs)) => {
                out.available.extend(pkgs.into_iter().map(|p| Pkg { repo: Some(n), ..p }));
                Some(description)
            }
            None => {
                // apk 2.14 counts a remote repository it could not open twice.
                out.unavailable += 2;
                None
            }
        };
        out.repos.push(Repo { url, description });
    }
    out
}
