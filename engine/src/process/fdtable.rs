//! A process's file descriptor table, as in `/proc/<pid>/fd`: small integers naming what the
//! process has open. 0, 1 and 2 are stdin, stdout and stderr (bound to pipes or to nothing, like
//! `/dev/null`); 3 is the root directory "/" handed over at start ("preopened": WASI programs can
//! only reach files through a directory descriptor they were given). `open` hands out the lowest
//! free number, as on Linux.

use super::devfs::Device;
use super::errno::Errno;
use super::pipe::PipeEnd;
use super::tty::Tty;
use crate::fs::NodeRef;
use std::cell::Cell;
use std::rc::Rc;

/// Most descriptors one process may hold (Linux's default `ulimit -n`).
pub const MAX_FDS: usize = 1024;

/// `fdflags`: writes go to the end of the file.
pub const FDFLAG_APPEND: u16 = 1;
/// `fdflags`: reads and writes fail with `EAGAIN` instead of waiting.
pub const FDFLAG_NONBLOCK: u16 = 4;
/// WASIX `fdflagsext`: closed in the new image on `exec` and not inherited by spawned children.
pub const FDFLAGEXT_CLOEXEC: u16 = 1;

/// What a descriptor refers to. Cloning it is `dup`: pipe ends gain a holder, a file's position
/// is shared (one open file description, as on Linux).
#[derive(Debug, Clone)]
pub enum Fd {
    /// Stdio bound to nothing: reads see end of file, writes vanish (`/dev/null`).
    Null,
    /// The reading end of a pipe.
    PipeIn(PipeEnd),
    /// The writing end of a pipe.
    PipeOut(PipeEnd),
    /// A terminal (`docker run -t`): a character device, so `isatty` is true.
    Tty(Tty),
    /// A directory; `path` is the absolute path it was opened by, for resolving relative paths.
    Dir {
        node: NodeRef,
        path: String,
        /// The name it was preopened under (`fd_prestat_dir_name`), if it was.
        preopen: Option<String>,
    },
    /// A regular file opened at a position (shared by the descriptor's duplicates).
    File { node: NodeRef, pos: Rc<Cell<u64>>, read: bool, write: bool },
    /// A file of `/proc`, read-only: its content as it was when opened (`path`).
    Snapshot { data: Rc<[u8]>, pos: Rc<Cell<u64>>, path: String },
    /// A directory that is not in the container's filesystem (in `/proc`, or `/dev`): its
    /// entries as they were when opened.
    VDir { path: String, entries: Rc<[VEntry]> },
    /// A device of `/dev` other than `/dev/null` and terminals.
    Device(Device),
    /// A socket (TCP or UDP), shared like a pipe end (see [`crate::network::stack::SocketFd`]).
    Socket(crate::network::stack::SocketFd),
}

/// An entry of a [`Fd::VDir`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VEntry {
    pub name: String,
    /// WASI `filetype`.
    pub filetype: u8,
    pub ino: u64,
}

impl Fd {
    /// The absolute path of a directory descriptor (what paths relative to it start from).
    pub fn dir_path(&self) -> Option<&str> {
        match self {
            Fd::Dir { path, .. } | Fd::VDir { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// One slot of the table: the object and the descriptor's own flags.
#[derive(Debug, Clone)]
pub struct Entry {
    pub fd: Fd,
    /// WASI `fdflags` (append, nonblock).
    pub flags: u16,
    /// WASIX `fdflagsext` (cloexec).
    pub ext: u16,
}

impl Entry {
    pub fn new(fd: Fd) -> Self {
        Self { fd, flags: 0, ext: 0 }
    }
}

/// The table itself.
#[derive(Debug, Default, Clone)]
pub struct FdTable {
    slots: Vec<Option<Entry>>,
}

impl FdTable {
    pub fn get(&self, fd: u32) -> Result<&Entry, Errno> {
        self.slots.get(fd as usize).and_then(Option::as_ref).ok_or(Errno::BADF)
    }

    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.slots.get_mut(fd as usize).and_then(Option::as_mut).ok_or(Errno::BADF)
    }

    /// Puts `entry` in the lowest free slot and returns its number.
    pub fn insert(&mut self, entry: Entry) -> Result<u32, Errno> {
        self.insert_from(0, entry)
    }

    /// Puts `entry` in the lowest free slot numbered at least `min` (`F_DUPFD`).
    pub fn insert_from(&mut self, min: u32, entry: Entry) -> Result<u32, Errno> {
        let min = min as usize;
        if min >= MAX_FDS {
            return Err(Errno::MFILE);
        }
        let index = match (min..self.slots.len()).find(|&i| self.slots[i].is_none()) {
            Some(i) => i,
            None if self.slots.len().max(min) < MAX_FDS => {
                let i = self.slots.len().max(min);
                self.slots.resize(i + 1, None);
                i
            }
            None => return Err(Errno::MFILE),
        };
        self.slots[index] = Some(entry);
        u32::try_from(index).map_err(|_| Errno::MFILE)
    }

    /// Puts `entry` at exactly `fd` (stdio set-up, `dup2`), closing what was there.
    pub fn install(&mut self, fd: u32, entry: Entry) -> Result<(), Errno> {
        let index = fd as usize;
        if index >= MAX_FDS {
            return Err(Errno::BADF);
        }
        if self.slots.len() <= index {
            self.slots.resize(index + 1, None);
        }
        self.slots[index] = Some(entry);
        Ok(())
    }

    /// Removes `fd` and returns its entry (for `fd_renumber`, which moves it).
    pub fn take(&mut self, fd: u32) -> Result<Entry, Errno> {
        self.slots.get_mut(fd as usize).and_then(Option::take).ok_or(Errno::BADF)
    }

    /// `close(fd)`. A pipe end closes when no descriptor anywhere holds it any more.
    pub fn close(&mut self, fd: u32) -> Result<(), Errno> {
        self.take(fd).map(drop)
    }

    /// Closes everything, as the kernel does when a process dies.
    pub fn close_all(&mut self) {
        self.slots.clear();
    }

    /// The descriptors a spawned child or a new `exec` image keeps: all but the close-on-exec
    /// ones.
    pub fn inherited(&self) -> FdTable {
        let slots = self.slots.iter().map(|s| s.clone().filter(|e| e.ext & FDFLAGEXT_CLOEXEC == 0)).collect();
        FdTable { slots }
    }

    /// Every open descriptor, lowest first.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Entry)> {
        (0u32..).zip(&self.slots).filter_map(|(n, e)| e.as_ref().map(|e| (n, e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::pipe::Pipe;

    #[test]
    fn lowest_free_slot_and_shared_pipe_ends() {
        let mut t = FdTable::default();
        let out = Pipe::new();
        let end = PipeEnd::writer(out.clone());
        t.install(1, Entry::new(Fd::PipeOut(end.clone()))).unwrap();
        t.install(2, Entry::new(Fd::PipeOut(end))).unwrap();
        assert_eq!(t.insert(Entry::new(Fd::Null)), Ok(0));
        assert_eq!(t.insert(Entry::new(Fd::Null)), Ok(3));
        assert_eq!(t.insert_from(10, Entry::new(Fd::Null)), Ok(10));
        assert_eq!(t.insert_from(4, Entry::new(Fd::Null)), Ok(4));
        t.close(1).unwrap();
        assert!(!out.writer_closed(), "fd 2 still writes to it");
        assert_eq!(t.close(1), Err(Errno::BADF));
        let child = t.inherited();
        t.close_all();
        assert!(!out.writer_closed(), "a child still holds it");
        drop(child);
        assert!(out.writer_closed());
    }

    #[test]
    fn close_on_exec_descriptors_are_not_inherited() {
        let mut t = FdTable::default();
        let p = Pipe::new();
        let mut e = Entry::new(Fd::PipeIn(PipeEnd::reader(p.clone())));
        e.ext = FDFLAGEXT_CLOEXEC;
        t.install(5, e).unwrap();
        let child = t.inherited();
        assert_eq!(child.get(5).err(), Some(Errno::BADF));
        t.close_all();
        assert!(p.reader_closed());
    }
}
