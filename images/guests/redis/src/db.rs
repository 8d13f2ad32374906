//! The keyspace: 16 numbered databases (`SELECT`), each mapping keys to values of one type
//! (string, list, hash, set) with an optional expiry time. Expired keys are removed when touched
//! and by a periodic sweep, as Redis does. Small hashes keep insertion order and small sets of
//! integers stay sorted, which is the order Redis shows for them.

use std::collections::{BTreeMap, VecDeque};

/// A value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(Vec<u8>),
    List(VecDeque<Vec<u8>>),
    /// Field-value pairs in insertion order.
    Hash(Vec<(Vec<u8>, Vec<u8>)>),
    /// Members in insertion order (integers sorted, as Redis's intset).
    Set(Vec<Vec<u8>>),
}

impl Value {
    /// `TYPE`'s answer.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
        }
    }
}

/// A key's value and when it expires (milliseconds since the epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub value: Value,
    pub expires_at: Option<u64>,
}

/// One database.
#[derive(Debug, Clone, Default)]
pub struct Db {
    pub keys: BTreeMap<Vec<u8>, Entry>,
}

impl Db {
    /// Drops `key` if it has expired; true if it was dropped.
    fn expire_if_needed(&mut self, key: &[u8], now: u64) -> bool {
        let expired = self.keys.get(key).and_then(|e| e.expires_at).is_some_and(|t| t <= now);
        if expired {
            self.keys.remove(key);
        }
        expired
    }

    pub fn get(&mut self, key: &[u8], now: u64) -> Option<&Entry> {
        self.expire_if_needed(key, now);
        self.keys.get(key)
    }

    pub fn get_mut(&mut self, key: &[u8], now: u64) -> Option<&mut Entry> {
        self.expire_if_needed(key, now);
        self.keys.get_mut(key)
    }

    pub fn remove(&mut self, key: &[u8], now: u64) -> Option<Entry> {
        self.expire_if_needed(key, now);
        self.keys.remove(key)
    }

    /// Sets a value with no expiry.
    pub fn set(&mut self, key: &[u8], value: Value) {
        self.keys.insert(key.to_vec(), Entry { value, expires_at: None });
    }

    /// Removes every expired key; how many.
    pub fn sweep(&mut self, now: u64) -> usize {
        let before = self.keys.len();
        self.keys.retain(|_, e| e.expires_at.is_none_or(|t| t > now));
        before - self.keys.len()
    }

    /// Live keys (expired ones are left for the sweep, not shown).
    pub fn live(&self, now: u64) -> impl Iterator<Item = (&Vec<u8>, &Entry)> {
        self.keys.iter().filter(move |(_, e)| e.expires_at.is_none_or(|t| t > now))
    }

    pub fn len(&self, now: u64) -> usize {
        self.live(now).count()
    }

    pub fn expiring(&self, now: u64) -> usize {
        self.live(now).filter(|(_, e)| e.expires_at.is_some()).count()
    }
}

/// Inserts a set member, keeping integer-only sets sorted (Redis's intset).
pub fn set_insert(members: &mut Vec<Vec<u8>>, m: Vec<u8>) -> bool {
    if members.contains(&m) {
        return false;
    }
    members.push(m);
    let ints: Option<Vec<i64>> = members.iter().map(|x| int_of(x)).collect();
    if let Some(mut ints) = ints {
        if members.len() <= 512 {
            ints.sort_unstable();
            *members = ints.into_iter().map(|i| i.to_string().into_bytes()).collect();
        }
    }
    true
}

/// The integer a string holds, if it is exactly a canonical one (`"12"`, not `"012"`).
pub fn int_of(b: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(b).ok()?;
    let n: i64 = s.parse().ok()?;
    (n.to_string() == s).then_some(n)
}

/// Glob matching as `KEYS` and `PSUBSCRIBE` do: `*`, `?`, `[abc]`, `[a-z]`, `[^a]`, `\x`.
pub fn glob(pattern: &[u8], s: &[u8]) -> bool {
    match pattern.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        Some((b'?', rest)) => !s.is_empty() && glob(rest, &s[1..]),
        Some((b'[', rest)) => {
            let Some((&c, tail)) = s.split_first() else { return false };
            let (negate, mut p) = match rest.first() {
                Some(b'^') => (true, &rest[1..]),
                _ => (false, rest),
            };
            let mut matched = false;
            loop {
                match p {
                    [] => return false,
                    [b']', after @ ..] => {
                        p = after;
                        break;
                    }
                    [b'\\', x, after @ ..] => {
                        matched |= *x == c;
                        p = after;
                    }
                    [a, b'-', b, after @ ..] if *b != b']' => {
                        let (lo, hi) = if a <= b { (*a, *b) } else { (*b, *a) };
                        matched |= (lo..=hi).contains(&c);
                        p = after;
                    }
                    [x, after @ ..] => {
                        matched |= *x == c;
                        p = after;
                    }
                }
            }
            matched != negate && glob(p, tail)
        }
        Some((b'\\', rest)) if !rest.is_empty() => s.first() == Some(&rest[0]) && glob(&rest[1..], &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_expire_when_touched_and_by_the_sweep() {
        let mut db = Db::default();
        db.set(b"a", Value::Str(b"1".to_vec()));
        db.keys.insert(b"b".to_vec(), Entry { value: Value::Str(b"2".to_vec()), expires_at: Some(100) });
        assert_eq!(db.len(99), 2);
        assert_eq!(db.len(100), 1);
        assert!(db.get(b"b", 100).is_none());
        db.keys.insert(b"c".to_vec(), Entry { value: Value::Str(b"3".to_vec()), expires_at: Some(5) });
        assert_eq!(db.sweep(10), 1);
    }

    #[test]
    fn glob_patterns_as_keys_uses_them() {
        assert!(glob(b"user:*", b"user:42"));
        assert!(glob(b"h?llo", b"hello"));
        assert!(glob(b"h[ae]llo", b"hallo") && !glob(b"h[ae]llo", b"hillo"));
        assert!(glob(b"h[^e]llo", b"hallo") && !glob(b"h[^e]llo", b"hello"));
        assert!(glob(b"h[a-c]llo", b"hbllo"));
        assert!(glob(b"a\\*", b"a*") && !glob(b"a\\*", b"ab"));
    }

    #[test]
    fn integer_sets_stay_sorted_and_others_keep_insertion_order() {
        let mut s = Vec::new();
        for m in ["3", "1", "2"] {
            set_insert(&mut s, m.into());
        }
        assert_eq!(s, [b"1".to_vec(), b"2".to_vec(), b"3".to_vec()]);
        set_insert(&mut s, b"x".to_vec());
        assert_eq!(s.last().unwrap(), b"x");
        assert!(!set_insert(&mut s, b"x".to_vec()));
    }
}
