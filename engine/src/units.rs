//! How Docker writes times and sizes for people: `About a minute ago`, `Up 3 seconds`, `13.3kB`,
//! and RFC 3339 timestamps in `inspect`. These follow Docker's `go-units` rules exactly, because
//! learners compare what they see with the course.

/// Go's `units.HumanDuration` for a duration in milliseconds.
pub fn human_duration(millis: u64) -> String {
    let secs = millis / 1000;
    let minutes = secs / 60;
    let hours = (millis as f64 / 3_600_000.0 + 0.5) as u64;
    if secs < 1 {
        "Less than a second".into()
    } else if secs == 1 {
        "1 second".into()
    } else if secs < 60 {
        format!("{secs} seconds")
    } else if minutes == 1 {
        "About a minute".into()
    } else if minutes < 60 {
        format!("{minutes} minutes")
    } else if hours == 1 {
        "About an hour".into()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        format!("{} years", (millis as f64 / 3_600_000.0 / 24.0 / 365.0) as u64)
    }
}

/// Go's `time.Duration.String()`: `30s`, `1m30s`, `1.5s`, `500ms`, `0s` (health check messages).
pub fn go_duration(nanos: i64) -> String {
    /// `v / div` with the fraction's trailing zeros dropped: `1.5`, `30`.
    fn decimal(v: u64, div: u64) -> String {
        let (whole, rem) = (v / div, v % div);
        if rem == 0 {
            return whole.to_string();
        }
        let width = div.ilog10() as usize;
        format!("{whole}.{}", format!("{rem:0width$}").trim_end_matches('0'))
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    const SEC: u64 = 1_000_000_000;
    let body = match n {
        0 => "0s".to_string(),
        _ if n < 1_000 => format!("{n}ns"),
        _ if n < 1_000_000 => format!("{}µs", decimal(n, 1_000)),
        _ if n < SEC => format!("{}ms", decimal(n, 1_000_000)),
        _ => {
            let (hours, minutes) = (n / (3600 * SEC), n / (60 * SEC) % 60);
            let mut out = String::new();
            if hours > 0 {
                out.push_str(&format!("{hours}h"));
            }
            if hours > 0 || minutes > 0 {
                out.push_str(&format!("{minutes}m"));
            }
            out.push_str(&format!("{}s", decimal(n % (60 * SEC), SEC)));
            out
        }
    };
    format!("{sign}{body}")
}

/// Go's `units.HumanSizeWithPrecision(size, 3)`: decimal units, three significant digits.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{}{}", format_g3(value), UNITS[unit])
}

/// `%.3g` as Go prints it for values below 1000.
fn format_g3(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let digits_before = if v >= 100.0 {
        3
    } else if v >= 10.0 {
        2
    } else {
        1
    };
    let decimals = 3 - digits_before;
    let s = format!("{v:.decimals$}");
    let rounded: f64 = s.parse().unwrap_or(v);
    if rounded >= 1000.0 {
        return "1e+03".into();
    }
    let s = format!("{rounded:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Days since 1970-01-01 -> (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// RFC 3339 with nanoseconds, as Docker's `inspect` shows times: `2024-05-01T09:30:00.123000000Z`.
pub fn rfc3339_nanos(millis: u64) -> String {
    let secs = (millis / 1000) as i64;
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:09}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        (millis % 1000) * 1_000_000
    )
}

/// Go's default `time.Time` formatting, used by `--format '{{.CreatedAt}}'`:
/// `2026-01-15 10:00:00 +0000 UTC`.
pub fn go_time(millis: u64) -> String {
    let iso = rfc3339_nanos(millis);
    format!("{} {} +0000 UTC", &iso[..10], &iso[11..19])
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z` into milliseconds since the epoch.
pub fn parse_rfc3339(s: &str) -> Option<u64> {
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut dp = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, mo, d) = (dp.next()??, dp.next()??, dp.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut tp = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, mi, se) = (tp.next()??, tp.next()??, tp.next()??);
    let millis: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    let days = days_from_civil(y, u32::try_from(mo).ok()?, u32::try_from(d).ok()?);
    let total = ((days * 86_400 + h * 3600 + mi * 60 + se) * 1000) + millis;
    u64::try_from(total).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_docker() {
        assert_eq!(human_duration(400), "Less than a second");
        assert_eq!(human_duration(1_000), "1 second");
        assert_eq!(human_duration(45_000), "45 seconds");
        assert_eq!(human_duration(90_000), "About a minute");
        assert_eq!(human_duration(5 * 60_000), "5 minutes");
        assert_eq!(human_duration(3_600_000), "About an hour");
        assert_eq!(human_duration(5 * 3_600_000), "5 hours");
        assert_eq!(human_duration(3 * 86_400_000), "3 days");
        assert_eq!(human_duration(20 * 86_400_000), "2 weeks");
        assert_eq!(human_duration(90 * 86_400_000), "3 months");
        assert_eq!(human_duration(800 * 86_400_000), "2 years");
    }

    #[test]
    fn go_durations_print_like_go() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(30_000_000_000), "30s");
        assert_eq!(go_duration(90_000_000_000), "1m30s");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(500_000_000), "500ms");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(1_500), "1.5µs");
        assert_eq!(go_duration(-2_000_000_000), "-2s");
    }

    #[test]
    fn sizes_read_like_docker() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(999), "999B");
        assert_eq!(human_size(13_256), "13.3kB");
        assert_eq!(human_size(40_153), "40.2kB");
        assert_eq!(human_size(187_000_000), "187MB");
        assert_eq!(human_size(1_500_000_000), "1.5GB");
        assert_eq!(human_size(7_050_000), "7.05MB");
    }

    #[test]
    fn timestamps_round_trip() {
        let t = parse_rfc3339("2025-01-21T23:32:32.5Z").unwrap();
        assert_eq!(rfc3339_nanos(t), "2025-01-21T23:32:32.500000000Z");
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("garbage"), None);
    }
}
