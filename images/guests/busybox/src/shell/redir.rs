//! Redirections: `<`, `>`, `>|`, `>>`, `<>`, `<&`, `>&`, here-documents. Each one replaces an
//! entry of the shell's descriptor table (`io.rs`); the caller restores the table afterwards.
//! Messages are BusyBox ash's: `can't open 'f': No such file or directory`, `can't create 'f': ...`.

use std::io::Write;
use std::path::Path;
use std::rc::Rc;

use super::ast::{Redir, RedirKind};
use super::io::{Target, SLOTS};
use super::Shell;
use crate::sys::{self, OpenMode};
use crate::util::errstr;

/// Here-document bodies larger than this go through a temporary file instead of a pipe, so the
/// shell never blocks writing a pipe nobody reads yet.
const PIPE_LIMIT: usize = 16 * 1024;

impl Shell {
    /// Applies redirections in order; on error returns the message (the table may be changed).
    pub fn redirect(&mut self, redirs: &[Redir]) -> Result<(), String> {
        for r in redirs {
            let fd = r.fd.unwrap_or_else(|| r.kind.default_fd());
            if fd as usize >= SLOTS {
                return Err(format!("{fd}: Bad file descriptor"));
            }
            let target = match &r.kind {
                RedirKind::In(w) => Some(self.open_target(w, OpenMode::Read)?),
                RedirKind::Out(w) => {
                    let mode = OpenMode::Write;
                    if self.opts.noclobber {
                        let name = self.expand_string(w).map_err(|_| String::new())?;
                        if Path::new(&name).is_file() {
                            return Err(format!("can't create '{name}': File exists"));
                        }
                    }
                    Some(self.open_target(w, mode)?)
                }
                RedirKind::Clobber(w) => Some(self.open_target(w, OpenMode::Write)?),
                RedirKind::Append(w) => Some(self.open_target(w, OpenMode::Append)?),
                RedirKind::ReadWrite(w) => Some(self.open_target(w, OpenMode::ReadWrite)?),
                RedirKind::DupIn(w) | RedirKind::DupOut(w) => {
                    let text = self.expand_string(w).map_err(|_| String::new())?;
                    if text == "-" {
                        None
                    } else {
                        let src: usize = text.parse().map_err(|_| format!("{text}: Bad file descriptor"))?;
                        match self.io.get(src as u32) {
                            Some(t) if src < SLOTS => Some(t.clone()),
                            _ => return Err(format!("{text}: Bad file descriptor")),
                        }
                    }
                }
                RedirKind::HereDoc(doc) => {
                    let body = doc.body.borrow().clone();
                    let text = self.expand_string(&body).map_err(|_| String::new())?;
                    Some(heredoc(text.as_bytes()).map_err(|e| format!("can't create here-document: {}", errstr(&e)))?)
                }
            };
            self.io.set(fd, target);
        }
        Ok(())
    }

    fn open_target(&mut self, w: &super::ast::Word, mode: OpenMode) -> Result<Target, String> {
        let name = self.expand_string(w).map_err(|_| String::new())?;
        match sys::Fd::open(Path::new(&name), mode) {
            Ok(fd) => Ok(Target::Fd(Rc::new(fd))),
            Err(e) => {
                let verb = if mode == OpenMode::Read { "open" } else { "create" };
                Err(format!("can't {verb} '{name}': {}", errstr(&e)))
            }
        }
    }
}

/// A readable descriptor holding `data`: a pipe, or an unlinked temporary file when large.
fn heredoc(data: &[u8]) -> std::io::Result<Target> {
    if data.len() <= PIPE_LIMIT {
        let (r, w) = sys::Fd::pipe()?;
        sys::write_all(w.raw(), data)?;
        drop(w);
        return Ok(Target::Fd(Rc::new(r)));
    }
    let dir = std::env::var("TMPDIR").unwrap_or_else(|_| "/tmp".to_string());
    let path = format!("{dir}/sh-heredoc-{}-{}", sys::getpid(), data.len());
    {
        let mut f = std::fs::File::create(&path)?;
        f.write_all(data)?;
    }
    let fd = sys::Fd::open(Path::new(&path), OpenMode::Read);
    let _ = std::fs::remove_file(&path);
    Ok(Target::Fd(Rc::new(fd?)))
}
