use super::*;

fn done(wire: &[u8]) -> (Request, usize) {
    match parse(wire, &Limits::default()) {
        Ok(Parsed::Done(r, n)) => (r, n),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_get_with_headers_is_parsed_and_the_next_request_left_in_the_buffer() {
    let wire = b"GET /a/b?x=1 HTTP/1.1\r\nHost: Site1:8080\r\nUser-Agent: curl/8.5.0\r\n\r\nGET / HTTP/1.1\r\n";
    let (r, n) = done(wire);
    assert_eq!((r.method.as_str(), r.path(), r.query()), ("GET", "/a/b", Some("x=1")));
    assert_eq!(r.request_line(), "GET /a/b?x=1 HTTP/1.1");
    assert_eq!(r.header("user-agent"), Some("curl/8.5.0"));
    assert_eq!(r.host_name().as_deref(), Some("site1"));
    assert!(r.wants_keep_alive());
    assert_eq!(&wire[n..], b"GET / HTTP/1.1\r\n");
}

#[test]
fn bodies_by_length_or_chunks_wait_until_complete() {
    let wire = b"POST /f HTTP/1.0\r\nContent-Length: 5\r\n\r\nhel";
    assert_eq!(parse(wire, &Limits::default()), Ok(Parsed::Partial));
    let (r, _) = done(b"POST /f HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello");
    assert_eq!(r.body, b"hello");
    assert!(!r.wants_keep_alive());
    let (r, _) = done(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    assert_eq!(r.body, b"abc");
}

#[test]
fn bad_requests_map_to_the_status_servers_answer() {
    let l = Limits { head: 200, line: 50, body: 10 };
    let status = |wire: &[u8]| parse(wire, &l).unwrap_err().status();
    assert_eq!(status(b"GET / HTTP/1.1\r\n\r\n"), 400, "no Host");
    assert_eq!(status(b"G\x01T / HTTP/1.1\r\n\r\n"), 400);
    assert_eq!(status(b"GET / HTTP/2.0\r\n\r\n"), 505);
    assert_eq!(status(format!("GET /{} HTTP/1.1", "a".repeat(60)).as_bytes()), 414);
    assert_eq!(status(b"POST / HTTP/1.0\r\nContent-Length: 11\r\n\r\n"), 413);
    assert_eq!(status(b"POST / HTTP/1.0\r\nContent-Length: -1\r\n\r\n"), 400);
    assert_eq!(status(b"POST / HTTP/1.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
    assert_eq!(status(b"POST / HTTP/1.0\r\nTransfer-Encoding: gzip\r\n\r\n"), 501);
    assert_eq!(status(format!("GET / HTTP/1.0\r\nX: {}\r\n", "a".repeat(300)).as_bytes()), 400);
}

#[test]
fn paths_decode_and_normalize_without_escaping_the_root() {
    assert_eq!(percent_decode("/my%20file").as_deref(), Some("/my file"));
    assert_eq!(percent_decode("/bad%2"), None);
    assert_eq!(percent_decode("/nul%00"), None);
    assert_eq!(normalize_path("/a/./b/../c//d/").as_deref(), Some("/a/c/d/"));
    assert_eq!(normalize_path("/").as_deref(), Some("/"));
    assert_eq!(normalize_path("/../etc/passwd"), None);
}

#[test]
fn unparsable_first_lines_are_escaped_for_the_log() {
    assert_eq!(first_line(b"\x16\x03\x01\"x\r\nmore"), "\\x16\\x03\\x01\\x22x");
}
