//! awk's values: numbers, strings, and "strnums" (input data that compares as a number when it
//! looks like one, as POSIX awk requires), with the conversions between them (`CONVFMT`-style
//! number printing: integers without a decimal point, others with six significant digits).

#[derive(Clone, Debug)]
pub(super) enum Val {
    Num(f64),
    Str(String),
    /// Input data: a number when it looks like one.
    StrNum(String),
    Uninit,
}

pub(super) fn looks_numeric(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite() || t.contains("inf") || t.contains("nan"))
}

/// The leading number of a string (awk's string-to-number conversion).
pub(super) fn str_num(s: &str) -> f64 {
    let t = s.trim_start();
    let b = t.as_bytes();
    let mut end = 0;
    if end < b.len() && (b[end] == b'+' || b[end] == b'-') {
        end += 1;
    }
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    if end < b.len() && b[end] == b'.' {
        end += 1;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end < b.len() && (b[end] == b'e' || b[end] == b'E') {
        let mut e = end + 1;
        if e < b.len() && (b[e] == b'+' || b[e] == b'-') {
            e += 1;
        }
        if e < b.len() && b[e].is_ascii_digit() {
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
            end = e;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

pub(super) fn num_to_str(n: f64) -> String {
    if n == n.trunc() && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else {
        crate::applets::printf::format_float(n, 'g', 6, "")
    }
}

impl Val {
    pub(super) fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => str_num(s),
            Val::Uninit => 0.0,
        }
    }
    pub(super) fn str(&self) -> String {
        match self {
            Val::Num(n) => num_to_str(*n),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
            Val::Uninit => String::new(),
        }
    }
    pub(super) fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => looks_numeric(s).map_or(!s.is_empty(), |v| v != 0.0),
            Val::Uninit => false,
        }
    }
    pub(super) fn numeric_for_compare(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            Val::StrNum(s) => looks_numeric(s),
            Val::Uninit => Some(0.0),
            Val::Str(_) => None,
        }
    }
}
