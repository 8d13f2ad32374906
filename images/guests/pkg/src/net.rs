//! Downloading from the mirrors: URLs, the [`Net`] trait the tools fetch through, and
//! [`HttpNet`], a small HTTP/1.1 client over the playground's sockets (`guest-net`). Every URL
//! is fetched with plain HTTP on port 80, `https://` too: TLS is out of scope in the playground.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr};

/// `scheme://host[:port]/path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
}

impl Url {
    pub fn parse(text: &str) -> Option<Url> {
        let (scheme, rest) = text.split_once("://")?;
        let (authority, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p.parse().ok()?)),
            None => (authority, None),
        };
        if host.is_empty() || !matches!(scheme, "http" | "https" | "ftp") {
            return None;
        }
        Some(Url { scheme: scheme.to_string(), host: host.to_ascii_lowercase(), port, path: path.to_string() })
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        f.write_str(&self.path)
    }
}

/// Why a download failed, in the terms the tools report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetError {
    /// The host name does not resolve.
    Resolve,
    /// Nothing listens there.
    Refused(Ipv4Addr),
    /// No route (no network, `--network none`).
    Unreachable(Ipv4Addr),
    TimedOut(Ipv4Addr),
    /// The server answered with an error status (`404`, `Not Found`).
    Status(u16, String),
    /// The connection broke, or the answer is not HTTP.
    Io(String),
}

/// Where the tools get files from.
pub trait Net {
    /// The body of `url`, or why not. `agent` is the `User-Agent`.
    fn get(&mut self, url: &Url, agent: &str) -> Result<Vec<u8>, NetError>;
}

type Resolve = Box<dyn Fn(&str) -> io::Result<Vec<Ipv4Addr>>>;

/// HTTP over TCP.
pub struct HttpNet {
    resolve: Resolve,
    /// The port every request goes to (80; tests use a loopback server's).
    port: u16,
}

impl HttpNet {
    /// The playground's network: the C library's resolution rules, port 80.
    pub fn system() -> Self {
        HttpNet { resolve: Box::new(guest_net::resolve::lookup), port: 80 }
    }

    /// A client with its own resolver and port (tests).
    pub fn new(resolve: impl Fn(&str) -> io::Result<Vec<Ipv4Addr>> + 'static, port: u16) -> Self {
        HttpNet { resolve: Box::new(resolve), port }
    }
}

impl Net for HttpNet {
    fn get(&mut self, url: &Url, agent: &str) -> Result<Vec<u8>, NetError> {
        let ip = (self.resolve)(&url.host).ok().and_then(|a| a.first().copied()).ok_or(NetError::Resolve)?;
        let mut stream =
            guest_net::TcpStream::connect(SocketAddr::from((ip, self.port))).map_err(|e| match e.kind() {
                io::ErrorKind::ConnectionRefused => NetError::Refused(ip),
                io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable => NetError::Unreachable(ip),
                io::ErrorKind::TimedOut => NetError::TimedOut(ip),
                _ => NetError::Io(e.to_string()),
            })?;
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {agent}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            url.path, url.host
        );
        let io = |e: io::Error| NetError::Io(e.to_string());
        stream.write_all(request.as_bytes()).map_err(io)?;
        let mut received = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let (head_len, status, reason, length, chunked) = {
                let mut headers = [httparse::EMPTY_HEADER; 64];
                let mut response = httparse::Response::new(&mut headers);
                match response.parse(&received) {
                    Ok(httparse::Status::Complete(n)) => {
                        let header = |name: &str| {
                            response
                                .headers
                                .iter()
                                .find(|h| h.name.eq_ignore_ascii_case(name))
                                .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
                        };
                        let length = header("content-length").and_then(|l| l.parse::<usize>().ok());
                        let chunked = header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked"));
                        (
                            Some(n),
                            response.code.unwrap_or(0),
                            response.reason.unwrap_or("").to_string(),
                            length,
                            chunked,
                        )
                    }
                    Ok(httparse::Status::Partial) => (None, 0, String::new(), None, false),
                    Err(e) => return Err(NetError::Io(format!("bad response: {e}"))),
                }
            };
            if let Some(head_len) = head_len {
                let mut body = received.split_off(head_len);
                match length {
                    Some(len) => {
                        while body.len() < len {
                            let n = stream.read(&mut buf).map_err(io)?;
                            if n == 0 {
                                return Err(NetError::Io("connection closed early".into()));
                            }
                            body.extend_from_slice(&buf[..n]);
                        }
                        body.truncate(len);
                    }
                    None => loop {
                        let n = stream.read(&mut buf).map_err(io)?;
                        if n == 0 {
                            break;
                        }
                        body.extend_from_slice(&buf[..n]);
                    },
                }
                if chunked {
                    body = dechunk(&body).ok_or_else(|| NetError::Io("bad chunked body".into()))?;
                }
                if !(200..300).contains(&status) {
                    return Err(NetError::Status(status, reason));
                }
                return Ok(body);
            }
            let n = stream.read(&mut buf).map_err(io)?;
            if n == 0 {
                return Err(NetError::Io("connection closed before the response".into()));
            }
            received.extend_from_slice(&buf[..n]);
        }
    }
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_their_scheme_host_and_path() {
        let u = Url::parse("https://dl-cdn.alpinelinux.org/alpine/v3.21/main").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str(), u.path.as_str()),
            ("https", "dl-cdn.alpinelinux.org", "/alpine/v3.21/main")
        );
        assert_eq!(u.to_string(), "https://dl-cdn.alpinelinux.org/alpine/v3.21/main");
        assert_eq!(Url::parse("http://h:8080").unwrap().port, Some(8080));
        assert!(Url::parse("not a url").is_none());
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").unwrap(), b"abcde");
        assert!(dechunk(b"5\r\nab").is_none());
    }
}
