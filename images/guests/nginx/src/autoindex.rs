//! `autoindex on`: the HTML listing nginx writes for a directory without an index file:
//! subdirectories first, then files, by name; hidden files left out; each line the name (cut
//! to 50 columns), the modification time and the size (`-` for a directory).

use crate::conf::model::Level;
use crate::conf::settings::Settings;
use crate::exchange::{Exchange, Flow};
use crate::reply::Draft;
use guest_server::clock::Civil;
use std::fs;
use std::time::UNIX_EPOCH;

struct Entry {
    name: String,
    dir: bool,
    mtime: i64,
    size: u64,
}

pub fn listing(ex: &Exchange, s: &Settings, dir: &str) -> Flow {
    let read = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            ex.log_error(
                s,
                Level::Crit,
                &format!("opendir() \"{dir}\" failed ({})", guest_server::errno::text(&e)),
                None,
            );
            return Flow::Error(500);
        }
    };
    let mut entries: Vec<Entry> = read
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                return None;
            }
            let meta = fs::metadata(e.path()).ok()?;
            let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
            Some(Entry { name, dir: meta.is_dir(), mtime, size: meta.len() })
        })
        .collect();
    entries.sort_by(|a, b| b.dir.cmp(&a.dir).then_with(|| a.name.cmp(&b.name)));
    let exact = s.autoindex_exact_size.unwrap_or(true);
    let title = html_escape(&ex.uri);
    let mut out = format!(
        "<html>\r\n<head><title>Index of {title}</title></head>\r\n<body>\r\n<h1>Index of {title}</h1><hr><pre><a href=\"../\">../</a>\r\n"
    );
    for e in &entries {
        let shown = if e.dir { format!("{}/", e.name) } else { e.name.clone() };
        let href = format!("{}{}", uri_escape(&e.name), if e.dir { "/" } else { "" });
        let chars: Vec<char> = shown.chars().collect();
        let (text, len) = if chars.len() > 50 {
            (format!("{}..&gt;", html_escape(&chars[..47].iter().collect::<String>())), 50)
        } else {
            (html_escape(&shown), chars.len())
        };
        let when = Civil::from_unix(e.mtime, 0).autoindex();
        let size = if e.dir {
            "-".to_string()
        } else if exact {
            e.size.to_string()
        } else {
            human(e.size)
        };
        out.push_str(&format!("<a href=\"{href}\">{text}</a>{} {when} {size:>19}\r\n", " ".repeat(50 - len)));
    }
    out.push_str("</pre><hr></body>\r\n</html>\r\n");
    Flow::Reply(Draft { content_type: Some("text/html".into()), body: out.into_bytes(), ..Draft::new(200) })
}

/// `autoindex_exact_size off`: sizes in K, M, G.
fn human(size: u64) -> String {
    match size {
        s if s >= 1 << 30 => format!("{}G", s >> 30),
        s if s >= 1 << 20 => format!("{}M", s >> 20),
        s if s >= 1 << 10 => format!("{}K", s >> 10),
        s => s.to_string(),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn uri_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
