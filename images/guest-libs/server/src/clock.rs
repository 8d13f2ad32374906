//! Wall-clock time as the servers' logs and HTTP headers print it. Containers run in UTC, so
//! every format here is UTC (`+0000`, `GMT`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// A UTC date and time, broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1 to 12.
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub micros: u32,
    /// Days since the epoch (a Thursday).
    days: i64,
}

impl Civil {
    pub fn now() -> Self {
        Self::at(SystemTime::now())
    }

    pub fn at(t: SystemTime) -> Self {
        let since = t.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
        Self::from_unix(since.as_secs() as i64, since.subsec_micros())
    }

    /// From seconds since the epoch (civil-from-days, Howard Hinnant's algorithm).
    pub fn from_unix(secs: i64, micros: u32) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400) as u32;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self { year, month, day, hour: rem / 3600, minute: rem / 60 % 60, second: rem % 60, micros, days }
    }

    pub fn month_name(&self) -> &'static str {
        MONTHS[(self.month as usize + 11) % 12]
    }

    pub fn weekday_name(&self) -> &'static str {
        WEEKDAYS[self.days.rem_euclid(7) as usize]
    }

    fn hms(&self) -> String {
        format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }

    /// `2025/04/01 10:00:00`: nginx's error log.
    pub fn nginx_error(&self) -> String {
        format!("{}/{:02}/{:02} {}", self.year, self.month, self.day, self.hms())
    }

    /// `01/Apr/2025:10:00:00 +0000`: the common and combined access log formats.
    pub fn common_log(&self) -> String {
        format!("{:02}/{}/{}:{} +0000", self.day, self.month_name(), self.year, self.hms())
    }

    /// `Tue, 01 Apr 2025 10:00:00 GMT`: HTTP's `Date` and `Last-Modified` (RFC 9110).
    pub fn http_date(&self) -> String {
        format!("{}, {:02} {} {} {} GMT", self.weekday_name(), self.day, self.month_name(), self.year, self.hms())
    }

    /// `01 Apr 2025 10:00:00.123`: Redis's log.
    pub fn redis_log(&self) -> String {
        format!("{:02} {} {} {}.{:03}", self.day, self.month_name(), self.year, self.hms(), self.micros / 1000)
    }

    /// `Tue Apr 01 10:00:00.123456 2025`: Apache's error log, inside its brackets.
    pub fn apache_error(&self) -> String {
        let (d, m, y) = (self.day, self.month_name(), self.year);
        format!("{} {m} {d:02} {}.{:06} {y}", self.weekday_name(), self.hms(), self.micros)
    }

    /// `01-Apr-2025 10:00`: nginx's autoindex listing.
    pub fn autoindex(&self) -> String {
        format!("{:02}-{}-{} {:02}:{:02}", self.day, self.month_name(), self.year, self.hour, self.minute)
    }
}

/// Seconds since the epoch of an HTTP date (`If-Modified-Since`), in the RFC 9110 preferred
/// form only.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let mut it = s.split_whitespace();
    let _weekday = it.next()?;
    let day: u32 = it.next()?.parse().ok()?;
    let month_name = it.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    let year: i64 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if it.next()? != "GMT" {
        return None;
    }
    // days-from-civil, the inverse of `Civil::from_unix`.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_servers_logs() {
        // 2025-04-01T10:02:03.004005Z, a Tuesday.
        let c = Civil::from_unix(1_743_501_723, 4005);
        assert_eq!(c.nginx_error(), "2025/04/01 10:02:03");
        assert_eq!(c.common_log(), "01/Apr/2025:10:02:03 +0000");
        assert_eq!(c.http_date(), "Tue, 01 Apr 2025 10:02:03 GMT");
        assert_eq!(c.redis_log(), "01 Apr 2025 10:02:03.004");
        assert_eq!(c.apache_error(), "Tue Apr 01 10:02:03.004005 2025");
        assert_eq!(c.autoindex(), "01-Apr-2025 10:02");
    }

    #[test]
    fn dates_round_trip_including_leap_days_and_the_epoch() {
        for secs in [0, 951_782_400, 1_709_164_800, 1_743_501_723, 4_102_444_799] {
            let c = Civil::from_unix(secs, 0);
            assert_eq!(parse_http_date(&c.http_date()), Some(secs), "{}", c.http_date());
        }
        assert_eq!(Civil::from_unix(951_782_400, 0).http_date(), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(parse_http_date("Tue, 29 Feb 2000 00:00:00 UTC"), None);
    }
}
