//! `apk`, the Alpine Package Keeper (apk-tools 2.14, as in Alpine 3.21): `add`, `del`, `update`,
//! `info`, `search`, `list`, with apk's messages (`fetch ...`, `(1/1) Installing curl (...)`,
//! `OK: 9 MiB in 16 packages`, `ERROR: unable to select packages:`). Global options go before or
//! after the command (`apk --no-cache add curl`, `apk add --no-cache curl`).

pub mod commit;
pub mod db;
pub mod repo;
pub mod solve;

use crate::Ctx;
use db::Pkg;
use repo::{Load, Repos};
use solve::Change;

const VERSION: &str = "apk-tools 2.14.6, compiled for x86_64.";
const WORLD: &str = "/etc/apk/world";

const HELP: &str = "apk-tools 2.14.6, compiled for x86_64.

usage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]

Package installation and removal:
  add        Add packages to WORLD and commit changes
  del        Remove packages from WORLD and commit changes

System maintenance:
  fix        Fix, reinstall or upgrade packages without modifying WORLD
  update     Update repository indexes
  upgrade    Install upgrades available from repositories
  cache      Manage the local package cache

Querying package information:
  info       Give detailed information about packages or repositories
  list       List packages matching a pattern or other criteria
  dot        Render dependencies as graphviz graphs
  policy     Show repository policy for packages
  search     Search for packages by name or description

Repository maintenance:
  index      Create repository index file from packages
  fetch      Download packages from global repositories to a local directory
  manifest   Show checksums of package contents
  verify     Verify package integrity and signature

Miscellaneous:
  audit      Audit system for changes
  stats      Show statistics about repositories and installations
  version    Compare package versions or perform tests on version strings

This apk has coffee making abilities.
";

/// The command line: the command, its arguments and the options that matter here.
#[derive(Debug, Default, Clone)]
struct Opts {
    command: Option<String>,
    args: Vec<String>,
    no_cache: bool,
    update_cache: bool,
    upgrade: bool,
    simulate: bool,
    quiet: bool,
    verbose: u32,
    virtual_name: Option<String>,
    repositories: Vec<String>,
    /// `apk info` selectors (`-L`, `-e`, `-s`...), `apk list` and `apk search` filters.
    flags: Vec<char>,
}

/// Options that take a value.
const WITH_VALUE: &[&str] = &[
    "-p",
    "--root",
    "-X",
    "--repository",
    "-t",
    "--virtual",
    "--arch",
    "--cache-dir",
    "--cache-max-age",
    "--keys-dir",
    "--repositories-file",
    "--progress-fd",
    "--wait",
];

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize| -> Result<String, String> {
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| format!("option requires an argument: {}", a.trim_start_matches('-')))
        };
        if a == "--" {
            o.args.extend(args[i + 1..].iter().cloned());
            break;
        }
        if !a.starts_with('-') || a == "-" {
            if o.command.is_none() {
                o.command = Some(a.to_string());
            } else {
                o.args.push(a.to_string());
            }
            i += 1;
            continue;
        }
        let (name, inline) = a.split_once('=').map_or((a, None), |(n, v)| (n, Some(v.to_string())));
        if WITH_VALUE.contains(&name) {
            let v = match inline {
                Some(v) => v,
                None => value(&mut i)?,
            };
            match name {
                "-X" | "--repository" => o.repositories.push(v),
                "-t" | "--virtual" => o.virtual_name = Some(v),
                _ => {}
            }
            i += 1;
            continue;
        }
        match name {
            "--no-cache" => o.no_cache = true,
            "-U" | "--update-cache" => o.update_cache = true,
            "-u" | "--upgrade" | "-l" | "--latest" | "-a" | "--available" => {
                o.upgrade = true;
                o.flags.push('a');
            }
            "-s" | "--simulate" | "--size" => {
                o.simulate = name != "--size";
                o.flags.push('s');
            }
            "-q" | "--quiet" => o.quiet = true,
            "-v" | "--verbose" => o.verbose += 1,
            "-vv" => o.verbose += 2,
            "-h" | "--help" => o.command = Some("help".into()),
            "-V" | "--version" => o.command = Some("--version".into()),
            "-L" | "--contents" => o.flags.push('L'),
            "-e" | "--installed" | "--exact" | "-I" => o.flags.push('e'),
            "-d" | "--description" => o.flags.push('d'),
            "-w" | "--webpage" => o.flags.push('w'),
            "-R" | "--depends" => o.flags.push('R'),
            "-P" | "--provides" => o.flags.push('P'),
            "-r" | "--rdepends" => o.flags.push('r'),
            "-W" | "--who-owns" => o.flags.push('W'),
            "-x" => o.flags.push('x'),
            "-i"
            | "--interactive"
            | "--no-interactive"
            | "--allow-untrusted"
            | "--no-progress"
            | "--progress"
            | "--purge"
            | "--force"
            | "--force-refresh"
            | "--force-overwrite"
            | "--force-broken-world"
            | "--force-missing-repositories"
            | "--force-non-repository"
            | "--force-old-apk"
            | "--no-network"
            | "--no-scripts"
            | "--no-commit-hooks"
            | "--clean-protected"
            | "--no-chown"
            | "--initdb"
            | "--usermode"
            | "--print-arch"
            | "--upgradable"
            | "--orphaned"
            | "--origin"
            | "--all" => {}
            _ => {
                return Err(format!("unrecognized option: {}", name.trim_start_matches('-')));
            }
        }
        i += 1;
    }
    Ok(o)
}

/// `apk ARGS...`
pub fn main(args: &[String], ctx: &mut Ctx) -> i32 {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            ctx.eprintln(&format!("apk: {e}"));
            return 1;
        }
    };
    match o.command.as_deref() {
        None | Some("help") => {
            ctx.print(HELP);
            if o.command.is_none() {
                1
            } else {
                0
            }
        }
        Some("--version") => {
            ctx.println(VERSION);
            0
        }
        Some(cmd @ ("add" | "del" | "update" | "upgrade")) => {
            // `-q`: the progress lines (`fetch`, `(1/1) Installing`, `OK:`) are left out;
            // errors and warnings still reach stderr.
            let out = if o.quiet { Some(std::mem::replace(&mut ctx.out, Box::new(std::io::sink()))) } else { None };
            let code = match cmd {
                "add" => add(ctx, &o),
                "del" => del(ctx, &o),
                "update" => update(ctx, &o),
                _ => upgrade(ctx, &o),
            };
            if let Some(out) = out {
                ctx.out = out;
            }
            code
        }
        Some("info") => info(ctx, &o),
        Some("search") => search(ctx, &o),
        Some("list") => list(ctx, &o),
        Some(other) => {
            ctx.eprintln(&format!("ERROR: '{other}' is not an apk command. See 'apk --help'."));
            1
        }
    }
}

fn read_world(ctx: &Ctx) -> Vec<String> {
    ctx.read_string(WORLD).unwrap_or_default().split_whitespace().map(str::to_string).collect()
}

fn installed(ctx: &Ctx) -> Vec<Pkg> {
    db::parse(&ctx.read_string(commit::INSTALLED).unwrap_or_default())
}

fn load(ctx: &mut Ctx, o: &Opts, writes: bool) -> Repos {
    let how = if o.no_cache && writes {
        Load::NoCache
    } else if writes {
        Load::Update { force: o.update_cache }
    } else {
        Load::CacheOnly
    };
    repo::load(ctx, how, &o.repositories)
}

/// The closing line of a commit: `OK: 9 MiB in 16 packages` (`1 error; ...` when some failed).
fn summary(ctx: &mut Ctx, installed: &[Pkg], errors: usize) {
    let bytes: u64 = installed.iter().map(|p| p.installed_size).sum();
    let head = match errors {
        0 => "OK:".to_string(),
        1 => "1 error;".to_string(),
        n => format!("{n} errors;"),
    };
    ctx.println(&format!("{head} {} MiB in {} packages", bytes / (1024 * 1024), installed.len()));
}

/// Solves for `world`, commits, writes the world file; returns the exit status.
fn apply(ctx: &mut Ctx, o: &Opts, world: Vec<String>, repos: &Repos, mut installed: Vec<Pkg>, extra: Vec<Pkg>) -> i32 {
    let mut available = repos.available.clone();
    available.extend(extra);
    let changes = match solve::solve(&world, &installed, &available, o.upgrade) {
        Ok(c) => c,
        Err(missing) => {
            let mut text = String::from("ERROR: unable to select packages:\n");
            for m in &missing {
                text.push_str(&format!(
                    "  {} (no such package):\n    required by: {}\n",
                    m.name,
                    m.required_by.join(" ")
                ));
            }
            ctx.eprintln(text.trim_end());
            return missing.len().min(255) as i32;
        }
    };
    let outcome = commit::run(ctx, &changes, &mut installed, repos, o.simulate);
    if !o.simulate {
        let mut sorted = world;
        sorted.sort();
        sorted.dedup();
        let text: String = sorted.iter().map(|w| format!("{w}\n")).collect();
        if let Err(e) = ctx.write(WORLD, text.as_bytes()) {
            ctx.eprintln(&format!("ERROR: Unable to write world: {e}"));
        }
    }
    summary(ctx, &installed, outcome.errors);
    outcome.errors.min(255) as i32
}

fn add(ctx: &mut Ctx, o: &Opts) -> i32 {
    let repos = load(ctx, o, true);
    let mut world = read_world(ctx);
    let mut extra = Vec::new();
    if let Some(name) = &o.virtual_name {
        // A virtual package groups the arguments under one name (`apk del .build-deps` later).
        let t = crate::apt::civil(ctx.now);
        let version = format!("{:04}{:02}{:02}.{:02}{:02}{:02}", t.0, t.1, t.2, t.3, t.4, t.5);
        extra.push(Pkg {
            name: name.clone(),
            version,
            description: "virtual meta package".into(),
            depends: o.args.clone(),
            ..Pkg::default()
        });
        world.retain(|w| db::dep_name(w) != name);
        world.push(name.clone());
    } else {
        for a in &o.args {
            world.retain(|w| db::dep_name(w) != db::dep_name(a));
            world.push(a.clone());
        }
    }
    apply(ctx, o, world, &repos, installed(ctx), extra)
}

fn del(ctx: &mut Ctx, o: &Opts) -> i32 {
    let repos = load(ctx, o, false);
    let installed = installed(ctx);
    let mut world = read_world(ctx);
    for a in &o.args {
        let known = installed.iter().any(|p| p.provides_name(a)) || repos.available.iter().any(|p| p.provides_name(a));
        if !known {
            ctx.eprintln(&format!("ERROR: No such package: {a}"));
            return 1;
        }
        world.retain(|w| db::dep_name(w) != a);
    }
    // Packages still needed by others stay: say so, as apk does.
    if let Ok(changes) = solve::solve(&world, &installed, &repos.available, false) {
        let removed: Vec<&str> = changes
            .iter()
            .filter_map(|c| if let Change::Remove(p) = c { Some(p.name.as_str()) } else { None })
            .collect();
        let mut header = false;
        for a in &o.args {
            if let Some(p) = installed.iter().find(|p| &p.name == a).filter(|p| !removed.contains(&p.name.as_str())) {
                let users: Vec<&str> = installed
                    .iter()
                    .filter(|q| q.depends.iter().any(|d| p.provides_name(db::dep_name(d))))
                    .map(|q| q.name.as_str())
                    .collect();
                if !header {
                    ctx.println("World updated, but the following packages are not removed due to:");
                    header = true;
                }
                ctx.println(&format!("  {}: {}", a, users.join(" ")));
            }
        }
        if header {
            ctx.println("");
        }
    }
    apply(ctx, o, world, &repos, installed, Vec::new())
}

fn upgrade(ctx: &mut Ctx, o: &Opts) -> i32 {
    let repos = load(ctx, o, true);
    let world = read_world(ctx);
    let o = Opts { upgrade: true, ..o.clone() };
    apply(ctx, &o, world, &repos, installed(ctx), Vec::new())
}

fn update(ctx: &mut Ctx, o: &Opts) -> i32 {
    let repos = repo::load(ctx, Load::Update { force: true }, &o.repositories);
    for r in &repos.repos {
        if let Some(d) = &r.description {
            ctx.println(&format!("{d} [{}]", r.url));
        }
    }
    let mut distinct: Vec<(String, String)> =
        repos.available.iter().map(|p| (p.name.clone(), p.version.clone())).collect();
    distinct.extend(installed(ctx).into_iter().map(|p| (p.name, p.version)));
    distinct.sort();
    distinct.dedup();
    let head = if repos.unavailable + repos.stale > 0 {
        format!("{} unavailable, {} stale;", repos.unavailable, repos.stale)
    } else {
        "OK:".to_string()
    };
    ctx.println(&format!("{head} {} distinct packages available", distinct.len()));
    (repos.unavailable + repos.stale).min(255) as i32
}

/// Finds a package by name: the installed one, else the newest available.
fn lookup<'a>(name: &str, installed: &'a [Pkg], available: &'a [Pkg]) -> Option<&'a Pkg> {
    installed.iter().find(|p| p.name == name).or_else(|| {
        available.iter().filter(|p| p.name == name).max_by(|a, b| crate::version::apk_cmp(&a.version, &b.version))
    })
}

fn info(ctx: &mut Ctx, o: &Opts) -> i32 {
    let installed = installed(ctx);
    let repos = load(ctx, o, false);
    let verbose = |p: &Pkg| match o.verbose {
        0 => p.name.clone(),
        1 => p.name_version(),
        _ => format!("{} - {}", p.name_version(), p.description),
    };
    if o.args.is_empty() {
        let mut names: Vec<String> = installed.iter().map(verbose).collect();
        names.sort();
        for n in names {
            ctx.println(&n);
        }
        return 0;
    }
    if o.flags.contains(&'e') {
        let mut missing = 0;
        for a in &o.args {
            match installed.iter().find(|p| p.provides_name(a)) {
                Some(p) => {
                    let line = verbose(p);
                    ctx.println(&line);
                }
                None => missing += 1,
            }
        }
        return missing;
    }
    if o.flags.contains(&'W') {
        let mut errors = 0;
        for a in &o.args {
            let path = a.trim_start_matches('/');
            match installed.iter().find(|p| p.file_paths().iter().any(|f| f == path)) {
                Some(p) => ctx.println(&format!("{a} is owned by {}", p.name_version())),
                None => {
                    ctx.eprintln(&format!("ERROR: {a}: Could not find owner package"));
                    errors += 1;
                }
            }
        }
        return errors;
    }
    let selected: Vec<char> = o.flags.iter().copied().filter(|f| "LdwsRPr".contains(*f)).collect();
    let fields = if selected.is_empty() { vec!['d', 'w', 's'] } else { selected };
    for a in &o.args {
        let Some(p) = lookup(a, &installed, &repos.available) else { continue };
        let nv = p.name_version();
        for f in &fields {
            let (title, body) = match f {
                'd' => ("description", p.description.clone()),
                'w' => ("webpage", p.url.clone()),
                's' => ("installed size", db::human_size(p.installed_size)),
                'L' => ("contains", p.file_paths().join("\n")),
                'R' => ("depends on", p.depends.join("\n")),
                'P' => ("provides", p.provides.join("\n")),
                _ => {
                    let users: Vec<String> = installed
                        .iter()
                        .filter(|q| q.depends.iter().any(|d| p.provides_name(db::dep_name(d))))
                        .map(Pkg::name_version)
                        .collect();
                    ("is required by", users.join("\n"))
                }
            };
            ctx.print(&format!("{nv} {title}:\n{body}{}\n", if body.is_empty() { "" } else { "\n" }));
        }
    }
    0
}

/// `*pattern*` glob matching on names (or descriptions with `-d`).
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return text == pattern;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else { return false };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(at) = rest.find(part) else { return false };
            rest = &rest[at + part.len()..];
        }
    }
    true
}

/// Every package once (installed first), sorted by name.
fn all_packages(installed: &[Pkg], available: &[Pkg]) -> Vec<Pkg> {
    let mut all: Vec<Pkg> = installed.to_vec();
    for p in available {
        if !all.iter().any(|q| q.name == p.name && q.version == p.version) {
            all.push(p.clone());
        }
    }
    all.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| crate::version::apk_cmp(&a.version, &b.version)));
    all
}

fn search(ctx: &mut Ctx, o: &Opts) -> i32 {
    let repos = load(ctx, o, false);
    let installed = installed(ctx);
    let exact = o.flags.contains(&'e') || o.flags.contains(&'x');
    let patterns: Vec<String> =
        o.args.iter().map(|a| if exact || a.contains('*') { a.clone() } else { format!("*{a}*") }).collect();
    let mut all = all_packages(&installed, &repos.available);
    if !o.flags.contains(&'a') {
        // Only the newest version of each name.
        let mut newest: Vec<Pkg> = Vec::new();
        for p in all {
            newest.retain(|q| q.name != p.name);
            newest.push(p);
        }
        all = newest;
    }
    for p in &all {
        let field = if o.flags.contains(&'d') { &p.description } else { &p.name };
        if patterns.is_empty() || patterns.iter().any(|pat| glob(pat, field)) {
            let line = if o.verbose > 0 || o.flags.contains(&'d') {
                format!("{} - {}", p.name_version(), p.description)
            } else {
                p.name_version()
            };
            ctx.println(&line);
        }
    }
    0
}

fn list(ctx: &mut Ctx, o: &Opts) -> i32 {
    let repos = load(ctx, o, false);
    let installed = installed(ctx);
    let only_installed = o.flags.contains(&'e');
    for p in all_packages(&installed, &repos.available) {
        let is_installed = installed.iter().any(|q| q.name == p.name && q.version == p.version);
        if only_installed && !is_installed {
            continue;
        }
        if !o.args.is_empty() && !o.args.iter().any(|a| glob(a, &p.name)) {
            continue;
        }
        let origin = if p.origin.is_empty() { &p.name } else { &p.origin };
        let state = if is_installed { " [installed]" } else { "" };
        ctx.println(&format!(
            "{} {} {{{origin}}} ({}){state}",
            p.name_version(),
            if p.arch.is_empty() { "x86_64" } else { &p.arch },
            p.license
        ));
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_go_before_or_after_the_command() {
        let args: Vec<String> = ["--no-cache", "add", "curl", "-U", "bash"].iter().map(|s| s.to_string()).collect();
        let o = parse(&args).unwrap();
        assert_eq!(o.command.as_deref(), Some("add"));
        assert_eq!(o.args, vec!["curl", "bash"]);
        assert!(o.no_cache && o.update_cache);
        assert_eq!(parse(&["add".into(), "--frob".into()]).unwrap_err(), "unrecognized option: frob");
        let o = parse(&["add".into(), "-t".into(), ".deps".into(), "curl".into()]).unwrap();
        assert_eq!(o.virtual_name.as_deref(), Some(".deps"));
    }

    #[test]
    fn globs_match_like_apk_search() {
        assert!(glob("*curl*", "libcurl"));
        assert!(glob("cu*", "curl"));
        assert!(!glob("*curl*", "wget"));
        assert!(glob("curl", "curl") && !glob("curl", "curls"));
    }
}
