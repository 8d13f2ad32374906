//! What `-v` writes on stderr, in curl's plain trace format: `* ` for information, `> ` for the
//! request head as sent (line ends included), `< ` for the response head, and `{ [N bytes
//! data]` / `} [N bytes data]` in place of bodies that do not go to the terminal.

use std::io::Write;

/// The verbose trace (a no-op without `-v`).
pub struct Trace<'a> {
    out: Option<&'a mut dyn Write>,
    /// Show `[N bytes data]` markers (the body is not being shown on the terminal).
    markers: bool,
    /// A marker was printed since the last other trace line (curl prints one per run of data).
    traced_data: bool,
}

impl<'a> Trace<'a> {
    pub fn new(out: Option<&'a mut dyn Write>, markers: bool) -> Self {
        Self { out, markers, traced_data: false }
    }

    fn write(&mut self, s: &str) {
        if let Some(o) = self.out.as_mut() {
            let _ = o.write_all(s.as_bytes());
            let _ = o.flush();
        }
    }

    /// `* text`
    pub fn info(&mut self, text: &str) {
        self.traced_data = false;
        self.write(&format!("* {text}\n"));
    }

    /// The request head, each line prefixed with `> `.
    pub fn request(&mut self, head: &str) {
        self.traced_data = false;
        let mut s = String::new();
        for line in head.split_inclusive('\n') {
            s.push_str("> ");
            s.push_str(line);
        }
        self.write(&s);
    }

    /// One response header line (without its line end).
    pub fn response_line(&mut self, line: &str) {
        self.traced_data = false;
        self.write(&format!("< {line}\r\n"));
    }

    /// `n` bytes of body received.
    pub fn data_in(&mut self, n: usize) {
        self.data('{', n);
    }

    /// `n` bytes of body sent.
    pub fn data_out(&mut self, n: usize) {
        self.data('}', n);
    }

    fn data(&mut self, mark: char, n: usize) {
        if self.markers && !self.traced_data && self.out.is_some() {
            self.write(&format!("{mark} [{n} bytes data]\n"));
            self.traced_data = true;
        }
    }
}
