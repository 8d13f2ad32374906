//! Choosing what is installed. apk is declarative: the world file (`/etc/apk/world`) lists
//! what the user asked for, and the solver computes the set of packages that satisfies it with
//! every dependency. Packages no longer needed are removed; installed packages are kept at
//! their version unless an upgrade is asked for.

use super::db::{dep_name, Pkg};
use crate::version::apk_cmp;
use std::collections::{BTreeMap, BTreeSet};

/// One step of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Install(Pkg),
    Remove(Pkg),
    /// Old, new.
    Replace(Box<Pkg>, Box<Pkg>),
}

/// A name nothing provides, and who asked for it (`world[curl]`, `bash-5.2.37-r0[readline]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsatisfied {
    pub name: String,
    pub required_by: Vec<String>,
}

struct Solver<'a> {
    installed: &'a [Pkg],
    available: &'a [Pkg],
    upgrade: bool,
    chosen: BTreeMap<String, Pkg>,
    order: Vec<String>,
    missing: BTreeMap<String, Vec<String>>,
}

impl Solver<'_> {
    /// The package to use for a name: one already chosen, else the installed one, else the
    /// newest in the repositories (by its own name first, then by what packages provide).
    fn provider(&self, name: &str) -> Option<Pkg> {
        if let Some(p) = self.chosen.values().find(|p| p.provides_name(name)) {
            return Some(p.clone());
        }
        let newest =
            |candidates: Vec<&Pkg>| candidates.into_iter().max_by(|a, b| apk_cmp(&a.version, &b.version)).cloned();
        let installed = self
            .installed
            .iter()
            .find(|p| p.name == name)
            .or_else(|| self.installed.iter().find(|p| p.provides_name(name)));
        let by_name = newest(self.available.iter().filter(|p| p.name == name).collect());
        let by_provides = || newest(self.available.iter().filter(|p| p.provides_name(name)).collect());
        match (installed, by_name) {
            (Some(i), Some(a)) if self.upgrade && apk_cmp(&a.version, &i.version).is_gt() => Some(a),
            (Some(i), _) => Some(i.clone()),
            (None, Some(a)) => Some(a),
            (None, None) => by_provides(),
        }
    }

    fn visit(&mut self, dep: &str, required_by: String) {
        if dep.starts_with('!') {
            return;
        }
        let name = dep_name(dep);
        if self.chosen.values().any(|p| p.provides_name(name)) {
            return;
        }
        let Some(pkg) = self.provider(name) else {
            self.missing.entry(name.to_string()).or_default().push(required_by);
            return;
        };
        self.chosen.insert(pkg.name.clone(), pkg.clone());
        for d in &pkg.depends {
            self.visit(d, format!("{}[{}]", pkg.name_version(), dep_name(d)));
        }
        self.order.push(pkg.name.clone());
    }
}

/// The changes that make the system match `world`, or what cannot be found.
pub fn solve(
    world: &[String],
    installed: &[Pkg],
    available: &[Pkg],
    upgrade: bool,
) -> Result<Vec<Change>, Vec<Unsatisfied>> {
    let mut s =
        Solver { installed, available, upgrade, chosen: BTreeMap::new(), order: Vec::new(), missing: BTreeMap::new() };
    let mut sorted: Vec<&String> = world.iter().collect();
    sorted.sort();
    for dep in sorted {
        s.visit(dep, format!("world[{dep}]"));
    }
    if !s.missing.is_empty() {
        return Err(s.missing.into_iter().map(|(name, required_by)| Unsatisfied { name, required_by }).collect());
    }
    let kept: BTreeSet<&String> = s.chosen.keys().collect();
    let mut changes: Vec<Change> =
        installed.iter().filter(|p| !kept.contains(&p.name)).map(|p| Change::Remove(p.clone())).collect();
    for name in &s.order {
        let new = &s.chosen[name];
        match installed.iter().find(|p| &p.name == name) {
            None => changes.push(Change::Install(new.clone())),
            Some(old) if old.version != new.version => {
                changes.push(Change::Replace(Box::new(old.clone()), Box::new(new.clone())))
            }
            Some(_) => {}
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(name: &str, version: &str, depends: &[&str], provides: &[&str]) -> Pkg {
        Pkg {
            name: name.into(),
            version: version.into(),
            depends: depends.iter().map(|s| s.to_string()).collect(),
            provides: provides.iter().map(|s| s.to_string()).collect(),
            ..Pkg::default()
        }
    }

    fn world(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dependencies_come_first_and_installed_ones_stay() {
        let installed = vec![pkg("busybox", "1.37.0-r12", &[], &[])];
        let available =
            vec![pkg("curl", "8.12.1-r1", &["libcurl", "busybox"], &[]), pkg("libcurl", "8.12.1-r1", &[], &[])];
        let changes = solve(&world(&["busybox", "curl"]), &installed, &available, false).unwrap();
        let names: Vec<String> = changes
            .iter()
            .map(|c| format!("{c:?}").split("name: \"").nth(1).unwrap().split('"').next().unwrap().to_string())
            .collect();
        assert_eq!(names, vec!["libcurl", "curl"]);
    }

    #[test]
    fn what_the_world_no_longer_needs_is_removed() {
        let installed =
            vec![pkg("curl", "1", &["libcurl"], &[]), pkg("libcurl", "1", &[], &[]), pkg("busybox", "1", &[], &[])];
        let changes = solve(&world(&["busybox"]), &installed, &[], false).unwrap();
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().all(|c| matches!(c, Change::Remove(_))));
    }

    #[test]
    fn provided_names_and_missing_ones() {
        let available = vec![pkg("procps-ng", "4.0.4-r2", &[], &["procps=4.0.4-r2", "cmd:ps=4.0.4-r2"])];
        let changes = solve(&world(&["procps"]), &[], &available, false).unwrap();
        assert!(matches!(&changes[0], Change::Install(p) if p.name == "procps-ng"));
        let err = solve(&world(&["nope", "procps"]), &[], &available, false).unwrap_err();
        assert_eq!(err, vec![Unsatisfied { name: "nope".into(), required_by: vec!["world[nope]".into()] }]);
        let err = solve(&world(&["a"]), &[], &[pkg("a", "1-r0", &["b"], &[])], false).unwrap_err();
        assert_eq!(err[0].required_by, vec!["a-1-r0[b]".to_string()]);
    }

    #[test]
    fn upgrades_only_when_asked() {
        let installed = vec![pkg("curl", "8.0-r0", &[], &[])];
        let available = vec![pkg("curl", "8.12.1-r1", &[], &[])];
        assert!(solve(&world(&["curl"]), &installed, &available, false).unwrap().is_empty());
        assert!(matches!(&solve(&world(&["curl"]), &installed, &available, true).unwrap()[0], Change::Replace(..)));
    }
}
