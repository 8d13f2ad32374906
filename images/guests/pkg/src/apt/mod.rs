//! APT and dpkg, as in Debian 12 and Ubuntu 24.04: `apt-get` (`update`, `install`, `remove`,
//! `purge`, `autoremove`, `upgrade`, `clean`), `apt` (the same, plus `list`, `search`, `show`),
//! `apt-cache` (`search`, `show`, `policy`) and `dpkg` (`-l`, `-L`, `-s`, `-S`,
//! `--print-architecture`), with their messages and exit statuses (100 for apt's errors).

pub mod control;
pub mod dpkg;
pub mod format;
pub mod lists;
pub mod ops;
pub mod sources;

use crate::version::deb_cmp;
use crate::Ctx;

const APT_VERSION: &str = "apt 2.7.14 (amd64)";

/// The options the commands understand.
#[derive(Debug, Clone, Default)]
pub struct Opts {
    pub yes: bool,
    pub quiet: u32,
    pub simulate: bool,
    pub recommends: bool,
    pub auto_remove: bool,
    pub purge: bool,
    pub reinstall: bool,
    pub download_only: bool,
    pub installed: bool,
    pub upgradable: bool,
    pub args: Vec<String>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts { recommends: true, ..Opts::default() };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a.starts_with("--") {
            match a {
                "--yes" | "--assume-yes" | "--force-yes" => o.yes = true,
                "--quiet" => o.quiet += 1,
                "--simulate" | "--just-print" | "--dry-run" | "--recon" | "--no-act" => o.simulate = true,
                "--no-install-recommends" => o.recommends = false,
                "--install-recommends" => o.recommends = true,
                "--auto-remove" | "--autoremove" => o.auto_remove = true,
                "--purge" => o.purge = true,
                "--reinstall" => o.reinstall = true,
                "--download-only" => o.download_only = true,
                "--installed" => o.installed = true,
                "--upgradable" | "--upgradeable" => o.upgradable = true,
                "--no-install-suggests"
                | "--fix-broken"
                | "--fix-missing"
                | "--allow-unauthenticated"
                | "--allow-downgrades"
                | "--allow-remove-essential"
                | "--allow-change-held-packages"
                | "--no-upgrade"
                | "--only-upgrade"
                | "--verbose-versions"
                | "--show-upgraded"
                | "--ignore-missing"
                | "--no-download"
                | "--allow-releaseinfo-change"
                | "--all-versions"
                | "--full" => {}
                _ if a.starts_with("--option=")
                    || a.starts_with("--target-release=")
                    || a.starts_with("--default-release=") => {}
                "--option" | "--target-release" | "--default-release" => i += 1,
                _ => {
                    return Err(format!(
                    "E: Command line option '{a}' [from {a}] is not understood in combination with the other options."
                ))
                }
            }
        } else if a.starts_with('-') && a.len() > 1 {
            let flags: Vec<char> = a[1..].chars().collect();
            for (n, f) in flags.iter().enumerate() {
                match f {
                    'y' => o.yes = true,
                    'q' => o.quiet += 1,
                    's' => o.simulate = true,
                    'f' | 'm' | 'V' | 'u' | 'a' => {}
                    'd' => o.download_only = true,
                    // `-o Key=Value` (configuration) and `-t release`: taken, not used.
                    'o' | 't' | 'c' => {
                        if n + 1 == flags.len() {
                            i += 1;
                        }
                        break;
                    }
                    _ => return Err(format!("E: Command line option '{f}' [from {a}] is not understood in combination with the other options.")),
                }
            }
        } else {
            o.args.push(a.to_string());
        }
        i += 1;
    }
    Ok(o)
}

const APT_GET_HELP: &str = "apt 2.7.14 (amd64)
Usage: apt-get [options] command
       apt-get [options] install|remove pkg1 [pkg2 ...]
       apt-get [options] source pkg1 [pkg2 ...]

apt-get is a command line interface for retrieval of packages
and information about them from authenticated sources and
for installation, upgrade and removal of packages together
with their dependencies.

Most used commands:
  update - Retrieve new lists of packages
  upgrade - Perform an upgrade
  install - Install new packages (pkg is libc6 not libc6.deb)
  reinstall - Reinstall packages (pkg is libc6 not libc6.deb)
  remove - Remove packages
  purge - Remove packages and config files
  autoremove - Remove automatically all unused packages
  dist-upgrade - Distribution upgrade, see apt-get(8)
  dselect-upgrade - Follow dselect selections
  build-dep - Configure build-dependencies for source packages
  satisfy - Satisfy dependency strings
  clean - Erase downloaded archive files
  autoclean - Erase old downloaded archive files
  check - Verify that there are no broken dependencies
  source - Download source archives
  download - Download the binary package into the current directory
  changelog - Download and display the changelog for the given package

See apt-get(8) for more information about the available commands.
Configuration options and syntax is detailed in apt.conf(5).
Information about how to configure sources can be found in sources.list(5).
Package and version choices can be expressed via apt_preferences(5).
Security details are available in apt-secure(8).
                                        This APT has Super Cow Powers.
";

fn options(args: &[String], ctx: &mut Ctx) -> Option<Opts> {
    match parse(args) {
        Ok(o) => Some(o),
        Err(e) => {
            ctx.eprintln(&e);
            None
        }
    }
}

/// `apt-get ARGS...`
pub fn apt_get(args: &[String], ctx: &mut Ctx) -> i32 {
    let Some(mut o) = options(args, ctx) else { return 100 };
    if args.iter().any(|a| a == "-v" || a == "--version") {
        ctx.println(APT_VERSION);
        return 0;
    }
    if args.iter().any(|a| a == "-h" || a == "--help") || o.args.is_empty() {
        ctx.print(APT_GET_HELP);
        return if o.args.is_empty() && !args.iter().any(|a| a == "-h" || a == "--help") { 100 } else { 0 };
    }
    let command = o.args.remove(0);
    run_command(&command, &o, ctx, false)
}

fn run_command(command: &str, o: &Opts, ctx: &mut Ctx, is_apt: bool) -> i32 {
    let names = o.args.clone();
    match command {
        "update" => {
            let updated = lists::update(ctx, o.quiet);
            let done = if ctx.tty { " Done" } else { "" };
            if o.quiet < 2 {
                ctx.println(&format!("Reading package lists...{done}"));
            }
            if is_apt && o.quiet < 2 {
                ctx.println(&format!("Building dependency tree...{done}\nReading state information...{done}"));
                let n = upgradable(ctx).len();
                if n == 0 {
                    ctx.println("All packages are up to date.");
                } else {
                    ctx.println(&format!(
                        "{n} package{} can be upgraded. Run 'apt list --upgradable' to see {}.",
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "it" } else { "them" }
                    ));
                }
            }
            for w in &updated.warnings {
                ctx.eprintln(w);
            }
            if !updated.warnings.is_empty() {
                ctx.eprintln(
                    "W: Some index files failed to download. They have been ignored, or old ones used instead.",
                );
            }
            0
        }
        "install" | "reinstall" => {
            let o = Opts { reinstall: o.reinstall || command == "reinstall", ..o.clone() };
            if names.is_empty() {
                ops::reading(ctx, &o);
                ctx.println(&format!(
                    "0 upgraded, 0 newly installed, 0 to remove and {} not upgraded.",
                    upgradable(ctx).len()
                ));
                return 0;
            }
            ops::install(ctx, &o, &names)
        }
        "remove" => ops::remove(ctx, o, &names, o.purge, false),
        "purge" => ops::remove(ctx, o, &names, true, false),
        "autoremove" | "auto-remove" | "autopurge" => {
            ops::remove(ctx, o, &names, command == "autopurge" || o.purge, true)
        }
        "upgrade" | "dist-upgrade" | "full-upgrade" => ops::upgrade(ctx, o),
        "clean" | "autoclean" | "auto-clean" => {
            ops::clean(ctx);
            0
        }
        "check" => {
            ops::reading(ctx, o);
            0
        }
        _ => {
            ctx.eprintln(&format!("E: Invalid operation {command}"));
            100
        }
    }
}

/// Installed packages with a newer candidate.
fn upgradable(ctx: &Ctx) -> Vec<(String, String, lists::Candidate)> {
    let all = lists::load(ctx);
    let db = dpkg::Db::read(ctx);
    db.installed()
        .filter_map(|s| {
            let c = ops::candidate(&all, s.field("Package"))?;
            deb_cmp(c.version(), s.field("Version"))
                .is_gt()
                .then(|| (s.field("Package").to_string(), s.field("Version").to_string(), c.clone()))
        })
        .collect()
}

/// The warning `apt` prints when its output is not a terminal.
fn unstable_cli_warning(ctx: &mut Ctx) {
    if !ctx.tty {
        ctx.eprintln("\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n");
    }
}

/// `apt ARGS...`: apt-get's commands, plus `list`, `search`, `show`.
pub fn apt(args: &[String], ctx: &mut Ctx) -> i32 {
    let Some(mut o) = options(args, ctx) else { return 100 };
    if o.args.is_empty() {
        ctx.print("apt 2.7.14 (amd64)\nUsage: apt [options] command\n\napt is a commandline package manager and provides commands for\nsearching and managing as well as querying information about packages.\nIt provides the same functionality as the specialized APT tools,\nlike apt-get and apt-cache, but enables options more suitable for\ninteractive use by default.\n\nMost used commands:\n  list - list packages based on package names\n  search - search in package descriptions\n  show - show package details\n  install - install packages\n  reinstall - reinstall packages\n  remove - remove packages\n  autoremove - automatically remove all unused packages\n  update - update list of available packages\n  upgrade - upgrade the system by installing/upgrading packages\n  full-upgrade - upgrade the system by removing/installing/upgrading packages\n  edit-sources - edit the source information file\n  satisfy - satisfy dependency strings\n\nSee apt(8) for more information about the available commands.\nConfiguration options and syntax is detailed in apt.conf(5).\nInformation about how to configure sources can be found in sources.list(5).\nPackage and version choices can be expressed via apt_preferences(5).\nSecurity details are available in apt-secure(8).\n                                        This APT has Super Cow Powers.\n");
        return 1;
    }
    let command = o.args.remove(0);
    match command.as_str() {
        "list" => {
            unstable_cli_warning(ctx);
            list(ctx, &o)
        }
        "search" => {
            unstable_cli_warning(ctx);
            let done = if ctx.tty { " Done" } else { "" };
            ctx.println(&format!("Sorting...{done}\nFull Text Search...{done}"));
            search(ctx, &o, true)
        }
        "show" => {
            unstable_cli_warning(ctx);
            show(ctx, &o, true)
        }
        "policy" => apt_cache(args, ctx),
        other => {
            if !matches!(
                other,
                "update"
                    | "install"
                    | "reinstall"
                    | "remove"
                    | "purge"
                    | "autoremove"
                    | "upgrade"
                    | "full-upgrade"
                    | "dist-upgrade"
                    | "clean"
                    | "autoclean"
            ) {
                ctx.eprintln(&format!("E: Invalid operation {other}"));
                return 100;
            }
            unstable_cli_warning(ctx);
            run_command(other, &o, ctx, true)
        }
    }
}

/// `name/suite,now version arch [installed,automatic]`
fn list(ctx: &mut Ctx, o: &Opts) -> i32 {
    let done = if ctx.tty { " Done" } else { "" };
    ctx.println(&format!("Listing...{done}"));
    let all = lists::load(ctx);
    let db = dpkg::Db::read(ctx);
    let auto = ops::auto_installed(ctx);
    let mut names: Vec<String> = all
        .iter()
        .map(|c| c.name().to_string())
        .chain(db.installed().map(|s| s.field("Package").to_string()))
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        if !o.args.is_empty() && !o.args.iter().any(|p| glob(p, &name)) {
            continue;
        }
        let installed = db.get(&name);
        let cand = ops::candidate(&all, &name);
        if (o.installed && installed.is_none())
            || (o.upgradable
                && !cand.zip(installed).is_some_and(|(c, i)| deb_cmp(c.version(), i.field("Version")).is_gt()))
        {
            continue;
        }
        let (version, arch) = match (cand, installed) {
            (Some(c), _) => (c.version().to_string(), c.arch().to_string()),
            (None, Some(i)) => (i.field("Version").to_string(), i.field("Architecture").to_string()),
            (None, None) => continue,
        };
        let mut suites: Vec<String> =
            all.iter().filter(|c| c.name() == name && c.version() == version).map(|c| c.suite.clone()).collect();
        let state = match installed {
            Some(i) if i.field("Version") == version => {
                suites.push("now".into());
                if auto.contains(&name) { " [installed,automatic]" } else { " [installed]" }.to_string()
            }
            Some(i) => format!(" [upgradable from: {}]", i.field("Version")),
            None => String::new(),
        };
        ctx.println(&format!("{name}/{} {version} {arch}{state}", suites.join(",")));
    }
    0
}

/// Shell-style `*` patterns (a plain word matches exactly).
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (tail.is_empty()
                    || (text.len() >= head.len()
                        && (0..=text.len() - head.len()).any(|i| glob(tail, &text[head.len() + i..]))))
        }
    }
}

fn search(ctx: &mut Ctx, o: &Opts, long: bool) -> i32 {
    let all = lists::load(ctx);
    let db = dpkg::Db::read(ctx);
    let mut seen = std::collections::BTreeMap::new();
    for c in &all {
        let text = format!("{} {}", c.name(), c.stanza.field("Description")).to_lowercase();
        if o.args.iter().all(|a| text.contains(&a.to_lowercase())) {
            seen.entry(c.name().to_string()).or_insert_with(|| ops::candidate(&all, c.name()).cloned());
        }
    }
    for (name, c) in seen {
        let Some(c) = c else { continue };
        let summary = c.stanza.field("Description").lines().next().unwrap_or("").to_string();
        if long {
            let state = match db.get(&name) {
                Some(i) if i.field("Version") == c.version() => ",now",
                _ => "",
            };
            let installed = if state.is_empty() { "" } else { " [installed]" };
            ctx.println(&format!("{name}/{}{state} {} {}{installed}\n  {summary}\n", c.suite, c.version(), c.arch()));
        } else {
            ctx.println(&format!("{name} - {summary}"));
        }
    }
    0
}

fn show(ctx: &mut Ctx, o: &Opts, apt_style: bool) -> i32 {
    let all = lists::load(ctx);
    let db = dpkg::Db::read(ctx);
    for name in &o.args {
        let Some(c) = ops::candidate(&all, name) else {
            if let Some(s) = db.get(name) {
                ctx.println(&s.text());
                continue;
            }
            ctx.eprintln("E: No packages found");
            return 100;
        };
        if !apt_style {
            ctx.println(&c.stanza.text());
            continue;
        }
        let s = &c.stanza;
        let mut text = format!("Package: {}\nVersion: {}\n", c.name(), c.version());
        for f in ["Priority", "Section", "Maintainer"] {
            if let Some(v) = s.get(f) {
                text.push_str(&format!("{f}: {v}\n"));
            }
        }
        text.push_str(&format!("Installed-Size: {}B\n", format::size_to_str(c.installed_bytes() as f64)));
        for f in ["Provides", "Depends", "Recommends", "Suggests", "Homepage"] {
            if let Some(v) = s.get(f) {
                text.push_str(&format!("{f}: {v}\n"));
            }
        }
        text.push_str(&format!("Download-Size: {}B\n", format::size_to_str(c.size() as f64)));
        if db.get(name).is_some() {
            let manual = if ops::auto_installed(ctx).contains(name) { "no" } else { "yes" };
            text.push_str(&format!("APT-Manual-Installed: {manual}\n"));
        }
        text.push_str(&format!(
            "APT-Sources: {} {} {} Packages\nDescription: {}\n",
            c.uri,
            c.origin(),
            lists::ARCH,
            s.field("Description")
        ));
        ctx.println(&text);
    }
    0
}

/// `apt-cache search|show|policy ...`
pub fn apt_cache(args: &[String], ctx: &mut Ctx) -> i32 {
    let Some(mut o) = options(args, ctx) else { return 100 };
    if o.args.is_empty() {
        ctx.eprintln("E: No operation specified");
        return 100;
    }
    let command = o.args.remove(0);
    match command.as_str() {
        "search" => search(ctx, &o, false),
        "show" => show(ctx, &o, false),
        "policy" => {
            let all = lists::load(ctx);
            let db = dpkg::Db::read(ctx);
            for name in &o.args {
                let installed = db.get(name).map(|s| s.field("Version").to_string());
                let versions: Vec<&lists::Candidate> = all.iter().filter(|c| c.name() == name).collect();
                if versions.is_empty() && installed.is_none() {
                    continue;
                }
                let cand = ops::candidate(&all, name).map(|c| c.version().to_string()).or(installed.clone());
                let mut text = format!(
                    "{name}:\n  Installed: {}\n  Candidate: {}\n  Version table:\n",
                    installed.as_deref().unwrap_or("(none)"),
                    cand.as_deref().unwrap_or("(none)")
                );
                for c in &versions {
                    let mark = if installed.as_deref() == Some(c.version()) { "***" } else { "   " };
                    text.push_str(&format!(
                        " {mark} {} 500\n        500 {} {} {} Packages\n",
                        c.version(),
                        c.uri,
                        c.origin(),
                        lists::ARCH
                    ));
                    if mark == "***" {
                        text.push_str(&format!("        100 {}\n", dpkg::STATUS));
                    }
                }
                if let (Some(v), true) =
                    (&installed, !versions.iter().any(|c| Some(c.version()) == installed.as_deref()))
                {
                    text.push_str(&format!(" *** {v} 100\n        100 {}\n", dpkg::STATUS));
                }
                ctx.print(&text);
            }
            0
        }
        other => {
            ctx.eprintln(&format!("E: Invalid operation {other}"));
            100
        }
    }
}

/// `dpkg -l|-L|-s|-S|--print-architecture ...`
pub fn dpkg(args: &[String], ctx: &mut Ctx) -> i32 {
    let db = dpkg::Db::read(ctx);
    let (action, rest) = match args.split_first() {
        Some((a, rest)) => (a.as_str(), rest),
        None => {
            ctx.eprintln("dpkg: error: need an action option\n\nType dpkg --help for help about installing and deinstalling packages [*];\nUse 'apt' or 'aptitude' for user-friendly package management;\nType dpkg -Dhelp for a list of dpkg debug flag values;\nType dpkg --force-help for a list of forcing options;\nType dpkg-deb --help for help about manipulating *.deb files;\n\nOptions marked [*] produce a lot of output - pipe it through 'less' or 'more' !");
            return 2;
        }
    };
    match action {
        "--print-architecture" => {
            ctx.println(lists::ARCH);
            0
        }
        "--version" => {
            ctx.println("Debian 'dpkg' package management program version 1.22.6 (amd64).\nThis is free software; see the GNU General Public License version 2 or\nlater for copying conditions. There is NO warranty.");
            0
        }
        "-l" | "--list" => {
            let rows: Vec<[String; 4]> = db
                .installed()
                .filter(|s| rest.is_empty() || rest.iter().any(|p| glob(p, s.field("Package"))))
                .map(|s| {
                    [
                        s.field("Package").to_string(),
                        s.field("Version").to_string(),
                        s.field("Architecture").to_string(),
                        s.field("Description").lines().next().unwrap_or("").to_string(),
                    ]
                })
                .collect();
            if rows.is_empty() && !rest.is_empty() {
                ctx.eprintln(&format!("dpkg-query: no packages found matching {}", rest.join(" ")));
                return 1;
            }
            let width = |i: usize, min: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0).max(min);
            let (w0, w1, w2, w3) = (width(0, 4), width(1, 7), width(2, 12), width(3, 11));
            let mut text = String::from("Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n");
            text.push_str(&format!("||/ {:w0$} {:w1$} {:w2$} Description\n", "Name", "Version", "Architecture"));
            text.push_str(&format!(
                "+++-{}-{}-{}-{}\n",
                "=".repeat(w0),
                "=".repeat(w1),
                "=".repeat(w2),
                "=".repeat(w3)
            ));
            for r in rows {
                text.push_str(&format!("ii  {:w0$} {:w1$} {:w2$} {}\n", r[0], r[1], r[2], r[3]));
            }
            ctx.print(&text);
            0
        }
        "-L" | "--listfiles" => {
            let mut status = 0;
            for name in rest {
                if db.get(name).is_none() {
                    ctx.eprintln(&format!("dpkg-query: package '{name}' is not installed\nUse dpkg --contents (= dpkg-deb --contents) to list archive files contents."));
                    status = 1;
                    continue;
                }
                for p in dpkg::list(ctx, name) {
                    ctx.println(&p);
                }
            }
            status
        }
        "-s" | "--status" => {
            let mut status = 0;
            for name in rest {
                match db.get(name) {
                    Some(s) => {
                        let text = s.text();
                        ctx.println(&text);
                    }
                    None => {
                        ctx.eprintln(&format!("dpkg-query: package '{name}' is not installed and no information is available\nUse dpkg --info (= dpkg-deb --info) to examine archive files."));
                        status = 1;
                    }
                }
            }
            status
        }
        "-S" | "--search" => {
            let mut status = 0;
            for pattern in rest {
                let mut found = false;
                for s in db.installed() {
                    let name = s.field("Package");
                    for p in dpkg::list(ctx, name) {
                        if p == *pattern || (!pattern.starts_with('/') && p.contains(pattern.as_str())) {
                            ctx.println(&format!("{name}: {p}"));
                            found = true;
                        }
                    }
                }
                if !found {
                    ctx.eprintln(&format!("dpkg-query: no path found matching pattern {pattern}"));
                    status = 1;
                }
            }
            status
        }
        other => {
            ctx.eprintln(&format!("dpkg: error: unknown option {other}\n\nType dpkg --help for help about installing and deinstalling packages [*];\nUse 'apt' or 'aptitude' for user-friendly package management;\nType dpkg -Dhelp for a list of dpkg debug flag values;\nType dpkg --force-help for a list of forcing options;\nType dpkg-deb --help for help about manipulating *.deb files;\n\nOptions marked [*] produce a lot of output - pipe it through 'less' or 'more' !"));
            2
        }
    }
}

/// The calendar date and time of a Unix time: (year, month, day, hour, minute, second).
pub fn civil(secs: u64) -> (i64, u32, u32, u32, u32, u32) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_arguments() {
        let args: Vec<String> =
            ["install", "-y", "--no-install-recommends", "curl", "-o", "Dpkg::Options::=--force-confold", "unzip"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let o = parse(&args).unwrap();
        assert!(o.yes && !o.recommends);
        assert_eq!(o.args, vec!["install", "curl", "unzip"]);
        assert!(parse(&["--frob".into()]).unwrap_err().contains("'--frob'"));
        assert!(parse(&["-qqy".into()]).is_ok_and(|o| o.quiet == 2 && o.yes));
    }

    #[test]
    fn dates_from_unix_time() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(1_739_507_316), (2025, 2, 14, 4, 28, 36));
    }

    #[test]
    fn globs() {
        assert!(glob("lib*", "libcurl") && glob("*dns*", "bind9-dnsutils") && !glob("curl", "curls"));
    }
}
