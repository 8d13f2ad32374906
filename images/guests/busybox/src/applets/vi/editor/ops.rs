//! What command-mode keys do to the text: word motions, deleting and yanking (into the one
//! register), putting, joining lines, and undo.

use super::Editor;

impl Editor {
    pub(super) fn is_word(c: char) -> bool {
        c.is_alphanumeric() || c == '_'
    }

    pub(super) fn class(c: char) -> u8 {
        if c.is_whitespace() {
            0
        } else if Self::is_word(c) {
            1
        } else {
            2
        }
    }

    pub(super) fn word_forward(&mut self) {
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

    pub(super) fn word_backward(&mut self) {
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

    pub(super) fn delete_chars(&mut self, count: usize) {
        let len = self.line_len();
        if count == 0 || self.col >= len {
            return;
        }
        self.change();
        let end = (self.col + count).min(len);
        let removed: Vec<char> = self.buf.lines[self.row].drain(self.col..end).collect();
        self.yank = Some((vec![removed], false));
    }

    pub(super) fn delete_lines(&mut self, count: usize) {
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

    pub(super) fn yank_lines(&mut self, count: usize) {
        let end = (self.row + count).min(self.buf.len());
        let lines: Vec<Vec<char>> = self.buf.lines[self.row..end].to_vec();
        if lines.len() >= 3 {
            self.info(format!("{} lines yanked", lines.len()));
        }
        self.yank = Some((lines, true));
    }

    pub(super) fn put(&mut self, after: bool, count: usize) {
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

    pub(super) fn join(&mut self, times: usize) {
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

    pub(super) fn undo(&mut self) {
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
}
