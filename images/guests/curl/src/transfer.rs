//! One URL fetched as curl does it: resolve, connect (or reuse the connection kept from the
//! previous response), send the request, read the response head, follow redirects with `-L`,
//! then stream the body to its destination. Errors carry curl's exit code and message.

use crate::args::Config;
use crate::meter::Meter;
use crate::trace::Trace;
use crate::writeout::Info;
use guest_net::http::{self, BodyKind, BodyReader, ResponseHead, Url};
use guest_net::resolve::Resolver;
use guest_net::{IpAddr, SocketAddr, TcpStream};
use std::io::{self, BufReader, Read, Write};
use std::time::Instant;

pub const VERSION: &str = "8.5.0";

/// A failed transfer: curl's exit code and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurlError {
    pub code: u8,
    pub msg: String,
}

fn fail<T>(code: u8, msg: impl Into<String>) -> Result<T, CurlError> {
    Err(CurlError { code, msg: msg.into() })
}

/// Where the body (and with `-i`, the head) goes: standard output or a file created on first
/// write.
pub enum Output<'a> {
    Stream(&'a mut dyn Write),
    File { path: String, file: Option<std::fs::File> },
}

impl Output<'_> {
    fn write(&mut self, data: &[u8]) -> Result<(), CurlError> {
        let r = match self {
            Output::Stream(w) => w.write_all(data),
            Output::File { path, file } => {
                if file.is_none() {
                    *file = Some(std::fs::File::create(&*path).map_err(|e| CurlError {
                        code: 23,
                        msg: format!("Failed to open the file {path}: {}", strerror(&e)),
                    })?);
                }
                file.as_mut().map_or(Ok(()), |f| f.write_all(data))
            }
        };
        r.or_else(|_| fail(23, "Failure writing output to destination"))
    }

    pub fn flush(&mut self) {
        let _ = match self {
            Output::Stream(w) => w.flush(),
            Output::File { file: Some(f), .. } => f.flush(),
            Output::File { .. } => Ok(()),
        };
    }
}

/// An `io::Error`'s text without Rust's "(os error N)".
pub fn strerror(e: &io::Error) -> String {
    let s = e.to_string();
    s.find(" (os error").map_or(s.clone(), |i| s[..i].to_string())
}

/// An open connection, kept between requests to the same server.
struct Conn {
    id: u32,
    host: String,
    port: u16,
    reader: BufReader<TcpStream>,
}

/// The state of one curl invocation: settings, trace, kept connection.
pub struct Session<'a> {
    pub cfg: &'a Config,
    pub trace: Trace<'a>,
    /// Where the progress meter goes (None: no meter).
    pub meter_out: Option<&'a mut dyn Write>,
    next_id: u32,
    kept: Option<Conn>,
}

impl<'a> Session<'a> {
    pub fn new(cfg: &'a Config, trace: Trace<'a>, meter_out: Option<&'a mut dyn Write>) -> Self {
        Self { cfg, trace, meter_out, next_id: 0, kept: None }
    }

    fn meter_print(&mut self, s: &str) {
        if let Some(o) = self.meter_out.as_mut() {
            let _ = o.write_all(s.as_bytes());
            let _ = o.flush();
        }
    }

    /// Fetches `url` into `out`; the facts for `-w`, and the error if it failed.
    pub fn fetch(&mut self, url: &str, out: &mut Output<'_>) -> (Info, Result<(), CurlError>) {
        let mut info = Info::default();
        let start = Instant::now();
        // A URL libcurl cannot use fails before any transfer starts (no meter).
        if let Err(e) = check_url(url) {
            info.exitcode = e.code;
            info.errormsg = e.msg.clone();
            return (info, Err(e));
        }
        let meter = Meter::new();
        if self.meter_out.is_some() {
            let first = meter.line(0, None, 0, None);
            self.meter_print(&format!("{}{first}", crate::meter::HEADER));
        }
        let result = self.run(url, out, &mut info, start, &meter);
        info.time_total = start.elapsed();
        if let Err(e) = &result {
            info.exitcode = e.code;
            info.errormsg = e.msg.clone();
            if self.meter_out.is_some() {
                self.meter_print("\n");
            }
        }
        out.flush();
        (info, result)
    }

    /// Connects to `url`'s server, or reuses the kept connection to it.
    fn connect(&mut self, url: &Url, info: &mut Info, start: Instant) -> Result<Conn, CurlError> {
        if let Some(c) = self.kept.take() {
            if c.host == url.host && c.port == url.port {
                self.trace.info(&format!("Re-using existing connection with host {}", url.host));
                return Ok(c);
            }
            self.trace.info("Closing connection");
        }
        let ip = match Resolver::system().lookup(&url.host) {
            Ok(a) if !a.is_empty() => a[0],
            _ => {
                self.trace.info(&format!("Could not resolve host: {}", url.host));
                self.trace.info("Closing connection");
                return fail(6, format!("Could not resolve host: {}", url.host));
            }
        };
        info.time_namelookup = start.elapsed();
        let addr = SocketAddr::new(IpAddr::V4(ip), url.port);
        self.trace.info(&format!("  Trying {addr}..."));
        let stream = match TcpStream::connect(addr) {
            Ok(s) => s,
            Err(e) => {
                let ms = start.elapsed().as_millis();
                self.trace.info(&format!("connect to {ip} port {} failed: {}", url.port, strerror(&e)));
                let msg = format!(
                    "Failed to connect to {} port {} after {ms} ms: Couldn't connect to server",
                    url.host, url.port
                );
                self.trace.info(&msg);
                self.trace.info("Closing connection");
                let code = if e.kind() == io::ErrorKind::TimedOut { 28 } else { 7 };
                return fail(code, msg);
            }
        };
        info.time_connect = start.elapsed();
        info.remote_ip = ip.to_string();
        info.remote_port = url.port;
        if let Ok(local) = stream.local_addr() {
            info.local_ip = local.ip().to_string();
            info.local_port = local.port();
        }
        self.trace.info(&format!("Connected to {} ({ip}) port {}", url.host, url.port));
        let id = self.next_id;
        self.next_id += 1;
        Ok(Conn { id, host: url.host.clone(), port: url.port, reader: BufReader::new(stream) })
    }

    /// Applies what remains of `-m` to the socket; a timeout error when nothing remains.
    fn arm_timeout(&self, stream: &TcpStream, start: Instant, received: u64) -> Result<(), CurlError> {
        if let Some(max) = self.cfg.max_time {
            let left = max.saturating_sub(start.elapsed());
            if left.is_zero() {
                return fail(
                    28,
                    format!(
                        "Operation timed out after {} milliseconds with {received} bytes received",
                        max.as_millis()
                    ),
                );
            }
            let _ = stream.set_read_timeout(Some(left));
        }
        Ok(())
    }

    fn run(
        &mut self,
        url: &str,
        out: &mut Output<'_>,
        info: &mut Info,
        start: Instant,
        meter: &Meter,
    ) -> Result<(), CurlError> {
        let cfg = self.cfg;
        let mut url = check_url(url)?;
        let mut body: Option<Vec<u8>> = (!cfg.data.is_empty()).then(|| cfg.data.join(&b'&'));
        let mut method = match (&cfg.method, cfg.head, &body) {
            (Some(m), _, _) => m.clone(),
            (None, true, _) => "HEAD".to_string(),
            (None, false, Some(_)) => "POST".to_string(),
            _ => "GET".to_string(),
        };
        loop {
            info.url_effective = url.to_string_full();
            info.scheme = url.scheme.clone();
            info.method = method.clone();
            let mut conn = self.connect(&url, info, start)?;
            let head = crate::request::head(cfg, &url, &method, body.as_deref());
            self.trace.request(&head);
            info.size_request = head.len() as u64;
            let mut sent = head.into_bytes();
            if let Some(b) = &body {
                sent.extend_from_slice(b);
                self.trace.data_out(b.len());
                info.size_upload = b.len() as u64;
            }
            conn.reader.get_mut().write_all(&sent).or_else(|e| fail(55, format!("Send failure: {}", strerror(&e))))?;
            let head = self.read_head(&mut conn, info, start)?;
            let location = head.header("location").and_then(|l| url.join(l).ok());
            if cfg.include || cfg.head {
                let mut text = String::new();
                for l in &head.lines {
                    text.push_str(l);
                    text.push_str("\r\n");
                }
                text.push_str("\r\n");
                out.write(text.as_bytes())?;
            }
            let kind = BodyKind::of(&method, &head).or_else(|e| fail(8, e.to_string()))?;
            let keep = kind != BodyKind::UntilClose
                && !head.header("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"))
                && head.version != "HTTP/1.0";
            let follow = cfg.location && matches!(head.status, 301 | 302 | 303 | 307 | 308);
            match (follow, location) {
                (true, Some(next)) => {
                    // The redirect's own body is read and dropped.
                    let mut reader = BodyReader::new(conn.reader, kind);
                    let _ = io::copy(&mut reader, &mut io::sink());
                    conn.reader = reader.into_inner();
                    self.done_with(conn, keep);
                    info.num_redirects += 1;
                    if info.num_redirects > cfg.max_redirs {
                        return fail(47, format!("Maximum ({}) redirects followed", cfg.max_redirs));
                    }
                    let to_get = head.status == 303 && method != "HEAD"
                        || matches!(head.status, 301 | 302) && method == "POST" && cfg.method.is_none();
                    if to_get {
                        if method == "POST" {
                            self.trace.info("Switch from POST to GET");
                        }
                        method = "GET".into();
                        body = None;
                    }
                    url = next;
                    self.trace.info(&format!("Issue another request to this URL: '{}'", url.to_string_full()));
                    continue;
                }
                (_, next) => info.redirect_url = next.map(|u| u.to_string_full()).unwrap_or_default(),
            }
            if cfg.fail && head.status >= 400 {
                let msg = format!("The requested URL returned error: {}", head.status);
                self.trace.info(&msg);
                self.done_with(conn, false);
                return fail(22, msg);
            }
            let total = if let BodyKind::Length(n) = kind { Some(n) } else { None };
            let (conn, received) = self.body(conn, kind, out, info, start);
            let received = match received {
                Ok(n) => n,
                Err(e) => {
                    self.done_with(conn, false);
                    return Err(e);
                }
            };
            if self.meter_out.is_some() {
                let line = meter.line(received, total.or(Some(received)), info.size_upload, Some(info.size_upload));
                self.meter_print(&format!("{line}\n"));
            }
            self.done_with(conn, keep);
            return Ok(());
        }
    }

    /// Reads the response head (skipping `100 Continue`), traced and counted.
    fn read_head(&mut self, conn: &mut Conn, info: &mut Info, start: Instant) -> Result<ResponseHead, CurlError> {
        loop {
            self.arm_timeout(conn.reader.get_ref(), start, 0)?;
            let head = match http::read_head(&mut conn.reader) {
                Ok(Some(h)) => h,
                Ok(None) => {
                    self.trace.info("Empty reply from server");
                    self.trace.info("Closing connection");
                    return fail(52, "Empty reply from server");
                }
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    let ms = start.elapsed().as_millis();
                    return fail(28, format!("Operation timed out after {ms} milliseconds with 0 bytes received"));
                }
                Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                    return fail(1, "Unsupported HTTP version in response")
                }
                Err(e) => return fail(56, format!("Recv failure: {}", strerror(&e))),
            };
            info.time_starttransfer = start.elapsed();
            for l in &head.lines {
                self.trace.response_line(l);
            }
            self.trace.response_line("");
            info.size_header += head.lines.iter().map(|l| l.len() as u64 + 2).sum::<u64>() + 2;
            if head.status >= 200 || head.status < 100 {
                info.http_code = head.status;
                info.http_version = head.version.trim_start_matches("HTTP/").to_string();
                info.content_type = head.header("content-type").unwrap_or("").to_string();
                info.headers = head.headers.clone();
                return Ok(head);
            }
        }
    }

    /// Streams the body to `out`; returns the connection back and the bytes received.
    fn body(
        &mut self,
        conn: Conn,
        kind: BodyKind,
        out: &mut Output<'_>,
        info: &mut Info,
        start: Instant,
    ) -> (Conn, Result<u64, CurlError>) {
        let Conn { id, host, port, reader } = conn;
        let mut received = 0u64;
        let mut body = BodyReader::new(reader, kind);
        let mut buf = vec![0u8; 16 * 1024];
        let result = loop {
            if let Err(e) = self.arm_timeout(body.get_ref().get_ref(), start, received) {
                break Err(e);
            }
            match body.read(&mut buf) {
                Ok(0) => break Ok(received),
                Ok(n) => {
                    received += n as u64;
                    self.trace.data_in(n);
                    if let Err(e) = out.write(&buf[..n]) {
                        break Err(e);
                    }
                }
                Err(e) => break Err(read_error(&e, kind, received, start)),
            }
        };
        info.size_download = received;
        (Conn { id, host, port, reader: body.into_inner() }, result)
    }

    /// After a response: keep the connection for the next request, or close it.
    fn done_with(&mut self, conn: Conn, keep: bool) {
        if keep {
            self.trace.info(&format!("Connection #{} to host {} left intact", conn.id, conn.host));
            self.kept = Some(conn);
        } else {
            self.trace.info("Closing connection");
        }
    }
}

/// The URL if libcurl can fetch it: plain `http` only.
fn check_url(url: &str) -> Result<Url, CurlError> {
    match Url::parse(url) {
        Ok(u) if u.scheme == "http" => Ok(u),
        Ok(u) => fail(1, format!("Protocol \"{}\" not supported or disabled in libcurl", u.scheme)),
        Err(http::UrlError::Scheme(s)) => fail(1, format!("Protocol \"{s}\" not supported or disabled in libcurl")),
        Err(_) => fail(3, "URL using bad/illegal format or missing URL"),
    }
}

/// curl's error for a failed body read.
fn read_error(e: &io::Error, kind: BodyKind, received: u64, start: Instant) -> CurlError {
    let ms = start.elapsed().as_millis();
    let (code, msg) = match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => (
            28,
            match kind {
                BodyKind::Length(n) => {
                    format!("Operation timed out after {ms} milliseconds with {received} out of {n} bytes received")
                }
                _ => format!("Operation timed out after {ms} milliseconds with {received} bytes received"),
            },
        ),
        io::ErrorKind::UnexpectedEof => (
            18,
            match kind {
                BodyKind::Length(n) => format!("transfer closed with {} bytes remaining to read", n - received),
                _ => "transfer closed with outstanding read data remaining".to_string(),
            },
        ),
        io::ErrorKind::InvalidData => (56, "Illegal or missing hexadecimal sequence in chunked-encoding".to_string()),
        _ => (56, format!("Recv failure: {}", strerror(e))),
    };
    CurlError { code, msg }
}

/// `-O`: the file name at the end of the URL's path.
pub fn remote_name(url: &str) -> Result<String, CurlError> {
    let u = Url::parse(url).or_else(|_| fail(3, "URL using bad/illegal format or missing URL"))?;
    let path = u.target.split('?').next().unwrap_or("");
    Ok(path.rsplit('/').next().unwrap_or("").to_string())
}
