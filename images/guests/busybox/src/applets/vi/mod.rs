//! `vi`: BusyBox's small full-screen editor. The terminal is put in raw mode (no line editing,
//! no echo: WASIX `tty_set`, as `tcsetattr` would), every key is read as it is typed, and the
//! screen is redrawn with ANSI escapes after each one, at the size the terminal reports
//! (`tty_get`, as `ioctl(TIOCGWINSZ)`); a `SIGWINCH` (the window was resized) redraws it.
//!
//! The editing itself ([`editor`]: modes, motions, commands, `:` commands, undo) knows nothing
//! of terminals; [`screen`] turns its state into a frame, [`keys`] turns bytes into keys. This
//! module only connects them to the terminal and the filesystem.

mod buffer;
mod editor;
mod keys;
mod screen;
#[cfg(test)]
mod tests;

use crate::applets::usage_error;
use crate::{sys, util};
use editor::{Editor, Files};
use std::cell::RefCell;
use std::io;

/// The real filesystem.
struct Disk;

impl Files for Disk {
    fn read(&mut self, path: &str) -> io::Result<Vec<u8>> {
        if std::fs::metadata(path)?.is_dir() {
            return Err(io::Error::other("Is a directory"));
        }
        let data = std::fs::read(path)?;
        Ok(data)
    }
    fn write(&mut self, path: &str, data: &[u8]) -> io::Result<()> {
        if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err(io::Error::other("Is a directory"));
        }
        std::fs::write(path, data)
    }
    fn read_only(&mut self, path: &str) -> bool {
        matches!(
            std::fs::OpenOptions::new().append(true).open(path),
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied
        )
    }
}

/// What is on screen: the editor and its view, shared with the signal handler (which redraws
/// on `SIGWINCH` when the main loop is not in the middle of a key).
struct Session {
    ed: Editor,
    view: screen::View,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// The terminal's size, or 80x24 without one.
fn size() -> (usize, usize) {
    sys::terminal_size().unwrap_or((80, 24))
}

fn draw(s: &mut Session) {
    let (cols, rows) = size();
    let frame = screen::render(&s.ed, &mut s.view, cols, rows);
    let _ = sys::write_all(1, frame.as_bytes());
}

/// Puts the terminal back as it was: cooked mode, main screen.
fn leave_screen(cooked: bool) {
    let _ = sys::write_all(1, b"\x1b[?1049l");
    if cooked {
        let _ = sys::set_cooked(true);
    }
}

static WAS_COOKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

fn on_signal(sig: i32) {
    match sig {
        // SIGWINCH: redraw at the new size, unless a key is being handled (it redraws anyway).
        28 => SESSION.with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                if let Some(s) = s.as_mut() {
                    draw(s);
                }
            }
        }),
        // Ignored by default: CHLD, CONT, the stop signals, URG.
        17..=23 => {}
        _ if sys::getpid() == 1 => {}
        _ => {
            leave_screen(WAS_COOKED.load(std::sync::atomic::Ordering::Relaxed));
            std::process::exit(128 + sig);
        }
    }
}

/// Edits one file until `:q`; false when input ended first.
fn edit(path: Option<&str>, readonly: bool, initial: Option<&str>) -> bool {
    let mut disk = Disk;
    let mut ed = Editor::open(path, readonly, &mut disk);
    if let Some(cmd) = initial {
        ed.ex(cmd, &mut disk);
    }
    SESSION.with(|s| *s.borrow_mut() = Some(Session { ed, view: screen::View::default() }));
    let mut decoder = keys::Decoder::default();
    let mut buf = [0u8; 256];
    loop {
        let done = SESSION.with(|s| {
            let mut s = s.borrow_mut();
            let Some(s) = s.as_mut() else { return true };
            if s.ed.quit {
                return true;
            }
            draw(s);
            false
        });
        if done {
            return true;
        }
        let n = match sys::read(0, &mut buf) {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        let keys = decoder.feed(&buf[..n]);
        SESSION.with(|s| {
            if let Some(s) = s.borrow_mut().as_mut() {
                for k in keys {
                    s.ed.key(k, &mut disk);
                    if s.ed.quit {
                        break;
                    }
                }
            }
        });
    }
}

pub fn main(args: &[String]) -> i32 {
    let name = util::basename(&args[0]).to_string();
    let o = match util::opts::parse(&args[1..], "c:RH") {
        Ok(o) => o,
        Err(e) => return usage_error(&name, &e),
    };
    if o.has('H') {
        println!("Vi is a full-screen text editor. This one (BusyBox-style) has: h j k l and arrows, i a A I o O,\nx X D dd yy Y p P J r u, 0 ^ $ w b G gg, /search ?search n N, :w :q :wq :x :q! :N, ZZ ZQ, Ctrl-G.");
        return 0;
    }
    let files: Vec<Option<&str>> =
        if o.operands.is_empty() { vec![None] } else { o.operands.iter().map(|f| Some(f.as_str())).collect() };
    let cooked = sys::set_cooked(false).unwrap_or(false);
    WAS_COOKED.store(cooked, std::sync::atomic::Ordering::Relaxed);
    sys::on_signal(on_signal);
    // The alternate screen: the shell's screen comes back untouched on exit.
    let _ = sys::write_all(1, b"\x1b[?1049h");
    for f in files {
        if !edit(f, o.has('R'), o.value('c')) {
            break;
        }
    }
    SESSION.with(|s| *s.borrow_mut() = None);
    leave_screen(cooked);
    0
}
