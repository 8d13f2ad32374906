//! Carrying out a solution: `(1/2) Installing curl (8.12.1-r1)`, each archive downloaded from
//! its repository, checked against the index (its control part's SHA-1), and unpacked into the
//! filesystem; removed packages' files deleted; then the triggers of installed packages whose
//! folders changed (`Executing busybox-1.37.0-r12.trigger`: the busybox trigger, which
//! re-creates applet links, has nothing to do in the playground), and the database written.

use super::db::{q1, OwnedDir, OwnedFile, Pkg};
use super::repo::{self, Repos};
use super::solve::Change;
use crate::archive::{gunzip, untar, Entry};
use crate::net::Url;
use crate::version::apk_cmp;
use crate::Ctx;
use std::collections::BTreeSet;

pub const INSTALLED: &str = "/lib/apk/db/installed";
pub const TRIGGERS: &str = "/lib/apk/db/triggers";

/// Downloads and checks a package's archive; returns its data entries.
fn fetch(ctx: &mut Ctx, pkg: &Pkg, repos: &Repos, arch: &str) -> Result<Vec<Entry>, &'static str> {
    let base = pkg
        .repo
        .and_then(|r| repos.repos.get(r))
        .ok_or("could not find a repo which provides this package (check repositories file and run 'apk update')")?;
    let url = Url::parse(&format!("{}/{arch}/{}.apk", base.url, pkg.name_version()))
        .ok_or("invalid URL (check your repositories file)")?;
    let bytes = ctx.net.get(&url, repo::USER_AGENT).map_err(|e| repo::error_text(&e))?;
    // The first gzip member is the control part the index names.
    let mut decoder = flate2::bufread::GzDecoder::new(&bytes[..]);
    std::io::copy(&mut decoder, &mut std::io::sink()).map_err(|_| "BAD archive")?;
    let control_len = bytes.len() - decoder.into_inner().len();
    if !pkg.checksum.is_empty() && q1(&bytes[..control_len]) != pkg.checksum {
        return Err("BAD signature");
    }
    let entries = untar(&gunzip(&bytes).map_err(|_| "BAD archive")?).map_err(|_| "BAD archive")?;
    Ok(entries.into_iter().filter(|e| !e.path().starts_with('.')).collect())
}

/// The owned folders and files of an archive's entries, folders listed from the top.
fn ownership(entries: &[Entry]) -> Vec<OwnedDir> {
    let mut dirs: Vec<OwnedDir> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut add_dir = |dirs: &mut Vec<OwnedDir>, path: &str| {
        let mut at = String::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            at = if at.is_empty() { part.to_string() } else { format!("{at}/{part}") };
            if seen.insert(at.clone()) {
                dirs.push(OwnedDir { path: at.clone(), files: Vec::new() });
            }
        }
    };
    for e in entries {
        match e {
            Entry::Dir { path, .. } => add_dir(&mut dirs, path),
            Entry::File { path, .. } | Entry::Link { path, .. } => {
                let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
                add_dir(&mut dirs, parent);
                let (acl, checksum) = match e {
                    Entry::File { mode, data, .. } if *mode != 0o644 => (format!("0:0:{mode:o}"), q1(data)),
                    Entry::File { data, .. } => (String::new(), q1(data)),
                    Entry::Link { target, .. } => (String::new(), q1(target.as_bytes())),
                    Entry::Dir { .. } => (String::new(), String::new()),
                };
                let file = OwnedFile { name: name.to_string(), acl, checksum };
                match dirs.iter_mut().find(|d| d.path == parent) {
                    Some(d) => d.files.push(file),
                    None => dirs.push(OwnedDir { path: parent.to_string(), files: vec![file] }),
                }
            }
        }
    }
    dirs
}

/// What a commit did: errors, and the folders whose contents changed (for triggers).
#[derive(Debug, Default)]
pub struct Outcome {
    pub errors: usize,
    pub touched: BTreeSet<String>,
}

fn remove_files(ctx: &Ctx, pkg: &Pkg, keep: &BTreeSet<String>, others: &[Pkg], touched: &mut BTreeSet<String>) {
    for path in pkg.file_paths() {
        if !keep.contains(&path) {
            let _ = ctx.remove(&format!("/{path}"));
            touched.insert(format!("/{}", path.rsplit_once('/').map_or("", |(d, _)| d)));
        }
    }
    let owned_elsewhere: BTreeSet<&str> = others.iter().flat_map(|p| p.dirs.iter().map(|d| d.path.as_str())).collect();
    for d in pkg.dirs.iter().rev() {
        if !d.path.is_empty() && !owned_elsewhere.contains(d.path.as_str()) {
            ctx.remove_empty_dir(&format!("/{}", d.path));
        }
    }
}

/// Unpacks `new` (replacing `old`); returns the installed record.
fn install(
    ctx: &mut Ctx,
    new: &Pkg,
    old: Option<&Pkg>,
    installed: &[Pkg],
    repos: &Repos,
    arch: &str,
    out: &mut Outcome,
) -> Result<Pkg, String> {
    let entries = fetch(ctx, new, repos, arch).map_err(str::to_string)?;
    for e in &entries {
        let path = e.path();
        if let Some(owner) = installed.iter().find(|p| p.name != new.name && p.file_paths().iter().any(|f| f == path)) {
            if !matches!(e, Entry::Dir { .. }) {
                return Err(format!("trying to overwrite {path} owned by {}.", owner.name_version()));
            }
        }
    }
    for e in &entries {
        let full = format!("/{}", e.path());
        let result = match e {
            Entry::Dir { mode, .. } => ctx.mkdir(&full, *mode),
            Entry::File { mode, data, .. } => ctx.install_file(&full, data, *mode),
            Entry::Link { target, .. } => ctx.install_link(&full, target),
        };
        result.map_err(|err| format!("failed to extract {}: {err}", e.path()))?;
        if !matches!(e, Entry::Dir { .. }) {
            out.touched.insert(format!("/{}", e.path().rsplit_once('/').map_or("", |(d, _)| d)));
        }
    }
    let record = Pkg { dirs: ownership(&entries), repo: None, ..new.clone() };
    if let Some(old) = old {
        let keep: BTreeSet<String> = record.file_paths().into_iter().collect();
        let others: Vec<Pkg> = installed.iter().filter(|p| p.name != old.name).cloned().collect();
        remove_files(ctx, old, &keep, &others, &mut out.touched);
    }
    Ok(record)
}

/// Applies `changes` to the system and to `installed`.
pub fn run(ctx: &mut Ctx, changes: &[Change], installed: &mut Vec<Pkg>, repos: &Repos, simulate: bool) -> Outcome {
    let arch = repo::arch(ctx);
    let mut out = Outcome::default();
    let total = changes.len();
    for (i, change) in changes.iter().enumerate() {
        let status = format!("({}/{total})", i + 1);
        match change {
            Change::Install(new) => ctx.println(&format!("{status} Installing {} ({})", new.name, new.version)),
            Change::Remove(old) => ctx.println(&format!("{status} Purging {} ({})", old.name, old.version)),
            Change::Replace(old, new) => {
                let verb = if apk_cmp(&new.version, &old.version).is_lt() { "Downgrading" } else { "Upgrading" };
                ctx.println(&format!("{status} {verb} {} ({} -> {})", new.name, old.version, new.version));
            }
        }
        if simulate {
            continue;
        }
        match change {
            Change::Remove(old) => {
                let others: Vec<Pkg> = installed.iter().filter(|p| p.name != old.name).cloned().collect();
                remove_files(ctx, old, &BTreeSet::new(), &others, &mut out.touched);
                installed.retain(|p| p.name != old.name);
            }
            Change::Install(_) | Change::Replace(..) => {
                let (old, new) = match change {
                    Change::Replace(old, new) => (Some(old.as_ref()), new.as_ref()),
                    Change::Install(new) => (None, new),
                    Change::Remove(_) => continue,
                };
                match install(ctx, new, old, installed, repos, &arch, &mut out) {
                    Ok(record) => {
                        installed.retain(|p| p.name != record.name);
                        installed.push(record);
                    }
                    Err(why) => {
                        ctx.eprintln(&format!("ERROR: {}: {why}", new.name_version()));
                        out.errors += 1;
                    }
                }
            }
        }
    }
    if !simulate {
        run_triggers(ctx, installed, &out.touched);
        installed.sort_by(|a, b| a.name.cmp(&b.name));
        let db: String = installed.iter().map(|p| format!("{}\n", super::db::record(p, true))).collect();
        if let Err(e) = ctx.write(INSTALLED, db.as_bytes()) {
            ctx.eprintln(&format!("ERROR: Unable to write database: {e}"));
            out.errors += 1;
        }
    }
    out
}

/// Whether a trigger's folder pattern (`/usr/bin`, `/lib/modules/*`) matches a changed folder.
fn matches(pattern: &str, dir: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => dir.starts_with(prefix),
        None => pattern == dir,
    }
}

/// Announces the triggers of installed packages watching a changed folder.
fn run_triggers(ctx: &mut Ctx, installed: &[Pkg], touched: &BTreeSet<String>) {
    let triggers = ctx.read_string(TRIGGERS).unwrap_or_default();
    for line in triggers.lines() {
        let mut words = line.split_whitespace();
        let Some(checksum) = words.next() else { continue };
        let Some(pkg) = installed.iter().find(|p| p.checksum == checksum) else { continue };
        if words.any(|w| touched.iter().any(|d| matches(w, d))) {
            ctx.println(&format!("Executing {}.trigger", pkg.name_version()));
        }
    }
}
