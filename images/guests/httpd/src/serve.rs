//! Answering requests as Apache's core, `mod_dir`, `mod_autoindex` and `mod_alias` do for static
//! files: the path is the `DocumentRoot` (or an `Alias`) plus the URI; `<Directory>` and `<Files>`
//! say whether access is allowed; a directory gets its `DirectoryIndex` file, a listing when
//! `Options Indexes` allows it, or `403`; a directory without its `/` is redirected to it.

use crate::conf::{glob, Config, Host};
use guest_http::request::{normalize_path, percent_decode, Limits};
use guest_http::server::{ConnInfo, Exchange, Listeners, Reply, Service};
use guest_http::{ParseError, Request, Response};
use guest_server::clock::Civil;
use guest_server::signals::{self, SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGWINCH};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::time::{Duration, Instant, UNIX_EPOCH};

pub struct Httpd {
    pub config: Config,
    logs: Vec<(String, Option<File>)>,
    started: Vec<(u64, Instant)>,
    pub reload: Box<dyn Fn() -> Result<Config, crate::conf::ConfError>>,
}

/// `Apache/2.4.62 (Unix)`.
pub fn server_header() -> String {
    format!("Apache/{} (Unix)", crate::version::get())
}

fn open(path: &str) -> Option<File> {
    OpenOptions::new().create(true).append(true).open(path).ok()
}

impl Httpd {
    pub fn new(config: Config, reload: Box<dyn Fn() -> Result<Config, crate::conf::ConfError>>) -> Httpd {
        let mut h = Httpd { config, logs: Vec::new(), started: Vec::new(), reload };
        h.open_logs();
        h
    }

    fn open_logs(&mut self) {
        self.logs.clear();
        let hosts = std::iter::once(&self.config.main).chain(&self.config.vhosts);
        let paths: Vec<String> = hosts
            .flat_map(|h| std::iter::once(h.error_log.clone()).chain(h.custom_logs.iter().map(|(p, _)| p.clone())))
            .collect();
        for p in paths {
            if !self.logs.iter().any(|(q, _)| *q == p) {
                let f = open(&p);
                self.logs.push((p, f));
            }
        }
    }

    fn write(&mut self, path: &str, line: &str) {
        if let Some((_, Some(f))) = self.logs.iter_mut().find(|(p, _)| p == path) {
            let _ = f.write_all(format!("{line}\n").as_bytes());
        }
    }

    /// `[Tue Apr 01 10:00:00.123456 2025] [module:level] [pid 1:tid 1] message`.
    pub fn error(&mut self, module_level: &str, message: &str) {
        let pid = guest_server::pid();
        let line = format!("[{}] [{module_level}] [pid {pid}:tid {pid}] {message}", Civil::now().apache_error());
        let path = self.config.main.error_log.clone();
        self.write(&path, &line);
    }

    fn host(&self, request: Option<&Request>) -> &Host {
        let name = request.and_then(Request::host_name);
        name.and_then(|n| self.config.vhosts.iter().find(|h| h.names.contains(&n)))
            .or(self.config.vhosts.first())
            .unwrap_or(&self.config.main)
    }

    fn page(&self, status: u16, detail: &str, request: &Request) -> Response {
        let host = self.host(Some(request));
        if let Some(doc) = host.error_documents.get(&status) {
            if let Some(text) = doc.strip_prefix('"') {
                return self.finish(
                    status,
                    Some("text/html; charset=iso-8859-1"),
                    text.trim_end_matches('"').as_bytes().to_vec(),
                    vec![],
                    request,
                );
            }
            if doc.starts_with('/') {
                let path = format!("{}{doc}", host.document_root);
                if let Ok(body) = std::fs::read(&path) {
                    return self.finish(status, Some(&self.content_type(&path)), body, vec![], request);
                }
            }
        }
        let reason = guest_http::response::reason(status);
        let html = format!(
            "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n<p>{detail}</p>\n</body></html>\n"
        );
        self.finish(status, Some("text/html; charset=iso-8859-1"), html.into_bytes(), vec![], request)
    }

    /// Apache's header order: Date, Server, (validators), Content-Length, Content-Type.
    fn finish(
        &self,
        status: u16,
        ty: Option<&str>,
        body: Vec<u8>,
        mut extra: Vec<(String, String)>,
        request: &Request,
    ) -> Response {
        let mut r = Response::new(status);
        r.headers.push(("Date".into(), Civil::now().http_date()));
        r.headers.push(("Server".into(), server_header()));
        let location = extra.iter().position(|(n, _)| n == "Location").map(|i| extra.remove(i));
        r.headers.extend(location);
        r.headers.append(&mut extra);
        if status != 304 {
            r.headers.push(("Content-Length".into(), body.len().to_string()));
        }
        let keep = self.config.keepalive && request.wants_keep_alive();
        if keep && request.minor_version == 0 {
            let t = self.config.keepalive_timeout.as_secs();
            r.headers.push(("Keep-Alive".into(), format!("timeout={t}, max=100")));
            r.headers.push(("Connection".into(), "Keep-Alive".into()));
        } else if !keep {
            r.headers.push(("Connection".into(), "close".into()));
        }
        if let Some(t) = ty {
            r.headers.push(("Content-Type".into(), t.into()));
        }
        r.body = if status == 304 { Vec::new() } else { body };
        r.close = !keep;
        r
    }

    fn content_type(&self, path: &str) -> String {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        self.config.types.get(&ext).cloned().unwrap_or_else(|| "text/plain".into())
    }

    /// `<Directory>` rules for `path`: the longest matching section that says.
    fn dir_rule<T>(&self, path: &str, get: impl Fn(&crate::conf::Dir) -> Option<T>) -> Option<T> {
        let mut dirs: Vec<&crate::conf::Dir> = self
            .config
            .dirs
            .iter()
            .filter(|d| d.path == "/" || path == d.path || path.starts_with(&format!("{}/", d.path)))
            .collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.path.len()));
        dirs.into_iter().find_map(get)
    }

    fn serve(&mut self, request: &Request, conn: &ConnInfo) -> Response {
        if request.method != "GET" && request.method != "HEAD" {
            let detail = format!("The requested method {} is not allowed for this URL.", request.method);
            let mut r = self.page(405, &detail, request);
            r.headers.insert(2, ("Allow".into(), "GET,POST,OPTIONS,HEAD".into()));
            return r;
        }
        let Some(uri) = percent_decode(request.path()).filter(|p| p.starts_with('/')).and_then(|p| normalize_path(&p))
        else {
            return self.page(
                400,
                "Your browser sent a request that this server could not understand.<br />\n",
                request,
            );
        };
        let host = self.host(Some(request)).clone();
        let path = host
            .aliases
            .iter()
            .find(|(url, _)| uri.starts_with(url.as_str()))
            .map(|(url, dir)| format!("{dir}{}", &uri[url.len()..]))
            .unwrap_or_else(|| format!("{}{uri}", host.document_root));
        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string();
        let denied = self.config.denied_files.iter().any(|p| glob(p.trim_matches('"'), &name))
            || self.dir_rule(path.trim_end_matches('/'), |d| d.granted) == Some(false);
        if denied {
            self.error_client(
                "authz_core:error",
                conn,
                &format!("AH01630: client denied by server configuration: {path}"),
            );
            return self.page(403, "You don't have permission to access this resource.", request);
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(_) => return self.page(404, "The requested URL was not found on this server.", request),
        };
        if meta.is_dir() {
            if !uri.ends_with('/') {
                let hostport = request.header("host").map_or_else(|| conn.local.to_string(), str::to_string);
                let q = request.query().map(|q| format!("?{q}")).unwrap_or_default();
                let target = format!("http://{hostport}{uri}/{q}");
                let detail = format!("The document has moved <a href=\"{target}\">here</a>.");
                let mut r = self.page(301, &detail, request);
                r.headers.insert(2, ("Location".into(), target));
                return r;
            }
            for index in self.config.directory_index.clone() {
                let candidate = format!("{path}{index}");
                if let Ok(m) = std::fs::metadata(&candidate) {
                    if m.is_file() {
                        return self.file(&candidate, &m, request);
                    }
                }
            }
            if self.dir_rule(path.trim_end_matches('/'), |d| d.indexes) == Some(true) {
                return self.listing(&uri, &path, request);
            }
            let msg = format!(
                "AH01276: Cannot serve directory {path}: No matching DirectoryIndex ({}) found, and server-generated directory index forbidden by Options directive",
                self.config.directory_index.join(",")
            );
            self.error_client("autoindex:error", conn, &msg);
            return self.page(403, "You don't have permission to access this resource.", request);
        }
        self.file(&path, &meta, request)
    }

    /// An error about a client's request: `... [pid 1:tid 1] [client 172.17.0.1:40000] message`.
    fn error_client(&mut self, module_level: &str, conn: &ConnInfo, message: &str) {
        self.error(module_level, &format!("[client {}:{}] {message}", conn.peer.ip(), conn.peer.port()));
    }

    fn file(&self, path: &str, meta: &std::fs::Metadata, request: &Request) -> Response {
        let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
        let etag = format!("\"{:x}-{:x}\"", meta.len(), modified.as_micros());
        let last_modified = Civil::from_unix(modified.as_secs() as i64, 0).http_date();
        let validators = vec![
            ("Last-Modified".to_string(), last_modified),
            ("ETag".to_string(), etag.clone()),
            ("Accept-Ranges".to_string(), "bytes".to_string()),
        ];
        let unchanged = match (request.header("if-none-match"), request.header("if-modified-since")) {
            (Some(inm), _) => inm.split(',').any(|t| t.trim() == etag),
            (None, Some(ims)) => {
                guest_server::clock::parse_http_date(ims).is_some_and(|t| t >= modified.as_secs() as i64)
            }
            _ => false,
        };
        if unchanged {
            return self.finish(304, None, Vec::new(), validators, request);
        }
        match std::fs::read(path) {
            Ok(body) => self.finish(200, Some(&self.content_type(path)), body, validators, request),
            Err(_) => self.page(403, "You don't have permission to access this resource.", request),
        }
    }

    /// `mod_autoindex` without `FancyIndexing`: a list of links.
    fn listing(&self, uri: &str, dir: &str, request: &Request) -> Response {
        let mut names: Vec<(String, bool)> = std::fs::read_dir(dir)
            .map(|r| {
                r.filter_map(Result::ok)
                    .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path().is_dir()))
                    .filter(|(n, _)| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        let title = uri.trim_end_matches('/');
        let title = if title.is_empty() { "/" } else { title };
        let parent = title.rsplit_once('/').map_or("/", |(p, _)| if p.is_empty() { "/" } else { p });
        let mut html = format!(
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html>\n <head>\n  <title>Index of {title}</title>\n </head>\n <body>\n<h1>Index of {title}</h1>\n<ul>"
        );
        if uri != "/" {
            html.push_str(&format!("<li><a href=\"{parent}\"> Parent Directory</a></li>\n"));
        }
        for (n, is_dir) in names {
            let shown = if is_dir { format!("{n}/") } else { n };
            html.push_str(&format!("<li><a href=\"{shown}\"> {shown}</a></li>\n"));
        }
        html.push_str("</ul>\n</body></html>\n");
        self.finish(200, Some("text/html;charset=ISO-8859-1"), html.into_bytes(), vec![], request)
    }
}

impl Service for Httpd {
    fn handle(&mut self, request: &Request, conn: &ConnInfo) -> Reply {
        self.started.retain(|(s, _)| *s != conn.serial);
        self.started.push((conn.serial, Instant::now()));
        Reply::Now(self.serve(request, conn))
    }

    fn reject(&mut self, error: ParseError, _: &ConnInfo) -> Response {
        let dummy =
            Request { method: "GET".into(), target: "/".into(), minor_version: 0, headers: vec![], body: vec![] };
        let detail = match error.status() {
            413 => "The requested resource does not allow request data with GET requests, or the amount of data provided in\nthe request exceeds the capacity limit.",
            414 => "The requested URL's length exceeds the capacity\nlimit for this server.<br />\n",
            501 => "Unsupported method.<br />\n",
            _ => "Your browser sent a request that this server could not understand.<br />\n",
        };
        let mut r = self.page(error.status(), detail, &dummy);
        r.close = true;
        r
    }

    fn log(&mut self, e: &Exchange<'_>) {
        let micros = self.started.iter().find(|(s, _)| *s == e.conn.serial).map_or(0, |(_, t)| t.elapsed().as_micros());
        let host = self.host(e.request).clone();
        let name = host.names.first().cloned().or_else(|| self.config.server_name.clone()).unwrap_or_default();
        for (path, format) in &host.custom_logs {
            let fmt = self.config.formats.get(format).cloned().unwrap_or_else(|| format.clone());
            let line = crate::logfmt::line(&fmt, e, &name, micros);
            self.write(path, &line);
        }
    }

    fn limits(&self) -> Limits {
        Limits::default()
    }

    fn keepalive_timeout(&self) -> Duration {
        self.config.keepalive_timeout
    }

    fn tick(&mut self, listeners: &mut Listeners) -> bool {
        for sig in signals::take() {
            match sig {
                SIGTERM | SIGINT => {
                    self.error(
                        "mpm_event:notice",
                        &format!("AH00491: caught SIG{}, shutting down", signals::name(sig)),
                    );
                    return false;
                }
                SIGWINCH => {
                    self.error("mpm_event:notice", "AH00492: caught SIGWINCH, shutting down gracefully");
                    return false;
                }
                SIGHUP | SIGUSR1 => {
                    let msg = if sig == SIGHUP {
                        "AH00493: SIGHUP received.  Attempting to restart"
                    } else {
                        "AH00494: SIGUSR1 received.  Doing graceful restart"
                    };
                    self.error("mpm_event:notice", msg);
                    match (self.reload)() {
                        Ok(c) => match listeners.set(&c.listens) {
                            Ok(()) => {
                                self.config = c;
                                self.open_logs();
                                let v = server_header();
                                self.error("mpm_event:notice", &format!("AH00489: {v} configured -- resuming normal operations"));
                            }
                            Err((addr, e)) => self.error("core:error", &format!("(98)Address already in use: AH00072: make_sock: could not bind to address {addr} ({e})")),
                        },
                        Err(e) => self.error("core:error", &e.0.replace('\n', " ")),
                    }
                }
                _ => {}
            }
        }
        true
    }
}
