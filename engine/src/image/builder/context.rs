//! The build context: the folder on the host given to `docker build` (usually `.`), whose files
//! `COPY` and `ADD` can use. `.dockerignore` at its root excludes paths (`node_modules`, `*.log`,
//! `**/tmp`, with `!` to re-include), as Docker does before sending the context to the builder.

use crate::fs::{Fs, NodeKind};

/// The context: a host folder and its ignore rules.
#[derive(Debug, Clone)]
pub struct Context {
    pub fs: Fs,
    /// Absolute host path of the context's root.
    pub root: String,
    patterns: Vec<(bool, String)>,
}

/// Matches one path segment against a pattern segment with `*` and `?`.
fn segment_match(p: &[char], t: &[char]) -> bool {
    match (p.first(), t.first()) {
        (None, None) => true,
        (Some('*'), _) => segment_match(&p[1..], t) || (!t.is_empty() && segment_match(p, &t[1..])),
        (Some('?'), Some(_)) => segment_match(&p[1..], &t[1..]),
        (Some(a), Some(b)) if a == b => segment_match(&p[1..], &t[1..]),
        _ => false,
    }
}

/// Matches a relative path against a pattern whose `**` spans any number of folders.
pub fn path_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[&str], t: &[&str]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(&"**"), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some(a), Some(b)) => {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                segment_match(&a, &b) && go(&p[1..], &t[1..])
            }
            _ => false,
        }
    }
    let p: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    let t: Vec<&str> = path.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    go(&p, &t)
}

impl Context {
    pub fn new(fs: Fs, root: String) -> Self {
        let ignore = fs.read_file(&format!("{}/.dockerignore", root.trim_end_matches('/'))).unwrap_or_default();
        let patterns = String::from_utf8_lossy(&ignore)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| match l.strip_prefix('!') {
                Some(rest) => (false, rest.trim_start_matches('/').to_string()),
                None => (true, l.trim_start_matches('/').to_string()),
            })
            .collect();
        Self { fs, root, patterns }
    }

    /// True if `.dockerignore` leaves `rel` (a path relative to the context) out. A path is
    /// also out if a folder above it is.
    pub fn ignored(&self, rel: &str) -> bool {
        let rel = rel.trim_matches('/');
        let mut prefix = String::new();
        for part in rel.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            let mut out = false;
            for (exclude, pattern) in &self.patterns {
                if path_match(pattern, &prefix) {
                    out = *exclude;
                }
            }
            if out {
                return true;
            }
        }
        false
    }

    pub fn abs(&self, rel: &str) -> String {
        format!("{}/{}", self.root.trim_end_matches('/'), rel.trim_start_matches('/'))
    }

    /// The context paths a `COPY` source names: itself, or what its wildcards match.
    pub fn resolve(&self, source: &str) -> Vec<String> {
        let source = source.trim_start_matches("./").trim_start_matches('/');
        if !source.contains(['*', '?', '[']) {
            let rel = if source.is_empty() || source == "." { String::new() } else { source.to_string() };
            return if self.fs.lookup(&self.abs(&rel), true).is_ok() && (rel.is_empty() || !self.ignored(&rel)) {
                vec![rel]
            } else {
                Vec::new()
            };
        }
        let (dir, _) = source.rsplit_once('/').unwrap_or(("", source));
        let Ok(names) = self.fs.read_dir(&self.abs(dir)) else { return Vec::new() };
        names
            .into_iter()
            .map(|n| if dir.is_empty() { n } else { format!("{dir}/{n}") })
            .filter(|rel| path_match(source, rel) && !self.ignored(rel))
            .collect()
    }

    /// True if the context path is a folder.
    pub fn is_dir(&self, rel: &str) -> bool {
        self.fs.lookup(&self.abs(rel), true).is_ok_and(|n| matches!(n.borrow().kind, NodeKind::Dir(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_patterns_exclude_and_reinclude() {
        let fs = Fs::new();
        fs.write_file("/ctx/.dockerignore", b"node_modules\n*.log\n**/tmp\n!keep.log\n".to_vec(), 0o644).unwrap();
        for f in ["app.js", "debug.log", "keep.log", "node_modules/x/y.js", "src/tmp/z", "src/main.js"] {
            fs.write_file(&format!("/ctx/{f}"), b"x".to_vec(), 0o644).unwrap();
        }
        let c = Context::new(fs, "/ctx".into());
        assert!(c.ignored("debug.log") && c.ignored("node_modules/x/y.js") && c.ignored("src/tmp/z"));
        assert!(!c.ignored("keep.log") && !c.ignored("src/main.js"));
        assert_eq!(c.resolve("*.js"), vec!["app.js"]);
        assert_eq!(c.resolve("src"), vec!["src"]);
        assert!(c.resolve("nope").is_empty());
    }
}
