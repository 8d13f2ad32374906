//! Shell wildcard patterns (`*`, `?`, `[...]`) as used by globbing, `case`, `${VAR#pat}` and
//! `find -name`. A pattern is compiled from characters marked quoted or not: quoted characters
//! always match themselves.

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Char(char),
    Any,
    Star,
    Class { negate: bool, items: Vec<Item> },
}

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Char(char),
    Range(char, char),
    Named(String),
}

/// A compiled wildcard pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    toks: Vec<Tok>,
}

fn named(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        "cntrl" => c.is_control(),
        "print" => !c.is_control(),
        "graph" => !c.is_control() && c != ' ',
        _ => false,
    }
}

impl Pattern {
    /// Compiles from (char, quoted) pairs. An unquoted backslash quotes the next character.
    pub fn new(src: &[(char, bool)]) -> Pattern {
        let mut toks = Vec::new();
        let mut i = 0;
        while i < src.len() {
            let (c, q) = src[i];
            i += 1;
            if q {
                toks.push(Tok::Char(c));
                continue;
            }
            match c {
                '\\' if i < src.len() => {
                    toks.push(Tok::Char(src[i].0));
                    i += 1;
                }
                '*' => {
                    if toks.last() != Some(&Tok::Star) {
                        toks.push(Tok::Star);
                    }
                }
                '?' => toks.push(Tok::Any),
                '[' => match Self::class(src, i) {
                    Some((tok, next)) => {
                        toks.push(tok);
                        i = next;
                    }
                    None => toks.push(Tok::Char('[')),
                },
                _ => toks.push(Tok::Char(c)),
            }
        }
        Pattern { toks }
    }

    /// Compiles a plain string where only backslash quotes.
    pub fn parse(s: &str) -> Pattern {
        let v: Vec<(char, bool)> = s.chars().map(|c| (c, false)).collect();
        Pattern::new(&v)
    }

    fn class(src: &[(char, bool)], mut i: usize) -> Option<(Tok, usize)> {
        let mut negate = false;
        if i < src.len() && !src[i].1 && (src[i].0 == '!' || src[i].0 == '^') {
            negate = true;
            i += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        while i < src.len() {
            let (c, q) = src[i];
            if c == ']' && !q && !first {
                return Some((Tok::Class { negate, items }, i + 1));
            }
            first = false;
            if c == '[' && !q && i + 1 < src.len() && src[i + 1].0 == ':' {
                let rest: String = src[i + 2..].iter().map(|p| p.0).collect();
                if let Some(end) = rest.find(":]") {
                    items.push(Item::Named(rest[..end].to_string()));
                    i += 2 + rest[..end].chars().count() + 2;
                    continue;
                }
            }
            let (c, skip) = if c == '\\' && !q && i + 1 < src.len() { (src[i + 1].0, 2) } else { (c, 1) };
            i += skip;
            if i + 1 < src.len() && src[i].0 == '-' && (src[i + 1].0 != ']' || src[i + 1].1) {
                let hi = src[i + 1].0;
                items.push(Item::Range(c, hi));
                i += 2;
            } else {
                items.push(Item::Char(c));
            }
        }
        None
    }

    /// True when the pattern has a wildcard (otherwise it is a plain string).
    pub fn has_magic(&self) -> bool {
        self.toks.iter().any(|t| !matches!(t, Tok::Char(_)))
    }

    /// The literal text, when the pattern has no wildcard.
    pub fn literal(&self) -> String {
        self.toks.iter().filter_map(|t| if let Tok::Char(c) = t { Some(*c) } else { None }).collect()
    }

    fn one(tok: &Tok, c: char) -> bool {
        match tok {
            Tok::Char(x) => *x == c,
            Tok::Any => true,
            Tok::Star => true,
            Tok::Class { negate, items } => {
                let hit = items.iter().any(|it| match it {
                    Item::Char(x) => *x == c,
                    Item::Range(a, b) => *a <= c && c <= *b,
                    Item::Named(n) => named(n, c),
                });
                hit != *negate
            }
        }
    }

    /// Whole-string match.
    pub fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        self.matches_chars(&chars)
    }

    pub fn matches_chars(&self, s: &[char]) -> bool {
        let p = &self.toks;
        let (mut pi, mut si) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while si < s.len() {
            if pi < p.len() && p[pi] == Tok::Star {
                star = Some((pi, si));
                pi += 1;
            } else if pi < p.len() && Self::one(&p[pi], s[si]) {
                pi += 1;
                si += 1;
            } else if let Some((sp, ss)) = star {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            } else {
                return false;
            }
        }
        while pi < p.len() && p[pi] == Tok::Star {
            pi += 1;
        }
        pi == p.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(Pattern::parse("*.txt").matches("a.txt"));
        assert!(!Pattern::parse("*.txt").matches("a.txt.gz"));
        assert!(Pattern::parse("a?c").matches("abc"));
        assert!(Pattern::parse("[a-c]x").matches("bx"));
        assert!(Pattern::parse("[!a-c]x").matches("dx"));
        assert!(Pattern::parse("[[:digit:]]*").matches("1abc"));
        assert!(Pattern::parse("\\*").matches("*"));
        assert!(!Pattern::parse("\\*").matches("a"));
        assert!(Pattern::parse("[]]").matches("]"));
        assert!(Pattern::parse("[").matches("["));
        assert!(Pattern::parse("*").matches(""));
    }
}
