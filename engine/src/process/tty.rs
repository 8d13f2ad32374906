//! The terminal line discipline: what sits between the keyboard and a program's stdin when a
//! container runs with `-t` (`docker run -it`). Like Linux's `n_tty`, it turns keystrokes into
//! what the program reads:
//!
//! - cooked mode (WASIX `line_buffered`, the default): a line is edited before the program sees
//!   it. Typed characters are echoed, Backspace/DEL erases one character, Ctrl-U the whole line,
//!   Ctrl-W a word; Enter hands the line over. Ctrl-D on an empty line is end of file (a `read`
//!   returns 0), otherwise it hands over the line as typed so far. Ctrl-C and Ctrl-\ discard the
//!   line and send `SIGINT`/`SIGQUIT` to the processes attached to the terminal (its foreground
//!   processes);
//! - raw mode (the program turned `line_buffered` off, as editors and line editors do): every
//!   byte goes to the program at once, control characters included, echoed only if `echo` is on.
//!
//! Output: with `line_feeds` on (the default, Linux's `ONLCR`) a program's `\n` reaches the
//! screen as `\r\n`, and typed `\r` (Enter) reaches the program as `\n` (`ICRNL`).
//!
//! The engine side (the browser terminal) holds a [`Tty`] too: it feeds keystrokes with
//! [`Tty::input`], displays [`Tty::take_output`], reports size changes with [`Tty::resize`]
//! (`SIGWINCH`), and detaches with [`Tty::hangup`].

use super::line_edit::{EditEvent, LineEditor};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// `SIGINT`, sent by Ctrl-C.
pub const SIGINT: u8 = 2;
/// `SIGQUIT`, sent by Ctrl-\.
pub const SIGQUIT: u8 = 3;
/// `SIGWINCH`, sent when the window is resized.
pub const SIGWINCH: u8 = 28;

/// Most bytes queued for the program or the screen: past it, typed input is dropped (the bell
/// of a full Linux tty buffer) and program output waits.
pub const TTY_BUFFER: usize = 64 * 1024;

/// The terminal's settings, as WASIX's `tty_get`/`tty_set` exchange them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TtyMode {
    pub cols: u32,
    pub rows: u32,
    /// Screen size in pixels (0 when unknown).
    pub width: u32,
    pub height: u32,
    /// Echo typed input.
    pub echo: bool,
    /// Cooked mode: input is edited and delivered by lines.
    pub line_buffered: bool,
    /// `\n` is written as `\r\n` and typed `\r` read as `\n`.
    pub line_feeds: bool,
}

impl Default for TtyMode {
    fn default() -> Self {
        Self { cols: 80, rows: 24, width: 0, height: 0, echo: true, line_buffered: true, line_feeds: true }
    }
}

/// What programs read: data, or an end-of-file mark (Ctrl-D on an empty line).
#[derive(Debug)]
enum Chunk {
    Data(VecDeque<u8>),
    Eof,
}

#[derive(Debug, Default)]
struct TtyState {
    mode: TtyMode,
    /// The line being edited (cooked mode), with its cursor and the history of entered lines.
    editor: LineEditor,
    /// Ready for programs to read.
    input: VecDeque<Chunk>,
    input_len: usize,
    /// For the screen.
    output: Vec<u8>,
    /// Signals for the foreground processes, oldest first.
    signals: Vec<u8>,
    hung_up: bool,
}

/// A shared handle on one terminal; clones refer to the same terminal.
#[derive(Debug, Clone, Default)]
pub struct Tty(Rc<RefCell<TtyState>>);

impl Tty {
    /// A terminal of `cols` x `rows`, in cooked mode with echo.
    pub fn new(cols: u32, rows: u32) -> Self {
        let tty = Tty::default();
        {
            let mut s = tty.0.borrow_mut();
            s.mode.cols = cols;
            s.mode.rows = rows;
        }
        tty
    }

    /// True when both handles are the same terminal.
    pub fn same(&self, other: &Tty) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    pub fn mode(&self) -> TtyMode {
        self.0.borrow().mode
    }

    /// Applies what a program asked with `tty_set`: echo, cooked/raw, line feeds. The size
    /// belongs to the terminal window and is not changed.
    pub fn set_mode(&self, mode: TtyMode) {
        let mut s = self.0.borrow_mut();
        let was_cooked = s.mode.line_buffered;
        s.mode.echo = mode.echo;
        s.mode.line_buffered = mode.line_buffered;
        s.mode.line_feeds = mode.line_feeds;
        if was_cooked && !mode.line_buffered {
            // Switching to raw mode hands over what was typed so far.
            let line = s.editor.take_partial();
            s.push_input(line.as_bytes());
        }
    }

    /// The lines entered so far, oldest first (the line editor's history).
    pub fn history(&self) -> Vec<String> {
        self.0.borrow().editor.history().to_vec()
    }

    /// Replaces the history (a restored session's).
    pub fn set_history(&self, lines: Vec<String>) {
        self.0.borrow_mut().editor.set_history(lines);
    }

    /// The window was resized: programs see the new size and get `SIGWINCH`.
    pub fn resize(&self, cols: u32, rows: u32) {
        let mut s = self.0.borrow_mut();
        if (s.mode.cols, s.mode.rows) != (cols, rows) {
            s.mode.cols = cols;
            s.mode.rows = rows;
            s.signals.push(SIGWINCH);
        }
    }

    /// Keystrokes from the keyboard, through the line discipline.
    pub fn input(&self, bytes: &[u8]) {
        let mut s = self.0.borrow_mut();
        for &b in bytes {
            s.key(b);
        }
    }

    /// Takes what the screen should show (program output and echo).
    pub fn take_output(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut().output)
    }

    /// Takes the signals the keyboard raised (for the kernel, which sends them to the processes
    /// attached to this terminal).
    pub fn take_signals(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut().signals)
    }

    /// The terminal went away (detach, closed window): reads see end of file, writes vanish.
    pub fn hangup(&self) {
        self.0.borrow_mut().hung_up = true;
    }

    pub fn is_hung_up(&self) -> bool {
        self.0.borrow().hung_up
    }

    /// Bytes a read could return now (0 also when an end-of-file mark waits).
    pub fn readable(&self) -> usize {
        self.0.borrow().input_len
    }

    /// True when a read would not wait (data, an end-of-file mark, or a hang-up).
    pub fn read_ready(&self) -> bool {
        let s = self.0.borrow();
        s.hung_up || !s.input.is_empty()
    }

    /// A program's read: `None` if it must wait; `Some(0)` is end of file. In cooked mode a read
    /// returns at most one line.
    pub fn read(&self, buf: &mut [u8]) -> Option<usize> {
        let mut s = self.0.borrow_mut();
        let cooked = s.mode.line_buffered;
        let Some(front) = s.input.front_mut() else {
            return s.hung_up.then_some(0);
        };
        let data = match front {
            Chunk::Eof => {
                s.input.pop_front();
                return Some(0);
            }
            Chunk::Data(data) => data,
        };
        let mut n = 0;
        while n < buf.len() {
            let Some(b) = data.pop_front() else { break };
            buf[n] = b;
            n += 1;
            if cooked && b == b'\n' {
                break;
            }
        }
        if data.is_empty() {
            s.input.pop_front();
        }
        s.input_len -= n;
        Some(n)
    }

    /// A program's write, with output processing; returns how many bytes were taken (0 when the
    /// screen buffer is full: the writer waits until the terminal drains it).
    pub fn write(&self, bytes: &[u8]) -> usize {
        let mut s = self.0.borrow_mut();
        if s.hung_up {
            return bytes.len();
        }
        let room = TTY_BUFFER.saturating_sub(s.output.len());
        let n = bytes.len().min(room);
        let onlcr = s.mode.line_feeds;
        for &b in &bytes[..n] {
            if onlcr && b == b'\n' {
                s.output.push(b'\r');
            }
            s.output.push(b);
        }
        n
    }

    /// True when a write could take something now.
    pub fn write_ready(&self) -> bool {
        let s = self.0.borrow();
        s.hung_up || s.output.len() < TTY_BUFFER
    }
}

impl TtyState {
    fn push_input(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let room = TTY_BUFFER.saturating_sub(self.input_len);
        let bytes = &bytes[..bytes.len().min(room)];
        self.input_len += bytes.len();
        match self.input.back_mut() {
            Some(Chunk::Data(d)) => d.extend(bytes),
            _ => self.input.push_back(Chunk::Data(bytes.iter().copied().collect())),
        }
    }

    fn echo(&mut self, bytes: &[u8]) {
        if self.mode.echo && self.output.len() < TTY_BUFFER {
            self.output.extend_from_slice(bytes);
        }
    }

    fn key(&mut self, b: u8) {
        let b = if b == b'\r' && self.mode.line_feeds { b'\n' } else { b };
        if !self.mode.line_buffered {
            self.push_input(&[b]);
            if self.mode.echo {
                self.echo(&[b]);
            }
            return;
        }
        match b {
            0x1c => {
                self.editor.take_partial();
                self.interrupt(SIGQUIT, b"^\\\r\n");
            }
            0x17 => {
                let mut echo = Vec::new();
                self.editor.erase_word(&mut echo);
                self.echo(&echo);
            }
            0x04 if !self.editor.current().is_empty() => {
                let line = self.editor.take_partial();
                self.push_input(line.as_bytes());
            }
            _ => {
                let mut echo = Vec::new();
                let events = self.editor.feed(&[b], &mut echo);
                self.echo(&echo);
                for event in events {
                    match event {
                        EditEvent::Line(line) => {
                            let mut bytes = line.into_bytes();
                            bytes.push(b'\n');
                            self.push_input(&bytes);
                        }
                        EditEvent::Interrupt => self.signals.push(SIGINT),
                        EditEvent::EndOfFile => self.input.push_back(Chunk::Eof),
                        // Ctrl-L reaches the program as typed, as in a plain cooked terminal.
                        EditEvent::Clear => self.push_input(&[0x0c]),
                    }
                }
            }
        }
    }

    fn interrupt(&mut self, signal: u8, echo: &[u8]) {
        self.echo(echo);
        self.signals.push(signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(t: &Tty) -> Option<Vec<u8>> {
        let mut buf = [0u8; 256];
        t.read(&mut buf).map(|n| buf[..n].to_vec())
    }

    #[test]
    fn cooked_mode_echoes_and_delivers_whole_lines() {
        let t = Tty::new(80, 24);
        t.input(b"ls -l");
        assert_eq!(read_all(&t), None, "nothing before Enter");
        assert_eq!(t.take_output(), b"ls -l");
        t.input(b"\r");
        assert_eq!(t.take_output(), b"\r\n");
        assert_eq!(read_all(&t), Some(b"ls -l\n".to_vec()));
        assert_eq!(read_all(&t), None);
    }

    #[test]
    fn a_read_returns_one_line_at_most() {
        let t = Tty::new(80, 24);
        t.input(b"a\rb\r");
        assert_eq!(read_all(&t), Some(b"a\n".to_vec()));
        assert_eq!(read_all(&t), Some(b"b\n".to_vec()));
        let mut small = [0u8; 1];
        t.input(b"xy\r");
        assert_eq!(t.read(&mut small), Some(1));
        assert_eq!(read_all(&t), Some(b"y\n".to_vec()));
    }

    #[test]
    fn erase_kill_and_word_erase() {
        let t = Tty::new(80, 24);
        t.input(b"helo\x7f\x7fllo");
        assert_eq!(t.take_output(), b"helo\x08 \x08\x08 \x08llo");
        t.input(b"\r");
        assert_eq!(read_all(&t), Some(b"hello\n".to_vec()));
        t.input(b"junk line\x15ok\r");
        assert_eq!(read_all(&t), Some(b"ok\n".to_vec()));
        t.input(b"echo two words\x17\x17one\r");
        assert_eq!(read_all(&t), Some(b"echo one\n".to_vec()));
        // Backspace on an empty line does nothing; a multi-byte character goes at once.
        t.take_output();
        t.input("\x7fé\x7f!\r".as_bytes());
        assert_eq!(t.take_output(), "é\x08 \x08!\r\n".as_bytes());
        assert_eq!(read_all(&t), Some(b"!\n".to_vec()));
    }

    #[test]
    fn ctrl_c_discards_the_line_and_raises_sigint() {
        let t = Tty::new(80, 24);
        t.input(b"sleep 100\x03");
        assert_eq!(t.take_output(), b"sleep 100^C\r\n");
        assert_eq!(t.take_signals(), vec![SIGINT]);
        assert_eq!(read_all(&t), None);
        t.input(b"\x1c");
        assert_eq!(t.take_signals(), vec![SIGQUIT]);
    }

    #[test]
    fn ctrl_d_is_end_of_file_on_an_empty_line() {
        let t = Tty::new(80, 24);
        t.input(b"abc\x04");
        assert_eq!(read_all(&t), Some(b"abc".to_vec()), "flushes the partial line");
        t.input(b"\x04x\r");
        assert_eq!(read_all(&t), Some(Vec::new()), "end of file first");
        assert_eq!(read_all(&t), Some(b"x\n".to_vec()), "then what came after");
    }

    #[test]
    fn raw_mode_passes_every_byte_and_echo_can_be_off() {
        let t = Tty::new(80, 24);
        let mut mode = t.mode();
        mode.line_buffered = false;
        mode.echo = false;
        mode.cols = 1;
        t.set_mode(mode);
        assert_eq!(t.mode().cols, 80, "the size belongs to the window");
        t.input(b"q\x03\x7f");
        assert_eq!(read_all(&t), Some(b"q\x03\x7f".to_vec()));
        assert!(t.take_signals().is_empty(), "Ctrl-C is a byte in raw mode");
        assert!(t.take_output().is_empty());
    }

    #[test]
    fn output_translates_newlines_and_resize_raises_sigwinch() {
        let t = Tty::new(80, 24);
        assert_eq!(t.write(b"a\nb"), 3);
        assert_eq!(t.take_output(), b"a\r\nb");
        t.resize(100, 30);
        t.resize(100, 30);
        assert_eq!(t.take_signals(), vec![SIGWINCH]);
        assert_eq!((t.mode().cols, t.mode().rows), (100, 30));
        t.hangup();
        assert_eq!(read_all(&t), Some(Vec::new()));
        assert!(t.read_ready());
    }
}
