//! `apt-get install`, `remove`, `purge`, `autoremove`, `upgrade`: choose the packages (with
//! their dependencies, and what is no longer needed), show the plan, ask when the real apt asks
//! (`Do you want to continue? [Y/n]`, unless `-y`), download (`Get:1 ...`), then unpack and set
//! up as dpkg does, and record it all (`status`, `.list` files, `extended_states`).

use super::control::{self, Stanza};
use super::dpkg::{self, Db};
use super::format::{show_list, size_to_str};
use super::lists::{self, Candidate};
use super::Opts;
use crate::net::Url;
use crate::version::deb_cmp;
use crate::Ctx;
use std::collections::{BTreeMap, BTreeSet};

const EXTENDED_STATES: &str = "/var/lib/apt/extended_states";
const ARCHIVES: &str = "/var/cache/apt/archives";

/// Packages apt installed as dependencies (`Auto-Installed: 1`).
pub fn auto_installed(ctx: &Ctx) -> BTreeSet<String> {
    control::parse(&ctx.read_string(EXTENDED_STATES).unwrap_or_default())
        .into_iter()
        .filter(|s| s.field("Auto-Installed") == "1")
        .map(|s| s.field("Package").to_string())
        .collect()
}

fn write_auto(ctx: &Ctx, auto: &BTreeSet<String>) {
    let text: String =
        auto.iter().map(|n| format!("Package: {n}\nArchitecture: amd64\nAuto-Installed: 1\n\n")).collect();
    let _ = ctx.write(EXTENDED_STATES, text.as_bytes());
}

/// The newest candidate of a name.
pub fn candidate<'a>(all: &'a [Candidate], name: &str) -> Option<&'a Candidate> {
    all.iter().filter(|c| c.name() == name).max_by(|a, b| deb_cmp(a.version(), b.version()))
}

/// The candidates providing a (virtual) name.
fn providers<'a>(all: &'a [Candidate], name: &str) -> Vec<&'a Candidate> {
    all.iter().filter(|c| control::depends(c.stanza.field("Provides")).iter().flatten().any(|p| p == name)).collect()
}

/// Whether a dependency clause is met by what is installed or about to be.
fn satisfied(clause: &[String], db: &Db, planned: &BTreeMap<String, Candidate>) -> bool {
    clause.iter().any(|n| {
        db.get(n).is_some()
            || planned.contains_key(n)
            || db.installed().any(|s| control::depends(s.field("Provides")).iter().flatten().any(|p| p == n))
            || planned.values().any(|c| control::depends(c.stanza.field("Provides")).iter().flatten().any(|p| p == n))
    })
}

/// The three lines apt starts with (`... Done` on a terminal).
pub fn reading(ctx: &mut Ctx, o: &Opts) {
    if o.quiet >= 2 {
        return;
    }
    let done = if ctx.tty { " Done" } else { "" };
    for line in ["Reading package lists...", "Building dependency tree...", "Reading state information..."] {
        ctx.println(&format!("{line}{done}"));
    }
}

fn summary(upgraded: usize, new: usize, remove: usize, not_upgraded: usize) -> String {
    format!("{upgraded} upgraded, {new} newly installed, {remove} to remove and {not_upgraded} not upgraded.")
}

/// Asks `Do you want to continue? [Y/n]`; false (after `Abort.`) unless the answer is yes.
fn confirm(ctx: &mut Ctx, o: &Opts) -> bool {
    if o.yes {
        return true;
    }
    ctx.print("Do you want to continue? [Y/n] ");
    let answer = ctx.read_line();
    let yes = matches!(answer.as_deref().map(str::trim), Some("" | "y" | "Y" | "yes" | "Yes"));
    if !yes {
        ctx.println("Abort.");
    }
    yes
}

/// The `.deb` file name apt stores (`bind9-dnsutils_1%3a9.18.30_amd64.deb`).
fn deb_name(c: &Candidate) -> String {
    format!("{}_{}_{}.deb", c.name(), c.version().replace(':', "%3a"), c.arch())
}

/// `apt-get install NAMES...`
pub fn install(ctx: &mut Ctx, o: &Opts, names: &[String]) -> i32 {
    let all = lists::load(ctx);
    reading(ctx, o);
    let mut db = Db::read(ctx);
    let mut auto = auto_installed(ctx);
    let mut planned: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut requested = BTreeSet::new();
    let mut upgrades = BTreeSet::new();
    for raw in names {
        let name = raw.split(['=', '/']).next().unwrap_or(raw).to_string();
        let chosen = match candidate(&all, &name) {
            Some(c) => c.clone(),
            None => match providers(&all, &name).as_slice() {
                [one] => (*one).clone(),
                [] if db.get(&name).is_some() => {
                    let v = db.get(&name).map(|s| s.field("Version").to_string()).unwrap_or_default();
                    ctx.println(&format!("{name} is already the newest version ({v})."));
                    auto.remove(&name);
                    continue;
                }
                [] => {
                    ctx.eprintln(&format!("E: Unable to locate package {name}"));
                    return 100;
                }
                many => {
                    let mut text = format!("Package {name} is a virtual package provided by:\n");
                    for c in many {
                        text.push_str(&format!("  {} {}\n", c.name(), c.version()));
                    }
                    ctx.print(&format!("{text}You should explicitly select one to install.\n\n"));
                    ctx.eprintln(&format!("E: Package '{name}' has no installation candidate"));
                    return 100;
                }
            },
        };
        match db.get(chosen.name()) {
            Some(s) if deb_cmp(s.field("Version"), chosen.version()).is_ge() && !o.reinstall => {
                ctx.println(&format!("{} is already the newest version ({}).", chosen.name(), s.field("Version")));
                auto.remove(chosen.name());
            }
            Some(_) => {
                upgrades.insert(chosen.name().to_string());
                requested.insert(chosen.name().to_string());
                planned.insert(chosen.name().to_string(), chosen);
            }
            None => {
                requested.insert(chosen.name().to_string());
                planned.insert(chosen.name().to_string(), chosen);
            }
        }
    }
    // Dependencies (and recommendations), until nothing is missing.
    let mut recommended_skipped = BTreeSet::new();
    let mut queue: Vec<String> = planned.keys().cloned().collect();
    while let Some(name) = queue.pop() {
        let Some(c) = planned.get(&name).cloned() else { continue };
        let mut fields = vec![("Depends", true), ("Pre-Depends", true), ("Recommends", o.recommends)];
        fields.retain(|(_, on)| *on);
        for (field, _) in fields {
            for clause in control::depends(c.stanza.field(field)) {
                if satisfied(&clause, &db, &planned) {
                    continue;
                }
                let found =
                    clause.iter().find_map(|n| candidate(&all, n).or_else(|| providers(&all, n).first().copied()));
                match found {
                    Some(dep) => {
                        planned.insert(dep.name().to_string(), dep.clone());
                        queue.push(dep.name().to_string());
                    }
                    None if field == "Recommends" => {}
                    None => {
                        ctx.println("Some packages could not be installed. This may mean that you have\nrequested an impossible situation or if you are using the unstable\ndistribution that some required packages have not yet been created\nor been moved out of Incoming.\nThe following information may help to resolve the situation:\n");
                        ctx.println(&format!("The following packages have unmet dependencies:\n {} : Depends: {} but it is not installable", c.name(), clause.join(" | ")));
                        ctx.eprintln("E: Unable to correct problems, you have held broken packages.");
                        return 100;
                    }
                }
            }
        }
        if !o.recommends {
            recommended_skipped.extend(
                control::depends(c.stanza.field("Recommends")).into_iter().filter_map(|cl| cl.first().cloned()),
            );
        }
    }
    let new: Vec<String> = planned.keys().filter(|n| !upgrades.contains(*n)).cloned().collect();
    let additional: Vec<String> = planned.keys().filter(|n| !requested.contains(*n)).cloned().collect();
    let mut text = show_list("The following additional packages will be installed:", &additional);
    let suggested: BTreeSet<String> = planned
        .values()
        .flat_map(|c| control::depends(c.stanza.field("Suggests")))
        .filter_map(|cl| cl.first().cloned())
        .collect();
    text.push_str(&show_list("Suggested packages:", &suggested.into_iter().collect::<Vec<_>>()));
    let recommended: Vec<String> =
        recommended_skipped.into_iter().filter(|n| !planned.contains_key(n) && db.get(n).is_none()).collect();
    text.push_str(&show_list("Recommended packages:", &recommended));
    text.push_str(&show_list("The following NEW packages will be installed:", &new));
    text.push_str(&show_list(
        "The following packages will be upgraded:",
        &upgrades.iter().cloned().collect::<Vec<_>>(),
    ));
    text.push_str(&summary(upgrades.len(), new.len(), 0, 0));
    if o.quiet < 2 {
        ctx.println(&text);
    }
    write_auto(ctx, &auto);
    if planned.is_empty() {
        return 0;
    }
    let download: u64 = planned.values().map(Candidate::size).sum();
    let growth: i64 = planned
        .values()
        .map(|c| {
            c.installed_bytes() as i64
                - db.get(c.name()).map_or(0, |s| s.field("Installed-Size").parse::<i64>().unwrap_or(0) * 1024)
        })
        .sum();
    if o.quiet < 2 {
        ctx.println(&format!("Need to get {}B of archives.", size_to_str(download as f64)));
        if growth >= 0 {
            ctx.println(&format!(
                "After this operation, {}B of additional disk space will be used.",
                size_to_str(growth as f64)
            ));
        } else {
            ctx.println(&format!("After this operation, {}B disk space will be freed.", size_to_str(-growth as f64)));
        }
    }
    if o.simulate {
        for c in planned.values() {
            ctx.println(&format!("Inst {} ({} {})", c.name(), c.version(), c.origin()));
        }
        return 0;
    }
    if !additional.is_empty() && !confirm(ctx, o) {
        return 1;
    }
    // Download.
    let started = std::time::Instant::now();
    let mut files = BTreeMap::new();
    let mut failures = Vec::new();
    for (i, c) in planned.values().enumerate() {
        let url_text = format!("{}/{}", c.uri, c.stanza.field("Filename"));
        let Some(url) = Url::parse(&url_text) else { continue };
        let label = format!("{} {} {} {} {} {}", c.uri, c.origin(), lists::ARCH, c.name(), c.arch(), c.version());
        match ctx.net.get(&url, lists::USER_AGENT) {
            Ok(bytes) => {
                if o.quiet < 2 {
                    ctx.println(&format!("Get:{} {label} [{}B]", i + 1, size_to_str(bytes.len() as f64)));
                }
                let path = format!("{ARCHIVES}/{}", deb_name(c));
                let _ = ctx.write(&path, &bytes);
                files.insert(c.name().to_string(), bytes);
            }
            Err(e) => {
                let why = lists::error_text(&e, &url);
                ctx.println(&format!("Err:{} {label}\n  {why}", i + 1));
                failures.push(format!("E: Failed to fetch {url_text}  {why}"));
            }
        }
    }
    if !failures.is_empty() {
        for f in failures {
            ctx.eprintln(&f);
        }
        ctx.eprintln("E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?");
        return 100;
    }
    let secs = started.elapsed().as_secs_f64();
    if o.quiet < 2 {
        ctx.println(&format!(
            "Fetched {}B in {}s ({}B/s)",
            size_to_str(download as f64),
            secs.round() as u64,
            size_to_str(download as f64 / secs.max(0.001))
        ));
    }
    if o.download_only {
        ctx.println("Download complete and in download only mode");
        return 0;
    }
    // Unpack, in the order of the plan, then set up, dependencies first.
    let mut unpacked = Vec::new();
    let mut first = true;
    for (name, bytes) in &files {
        let Some(c) = planned.get(name) else { continue };
        let (control, entries) = match dpkg::open_deb(bytes) {
            Ok(x) => x,
            Err(why) => {
                ctx.eprintln(&format!("dpkg-deb: error: '{}/{}' is {why}", ARCHIVES, deb_name(c)));
                return 100;
            }
        };
        let old = db.get(name).map(|s| s.field("Version").to_string());
        if old.is_none() {
            ctx.println(&format!("Selecting previously unselected package {name}."));
        }
        if first {
            let line = dpkg::reading_database(ctx, &db);
            ctx.println(&line);
            first = false;
        }
        ctx.println(&format!("Preparing to unpack .../{} ...", deb_name(c)));
        match &old {
            Some(v) => ctx.println(&format!("Unpacking {name} ({}) over ({v}) ...", c.version())),
            None => ctx.println(&format!("Unpacking {name} ({}) ...", c.version())),
        }
        let old_list: BTreeSet<String> = dpkg::list(ctx, name).into_iter().collect();
        match dpkg::unpack(ctx, &entries) {
            Ok(paths) => {
                if old.is_some() {
                    let keep: BTreeSet<String> = paths.iter().cloned().collect();
                    let stale: BTreeSet<String> = old_list.difference(&keep).cloned().collect();
                    if !stale.is_empty() {
                        dpkg::remove_files(ctx, &db, name, &keep);
                    }
                }
                let _ = dpkg::write_list(ctx, name, &paths);
                unpacked.push((name.clone(), control));
            }
            Err(why) => {
                ctx.eprintln(&format!("dpkg: error processing archive {ARCHIVES}/{} (--unpack):\n {why}", deb_name(c)));
                return 100;
            }
        }
    }
    let order = setup_order(&unpacked);
    for (name, control) in order {
        ctx.println(&format!("Setting up {name} ({}) ...", control.field("Version")));
        db.set_installed(&control);
        if !requested.contains(&name) && !upgrades.contains(&name) {
            auto.insert(name.clone());
        }
    }
    if let Err(e) = db.write(ctx) {
        ctx.eprintln(&format!("E: could not write {}: {e}", dpkg::STATUS));
        return 100;
    }
    write_auto(ctx, &auto);
    post_invoke(ctx);
    0
}

/// Dependencies are set up before what depends on them.
fn setup_order(unpacked: &[(String, Stanza)]) -> Vec<(String, Stanza)> {
    let mut done: Vec<(String, Stanza)> = Vec::new();
    fn visit(name: &str, all: &[(String, Stanza)], done: &mut Vec<(String, Stanza)>, seen: &mut BTreeSet<String>) {
        if !seen.insert(name.to_string()) {
            return;
        }
        let Some((_, control)) = all.iter().find(|(n, _)| n == name) else { return };
        for clause in control::depends(control.field("Depends")) {
            for n in clause {
                visit(&n, all, done, seen);
            }
        }
        done.push((name.to_string(), control.clone()));
    }
    let mut seen = BTreeSet::new();
    for (name, _) in unpacked {
        visit(name, unpacked, &mut done, &mut seen);
    }
    done
}

/// The hook of the official images (`/etc/apt/apt.conf.d/docker-clean`): downloaded archives
/// are deleted after dpkg runs.
pub fn post_invoke(ctx: &Ctx) {
    if ctx.read_string("/etc/apt/apt.conf.d/docker-clean").is_ok_and(|t| t.contains("/var/cache/apt/archives/*.deb")) {
        clean(ctx);
    }
}

/// `apt-get clean`: the downloaded archives and the package caches.
pub fn clean(ctx: &Ctx) {
    for dir in [ARCHIVES, "/var/cache/apt/archives/partial"] {
        for f in ctx.list(dir).into_iter().filter(|f| f.ends_with(".deb")) {
            let _ = ctx.remove(&format!("{dir}/{f}"));
        }
    }
    for f in ctx.list("/var/cache/apt").into_iter().filter(|f| f.ends_with(".bin")) {
        let _ = ctx.remove(&format!("/var/cache/apt/{f}"));
    }
}

/// Installed packages no manually installed package needs any more.
fn autoremovable(ctx: &Ctx, db: &Db, gone: &BTreeSet<String>) -> Vec<String> {
    let auto = auto_installed(ctx);
    let mut needed = BTreeSet::new();
    let mut queue: Vec<String> = db
        .installed()
        .map(|s| s.field("Package").to_string())
        .filter(|n| !auto.contains(n) && !gone.contains(n))
        .collect();
    while let Some(n) = queue.pop() {
        if !needed.insert(n.clone()) {
            continue;
        }
        if let Some(s) = db.get(&n) {
            for field in ["Depends", "Pre-Depends", "Recommends"] {
                for clause in control::depends(s.field(field)) {
                    queue.extend(clause.into_iter().filter(|d| !gone.contains(d)));
                }
            }
        }
    }
    db.installed()
        .map(|s| s.field("Package").to_string())
        .filter(|n| auto.contains(n) && !needed.contains(n) && !gone.contains(n))
        .collect()
}

/// `apt-get remove|purge NAMES...` (`names` empty with `autoremove`).
pub fn remove(ctx: &mut Ctx, o: &Opts, names: &[String], purge: bool, autoremove: bool) -> i32 {
    let all = lists::load(ctx);
    reading(ctx, o);
    let mut db = Db::read(ctx);
    let mut targets = BTreeSet::new();
    for name in names {
        if db.get(name).is_some() {
            targets.insert(name.clone());
        } else if candidate(&all, name).is_some() {
            ctx.println(&format!("Package '{name}' is not installed, so not removed"));
        } else {
            ctx.eprintln(&format!("E: Unable to locate package {name}"));
            return 100;
        }
    }
    // What depends on a removed package goes too.
    loop {
        let more: Vec<String> = db
            .installed()
            .filter(|s| !targets.contains(s.field("Package")))
            .filter(|s| {
                control::depends(s.field("Depends"))
                    .iter()
                    .any(|cl| cl.iter().all(|d| targets.contains(d)) && !cl.is_empty())
            })
            .map(|s| s.field("Package").to_string())
            .collect();
        if more.is_empty() {
            break;
        }
        targets.extend(more);
    }
    let orphans = autoremovable(ctx, &db, &targets);
    if autoremove || o.auto_remove {
        targets.extend(orphans);
    } else if !orphans.is_empty() {
        let (head, tail) = if orphans.len() == 1 {
            (
                "The following package was automatically installed and is no longer required:",
                "Use 'apt autoremove' to remove it.",
            )
        } else {
            (
                "The following packages were automatically installed and are no longer required:",
                "Use 'apt autoremove' to remove them.",
            )
        };
        let text = show_list(head, &orphans);
        ctx.print(&format!("{text}{tail}\n"));
    }
    let shown: Vec<String> = targets.iter().map(|n| if purge { format!("{n}*") } else { n.clone() }).collect();
    ctx.print(&show_list("The following packages will be REMOVED:", &shown));
    ctx.println(&summary(0, 0, targets.len(), 0));
    if targets.is_empty() {
        return 0;
    }
    let freed: u64 = targets
        .iter()
        .filter_map(|n| db.get(n))
        .map(|s| s.field("Installed-Size").parse::<u64>().unwrap_or(0) * 1024)
        .sum();
    ctx.println(&format!("After this operation, {}B disk space will be freed.", size_to_str(freed as f64)));
    if o.simulate {
        for n in &targets {
            ctx.println(&format!("Remv {n} [{}]", db.get(n).map_or("", |s| s.field("Version"))));
        }
        return 0;
    }
    if !confirm(ctx, o) {
        return 1;
    }
    let line = dpkg::reading_database(ctx, &db);
    ctx.println(&line);
    // Dependents first.
    let mut order: Vec<String> = targets.iter().cloned().collect();
    order.sort_by_key(|n| db.get(n).map_or(0, |s| usize::from(!s.field("Depends").is_empty())));
    order.reverse();
    let mut auto = auto_installed(ctx);
    for name in order {
        let version = db.get(&name).map(|s| s.field("Version").to_string()).unwrap_or_default();
        ctx.println(&format!("Removing {name} ({version}) ..."));
        dpkg::remove_files(ctx, &db, &name, &BTreeSet::new());
        dpkg::delete_list(ctx, &name);
        db.remove(&name);
        auto.remove(&name);
    }
    if let Err(e) = db.write(ctx) {
        ctx.eprintln(&format!("E: could not write {}: {e}", dpkg::STATUS));
        return 100;
    }
    write_auto(ctx, &auto);
    0
}

/// `apt-get upgrade`: newer candidates of installed packages.
pub fn upgrade(ctx: &mut Ctx, o: &Opts) -> i32 {
    let all = lists::load(ctx);
    let db = Db::read(ctx);
    let names: Vec<String> = db
        .installed()
        .filter(|s| {
            candidate(&all, s.field("Package")).is_some_and(|c| deb_cmp(c.version(), s.field("Version")).is_gt())
        })
        .map(|s| s.field("Package").to_string())
        .collect();
    if names.is_empty() {
        reading(ctx, o);
        ctx.println("Calculating upgrade... Done".trim_end_matches(if ctx.tty { "" } else { " Done" }));
        ctx.println(&summary(0, 0, 0, 0));
        return 0;
    }
    install(ctx, o, &names)
}
