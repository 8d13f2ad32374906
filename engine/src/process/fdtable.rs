//! A process's file descriptor table, as in `/proc/<pid>/fd`: small integers naming what the
//! process has open. 0, 1 and 2 are stdin, stdout and stderr (bound to pipes or to nothing, like
//! `/dev/null`); 3 is the root directory "/" handed over at start ("preopened": WASI programs can
//! only reach files through a directory descriptor they were given). `open` hands out the lowest
//! free number, as on Linux.

use super::errno::Errno;
use super::pipe::Pipe;
use crate::fs::NodeRef;

/// Most descriptors one process may hold (Linux's default `ulimit -n`).
pub const MAX_FDS: usize = 1024;

/// `fdflags`: writes go to the end of the file.
pub const FDFLAG_APPEND: u16 = 1;
/// `fdflags`: reads and writes fail with `EAGAIN` instead of waiting.
pub const FDFLAG_NONBLOCK: u16 = 4;

/// What a descriptor refers to.
#[derive(Debug, Clone)]
pub enum Fd {
    /// Stdio bound to nothing: reads see end of file, writes vanish (`/dev/null`).
    Null,
    /// The reading end of a pipe.
    PipeIn(Pipe),
    /// The writing end of a pipe.
    PipeOut(Pipe),
    /// A directory; `path` is the absolute path it was opened by, for resolving relative paths.
    Dir {
        node: NodeRef,
        path: String,
        /// The name it was preopened under (`fd_prestat_dir_name`), if it was.
        preopen: Option<String>,
    },
    /// A regular file opened at a position.
    File {
        node: NodeRef,
        pos: u64,
        read: bool,
        write: bool,
    },
}

/// One slot of the table: the object and the descriptor's own flags.
#[derive(Debug, Clone)]
pub struct Entry {
    pub fd: Fd,
    pub flags: u16,
}

impl Entry {
    pub fn new(fd: Fd) -> Self {
        Self { fd, flags: 0 }
    }
}

/// The table itself.
#[derive(Debug, Default)]
pub struct FdTable {
    slots: Vec<Option<Entry>>,
}

impl FdTable {
    pub fn get(&self, fd: u32) -> Result<&Entry, Errno> {
        self.slots
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::BADF)
    }

    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::BADF)
    }

    /// Puts `entry` in the lowest free slot and returns its number.
    pub fn insert(&mut self, entry: Entry) -> Result<u32, Errno> {
        let index = match self.slots.iter().position(Option::is_none) {
            Some(i) => i,
            None if self.slots.len() < MAX_FDS => {
                self.slots.push(None);
                self.slots.len() - 1
            }
            None => return Err(Errno::MFILE),
        };
        self.slots[index] = Some(entry);
        u32::try_from(index).map_err(|_| Errno::MFILE)
    }

    /// Puts `entry` at exactly `fd` (used to set up stdio), replacing what was there.
    pub fn install(&mut self, fd: u32, entry: Entry) {
        let index = fd as usize;
        if index >= MAX_FDS {
            return;
        }
        if self.slots.len() <= index {
            self.slots.resize(index + 1, None);
        }
        self.slots[index] = Some(entry);
    }

    /// Removes `fd` without closing pipe ends (for `fd_renumber`, which moves it).
    pub fn take(&mut self, fd: u32) -> Result<Entry, Errno> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::BADF)
    }

    /// `close(fd)`: removes it, and closes its pipe end unless another descriptor of this process
    /// still holds the same end (stdout and stderr often share one pipe).
    pub fn close(&mut self, fd: u32) -> Result<(), Errno> {
        let entry = self.take(fd)?;
        self.release(&entry.fd);
        Ok(())
    }

    /// Closes everything, as the kernel does when a process dies.
    pub fn close_all(&mut self) {
        let slots = std::mem::take(&mut self.slots);
        for entry in slots.into_iter().flatten() {
            self.release(&entry.fd);
        }
    }

    fn release(&self, fd: &Fd) {
        let still_held = |wanted: &Pipe, writer: bool| {
            self.slots.iter().flatten().any(|e| match (&e.fd, writer) {
                (Fd::PipeOut(p), true) | (Fd::PipeIn(p), false) => p.same(wanted),
                _ => false,
            })
        };
        match fd {
            Fd::PipeIn(p) if !still_held(p, false) => p.close_read(),
            Fd::PipeOut(p) if !still_held(p, true) => p.close_write(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_free_slot_and_shared_pipe_ends() {
        let mut t = FdTable::default();
        let out = Pipe::new();
        t.install(1, Entry::new(Fd::PipeOut(out.clone())));
        t.install(2, Entry::new(Fd::PipeOut(out.clone())));
        assert_eq!(t.insert(Entry::new(Fd::Null)), Ok(0));
        assert_eq!(t.insert(Entry::new(Fd::Null)), Ok(3));
        t.close(1).unwrap();
        assert!(!out.writer_closed(), "fd 2 still writes to it");
        assert_eq!(t.close(1), Err(Errno::BADF));
        t.close_all();
        assert!(out.writer_closed());
    }
}
