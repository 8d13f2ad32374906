//! nginx end to end on real sockets (native): a configuration in memory, files in a temporary
//! folder, the event loop on a thread, and clients speaking HTTP to it.

use crate::conf::tree::tests_support::mem;
use crate::core::Core;
use crate::logs::Logs;
use crate::service::Nginx;
use guest_http::server::{run, Listeners};
use guest_http::testing::{free_port, TempDir};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

const MIME: &str = include_str!("../files/mime.types");
const INDEX: &str = include_str!("../files/index.html");

/// Starts nginx with `site` as conf.d/default.conf (`PORT` replaced by its port).
fn start(tmp: &TempDir, site: &str) -> u16 {
    let port = free_port();
    let nginx_conf = format!(
        "error_log {} notice;\nevents {{}}\nhttp {{\n include mime.types;\n default_type application/octet-stream;\n\
         log_format main '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\"';\n\
         access_log {} main;\n keepalive_timeout 65;\n include conf.d/*.conf;\n}}\n",
        tmp.path("error.log"),
        tmp.path("access.log")
    );
    let site = site.replace("PORT", &port.to_string()).replace("TMP", &tmp.0.display().to_string());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let files = mem(&[
            ("/etc/nginx/nginx.conf", &nginx_conf),
            ("/etc/nginx/mime.types", MIME),
            ("/etc/nginx/conf.d/default.conf", &site),
        ]);
        let config =
            crate::conf::load(&files, "/etc/nginx/nginx.conf", "/etc/nginx/", &crate::conf::tests::resolver).unwrap();
        let logs = Logs::for_config(&config).unwrap();
        let mut listeners = Listeners::default();
        listeners.set(&config.http.listen_addrs()).unwrap();
        let core = Rc::new(Core::new(config, logs));
        let mut nginx =
            Nginx { core, reload: Box::new(|| Err(crate::conf::ConfError::new("no reload in tests", None))) };
        tx.send(()).unwrap();
        run(&mut nginx, &mut listeners).unwrap();
    });
    rx.recv().unwrap();
    port
}

/// One request on a new connection (`Connection: close`), the whole answer back.
fn get(port: u16, path: &str, extra: &str) -> String {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nUser-Agent: curl/8.5.0\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    c.read_to_string(&mut out).unwrap();
    out
}

fn status(resp: &str) -> &str {
    resp.lines().next().unwrap_or_default()
}

fn header<'a>(resp: &'a str, name: &str) -> Option<&'a str> {
    let head = resp.split("\r\n\r\n").next()?;
    head.lines().find_map(|l| l.split_once(": ").filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

fn body(resp: &str) -> &str {
    resp.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

fn wait_for(path: &str, needle: &str) -> String {
    for _ in 0..100 {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{needle:?} never appeared in {path}: {}", std::fs::read_to_string(path).unwrap_or_default());
}

#[test]
fn the_welcome_page_the_404_page_and_their_log_lines() {
    let tmp = TempDir::new("nginx-test", "welcome");
    tmp.write("html/index.html", INDEX);
    let port = start(
        &tmp,
        "server {\n listen 127.0.0.1:PORT;\n server_name localhost;\n location / {\n  root TMP/html;\n  index index.html index.htm;\n }\n}\n",
    );
    let r = get(port, "/", "");
    assert_eq!(status(&r), "HTTP/1.1 200 OK");
    assert_eq!(header(&r, "Server"), Some(format!("nginx/{}", crate::version::get()).as_str()));
    assert_eq!(header(&r, "Content-Type"), Some("text/html"));
    assert_eq!(header(&r, "Content-Length"), Some("615"));
    assert_eq!(header(&r, "Accept-Ranges"), Some("bytes"));
    assert!(header(&r, "ETag").is_some_and(|e| e.starts_with('"')));
    assert!(body(&r).contains("<title>Welcome to nginx!</title>"));
    let r = get(port, "/nope.html", "");
    assert_eq!(status(&r), "HTTP/1.1 404 Not Found");
    assert!(body(&r).starts_with("<html>\r\n<head><title>404 Not Found</title></head>"));
    let access = wait_for(&tmp.path("access.log"), "\"GET /nope.html HTTP/1.1\" 404 153");
    let first = access.lines().next().unwrap();
    assert!(first.starts_with("127.0.0.1 - - ["), "{first}");
    assert!(first.ends_with("] \"GET / HTTP/1.1\" 200 615 \"-\" \"curl/8.5.0\" \"-\""), "{first}");
    let errors = wait_for(&tmp.path("error.log"), "No such file");
    assert!(errors.contains(&format!(
        "[error] {pid}#{pid}: *2 open() \"{}/html/nope.html\" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: \"GET /nope.html HTTP/1.1\", host: \"localhost:{port}\"",
        tmp.0.display(),
        pid = std::process::id()
    )), "{errors}");
}

#[test]
fn directories_redirect_list_or_are_forbidden_and_return_answers() {
    let tmp = TempDir::new("nginx-test", "dirs");
    tmp.write("html/docs/a.txt", "hello\n");
    tmp.write("html/empty/.hidden", "");
    tmp.write("data/f1.txt", "one");
    let port = start(
        &tmp,
        "server {\n listen 127.0.0.1:PORT;\n root TMP/html;\n location /data/ { alias TMP/data/; autoindex on; }\n\
         location = /health { return 200 \"ok\\n\"; }\n location /old { return 301 /new; }\n\
         location /secret { deny all; }\n}\n",
    );
    let r = get(port, "/docs", "");
    assert_eq!(status(&r), "HTTP/1.1 301 Moved Permanently");
    assert_eq!(header(&r, "Location"), Some(format!("http://localhost:{port}/docs/").as_str()));
    assert_eq!(status(&get(port, "/docs/", "")), "HTTP/1.1 403 Forbidden");
    let r = get(port, "/docs/a.txt", "");
    assert_eq!((header(&r, "Content-Type"), body(&r)), (Some("text/plain"), "hello\n"));
    let r = get(port, "/data/", "");
    assert!(body(&r).starts_with("<html>\r\n<head><title>Index of /data/</title></head>"), "{r}");
    let line = body(&r).lines().find(|l| l.contains("f1.txt")).unwrap();
    assert!(line.starts_with("<a href=\"f1.txt\">f1.txt</a>                                             "), "{line:?}");
    assert!(line.ends_with("                  3"), "{line:?}");
    let r = get(port, "/health", "");
    assert_eq!((status(&r), body(&r)), ("HTTP/1.1 200 OK", "ok\n"));
    let r = get(port, "/old", "");
    assert_eq!(header(&r, "Location"), Some(format!("http://localhost:{port}/new").as_str()));
    assert_eq!(status(&get(port, "/secret", "")), "HTTP/1.1 403 Forbidden");
    let r = get(port, "/docs/a.txt", "Range: bytes=1-3\r\n");
    assert_eq!((status(&r), body(&r)), ("HTTP/1.1 206 Partial Content", "ell"));
}

/// A backend answering `name` and the request's head, on a thread.
fn backend(name: &'static str) -> (u16, mpsc::Receiver<String>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(mut c) = c else { continue };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match c.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf).into_owned();
            let _ = tx.send(head);
            let text = format!("hello from {name}\n");
            let _ = write!(c, "HTTP/1.1 200 OK\r\nServer: gunicorn\r\nContent-Type: text/plain\r\nX-Backend: {name}\r\nContent-Length: {}\r\n\r\n{text}", text.len());
        }
    });
    (port, rx)
}

#[test]
fn the_reverse_proxy_forwards_headers_balances_and_answers_502_when_down() {
    let tmp = TempDir::new("nginx-test", "proxy");
    tmp.write("html/50x.html", "<h1>An error occurred.</h1>\n");
    let (a, a_heads) = backend("a");
    let (b, _) = backend("b");
    let dead = free_port();
    let port = start(
        &tmp,
        &format!(
            "upstream pool {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}\n\
             server {{\n listen 127.0.0.1:PORT;\n server_name localhost;\n\
             location / {{ proxy_pass http://127.0.0.1:{a}; proxy_set_header Host $host; proxy_set_header X-Real-IP $remote_addr; }}\n\
             location /pool/ {{ proxy_pass http://pool/; }}\n\
             location /down {{ proxy_pass http://127.0.0.1:{dead}; }}\n\
             error_page 500 502 503 504 /50x.html;\n location = /50x.html {{ root TMP/html; }}\n}}\n"
        ),
    );
    let r = get(port, "/api/x?y=1", "X-Forwarded-For: 10.1.1.1\r\n");
    assert_eq!(status(&r), "HTTP/1.1 200 OK");
    assert_eq!(body(&r), "hello from a\n");
    assert_eq!(header(&r, "Server"), Some(format!("nginx/{}", crate::version::get()).as_str()));
    assert_eq!(header(&r, "X-Backend"), Some("a"));
    let head = a_heads.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(
        head.starts_with("GET /api/x?y=1 HTTP/1.0\r\nHost: localhost\r\nX-Real-IP: 127.0.0.1\r\nConnection: close\r\n"),
        "{head}"
    );
    assert!(head.contains("User-Agent: curl/8.5.0\r\nX-Forwarded-For: 10.1.1.1\r\n"), "{head}");
    let seen: Vec<String> =
        (0..4).map(|_| header(&get(port, "/pool/z", ""), "X-Backend").unwrap_or("?").to_string()).collect();
    assert_eq!(seen, ["a", "b", "a", "b"]);
    let head = a_heads.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(head.starts_with("GET /z HTTP/1.0\r\nHost: pool\r\n"), "{head}");
    let r = get(port, "/down", "");
    assert_eq!(status(&r), "HTTP/1.1 502 Bad Gateway");
    assert_eq!(body(&r), "<h1>An error occurred.</h1>\n");
    let errors = wait_for(&tmp.path("error.log"), "Connection refused");
    assert!(errors.contains(&format!("connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: localhost, request: \"GET /down HTTP/1.1\", upstream: \"http://127.0.0.1:{dead}/down\", host: \"localhost:{port}\"")), "{errors}");
    let access = wait_for(&tmp.path("access.log"), "\"GET /down HTTP/1.1\" 502");
    assert!(access.contains("\"GET /api/x?y=1 HTTP/1.1\" 200 13 \"-\" \"curl/8.5.0\" \"10.1.1.1\""), "{access}");
}

#[test]
fn virtual_hosts_and_keep_alive_on_one_connection() {
    let tmp = TempDir::new("nginx-test", "vhosts");
    tmp.write("site1/index.html", "site1\n");
    tmp.write("site2/index.html", "site2\n");
    let port = start(
        &tmp,
        "server { listen 127.0.0.1:PORT; server_name site1; root TMP/site1; }\n\
         server { listen 127.0.0.1:PORT default_server; server_name site2; root TMP/site2; }\n",
    );
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost: site1\r\n\r\nGET / HTTP/1.1\r\nHost: site2\r\n\r\nGET / HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n").unwrap();
    let mut all = String::new();
    c.read_to_string(&mut all).unwrap();
    let bodies: Vec<&str> = all.split("HTTP/1.1 200 OK").skip(1).map(body).collect();
    assert_eq!(bodies, ["site1\n", "site2\n", "site2\n"]);
    assert_eq!(all.matches("Connection: keep-alive").count(), 2);
}
