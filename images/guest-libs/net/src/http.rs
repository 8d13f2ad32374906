//! The client half of HTTP/1.1 that `curl` and `wget` share: URLs, the request head, and reading
//! a response (status line and headers parsed by httparse, then a body delimited by
//! `Content-Length`, by chunks, or by the end of the connection). Each tool writes its own
//! request headers and prints the exchange its own way.

use std::fmt;
use std::io::{self, BufRead, Read};

/// `scheme://[user[:password]@]host[:port][/path][?query]` (the fragment is dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub userinfo: Option<String>,
    pub host: String,
    pub port: u16,
    /// What goes on the request line: starts with `/`.
    pub target: String,
}

/// Why a URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// A scheme other than `http` (and `https`, which needs TLS the playground does not have).
    Scheme(String),
    BadPort,
    NoHost,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::Scheme(s) => write!(f, "unsupported scheme {s}"),
            UrlError::BadPort => f.write_str("bad port"),
            UrlError::NoHost => f.write_str("no host"),
        }
    }
}

impl Url {
    /// Parses `s`; without `scheme://`, `http` is assumed (as curl and wget do).
    pub fn parse(s: &str) -> Result<Url, UrlError> {
        let (scheme, rest) = match s.find("://") {
            Some(i) => (s[..i].to_ascii_lowercase(), &s[i + 3..]),
            None => ("http".to_string(), s),
        };
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(UrlError::Scheme(scheme)),
        };
        let rest = rest.split('#').next().unwrap_or("");
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(split);
        let target = match path.chars().next() {
            None => "/".to_string(),
            Some('?') => format!("/{path}"),
            Some(_) => path.to_string(),
        };
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(i) => (Some(authority[..i].to_string()), &authority[i + 1..]),
            None => (None, authority),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !p.is_empty() => (h, p.parse::<u16>().map_err(|_| UrlError::BadPort)?),
            Some((h, _)) => (h, default_port),
            None => (hostport, default_port),
        };
        if host.is_empty() {
            return Err(UrlError::NoHost);
        }
        Ok(Url { scheme, userinfo, host: host.to_string(), port, target })
    }

    /// `host` or `host:port` when the port is not the scheme's default: the `Host` header.
    pub fn host_header(&self) -> String {
        let default = if self.scheme == "https" { 443 } else { 80 };
        if self.port == default {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The URL `location` (a redirect) points to, relative to this one.
    pub fn join(&self, location: &str) -> Result<Url, UrlError> {
        if location.contains("://") {
            return Url::parse(location);
        }
        let mut u = self.clone();
        if let Some(rest) = location.strip_prefix("//") {
            return Url::parse(&format!("{}://{rest}", self.scheme));
        }
        u.target = if location.starts_with('/') {
            location.to_string()
        } else {
            let path = self.target.split('?').next().unwrap_or("/");
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            format!("{dir}{location}")
        };
        Ok(u)
    }

    /// The whole URL, as curl prints it (`%{url_effective}`).
    pub fn to_string_full(&self) -> String {
        format!("{}://{}{}", self.scheme, self.host_header(), self.target)
    }
}

/// The status line and headers of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    /// `HTTP/1.1`
    pub version: String,
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    /// The head's lines as received, without line ends (status line first).
    pub lines: Vec<String>,
}

impl ResponseHead {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The status line: `HTTP/1.1 200 OK`.
    pub fn status_line(&self) -> &str {
        self.lines.first().map_or("", String::as_str)
    }
}

const MAX_HEAD: usize = 64 * 1024;

/// Reads a response head. `Ok(None)` when the connection closed before a single byte (curl's
/// "Empty reply from server").
pub fn read_head(r: &mut impl BufRead) -> io::Result<Option<ResponseHead>> {
    let mut raw = Vec::new();
    loop {
        let n = r.read_until(b'\n', &mut raw)?;
        if n == 0 {
            if raw.is_empty() {
                return Ok(None);
            }
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed in the response head"));
        }
        if raw.ends_with(b"\n\r\n") || raw.ends_with(b"\n\n") {
            break;
        }
        if raw.len() > MAX_HEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "response head too large"));
        }
    }
    let mut headers = vec![httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    match resp.parse(&raw) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(io::Error::new(io::ErrorKind::InvalidData, "malformed response head")),
    }
    let text = String::from_utf8_lossy(&raw);
    let lines: Vec<String> =
        text.split('\n').map(|l| l.trim_end_matches('\r').to_string()).take_while(|l| !l.is_empty()).collect();
    Ok(Some(ResponseHead {
        version: format!("HTTP/1.{}", resp.version.unwrap_or(1)),
        status: resp.code.unwrap_or(0),
        reason: resp.reason.unwrap_or("").to_string(),
        headers: resp
            .headers
            .iter()
            .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned()))
            .collect(),
        lines,
    }))
}

/// How the body of a response ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// No body at all (`HEAD`, 1xx, 204, 304).
    Empty,
    Length(u64),
    Chunked,
    /// Until the server closes the connection.
    UntilClose,
}

impl BodyKind {
    /// RFC 9112 section 6.3, for a response to `method`.
    pub fn of(method: &str, head: &ResponseHead) -> io::Result<BodyKind> {
        if method.eq_ignore_ascii_case("HEAD") || head.status < 200 || head.status == 204 || head.status == 304 {
            return Ok(BodyKind::Empty);
        }
        if let Some(te) = head.header("transfer-encoding") {
            if te.split(',').next_back().is_some_and(|t| t.trim().eq_ignore_ascii_case("chunked")) {
                return Ok(BodyKind::Chunked);
            }
        }
        match head.header("content-length") {
            Some(v) => v
                .trim()
                .parse::<u64>()
                .map(BodyKind::Length)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, format!("content-length {v} is garbage"))),
            None => Ok(BodyKind::UntilClose),
        }
    }
}

/// Reads a body as its [`BodyKind`] says, giving the payload (chunk framing removed).
#[derive(Debug)]
pub struct BodyReader<R> {
    inner: R,
    kind: BodyKind,
    /// Bytes left in the body (Length) or in the current chunk (Chunked).
    left: u64,
    done: bool,
}

impl<R: BufRead> BodyReader<R> {
    pub fn new(inner: R, kind: BodyKind) -> Self {
        let left = if let BodyKind::Length(n) = kind { n } else { 0 };
        let done = kind == BodyKind::Empty || kind == BodyKind::Length(0);
        Self { inner, kind, left, done }
    }

    /// The connection back (keep-alive, or to close it).
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The connection, still in use.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    fn line(&mut self) -> io::Result<String> {
        let mut s = String::new();
        if self.inner.read_line(&mut s)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed prematurely"));
        }
        Ok(s.trim_end().to_string())
    }

    /// Moves to the next chunk; false at the last one.
    fn next_chunk(&mut self) -> io::Result<bool> {
        let line = self.line()?;
        let size = line.split(';').next().unwrap_or("").trim();
        let n = u64::from_str_radix(size, 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, format!("bad chunk length '{line}'")))?;
        if n == 0 {
            // Trailer fields, then the empty line.
            while !self.line()?.is_empty() {}
            return Ok(false);
        }
        self.left = n;
        Ok(true)
    }
}

impl<R: BufRead> Read for BodyReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        match self.kind {
            BodyKind::Empty => Ok(0),
            BodyKind::UntilClose => {
                let n = self.inner.read(buf)?;
                self.done = n == 0;
                Ok(n)
            }
            BodyKind::Length(_) => {
                let max = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
                let n = self.inner.read(&mut buf[..max])?;
                if n == 0 {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed prematurely"));
                }
                self.left -= n as u64;
                self.done = self.left == 0;
                Ok(n)
            }
            BodyKind::Chunked => {
                if self.left == 0 && !self.next_chunk()? {
                    self.done = true;
                    return Ok(0);
                }
                let max = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
                let n = self.inner.read(&mut buf[..max])?;
                if n == 0 {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed prematurely"));
                }
                self.left -= n as u64;
                if self.left == 0 {
                    // The CRLF after the chunk's data.
                    self.line()?;
                }
                Ok(n)
            }
        }
    }
}

#[cfg(test)]
mod tests;
