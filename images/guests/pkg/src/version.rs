//! Comparing package versions, as dpkg and apk do: `2:4.0.2-3` (Debian: epoch, upstream
//! version, revision; `~` sorts before anything) and `8.12.1-r1` (Alpine: dotted numbers,
//! letters, `_rc`-style suffixes, then the `-rN` release).

use std::cmp::Ordering;

/// dpkg's order of non-digit characters: `~` first, then the end of the part, letters, others.
fn order(c: Option<char>) -> i32 {
    match c {
        None => 0,
        Some('~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => c as i32,
        Some(c) => c as i32 + 256,
    }
}

/// dpkg's `verrevcmp`: alternating non-digit and digit runs.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        let start_i = i;
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        let start_j = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let na: String = a[start_i..i].iter().collect::<String>().trim_start_matches('0').to_string();
        let nb: String = b[start_j..j].iter().collect::<String>().trim_start_matches('0').to_string();
        match na.len().cmp(&nb.len()).then_with(|| na.cmp(&nb)) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// Compares two Debian versions.
pub fn deb_cmp(a: &str, b: &str) -> Ordering {
    let split = |v: &str| {
        let (epoch, rest) = v.split_once(':').map_or((0u64, v), |(e, r)| (e.parse().unwrap_or(0), r));
        let (upstream, revision) = rest.rsplit_once('-').unwrap_or((rest, ""));
        (epoch, upstream.to_string(), revision.to_string())
    };
    let (ea, ua, ra) = split(a);
    let (eb, ub, rb) = split(b);
    ea.cmp(&eb).then_with(|| verrevcmp(&ua, &ub)).then_with(|| verrevcmp(&ra, &rb))
}

/// The rank of an Alpine suffix: pre-releases before the plain version, patches after.
fn suffix_rank(s: &str) -> i32 {
    match s {
        "alpha" => 0,
        "beta" => 1,
        "pre" => 2,
        "rc" => 3,
        "" => 4,
        "cvs" => 5,
        "svn" => 6,
        "git" => 7,
        "hg" => 8,
        "p" => 9,
        _ => 4,
    }
}

/// Compares two Alpine versions (`1.2.3_rc1-r0`).
pub fn apk_cmp(a: &str, b: &str) -> Ordering {
    let split = |v: &str| {
        let (main, rel) = v.rsplit_once("-r").map_or((v, 0u64), |(m, r)| (m, r.parse().unwrap_or(0)));
        let (nums, suffix) = main.split_once('_').unwrap_or((main, ""));
        let letters: String = suffix.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let suffix_num: u64 = suffix[letters.len()..].parse().unwrap_or(0);
        (nums.to_string(), suffix_rank(&letters), suffix_num, rel)
    };
    let (na, sa, sna, ra) = split(a);
    let (nb, sb, snb, rb) = split(b);
    verrevcmp(&na, &nb).then(sa.cmp(&sb)).then(sna.cmp(&snb)).then(ra.cmp(&rb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_versions_order_like_dpkg() {
        assert_eq!(deb_cmp("1:1.0", "2.0"), Ordering::Greater, "epochs first");
        assert_eq!(deb_cmp("1.0~rc1", "1.0"), Ordering::Less, "~ before the end");
        assert_eq!(deb_cmp("7.88.1-10+deb12u12", "7.88.1-10+deb12u5"), Ordering::Greater);
        assert_eq!(deb_cmp("1.10", "1.9"), Ordering::Greater);
        assert_eq!(deb_cmp("2.0-1", "2.0-1"), Ordering::Equal);
        assert_eq!(deb_cmp("1.0a", "1.0"), Ordering::Greater);
    }

    #[test]
    fn alpine_versions_order_like_apk() {
        assert_eq!(apk_cmp("8.12.1-r1", "8.12.1-r0"), Ordering::Greater);
        assert_eq!(apk_cmp("1.0_rc1-r0", "1.0-r0"), Ordering::Less);
        assert_eq!(apk_cmp("1.0_p1-r0", "1.0-r0"), Ordering::Greater);
        assert_eq!(apk_cmp("1.10-r0", "1.9-r5"), Ordering::Greater);
    }
}
