use super::*;
use std::io::{BufReader, Write};

#[test]
fn urls() {
    let u = Url::parse("http://web/").unwrap();
    assert_eq!((u.scheme.as_str(), u.host.as_str(), u.port, u.target.as_str()), ("http", "web", 80, "/"));
    let u = Url::parse("localhost:8080/api?x=1#frag").unwrap();
    assert_eq!((u.host.as_str(), u.port, u.target.as_str()), ("localhost", 8080, "/api?x=1"));
    assert_eq!(u.host_header(), "localhost:8080");
    assert_eq!(u.to_string_full(), "http://localhost:8080/api?x=1");
    let u = Url::parse("HTTP://user:pw@site1?q").unwrap();
    assert_eq!((u.userinfo.as_deref(), u.host.as_str(), u.target.as_str()), (Some("user:pw"), "site1", "/?q"));
    assert_eq!(Url::parse("https://x").unwrap().port, 443);
    assert_eq!(Url::parse("ftp://x"), Err(UrlError::Scheme("ftp".into())));
    assert_eq!(Url::parse("http://x:99999/"), Err(UrlError::BadPort));
    assert_eq!(Url::parse("http:///a"), Err(UrlError::NoHost));
}

#[test]
fn redirects_resolve_against_the_current_url() {
    let base = Url::parse("http://web:8080/a/b?x").unwrap();
    assert_eq!(base.join("/c").unwrap().to_string_full(), "http://web:8080/c");
    assert_eq!(base.join("c").unwrap().to_string_full(), "http://web:8080/a/c");
    assert_eq!(base.join("//other/d").unwrap().to_string_full(), "http://other/d");
    assert_eq!(base.join("http://third:81/").unwrap().to_string_full(), "http://third:81/");
}

fn head(text: &str) -> ResponseHead {
    read_head(&mut text.as_bytes()).unwrap().unwrap()
}

#[test]
fn response_heads() {
    let h = head("HTTP/1.1 404 Not Found\r\nServer: nginx\r\nContent-Length: 3\r\n\r\nabc");
    assert_eq!((h.version.as_str(), h.status, h.reason.as_str()), ("HTTP/1.1", 404, "Not Found"));
    assert_eq!(h.header("content-length"), Some("3"));
    assert_eq!(h.lines, vec!["HTTP/1.1 404 Not Found", "Server: nginx", "Content-Length: 3"]);
    assert_eq!(h.status_line(), "HTTP/1.1 404 Not Found");
    // Bare LF line ends are tolerated.
    assert_eq!(head("HTTP/1.0 200 OK\nA: b\n\n").headers, vec![("A".to_string(), "b".to_string())]);
    assert!(read_head(&mut &b""[..]).unwrap().is_none());
    assert!(read_head(&mut &b"HTTP/1.1 200 OK\r\nA: b\r\n"[..]).is_err());
    assert!(read_head(&mut &b"garbage\r\n\r\n"[..]).is_err());
}

#[test]
fn body_kinds() {
    let h = head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    assert_eq!(BodyKind::of("GET", &h).unwrap(), BodyKind::Length(5));
    assert_eq!(BodyKind::of("HEAD", &h).unwrap(), BodyKind::Empty);
    let h = head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n");
    assert_eq!(BodyKind::of("GET", &h).unwrap(), BodyKind::Chunked);
    assert_eq!(BodyKind::of("GET", &head("HTTP/1.1 204 No Content\r\n\r\n")).unwrap(), BodyKind::Empty);
    assert_eq!(BodyKind::of("GET", &head("HTTP/1.0 200 OK\r\n\r\n")).unwrap(), BodyKind::UntilClose);
    assert!(BodyKind::of("GET", &head("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")).is_err());
}

fn body(kind: BodyKind, wire: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    BodyReader::new(wire, kind).read_to_end(&mut out)?;
    Ok(out)
}

#[test]
fn bodies() {
    assert_eq!(body(BodyKind::Length(3), b"abcdef").unwrap(), b"abc");
    assert_eq!(body(BodyKind::UntilClose, b"abcdef").unwrap(), b"abcdef");
    assert_eq!(body(BodyKind::Chunked, b"3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nTrailer: x\r\n\r\nNEXT").unwrap(), b"abcde");
    assert!(body(BodyKind::Length(10), b"abc").is_err());
    assert!(body(BodyKind::Chunked, b"zz\r\n").is_err());
    assert!(body(BodyKind::Chunked, b"5\r\nab").is_err());
}

#[test]
fn a_whole_exchange_over_a_socket() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut req = Vec::new();
        let mut buf = [0u8; 1024];
        while !req.ends_with(b"\r\n\r\n") {
            let n = s.read(&mut buf).unwrap();
            req.extend_from_slice(&buf[..n]);
        }
        s.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nIt w\r\n6\r\norks!\n\r\n0\r\n\r\n")
            .unwrap();
        String::from_utf8(req).unwrap()
    });
    let mut conn = crate::TcpStream::connect(addr).unwrap();
    conn.write_all(b"GET / HTTP/1.1\r\nHost: web\r\n\r\n").unwrap();
    let mut r = BufReader::new(conn);
    let h = read_head(&mut r).unwrap().unwrap();
    let mut out = String::new();
    BodyReader::new(&mut r, BodyKind::of("GET", &h).unwrap()).read_to_string(&mut out).unwrap();
    assert_eq!(out, "It works!\n");
    assert!(server.join().unwrap().starts_with("GET / HTTP/1.1\r\n"));
}
