//! `cargo xtask serve`: set up, build, and serve the site on 127.0.0.1. The server is a plain
//! static file server: the site needs no special headers (no cross-origin isolation), which is
//! what lets it run from any static host or inside an LMS iframe.

use crate::run::run;
use crate::{root, setup, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

/// Builds the site into `dist/` (guests, catalog, then Trunk in release mode).
pub fn build_site() -> Result {
    setup::web_tools()?;
    setup::images()?;
    run(&root(), "trunk", &["build", "--release"])
}

pub fn serve(args: &[String]) -> Result {
    let mut port: u16 = 8080;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" => port = it.next().and_then(|p| p.parse().ok()).ok_or("--port needs a number")?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    build_site()?;
    let dist = root().join("dist");
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("Playground ready: http://127.0.0.1:{port}/  (Ctrl-C to stop)");
    for stream in listener.incoming().flatten() {
        let dist = dist.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &dist);
        });
    }
    Ok(())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "webmanifest" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Maps a request path to a file under `dist`, refusing anything that climbs out of it.
fn resolve(dist: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let mut file = dist.to_path_buf();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if part == ".." || part.contains('\\') {
            return None;
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn handle(mut stream: TcpStream, dist: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let found = if method == "GET" || method == "HEAD" { resolve(dist, path) } else { None };
    match found.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((file, body)) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
                content_type(&file),
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            if method == "GET" {
                stream.write_all(&body)?;
            }
        }
        None => {
            let body = b"404 not found\n";
            let head = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(body)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_climb_out_of_dist() {
        let dist = std::env::temp_dir();
        assert!(resolve(&dist, "/../etc/passwd").is_none());
        assert!(resolve(&dist, "/a/../../etc/passwd").is_none());
    }
}
