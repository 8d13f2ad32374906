//! The bottom line: `:` commands (`:w`, `:q`, `:wq`, `:x`, `:12`, `:$`, `:f`), `/` and `?`
//! searches, and the file status (`Ctrl-G`) with busybox vi's messages.

use super::{errno_text, quoted, Editor, Files, Mode};
use crate::applets::vi::keys::Key;

impl Editor {
    pub(super) fn file_status(&mut self) {
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

    pub(super) fn search(&mut self, pattern: &[char], forward: bool) {
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

    pub(super) fn prompt_key(&mut self, p: char, key: Key, files: &mut dyn Files) {
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
