//! An HTTP/1.x request as it arrives on the wire (RFC 9112): the request line and header fields
//! (parsed by `httparse`), then a body whose size `Content-Length` gives or which comes in
//! chunks. [`parse`] is called each time bytes arrive, until a whole request is there.

use crate::chunked::{self, ChunkError};

/// How much a request may take before it is refused.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Request line and headers together.
    pub head: usize,
    /// The request line alone (nginx answers `414 Request-URI Too Large` beyond).
    pub line: usize,
    /// The body (nginx's `client_max_body_size`, 1 MiB by default).
    pub body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { head: 32 * 1024, line: 8 * 1024, body: 1024 * 1024 }
    }
}

/// Why a request cannot be served; each maps to the status a server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// Malformed (400): the reason is for the error log.
    Invalid(&'static str),
    /// 414: the request line is too long.
    UriTooLong,
    /// 400: the headers are too large.
    HeaderTooLarge,
    /// 413: the body is larger than allowed.
    BodyTooLarge,
    /// 505: not HTTP/1.x.
    Version,
    /// 501: a transfer coding other than chunked.
    NotImplemented,
}

impl ParseError {
    pub fn status(self) -> u16 {
        match self {
            ParseError::Invalid(_) | ParseError::HeaderTooLarge => 400,
            ParseError::UriTooLong => 414,
            ParseError::BodyTooLarge => 413,
            ParseError::Version => 505,
            ParseError::NotImplemented => 501,
        }
    }
}

/// One parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request-target as sent (`/index.html?x=1`).
    pub target: String,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor_version: u8,
    /// Header fields in order, names as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The outcome of [`parse`] on the bytes received so far.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// More bytes are needed.
    Partial,
    /// A whole request, and how many bytes it took (the rest is the next request).
    Done(Request, usize),
}

const MAX_HEADERS: usize = 128;

/// Parses the request at the start of `buf`.
pub fn parse(buf: &[u8], limits: &Limits) -> Result<Parsed, ParseError> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut slots);
    let head_len = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            let line_done = buf.windows(2).any(|w| w == b"\r\n") || buf.contains(&b'\n');
            if !line_done && buf.len() > limits.line {
                return Err(ParseError::UriTooLong);
            }
            if buf.len() > limits.head {
                return Err(ParseError::HeaderTooLarge);
            }
            return Ok(Parsed::Partial);
        }
        Err(httparse::Error::Version) => return Err(ParseError::Version),
        Err(httparse::Error::TooManyHeaders) => return Err(ParseError::HeaderTooLarge),
        Err(httparse::Error::Token) => return Err(ParseError::Invalid("client sent invalid method")),
        Err(_) => return Err(ParseError::Invalid("client sent invalid request")),
    };
    if head_len > limits.head {
        return Err(ParseError::HeaderTooLarge);
    }
    let method = req.method.unwrap_or_default().to_string();
    let target = req.path.unwrap_or_default().to_string();
    if target.len() > limits.line {
        return Err(ParseError::UriTooLong);
    }
    let minor_version = req.version.unwrap_or(1);
    let headers: Vec<(String, String)> =
        req.headers.iter().map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned())).collect();
    let mut request = Request { method, target, minor_version, headers, body: Vec::new() };
    if minor_version == 1 && request.header("host").is_none() {
        return Err(ParseError::Invalid("client sent HTTP/1.1 request without \"Host\" header"));
    }
    let rest = &buf[head_len..];
    if let Some(te) = request.header("transfer-encoding") {
        if !te.trim().eq_ignore_ascii_case("chunked") {
            return Err(ParseError::NotImplemented);
        }
        if request.header("content-length").is_some() {
            return Err(ParseError::Invalid("client sent \"Content-Length\" and \"Transfer-Encoding\" headers"));
        }
        return match chunked::decode(rest, limits.body) {
            Ok(None) => Ok(Parsed::Partial),
            Ok(Some((body, used))) => {
                request.body = body;
                Ok(Parsed::Done(request, head_len + used))
            }
            Err(ChunkError::TooLarge) => Err(ParseError::BodyTooLarge),
            Err(ChunkError::Invalid) => Err(ParseError::Invalid("client sent invalid chunked body")),
        };
    }
    let length = content_length(&request)?;
    if length > limits.body {
        return Err(ParseError::BodyTooLarge);
    }
    if rest.len() < length {
        return Ok(Parsed::Partial);
    }
    request.body = rest[..length].to_vec();
    Ok(Parsed::Done(request, head_len + length))
}

/// The body's length: every `Content-Length` must agree and be a plain decimal number.
fn content_length(request: &Request) -> Result<usize, ParseError> {
    let mut length = None;
    for (name, value) in &request.headers {
        if !name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        let v = value.trim();
        let n = (!v.is_empty() && v.len() < 19 && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse::<usize>().ok())
            .flatten()
            .ok_or(ParseError::Invalid("client sent invalid \"Content-Length\" header"))?;
        if length.is_some_and(|l| l != n) {
            return Err(ParseError::Invalid("client sent duplicate header line"));
        }
        length = Some(n);
    }
    Ok(length.unwrap_or(0))
}

/// The first line of what a client sent, for the access log of a request that failed to parse.
pub fn first_line(buf: &[u8]) -> String {
    let end = buf.iter().position(|&b| b == b'\r' || b == b'\n').unwrap_or(buf.len()).min(2048);
    let mut out = String::new();
    for &b in &buf[..end] {
        match b {
            b'"' | b'\\' => out.push_str(&format!("\\x{b:02X}")),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out
}

impl Request {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `GET /index.html HTTP/1.1`, as access logs quote it.
    pub fn request_line(&self) -> String {
        format!("{} {} HTTP/1.{}", self.method, self.target, self.minor_version)
    }

    /// The target's path, before any `?`.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The target's query string, after the `?`.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// True if the client wants the connection kept open after this exchange: HTTP/1.1 unless
    /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    pub fn wants_keep_alive(&self) -> bool {
        let tokens =
            |t: &str| self.header("connection").is_some_and(|v| v.split(',').any(|x| x.trim().eq_ignore_ascii_case(t)));
        if self.minor_version >= 1 {
            !tokens("close")
        } else {
            tokens("keep-alive")
        }
    }

    /// `Host` without its port, lowercased (virtual host selection).
    pub fn host_name(&self) -> Option<String> {
        let host = self.header("host")?.trim();
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host, |(h, _)| h),
        };
        Some(name.trim_end_matches('.').to_ascii_lowercase())
    }
}

/// Decodes `%XX` escapes of a path (`/my%20file` -> `/my file`); `None` if an escape is
/// malformed or decodes to a NUL.
pub fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            if v == 0 {
                return None;
            }
            out.push(v);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Resolves `.` and `..` segments and repeated slashes (`/a/../b//c` -> `/b/c`); `None` if
/// `..` climbs above the root.
pub fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut out = format!("/{}", parts.join("/"));
    if trailing && !parts.is_empty() {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
