//! nginx as a [`Service`] of the guest-http event loop: each request goes to the server its
//! address and `Host` choose, then through [`Exchange`]; finished requests are written to the
//! access logs; signals reload the configuration (`SIGHUP`), reopen the logs (`SIGUSR1`) or stop
//! the server (`SIGTERM`, `SIGINT`: at once; `SIGQUIT`: gracefully).

use crate::conf::model::Level;
use crate::core::{Core, Note};
use crate::exchange::{Exchange, Outcome};
use crate::logs::Logs;
use crate::reply::Draft;
use crate::vars::{log_escape, Ctx};
use guest_http::request::Limits;
use guest_http::server::{ConnInfo, Exchange as Done, Listeners, Reply, Service};
use guest_http::{ParseError, Request, Response};
use guest_server::signals::{self, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1};
use std::rc::Rc;
use std::time::Duration;

/// The running server.
pub struct Nginx {
    pub core: Rc<Core>,
    /// How to read the configuration again.
    pub reload: Box<dyn Fn() -> Result<crate::conf::Config, crate::conf::ConfError>>,
}

impl Nginx {
    fn server_for(&self, conn: &ConnInfo, host: Option<&str>) -> usize {
        let servers = &self.core.config.http.servers;
        crate::conf::vhosts::select(servers, conn.local, host)
            .and_then(|s| servers.iter().position(|x| std::ptr::eq(x, s)))
            .unwrap_or(0)
    }

    fn do_reload(&mut self, listeners: &mut Listeners) {
        self.core.error(Level::Notice, "reconfiguring");
        let config = match (self.reload)() {
            Ok(c) => c,
            Err(e) => return self.core.error(Level::Emerg, &e.to_string()),
        };
        for w in &config.warnings {
            self.core.error(Level::Warn, w);
        }
        let logs = match Logs::for_config(&config) {
            Ok(l) => l,
            Err(e) => return self.core.error(Level::Emerg, &e),
        };
        if let Err((addr, e)) = listeners.set(&config.http.listen_addrs()) {
            return self
                .core
                .error(Level::Emerg, &format!("bind() to {addr} failed ({})", guest_server::errno::text(&e)));
        }
        self.core = Rc::new(Core::new(config, logs));
    }
}

impl Service for Nginx {
    fn handle(&mut self, request: &Request, conn: &ConnInfo) -> Reply {
        let host = request.host_name();
        let server = self.server_for(conn, host.as_deref());
        match Exchange::new(self.core.clone(), server, request, conn).run() {
            Outcome::Done(r) => Reply::Now(r),
            Outcome::Proxy(p) => Reply::Later(p),
        }
    }

    fn reject(&mut self, error: ParseError, conn: &ConnInfo) -> Response {
        let server = self.server_for(conn, None);
        let s = &self.core.config.http.servers.get(server).map(|s| s.settings.clone()).unwrap_or_default();
        let page = if error == ParseError::HeaderTooLarge { 494 } else { error.status() };
        let mut draft = Draft::page(page, s.server_tokens.unwrap_or(true));
        draft.status = error.status();
        if let ParseError::Invalid(why) = error {
            self.core.error(
                Level::Info,
                &format!("*{} {why} while reading client request line, client: {}", conn.serial, conn.peer.ip()),
            );
        }
        let note = Note { access_logs: s.access_logs.clone().unwrap_or_default(), ..Note::default() };
        self.core.notes.borrow_mut().insert(conn.serial, note);
        draft.finish(false, s.server_tokens.unwrap_or(true))
    }

    fn log(&mut self, e: &Done<'_>) {
        let note = self.core.notes.borrow_mut().remove(&e.conn.serial).unwrap_or_default();
        if note.access_logs.is_empty() {
            return;
        }
        let head_len = e.response.to_bytes(true).len();
        let ctx = Ctx {
            request: e.request,
            conn: Some(e.conn),
            uri: &note.uri,
            server_name: &note.server_name,
            document_root: &note.document_root,
            request_filename: &note.request_filename,
            status: e.response.status,
            body_bytes: e.body_bytes,
            bytes_sent: head_len + e.body_bytes,
            request_time: note.started.map_or(0.0, |s| s.elapsed().as_secs_f64()),
            proxy_host: &note.proxy_host,
            proxy_port: &note.proxy_port,
            upstream_addr: &note.upstream_addr,
            upstream_status: &note.upstream_status,
            upstream_time: &note.upstream_time,
            sent_headers: &e.response.headers,
            hostname: &self.core.hostname,
            raw_line: e.line,
            now: None,
        };
        for log in &note.access_logs {
            let Some(format) = self.core.config.http.format(&log.format) else { continue };
            let line = format.template.eval(&ctx, if format.escape { Some(log_escape) } else { None });
            self.core.logs.borrow_mut().access(log, &line);
        }
    }

    fn limits(&self) -> Limits {
        // The largest body any location accepts; each location checks its own limit.
        let mut body: usize = 1 << 20;
        for s in &self.core.config.http.servers {
            let mut stack: Vec<&crate::conf::model::Loc> = s.locations.iter().collect();
            let mut sizes = vec![s.settings.client_max_body_size];
            while let Some(l) = stack.pop() {
                sizes.push(l.settings.client_max_body_size);
                stack.extend(l.children.iter());
            }
            for size in sizes.into_iter().flatten() {
                body = if size == 0 { usize::MAX / 4 } else { body.max(size) };
            }
        }
        Limits { body, ..Limits::default() }
    }

    fn keepalive_timeout(&self) -> Duration {
        let servers = &self.core.config.http.servers;
        servers.first().and_then(|s| s.settings.keepalive_timeout).unwrap_or(Duration::from_secs(75))
    }

    fn tick(&mut self, listeners: &mut Listeners) -> bool {
        for sig in signals::take() {
            match sig {
                SIGHUP => {
                    self.core.error(Level::Notice, "signal 1 (SIGHUP) received, reconfiguring");
                    self.do_reload(listeners);
                }
                SIGUSR1 => {
                    self.core.error(Level::Notice, "signal 10 (SIGUSR1) received, reopening logs");
                    if let Ok(logs) = Logs::for_config(&self.core.config) {
                        *self.core.logs.borrow_mut() = logs;
                    }
                }
                SIGTERM | SIGINT => {
                    self.core
                        .error(Level::Notice, &format!("signal {sig} (SIG{}) received, exiting", signals::name(sig)));
                    return false;
                }
                SIGQUIT => {
                    self.core.error(Level::Notice, "signal 3 (SIGQUIT) received, shutting down");
                    self.core.error(Level::Notice, "gracefully shutting down");
                    return false;
                }
                _ => {}
            }
        }
        true
    }
}
