//! Keystrokes from a terminal in raw mode: bytes in, keys out. Cursor and editing keys arrive
//! as escape sequences (`ESC [ A` for Up, `ESC O H` for Home, `ESC [ 3 ~` for Delete); an ESC
//! that ends what was read is the Escape key itself.

/// One key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    /// Ctrl-A .. Ctrl-Z (as the lowercase letter), except Tab, Enter and Backspace.
    Ctrl(char),
    Esc,
    Enter,
    Tab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Insert,
}

/// Decodes bytes into keys, keeping an incomplete UTF-8 character for the next read.
#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
}

impl Decoder {
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Key> {
        self.pending.extend_from_slice(bytes);
        let data = std::mem::take(&mut self.pending);
        let mut keys = Vec::new();
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            match b {
                0x1b => {
                    let (key, used) = escape(&data[i + 1..]);
                    keys.extend(key);
                    i += 1 + used;
                    continue;
                }
                b'\r' | b'\n' => keys.push(Key::Enter),
                b'\t' => keys.push(Key::Tab),
                0x7f | 0x08 => keys.push(Key::Backspace),
                1..=0x1a => keys.push(Key::Ctrl(char::from(b'a' + b - 1))),
                0 | 0x1c..=0x1f => {}
                0x20..=0x7e => keys.push(Key::Char(char::from(b))),
                _ => {
                    let len = match b {
                        0xc0..=0xdf => 2,
                        0xe0..=0xef => 3,
                        0xf0..=0xf7 => 4,
                        _ => 1,
                    };
                    if i + len > data.len() {
                        self.pending = data[i..].to_vec();
                        break;
                    }
                    if let Some(c) = std::str::from_utf8(&data[i..i + len]).ok().and_then(|s| s.chars().next()) {
                        keys.push(Key::Char(c));
                    }
                    i += len;
                    continue;
                }
            }
            i += 1;
        }
        keys
    }
}

/// The key an escape sequence stands for (None: a key vi ignores), and how many bytes after
/// ESC it used.
fn escape(rest: &[u8]) -> (Option<Key>, usize) {
    let Some(&kind) = rest.first() else { return (Some(Key::Esc), 0) };
    if kind != b'[' && kind != b'O' {
        return (Some(Key::Esc), 0);
    }
    // `ESC O x` is a key only for the final bytes terminals send; otherwise it is Escape then
    // the `O` command, typed quickly (or piped).
    if kind == b'O' && !rest.get(1).is_some_and(|b| b"ABCDHFPQRS".contains(b)) {
        return (Some(Key::Esc), 0);
    }
    // Parameters (digits and ';'), then the final byte.
    let mut j = 1;
    while j < rest.len() && (rest[j].is_ascii_digit() || rest[j] == b';') {
        j += 1;
    }
    let Some(&fin) = rest.get(j) else { return (Some(Key::Esc), 0) };
    let param = std::str::from_utf8(&rest[1..j]).unwrap_or("");
    let key = match fin {
        b'A' => Key::Up,
        b'B' => Key::Down,
        b'C' => Key::Right,
        b'D' => Key::Left,
        b'H' => Key::Home,
        b'F' => Key::End,
        b'~' => match param.split(';').next().unwrap_or("") {
            "1" | "7" => Key::Home,
            "2" => Key::Insert,
            "3" => Key::Delete,
            "4" | "8" => Key::End,
            "5" => Key::PageUp,
            "6" => Key::PageDown,
            _ => return (None, j + 1),
        },
        // An unknown sequence (a function key) is swallowed whole rather than typed as text.
        _ => return (None, j + 1),
    };
    (Some(key), j + 1)
}
