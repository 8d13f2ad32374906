//! Image references as Docker parses them: `[registry/][namespace/]name[:tag][@digest]`.
//! `nginx` means `docker.io/library/nginx:latest`; Docker shows it back in its short, "familiar"
//! form (`nginx:latest`). Names must be lowercase; tags are at most 128 word characters.

use std::fmt;
use thiserror::Error;

pub const DEFAULT_DOMAIN: &str = "docker.io";
pub const DEFAULT_TAG: &str = "latest";

/// Why a reference is not valid, worded as Docker words it.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ReferenceError {
    #[error("invalid reference format")]
    Invalid,
    #[error("invalid reference format: repository name ({0}) must be lowercase")]
    Uppercase(String),
}

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// Registry host, `docker.io` by default.
    pub domain: String,
    /// Repository path in the registry: `library/nginx`, `myuser/app`.
    pub path: String,
    /// The tag, if one was given (or implied as `latest` by [`Reference::with_default_tag`]).
    pub tag: Option<String>,
    /// The digest, if pinned (`@sha256:...`).
    pub digest: Option<String>,
}

fn is_component(s: &str) -> bool {
    // alphanumerics separated by one '.', one or two '_', or any number of '-'.
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_lowercase() || b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && matches!(b[i], b'.' | b'_' | b'-') {
            i += 1;
        }
        let sep = &s[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-');
        if !ok || start == i {
            return false;
        }
    }
    true
}

fn is_tag(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn is_domain(s: &str) -> bool {
    s == "localhost" || s.contains('.') || s.contains(':')
}

impl Reference {
    /// Parses a reference as typed on the command line.
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        if input.is_empty() || input.len() > 255 + 128 + 72 {
            return Err(ReferenceError::Invalid);
        }
        let (rest, digest) = match input.split_once('@') {
            Some((r, d)) => {
                crate::ids::Digest::parse(d).ok_or(ReferenceError::Invalid)?;
                (r, Some(d.to_string()))
            }
            None => (input, None),
        };
        // A ':' after the last '/' starts the tag (a ':' before it is a registry port).
        let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(i) => {
                let tag = &rest[last_slash + i + 1..];
                if !is_tag(tag) {
                    return Err(ReferenceError::Invalid);
                }
                (&rest[..last_slash + i], Some(tag.to_string()))
            }
            None => (rest, None),
        };
        let (domain, path) = match name.split_once('/') {
            Some((first, remainder)) if is_domain(first) => (first.to_string(), remainder.to_string()),
            _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
        };
        let path = if domain == DEFAULT_DOMAIN && !path.contains('/') { format!("library/{path}") } else { path };
        if path.split('/').any(|c| !is_component(&c.to_ascii_lowercase())) || name.is_empty() {
            return Err(ReferenceError::Invalid);
        }
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ReferenceError::Uppercase(path));
        }
        Ok(Self { domain, path, tag, digest })
    }

    /// The same reference with `latest` filled in when neither a tag nor a digest was given.
    pub fn with_default_tag(mut self) -> Self {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some(DEFAULT_TAG.to_string());
        }
        self
    }

    /// The repository as Docker shows it: `nginx`, `myuser/app`, `localhost:5000/app`.
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            // Only official images lose `library/`: `library/a/b` stays as it is. A path whose
            // first part looks like a registry keeps `docker.io/`, or it would name that registry.
            match self.path.strip_prefix("library/") {
                Some(rest) if !rest.contains('/') => rest.to_string(),
                _ if self.path.split('/').next().is_some_and(is_domain) && self.path.contains('/') => {
                    format!("{DEFAULT_DOMAIN}/{}", self.path)
                }
                _ => self.path.clone(),
            }
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// The tag or `latest`.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or(DEFAULT_TAG)
    }
}

impl fmt::Display for Reference {
    /// The familiar form: `nginx:latest`, `myuser/app:1.0`, `alpine@sha256:...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.familiar_name())?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_expand_to_docker_hub_library() {
        let r = Reference::parse("nginx").unwrap().with_default_tag();
        assert_eq!(
            (r.domain.as_str(), r.path.as_str(), r.tag.as_deref()),
            ("docker.io", "library/nginx", Some("latest"))
        );
        assert_eq!(r.to_string(), "nginx:latest");
        let r = Reference::parse("myuser/app:1.0").unwrap();
        assert_eq!(r.path, "myuser/app");
        assert_eq!(r.to_string(), "myuser/app:1.0");
        let r = Reference::parse("localhost:5000/app:v2").unwrap();
        assert_eq!((r.domain.as_str(), r.path.as_str(), r.tag.as_deref()), ("localhost:5000", "app", Some("v2")));
        assert_eq!(Reference::parse("nginx:1.21-alpine").unwrap().tag_or_latest(), "1.21-alpine");
        // Found by the `reference` fuzz target: the familiar form must parse back to itself.
        for name in ["library/a/b:6", "library/library/img:tag", "docker.io/librarydocker.io/library/u04"] {
            let r = Reference::parse(name).unwrap();
            assert_eq!(Reference::parse(&r.to_string()).unwrap(), r, "{name}");
        }
    }

    #[test]
    fn bad_references_are_rejected_as_docker_words_it() {
        assert_eq!(Reference::parse("Nginx"), Err(ReferenceError::Uppercase("library/Nginx".into())));
        assert_eq!(
            Reference::parse("Nginx").unwrap_err().to_string(),
            "invalid reference format: repository name (library/Nginx) must be lowercase"
        );
        for bad in ["", "nginx:", "nginx:-x", "a//b", "-a", "a:b:c", "img@sha256:zz", "a..b"] {
            assert_eq!(Reference::parse(bad), Err(ReferenceError::Invalid), "{bad}");
        }
    }
}
