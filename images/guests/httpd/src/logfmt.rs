//! `mod_log_config`'s formats: `%h %l %u %t "%r" %>s %b` (common) and the rest of the `%`
//! directives a `LogFormat` uses (`%{User-Agent}i`, `%D`...).

use guest_http::server::Exchange;
use guest_server::clock::Civil;

/// One access log line of `format` for `e`.
pub fn line(format: &str, e: &Exchange<'_>, server_name: &str, micros: u128) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let req = e.request;
    let header = |name: &str| req.and_then(|r| r.header(name)).map(str::to_string);
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut arg = None;
        if chars.peek() == Some(&'{') {
            chars.next();
            let mut a = String::new();
            for c in chars.by_ref() {
                if c == '}' {
                    break;
                }
                a.push(c);
            }
            arg = Some(a);
        }
        while matches!(chars.peek(), Some('>' | '<')) {
            chars.next();
        }
        let value = match chars.next() {
            Some('%') => "%".to_string(),
            Some('h' | 'a') => e.conn.peer.ip().to_string(),
            Some('A') => e.conn.local.ip().to_string(),
            Some('l' | 'u') => "-".to_string(),
            Some('t') => format!("[{}]", Civil::now().common_log()),
            Some('r') => e.line.to_string(),
            Some('s') => e.response.status.to_string(),
            Some('b') => {
                if e.body_bytes == 0 {
                    "-".to_string()
                } else {
                    e.body_bytes.to_string()
                }
            }
            Some('B') => e.body_bytes.to_string(),
            Some('m') => req.map_or("-".into(), |r| r.method.clone()),
            Some('U') => req.map_or("-".into(), |r| r.path().to_string()),
            Some('q') => req.and_then(|r| r.query()).map_or(String::new(), |q| format!("?{q}")),
            Some('H') => req.map_or("-".into(), |r| format!("HTTP/1.{}", r.minor_version)),
            Some('v' | 'V') => server_name.to_string(),
            Some('p') => e.conn.local.port().to_string(),
            Some('P') => guest_server::pid().to_string(),
            Some('D') => micros.to_string(),
            Some('T') => (micros / 1_000_000).to_string(),
            Some('i') => header(arg.as_deref().unwrap_or_default()).unwrap_or_else(|| "-".into()),
            Some('o') => e.response.header(arg.as_deref().unwrap_or_default()).map_or("-".into(), str::to_string),
            Some(other) => format!("%{other}"),
            None => "%".to_string(),
        };
        out.push_str(&value);
    }
    out
}
