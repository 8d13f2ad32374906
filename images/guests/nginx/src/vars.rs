//! nginx variables (`$host`, `$remote_addr`, `$http_user_agent`...) and the strings that use
//! them (`proxy_set_header X-Real-IP $remote_addr;`, `log_format`, `return 301
//! https://$host$request_uri;`). A string is compiled once when the configuration is read
//! (an unknown variable is an error then) and evaluated for each request.

use guest_http::server::ConnInfo;
use guest_http::Request;
use guest_server::clock::Civil;

/// One variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Var {
    Host,
    RemoteAddr,
    RemotePort,
    RemoteUser,
    TimeLocal,
    TimeIso8601,
    Msec,
    Request,
    RequestMethod,
    RequestUri,
    Uri,
    Args,
    IsArgs,
    Scheme,
    ServerName,
    ServerPort,
    ServerAddr,
    ServerProtocol,
    Hostname,
    Status,
    BodyBytesSent,
    BytesSent,
    RequestTime,
    RequestLength,
    ContentType,
    ContentLength,
    DocumentRoot,
    RequestFilename,
    ProxyHost,
    ProxyPort,
    ProxyAddXForwardedFor,
    UpstreamAddr,
    UpstreamStatus,
    UpstreamResponseTime,
    Connection,
    Pid,
    NginxVersion,
    /// `$http_user_agent`: a request header (dashes written as underscores).
    Http(String),
    /// `$sent_http_content_type`: a response header.
    SentHttp(String),
    /// `$arg_page`: a query string argument.
    Arg(String),
    /// `$cookie_session`.
    Cookie(String),
}

impl Var {
    fn named(name: &str) -> Option<Var> {
        use Var::*;
        let prefixed = |p: &str| name.strip_prefix(p).filter(|n| !n.is_empty()).map(str::to_ascii_lowercase);
        Some(match name {
            "host" => Host,
            "remote_addr" | "realip_remote_addr" => RemoteAddr,
            "remote_port" => RemotePort,
            "remote_user" => RemoteUser,
            "time_local" => TimeLocal,
            "time_iso8601" => TimeIso8601,
            "msec" => Msec,
            "request" => Request,
            "request_method" => RequestMethod,
            "request_uri" => RequestUri,
            "uri" | "document_uri" => Uri,
            "args" | "query_string" => Args,
            "is_args" => IsArgs,
            "scheme" => Scheme,
            "server_name" => ServerName,
            "server_port" => ServerPort,
            "server_addr" => ServerAddr,
            "server_protocol" => ServerProtocol,
            "hostname" => Hostname,
            "status" => Status,
            "body_bytes_sent" => BodyBytesSent,
            "bytes_sent" => BytesSent,
            "request_time" => RequestTime,
            "request_length" => RequestLength,
            "content_type" => ContentType,
            "content_length" => ContentLength,
            "document_root" | "realpath_root" => DocumentRoot,
            "request_filename" => RequestFilename,
            "proxy_host" => ProxyHost,
            "proxy_port" => ProxyPort,
            "proxy_add_x_forwarded_for" => ProxyAddXForwardedFor,
            "upstream_addr" => UpstreamAddr,
            "upstream_status" => UpstreamStatus,
            "upstream_response_time" => UpstreamResponseTime,
            "connection" => Connection,
            "pid" => Pid,
            "nginx_version" => NginxVersion,
            _ => {
                return prefixed("http_")
                    .map(Http)
                    .or_else(|| prefixed("sent_http_").map(SentHttp))
                    .or_else(|| prefixed("arg_").map(Arg))
                    .or_else(|| prefixed("cookie_").map(Cookie))
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(Var),
}

/// A string with variables, compiled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    parts: Vec<Part>,
}

impl Template {
    /// Compiles `s`; `Err(name)` for an unknown variable (nginx: `unknown "name" variable`).
    pub fn compile(s: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('$') {
            text.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let (name, used) = if let Some(braced) = after.strip_prefix('{') {
                match braced.find('}') {
                    Some(end) => (&braced[..end], end + 2),
                    None => return Err(braced.to_string()),
                }
            } else {
                let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                (&after[..end], end)
            };
            if name.is_empty() {
                // A lone `$` is text (as in a regex's `\.php$`).
                text.push('$');
                rest = after;
                continue;
            }
            let var = Var::named(name).ok_or_else(|| name.to_string())?;
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Var(var));
            rest = &after[used..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts })
    }

    /// A template of plain text.
    pub fn text(s: &str) -> Template {
        Template { parts: vec![Part::Text(s.to_string())] }
    }

    pub fn has_vars(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Var(_)))
    }

    /// The value with every variable replaced; `escape` is applied to variables' values only
    /// (access logs escape quotes and control bytes, and print `-` for an empty value).
    pub fn eval(&self, ctx: &Ctx<'_>, escape: Option<fn(&str) -> String>) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var(v) => {
                    let value = ctx.value(v);
                    match escape {
                        Some(f) if value.is_empty() => out.push_str(&f("-")),
                        Some(f) => out.push_str(&f(&value)),
                        None => out.push_str(&value),
                    }
                }
            }
        }
        out
    }
}

/// Access logs' default escaping: `"`, `\` and bytes outside printable ASCII as `\xXX`.
pub fn log_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'"' | b'\\' | 0..=0x1f | 0x7f..=0xff => out.push_str(&format!("\\x{b:02X}")),
            _ => out.push(b as char),
        }
    }
    out
}

/// What a request's variables are computed from.
#[derive(Debug, Default)]
pub struct Ctx<'a> {
    pub request: Option<&'a Request>,
    pub conn: Option<&'a ConnInfo>,
    /// The current URI (decoded, normalized, after internal redirects).
    pub uri: &'a str,
    pub server_name: &'a str,
    pub document_root: &'a str,
    pub request_filename: &'a str,
    pub status: u16,
    pub body_bytes: usize,
    pub bytes_sent: usize,
    pub request_time: f64,
    pub proxy_host: &'a str,
    pub proxy_port: &'a str,
    pub upstream_addr: &'a str,
    pub upstream_status: &'a str,
    pub upstream_time: &'a str,
    pub sent_headers: &'a [(String, String)],
    pub hostname: &'a str,
    /// The request line as received (for requests that could not be parsed).
    pub raw_line: &'a str,
    pub now: Option<Civil>,
}

impl Ctx<'_> {
    fn header(&self, name: &str) -> String {
        let want = name.replace('_', "-");
        self.request
            .map(|r| {
                let values: Vec<&str> =
                    r.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(&want)).map(|(_, v)| v.as_str()).collect();
                // Repeated headers join as nginx does for X-Forwarded-For and Cookie.
                values.join(if want == "cookie" { "; " } else { ", " })
            })
            .unwrap_or_default()
    }

    fn query(&self) -> &str {
        self.request.and_then(|r| r.query()).unwrap_or_default()
    }

    pub fn value(&self, v: &Var) -> String {
        let now = self.now.unwrap_or_else(Civil::now);
        let conn = self.conn;
        match v {
            Var::Host => self
                .request
                .and_then(|r| r.host_name())
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| self.server_name.to_string()),
            Var::RemoteAddr => conn.map(|c| c.peer.ip().to_string()).unwrap_or_default(),
            Var::RemotePort => conn.map(|c| c.peer.port().to_string()).unwrap_or_default(),
            Var::RemoteUser => String::new(),
            Var::TimeLocal => now.common_log(),
            Var::TimeIso8601 => {
                format!(
                    "{}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
                    now.year, now.month, now.day, now.hour, now.minute, now.second
                )
            }
            Var::Msec => {
                let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                format!("{}.{:03}", t.as_secs(), t.subsec_millis())
            }
            Var::Request => self.request.map_or_else(|| self.raw_line.to_string(), Request::request_line),
            Var::RequestMethod => self.request.map(|r| r.method.clone()).unwrap_or_default(),
            Var::RequestUri => self.request.map(|r| r.target.clone()).unwrap_or_default(),
            Var::Uri => self.uri.to_string(),
            Var::Args => self.query().to_string(),
            Var::IsArgs => if self.request.and_then(|r| r.query()).is_some() { "?" } else { "" }.to_string(),
            Var::Scheme => "http".into(),
            Var::ServerName => self.server_name.to_string(),
            Var::ServerPort => conn.map(|c| c.local.port().to_string()).unwrap_or_default(),
            Var::ServerAddr => conn.map(|c| c.local.ip().to_string()).unwrap_or_default(),
            Var::ServerProtocol => self.request.map(|r| format!("HTTP/1.{}", r.minor_version)).unwrap_or_default(),
            Var::Hostname => self.hostname.to_string(),
            Var::Status => format!("{:03}", self.status),
            Var::BodyBytesSent => self.body_bytes.to_string(),
            Var::BytesSent => self.bytes_sent.to_string(),
            Var::RequestTime => format!("{:.3}", self.request_time),
            Var::RequestLength => self
                .request
                .map(|r| {
                    r.request_line().len() + 4 + r.headers.iter().map(|(n, v)| n.len() + v.len() + 4).sum::<usize>()
                })
                .unwrap_or_default()
                .to_string(),
            Var::ContentType => self.header("content_type"),
            Var::ContentLength => self.header("content_length"),
            Var::DocumentRoot => self.document_root.to_string(),
            Var::RequestFilename => self.request_filename.to_string(),
            Var::ProxyHost => self.proxy_host.to_string(),
            Var::ProxyPort => self.proxy_port.to_string(),
            Var::ProxyAddXForwardedFor => {
                let remote = conn.map(|c| c.peer.ip().to_string()).unwrap_or_default();
                match self.header("x_forwarded_for") {
                    xff if xff.is_empty() => remote,
                    xff => format!("{xff}, {remote}"),
                }
            }
            Var::UpstreamAddr => self.upstream_addr.to_string(),
            Var::UpstreamStatus => self.upstream_status.to_string(),
            Var::UpstreamResponseTime => self.upstream_time.to_string(),
            Var::Connection => conn.map(|c| c.serial.to_string()).unwrap_or_default(),
            Var::Pid => guest_server::pid().to_string(),
            Var::NginxVersion => crate::version::get().to_string(),
            Var::Http(name) => self.header(name),
            Var::SentHttp(name) => {
                let want = name.replace('_', "-");
                self.sent_headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&want))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            }
            Var::Arg(name) => self
                .query()
                .split('&')
                .find_map(|kv| {
                    kv.split_once('=').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.to_string())
                })
                .unwrap_or_default(),
            Var::Cookie(name) => self
                .header("cookie")
                .split(';')
                .find_map(|kv| kv.trim().split_once('=').filter(|(k, _)| k == name).map(|(_, v)| v.to_string()))
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(wire: &str) -> Request {
        match guest_http::request::parse(wire.as_bytes(), &Default::default()) {
            Ok(guest_http::request::Parsed::Done(r, _)) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn templates_evaluate_request_and_connection_variables() {
        let r = request(
            "GET /a?x=1&page=2 HTTP/1.1\r\nHost: Site1:8080\r\nUser-Agent: curl/8\r\nX-Forwarded-For: 10.0.0.9\r\n\r\n",
        );
        let conn =
            ConnInfo { peer: "172.17.0.1:5555".parse().unwrap(), local: "172.17.0.2:80".parse().unwrap(), serial: 7 };
        let ctx = Ctx { request: Some(&r), conn: Some(&conn), uri: "/a", server_name: "localhost", ..Ctx::default() };
        let t = Template::compile(
            "$scheme://$host$request_uri [$http_user_agent] ${arg_page}x $proxy_add_x_forwarded_for $server_port",
        )
        .unwrap();
        assert_eq!(t.eval(&ctx, None), "http://site1/a?x=1&page=2 [curl/8] 2x 10.0.0.9, 172.17.0.1 80");
        assert_eq!(
            Template::compile("$remote_user \"$http_referer\"").unwrap().eval(&ctx, Some(log_escape)),
            "- \"-\""
        );
    }

    #[test]
    fn unknown_variables_are_refused_and_a_lone_dollar_is_text() {
        assert_eq!(Template::compile("$nope").unwrap_err(), "nope");
        assert_eq!(Template::compile("a$ b").unwrap().eval(&Ctx::default(), None), "a$ b");
        assert!(!Template::compile("plain").unwrap().has_vars());
    }
}
