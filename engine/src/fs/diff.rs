//! What a container changed in its filesystem compared with its image: the entries of `docker
//! diff` (A added, C changed, D deleted) and the content of the layer `docker commit` writes. A
//! directory that gained, lost or changed something counts as changed itself, as with Docker's
//! overlay driver; a deleted directory is reported once, not with everything below it.

use super::{Fs, Node, NodeKind, NodeRef};
use std::collections::BTreeMap;
use std::rc::Rc;

/// One change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Changed,
    Added,
    Deleted,
}

impl ChangeKind {
    /// The letter `docker diff` prints.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Changed => 'C',
            ChangeKind::Deleted => 'D',
        }
    }
}

/// A changed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub path: String,
}

fn same_leaf(a: &Node, b: &Node) -> bool {
    a.meta.mode == b.meta.mode
        && match (&a.kind, &b.kind) {
            (NodeKind::File(x), NodeKind::File(y)) => x == y,
            (NodeKind::Symlink(x), NodeKind::Symlink(y)) => x == y,
            _ => false,
        }
}

fn children(node: &NodeRef) -> BTreeMap<String, NodeRef> {
    match &node.borrow().kind {
        NodeKind::Dir(entries) => entries.clone(),
        _ => BTreeMap::new(),
    }
}

fn all_added(path: &str, node: &NodeRef, out: &mut Vec<Change>) {
    out.push(Change { kind: ChangeKind::Added, path: path.to_string() });
    for (name, child) in children(node) {
        all_added(&format!("{path}/{name}"), &child, out);
    }
}

/// Compares two directories; returns true if anything below changed.
fn walk(path: &str, base: &NodeRef, current: &NodeRef, out: &mut Vec<Change>) -> bool {
    let (before, after) = (children(base), children(current));
    let mut changed = false;
    for (name, node) in &after {
        let child_path = format!("{path}/{name}");
        match before.get(name) {
            None => {
                all_added(&child_path, node, out);
                changed = true;
            }
            Some(old) if Rc::ptr_eq(old, node) => {}
            Some(old) => {
                let (old_dir, new_dir) = (old.borrow().is_dir(), node.borrow().is_dir());
                if old_dir && new_dir {
                    let mark = out.len();
                    if walk(&child_path, old, node, out) || old.borrow().meta.mode != node.borrow().meta.mode {
                        out.insert(mark, Change { kind: ChangeKind::Changed, path: child_path });
                        changed = true;
                    }
                } else if old_dir != new_dir {
                    out.push(Change { kind: ChangeKind::Deleted, path: child_path.clone() });
                    all_added(&child_path, node, out);
                    changed = true;
                } else if !same_leaf(&old.borrow(), &node.borrow()) {
                    out.push(Change { kind: ChangeKind::Changed, path: child_path });
                    changed = true;
                }
            }
        }
    }
    for name in before.keys().filter(|n| !after.contains_key(*n)) {
        out.push(Change { kind: ChangeKind::Deleted, path: format!("{path}/{name}") });
        changed = true;
    }
    changed
}

/// The changes that turn `base` into `current`, sorted by path.
pub fn diff(base: &Fs, current: &Fs) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", &base.root(), &current.root(), &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_changes_and_deletes_are_reported_like_docker_diff() {
        let base = Fs::new();
        base.write_file("/etc/motd", b"hi".to_vec(), 0o644).unwrap();
        base.write_file("/etc/hostname", b"a".to_vec(), 0o644).unwrap();
        base.write_file("/tmp/old/x", b"x".to_vec(), 0o644).unwrap();
        let current = Fs::new();
        current.write_file("/etc/motd", b"hello".to_vec(), 0o644).unwrap();
        current.write_file("/etc/hostname", b"a".to_vec(), 0o644).unwrap();
        current.mkdir_p("/tmp", 0o755).unwrap();
        current.write_file("/srv/app/main", b"m".to_vec(), 0o755).unwrap();
        let changes: Vec<String> =
            diff(&base, &current).iter().map(|c| format!("{} {}", c.kind.letter(), c.path)).collect();
        assert_eq!(
            changes,
            ["C /etc", "C /etc/motd", "A /srv", "A /srv/app", "A /srv/app/main", "C /tmp", "D /tmp/old"]
        );
    }
}
