//! `proxy_pass`: nginx as a reverse proxy. The request goes to a peer of the upstream group
//! (round-robin; the next peer when one refuses) as HTTP/1.0 with `Host: $proxy_host` and
//! `Connection: close` unless `proxy_set_header` says otherwise; the whole answer is read
//! (`proxy_buffering on`), then relayed with nginx's own `Server` and `Date`. No peer: `502 Bad
//! Gateway`; no answer in `proxy_read_timeout`: `504 Gateway Time-out`.

use crate::conf::model::{Level, Loc, Modifier};
use crate::conf::settings::{ProxyPass, Settings};
use crate::exchange::{Exchange, Flow, LocRef};
use crate::reply::Draft;
use guest_http::server::Pending;
use guest_http::Response;
use guest_net::poll::{AsRawSocket, PollFd};
use guest_net::{SocketAddr, TcpStream};
use guest_server::io::{fill, flush, Filled};
use std::time::{Duration, Instant};

/// Headers of the upstream's answer nginx does not pass on (`proxy_hide_header` adds more).
const HIDDEN: &[&str] = &["date", "server", "x-pad", "connection", "keep-alive", "transfer-encoding", "content-length"];
/// Client headers nginx does not forward (hop-by-hop, or replaced by its own).
const NOT_FORWARDED: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "te",
    "expect",
    "upgrade",
    "content-length",
    "transfer-encoding",
    "proxy-connection",
];

/// The upstream side of a proxied request, before it is tied to its exchange.
pub struct Upstream {
    loc: Option<LocRef>,
    settings: Settings,
    peers: Vec<SocketAddr>,
    request: Vec<u8>,
    /// `http://172.17.0.3:80/path`, for error logs.
    uri: String,
    location_prefix: String,
    proxy_prefix: String,
}

/// Prepares the upstream request of the current exchange.
pub fn start(ex: &mut Exchange, loc: Option<&Loc>, s: &Settings) -> Flow {
    let Some(pp) = s.proxy_pass.clone() else { return Flow::Error(500) };
    let (group, proxy_host, port, uri_part) = match target(ex, s, &pp) {
        Ok(t) => t,
        Err(status) => return Flow::Error(status),
    };
    let peers = match &group {
        Group::Named(name) => ex.core.peers(name),
        Group::Addr(a) => vec![*a],
    };
    ex.note.proxy_host = proxy_host.clone();
    ex.note.proxy_port = port.to_string();
    let path = match (&uri_part, loc) {
        (Some(u), Some(l)) if matches!(l.modifier, Modifier::Prefix | Modifier::PrefixNoRegex) => {
            format!("{u}{}", escape(ex.uri.strip_prefix(l.pattern.as_str()).unwrap_or(&ex.uri)))
        }
        (Some(u), _) => u.clone(),
        (None, _) => {
            let original = guest_http::request::percent_decode(ex.req.path())
                .and_then(|p| guest_http::request::normalize_path(&p));
            if original.as_deref() == Some(ex.uri.as_str()) {
                ex.req.path().to_string()
            } else {
                escape(&ex.uri)
            }
        }
    };
    let path = match &ex.args {
        Some(a) => format!("{path}?{a}"),
        None => path,
    };
    let request = build_request(ex, s, &path);
    let location_prefix = loc.map(|l| l.pattern.clone()).unwrap_or_default();
    let proxy_prefix = format!("http://{proxy_host}{}", uri_part.as_deref().unwrap_or("/"));
    Flow::Proxy(Box::new(Upstream {
        loc: loc.map(LocRef::of),
        settings: s.clone(),
        peers,
        request,
        uri: path,
        location_prefix,
        proxy_prefix,
    }))
}

enum Group {
    Named(String),
    Addr(SocketAddr),
}

/// The group, `$proxy_host`, port and URI part of `proxy_pass` (evaluated if it has variables).
fn target(ex: &Exchange, s: &Settings, pp: &ProxyPass) -> Result<(Group, String, u16, Option<String>), u16> {
    let Some(dynamic) = &pp.dynamic else {
        return Ok((Group::Named(pp.group.clone()), pp.proxy_host.clone(), pp.port, pp.uri.clone()));
    };
    let url = dynamic.eval(&ex.ctx(), None);
    let Some(rest) = url.strip_prefix("http://") else {
        ex.log_error(s, Level::Error, &format!("invalid URL prefix in \"{url}\""), None);
        return Err(500);
    };
    let (hostport, uri) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(rest[i..].to_string())),
        None => (rest, None),
    };
    if ex.core.config.http.upstream(hostport).is_some() {
        return Ok((Group::Named(hostport.to_string()), hostport.to_string(), 80, uri));
    }
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| 500u16)?),
        None => (hostport, 80),
    };
    let ip = match host.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => ip,
        Err(_) if s.resolver.unwrap_or(false) => {
            match guest_net::resolve::lookup(host).ok().and_then(|v| v.first().copied()) {
                Some(ip) => ip,
                None => {
                    ex.log_error(s, Level::Error, &format!("{host} could not be resolved (3: Host not found)"), None);
                    return Err(502);
                }
            }
        }
        Err(_) => {
            ex.log_error(s, Level::Error, &format!("no resolver defined to resolve {host}"), None);
            return Err(502);
        }
    };
    Ok((Group::Addr(SocketAddr::from((ip, port))), hostport.to_string(), port, uri))
}

/// `%XX` for the bytes a URI path cannot hold as they are.
fn escape(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn build_request(ex: &Exchange, s: &Settings, path: &str) -> Vec<u8> {
    let version = s.proxy_http_version.unwrap_or(0);
    let mut head = format!("{} {path} HTTP/1.{version}\r\n", ex.method);
    let defaults = [("Host", "$proxy_host"), ("Connection", "close")];
    let user = s.proxy_headers.clone().unwrap_or_default();
    let mut set: Vec<(String, crate::vars::Template)> = user;
    for (name, value) in defaults {
        if !set.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            set.push((name.to_string(), crate::vars::Template::compile(value).unwrap_or_default()));
        }
    }
    let ctx = ex.ctx();
    for (name, value) in &set {
        let v = value.eval(&ctx, None);
        if !v.is_empty() {
            head.push_str(&format!("{name}: {v}\r\n"));
        }
    }
    let body = if ex.method == ex.req.method { ex.req.body.as_slice() } else { &[] };
    if !body.is_empty() || matches!(ex.method.as_str(), "POST" | "PUT" | "PATCH") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (name, value) in &ex.req.headers {
        let lower = name.to_ascii_lowercase();
        if NOT_FORWARDED.contains(&lower.as_str()) || set.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// A proxied request in flight: the guest-http loop polls its upstream socket.
pub struct Proxied {
    ex: Option<Exchange>,
    up: Upstream,
    stream: Option<TcpStream>,
    peer: Option<SocketAddr>,
    out: Vec<u8>,
    inbuf: Vec<u8>,
    deadline: Instant,
    started: Instant,
    /// A failure to report once the exchange is answered.
    failed: Option<u16>,
}

impl Proxied {
    pub fn new(ex: Exchange, up: Box<Upstream>) -> Proxied {
        let now = Instant::now();
        let mut p = Proxied {
            ex: Some(ex),
            up: *up,
            stream: None,
            peer: None,
            out: Vec::new(),
            inbuf: Vec::new(),
            deadline: now,
            started: now,
            failed: None,
        };
        p.connect_next();
        p
    }

    fn upstream_url(&self, addr: SocketAddr) -> String {
        format!("http://{addr}{}", self.up.uri)
    }

    fn log(&self, level: Level, message: &str, addr: Option<SocketAddr>) {
        if let Some(ex) = &self.ex {
            let url = addr.map(|a| self.upstream_url(a));
            ex.log_error(&self.up.settings, level, message, url.as_deref());
        }
    }

    /// Connects to the next peer that accepts; 502 when none is left.
    fn connect_next(&mut self) {
        if self.up.peers.is_empty() {
            if self.peer.is_none() {
                self.log(Level::Error, "no live upstreams while connecting to upstream", None);
            }
            self.failed = Some(502);
            return;
        }
        while !self.up.peers.is_empty() {
            let addr = self.up.peers.remove(0);
            self.peer = Some(addr);
            match TcpStream::connect(addr).and_then(|s| s.set_nonblocking(true).map(|()| s)) {
                Ok(stream) => {
                    self.stream = Some(stream);
                    self.out = self.up.request.clone();
                    self.inbuf.clear();
                    self.deadline =
                        Instant::now() + self.up.settings.proxy_read_timeout.unwrap_or(Duration::from_secs(60));
                    return;
                }
                Err(e) => {
                    let msg =
                        format!("connect() failed ({}) while connecting to upstream", guest_server::errno::text(&e));
                    self.log(Level::Error, &msg, Some(addr));
                }
            }
        }
        self.failed = Some(502);
    }

    fn fail(&mut self, status: u16) -> Option<Response> {
        let mut ex = self.ex.take()?;
        let peer = self.peer.map(|p| p.to_string()).unwrap_or_default();
        ex.note.upstream_addr = peer;
        ex.note.upstream_status = if status == 504 { "504".into() } else { "502".into() };
        ex.note.upstream_time = format!("{:.3}", self.started.elapsed().as_secs_f64());
        Some(ex.fail(status, self.up.loc))
    }

    /// The answer once it is complete (`eof`: the upstream closed).
    fn complete(&mut self, eof: bool) -> Option<Result<Response, &'static str>> {
        let mut slots = [httparse::EMPTY_HEADER; 100];
        let mut head = httparse::Response::new(&mut slots);
        let head_len = match head.parse(&self.inbuf) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) if eof => {
                return Some(Err("upstream prematurely closed connection while reading response header from upstream"))
            }
            Ok(httparse::Status::Partial) => return None,
            Err(_) => return Some(Err("upstream sent invalid header while reading response header from upstream")),
        };
        let status = head.code.unwrap_or(502);
        let headers: Vec<(String, String)> =
            head.headers.iter().map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned())).collect();
        let find = |n: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.clone());
        let rest = &self.inbuf[head_len..];
        let head_only = self.ex.as_ref().is_some_and(|e| e.method == "HEAD");
        let body = if head_only || matches!(status, 100..=199 | 204 | 304) {
            Vec::new()
        } else if find("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
            match guest_http::chunked::decode(rest, usize::MAX) {
                Ok(Some((body, _))) => body,
                Ok(None) if eof => return Some(Err("upstream prematurely closed connection while reading upstream")),
                Ok(None) => return None,
                Err(_) => return Some(Err("upstream sent invalid chunked response while reading upstream")),
            }
        } else if let Some(len) = find("content-length").and_then(|l| l.trim().parse::<usize>().ok()) {
            if rest.len() < len && !eof {
                return None;
            }
            rest[..len.min(rest.len())].to_vec()
        } else if eof {
            rest.to_vec()
        } else {
            return None;
        };
        let mut ex = self.ex.take()?;
        ex.note.upstream_addr = self.peer.map(|p| p.to_string()).unwrap_or_default();
        ex.note.upstream_status = status.to_string();
        ex.note.upstream_time = format!("{:.3}", self.started.elapsed().as_secs_f64());
        let s = &self.up.settings;
        let intercepted = s.error_pages.iter().flatten().any(|p| p.codes.contains(&status));
        if s.proxy_intercept_errors.unwrap_or(false) && status >= 300 && intercepted {
            return Some(Ok(ex.fail(status, self.up.loc)));
        }
        let passed = s.proxy_pass_headers.clone().unwrap_or_default();
        let hidden = |n: &str| {
            let n = n.to_ascii_lowercase();
            (HIDDEN.contains(&n.as_str())
                || n.starts_with("x-accel-")
                || s.proxy_hide_headers.iter().flatten().any(|h| *h == n))
                && !passed.contains(&n)
        };
        let announced = find("content-length").and_then(|l| l.trim().parse().ok());
        let mut draft = Draft::new(status);
        for (name, value) in headers {
            match name.to_ascii_lowercase().as_str() {
                "content-type" => draft.content_type = Some(value),
                "last-modified" => draft.last_modified = Some(value),
                "location" => draft.location = Some(self.redirect(value)),
                n if hidden(n) => {}
                _ => draft.others.push((name, value)),
            }
        }
        if head_only {
            draft.length = announced;
        }
        draft.body = body;
        let settings = self.up.settings.clone();
        Some(Ok(ex.finish(draft, &settings)))
    }

    /// `proxy_redirect default`: a `Location` on the upstream's own URL is rewritten to the
    /// location's prefix.
    fn redirect(&self, location: String) -> String {
        let pairs = match &self.up.settings.proxy_redirect {
            Some(None) => return location,
            Some(Some(list)) if !list.is_empty() => list.clone(),
            _ => vec![(self.up.proxy_prefix.clone(), self.up.location_prefix.clone())],
        };
        for (from, to) in pairs {
            if let Some(rest) = location.strip_prefix(from.as_str()) {
                return format!("{to}{rest}");
            }
        }
        location
    }
}

impl Pending for Proxied {
    fn wait(&self) -> Option<PollFd> {
        if self.failed.is_some() {
            return None;
        }
        self.stream.as_ref().map(|s| PollFd::new(s.raw_socket(), self.out.is_empty(), !self.out.is_empty()))
    }

    fn deadline(&self) -> Option<Instant> {
        Some(self.deadline)
    }

    fn advance(&mut self, ready: Option<&PollFd>, now: Instant) -> Option<Response> {
        if let Some(status) = self.failed {
            return self.fail(status);
        }
        let stream = self.stream.as_mut()?;
        if !self.out.is_empty() {
            if let Err(e) = flush(stream, &mut self.out) {
                let msg =
                    format!("writev() failed ({}) while sending request to upstream", guest_server::errno::text(&e));
                self.log(Level::Error, &msg, self.peer);
                self.stream = None;
                self.connect_next();
                return None;
            }
        }
        let mut eof = false;
        if ready.is_some_and(|r| r.readable || r.hangup) {
            match fill(stream, &mut self.inbuf, 64 << 20) {
                Ok(Filled::Open(n)) if n > 0 => {
                    self.deadline = now + self.up.settings.proxy_read_timeout.unwrap_or(Duration::from_secs(60))
                }
                Ok(Filled::Open(_)) => {}
                Ok(Filled::Closed(_)) => eof = true,
                Err(e) => {
                    let msg = format!(
                        "recv() failed ({}) while reading response header from upstream",
                        guest_server::errno::text(&e)
                    );
                    self.log(Level::Error, &msg, self.peer);
                    return self.fail(502);
                }
            }
        }
        match self.complete(eof) {
            Some(Ok(r)) => Some(r),
            Some(Err(msg)) => {
                self.log(Level::Error, msg, self.peer);
                self.fail(502)
            }
            None if now >= self.deadline => {
                self.log(
                    Level::Error,
                    "upstream timed out (110: Connection timed out) while reading response header from upstream",
                    self.peer,
                );
                self.fail(504)
            }
            None => None,
        }
    }
}
