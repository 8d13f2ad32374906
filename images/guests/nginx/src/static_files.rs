//! Serving files: the path is `root` + URI (or `alias` + the URI past the location's prefix);
//! a directory URI ending in `/` tries the `index` files (an internal redirect to the first
//! that exists), lists the directory with `autoindex on`, or is forbidden; a directory without
//! its `/` is redirected to it. `try_files` checks its candidates in order. Also `return`.

use crate::conf::model::{Level, Loc, Modifier};
use crate::conf::settings::{Return, Settings};
use crate::exchange::{tokens, Exchange, Flow};
use crate::reply::Draft;
use guest_server::clock::Civil;
use std::fs;
use std::time::UNIX_EPOCH;

/// `return code [text|URL];`
pub fn do_return(ex: &Exchange, ret: &Return, s: &Settings) -> Flow {
    let text = ret.text.as_ref().map(|t| t.eval(&ex.ctx(), None));
    match ret.code {
        301 | 302 | 303 | 307 | 308 => {
            let location = text.map(|t| absolute(ex, s, &t));
            Flow::Reply(Draft { location, ..Draft::page(ret.code, tokens(s)) })
        }
        code => match text {
            Some(body) => Flow::Reply(Draft {
                content_type: Some(s.default_type.clone().unwrap_or_else(|| "text/plain".into())),
                body: body.into_bytes(),
                ..Draft::new(code)
            }),
            None if code >= 400 => Flow::Error(code),
            None => Flow::Reply(Draft::page(code, tokens(s))),
        },
    }
}

/// A redirect target made absolute as nginx does (`absolute_redirect on`): scheme, the client's
/// `Host` name, and the port the client connected to unless 80 (`port_in_redirect on`).
fn absolute(ex: &Exchange, s: &Settings, target: &str) -> String {
    if !target.starts_with('/') || !s.absolute_redirect.unwrap_or(true) {
        return target.to_string();
    }
    let host = ex.req.host_name().filter(|h| !h.is_empty()).unwrap_or_else(|| ex.note.server_name.clone());
    let port = ex.conn.local.port();
    let port = if port == 80 || !s.port_in_redirect.unwrap_or(true) { String::new() } else { format!(":{port}") };
    format!("http://{host}{port}{target}")
}

/// The file path of `uri` in location `loc`: `alias` replaces the location's prefix, `root` is
/// prepended (`html` under the prefix when none is set).
fn path_of(ex: &Exchange, loc: Option<&Loc>, s: &Settings, uri: &str) -> (String, String) {
    let ctx = ex.ctx();
    if let (Some(alias), Some(l)) = (&s.alias, loc) {
        let alias = alias.eval(&ctx, None);
        let rest = match l.modifier {
            Modifier::Prefix | Modifier::PrefixNoRegex => uri.strip_prefix(l.pattern.as_str()).unwrap_or(uri),
            _ => "",
        };
        return (alias.clone(), format!("{alias}{rest}"));
    }
    let root = s.root.as_ref().map_or_else(|| "/etc/nginx/html".to_string(), |r| r.eval(&ctx, None));
    (root.clone(), format!("{root}{uri}"))
}

/// Static files for the current URI.
pub fn serve(ex: &mut Exchange, loc: Option<&Loc>, s: &Settings) -> Flow {
    if let Some(tf) = &s.try_files {
        for candidate in &tf.files {
            let value = candidate.eval(&ex.ctx(), None);
            let (_, path) = path_of(ex, loc, s, &value);
            let hit = match fs::metadata(&path) {
                Ok(m) if value.ends_with('/') => m.is_dir(),
                Ok(m) => m.is_file(),
                Err(_) => false,
            };
            if hit {
                ex.uri = value;
                return serve_uri(ex, loc, s);
            }
        }
        let last = tf.last.eval(&ex.ctx(), None);
        if let Some(code) = last.strip_prefix('=') {
            return Flow::Error(code.parse().unwrap_or(404));
        }
        return if last.starts_with('@') { Flow::Named(last) } else { Flow::Redirect(last) };
    }
    serve_uri(ex, loc, s)
}

fn serve_uri(ex: &mut Exchange, loc: Option<&Loc>, s: &Settings) -> Flow {
    if ex.method != "GET" && ex.method != "HEAD" {
        return Flow::Error(405);
    }
    let uri = ex.uri.clone();
    let (root, path) = path_of(ex, loc, s, &uri);
    ex.note.document_root = root;
    ex.note.request_filename = path.clone();
    if uri.ends_with('/') {
        return directory(ex, loc, s, &path);
    }
    match fs::metadata(&path) {
        Ok(m) if m.is_dir() => {
            let mut target = format!("{uri}/");
            if let Some(a) = &ex.args {
                target = format!("{target}?{a}");
            }
            Flow::Reply(Draft { location: Some(absolute(ex, s, &target)), ..Draft::page(301, tokens(s)) })
        }
        Ok(m) => file(ex, s, &path, &m),
        Err(e) => {
            let status = if e.kind() == std::io::ErrorKind::PermissionDenied { 403 } else { 404 };
            if status == 403 || s.log_not_found.unwrap_or(true) {
                let msg = format!("open() \"{path}\" failed ({})", guest_server::errno::text(&e));
                ex.log_error(s, Level::Error, &msg, None);
            }
            Flow::Error(status)
        }
    }
}

fn directory(ex: &mut Exchange, loc: Option<&Loc>, s: &Settings, dir: &str) -> Flow {
    let default_index = [crate::vars::Template::text("index.html")];
    let index = s.index.as_deref().unwrap_or(&default_index);
    let mut first_missing = None;
    for name in index {
        let name = name.eval(&ex.ctx(), None);
        if name.starts_with('/') {
            return Flow::Redirect(name);
        }
        let candidate = format!("{dir}{name}");
        match fs::metadata(&candidate) {
            Ok(m) if !m.is_dir() => {
                let mut target = format!("{}{name}", ex.uri);
                if let Some(a) = &ex.args {
                    target = format!("{target}?{a}");
                }
                return Flow::Redirect(target);
            }
            Ok(_) => {}
            Err(e) => {
                first_missing.get_or_insert((candidate, e));
            }
        }
    }
    let _ = loc;
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {
            if s.autoindex.unwrap_or(false) {
                return crate::autoindex::listing(ex, s, dir);
            }
            ex.log_error(s, Level::Error, &format!("directory index of \"{dir}\" is forbidden"), None);
            Flow::Error(403)
        }
        _ => {
            if let Some((path, e)) = first_missing {
                let msg = format!("\"{path}\" is not found ({})", guest_server::errno::text(&e));
                ex.log_error(s, Level::Error, &msg, None);
            }
            Flow::Error(404)
        }
    }
}

/// The MIME type of `path` by its extension (`types`), else `default_type`.
fn content_type(s: &Settings, path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let ty = ext
        .and_then(|e| s.types.as_ref().and_then(|t| t.get(&e).cloned()))
        .or_else(|| s.default_type.clone())
        .unwrap_or_else(|| "text/plain".into());
    match &s.charset {
        Some(c) if ty.starts_with("text/") || ty == "application/javascript" || ty == "application/json" => {
            format!("{ty}; charset={c}")
        }
        _ => ty,
    }
}

fn file(ex: &mut Exchange, s: &Settings, path: &str, meta: &fs::Metadata) -> Flow {
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
    let size = meta.len();
    let last_modified = Civil::from_unix(mtime as i64, 0).http_date();
    let etag = format!("\"{mtime:x}-{size:x}\"");
    let mut others = Vec::new();
    if s.etag.unwrap_or(true) {
        others.push(("ETag".to_string(), etag.clone()));
    }
    let not_modified = match (ex.req.header("if-none-match"), ex.req.header("if-modified-since")) {
        (Some(inm), _) => inm.split(',').any(|t| t.trim() == etag || t.trim() == "*"),
        (None, Some(ims)) => guest_server::clock::parse_http_date(ims) == Some(mtime as i64),
        _ => false,
    };
    if not_modified {
        return Flow::Reply(Draft { last_modified: Some(last_modified), others, ..Draft::new(304) });
    }
    let body = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            ex.log_error(
                s,
                Level::Crit,
                &format!("open() \"{path}\" failed ({})", guest_server::errno::text(&e)),
                None,
            );
            return Flow::Error(if e.kind() == std::io::ErrorKind::PermissionDenied { 403 } else { 500 });
        }
    };
    others.push(("Accept-Ranges".to_string(), "bytes".to_string()));
    let content_type = Some(content_type(s, path));
    if let Some(range) = ex.req.header("range").and_then(|r| r.strip_prefix("bytes=")) {
        if !range.contains(',') {
            return match byte_range(range, body.len()) {
                Some((a, b)) => {
                    let mut others = others;
                    others.insert(0, ("Content-Range".into(), format!("bytes {a}-{b}/{}", body.len())));
                    let part = body[a..=b].to_vec();
                    Flow::Reply(Draft {
                        content_type,
                        body: part,
                        last_modified: Some(last_modified),
                        others,
                        ..Draft::new(206)
                    })
                }
                None => Flow::Reply(Draft {
                    others: vec![("Content-Range".into(), format!("bytes */{}", body.len()))],
                    ..Draft::page(416, tokens(s))
                }),
            };
        }
    }
    Flow::Reply(Draft { content_type, body, last_modified: Some(last_modified), others, ..Draft::new(200) })
}

/// `a-b`, `a-`, `-n` of a body of `len` bytes, as inclusive offsets.
fn byte_range(spec: &str, len: usize) -> Option<(usize, usize)> {
    let (a, b) = spec.trim().split_once('-')?;
    let (start, end) = if a.is_empty() {
        let n: usize = b.parse().ok()?;
        (len.checked_sub(n.min(len))?, len.checked_sub(1)?)
    } else {
        let start: usize = a.parse().ok()?;
        let end = if b.is_empty() { len.checked_sub(1)? } else { b.parse::<usize>().ok()?.min(len.checked_sub(1)?) };
        (start, end)
    };
    (start <= end && end < len).then_some((start, end))
}

/// `Expires` and `Cache-Control` for `expires`.
pub fn expires_headers(draft: &mut Draft, secs: i64) {
    if secs == i64::MIN {
        draft.others.push(("Expires".into(), Civil::from_unix(1, 0).http_date()));
        draft.others.push(("Cache-Control".into(), "no-cache".into()));
        return;
    }
    let now = std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    draft.others.push(("Expires".into(), Civil::from_unix(now + secs, 0).http_date()));
    let cc = if secs < 0 { "no-cache".to_string() } else { format!("max-age={secs}") };
    draft.others.push(("Cache-Control".into(), cc));
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_ranges_as_http_reads_them() {
        assert_eq!(super::byte_range("0-4", 10), Some((0, 4)));
        assert_eq!(super::byte_range("5-", 10), Some((5, 9)));
        assert_eq!(super::byte_range("-3", 10), Some((7, 9)));
        assert_eq!(super::byte_range("8-20", 10), Some((8, 9)));
        assert_eq!(super::byte_range("10-", 10), None);
        assert_eq!(super::byte_range("x-1", 10), None);
    }
}
