//! The distributions' package mirrors: the part of "the internet" that `apk add` and
//! `apt-get install` reach. Inside a container, `apk` fetches
//! `https://dl-cdn.alpinelinux.org/alpine/v3.21/main/x86_64/APKINDEX.tar.gz` and `apt-get` fetches
//! `http://archive.ubuntu.com/ubuntu/dists/noble/InRelease`, exactly as on a real machine; here
//! those host names lead to one engine-side web server that answers from the bundled catalog.
//!
//! The repository files (indexes, `.apk` and `.deb` archives) are built by `images/` into the
//! catalog like layers: each is a content-addressed blob (`blobs/sha256/<hex>`), and the catalog
//! file [`INDEX`] (`mirror.json`, a [`MirrorIndex`]) maps host name and URL path to a blob. The page
//! fetches a blob only when a container asks for it.
//!
//! How the network stack uses it (a plain HTTP/1.1 server on port 80; TLS is out of scope, so the
//! guests speak plain HTTP to port 80 even for `https://` URLs):
//! - DNS: every name of [`HOSTS`] resolves to the address the stack gives the mirror.
//! - Each accepted TCP connection keeps its received bytes in a buffer and calls
//!   [`Mirror::handle`] with it (and the daemon's [`BlobSource`]) whenever bytes arrive, and again
//!   on later ticks while the answer is [`Reply::Pending`] (a blob being fetched by the page):
//!   - [`Reply::Incomplete`]: the request is not whole yet; wait for more bytes.
//!   - [`Reply::Pending`]: a blob is on its way; call again later with the same bytes.
//!   - [`Reply::Respond`]: send `response`, drop the first `consumed` bytes of the buffer (the
//!     next request may follow on the same connection: keep-alive), and close the connection
//!     after sending when `close` is set.
//!
//! Answers: `200` with the file (`HEAD`: headers only), `404 Not Found` for any other path or
//! host, `400 Bad Request` for a request that is not HTTP, `405 Method Not Allowed` for other
//! methods, `503 Service Unavailable` when the catalog cannot provide a blob. Request bodies are
//! not expected (GET and HEAD only).

use crate::platform::{BlobPoll, BlobSource};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The host names the mirror answers for: Alpine's CDN, Debian's and Ubuntu's archives.
pub const HOSTS: &[&str] = &["dl-cdn.alpinelinux.org", "deb.debian.org", "archive.ubuntu.com", "security.ubuntu.com"];

/// The catalog file that lists what the mirror serves.
pub const INDEX: &str = "mirror.json";

/// What the mirror serves: host name -> URL path (`/alpine/v3.21/main/x86_64/APKINDEX.tar.gz`,
/// decoded, without query) -> file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MirrorIndex {
    pub sites: BTreeMap<String, BTreeMap<String, MirrorFile>>,
}

/// One file of a mirror: a catalog blob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MirrorFile {
    /// `sha256:<hex>`: the blob is `blobs/sha256/<hex>` in the catalog.
    pub digest: String,
    pub size: u64,
    /// The `Content-Type` header.
    #[serde(rename = "type")]
    pub content_type: String,
}

impl MirrorFile {
    fn blob_path(&self) -> String {
        format!("blobs/sha256/{}", self.digest.strip_prefix("sha256:").unwrap_or(&self.digest))
    }
}

/// What to do with a connection's received bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The request's head has not fully arrived.
    Incomplete,
    /// The answer needs a catalog file that is still being fetched: ask again later.
    Pending,
    /// Send `response`; the request took the first `consumed` bytes; close after sending if `close`.
    Respond { consumed: usize, response: Vec<u8>, close: bool },
}

/// The mirror's web server. It reads [`INDEX`] from the catalog on its first request.
#[derive(Debug, Default)]
pub struct Mirror {
    index: Option<MirrorIndex>,
}

/// The longest request head accepted (request line and headers).
const MAX_HEAD: usize = 16 * 1024;

/// The `Server` header, as Fastly (which serves dl-cdn.alpinelinux.org) would not say it: the
/// playground names itself.
const SERVER: &str = "playground-mirror";

impl Mirror {
    /// A mirror that will read its index from the catalog.
    pub fn new() -> Self {
        Self::default()
    }

    /// A mirror serving `index` (tests, or a daemon that loaded it itself).
    pub fn with_index(index: MirrorIndex) -> Self {
        Self { index: Some(index) }
    }

    /// Whether `host` (a DNS name, any case, with or without a final dot) is one of the mirrors.
    pub fn serves(host: &str) -> bool {
        let host = host.trim_end_matches('.');
        HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Answers the request at the start of `received` (see the module doc).
    pub fn handle(&mut self, received: &[u8], blobs: &mut dyn BlobSource) -> Reply {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        let consumed = match req.parse(received) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) if received.len() <= MAX_HEAD => return Reply::Incomplete,
            _ => return error(400, "Bad Request", received.len(), true),
        };
        let method = req.method.unwrap_or("");
        let version = req.version.unwrap_or(1);
        let header = |name: &str| {
            req.headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
        };
        let close = version == 0 || header("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
        if method != "GET" && method != "HEAD" {
            return error(405, "Method Not Allowed", consumed, true);
        }
        let Some(host) = header("host") else {
            return error(400, "Bad Request", consumed, true);
        };
        let host = host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h).to_ascii_lowercase();
        let path = percent_decode(req.path.unwrap_or("/").split(['?', '#']).next().unwrap_or("/"));
        if self.index.is_none() {
            match blobs.poll(INDEX) {
                BlobPoll::Pending => return Reply::Pending,
                BlobPoll::Ready(bytes) => self.index = Some(serde_json::from_slice(&bytes).unwrap_or_default()),
                // A catalog without mirrors: every request is a 404.
                BlobPoll::Failed(_) => self.index = Some(MirrorIndex::default()),
            }
        }
        let file = self.index.as_ref().and_then(|i| i.sites.get(host.trim_end_matches('.'))?.get(&path));
        let Some(file) = file else {
            return error(404, "Not Found", consumed, close);
        };
        let body = match blobs.poll(&file.blob_path()) {
            BlobPoll::Ready(bytes) => bytes,
            BlobPoll::Pending => return Reply::Pending,
            BlobPoll::Failed(_) => return error(503, "Service Unavailable", consumed, close),
        };
        let mut response = head(200, "OK", &file.content_type, body.len(), close);
        if method == "GET" {
            response.extend_from_slice(&body);
        }
        Reply::Respond { consumed, response, close }
    }
}

fn head(code: u16, reason: &str, content_type: &str, length: usize, close: bool) -> Vec<u8> {
    let connection = if close { "close" } else { "keep-alive" };
    format!(
        "HTTP/1.1 {code} {reason}\r\nServer: {SERVER}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nConnection: {connection}\r\n\r\n"
    )
    .into_bytes()
}

/// An error page, as a small HTML document.
fn error(code: u16, reason: &str, consumed: usize, close: bool) -> Reply {
    let body = format!("<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n");
    let mut response = head(code, reason, "text/html", body.len(), close);
    response.extend_from_slice(body.as_bytes());
    Reply::Respond { consumed, response, close }
}

/// Decodes `%XX` escapes (apt writes `+` in versions as `%2b`); invalid escapes stay as they are.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
