//! One request through nginx's phases: pick the location (exact, longest prefix, regexes), check
//! access, then `return`, `proxy_pass`, `try_files` or static files. Internal redirects (an
//! index file, `try_files`' last entry, an `error_page`) start the location search again with
//! the new URI; errors go through `error_page` once, else get nginx's own page.

use crate::conf::model::{Level, Loc, Modifier};
use crate::conf::settings::{in_net, Settings};
use crate::core::{Core, Note};
use crate::reply::Draft;
use crate::vars::Ctx;
use guest_http::server::ConnInfo;
use guest_http::{Request, Response};
use std::rc::Rc;
use std::time::Instant;

/// Where a phase leads.
pub enum Flow {
    Reply(Draft),
    Error(u16),
    /// Internal redirect to a URI (`/index.html`, with `?args` if any).
    Redirect(String),
    /// Internal redirect to `@name`.
    Named(String),
    Proxy(Box<crate::proxy::Upstream>),
}

/// What `Exchange::run` produced.
pub enum Outcome {
    Done(Response),
    Proxy(Box<crate::proxy::Proxied>),
}

/// Where following the flows ended.
enum Step {
    Done(Response),
    Proxy(Box<crate::proxy::Upstream>),
}

/// A request being answered.
pub struct Exchange {
    pub core: Rc<Core>,
    pub server: usize,
    pub req: Request,
    /// The method the current phase sees (error pages are fetched with `GET`).
    pub method: String,
    pub conn: ConnInfo,
    pub uri: String,
    pub args: Option<String>,
    redirects: u32,
    in_error_page: bool,
    /// The status an error page is answered with.
    error_status: Option<u16>,
    pub note: Note,
}

const MAX_REDIRECTS: u32 = 10;

impl Exchange {
    pub fn new(core: Rc<Core>, server: usize, req: &Request, conn: &ConnInfo) -> Exchange {
        let note = Note {
            server_name: core.config.http.servers[server].primary_name().to_string(),
            started: Some(Instant::now()),
            ..Note::default()
        };
        Exchange {
            core,
            server,
            method: req.method.clone(),
            req: req.clone(),
            conn: conn.clone(),
            uri: String::new(),
            args: req.query().map(str::to_string),
            redirects: 0,
            in_error_page: false,
            error_status: None,
            note,
        }
    }

    /// Variables' context for the current state.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            request: Some(&self.req),
            conn: Some(&self.conn),
            uri: &self.uri,
            server_name: &self.note.server_name,
            document_root: &self.note.document_root,
            request_filename: &self.note.request_filename,
            hostname: &self.core.hostname,
            proxy_host: &self.note.proxy_host,
            proxy_port: &self.note.proxy_port,
            ..Ctx::default()
        }
    }

    /// Logs an error about this request, with nginx's suffix (client, server, request, host).
    pub fn log_error(&self, settings: &Settings, level: Level, message: &str, upstream: Option<&str>) {
        let mut line = format!(
            "*{} {message}, client: {}, server: {}, request: \"{}\"",
            self.conn.serial,
            self.conn.peer.ip(),
            self.note.server_name,
            self.req.request_line()
        );
        if let Some(u) = upstream {
            line.push_str(&format!(", upstream: \"{u}\""));
        }
        if let Some(h) = self.req.header("host") {
            line.push_str(&format!(", host: \"{h}\""));
        }
        self.core.logs.borrow_mut().error_to(settings.error_logs.as_deref(), level, &line);
    }

    /// Answers the request: at once, or by handing back the upstream exchange of a proxy.
    pub fn run(mut self) -> Outcome {
        let Some(uri) = guest_http::request::percent_decode(self.req.path()).and_then(|p| {
            if p.starts_with('/') {
                guest_http::request::normalize_path(&p)
            } else {
                None
            }
        }) else {
            let core = self.core.clone();
            return Outcome::Done(self.finish(Draft::page(400, true), &core.config.http.servers[self.server].settings));
        };
        self.uri = uri;
        let core = self.core.clone();
        let server = &core.config.http.servers[self.server];
        let step = match &server.settings.ret {
            Some(ret) => {
                let flow = crate::static_files::do_return(&self, ret, &server.settings);
                self.settle(flow, None)
            }
            None => {
                let (flow, loc) = self.enter(None);
                self.settle(flow, loc)
            }
        };
        match step {
            Step::Done(r) => Outcome::Done(r),
            Step::Proxy(up) => Outcome::Proxy(Box::new(crate::proxy::Proxied::new(self, up))),
        }
    }

    /// Runs the location chosen for the current URI (or `named`).
    fn enter(&mut self, named: Option<&str>) -> (Flow, Option<LocRef>) {
        let core = self.core.clone();
        let server = &core.config.http.servers[self.server];
        let loc = match named {
            Some(n) => server.locations.iter().find(|l| l.modifier == Modifier::Named && l.pattern == n),
            None => find_location(&server.locations, &self.uri),
        };
        let settings = loc.map_or(&server.settings, |l| &l.settings);
        let loc_ref = loc.map(|l| LocRef { ptr: l as *const Loc });
        if named.is_some() && loc.is_none() {
            let n = named.unwrap_or_default();
            self.log_error(settings, Level::Error, &format!("could not find named location \"{n}\""), None);
            return (Flow::Error(500), None);
        }
        if loc.is_some_and(|l| l.settings.internal) && self.redirects == 0 && !self.in_error_page {
            return (Flow::Error(404), loc_ref);
        }
        (self.phases(loc, settings), loc_ref)
    }

    fn phases(&mut self, loc: Option<&Loc>, s: &Settings) -> Flow {
        let peer = match self.conn.peer.ip() {
            std::net::IpAddr::V4(v4) => v4,
            std::net::IpAddr::V6(_) => std::net::Ipv4Addr::UNSPECIFIED,
        };
        let mut rules: Vec<&crate::conf::settings::AccessRule> = s.access.iter().flatten().collect();
        if let Some(le) = &s.limit_except {
            let allowed = le.methods.iter().any(|m| *m == self.method || (m == "GET" && self.method == "HEAD"));
            if !allowed {
                rules = le.rules.iter().collect();
            }
        }
        if let Some(rule) = rules.iter().find(|r| in_net(peer, r.net)) {
            if !rule.allow {
                self.log_error(s, Level::Error, "access forbidden by rule", None);
                return Flow::Error(403);
            }
        }
        let max_body = s.client_max_body_size.unwrap_or(1 << 20);
        if max_body > 0 && self.req.body.len() > max_body {
            let msg = format!("client intended to send too large body: {} bytes", self.req.body.len());
            self.log_error(s, Level::Error, &msg, None);
            return Flow::Error(413);
        }
        if let Some(ret) = &s.ret {
            return crate::static_files::do_return(self, ret, s);
        }
        if s.proxy_pass.is_some() {
            return crate::proxy::start(self, loc, s);
        }
        crate::static_files::serve(self, loc, s)
    }

    /// Follows internal redirects and errors to a final outcome.
    fn settle(&mut self, mut flow: Flow, mut loc: Option<LocRef>) -> Step {
        loop {
            let core = self.core.clone();
            let settings = current_settings(&core, self.server, loc.as_ref());
            match flow {
                Flow::Reply(draft) => return Step::Done(self.finish(draft, settings)),
                Flow::Proxy(p) => return Step::Proxy(p),
                Flow::Redirect(target) | Flow::Named(target) if self.redirects >= MAX_REDIRECTS => {
                    let msg =
                        format!("rewrite or internal redirection cycle while internally redirecting to \"{target}\"");
                    self.log_error(settings, Level::Error, &msg, None);
                    return Step::Done(self.finish(Draft::page(500, tokens(settings)), settings));
                }
                Flow::Redirect(target) => {
                    self.redirects += 1;
                    let (path, args) = match target.split_once('?') {
                        Some((p, a)) => (p.to_string(), Some(a.to_string())),
                        None => (target, self.args.clone()),
                    };
                    self.uri = guest_http::request::normalize_path(&path).unwrap_or(path);
                    self.args = args;
                    (flow, loc) = self.enter(None);
                }
                Flow::Named(name) => {
                    self.redirects += 1;
                    (flow, loc) = self.enter(Some(&name));
                }
                Flow::Error(status) => match self.error_page(status, settings) {
                    Some(next) => flow = next,
                    None => return Step::Done(self.finish(Draft::page(status, tokens(settings)), settings)),
                },
            }
        }
    }

    /// The `error_page` for `status`, if one applies: an internal redirect (fetched with GET,
    /// answered with the error's status) or a redirect to another site.
    pub fn error_page(&mut self, status: u16, settings: &Settings) -> Option<Flow> {
        if self.in_error_page && !settings.recursive_error_pages.unwrap_or(false) {
            return None;
        }
        let page = settings.error_pages.iter().flatten().find(|p| p.codes.contains(&status))?.clone();
        self.in_error_page = true;
        let target = page.uri.eval(&self.ctx(), None);
        self.error_status = match page.answer {
            Some(Some(code)) => Some(code),
            Some(None) => None,
            None => Some(status),
        };
        if target.starts_with("http://") || target.starts_with("https://") {
            let code = match page.answer {
                Some(Some(c @ (301 | 302 | 303 | 307 | 308))) => c,
                _ => 302,
            };
            self.error_status = None;
            return Some(Flow::Reply(Draft { location: Some(target), ..Draft::page(code, tokens(settings)) }));
        }
        if self.method != "HEAD" {
            self.method = "GET".into();
        }
        Some(if let Some(name) = target.strip_prefix('@').map(|_| target.clone()) {
            Flow::Named(name)
        } else {
            Flow::Redirect(target)
        })
    }

    /// nginx's headers, `add_header`s, and the note for the access log.
    pub fn finish(&mut self, mut draft: Draft, settings: &Settings) -> Response {
        if let Some(code) = self.error_status.take() {
            if draft.status == 200 {
                draft.status = code;
            }
        }
        let add = matches!(draft.status, 200 | 201 | 204 | 206 | 301 | 302 | 303 | 304 | 307 | 308);
        for h in settings.add_headers.iter().flatten().filter(|h| add || h.always) {
            let value = h.value.eval(&self.ctx(), None);
            if !value.is_empty() {
                draft.others.push((h.name.clone(), value));
            }
        }
        if let Some(Some(secs)) = settings.expires {
            if add {
                crate::static_files::expires_headers(&mut draft, secs);
            }
        }
        self.note.uri = self.uri.clone();
        self.note.access_logs = settings.access_logs.clone().unwrap_or_default();
        self.core.notes.borrow_mut().insert(self.conn.serial, std::mem::take(&mut self.note));
        draft.finish(self.req.wants_keep_alive(), tokens(settings))
    }

    /// Turns an error of a proxied request into its answer (through `error_page`).
    pub fn fail(mut self, status: u16, loc: Option<LocRef>) -> Response {
        match self.settle(Flow::Error(status), loc) {
            Step::Done(r) => r,
            // An error page that is itself proxied is not followed further.
            Step::Proxy(_) => {
                let core = self.core.clone();
                self.finish(Draft::page(status, true), &core.config.http.servers[self.server].settings)
            }
        }
    }
}

/// A location of the configuration the exchange's `core` holds (kept alive by that `Rc`).
#[derive(Debug, Clone, Copy)]
pub struct LocRef {
    ptr: *const Loc,
}

impl LocRef {
    pub fn of(loc: &Loc) -> LocRef {
        LocRef { ptr: loc as *const Loc }
    }
}

fn current_settings<'a>(core: &'a Core, server: usize, loc: Option<&LocRef>) -> &'a Settings {
    let s = &core.config.http.servers[server];
    match loc {
        Some(l) => find_by_ptr(&s.locations, l.ptr).map_or(&s.settings, |l| &l.settings),
        None => &s.settings,
    }
}

fn find_by_ptr(locs: &[Loc], ptr: *const Loc) -> Option<&Loc> {
    locs.iter().find_map(|l| if std::ptr::eq(l, ptr) { Some(l) } else { find_by_ptr(&l.children, ptr) })
}

pub fn tokens(s: &Settings) -> bool {
    s.server_tokens.unwrap_or(true)
}

/// nginx's location search: an exact match wins at once; else the longest prefix (searched
/// again among its nested locations); unless that prefix is `^~`, the regexes in order, the
/// first match winning; else that longest prefix.
pub fn find_location<'a>(locs: &'a [Loc], uri: &str) -> Option<&'a Loc> {
    if let Some(l) = locs.iter().find(|l| l.modifier == Modifier::Exact && l.pattern == uri) {
        return Some(l);
    }
    let prefix = locs
        .iter()
        .filter(|l| {
            matches!(l.modifier, Modifier::Prefix | Modifier::PrefixNoRegex) && uri.starts_with(l.pattern.as_str())
        })
        .max_by_key(|l| l.pattern.len());
    let mut found = prefix;
    if let Some(p) = prefix {
        if let Some(inner) = find_location(&p.children, uri) {
            if matches!(inner.modifier, Modifier::Regex | Modifier::Exact) {
                return Some(inner);
            }
            found = Some(inner);
        }
        if p.modifier == Modifier::PrefixNoRegex {
            return found;
        }
    }
    for l in locs.iter().filter(|l| l.modifier == Modifier::Regex) {
        if l.regex.as_ref().is_some_and(|r| r.is_match(uri)) {
            return Some(find_location(&l.children, uri).unwrap_or(l));
        }
    }
    found
}
