//! The settings a level (`http`, `server`, `location`) may write, each `None` until written.
//! [`Settings::inherit`] fills what an inner level left unset from the outer one: that is how a
//! `root` in `server` applies to every location without its own, and why one `add_header` in a
//! location drops all those of the server (lists are inherited only as a whole).

use super::tree::{ConfError, Directive};
use crate::vars::Template;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::rc::Rc;
use std::time::Duration;

/// `error_page 500 502 /50x.html;`, `error_page 404 =200 /index.html;`
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub codes: Vec<u16>,
    /// `=200`: answer with this status; `=` alone: the status of the page's own answer.
    pub answer: Option<Option<u16>>,
    pub uri: Template,
}

/// `add_header Name value [always];`
#[derive(Debug, Clone)]
pub struct AddHeader {
    pub name: String,
    pub value: Template,
    pub always: bool,
}

/// `allow 10.0.0.0/8;`, `deny all;`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRule {
    pub allow: bool,
    /// Network and prefix length; `all` is 0.0.0.0/0.
    pub net: (Ipv4Addr, u8),
}

/// `access_log path [format];`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLog {
    pub path: String,
    pub format: String,
}

/// `proxy_pass http://host:port/uri;`
#[derive(Debug, Clone)]
pub struct ProxyPass {
    /// The upstream group: an `upstream` block's name, or `host:port` for a plain address.
    pub group: String,
    /// `$proxy_host`: the group name, or the host with its port unless 80.
    pub proxy_host: String,
    pub port: u16,
    /// The URI part, if any: it replaces the part of the request URI the location matched.
    pub uri: Option<String>,
    /// A URL with variables, evaluated per request.
    pub dynamic: Option<Template>,
}

/// `return 301 https://$host$request_uri;`, `return 200 "ok";`, `return 404;`
#[derive(Debug, Clone)]
pub struct Return {
    pub code: u16,
    pub text: Option<Template>,
}

/// `try_files $uri $uri/ /index.html;` (the last entry is a URI, a named location or `=404`).
#[derive(Debug, Clone)]
pub struct TryFiles {
    pub files: Vec<Template>,
    pub last: Template,
}

/// `types { text/html html htm; }`: extension -> MIME type.
pub type Types = BTreeMap<String, String>;

/// `limit_except GET { deny all; }`: methods outside the list go through the rules.
#[derive(Debug, Clone)]
pub struct LimitExcept {
    pub methods: Vec<String>,
    pub rules: Vec<AccessRule>,
}

/// Everything a level may set.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub root: Option<Template>,
    pub index: Option<Vec<Template>>,
    pub autoindex: Option<bool>,
    pub autoindex_exact_size: Option<bool>,
    pub error_pages: Option<Vec<ErrorPage>>,
    pub add_headers: Option<Vec<AddHeader>>,
    pub default_type: Option<String>,
    pub charset: Option<String>,
    pub types: Option<Rc<Types>>,
    pub access: Option<Vec<AccessRule>>,
    pub access_logs: Option<Vec<AccessLog>>,
    pub error_logs: Option<Vec<super::model::ErrorLog>>,
    pub proxy_headers: Option<Vec<(String, Template)>>,
    pub proxy_http_version: Option<u8>,
    pub proxy_read_timeout: Option<Duration>,
    pub proxy_connect_timeout: Option<Duration>,
    pub proxy_hide_headers: Option<Vec<String>>,
    pub proxy_pass_headers: Option<Vec<String>>,
    pub proxy_intercept_errors: Option<bool>,
    /// `proxy_redirect`: `None` inside = `off`; pairs of (from, to) else (empty list: default).
    pub proxy_redirect: Option<Option<Vec<(String, String)>>>,
    pub resolver: Option<bool>,
    pub keepalive_timeout: Option<Duration>,
    pub client_max_body_size: Option<usize>,
    pub server_tokens: Option<bool>,
    pub absolute_redirect: Option<bool>,
    pub port_in_redirect: Option<bool>,
    pub log_not_found: Option<bool>,
    pub etag: Option<bool>,
    pub recursive_error_pages: Option<bool>,
    pub expires: Option<Option<i64>>,
    // Not inherited: they belong to one location (or server, for `return`).
    pub alias: Option<Template>,
    pub proxy_pass: Option<ProxyPass>,
    pub ret: Option<Return>,
    pub try_files: Option<TryFiles>,
    pub limit_except: Option<LimitExcept>,
    pub internal: bool,
}

macro_rules! inherit {
    ($child:ident, $parent:ident, $($field:ident),*) => {
        $( if $child.$field.is_none() { $child.$field = $parent.$field.clone(); } )*
    };
}

impl Settings {
    /// Fills what this level left unset from `outer`.
    pub fn inherit(&mut self, outer: &Settings) {
        let (c, p) = (self, outer);
        inherit!(
            c,
            p,
            root,
            index,
            autoindex,
            autoindex_exact_size,
            error_pages,
            add_headers,
            default_type,
            charset,
            types,
            access,
            access_logs,
            error_logs,
            proxy_headers,
            proxy_http_version,
            proxy_read_timeout,
            proxy_connect_timeout,
            proxy_hide_headers,
            proxy_pass_headers,
            proxy_intercept_errors,
            proxy_redirect,
            resolver,
            keepalive_timeout,
            client_max_body_size,
            server_tokens,
            absolute_redirect,
            port_in_redirect,
            log_not_found,
            etag,
            recursive_error_pages,
            expires
        );
    }
}

/// A configuration error about directive `d`.
pub fn err(d: &Directive, message: impl Into<String>) -> ConfError {
    ConfError::new(message, Some(d.at()))
}

/// Compiles a string with variables; nginx reports an unknown one without a location.
pub fn template(s: &str) -> Result<Template, ConfError> {
    Template::compile(s).map_err(|name| ConfError::new(format!("unknown \"{name}\" variable"), None))
}

/// nginx's time syntax: `65`, `65s`, `500ms`, `1m`, `2h`, `1d` (units may combine: `1m30s`).
pub fn parse_time(s: &str) -> Option<Duration> {
    let mut total = Duration::ZERO;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let ms = match &rest[..unit] {
            "ms" => 1,
            "" | "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "M" => 2_592_000_000,
            "y" => 31_536_000_000,
            _ => return None,
        };
        rest = &rest[unit..];
        total += Duration::from_millis(n.checked_mul(ms)?);
    }
    Some(total)
}

/// nginx's size syntax: `1024`, `10k`, `1m`, `1g` (either case).
pub fn parse_size(s: &str) -> Option<usize> {
    let (num, mult) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1024),
        'm' | 'M' => (&s[..s.len() - 1], 1024 * 1024),
        'g' | 'G' => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    num.parse::<usize>().ok()?.checked_mul(mult)
}

/// `all`, `10.0.0.1`, `10.0.0.0/8`.
pub fn parse_net(s: &str) -> Option<(Ipv4Addr, u8)> {
    if s == "all" {
        return Some((Ipv4Addr::UNSPECIFIED, 0));
    }
    let (ip, len) = s.split_once('/').map_or((s, "32"), |(a, b)| (a, b));
    let len: u8 = len.parse().ok().filter(|l| *l <= 32)?;
    Some((ip.parse().ok()?, len))
}

/// True if `ip` is inside `net`.
pub fn in_net(ip: Ipv4Addr, net: (Ipv4Addr, u8)) -> bool {
    let mask = if net.1 == 0 { 0 } else { u32::MAX << (32 - u32::from(net.1)) };
    u32::from(ip) & mask == u32::from(net.0) & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_sizes_and_networks_parse_as_nginx_reads_them() {
        assert_eq!(parse_time("65"), Some(Duration::from_secs(65)));
        assert_eq!(parse_time("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_time("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_time("5x"), None);
        assert_eq!(parse_size("10m"), Some(10 << 20));
        assert_eq!(parse_size("1k"), Some(1024));
        assert_eq!(parse_size("1q"), None);
        let net = parse_net("172.17.0.0/16").unwrap();
        assert!(in_net("172.17.0.3".parse().unwrap(), net));
        assert!(!in_net("172.18.0.3".parse().unwrap(), net));
        assert!(in_net("1.2.3.4".parse().unwrap(), parse_net("all").unwrap()));
    }
}
