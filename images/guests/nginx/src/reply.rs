//! How nginx words its answers: its own reason phrases (`302 Moved Temporarily`, `405 Not
//! Allowed`), the small HTML page it sends with an error or a redirect, and the order of its
//! headers (`Server`, `Date`, `Content-Type`, `Content-Length`, `Last-Modified`, `Connection`,
//! `Location`, then the rest).

use guest_http::Response;
use guest_server::clock::Civil;

/// nginx's reason phrase for `status` (empty for codes it has none for).
pub fn reason(status: u16) -> &'static str {
    match status {
        302 => "Moved Temporarily",
        405 => "Not Allowed",
        408 => "Request Time-out",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Large",
        416 => "Requested Range Not Satisfiable",
        421 => "Misdirected Request",
        494 => "Request Header Or Cookie Too Large",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        507 => "Insufficient Storage",
        402 => "Payment Required",
        406 => "Not Acceptable",
        412 => "Precondition Failed",
        s => guest_http::response::reason(s),
    }
}

/// The page nginx sends with `status` (none for 2xx, 304 and codes it has no page for).
pub fn default_page(status: u16, tokens: bool) -> Option<String> {
    let title = match status {
        301..=303 | 307 | 308 | 400..=416 | 421 | 429 | 494..=497 | 500..=505 | 507 => {
            let r = reason(status);
            if r.is_empty() {
                return None;
            }
            match status {
                494 => "400 Request Header Or Cookie Too Large".to_string(),
                _ => format!("{status} {r}"),
            }
        }
        _ => return None,
    };
    let server = if tokens { crate::version::server() } else { "nginx".into() };
    Some(format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n"
    ))
}

/// A response before nginx's fixed headers are added.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// `Content-Length` to announce if not the body's (a `HEAD` of a file).
    pub length: Option<usize>,
    pub last_modified: Option<String>,
    pub location: Option<String>,
    /// Other headers, in order (ETag, Accept-Ranges, upstream headers, add_header...).
    pub others: Vec<(String, String)>,
    /// Close the connection after it.
    pub close: bool,
}

impl Draft {
    pub fn new(status: u16) -> Self {
        Draft { status, ..Draft::default() }
    }

    /// nginx's own page for an error or redirect.
    pub fn page(status: u16, tokens: bool) -> Self {
        match default_page(status, tokens) {
            Some(html) => {
                Draft { status, content_type: Some("text/html".into()), body: html.into_bytes(), ..Draft::default() }
            }
            None => Draft::new(status),
        }
    }

    /// The response, with nginx's headers in nginx's order.
    pub fn finish(self, keep_alive: bool, tokens: bool) -> Response {
        let mut r = Response::new(self.status);
        r.reason = reason(self.status).to_string();
        r.headers.push(("Server".into(), if tokens { crate::version::server() } else { "nginx".into() }));
        r.headers.push(("Date".into(), Civil::now().http_date()));
        if let Some(t) = self.content_type {
            r.headers.push(("Content-Type".into(), t));
        }
        let no_body = matches!(self.status, 204 | 304) || self.status < 200;
        if !no_body {
            r.headers.push(("Content-Length".into(), self.length.unwrap_or(self.body.len()).to_string()));
        }
        if let Some(lm) = self.last_modified {
            r.headers.push(("Last-Modified".into(), lm));
        }
        let keep_alive = keep_alive && !self.close;
        r.headers.push(("Connection".into(), if keep_alive { "keep-alive" } else { "close" }.into()));
        if let Some(loc) = self.location {
            r.headers.push(("Location".into(), loc));
        }
        r.headers.extend(self.others);
        r.body = if no_body { Vec::new() } else { self.body };
        r.close = !keep_alive;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_pages_and_headers_are_nginx_s() {
        let page = default_page(404, true).unwrap();
        assert!(page.starts_with("<html>\r\n<head><title>404 Not Found</title></head>\r\n"));
        assert!(page.contains(&format!("<hr><center>nginx/{}</center>", crate::version::get())));
        assert_eq!(default_page(404, false).unwrap().len(), 146);
        assert_eq!(default_page(200, true), None);
        let r = Draft { location: Some("http://x/".into()), ..Draft::page(301, true) }.finish(true, true);
        let names: Vec<&str> = r.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Server", "Date", "Content-Type", "Content-Length", "Connection", "Location"]);
        assert_eq!(Draft::page(302, true).finish(false, true).reason, "Moved Temporarily");
    }
}
