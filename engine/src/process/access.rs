//! File permissions: who may read, write, run or look into what (Linux's `inode_permission`).
//!
//! A process runs as a user and groups ([`Cred`], from `docker run -u` or the image's `USER`).
//! Each file has an owner, a group and mode bits `rwx` for the owner, the group and others; the
//! first class the process belongs to decides. Going through a directory needs its `x` (search)
//! bit; creating, removing or renaming an entry needs `w` and `x` on the directory, and in a
//! sticky directory (`/tmp`, mode 1777) only the entry's owner (or the directory's) may remove
//! it. Root passes every check but one: running a file needs at least one `x` bit, for root too.
//! Files a process creates belong to its user and group.

use crate::fs::{Fs, Meta, NodeRef};
use crate::process::errno::Errno;

pub const READ: u32 = 4;
pub const WRITE: u32 = 2;
pub const EXEC: u32 = 1;

/// The sticky bit (`chmod +t`).
const STICKY: u32 = 0o1000;

/// The identity a process acts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cred {
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups.
    pub groups: Vec<u32>,
}

impl Cred {
    pub fn is_root(&self) -> bool {
        self.uid == 0
    }

    /// The `rwx` bits that apply to this process for a file with `meta`.
    fn class_bits(&self, meta: &Meta) -> u32 {
        if meta.uid == self.uid {
            (meta.mode >> 6) & 7
        } else if meta.gid == self.gid || self.groups.contains(&meta.gid) {
            (meta.mode >> 3) & 7
        } else {
            meta.mode & 7
        }
    }

    /// Whether `want` (a mix of [`READ`], [`WRITE`], [`EXEC`]) is allowed on a node.
    pub fn may(&self, node: &NodeRef, want: u32) -> bool {
        let n = node.borrow();
        if self.is_root() {
            // Root may search any directory, but runs only files with some `x` bit.
            return want & EXEC == 0 || n.is_dir() || n.meta.mode & 0o111 != 0;
        }
        self.class_bits(&n.meta) & want == want
    }

    /// `EACCES` unless `want` is allowed on `node`.
    pub fn check(&self, node: &NodeRef, want: u32) -> Result<(), Errno> {
        if self.may(node, want) {
            Ok(())
        } else {
            Err(Errno::ACCES)
        }
    }

    /// Whether this process owns `node` (or is root): it may change its mode and times.
    pub fn owns(&self, node: &NodeRef) -> bool {
        self.is_root() || node.borrow().meta.uid == self.uid
    }

    /// `EACCES` unless every directory on the way to `path` (absolute, normalized) may be
    /// searched. Missing directories are left to the lookup that follows.
    pub fn check_search(&self, fs: &Fs, path: &str) -> Result<(), Errno> {
        if self.is_root() {
            return Ok(());
        }
        let mut prefix = String::new();
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            let dir = if prefix.is_empty() { "/".to_string() } else { prefix.clone() };
            match fs.lookup(&dir, true) {
                Ok(node) if node.borrow().is_dir() => self.check(&node, EXEC)?,
                _ => return Ok(()),
            }
            prefix.push('/');
            prefix.push_str(part);
        }
        if let Ok(node) = fs.lookup(if prefix.is_empty() { "/" } else { &prefix }, true) {
            if node.borrow().is_dir() {
                self.check(&node, EXEC)?;
            }
        }
        Ok(())
    }

    /// `EACCES` unless an entry may be added to or removed from the directory holding `path`;
    /// `victim`: the entry being removed or replaced, for the sticky bit.
    pub fn check_dir_change(&self, fs: &Fs, path: &str, victim: Option<&NodeRef>) -> Result<(), Errno> {
        if self.is_root() {
            return Ok(());
        }
        self.check_search(fs, path)?;
        let Ok((parent, _)) = fs.parent_of(path) else { return Ok(()) };
        self.check(&parent, WRITE | EXEC)?;
        let sticky = parent.borrow().meta.mode & STICKY != 0;
        if let (true, Some(v)) = (sticky, victim) {
            if v.borrow().meta.uid != self.uid && parent.borrow().meta.uid != self.uid {
                return Err(Errno::ACCES);
            }
        }
        Ok(())
    }

    /// Gives a node this process is creating its owner and group.
    pub fn own(&self, node: &NodeRef) {
        let mut n = node.borrow_mut();
        n.meta.uid = self.uid;
        n.meta.gid = self.gid;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::Node;

    fn user() -> Cred {
        Cred { uid: 1000, gid: 1000, groups: vec![50] }
    }

    #[test]
    fn the_first_matching_class_decides() {
        let f = Node::file(Vec::new(), 0o640);
        assert!(!user().may(&f, READ), "others: nothing");
        f.borrow_mut().meta.gid = 50;
        assert!(user().may(&f, READ), "a supplementary group reads");
        assert!(!user().may(&f, WRITE));
        f.borrow_mut().meta.uid = 1000;
        assert!(user().may(&f, READ | WRITE));
        f.borrow_mut().meta.mode = 0o077;
        assert!(!user().may(&f, READ), "the owner's class applies even when others may");
    }

    #[test]
    fn root_passes_all_but_running_a_file_without_x() {
        let root = Cred::default();
        let f = Node::file(Vec::new(), 0o000);
        assert!(root.may(&f, READ | WRITE));
        assert!(!root.may(&f, EXEC));
        f.borrow_mut().meta.mode = 0o100;
        assert!(root.may(&f, EXEC));
        assert!(root.may(&Node::dir(0o000), EXEC), "directories are searched");
    }

    #[test]
    fn directories_need_search_and_write_and_sticky_protects_others_files() {
        let fs = Fs::new();
        fs.mkdir_p("/etc", 0o755).unwrap();
        fs.mkdir_p("/secret", 0o700).unwrap();
        fs.mkdir_p("/tmp", 0o1777).unwrap();
        fs.write_file("/secret/f", Vec::new(), 0o644).unwrap();
        fs.write_file("/tmp/roots", Vec::new(), 0o644).unwrap();
        let u = user();
        assert_eq!(u.check_search(&fs, "/secret/f"), Err(Errno::ACCES));
        assert_eq!(u.check_search(&fs, "/etc/passwd"), Ok(()));
        assert_eq!(u.check_dir_change(&fs, "/etc/x", None), Err(Errno::ACCES));
        assert_eq!(u.check_dir_change(&fs, "/tmp/mine", None), Ok(()));
        let roots = fs.lookup("/tmp/roots", false).unwrap();
        assert_eq!(u.check_dir_change(&fs, "/tmp/roots", Some(&roots)), Err(Errno::ACCES), "sticky /tmp");
        u.own(&roots);
        assert_eq!(u.check_dir_change(&fs, "/tmp/roots", Some(&roots)), Ok(()));
        assert_eq!(Cred::default().check_dir_change(&fs, "/secret/x", None), Ok(()));
    }
}
