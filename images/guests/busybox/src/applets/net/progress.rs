//! BusyBox's progress meter (`libbb/progress.c`), as `wget` draws it on stderr:
//! `index.html           100% |********************************|   615  0:00:00 ETA`.
//! On a terminal the line is redrawn in place (`\r`) at most once a second; elsewhere each
//! update is a line of its own.

use std::time::Instant;

/// One transfer's meter.
#[derive(Debug)]
pub struct Meter {
    name: String,
    start: Instant,
    last_update: Option<u64>,
    tty: bool,
    width: usize,
}

impl Meter {
    /// `name` is the file's last path component; `width` the terminal's columns (80 when
    /// stderr is not a terminal, as `get_terminal_width` answers).
    pub fn new(name: &str, tty: bool, width: usize) -> Self {
        Self { name: name.to_string(), start: Instant::now(), last_update: None, tty, width }
    }

    /// The meter after `done` bytes of `total` (0: unknown). Returns the text to write, if this
    /// call draws (`last` always does; others at most once per second).
    pub fn update(&mut self, done: u64, total: u64, last: bool) -> Option<String> {
        let elapsed = self.start.elapsed().as_secs();
        // The first call only starts the clock; then one drawing per second, and the last.
        let first = self.last_update.replace(elapsed);
        if !last && first.is_none_or(|t| t == elapsed) {
            return None;
        }
        Some(self.draw(done, total, elapsed))
    }

    fn draw(&self, done: u64, total: u64, elapsed: u64) -> String {
        let mut s = String::new();
        if self.tty {
            s.push('\r');
        }
        let name: String = self.name.chars().take(20).collect();
        s.push_str(&format!("{name:<20} "));
        if let Some(ratio) = (100 * done.min(total)).checked_div(total) {
            s.push_str(&format!("{ratio:>3}% "));
            let bar = self.width.saturating_sub(48).min(999);
            if bar > 2 {
                let stars = (bar as u64 * done.min(total)).checked_div(total).unwrap_or(0) as usize;
                s.push('|');
                s.push_str(&"*".repeat(stars));
                s.push_str(&" ".repeat(bar - stars));
                s.push_str("| ");
            }
        }
        s.push_str(&size5(done));
        if total == 0 || done == 0 {
            s.push_str(" --:--:-- ETA");
        } else {
            let eta = (total * elapsed / done).saturating_sub(elapsed).min(3600 * 1000 - 1);
            s.push_str(&format!("{:>3}:{:02}:{:02} ETA", eta / 3600, eta % 3600 / 60, eta % 60));
        }
        if !self.tty {
            s.push('\n');
        }
        s
    }
}

/// `smart_ulltoa5`: a size in exactly five columns: `  615`, `99999`, `97.6k`, ` 976k`, `95.3M`.
pub fn size5(n: u64) -> String {
    if n <= 99_999 {
        return format!("{n:>5}");
    }
    let scale = [' ', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
    // Tenths of the scaled value, as BusyBox computes them.
    let mut v = n * 10;
    let mut idx = 0;
    loop {
        v /= 1024;
        idx += 1;
        if v < 100_000 {
            break;
        }
    }
    let (u, tenth) = (v / 10, v % 10);
    if u >= 100 {
        format!("{u:>4}{}", scale[idx])
    } else {
        format!("{u:>2}.{tenth}{}", scale[idx])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_five_columns() {
        assert_eq!(size5(615), "  615");
        assert_eq!(size5(99_999), "99999");
        assert_eq!(size5(100_000), "97.6k");
        assert_eq!(size5(1_000_000), " 976k");
        assert_eq!(size5(1_500_000), "1464k");
        assert_eq!(size5(10_000_000), "9765k");
        assert_eq!(size5(100_000_000), "95.3M");
    }

    #[test]
    fn the_final_line_off_a_terminal() {
        let mut m = Meter::new("index.html", false, 80);
        assert_eq!(
            m.update(615, 615, true).unwrap(),
            "index.html           100% |********************************|   615  0:00:00 ETA\n"
        );
        let mut m = Meter::new("a-very-long-file-name.tar.gz", true, 60);
        assert_eq!(m.update(0, 0, true).unwrap(), "\ra-very-long-file-nam     0 --:--:-- ETA");
        // Intermediate updates wait for the next second.
        let mut m = Meter::new("x", false, 80);
        assert!(m.update(1, 10, false).is_none());
        assert!(m.update(2, 10, false).is_none());
    }
}
