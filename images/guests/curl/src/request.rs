//! The request head curl sends: request line, `Host`, `Authorization` (`-u`), `User-Agent`,
//! `Referer`, `Accept`, the user's `-H` headers, then `Content-Length` and `Content-Type` for
//! `-d`. A `-H 'Name: value'` replaces curl's own header of that name, `-H 'Name:'` removes
//! it, and `-H 'Name;'` sends it empty.

use crate::args::Config;
use crate::transfer::VERSION;
use guest_net::http::Url;

/// The user's header for `name`: `Some(None)` when removed (`Name:`), `Some(Some(line))` when
/// replaced.
fn custom<'a>(cfg: &'a Config, name: &str) -> Option<Option<&'a str>> {
    cfg.headers.iter().rev().find_map(|h| {
        let (n, v) = h.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| (!v.trim().is_empty()).then_some(h.as_str()))
    })
}

/// Base64 (RFC 4648) for `Authorization: Basic`.
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// The head for `method` on `url`, with `body` if any (line ends included, empty line last).
pub fn head(cfg: &Config, url: &Url, method: &str, body: Option<&[u8]>) -> String {
    let mut lines: Vec<String> = vec![format!("{method} {} HTTP/1.1", url.target)];
    let own = |name: &str, value: String, lines: &mut Vec<String>| match custom(cfg, name) {
        None => lines.push(format!("{name}: {value}")),
        // Host keeps its place even when the user sets it.
        Some(Some(line)) if name == "Host" => lines.push(line.to_string()),
        Some(_) => {}
    };
    own("Host", url.host_header(), &mut lines);
    let user = cfg.user.clone().or_else(|| url.userinfo.clone());
    if let Some(u) = user {
        let u = if u.contains(':') { u } else { format!("{u}:") };
        own("Authorization", format!("Basic {}", base64(u.as_bytes())), &mut lines);
    }
    own("User-Agent", cfg.user_agent.clone().unwrap_or_else(|| format!("curl/{VERSION}")), &mut lines);
    if let Some(r) = &cfg.referer {
        own("Referer", r.clone(), &mut lines);
    }
    own("Accept", "*/*".into(), &mut lines);
    for h in &cfg.headers {
        if let Some(name) = h.strip_suffix(';') {
            if !name.contains(':') {
                lines.push(format!("{name}:"));
            }
            continue;
        }
        match h.split_once(':') {
            Some((n, v)) if !v.trim().is_empty() && !n.trim().eq_ignore_ascii_case("host") => lines.push(h.clone()),
            _ => {}
        }
    }
    if let Some(b) = body {
        own("Content-Length", b.len().to_string(), &mut lines);
        own("Content-Type", "application/x-www-form-urlencoded".into(), &mut lines);
    }
    let mut s = lines.join("\r\n");
    s.push_str("\r\n\r\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_custom_heads() {
        let url = Url::parse("http://web:8080/api").unwrap();
        let cfg = Config::default();
        assert_eq!(
            head(&cfg, &url, "GET", None),
            "GET /api HTTP/1.1\r\nHost: web:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
        );
        let cfg = Config {
            headers: vec!["Accept:".into(), "X-Empty;".into(), "Host: other".into(), "X-A: 1".into()],
            user: Some("bob:secret".into()),
            ..Config::default()
        };
        assert_eq!(
            head(&cfg, &url, "POST", Some(b"a=1")),
            "POST /api HTTP/1.1\r\nHost: other\r\nAuthorization: Basic Ym9iOnNlY3JldA==\r\nUser-Agent: curl/8.5.0\r\n\
             X-Empty:\r\nX-A: 1\r\nContent-Length: 3\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"
        );
    }

    #[test]
    fn base64_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
