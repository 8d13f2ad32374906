//! httpd end to end on real sockets (native): a configuration file in a temporary folder, the
//! event loop on a thread, clients speaking HTTP to it.

use crate::conf;
use crate::serve::Httpd;
use guest_http::server::{run, Listeners};
use guest_http::testing::{free_port, TempDir};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The image's httpd.conf with its paths moved into `tmp` and `Listen` on a free port.
fn config(tmp: &TempDir, port: u16) -> String {
    include_str!("../files/httpd.conf")
        .replace("ServerRoot \"/usr/local/apache2\"", &format!("ServerRoot \"{}\"", tmp.0.display()))
        .replace("Listen 80", &format!("Listen 127.0.0.1:{port}"))
        .replace("/usr/local/apache2", &tmp.0.display().to_string())
        .replace("/proc/self/fd/2", &tmp.path("error.log"))
        .replace("/proc/self/fd/1", &tmp.path("access.log"))
}

fn start(tmp: &TempDir) -> u16 {
    let port = free_port();
    tmp.write("conf/httpd.conf", &config(tmp, port));
    tmp.write("conf/mime.types", include_str!("../files/mime.types"));
    tmp.write("htdocs/index.html", include_str!("../files/index.html"));
    let file = tmp.path("conf/httpd.conf");
    let root = tmp.0.display().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let c = conf::load(&file, &root, &[]).unwrap();
        let mut listeners = Listeners::default();
        listeners.set(&c.listens).unwrap();
        let mut httpd = Httpd::new(c, Box::new(|| Err(conf::ConfError("no reload in tests".into()))));
        tx.send(()).unwrap();
        run(&mut httpd, &mut listeners).unwrap();
    });
    rx.recv().unwrap();
    port
}

fn get(port: u16, path: &str) -> String {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(c, "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    c.read_to_string(&mut out).unwrap();
    out
}

fn names(resp: &str) -> Vec<&str> {
    resp.split("\r\n\r\n").next().unwrap().lines().skip(1).filter_map(|l| l.split_once(": ").map(|(n, _)| n)).collect()
}

#[test]
fn it_works_with_apache_headers_pages_listings_and_the_common_log() {
    let tmp = TempDir::new("httpd-test", "works");
    tmp.write("htdocs/docs/a.txt", "a\n");
    tmp.write("htdocs/.htpasswd", "secret");
    let port = start(&tmp);
    let r = get(port, "/");
    assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
    assert!(r.ends_with("\r\n\r\n<html><body><h1>It works!</h1></body></html>\n"), "{r}");
    assert_eq!(
        names(&r),
        ["Date", "Server", "Last-Modified", "ETag", "Accept-Ranges", "Content-Length", "Connection", "Content-Type"]
    );
    assert!(r.contains(&format!("Server: Apache/{} (Unix)\r\n", crate::version::get())));
    let r = get(port, "/missing");
    assert!(r.starts_with("HTTP/1.1 404 Not Found\r\n"));
    assert!(r.contains("Content-Type: text/html; charset=iso-8859-1\r\n"));
    assert!(
        r.ends_with("<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n"),
        "{r}"
    );
    let r = get(port, "/docs");
    assert!(r.contains(&format!("Location: http://localhost:{port}/docs/\r\n")), "{r}");
    let r = get(port, "/docs/");
    assert!(r.contains("<h1>Index of /docs</h1>\n<ul><li><a href=\"/\"> Parent Directory</a></li>\n<li><a href=\"a.txt\"> a.txt</a></li>\n</ul>"), "{r}");
    assert!(get(port, "/.htpasswd").starts_with("HTTP/1.1 403 Forbidden"));
    let mut log = String::new();
    for _ in 0..100 {
        log = std::fs::read_to_string(tmp.path("access.log")).unwrap_or_default();
        if log.lines().count() >= 5 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let first = log.lines().next().unwrap();
    assert!(first.starts_with("127.0.0.1 - - [") && first.ends_with("] \"GET / HTTP/1.1\" 200 45"), "{first}");
    assert!(log.contains("\"GET /missing HTTP/1.1\" 404 196"), "{log}");
    let errors = std::fs::read_to_string(tmp.path("error.log")).unwrap_or_default();
    assert!(
        errors.contains("[authz_core:error]") && errors.contains("AH01630: client denied by server configuration:"),
        "{errors}"
    );
}

#[test]
fn configuration_errors_are_apache_s() {
    let tmp = TempDir::new("httpd-test", "errors");
    tmp.write("conf/httpd.conf", "ServerRoot /x\nListen 80\n\nFrobnicate on\n");
    let e = conf::load(&tmp.path("conf/httpd.conf"), "/x", &[]).unwrap_err().0;
    assert_eq!(
        e,
        format!("AH00526: Syntax error on line 4 of {}:\nInvalid command 'Frobnicate', perhaps misspelled or defined by a module not included in the server configuration", tmp.path("conf/httpd.conf"))
    );
    tmp.write("conf/httpd.conf", "Listen 80\n<Directory /x>\nRequire all granted\n");
    let e = conf::load(&tmp.path("conf/httpd.conf"), "/x", &[]).unwrap_err().0;
    assert!(e.ends_with("<Directory> was not closed."), "{e}");
    tmp.write("conf/httpd.conf", "Listen 80\n<IfModule nope_module>\nFrobnicate\n</IfModule>\n<IfDefine FOREGROUND>\nServerName x\n</IfDefine>\n");
    let c = conf::load(&tmp.path("conf/httpd.conf"), "/x", &["FOREGROUND".into()]).unwrap();
    assert_eq!(c.server_name.as_deref(), Some("x"));
}
