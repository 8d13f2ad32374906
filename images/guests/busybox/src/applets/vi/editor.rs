//! The editor's state and what each key does to it, with no terminal attached: vi's three
//! modes (command mode where keys are commands, insert mode where they are text, and the
//! bottom-line prompt for `:` commands and `/` searches), a cursor, one yank register, an undo
//! history, and the status-line message. Files are read and written through [`Files`] so the
//! whole editor runs in unit tests.

use super::buffer::{Buffer, MAX_FILE};
use super::keys::Key;
use std::io;

mod ex;
mod ops;

/// How the editor reaches files (the real filesystem, or a map in tests).
pub trait Files {
    fn read(&mut self, path: &str) -> io::Result<Vec<u8>>;
    fn write(&mut self, path: &str, data: &[u8]) -> io::Result<()>;
    /// Whether the file exists but may not be written by this user.
    fn read_only(&mut self, path: &str) -> bool;
}

/// Undo keeps this many changes.
const UNDO_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Command,
    Insert,
    /// Typing after `:`, `/` or `?` on the bottom line.
    Prompt(char),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    buf: Buffer,
    row: usize,
    col: usize,
}

#[derive(Debug)]
pub struct Editor {
    pub buf: Buffer,
    pub row: usize,
    /// Column of the cursor, in characters.
    pub col: usize,
    /// The column vertical moves try to keep (`usize::MAX` after `$`).
    want_col: usize,
    pub mode: Mode,
    /// What was typed on the bottom line after the prompt character.
    pub prompt: String,
    /// A count and an operator waiting for the rest of the command (`3`, `d`, `g`, `Z`...).
    pending: String,
    yank: Option<(Vec<Vec<char>>, bool)>,
    undo: Vec<Snapshot>,
    pub status: String,
    pub status_error: bool,
    last_search: Option<(Vec<char>, bool)>,
    pub filename: Option<String>,
    pub readonly: bool,
    pub modified: bool,
    pub quit: bool,
}

/// `"name"`, as status messages quote file names.
fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

fn errno_text(e: &io::Error) -> String {
    crate::util::errstr(e)
}

impl Editor {
    /// An editor on `path` (or no file): loads it and sets the opening message, as vi shows
    /// it: `"/etc/motd" 3L, 54C`, `"new.txt" [New file]`, `"/etc/shadow" Permission denied`.
    pub fn open(path: Option<&str>, readonly: bool, files: &mut dyn Files) -> Editor {
        let mut ed = Editor {
            buf: Buffer::default(),
            row: 0,
            col: 0,
            want_col: 0,
            mode: Mode::Command,
            prompt: String::new(),
            pending: String::new(),
            yank: None,
            undo: Vec::new(),
            status: String::new(),
            status_error: false,
            last_search: None,
            filename: path.map(str::to_string),
            readonly,
            modified: false,
            quit: false,
        };
        let Some(path) = path else { return ed };
        match files.read(path) {
            Ok(bytes) if bytes.len() > MAX_FILE => {
                ed.readonly = true;
                ed.error(format!("{} File too big", quoted(path)));
            }
            Ok(bytes) => {
                let (buf, loaded) = Buffer::from_bytes(&bytes);
                ed.buf = buf;
                let mut flags = String::new();
                if loaded.binary {
                    // Saving the lossy text would corrupt the file: refuse to write it.
                    ed.readonly = true;
                    flags.push_str(" [Binary]");
                }
                if ed.readonly || files.read_only(path) {
                    ed.readonly = true;
                    flags.push_str(" [Readonly]");
                }
                let (l, c) = (ed.buf.len(), bytes.len());
                let l = if bytes.is_empty() { 0 } else { l };
                ed.info(format!("{}{flags} {l}L, {c}C", quoted(path)));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => ed.info(format!("{} [New file]", quoted(path))),
            Err(e) => {
                ed.readonly = ed.readonly || e.kind() == io::ErrorKind::PermissionDenied;
                ed.error(format!("{} {}", quoted(path), errno_text(&e)));
            }
        }
        ed
    }

    fn info(&mut self, msg: String) {
        self.status = msg;
        self.status_error = false;
    }

    fn error(&mut self, msg: String) {
        self.status = msg;
        self.status_error = true;
    }

    fn line_len(&self) -> usize {
        self.buf.line(self.row).len()
    }

    /// The last column the cursor may rest on in command mode.
    fn last_col(&self) -> usize {
        self.line_len().saturating_sub(1)
    }

    fn clamp(&mut self) {
        self.row = self.row.min(self.buf.len() - 1);
        let max = if self.mode == Mode::Insert { self.line_len() } else { self.last_col() };
        self.col = self.col.min(max);
    }

    /// Moves to `row`, keeping the wanted column.
    fn goto_row(&mut self, row: usize) {
        self.row = row.min(self.buf.len() - 1);
        self.col = self.want_col;
        self.clamp();
    }

    fn first_non_blank(&mut self) {
        self.col = self.buf.line(self.row).iter().position(|c| !c.is_whitespace()).unwrap_or(0);
        self.clamp();
        self.want_col = self.col;
    }

    fn save_undo(&mut self) {
        self.undo.push(Snapshot { buf: self.buf.clone(), row: self.row, col: self.col });
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
    }

    /// Records a change about to happen (undo point, modified flag).
    fn change(&mut self) {
        self.save_undo();
        self.modified = true;
    }

    /// Handles one key.
    pub fn key(&mut self, key: Key, files: &mut dyn Files) {
        match self.mode {
            Mode::Insert => self.insert_key(key),
            Mode::Prompt(p) => self.prompt_key(p, key, files),
            Mode::Command => {
                self.command_key(key, files);
                self.clamp();
            }
        }
    }

    fn insert_key(&mut self, key: Key) {
        match key {
            Key::Esc => {
                self.mode = Mode::Command;
                self.col = self.col.saturating_sub(1);
                self.want_col = self.col;
                self.status.clear();
            }
            Key::Char(c) => self.insert_char(c),
            Key::Tab => self.insert_char('\t'),
            Key::Enter => {
                let rest = self.buf.lines[self.row].split_off(self.col);
                self.buf.lines.insert(self.row + 1, rest);
                self.row += 1;
                self.col = 0;
                self.modified = true;
            }
            Key::Backspace => {
                if self.col > 0 {
                    self.col -= 1;
                    self.buf.lines[self.row].remove(self.col);
                    self.modified = true;
                } else if self.row > 0 {
                    let line = self.buf.lines.remove(self.row);
                    self.row -= 1;
                    self.col = self.buf.lines[self.row].len();
                    self.buf.lines[self.row].extend(line);
                    self.modified = true;
                }
            }
            Key::Delete if self.col < self.line_len() => {
                self.buf.lines[self.row].remove(self.col);
                self.modified = true;
            }
            Key::Left => self.col = self.col.saturating_sub(1),
            Key::Right => self.col = (self.col + 1).min(self.line_len()),
            Key::Up => self.goto_row(self.row.saturating_sub(1)),
            Key::Down => self.goto_row(self.row + 1),
            Key::Home => self.col = 0,
            Key::End => self.col = self.line_len(),
            _ => {}
        }
        if !matches!(key, Key::Up | Key::Down) {
            self.want_col = self.col;
        }
    }

    fn insert_char(&mut self, c: char) {
        self.buf.lines[self.row].insert(self.col, c);
        self.col += 1;
        self.modified = true;
    }

    /// Starts insert mode (one undo step for the whole insertion).
    fn start_insert(&mut self) {
        self.change();
        self.mode = Mode::Insert;
        self.info("-- INSERT --".into());
    }

    fn start_prompt(&mut self, p: char) {
        self.mode = Mode::Prompt(p);
        self.prompt.clear();
    }

    /// The count typed before a command (1 when none).
    fn take_count(&mut self) -> (usize, bool) {
        let digits: String = self.pending.chars().take_while(char::is_ascii_digit).collect();
        self.pending.drain(..digits.len());
        match digits.parse::<usize>() {
            Ok(n) if n > 0 => (n.min(1_000_000), true),
            _ => (1, false),
        }
    }

    fn command_key(&mut self, key: Key, files: &mut dyn Files) {
        let c = match key {
            Key::Char(c) => c,
            Key::Esc => {
                self.pending.clear();
                return;
            }
            other => {
                self.pending.clear();
                return self.command_special(other);
            }
        };
        // Operators waiting for their second key: dd, yy, gg, ZZ/ZQ, r<char>.
        let op = self.pending.trim_start_matches(|p: char| p.is_ascii_digit()).to_string();
        let counting = self.pending.chars().last().is_some_and(|p| p.is_ascii_digit());
        if c.is_ascii_digit() && (c != '0' || counting) && (op.is_empty() || op != "r") {
            self.pending.push(c);
            return;
        }
        if !op.is_empty() {
            let (count, _) = self.take_count();
            self.pending.clear();
            return self.operator(&op, c, count, files);
        }
        let (count, counted) = self.take_count();
        match c {
            'd' | 'y' | 'g' | 'Z' | 'r' => {
                if counted {
                    self.pending = count.to_string();
                }
                self.pending.push(c);
            }
            'h' => self.col = self.col.saturating_sub(count),
            'l' | ' ' => self.col = (self.col + count).min(self.last_col()),
            'j' | '+' => {
                self.goto_row(self.row + count);
                if c == '+' {
                    self.first_non_blank();
                }
            }
            'k' | '-' => {
                self.goto_row(self.row.saturating_sub(count));
                if c == '-' {
                    self.first_non_blank();
                }
            }
            '0' => self.col = 0,
            '^' => self.first_non_blank(),
            '$' => {
                self.goto_row(self.row + count - 1);
                self.col = self.last_col();
                self.want_col = usize::MAX;
                return;
            }
            'G' => {
                self.row = if counted { count - 1 } else { self.buf.len() - 1 }.min(self.buf.len() - 1);
                self.first_non_blank();
            }
            'w' => (0..count).for_each(|_| self.word_forward()),
            'b' => (0..count).for_each(|_| self.word_backward()),
            'x' => self.delete_chars(count),
            'X' => {
                let n = count.min(self.col);
                self.col -= n;
                self.delete_chars(n);
            }
            'D' if self.col < self.line_len() => {
                self.change();
                let removed = self.buf.lines[self.row].split_off(self.col);
                self.yank = Some((vec![removed], false));
            }
            'Y' => self.yank_lines(count),
            'p' => self.put(true, count),
            'P' => self.put(false, count),
            'u' => self.undo(),
            'J' => self.join(count.max(2) - 1),
            'i' => self.start_insert(),
            'a' => {
                self.start_insert();
                self.col = (self.col + 1).min(self.line_len());
            }
            'A' => {
                self.start_insert();
                self.col = self.line_len();
            }
            'I' => {
                self.first_non_blank();
                self.start_insert();
            }
            'o' | 'O' => {
                self.start_insert();
                let at = if c == 'o' { self.row + 1 } else { self.row };
                self.buf.lines.insert(at, Vec::new());
                self.row = at;
                self.col = 0;
            }
            'n' | 'N' => match self.last_search.clone() {
                Some((pat, fwd)) => self.search(&pat, if c == 'n' { fwd } else { !fwd }),
                None => self.error("No previous search".into()),
            },
            ':' | '/' | '?' => self.start_prompt(c),
            _ => {}
        }
        if !matches!(c, 'j' | 'k' | 'G' | '$') {
            self.want_col = self.col;
        }
    }

    fn command_special(&mut self, key: Key) {
        match key {
            Key::Left | Key::Backspace => self.col = self.col.saturating_sub(1),
            Key::Right => self.col = (self.col + 1).min(self.last_col()),
            Key::Up => self.goto_row(self.row.saturating_sub(1)),
            Key::Down | Key::Enter => {
                self.goto_row(self.row + 1);
                if key == Key::Enter {
                    self.first_non_blank();
                }
            }
            Key::Home => self.col = 0,
            Key::End => self.col = self.last_col(),
            Key::PageUp | Key::Ctrl('b') => self.goto_row(self.row.saturating_sub(20)),
            Key::PageDown | Key::Ctrl('f') => self.goto_row(self.row + 20),
            Key::Delete => self.delete_chars(1),
            Key::Insert => self.start_insert(),
            Key::Ctrl('g') => self.file_status(),
            _ => {}
        }
        if !matches!(key, Key::Up | Key::Down | Key::PageUp | Key::PageDown | Key::Ctrl(_)) {
            self.want_col = self.col;
        }
    }

    fn operator(&mut self, op: &str, c: char, count: usize, files: &mut dyn Files) {
        match (op, c) {
            ("d", 'd') => self.delete_lines(count),
            ("y", 'y') => self.yank_lines(count),
            ("g", 'g') => {
                self.row = count.saturating_sub(1).min(self.buf.len() - 1);
                self.first_non_blank();
            }
            ("Z", 'Z') => self.ex("x", files),
            ("Z", 'Q') => self.ex("q!", files),
            ("r", c) if self.col + count <= self.line_len() => {
                self.change();
                for i in 0..count {
                    self.buf.lines[self.row][self.col + i] = c;
                }
                self.col += count - 1;
            }
            _ => {}
        }
    }
}
