//! The configuration once understood: what each `server` listens on and answers to, its
//! locations with their settings merged from `http` and `server` (a setting written at an outer
//! level applies inside unless the inner level sets its own), the upstream groups with their
//! resolved addresses, and the log formats.

use super::settings::Settings;
use super::tree::Location as At;
use crate::vars::Template;
use regex_lite::Regex;
use std::net::SocketAddr;

/// The whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub pid: String,
    pub error_logs: Vec<ErrorLog>,
    pub daemon: bool,
    pub http: Http,
    /// `[warn]` messages found while reading it (`conflicting server name`).
    pub warnings: Vec<String>,
}

/// Severity of an error log message, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Notice,
    Warn,
    Error,
    Crit,
    Alert,
    Emerg,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "debug" => Level::Debug,
            "info" => Level::Info,
            "notice" => Level::Notice,
            "warn" => Level::Warn,
            "error" => Level::Error,
            "crit" => Level::Crit,
            "alert" => Level::Alert,
            "emerg" => Level::Emerg,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        ["debug", "info", "notice", "warn", "error", "crit", "alert", "emerg"][self as usize]
    }
}

/// `error_log /var/log/nginx/error.log notice;`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLog {
    pub path: String,
    pub level: Level,
}

/// The `http` block.
#[derive(Debug, Clone, Default)]
pub struct Http {
    pub servers: Vec<Server>,
    pub upstreams: Vec<Upstream>,
    pub formats: Vec<LogFormat>,
}

impl Http {
    /// Every address some server listens on.
    pub fn listen_addrs(&self) -> Vec<SocketAddr> {
        let mut out: Vec<SocketAddr> = Vec::new();
        for l in self.servers.iter().flat_map(|s| &s.listens) {
            if !out.contains(&l.addr) {
                out.push(l.addr);
            }
        }
        out
    }

    pub fn upstream(&self, name: &str) -> Option<&Upstream> {
        self.upstreams.iter().find(|u| u.name == name)
    }

    pub fn format(&self, name: &str) -> Option<&LogFormat> {
        self.formats.iter().find(|f| f.name == name)
    }
}

/// `log_format name [escape=...] string...;`
#[derive(Debug, Clone)]
pub struct LogFormat {
    pub name: String,
    pub template: Template,
    /// `escape=none` turns escaping off.
    pub escape: bool,
}

/// `upstream name { server a:80; server b; }`, or the implicit group of a `proxy_pass` host.
#[derive(Debug, Clone)]
pub struct Upstream {
    pub name: String,
    /// In round-robin order (a peer of weight 2 is there twice).
    pub peers: Vec<SocketAddr>,
    /// Tried only when every peer failed.
    pub backups: Vec<SocketAddr>,
}

/// One `server` block.
#[derive(Debug, Clone)]
pub struct Server {
    pub listens: Vec<Listen>,
    pub names: Vec<ServerName>,
    /// Settings of the server level, for requests no location matches.
    pub settings: Settings,
    pub locations: Vec<Loc>,
}

impl Server {
    /// The first name (`$server_name`).
    pub fn primary_name(&self) -> &str {
        self.names.first().map_or("", ServerName::text)
    }
}

/// `listen 80 default_server;`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    pub addr: SocketAddr,
    pub default: bool,
    pub at: At,
}

/// One `server_name` entry.
#[derive(Debug, Clone)]
pub enum ServerName {
    Exact(String),
    /// `*.example.com` (kept as `.example.com`), or `.example.com` which also matches
    /// `example.com` itself.
    Suffix {
        suffix: String,
        bare: bool,
        text: String,
    },
    /// `www.example.*` (kept as `www.example.`).
    Prefix {
        prefix: String,
        text: String,
    },
    Regex {
        regex: Regex,
        text: String,
    },
}

impl ServerName {
    pub fn text(&self) -> &str {
        match self {
            ServerName::Exact(t) => t,
            ServerName::Suffix { text, .. } | ServerName::Prefix { text, .. } | ServerName::Regex { text, .. } => text,
        }
    }
}

/// How a location matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modifier {
    /// `location /x` (longest prefix wins).
    Prefix,
    /// `location = /x`.
    Exact,
    /// `location ^~ /x`: a prefix that, when longest, skips the regexes.
    PrefixNoRegex,
    /// `location ~ re` (`~*`: case-insensitive), tried in order after the prefixes.
    Regex,
    /// `location @name`: only reachable by `try_files` and `error_page`.
    Named,
}

/// One `location` block, its settings merged with the outer levels'.
#[derive(Debug, Clone)]
pub struct Loc {
    pub modifier: Modifier,
    pub pattern: String,
    pub regex: Option<Regex>,
    pub settings: Settings,
    pub children: Vec<Loc>,
    pub at: At,
}
