//! The package lists in `/var/lib/apt/lists`: what `apt-get update` downloads (each suite's
//! `InRelease`, then the `Packages` index of each wanted component) and what the other commands
//! read. A fresh image has none, which is why `apt-get install` needs `apt-get update` first.

use super::control::{self, Stanza};
use super::format::size_to_str;
use super::sources::{self, Source};
use crate::archive::gunzip;
use crate::net::{NetError, Url};
use crate::Ctx;

pub const LISTS: &str = "/var/lib/apt/lists";
pub const ARCH: &str = "amd64";

/// A version of a package some source offers.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub stanza: Stanza,
    pub uri: String,
    pub suite: String,
    pub component: String,
}

impl Candidate {
    pub fn name(&self) -> &str {
        self.stanza.field("Package")
    }
    pub fn version(&self) -> &str {
        self.stanza.field("Version")
    }
    pub fn arch(&self) -> &str {
        self.stanza.field("Architecture")
    }
    pub fn size(&self) -> u64 {
        self.stanza.field("Size").parse().unwrap_or(0)
    }
    /// `Installed-Size` in bytes.
    pub fn installed_bytes(&self) -> u64 {
        self.stanza.field("Installed-Size").parse::<u64>().unwrap_or(0) * 1024
    }
    /// `noble-updates/main`.
    pub fn origin(&self) -> String {
        format!("{}/{}", self.suite, self.component)
    }
}

/// The user agent apt sends.
pub const USER_AGENT: &str = "Debian APT-HTTP/1.3 (2.7.14)";

/// apt's text for a download error.
pub fn error_text(e: &NetError, url: &Url) -> String {
    let host = &url.host;
    match e {
        NetError::Resolve => format!("Temporary failure resolving '{host}'"),
        NetError::Refused(ip) => format!("Could not connect to {host}:80 ({ip}). - connect (111: Connection refused)"),
        NetError::Unreachable(ip) => {
            format!("Cannot initiate the connection to {host}:80 ({ip}). - connect (101: Network is unreachable)")
        }
        NetError::TimedOut(ip) => format!("Could not connect to {host}:80 ({ip}), connection timed out"),
        NetError::Status(code, reason) => format!("{code}  {reason}"),
        NetError::Io(why) => format!("Error reading from server - read ({why})"),
    }
}

fn list_path(name: &str) -> String {
    format!("{LISTS}/{name}")
}

fn packages_list(source: &Source, component: &str) -> String {
    list_path(&format!("{}_{component}_binary-{ARCH}_Packages", source.list_prefix()))
}

/// Every candidate of every downloaded list.
pub fn load(ctx: &Ctx) -> Vec<Candidate> {
    let mut out = Vec::new();
    for source in sources::read(ctx) {
        for component in &source.components {
            let Ok(text) = ctx.read_string(&packages_list(&source, component)) else { continue };
            for stanza in control::parse(&text) {
                out.push(Candidate {
                    stanza,
                    uri: source.uri.clone(),
                    suite: source.suite.clone(),
                    component: component.clone(),
                });
            }
        }
    }
    out
}

/// The `SHA256:` entries of a Release file: (path, hash, size).
fn checksums(release: &str) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in release.lines() {
        if !line.starts_with(' ') {
            inside = line.trim_end() == "SHA256:";
            continue;
        }
        if inside {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if let [hash, size, path] = parts[..] {
                out.push((path.to_string(), hash.to_string(), size.parse().unwrap_or(0)));
            }
        }
    }
    out
}

/// What an update did.
#[derive(Debug, Default)]
pub struct Updated {
    pub fetched: u64,
    pub warnings: Vec<String>,
}

/// `apt-get update`: downloads the indexes, printing `Get:`/`Hit:`/`Err:` lines (`-qq`, `quiet`
/// 2, keeps only the errors).
pub fn update(ctx: &mut Ctx, quiet: u32) -> Updated {
    let say = |ctx: &mut Ctx, line: String| {
        if quiet < 2 {
            ctx.println(&line);
        }
    };
    let started = std::time::Instant::now();
    let sources = sources::read(ctx);
    let mut out = Updated::default();
    let mut n = 0;
    let mut releases = Vec::new();
    let _ = ctx.mkdir(&format!("{LISTS}/partial"), 0o700);
    for source in &sources {
        n += 1;
        let url_text = format!("{}/dists/{}/InRelease", source.uri, source.suite);
        let label = format!("{} {} InRelease", source.uri, source.suite);
        let Some(url) = Url::parse(&url_text) else { continue };
        let stored = list_path(&format!("{}_InRelease", source.list_prefix()));
        match ctx.net.get(&url, USER_AGENT) {
            Ok(bytes) => {
                let same = ctx.read(&stored).is_ok_and(|old| old == bytes);
                if same {
                    say(ctx, format!("Hit:{n} {label}"));
                } else {
                    say(ctx, format!("Get:{n} {label} [{}B]", size_to_str(bytes.len() as f64)));
                    out.fetched += bytes.len() as u64;
                    let _ = ctx.write(&stored, &bytes);
                }
                releases.push((source, String::from_utf8_lossy(&bytes).into_owned(), same));
            }
            Err(e) => {
                let why = error_text(&e, &url);
                ctx.println(&format!("Err:{n} {label}\n  {why}"));
                out.warnings.push(format!("W: Failed to fetch {url_text}  {why}"));
            }
        }
    }
    for (source, release, unchanged) in releases {
        let sums = checksums(&release);
        for component in &source.components {
            let list = packages_list(source, component);
            let plain = sums.iter().find(|(p, ..)| *p == format!("{component}/binary-{ARCH}/Packages"));
            let Some((_, _, size)) = plain else { continue };
            if *size == 0 {
                let _ = ctx.write(&list, b"");
                continue;
            }
            // An unchanged Release means unchanged indexes.
            if unchanged && ctx.exists(&list) {
                continue;
            }
            n += 1;
            let url_text = format!("{}/dists/{}/{component}/binary-{ARCH}/Packages.gz", source.uri, source.suite);
            let Some(url) = Url::parse(&url_text) else { continue };
            let label = format!("{} {}/{component} {ARCH} Packages", source.uri, source.suite);
            match ctx.net.get(&url, USER_AGENT).map_err(|e| error_text(&e, &url)).and_then(|gz| {
                let plain = gunzip(&gz).map_err(|e| e.to_string())?;
                Ok((gz.len(), plain))
            }) {
                Ok((size, plain)) => {
                    say(ctx, format!("Get:{n} {label} [{}B]", size_to_str(size as f64)));
                    out.fetched += size as u64;
                    let _ = ctx.write(&list, &plain);
                }
                Err(why) => {
                    ctx.println(&format!("Err:{n} {label}\n  {why}"));
                    out.warnings.push(format!("W: Failed to fetch {url_text}  {why}"));
                }
            }
        }
    }
    if out.fetched > 0 {
        let secs = started.elapsed().as_secs_f64();
        say(
            ctx,
            format!(
                "Fetched {}B in {}s ({}B/s)",
                size_to_str(out.fetched as f64),
                secs.round() as u64,
                size_to_str(out.fetched as f64 / secs.max(0.001))
            ),
        );
    }
    out
}
