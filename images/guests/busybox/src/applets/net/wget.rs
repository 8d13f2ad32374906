//! `wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR] [--post-data STR | --post-file
//! FILE] [-Y on/off] [-P DIR] [-U AGENT] [-T SEC] URL...`: BusyBox's HTTP downloader. One
//! `Connection: close` request per URL, redirects followed (16 at most), the body saved to the
//! URL's file name (refusing to overwrite one) or to `-O FILE` (`-` is standard output).

use super::progress::Meter;
use crate::sys;
use crate::util::{err, errstr, opts};
use guest_net::http::{self, BodyKind, BodyReader, Url};
use guest_net::{IpAddr, SocketAddr, TcpStream};
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::time::Duration;

/// What the command line asks for.
#[derive(Debug, Default)]
pub struct Options {
    pub quiet: bool,
    pub server_response: bool,
    pub spider: bool,
    pub cont: bool,
    pub output: Option<String>,
    pub log: Option<String>,
    pub dir_prefix: Option<String>,
    pub user_agent: Option<String>,
    pub timeout: Option<Duration>,
    pub headers: Vec<String>,
    pub post: Option<Vec<u8>>,
    pub urls: Vec<String>,
}

/// Splits the long options off, then parses the short ones as BusyBox's getopt32 does.
pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut short = Vec::new();
    let mut post_file = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let Some(long) = a.strip_prefix("--").filter(|l| !l.is_empty()) else {
            // -n[ARG] (-nv, -nc...) is accepted and ignored, as in BusyBox.
            if !(a.starts_with("-n") && a.len() > 1) {
                short.push(a.clone());
            }
            continue;
        };
        let (name, inline) = match long.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (long, None),
        };
        let takes_value = matches!(
            name,
            "header"
                | "post-data"
                | "post-file"
                | "output-document"
                | "output-file"
                | "directory-prefix"
                | "proxy"
                | "user-agent"
                | "timeout"
                | "tries"
        );
        let value = if takes_value {
            match inline {
                Some(v) => v,
                None if i < args.len() => {
                    i += 1;
                    args[i - 1].clone()
                }
                None => return Err(format!("option '--{name}' requires an argument")),
            }
        } else {
            String::new()
        };
        match name {
            "spider" => o.spider = true,
            "header" => o.headers.push(value),
            "post-data" => o.post = Some(value.into_bytes()),
            "post-file" => post_file = Some(value),
            "continue" => o.cont = true,
            "quiet" => o.quiet = true,
            "server-response" => o.server_response = true,
            "output-document" => o.output = Some(value),
            "output-file" => o.log = Some(value),
            "directory-prefix" => o.dir_prefix = Some(value),
            "user-agent" => o.user_agent = Some(value),
            "timeout" => short.extend(["-T".to_string(), value]),
            "proxy"
            | "tries"
            | "no-check-certificate"
            | "passive-ftp"
            | "no-cache"
            | "no-verbose"
            | "no-clobber"
            | "no-host-directories"
            | "no-parent" => {}
            _ => return Err(format!("unrecognized option '--{name}'")),
        }
    }
    let p = opts::parse(&short, "cqSO:o:P:Y:U:T:t:")?;
    o.quiet |= p.has('q');
    o.server_response |= p.has('S');
    o.cont |= p.has('c');
    o.output = p.value('O').map(str::to_string).or(o.output);
    o.log = p.value('o').map(str::to_string).or(o.log);
    o.dir_prefix = p.value('P').map(str::to_string).or(o.dir_prefix);
    o.user_agent = p.value('U').map(str::to_string).or(o.user_agent);
    if let Some(t) = p.value('T') {
        let secs: u64 = t.parse().map_err(|_| format!("invalid number '{t}'"))?;
        o.timeout = Some(Duration::from_secs(secs));
    }
    if let Some(f) = post_file {
        let data = if f == "-" { crate::util::read_all(io::stdin()) } else { std::fs::read(&f) };
        o.post = Some(data.map_err(|e| format!("can't open '{f}': {}", errstr(&e)))?);
    }
    o.urls = p.operands;
    Ok(o)
}

/// One download's error: the message after `wget: `.
type Fail = String;

/// Where messages go: stderr, or the `-o` log file.
struct Log(Box<dyn Write>);

impl Log {
    fn say(&mut self, msg: impl std::fmt::Display) {
        let _ = writeln!(self.0, "{msg}");
        let _ = self.0.flush();
    }
}

/// The `Host:`, `User-Agent:`... headers the user gave, by name.
fn user_has(o: &Options, name: &str) -> bool {
    o.headers.iter().any(|h| h.split(':').next().is_some_and(|n| n.trim().eq_ignore_ascii_case(name)))
}

fn connect(o: &Options, log: &mut Log, url: &Url) -> Result<TcpStream, Fail> {
    let ip = super::resolve("wget", &url.host).map_err(|_| String::new())?;
    let addr = SocketAddr::new(IpAddr::V4(ip), url.port);
    if !o.quiet {
        log.say(format_args!("Connecting to {} ({addr})", url.host));
    }
    let s = TcpStream::connect(addr).map_err(|e| format!("can't connect to remote host ({ip}): {}", errstr(&e)))?;
    let _ = s.set_read_timeout(Some(o.timeout.unwrap_or(Duration::from_secs(900))));
    Ok(s)
}

fn request(o: &Options, url: &Url) -> Vec<u8> {
    let method = if o.post.is_some() { "POST" } else { "GET" };
    let mut r = format!("{method} {} HTTP/1.1\r\n", url.target);
    if !user_has(o, "host") {
        r.push_str(&format!("Host: {}\r\n", url.host_header()));
    }
    if !user_has(o, "user-agent") {
        r.push_str(&format!("User-Agent: {}\r\n", o.user_agent.as_deref().unwrap_or("Wget")));
    }
    r.push_str("Connection: close\r\n");
    for h in &o.headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    let mut bytes = r.into_bytes();
    match &o.post {
        Some(data) => {
            if !user_has(o, "content-type") {
                bytes.extend_from_slice(b"Content-Type: application/x-www-form-urlencoded\r\n");
            }
            bytes.extend_from_slice(format!("Content-Length: {}\r\n\r\n", data.len()).as_bytes());
            bytes.extend_from_slice(data);
        }
        None => bytes.extend_from_slice(b"\r\n"),
    }
    bytes
}

/// The file name wget saves `url` under without `-O`.
pub fn file_name(url: &Url) -> String {
    let last = url.target.rsplit('/').next().unwrap_or("");
    if last.is_empty() {
        "index.html".to_string()
    } else {
        last.to_string()
    }
}

/// Fetches one URL.
fn download(o: &Options, log: &mut Log, start_url: &str) -> Result<(), Fail> {
    let mut url = Url::parse(start_url).map_err(|_| format!("not an http or ftp url: {start_url}"))?;
    if url.scheme != "http" {
        return Err(format!("not an http or ftp url: {start_url}"));
    }
    let out_name = match (&o.output, &o.dir_prefix) {
        (Some(n), _) => n.clone(),
        (None, Some(dir)) => format!("{}/{}", dir.trim_end_matches('/'), file_name(&url)),
        (None, None) => file_name(&url),
    };
    let resume_from = if o.cont { std::fs::metadata(&out_name).map(|m| m.len()).unwrap_or(0) } else { 0 };
    let mut redirects = 16;
    let mut stream = connect(o, log, &url)?;
    let (head, reader) = loop {
        let mut req = request(o, &url);
        if resume_from > 0 && !user_has(o, "range") {
            let at = req.windows(2).position(|w| w == b"\r\n").map_or(0, |p| p + 2);
            req.splice(at..at, format!("Range: bytes={resume_from}-\r\n").bytes());
        }
        stream.write_all(&req).map_err(|e| format!("write error: {}", errstr(&e)))?;
        let mut reader = BufReader::new(stream);
        let head = loop {
            let head = http::read_head(&mut reader)
                .map_err(|e| format!("error getting response: {}", errstr(&e)))?
                .ok_or("error getting response: Connection reset by peer")?;
            if o.server_response {
                for line in &head.lines {
                    log.say(format_args!("  {line}"));
                }
                log.say("  ");
            }
            if head.status != 100 && head.status != 0 {
                break head;
            }
        };
        match head.status {
            200..=204 | 300..=303 | 307 | 308 => {}
            206 if resume_from > 0 => {}
            _ => return Err(format!("server returned error: {}", head.status_line())),
        }
        if let Some(te) = head.header("transfer-encoding") {
            if !te.eq_ignore_ascii_case("chunked") {
                return Err(format!("transfer encoding '{te}' is not supported"));
            }
        }
        match head.header("location").filter(|_| head.status >= 300) {
            Some(loc) => {
                redirects -= 1;
                if redirects == 0 {
                    return Err("too many redirections".into());
                }
                let next = url.join(loc).map_err(|_| format!("not an http or ftp url: {loc}"))?;
                let same_server = next.host == url.host && next.port == url.port;
                url = next;
                stream = if same_server && loc.starts_with('/') {
                    // BusyBox keeps the address but opens a new connection.
                    let addr = reader.get_ref().peer_addr().map_err(|e| errstr(&e))?;
                    TcpStream::connect(addr).map_err(|e| format!("can't connect to remote host: {}", errstr(&e)))?
                } else {
                    connect(o, log, &url)?
                };
            }
            None => break (head, reader),
        }
    };
    let kind = BodyKind::of("GET", &head).map_err(|e| e.to_string())?;
    if o.spider {
        if !o.quiet {
            log.say("remote file exists");
        }
        return Ok(());
    }
    let to_stdout = out_name == "-";
    let mut file: Box<dyn Write> = if to_stdout {
        Box::new(io::stdout())
    } else {
        let mut opts = OpenOptions::new();
        opts.write(true);
        if o.cont && head.status == 206 {
            opts.append(true);
        } else if o.output.is_some() || o.cont {
            opts.create(true).truncate(true);
        } else {
            opts.create_new(true);
        }
        let f: File = opts.open(&out_name).map_err(|e| format!("can't open '{out_name}': {}", errstr(&e)))?;
        Box::new(f)
    };
    if !o.quiet {
        log.say(if to_stdout { "writing to stdout".to_string() } else { format!("saving to '{out_name}'") });
    }
    let total = if let BodyKind::Length(n) = kind { n } else { 0 };
    let tty = o.log.is_none() && sys::isatty(2);
    let width = if tty { sys::terminal_width().unwrap_or(80) } else { 80 };
    let mut meter = (!o.quiet && o.log.is_none()).then(|| Meter::new(crate::util::basename(&out_name), tty, width));
    let mut body = BodyReader::new(reader, kind);
    let mut buf = vec![0u8; 16 * 1024];
    let mut done = 0u64;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                return Err("download timed out".into())
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(e.to_string()),
            Err(e) => return Err(format!("read error: {}", errstr(&e))),
        };
        file.write_all(&buf[..n]).map_err(|e| format!("write error: {}", errstr(&e)))?;
        done += n as u64;
        if let Some(text) = meter.as_mut().and_then(|m| m.update(done, total, false)) {
            eprint!("{text}");
        }
    }
    let _ = file.flush();
    if let Some(m) = meter.as_mut() {
        // The last drawing shows the whole size, known or not.
        if let Some(text) = m.update(done, done, true) {
            eprint!("{text}{}", if tty { "\n" } else { "" });
        }
    }
    if !o.quiet {
        log.say(if to_stdout { "written to stdout".to_string() } else { format!("'{out_name}' saved") });
    }
    Ok(())
}

pub fn main(args: &[String]) -> i32 {
    let o = match parse_args(&args[1..]) {
        Ok(o) => o,
        Err(e) => return crate::applets::usage_error("wget", &e),
    };
    if o.urls.is_empty() {
        crate::applets::usage("wget");
        return 1;
    }
    let mut log = match &o.log {
        Some(path) => match File::create(path) {
            Ok(f) => Log(Box::new(f)),
            Err(e) => {
                err("wget", format_args!("can't open '{path}': {}", errstr(&e)));
                return 1;
            }
        },
        None => Log(Box::new(io::stderr())),
    };
    for u in &o.urls {
        if let Err(msg) = download(&o, &mut log, u) {
            // An empty message was already printed (bad address).
            if !msg.is_empty() {
                err("wget", msg);
            }
            return 1;
        }
    }
    0
}

#[cfg(test)]
mod tests;
