//! The text being edited: a list of lines of characters, loaded from and saved to bytes.
//!
//! A file is split at `\n`; a final newline is implied, as in vi (a file without one gets it
//! when written). Text that is not UTF-8, or holds NUL bytes, cannot be written back unchanged:
//! [`Buffer::from_bytes`] says so and the editor opens such a file read-only.

/// The largest file the editor loads (its memory is the program's own).
pub const MAX_FILE: usize = 16 * 1024 * 1024;

/// Lines of text; there is always at least one (possibly empty) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    pub lines: Vec<Vec<char>>,
}

impl Default for Buffer {
    fn default() -> Self {
        Buffer { lines: vec![Vec::new()] }
    }
}

/// What loading found besides the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loaded {
    /// Some bytes were not UTF-8 text, or were NUL: saving would change the file.
    pub binary: bool,
}

impl Buffer {
    /// The lines of `bytes` (a lossy decoding when they are not text).
    pub fn from_bytes(bytes: &[u8]) -> (Buffer, Loaded) {
        let (text, binary) = match std::str::from_utf8(bytes) {
            Ok(s) => (std::borrow::Cow::Borrowed(s), s.contains('\0')),
            Err(_) => (String::from_utf8_lossy(bytes), true),
        };
        let body = text.strip_suffix('\n').unwrap_or(&text);
        let lines: Vec<Vec<char>> =
            if bytes.is_empty() { vec![Vec::new()] } else { body.split('\n').map(|l| l.chars().collect()).collect() };
        (Buffer { lines }, Loaded { binary })
    }

    /// The file's bytes: every line ends with `\n` (an empty buffer is an empty file).
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut s = String::new();
        for l in &self.lines {
            s.extend(l.iter());
            s.push('\n');
        }
        s.into_bytes()
    }

    /// True for a single empty line (vi's "empty file").
    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn line(&self, row: usize) -> &[char] {
        self.lines.get(row).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Lines and bytes, as the status line counts them (`3L, 54C`).
    pub fn counts(&self) -> (usize, usize) {
        if self.is_empty() {
            return (0, 0);
        }
        (self.lines.len(), self.to_bytes().len())
    }

    /// The first row at or after `from` (wrapping around) whose text contains `pattern`, and
    /// the column of the match; `forward` false searches backwards. The search starts just
    /// after (or before) column `col` of row `from`. Returns the match and whether it wrapped.
    pub fn find(&self, pattern: &[char], from: usize, col: usize, forward: bool) -> Option<(usize, usize, bool)> {
        if pattern.is_empty() {
            return None;
        }
        let n = self.lines.len();
        let hit_in = |row: usize, range: std::ops::Range<usize>, last: bool| -> Option<usize> {
            let line = &self.lines[row];
            let cols: Vec<usize> =
                (0..line.len()).filter(|&c| range.contains(&c) && line[c..].starts_with(pattern)).collect();
            if last {
                cols.last().copied()
            } else {
                cols.first().copied()
            }
        };
        if forward {
            if let Some(c) = hit_in(from, col + 1..usize::MAX, false) {
                return Some((from, c, false));
            }
            for i in 1..=n {
                let row = (from + i) % n;
                let wrapped = from + i >= n;
                let range = if i == n { 0..col + 1 } else { 0..usize::MAX };
                if let Some(c) = hit_in(row, range, false) {
                    return Some((row, c, wrapped));
                }
            }
        } else {
            if let Some(c) = hit_in(from, 0..col, true) {
                return Some((from, c, false));
            }
            for i in 1..=n {
                let row = (from + n * 2 - i) % n;
                let wrapped = i > from;
                let range = if i == n { col..usize::MAX } else { 0..usize::MAX };
                if let Some(c) = hit_in(row, range, true) {
                    return Some((row, c, wrapped));
                }
            }
        }
        None
    }
}
