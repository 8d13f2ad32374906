//! dpkg's database and its work: `/var/lib/dpkg/status` (a control paragraph per package, with
//! `Status: install ok installed`), `/var/lib/dpkg/info/<package>.list` (the paths each package
//! installed), unpacking a `.deb` (an `ar` archive of `debian-binary`, `control.tar.*` and
//! `data.tar.*`) into the filesystem, and removing a package's files.

use super::control::{self, Stanza};
use crate::archive::{ar_members, gunzip, untar, Entry};
use crate::Ctx;
use std::collections::BTreeSet;

pub const STATUS: &str = "/var/lib/dpkg/status";
pub const INFO: &str = "/var/lib/dpkg/info";

/// The status database.
#[derive(Debug, Default, Clone)]
pub struct Db {
    pub packages: Vec<Stanza>,
}

impl Db {
    pub fn read(ctx: &Ctx) -> Db {
        Db { packages: control::parse(&ctx.read_string(STATUS).unwrap_or_default()) }
    }

    pub fn write(&self, ctx: &Ctx) -> std::io::Result<()> {
        let text: String = self.packages.iter().map(|s| format!("{}\n", s.text())).collect();
        ctx.write(STATUS, text.as_bytes())
    }

    /// Installed packages (status `install ok installed`).
    pub fn installed(&self) -> impl Iterator<Item = &Stanza> {
        self.packages.iter().filter(|s| s.field("Status").ends_with(" installed"))
    }

    pub fn get(&self, name: &str) -> Option<&Stanza> {
        self.installed().find(|s| s.field("Package") == name)
    }

    /// Records a package as installed (replacing an older record).
    pub fn set_installed(&mut self, control: &Stanza) {
        let name = control.field("Package").to_string();
        self.packages.retain(|s| s.field("Package") != name);
        let mut record = Stanza::default();
        for (k, v) in &control.fields {
            record.fields.push((k.clone(), v.clone()));
            if k == "Package" {
                record.fields.push(("Status".into(), "install ok installed".into()));
            }
        }
        self.packages.push(record);
        self.packages.sort_by(|a, b| a.field("Package").cmp(b.field("Package")));
    }

    pub fn remove(&mut self, name: &str) {
        self.packages.retain(|s| s.field("Package") != name);
    }
}

/// The paths a package installed (its `.list` file).
pub fn list(ctx: &Ctx, name: &str) -> Vec<String> {
    let text = ctx
        .read_string(&format!("{INFO}/{name}.list"))
        .or_else(|_| ctx.read_string(&format!("{INFO}/{name}:amd64.list")));
    text.unwrap_or_default().lines().map(str::to_string).collect()
}

/// How many files and folders the database knows (`(Reading database ... N files and
/// directories currently installed.)`).
pub fn file_count(ctx: &Ctx, db: &Db) -> usize {
    let mut all = BTreeSet::new();
    for s in db.installed() {
        all.extend(list(ctx, s.field("Package")));
    }
    all.len()
}

/// dpkg's database reading line, with its progress steps.
pub fn reading_database(ctx: &Ctx, db: &Db) -> String {
    let steps = db.installed().count() + 1;
    let mut out = String::from("(Reading database ... ");
    let mut last = 0;
    for i in 1..=steps {
        let pct = i * 100 / steps;
        if pct != last {
            out.push_str(&format!("\r(Reading database ... {pct}%"));
            last = pct;
        }
    }
    out.push_str(&format!(
        "\r(Reading database ... {} files and directories currently installed.)",
        file_count(ctx, db)
    ));
    out
}

/// A `.deb`'s control paragraph and data entries.
pub fn open_deb(bytes: &[u8]) -> Result<(Stanza, Vec<Entry>), String> {
    let members = ar_members(bytes).ok_or("not a Debian format archive")?;
    let member = |prefix: &str| -> Result<Vec<Entry>, String> {
        let (name, data) = members
            .iter()
            .find(|(n, _)| n.starts_with(prefix))
            .ok_or_else(|| format!("archive has no {prefix} member"))?;
        let tar = if name.ends_with(".gz") {
            gunzip(data).map_err(|e| e.to_string())?
        } else if name.ends_with(".tar") {
            data.to_vec()
        } else {
            return Err(format!("unsupported compression of member {name}"));
        };
        untar(&tar).map_err(|e| e.to_string())
    };
    let control_entries = member("control.tar")?;
    let control_text = control_entries
        .iter()
        .find_map(|e| match e {
            Entry::File { path, data, .. } if path == "control" => Some(String::from_utf8_lossy(data).into_owned()),
            _ => None,
        })
        .ok_or("archive has no control file")?;
    let control = control::parse(&control_text).into_iter().next().ok_or("empty control file")?;
    Ok((control, member("data.tar")?))
}

/// Unpacks data entries; returns the `.list` of what was installed.
pub fn unpack(ctx: &Ctx, entries: &[Entry]) -> Result<Vec<String>, String> {
    let mut paths = vec!["/.".to_string()];
    for e in entries {
        let full = format!("/{}", e.path());
        match e {
            Entry::Dir { mode, .. } => ctx.mkdir(&full, *mode),
            Entry::File { mode, data, .. } => ctx.install_file(&full, data, *mode),
            Entry::Link { target, .. } => ctx.install_link(&full, target),
        }
        .map_err(|err| format!("error creating '{full}': {err}"))?;
        // A .list names every folder on the way.
        let mut at = String::new();
        for part in e.path().split('/') {
            at = format!("{at}/{part}");
            if !paths.contains(&at) {
                paths.push(at.clone());
            }
        }
    }
    Ok(paths)
}

/// Deletes a package's files (and its folders left empty that no other package lists).
pub fn remove_files(ctx: &Ctx, db: &Db, name: &str, keep: &BTreeSet<String>) {
    let mine = list(ctx, name);
    let mut others = BTreeSet::new();
    for s in db.installed().filter(|s| s.field("Package") != name) {
        others.extend(list(ctx, s.field("Package")));
    }
    let mut dirs = Vec::new();
    for path in &mine {
        if path == "/." || keep.contains(path) || others.contains(path) {
            continue;
        }
        if ctx.is_dir(path) {
            dirs.push(path.clone());
        } else {
            let _ = ctx.remove(path);
        }
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for d in dirs {
        ctx.remove_empty_dir(&d);
    }
}

pub fn write_list(ctx: &Ctx, name: &str, paths: &[String]) -> std::io::Result<()> {
    let text: String = paths.iter().map(|p| format!("{p}\n")).collect();
    ctx.write(&format!("{INFO}/{name}.list"), text.as_bytes())
}

pub fn delete_list(ctx: &Ctx, name: &str) {
    let _ = ctx.remove(&format!("{INFO}/{name}.list"));
}
