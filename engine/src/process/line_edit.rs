//! Editing one line of a terminal in cooked mode: keystrokes (as xterm.js sends them, VT100
//! escape sequences included) become an edited line, echoed as a shell's readline would:
//! printable characters, backspace, left/right arrows, Home/End, history on up/down, Ctrl-C to
//! abandon the line, Ctrl-U to erase it, Ctrl-W a word. The terminal ([`super::tty`]) hands the
//! finished line to the program reading it.

/// What a batch of keystrokes produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditEvent {
    /// Enter was pressed: the finished line.
    Line(String),
    /// Ctrl-C: the line is dropped and a fresh prompt is wanted.
    Interrupt,
    /// Ctrl-D on an empty line.
    EndOfFile,
    /// Ctrl-L: clear the screen and redraw the prompt.
    Clear,
}

/// A line being edited, the cursor in it, and the history of entered lines.
#[derive(Debug, Default)]
pub struct LineEditor {
    line: Vec<char>,
    cursor: usize,
    history: Vec<String>,
    /// Position while browsing history with up/down (`history.len()` = the new line).
    browse: usize,
    /// The line typed before browsing started, restored when coming back down.
    draft: Vec<char>,
    /// An escape sequence being received.
    pending: Vec<u8>,
    /// A partial UTF-8 character.
    utf8: Vec<u8>,
}

impl LineEditor {
    pub fn new() -> Self {
        Self::default()
    }

    /// The line as typed so far.
    pub fn current(&self) -> String {
        self.line.iter().collect()
    }

    /// Takes the line typed so far (switching to raw mode, Ctrl-D), leaving an empty line.
    pub fn take_partial(&mut self) -> String {
        let line = self.current();
        self.reset();
        line
    }

    /// Ctrl-W: erases the word before the cursor and the spaces after it.
    pub fn erase_word(&mut self, echo: &mut Vec<u8>) {
        while self.cursor > 0 && self.line[self.cursor - 1] == ' ' {
            self.backspace(echo);
        }
        while self.cursor > 0 && self.line[self.cursor - 1] != ' ' {
            self.backspace(echo);
        }
    }

    /// Entered lines, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Replaces the entered lines (a restored session's history).
    pub fn set_history(&mut self, lines: Vec<String>) {
        self.history = lines;
        self.browse = self.history.len();
    }

    /// Feeds keystrokes; appends what to echo to `echo` and returns the events they completed.
    pub fn feed(&mut self, bytes: &[u8], echo: &mut Vec<u8>) -> Vec<EditEvent> {
        let mut events = Vec::new();
        for &b in bytes {
            if !self.pending.is_empty() {
                self.pending.push(b);
                if let Some(seq) = self.complete_escape() {
                    self.escape(&seq, echo);
                }
                continue;
            }
            match b {
                0x1b => self.pending.push(b),
                b'\r' | b'\n' => {
                    echo.extend_from_slice(b"\r\n");
                    let line = self.take_line();
                    events.push(EditEvent::Line(line));
                }
                0x03 => {
                    echo.extend_from_slice(b"^C\r\n");
                    self.reset();
                    events.push(EditEvent::Interrupt);
                }
                0x04 if self.line.is_empty() => events.push(EditEvent::EndOfFile),
                0x0c => events.push(EditEvent::Clear),
                0x7f | 0x08 => self.backspace(echo),
                0x15 => self.kill_line(echo),
                0x01 => self.move_to(0, echo),
                0x05 => self.move_to(self.line.len(), echo),
                b if b < 0x20 => {}
                b => self.push_byte(b, echo),
            }
        }
        events
    }

    /// Returns the whole escape sequence once it is complete (CSI ... final byte, or SS3 x).
    fn complete_escape(&mut self) -> Option<Vec<u8>> {
        let p = &self.pending;
        let done = match p.len() {
            0 | 1 => false,
            2 => !matches!(p[1], b'[' | b'O'),
            _ if p[1] == b'O' => true,
            _ => (0x40..=0x7e).contains(p.last().unwrap_or(&0)),
        };
        if done || p.len() > 16 {
            Some(std::mem::take(&mut self.pending))
        } else {
            None
        }
    }

    fn escape(&mut self, seq: &[u8], echo: &mut Vec<u8>) {
        match seq {
            b"\x1b[A" | b"\x1bOA" => self.history_step(-1, echo),
            b"\x1b[B" | b"\x1bOB" => self.history_step(1, echo),
            b"\x1b[C" | b"\x1bOC" => self.move_to(self.cursor + 1, echo),
            b"\x1b[D" | b"\x1bOD" => self.move_to(self.cursor.saturating_sub(1), echo),
            b"\x1b[H" | b"\x1bOH" | b"\x1b[1~" => self.move_to(0, echo),
            b"\x1b[F" | b"\x1bOF" | b"\x1b[4~" => self.move_to(self.line.len(), echo),
            b"\x1b[3~" => self.delete_at_cursor(echo),
            _ => {}
        }
    }

    fn push_byte(&mut self, b: u8, echo: &mut Vec<u8>) {
        self.utf8.push(b);
        match std::str::from_utf8(&self.utf8) {
            Ok(s) => {
                let chars: Vec<char> = s.chars().collect();
                self.utf8.clear();
                for c in chars {
                    self.insert(c, echo);
                }
            }
            Err(e) if e.error_len().is_some() || self.utf8.len() >= 4 => self.utf8.clear(),
            Err(_) => {}
        }
    }

    fn insert(&mut self, c: char, echo: &mut Vec<u8>) {
        self.line.insert(self.cursor, c);
        self.cursor += 1;
        let tail: String = self.line[self.cursor - 1..].iter().collect();
        echo.extend_from_slice(tail.as_bytes());
        self.cursor_back(self.line.len() - self.cursor, echo);
    }

    fn backspace(&mut self, echo: &mut Vec<u8>) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        self.line.remove(self.cursor);
        echo.extend_from_slice(b"\x08");
        self.redraw_tail(1, echo);
    }

    fn delete_at_cursor(&mut self, echo: &mut Vec<u8>) {
        if self.cursor < self.line.len() {
            self.line.remove(self.cursor);
            self.redraw_tail(1, echo);
        }
    }

    /// Rewrites from the cursor to the end, blanks `erased` leftover cells, puts the cursor back.
    fn redraw_tail(&self, erased: usize, echo: &mut Vec<u8>) {
        let tail: String = self.line[self.cursor..].iter().collect();
        echo.extend_from_slice(tail.as_bytes());
        echo.extend(std::iter::repeat_n(b' ', erased));
        self.cursor_back(self.line.len() - self.cursor + erased, echo);
    }

    fn cursor_back(&self, n: usize, echo: &mut Vec<u8>) {
        match n {
            0 => {}
            // One column: a plain backspace, so erasing at the end echoes the classic `\b \b`.
            1 => echo.push(0x08),
            n => echo.extend_from_slice(format!("\x1b[{n}D").as_bytes()),
        }
    }

    fn move_to(&mut self, pos: usize, echo: &mut Vec<u8>) {
        let pos = pos.min(self.line.len());
        if pos < self.cursor {
            self.cursor_back(self.cursor - pos, echo);
        } else if pos > self.cursor {
            echo.extend_from_slice(format!("\x1b[{}C", pos - self.cursor).as_bytes());
        }
        self.cursor = pos;
    }

    fn kill_line(&mut self, echo: &mut Vec<u8>) {
        let len = self.line.len();
        self.move_to(0, echo);
        self.line.clear();
        self.redraw_tail(len, echo);
    }

    fn replace_line(&mut self, new: Vec<char>, echo: &mut Vec<u8>) {
        let old_len = self.line.len();
        self.move_to(0, echo);
        self.line = new;
        let text: String = self.line.iter().collect();
        echo.extend_from_slice(text.as_bytes());
        let extra = old_len.saturating_sub(self.line.len());
        echo.extend(std::iter::repeat_n(b' ', extra));
        self.cursor_back(extra, echo);
        self.cursor = self.line.len();
    }

    fn history_step(&mut self, delta: isize, echo: &mut Vec<u8>) {
        if self.browse == self.history.len() && delta < 0 {
            self.draft = self.line.clone();
        }
        let next = self.browse as isize + delta;
        if next < 0 || next > self.history.len() as isize {
            return;
        }
        self.browse = next as usize;
        let new = match self.history.get(self.browse) {
            Some(h) => h.chars().collect(),
            None => self.draft.clone(),
        };
        self.replace_line(new, echo);
    }

    fn take_line(&mut self) -> String {
        let line: String = self.line.iter().collect();
        if !line.trim().is_empty() && self.history.last() != Some(&line) {
            self.history.push(line.clone());
        }
        self.reset();
        line
    }

    fn reset(&mut self) {
        self.line.clear();
        self.cursor = 0;
        self.browse = self.history.len();
        self.draft.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_keys(ed: &mut LineEditor, keys: &[u8]) -> (Vec<EditEvent>, String) {
        let mut echo = Vec::new();
        let ev = ed.feed(keys, &mut echo);
        (ev, String::from_utf8_lossy(&echo).into_owned())
    }

    #[test]
    fn typing_and_enter_give_a_line() {
        let mut ed = LineEditor::new();
        let (ev, echo) = type_keys(&mut ed, b"docker ps\r");
        assert_eq!(ev, vec![EditEvent::Line("docker ps".into())]);
        assert_eq!(echo, "docker ps\r\n");
    }

    #[test]
    fn backspace_and_arrows_edit_in_place() {
        let mut ed = LineEditor::new();
        type_keys(&mut ed, b"dockr");
        type_keys(&mut ed, b"\x1b[D");
        type_keys(&mut ed, b"e");
        assert_eq!(ed.current(), "docker");
        type_keys(&mut ed, b"\x1b[F\x7f\x7f");
        assert_eq!(ed.current(), "dock");
    }

    #[test]
    fn history_recalls_previous_lines_and_the_draft() {
        let mut ed = LineEditor::new();
        type_keys(&mut ed, b"one\rtwo\rdraft");
        type_keys(&mut ed, b"\x1b[A");
        assert_eq!(ed.current(), "two");
        type_keys(&mut ed, b"\x1b[A\x1b[A");
        assert_eq!(ed.current(), "one");
        type_keys(&mut ed, b"\x1b[B\x1b[B");
        assert_eq!(ed.current(), "draft");
    }

    #[test]
    fn ctrl_c_drops_the_line_and_utf8_is_kept_whole() {
        let mut ed = LineEditor::new();
        let (ev, _) = type_keys(&mut ed, b"abc\x03");
        assert_eq!(ev, vec![EditEvent::Interrupt]);
        assert_eq!(ed.current(), "");
        type_keys(&mut ed, "é".as_bytes());
        assert_eq!(ed.current(), "é");
    }
}
