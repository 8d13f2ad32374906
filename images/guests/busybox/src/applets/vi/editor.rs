//! The editor's state and what each key does to it, with no terminal attached: vi's three
//! modes (command mode where keys are commands, insert mode where they are text, and the
//! bottom-line prompt for `:` commands and `/` searches), a cursor, one yank register, an undo
//! history, and the status-line message. Files are read and written through [`Files`] so the
//! whole editor runs in unit tests.

use super::buffer::{Buffer, MAX_FILE};
use super::keys::Key;
use std::io;

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

    fn file_status(&mut self) {
        let name = self.filename.clone().unwrap_or_else(|| "No file".into());
        let total = if self.buf.is_empty() { 0 } else { self.buf.len() };
        let pct = ((self.row + 1) * 100).checked_div(total).unwrap_or(0);
        let flags = format!(
            "{}{}",
            if self.modified { " [Modified]" } else { "" },
            if self.readonly { " [Readonly]" } else { "" }
        );
        self.info(format!("{}{flags} {}/{total} {pct}%", quoted(&name), self.row + 1));
    }

    fn is_word(c: char) -> bool {
        c.is_alphanumeric() || c == '_'
    }

    fn class(c: char) -> u8 {
        if c.is_whitespace() {
            0
        } else if Self::is_word(c) {
            1
        } else {
            2
        }
    }

    fn word_forward(&mut self) {
        let line = self.buf.line(self.row).to_vec();
        let mut i = self.col;
        if i < line.len() {
            let k = Self::class(line[i]);
            while i < line.len() && Self::class(line[i]) == k && k != 0 {
                i += 1;
            }
        }
        while i < line.len() && line[i].is_whitespace() {
            i += 1;
        }
        if i >= line.len() && self.row + 1 < self.buf.len() {
            self.row += 1;
            self.col = 0;
            let next = self.buf.line(self.row);
            self.col = next.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
        } else {
            self.col = i.min(line.len().saturating_sub(1));
        }
    }

    fn word_backward(&mut self) {
        if self.col == 0 {
            if self.row > 0 {
                self.row -= 1;
                self.col = self.last_col();
            }
            return;
        }
        let line = self.buf.line(self.row).to_vec();
        let mut i = self.col.min(line.len());
        while i > 0 && line[i - 1].is_whitespace() {
            i -= 1;
        }
        if i > 0 {
            let k = Self::class(line[i - 1]);
            while i > 0 && Self::class(line[i - 1]) == k {
                i -= 1;
            }
        }
        self.col = i;
    }

    fn delete_chars(&mut self, count: usize) {
        let len = self.line_len();
        if count == 0 || self.col >= len {
            return;
        }
        self.change();
        let end = (self.col + count).min(len);
        let removed: Vec<char> = self.buf.lines[self.row].drain(self.col..end).collect();
        self.yank = Some((vec![removed], false));
    }

    fn delete_lines(&mut self, count: usize) {
        self.change();
        let end = (self.row + count).min(self.buf.len());
        let removed: Vec<Vec<char>> = self.buf.lines.drain(self.row..end).collect();
        if self.buf.lines.is_empty() {
            self.buf.lines.push(Vec::new());
        }
        if removed.len() >= 3 {
            self.info(format!("{} fewer lines", removed.len()));
        }
        self.yank = Some((removed, true));
        self.row = self.row.min(self.buf.len() - 1);
        self.first_non_blank();
    }

    fn yank_lines(&mut self, count: usize) {
        let end = (self.row + count).min(self.buf.len());
        let lines: Vec<Vec<char>> = self.buf.lines[self.row..end].to_vec();
        if lines.len() >= 3 {
            self.info(format!("{} lines yanked", lines.len()));
        }
        self.yank = Some((lines, true));
    }

    fn put(&mut self, after: bool, count: usize) {
        let Some((text, linewise)) = self.yank.clone() else {
            return self.error("Nothing in register".into());
        };
        self.change();
        if linewise {
            let at = if after { self.row + 1 } else { self.row };
            let mut block = Vec::new();
            for _ in 0..count {
                block.extend(text.iter().cloned());
            }
            self.buf.lines.splice(at..at, block);
            self.row = at;
            self.first_non_blank();
        } else {
            let piece: Vec<char> = text.concat().repeat(count);
            let at = if after && self.line_len() > 0 { self.col + 1 } else { self.col };
            let at = at.min(self.line_len());
            let n = piece.len();
            self.buf.lines[self.row].splice(at..at, piece);
            self.col = at + n.saturating_sub(1);
        }
    }

    fn join(&mut self, times: usize) {
        if self.row + 1 >= self.buf.len() {
            return;
        }
        self.change();
        for _ in 0..times {
            if self.row + 1 >= self.buf.len() {
                break;
            }
            let next = self.buf.lines.remove(self.row + 1);
            let next: Vec<char> = next.into_iter().skip_while(|c| c.is_whitespace()).collect();
            let line = &mut self.buf.lines[self.row];
            while line.last().is_some_and(|c| c.is_whitespace()) {
                line.pop();
            }
            self.col = line.len();
            if !next.is_empty() && !line.is_empty() {
                line.push(' ');
            }
            line.extend(next);
        }
    }

    fn undo(&mut self) {
        match self.undo.pop() {
            Some(s) => {
                self.buf = s.buf;
                self.row = s.row;
                self.col = s.col;
                self.modified = true;
                self.status.clear();
            }
            None => self.info("Already at oldest change".into()),
        }
    }

    fn search(&mut self, pattern: &[char], forward: bool) {
        match self.buf.find(pattern, self.row, self.col, forward) {
            Some((row, col, wrapped)) => {
                self.row = row;
                self.col = col;
                if wrapped {
                    self.info(if forward { "Search wrapped to top" } else { "Search wrapped to bottom" }.into());
                } else {
                    self.status.clear();
                }
            }
            None => self.error("Pattern not found".into()),
        }
    }

    fn prompt_key(&mut self, p: char, key: Key, files: &mut dyn Files) {
        match key {
            Key::Esc => self.mode = Mode::Command,
            Key::Backspace if self.prompt.is_empty() => self.mode = Mode::Command,
            Key::Backspace => {
                self.prompt.pop();
            }
            Key::Char(c) => self.prompt.push(c),
            Key::Tab => self.prompt.push('\t'),
            Key::Enter => {
                self.mode = Mode::Command;
                let text = std::mem::take(&mut self.prompt);
                if p == ':' {
                    self.ex(&text, files);
                } else {
                    let forward = p == '/';
                    let pat: Vec<char> = if text.is_empty() {
                        match &self.last_search {
                            Some((pat, _)) => pat.clone(),
                            None => return self.error("No previous regular expression".into()),
                        }
                    } else {
                        text.chars().collect()
                    };
                    self.last_search = Some((pat.clone(), forward));
                    self.search(&pat, forward);
                }
                self.want_col = self.col;
                self.clamp();
            }
            _ => {}
        }
    }

    /// Runs a `:` command.
    pub fn ex(&mut self, line: &str, files: &mut dyn Files) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        if let Some(row) = self.address(line) {
            self.row = row;
            self.first_non_blank();
            return;
        }
        let (cmd, arg) = match line.find(|c: char| c.is_whitespace()) {
            Some(i) => (&line[..i], line[i..].trim()),
            None => (line, ""),
        };
        let (cmd, force) = match cmd.strip_suffix('!') {
            Some(c) => (c, true),
            None => (cmd, false),
        };
        let arg = (!arg.is_empty()).then_some(arg);
        match cmd {
            "q" | "quit" => {
                if self.modified && !force {
                    self.error("No write since last change (:quit! overrides)".into());
                } else {
                    self.quit = true;
                }
            }
            "w" | "write" | "wq" | "x" | "exit" => {
                let quit = cmd != "w" && cmd != "write";
                if (cmd == "x" || cmd == "exit") && !self.modified && arg.is_none() {
                    self.quit = true;
                    return;
                }
                if self.write(arg, force, files) && quit {
                    self.quit = true;
                }
            }
            "f" | "file" => self.file_status(),
            _ => self.error(format!("'{line}' is not implemented")),
        }
    }

    /// A line address (`12`, `$`, `.`, `+2`): the row it names.
    fn address(&self, s: &str) -> Option<usize> {
        let last = self.buf.len() - 1;
        if s == "$" {
            return Some(last);
        }
        if s == "." {
            return Some(self.row);
        }
        if let Some(n) = s.strip_prefix('+').and_then(|n| n.parse::<usize>().ok()) {
            return Some((self.row + n).min(last));
        }
        if let Some(n) = s.strip_prefix('-').and_then(|n| n.parse::<usize>().ok()) {
            return Some(self.row.saturating_sub(n));
        }
        s.parse::<usize>().ok().map(|n| n.saturating_sub(1).min(last))
    }

    /// `:w [FILE]`: true when written.
    fn write(&mut self, arg: Option<&str>, force: bool, files: &mut dyn Files) -> bool {
        let Some(name) = arg.map(str::to_string).or_else(|| self.filename.clone()) else {
            self.error("No current filename".into());
            return false;
        };
        let same = Some(&name) == self.filename.as_ref();
        if same && self.readonly && !force {
            self.error(format!("{} is read only", quoted(&name)));
            return false;
        }
        if !same && !force && files.read(&name).is_ok() {
            self.error("File exists (:w! overrides)".into());
            return false;
        }
        let data = self.buf.to_bytes();
        match files.write(&name, &data) {
            Ok(()) => {
                let (l, c) = self.buf.counts();
                self.info(format!("{} {l}L, {c}C written", quoted(&name)));
                if self.filename.is_none() {
                    self.filename = Some(name);
                    self.modified = false;
                } else if same {
                    self.modified = false;
                }
                true
            }
            Err(e) => {
                self.error(format!("{} {}", quoted(&name), errno_text(&e)));
                false
            }
        }
    }
}
