//! curl's progress meter, shown on stderr when the body does not go to a terminal and `-s` is
//! not given: a two-line header, then one line redrawn with `\r` (percentages, sizes, speeds,
//! times) and ended by a newline when the transfer is over.

use std::time::Instant;

/// `max5data`: a size in five columns (`  615`, ` 600k`, `12.3M`).
pub fn max5(bytes: u64) -> String {
    const K: u64 = 1024;
    const M: u64 = K * K;
    const G: u64 = M * K;
    if bytes < 100_000 {
        format!("{bytes:>5}")
    } else if bytes < 10_000 * K {
        format!("{:>4}k", bytes / K)
    } else if bytes < 100 * M {
        format!("{:>2}.{}M", bytes / M, (bytes % M) / (M / 10))
    } else if bytes < 10_000 * M {
        format!("{:>4}M", bytes / M)
    } else if bytes < 100 * G {
        format!("{:>2}.{}G", bytes / G, (bytes % G) / (G / 10))
    } else {
        format!("{:>4}G", bytes / G)
    }
}

/// `time2str`: `--:--:--` under a second, else `H:MM:SS` in eight columns.
fn time8(secs: u64) -> String {
    if secs == 0 {
        return "--:--:--".to_string();
    }
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h <= 99 {
        format!("{h:>2}:{m:02}:{s:02}")
    } else {
        format!("{:>3}d {:02}h", h / 24, h % 24)
    }
}

/// One transfer's meter.
#[derive(Debug)]
pub struct Meter {
    start: Instant,
}

pub const HEADER: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

impl Meter {
    pub fn new() -> Self {
        Self { start: Instant::now() }
    }

    /// The line for `down` bytes received of `down_total` (if known) and `up` sent of
    /// `up_total`, starting with `\r`.
    pub fn line(&self, down: u64, down_total: Option<u64>, up: u64, up_total: Option<u64>) -> String {
        let ms = self.start.elapsed().as_millis().max(1) as u64;
        let pct = |cur: u64, total: Option<u64>| match total {
            Some(t) if t > 0 => cur * 100 / t,
            _ => 0,
        };
        let expected = up_total.unwrap_or(up) + down_total.unwrap_or(down);
        let current = up + down;
        let total_pct = (current * 100).checked_div(expected).unwrap_or(0);
        let dl_speed = down * 1000 / ms;
        let ul_speed = up * 1000 / ms;
        let spent = ms / 1000;
        let total_time = if dl_speed > 0 && down_total.is_some() {
            expected * 1000 / (dl_speed + ul_speed).max(1) / 1000
        } else {
            0
        };
        let left = total_time.saturating_sub(spent);
        format!(
            "\r{:>3} {}  {:>3} {}  {:>3} {}  {}  {} {} {} {} {}",
            total_pct,
            max5(expected),
            pct(down, down_total),
            max5(down),
            pct(up, up_total),
            max5(up),
            max5(dl_speed),
            max5(ul_speed),
            time8(total_time),
            time8(spent),
            time8(left),
            max5(dl_speed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_columns() {
        assert_eq!(max5(615), "  615");
        assert_eq!(max5(600 * 1024), " 600k");
        assert_eq!(max5(12 * 1024 * 1024 + 400 * 1024), "12.3M");
        assert_eq!(time8(0), "--:--:--");
        assert_eq!(time8(62), " 0:01:02");
    }

    #[test]
    fn the_start_and_end_lines() {
        let m = Meter::new();
        assert_eq!(
            m.line(0, None, 0, None),
            "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
        );
        let end = m.line(615, Some(615), 0, None);
        assert!(end.starts_with("\r100   615  100   615    0     0 "), "{end}");
        assert!(end.contains(" --:--:-- --:--:-- --:--:-- "), "{end}");
        // Unknown size: the total is what came, the received percentage stays 0.
        assert!(m.line(615, None, 7, Some(7)).starts_with("\r100   622    0   615  100     7 "));
    }
}
