use super::*;
use crate::platform::MemoryBlobSource;
use std::collections::HashMap;

const APKINDEX: &str = "/alpine/v3.21/main/x86_64/APKINDEX.tar.gz";
const DEB: &str = "/debian/pool/main/c/curl/curl_7.88.1-10+deb12u12_amd64.deb";

fn file(bytes: &[u8]) -> MirrorFile {
    MirrorFile {
        digest: format!("sha256:{}", crate::ids::Digest::of(bytes).hex()),
        size: bytes.len() as u64,
        content_type: "application/octet-stream".into(),
    }
}

/// A catalog with two files on two mirrors, and the index naming them.
fn catalog() -> MemoryBlobSource {
    let mut index = MirrorIndex::default();
    let mut blobs = MemoryBlobSource::default();
    for (host, path, bytes) in
        [("dl-cdn.alpinelinux.org", APKINDEX, &b"index bytes"[..]), ("deb.debian.org", DEB, &b"!<arch>\n"[..])]
    {
        let f = file(bytes);
        blobs.insert(f.blob_path(), bytes.to_vec());
        index.sites.entry(host.into()).or_default().insert(path.into(), f);
    }
    blobs.insert(INDEX, serde_json::to_vec(&index).unwrap());
    blobs
}

fn respond(reply: Reply) -> (usize, String, bool) {
    match reply {
        Reply::Respond { consumed, response, close } => (consumed, String::from_utf8_lossy(&response).into(), close),
        other => panic!("expected a response, got {other:?}"),
    }
}

#[test]
fn an_index_is_served_with_its_length() {
    let request = format!("GET {APKINDEX} HTTP/1.1\r\nHost: dl-cdn.alpinelinux.org\r\nUser-Agent: apk\r\n\r\n");
    let (consumed, response, close) = respond(Mirror::new().handle(request.as_bytes(), &mut catalog()));
    assert_eq!(consumed, request.len());
    assert!(!close);
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.contains("\r\nContent-Length: 11\r\n"), "{response}");
    assert!(response.ends_with("\r\n\r\nindex bytes"), "{response}");
}

#[test]
fn escaped_paths_and_host_ports_are_understood() {
    let request = "GET /debian/pool/main/c/curl/curl_7.88.1-10%2bdeb12u12_amd64.deb HTTP/1.1\r\nHost: DEB.debian.org:80\r\nConnection: close\r\n\r\n";
    let (_, response, close) = respond(Mirror::new().handle(request.as_bytes(), &mut catalog()));
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.ends_with("!<arch>\n"));
    assert!(close, "Connection: close is honoured");
}

#[test]
fn head_sends_the_headers_only() {
    let request = format!("HEAD {APKINDEX} HTTP/1.1\r\nHost: dl-cdn.alpinelinux.org\r\n\r\n");
    let (_, response, _) = respond(Mirror::new().handle(request.as_bytes(), &mut catalog()));
    assert!(response.contains("Content-Length: 11\r\n") && response.ends_with("\r\n\r\n"), "{response}");
}

#[test]
fn unknown_paths_and_hosts_are_404() {
    for request in [
        "GET /alpine/v3.21/main/x86_64/nope.apk HTTP/1.1\r\nHost: dl-cdn.alpinelinux.org\r\n\r\n",
        "GET /alpine/v3.21/main/x86_64/APKINDEX.tar.gz HTTP/1.1\r\nHost: example.com\r\n\r\n",
    ] {
        let (_, response, close) = respond(Mirror::new().handle(request.as_bytes(), &mut catalog()));
        assert!(response.starts_with("HTTP/1.1 404 Not Found\r\n"), "{response}");
        assert!(response.contains("<h1>404 Not Found</h1>"));
        assert!(!close);
    }
}

#[test]
fn bad_requests_and_methods_are_refused() {
    let (_, response, close) = respond(Mirror::new().handle(b"\x16\x03\x01 hello\r\n\r\n", &mut catalog()));
    assert!(response.starts_with("HTTP/1.1 400 Bad Request\r\n") && close, "{response}");
    let (_, response, _) = respond(Mirror::new().handle(b"GET / HTTP/1.1\r\n\r\n", &mut catalog()));
    assert!(response.starts_with("HTTP/1.1 400 Bad Request\r\n"), "no Host: {response}");
    let post = b"POST / HTTP/1.1\r\nHost: deb.debian.org\r\nContent-Length: 0\r\n\r\n";
    let (_, response, _) = respond(Mirror::new().handle(post, &mut catalog()));
    assert!(response.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"), "{response}");
}

#[test]
fn partial_requests_wait_and_pipelined_ones_are_taken_one_at_a_time() {
    let mut mirror = Mirror::new();
    let mut blobs = catalog();
    assert_eq!(mirror.handle(b"GET /alpine/v3.21/main/x86_64/APK", &mut blobs), Reply::Incomplete);
    let one = format!("GET {APKINDEX} HTTP/1.1\r\nHost: dl-cdn.alpinelinux.org\r\n\r\n");
    let two = format!("GET {DEB} HTTP/1.1\r\nHost: deb.debian.org\r\n\r\n");
    let both = format!("{one}{two}");
    let (consumed, _, _) = respond(mirror.handle(both.as_bytes(), &mut blobs));
    assert_eq!(consumed, one.len());
    let (_, response, _) = respond(mirror.handle(&both.as_bytes()[consumed..], &mut blobs));
    assert!(response.ends_with("!<arch>\n"));
    // HTTP/1.0 closes after the answer.
    let old = format!("GET {APKINDEX} HTTP/1.0\r\nHost: dl-cdn.alpinelinux.org\r\n\r\n");
    assert!(respond(mirror.handle(old.as_bytes(), &mut blobs)).2);
}

/// A blob source whose files arrive later, as in the page.
struct Slow {
    inner: MemoryBlobSource,
    asked: HashMap<String, u32>,
}

impl BlobSource for Slow {
    fn poll(&mut self, path: &str) -> BlobPoll {
        let n = self.asked.entry(path.to_string()).or_default();
        *n += 1;
        if *n < 2 {
            BlobPoll::Pending
        } else {
            self.inner.poll(path)
        }
    }
}

#[test]
fn blobs_on_their_way_make_the_answer_wait() {
    let mut slow = Slow { inner: catalog(), asked: HashMap::new() };
    let mut mirror = Mirror::new();
    let request = format!("GET {APKINDEX} HTTP/1.1\r\nHost: dl-cdn.alpinelinux.org\r\n\r\n");
    assert_eq!(mirror.handle(request.as_bytes(), &mut slow), Reply::Pending, "the index is on its way");
    assert_eq!(mirror.handle(request.as_bytes(), &mut slow), Reply::Pending, "the file is on its way");
    let (_, response, _) = respond(mirror.handle(request.as_bytes(), &mut slow));
    assert!(response.ends_with("index bytes"));
}

#[test]
fn a_catalog_without_mirrors_answers_404_and_a_lost_blob_503() {
    let request = format!("GET {APKINDEX} HTTP/1.1\r\nHost: dl-cdn.alpinelinux.org\r\n\r\n");
    let (_, response, _) = respond(Mirror::new().handle(request.as_bytes(), &mut MemoryBlobSource::default()));
    assert!(response.starts_with("HTTP/1.1 404 "), "{response}");
    let mut index = MirrorIndex::default();
    index.sites.entry("dl-cdn.alpinelinux.org".into()).or_default().insert(APKINDEX.into(), file(b"gone"));
    let mut mirror = Mirror::with_index(index);
    let (_, response, _) = respond(mirror.handle(request.as_bytes(), &mut MemoryBlobSource::default()));
    assert!(response.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), "{response}");
}

#[test]
fn the_mirror_names_are_known() {
    assert!(Mirror::serves("dl-cdn.alpinelinux.org"));
    assert!(Mirror::serves("Archive.Ubuntu.com."));
    assert!(!Mirror::serves("example.com"));
}
