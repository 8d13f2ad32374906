//! The editor driven key by key against an in-memory filesystem, and the screen it draws.

use super::buffer::Buffer;
use super::editor::{Editor, Files, Mode};
use super::keys::{Decoder, Key};
use super::screen::{render, View};
use std::collections::BTreeMap;
use std::io;

#[derive(Default)]
struct Mem {
    files: BTreeMap<String, Vec<u8>>,
    readonly: Vec<String>,
}

impl Files for Mem {
    fn read(&mut self, path: &str) -> io::Result<Vec<u8>> {
        if self.readonly.iter().any(|p| p == path) && path.starts_with("/root") {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, "Permission denied"));
        }
        self.files.get(path).cloned().ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "No such file"))
    }
    fn write(&mut self, path: &str, data: &[u8]) -> io::Result<()> {
        if self.readonly.iter().any(|p| p == path) {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, "Permission denied"));
        }
        self.files.insert(path.to_string(), data.to_vec());
        Ok(())
    }
    fn read_only(&mut self, path: &str) -> bool {
        self.readonly.iter().any(|p| p == path)
    }
}

fn mem(files: &[(&str, &str)]) -> Mem {
    Mem { files: files.iter().map(|(p, d)| (p.to_string(), d.as_bytes().to_vec())).collect(), ..Mem::default() }
}

/// Types `keys` (raw terminal bytes) into the editor.
fn typed(ed: &mut Editor, fs: &mut Mem, keys: &str) {
    for k in Decoder::default().feed(keys.as_bytes()) {
        ed.key(k, fs);
    }
}

fn text(ed: &Editor) -> String {
    String::from_utf8(ed.buf.to_bytes()).unwrap()
}

fn session(content: &str, keys: &str) -> (Editor, Mem) {
    let mut fs = mem(&[("/f", content)]);
    let mut ed = Editor::open(Some("/f"), false, &mut fs);
    typed(&mut ed, &mut fs, keys);
    (ed, fs)
}

#[test]
fn opening_reports_lines_and_bytes_like_vi() {
    let mut fs = mem(&[("/etc/motd", "one\ntwo\nthree\n"), ("/e", "")]);
    assert_eq!(Editor::open(Some("/etc/motd"), false, &mut fs).status, "\"/etc/motd\" 3L, 14C");
    assert_eq!(Editor::open(Some("/e"), false, &mut fs).status, "\"/e\" 0L, 0C");
    let new = Editor::open(Some("/new.txt"), false, &mut fs);
    assert_eq!(new.status, "\"/new.txt\" [New file]");
    assert!(!new.status_error);
    fs.readonly.push("/etc/motd".into());
    let ro = Editor::open(Some("/etc/motd"), false, &mut fs);
    assert_eq!(ro.status, "\"/etc/motd\" [Readonly] 3L, 14C");
    assert!(ro.readonly);
}

#[test]
fn insert_append_open_and_write() {
    let (ed, fs) = session("b\n", "ia\x1bAc\x1boline2\x1bOline0\x1b:wq\r");
    assert!(ed.quit);
    assert_eq!(fs.files["/f"], b"abc\nline0\nline2\n", "O opens a line above the cursor");
    assert_eq!(ed.status, "\"/f\" 3L, 16C written");
    let (ed, _) = session("x\n", "ofirst\rsecond\x1b");
    assert_eq!(text(&ed), "x\nfirst\nsecond\n");
    assert_eq!((ed.row, ed.col), (2, 5), "Esc steps back onto the last character typed");
}

#[test]
fn motions() {
    let (mut ed, mut fs) = session("abc def\n  ghi\njkl\n", "");
    let mut at = |keys: &str| {
        typed(&mut ed, &mut fs, keys);
        (ed.row, ed.col)
    };
    assert_eq!(at("$"), (0, 6));
    assert_eq!(at("j"), (1, 4), "$ sticks to the end of lines");
    assert_eq!(at("0"), (1, 0));
    assert_eq!(at("^"), (1, 2));
    assert_eq!(at("G"), (2, 0));
    assert_eq!(at("gg"), (0, 0));
    assert_eq!(at("w"), (0, 4));
    assert_eq!(at("b"), (0, 0));
    assert_eq!(at("l\x1b[C"), (0, 2));
    assert_eq!(at("\x1b[B\x1b[B\x1b[A"), (1, 2));
    assert_eq!(at("2G"), (1, 2));
    assert_eq!(at("hhhhhh"), (1, 0), "h stops at the first column");
    assert_eq!(at("10l"), (1, 4), "l stops at the last character");
    assert_eq!(at("k"), (0, 4));
    assert_eq!(at("3G"), (2, 0));
    assert_eq!(at(":1\r"), (0, 0));
    assert_eq!(at(":$\r"), (2, 0));
    assert_eq!(at(":99\r"), (2, 0), "past the end goes to the last line");
}

#[test]
fn delete_yank_put_undo() {
    let (ed, _) = session("1\n2\n3\n4\n", "dd");
    assert_eq!(text(&ed), "2\n3\n4\n");
    let (ed, _) = session("1\n2\n3\n4\n", "2ddp");
    assert_eq!(text(&ed), "3\n1\n2\n4\n");
    let (ed, _) = session("1\n2\n", "yyjpP");
    assert_eq!(text(&ed), "1\n2\n1\n1\n");
    let (ed, _) = session("hello\n", "xx");
    assert_eq!(text(&ed), "llo\n");
    let (ed, _) = session("hello\n", "3x$p");
    assert_eq!(text(&ed), "lohel\n");
    let (mut ed, mut fs) = session("hello\n", "dd");
    assert_eq!(text(&ed), "");
    typed(&mut ed, &mut fs, "u");
    assert_eq!(text(&ed), "hello\n");
    typed(&mut ed, &mut fs, "u");
    assert_eq!(ed.status, "Already at oldest change");
    let (ed, _) = session("abc\n", "A-def\x1bu");
    assert_eq!(text(&ed), "abc\n", "one insertion is one change");
    let (ed, _) = session("abc\n", "lDp");
    assert_eq!(text(&ed), "abc\n", "D yanks what it deletes");
    let (ed, _) = session("a\nb\nc\n", "5dd");
    assert_eq!(text(&ed), "");
    assert_eq!(ed.status, "3 fewer lines");
    let (ed, _) = session("abc\n", "rX");
    assert_eq!(text(&ed), "Xbc\n");
    let (ed, _) = session("a\n  b\n", "J");
    assert_eq!(text(&ed), "a b\n");
}

#[test]
fn search_forward_backward_and_wrap() {
    let (mut ed, mut fs) = session("foo\nbar\nfoo bar\n", "/bar\r");
    assert_eq!((ed.row, ed.col), (1, 0));
    typed(&mut ed, &mut fs, "n");
    assert_eq!((ed.row, ed.col), (2, 4));
    typed(&mut ed, &mut fs, "n");
    assert_eq!((ed.row, ed.col), (1, 0));
    assert_eq!(ed.status, "Search wrapped to top");
    typed(&mut ed, &mut fs, "N");
    assert_eq!((ed.row, ed.col), (2, 4));
    typed(&mut ed, &mut fs, "?foo\r");
    assert_eq!((ed.row, ed.col), (2, 0));
    typed(&mut ed, &mut fs, "/nothing\r");
    assert_eq!((ed.row, ed.col), (2, 0));
    assert_eq!(ed.status, "Pattern not found");
    assert!(ed.status_error);
}

#[test]
fn quitting_rules() {
    let (ed, _) = session("a\n", "x:q\r");
    assert!(!ed.quit);
    assert_eq!(ed.status, "No write since last change (:quit! overrides)");
    let (ed, fs) = session("a\n", "x:q!\r");
    assert!(ed.quit);
    assert_eq!(fs.files["/f"], b"a\n", ":q! leaves the file alone");
    let (ed, fs) = session("a\n", "xZZ");
    assert!(ed.quit);
    assert_eq!(fs.files["/f"], b"");
    let (ed, _) = session("a\n", ":x\r");
    assert!(ed.quit, ":x without changes just quits");
    let (ed, _) = session("a\n", ":frobnicate\r");
    assert_eq!(ed.status, "'frobnicate' is not implemented");
    let (ed, fs) = session("a\n", "ib\x1b:w /g\r");
    assert_eq!(fs.files["/g"], b"ba\n");
    assert!(ed.modified, "writing elsewhere does not save the file itself");
    let (ed, _) = session("a\n", ":w /f2\r");
    assert_eq!(ed.status, "\"/f2\" 1L, 2C written");
    let (ed, _) = session("a\n", ":w /f2\r:w /f2\r");
    assert_eq!(ed.status, "File exists (:w! overrides)");
    let (ed, fs) = session("a\n", ":w /f2\rix\x1b:w! /f2\r");
    assert_eq!(fs.files["/f2"], b"xa\n", ":w! overwrites");
    assert!(!ed.quit);
}

#[test]
fn permission_and_new_files() {
    let mut fs = mem(&[("/etc/motd", "hi\n")]);
    fs.readonly.push("/etc/motd".into());
    let mut ed = Editor::open(Some("/etc/motd"), false, &mut fs);
    typed(&mut ed, &mut fs, "x:w\r");
    assert_eq!(ed.status, "\"/etc/motd\" is read only");
    typed(&mut ed, &mut fs, ":w!\r");
    assert_eq!(ed.status, "\"/etc/motd\" Permission denied");
    assert!(ed.status_error);
    fs.readonly.push("/root/x".into());
    let ed = Editor::open(Some("/root/x"), false, &mut fs);
    assert_eq!(ed.status, "\"/root/x\" Permission denied");
    let mut ed = Editor::open(Some("/new"), false, &mut fs);
    typed(&mut ed, &mut fs, "ihello\x1b:wq\r");
    assert_eq!(fs.files["/new"], b"hello\n");
    let mut ed = Editor::open(None, false, &mut fs);
    typed(&mut ed, &mut fs, "ix\x1b:w\r");
    assert_eq!(ed.status, "No current filename");
}

#[test]
fn binary_files_open_read_only() {
    let mut fs = Mem::default();
    fs.files.insert("/bin/x".into(), vec![0x7f, b'E', 0xff, 0, b'\n']);
    let mut ed = Editor::open(Some("/bin/x"), false, &mut fs);
    assert_eq!(ed.status, "\"/bin/x\" [Binary] [Readonly] 1L, 5C");
    typed(&mut ed, &mut fs, "x:w\r");
    assert_eq!(ed.status, "\"/bin/x\" is read only");
    assert_eq!(fs.files["/bin/x"], vec![0x7f, b'E', 0xff, 0, b'\n']);
}

#[test]
fn keys_decode_escape_sequences() {
    let mut d = Decoder::default();
    assert_eq!(d.feed(b"a\x1b[A\x1bOH\x1b[3~\x1b"), vec![Key::Char('a'), Key::Up, Key::Home, Key::Delete, Key::Esc]);
    assert_eq!(d.feed(b"\x1b[15~x"), vec![Key::Char('x')], "function keys are ignored");
    assert_eq!(d.feed(b"\r\x7f\x07"), vec![Key::Enter, Key::Backspace, Key::Ctrl('g')]);
    assert_eq!(d.feed(b"\xc3"), vec![]);
    assert_eq!(d.feed(b"\xa9"), vec![Key::Char('é')], "a character split across reads");
}

#[test]
fn buffer_round_trip() {
    for s in ["", "a\n", "a\nb\n", "\n\n"] {
        assert_eq!(Buffer::from_bytes(s.as_bytes()).0.to_bytes(), s.as_bytes());
    }
    assert_eq!(Buffer::from_bytes(b"no newline").0.to_bytes(), b"no newline\n");
}

#[test]
fn screen_frame() {
    let (ed, _) = session("one\n\ttab\n", "j$");
    let frame = render(&ed, &mut View::default(), 20, 4);
    assert_eq!(
        frame, "\x1b[Hone\x1b[K\r\n        tab\x1b[K\r\n~\x1b[K\r\n\"/f\" 2L, 9C\x1b[K\x1b[2;11H",
        "tabs expand to 8 columns; the cursor sits on the last character"
    );
    let (mut ed, mut fs) = session(&format!("{}\n", "x".repeat(50)), "$");
    let mut view = View::default();
    let frame = render(&ed, &mut view, 20, 3);
    assert_eq!(view.left, 30, "a long line scrolls sideways to show the cursor");
    assert!(frame.ends_with("\x1b[1;20H"));
    typed(&mut ed, &mut fs, ":wq");
    assert_eq!(ed.mode, Mode::Prompt(':'));
    assert!(render(&ed, &mut view, 20, 3).ends_with(":wq\x1b[K\x1b[3;4H"));
    let many: String = (1..=30).map(|i| format!("{i}\n")).collect();
    let (ed, _) = session(&many, "G");
    let mut view = View::default();
    render(&ed, &mut view, 20, 5);
    assert_eq!(view.top, 26, "the view follows the cursor down");
}
