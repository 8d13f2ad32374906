//! Where APT looks for packages: `/etc/apt/sources.list` (one-line format:
//! `deb http://archive.ubuntu.com/ubuntu/ jammy main restricted`) and
//! `/etc/apt/sources.list.d/*.list` and `*.sources` (deb822 format: `Types:`, `URIs:`,
//! `Suites:`, `Components:`). Each (URI, suite, component) is one package index.

use super::control;
use crate::Ctx;

/// One suite of one archive, with the components wanted from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Without the final slash: `http://archive.ubuntu.com/ubuntu`.
    pub uri: String,
    pub suite: String,
    pub components: Vec<String>,
}

impl Source {
    /// The prefix of the list files: `archive.ubuntu.com_ubuntu_dists_noble`, as apt names them
    /// (the URI without its scheme, `/` turned into `_`).
    pub fn list_prefix(&self) -> String {
        let bare = self.uri.split_once("://").map_or(self.uri.as_str(), |(_, r)| r);
        format!("{}_dists_{}", bare.trim_end_matches('/').replace('/', "_"), self.suite)
    }
}

fn one_line(text: &str, out: &mut Vec<Source>) {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut words: Vec<&str> = line.split_whitespace().collect();
        if words.first() != Some(&"deb") {
            continue;
        }
        words.remove(0);
        // Options: `[arch=amd64 signed-by=...]`.
        if words.first().is_some_and(|w| w.starts_with('[')) {
            while let Some(w) = words.first() {
                let end = w.ends_with(']');
                words.remove(0);
                if end {
                    break;
                }
            }
        }
        if words.len() >= 2 {
            out.push(Source {
                uri: words[0].trim_end_matches('/').to_string(),
                suite: words[1].to_string(),
                components: words[2..].iter().map(|s| s.to_string()).collect(),
            });
        }
    }
}

fn deb822(text: &str, out: &mut Vec<Source>) {
    for s in control::parse(text) {
        if !s.field("Types").split_whitespace().any(|t| t == "deb") || s.field("Enabled") == "no" {
            continue;
        }
        for uri in s.field("URIs").split_whitespace() {
            for suite in s.field("Suites").split_whitespace() {
                out.push(Source {
                    uri: uri.trim_end_matches('/').to_string(),
                    suite: suite.to_string(),
                    components: s.field("Components").split_whitespace().map(str::to_string).collect(),
                });
            }
        }
    }
}

/// Every source of the system, in apt's order: `sources.list`, then `sources.list.d` by name.
pub fn read(ctx: &Ctx) -> Vec<Source> {
    let mut out = Vec::new();
    one_line(&ctx.read_string("/etc/apt/sources.list").unwrap_or_default(), &mut out);
    for name in ctx.list("/etc/apt/sources.list.d") {
        let text = ctx.read_string(&format!("/etc/apt/sources.list.d/{name}")).unwrap_or_default();
        if name.ends_with(".list") {
            one_line(&text, &mut out);
        } else if name.ends_with(".sources") {
            deb822(&text, &mut out);
        }
    }
    merge(out)
}

/// Lines naming the same archive and suite are one index target for apt (its release file is
/// fetched once, `Get:`/`Hit:` printed once): their components are joined, in first-seen order.
fn merge(sources: Vec<Source>) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for source in sources {
        match out.iter_mut().find(|s| s.uri == source.uri && s.suite == source.suite) {
            Some(seen) => {
                for c in source.components {
                    if !seen.components.contains(&c) {
                        seen.components.push(c);
                    }
                }
            }
            None => out.push(source),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_give_the_same_sources() {
        let mut a = Vec::new();
        one_line("# comment\ndeb http://archive.ubuntu.com/ubuntu/ jammy main restricted\ndeb [arch=amd64 signed-by=/k.gpg] https://download.docker.com/linux/ubuntu jammy stable\ndeb-src http://x/ y z\n", &mut a);
        assert_eq!(a.len(), 2);
        assert_eq!(
            a[0],
            Source {
                uri: "http://archive.ubuntu.com/ubuntu".into(),
                suite: "jammy".into(),
                components: vec!["main".into(), "restricted".into()]
            }
        );
        assert_eq!(a[1].uri, "https://download.docker.com/linux/ubuntu");
        let mut b = Vec::new();
        deb822("Types: deb\nURIs: http://archive.ubuntu.com/ubuntu/\nSuites: noble noble-updates\nComponents: main universe\nSigned-By: /k.gpg\n", &mut b);
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].suite, "noble-updates");
        assert_eq!(b[0].list_prefix(), "archive.ubuntu.com_ubuntu_dists_noble");
    }

    #[test]
    fn one_suite_on_several_lines_is_one_source() {
        let mut a = Vec::new();
        one_line("deb http://a/ubuntu/ jammy main restricted\ndeb http://a/ubuntu/ jammy-updates main\ndeb http://a/ubuntu jammy universe main\n", &mut a);
        let merged = merge(a);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].components, ["main", "restricted", "universe"]);
        assert_eq!(merged[1].suite, "jammy-updates");
    }
}
