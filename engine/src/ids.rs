//! Identifiers. Docker names content by its sha256 digest (`sha256:<64 hex>`) and containers by a
//! random 64-hex ID; both are shown shortened to 12 characters in tables and may be typed as any
//! unique prefix. Containers also get a generated `adjective_surname` name unless `--name` is
//! given.

use crate::platform::Entropy;
use sha2::{Digest as _, Sha256};
use std::fmt;

/// A content digest, `sha256:<64 lowercase hex>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(String);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(format!("sha256:{}", hex::encode(Sha256::digest(bytes))))
    }

    /// Parses `sha256:<64 hex>`.
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.strip_prefix("sha256:")?;
        (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| Self(s.to_string()))
    }

    /// The 64 hex characters.
    pub fn hex(&self) -> &str {
        self.0.strip_prefix("sha256:").unwrap_or(&self.0)
    }

    /// The first 12 hex characters, as `docker images` shows an image ID.
    pub fn short(&self) -> &str {
        let hex = self.hex();
        &hex[..hex.len().min(12)]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A container ID: 64 random hex characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerId(String);

impl ContainerId {
    pub fn random(entropy: &mut dyn Entropy) -> Self {
        let mut bytes = [0u8; 32];
        entropy.fill(&mut bytes);
        Self(hex::encode(bytes))
    }
    /// Parses a full ID (64 lowercase hex characters), as a snapshot stores it.
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == 64 && is_hex_prefix(s)).then(|| Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The 12-character form `docker ps` shows.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl fmt::Display for ContainerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// True when `s` could be a (prefix of a) hex ID.
pub fn is_hex_prefix(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

const ADJECTIVES: &[&str] = &[
    "agile", "bold", "brave", "bright", "calm", "clever", "cool", "curious", "daring", "eager", "elegant", "epic",
    "fervent", "festive", "focused", "friendly", "gallant", "gentle", "happy", "hopeful", "jolly", "keen", "kind",
    "lively", "loving", "lucid", "magical", "merry", "modest", "nimble", "noble", "patient", "peaceful", "pensive",
    "quirky", "quiet", "relaxed", "serene", "sharp", "silly", "stoic", "sunny", "swift", "tender", "upbeat", "vibrant",
    "wise", "witty", "youthful", "zealous",
];

/// Scientists and engineers, in the spirit of Docker's generator.
const SURNAMES: &[&str] = &[
    "babbage",
    "bardeen",
    "bartik",
    "berners",
    "blackwell",
    "bohr",
    "chatelet",
    "curie",
    "darwin",
    "dijkstra",
    "einstein",
    "euler",
    "fermat",
    "fermi",
    "feynman",
    "franklin",
    "galois",
    "gauss",
    "germain",
    "goldberg",
    "hamilton",
    "hawking",
    "hopper",
    "hypatia",
    "johnson",
    "kepler",
    "knuth",
    "lamarr",
    "lamport",
    "lovelace",
    "maxwell",
    "meitner",
    "mirzakhani",
    "noether",
    "pascal",
    "pasteur",
    "perlman",
    "poincare",
    "ritchie",
    "sammet",
    "shannon",
    "thompson",
    "torvalds",
    "turing",
    "vaughan",
    "volta",
    "wiles",
    "wing",
    "wozniak",
    "yalow",
];

/// A generated container name such as `brave_curie`. `taken` says whether a name is in use; as
/// in Docker, a random digit is appended when the plain name collides.
pub fn generate_name(entropy: &mut dyn Entropy, taken: impl Fn(&str) -> bool) -> String {
    loop {
        let adj = ADJECTIVES[(entropy.next_u64() % ADJECTIVES.len() as u64) as usize];
        let sur = SURNAMES[(entropy.next_u64() % SURNAMES.len() as u64) as usize];
        // Docker's one exception: Steve Wozniak is not boring. Neither adjective list has
        // "boring" here, so no exception is needed.
        let name = format!("{adj}_{sur}");
        if !taken(&name) {
            return name;
        }
        let numbered = format!("{name}{}", entropy.next_u64() % 10);
        if !taken(&numbered) {
            return numbered;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::SeededEntropy;

    #[test]
    fn digests_are_sha256_and_shorten_to_12() {
        let d = Digest::of(b"");
        assert_eq!(d.hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(d.short(), "e3b0c44298fc");
        assert_eq!(Digest::parse(d.as_str()), Some(d));
        assert_eq!(Digest::parse("sha256:xyz"), None);
    }

    #[test]
    fn names_avoid_taken_ones() {
        let mut e = SeededEntropy::new(7);
        let first = generate_name(&mut e, |_| false);
        assert!(first.contains('_'));
        let mut e = SeededEntropy::new(7);
        let second = generate_name(&mut e, |n| n == first);
        assert_ne!(first, second);
    }
}
