//! The shell's descriptor table: which open file plays descriptor 0..9 for the command being run.
//!
//! Redirections change entries of this table (and are undone afterwards) instead of renumbering
//! the process's real descriptors; builtins write through it; spawned programs receive entries
//! 0, 1 and 2 as their standard streams. A command substitution run inside the shell captures
//! its output in memory ([`Target::Capture`]).

use std::cell::RefCell;
use std::io;
use std::rc::Rc;

use crate::sys;

/// What one descriptor of the table refers to.
#[derive(Clone, Debug)]
pub enum Target {
    /// A descriptor inherited from the parent process (0, 1, 2): never closed by the shell.
    Std(sys::RawFd),
    /// A descriptor the shell opened (file, pipe); closed when the last reference goes.
    Fd(Rc<sys::Fd>),
    /// Output collected in memory (command substitution).
    Capture(Rc<RefCell<Vec<u8>>>),
}

impl Target {
    /// The real descriptor, unless this is a capture buffer.
    pub fn raw(&self) -> Option<sys::RawFd> {
        match self {
            Target::Std(fd) => Some(*fd),
            Target::Fd(f) => Some(f.raw()),
            Target::Capture(_) => None,
        }
    }
}

pub const SLOTS: usize = 10;

#[derive(Clone, Debug)]
pub struct Io {
    slots: Vec<Option<Target>>,
}

impl Default for Io {
    fn default() -> Self {
        let mut slots = vec![None; SLOTS];
        for (i, s) in slots.iter_mut().enumerate().take(3) {
            *s = Some(Target::Std(i as sys::RawFd));
        }
        Io { slots }
    }
}

impl Io {
    pub fn get(&self, fd: u32) -> Option<&Target> {
        self.slots.get(fd as usize).and_then(|s| s.as_ref())
    }

    /// Replaces a slot, returning its previous content.
    pub fn set(&mut self, fd: u32, t: Option<Target>) -> Option<Target> {
        match self.slots.get_mut(fd as usize) {
            Some(s) => std::mem::replace(s, t),
            None => None,
        }
    }

    pub fn write(&self, fd: u32, data: &[u8]) -> io::Result<()> {
        match self.get(fd) {
            Some(Target::Capture(buf)) => {
                buf.borrow_mut().extend_from_slice(data);
                Ok(())
            }
            Some(t) => match t.raw() {
                Some(raw) => sys::write_all(raw, data),
                None => Err(bad_fd()),
            },
            None => Err(bad_fd()),
        }
    }

    pub fn read(&self, fd: u32, buf: &mut [u8]) -> io::Result<usize> {
        match self.get(fd).and_then(Target::raw) {
            Some(raw) => sys::read(raw, buf),
            None => Err(bad_fd()),
        }
    }
}

pub fn bad_fd() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "Bad file descriptor")
}
