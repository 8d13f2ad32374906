//! `--filter key=value`: Docker's filter lists. Values of the same key are alternatives (OR),
//! different keys must all match (AND). Each command names the keys it accepts; an unknown key or
//! a missing `=` is refused with Docker's messages.

use std::collections::BTreeMap;

/// Parsed filters: key -> accepted values.
#[derive(Debug, Default, Clone)]
pub struct Filters(BTreeMap<String, Vec<String>>);

impl Filters {
    /// Parses `--filter` values, accepting only `keys`.
    pub fn parse(values: &[String], keys: &[&str]) -> Result<Self, String> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for v in values {
            let Some((k, val)) = v.split_once('=') else {
                return Err("bad format of filter (expected name=value)".into());
            };
            let k = k.trim().to_ascii_lowercase();
            if !keys.contains(&k.as_str()) {
                return Err(format!("Error response from daemon: invalid filter '{k}'"));
            }
            map.entry(k).or_default().push(val.to_string());
        }
        Ok(Self(map))
    }

    /// True when `key` is not filtered on, or one of its values satisfies `test`.
    pub fn matches(&self, key: &str, test: impl Fn(&str) -> bool) -> bool {
        self.0.get(key).is_none_or(|values| values.iter().any(|v| test(v)))
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// Every value given for `key`, in order.
    pub fn values(&self, key: &str) -> &[String] {
        self.0.get(key).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Matches `text` against a shell-style pattern with `*` and `?` (Go's `path.Match`, enough for
/// `reference=` filters: `*` does not cross `/`).
pub fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], t) || (!t.is_empty() && t[0] != '/' && go(p, &t[1..])),
            (Some('?'), Some(c)) if *c != '/' => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

/// `label=key` or `label=key=value` against a container's or image's labels.
pub fn label_matches(filter: &str, labels: &[(String, String)]) -> bool {
    match filter.split_once('=') {
        Some((k, v)) => labels.iter().any(|(lk, lv)| lk == k && lv == v),
        None => labels.iter().any(|(lk, _)| lk == filter),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_or_within_a_key_and_across_keys() {
        let f =
            Filters::parse(&["status=exited".into(), "status=created".into(), "name=web".into()], &["status", "name"])
                .unwrap();
        assert!(f.matches("status", |v| v == "created"));
        assert!(!f.matches("status", |v| v == "running"));
        assert!(f.matches("label", |_| false));
        assert_eq!(
            Filters::parse(&["foo=1".into()], &["status"]).unwrap_err(),
            "Error response from daemon: invalid filter 'foo'"
        );
        assert!(Filters::parse(&["status".into()], &["status"]).is_err());
    }

    #[test]
    fn globs_match_like_go_path_match() {
        assert!(glob("hello*", "hello-world"));
        assert!(glob("*/app", "moi/app"));
        assert!(!glob("*", "moi/app"));
        assert!(glob("ng?nx", "nginx"));
    }
}
