use super::*;
use std::io::{Read, Write};
use std::net::TcpStream as Client;
use std::sync::{Arc, Mutex};

/// Answers `/` at once, `/slow` 50 ms later, `/close` and closes; stops after `/stop`.
struct Toy {
    log: Arc<Mutex<Vec<String>>>,
    stop: bool,
}

struct Slow(Instant);
impl Pending for Slow {
    fn wait(&self) -> Option<PollFd> {
        Some(PollFd::new(-1, false, false))
    }
    fn deadline(&self) -> Option<Instant> {
        Some(self.0)
    }
    fn advance(&mut self, _: Option<&PollFd>, now: Instant) -> Option<Response> {
        (now >= self.0).then(|| body(200, "slow"))
    }
}

fn body(status: u16, text: &str) -> Response {
    let mut r = Response::new(status).with("Content-Length", text.len().to_string());
    r.body = text.as_bytes().to_vec();
    r
}

impl Service for Toy {
    fn handle(&mut self, request: &Request, _: &ConnInfo) -> Reply {
        match request.path() {
            "/slow" => Reply::Later(Box::new(Slow(Instant::now() + Duration::from_millis(50)))),
            "/close" => Reply::Now(Response { close: true, ..body(200, "bye") }),
            "/stop" => {
                self.stop = true;
                Reply::Now(body(200, "stopping"))
            }
            _ => Reply::Now(body(200, "hello")),
        }
    }
    fn reject(&mut self, error: ParseError, _: &ConnInfo) -> Response {
        body(error.status(), "bad")
    }
    fn log(&mut self, e: &Exchange<'_>) {
        self.log.lock().unwrap().push(format!("\"{}\" {} {}", e.line, e.response.status, e.body_bytes));
    }
    fn tick(&mut self, _: &mut Listeners) -> bool {
        !self.stop
    }
}

fn start() -> (SocketAddr, Arc<Mutex<Vec<String>>>, std::thread::JoinHandle<()>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut listeners = Listeners::default();
    listeners.set(&["127.0.0.1:0".parse().unwrap()]).unwrap();
    let addr = listeners.local_addrs()[0];
    let mut toy = Toy { log: log.clone(), stop: false };
    let t = std::thread::spawn(move || run(&mut toy, &mut listeners).unwrap());
    (addr, log, t)
}

/// Reads until what arrived ends with `suffix`, or the end of the stream.
fn read_until(c: &mut Client, suffix: &str) -> String {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    while !all.ends_with(suffix.as_bytes()) {
        match c.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(k) => all.extend_from_slice(&buf[..k]),
        }
    }
    String::from_utf8_lossy(&all).into_owned()
}

#[test]
fn keep_alive_pipelining_and_a_slow_reply_keep_their_order_on_one_connection() {
    let (addr, log, t) = start();
    let mut c = Client::connect(addr).unwrap();
    c.write_all(
        b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    .unwrap();
    let got = read_until(&mut c, "Content-Length: 5\r\n\r\n");
    let bodies: Vec<&str> = got.split("HTTP/1.1 200 OK").skip(1).collect();
    assert_eq!(bodies.len(), 3, "{got}");
    assert!(bodies[0].ends_with("slow") && bodies[1].ends_with("hello") && bodies[2].ends_with("\r\n\r\n"), "{got}");
    // A second client is served while nothing else happens.
    let mut d = Client::connect(addr).unwrap();
    d.write_all(b"GET /close HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert!(read_until(&mut d, "bye").ends_with("bye"));
    let mut rest = Vec::new();
    assert_eq!(d.read_to_end(&mut rest).unwrap(), 0, "closed after /close");
    c.write_all(b"GET /stop HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    read_until(&mut c, "stopping");
    t.join().unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        [
            "\"GET /slow HTTP/1.1\" 200 4",
            "\"GET / HTTP/1.1\" 200 5",
            "\"HEAD / HTTP/1.1\" 200 0",
            "\"GET /close HTTP/1.1\" 200 3",
            "\"GET /stop HTTP/1.1\" 200 8"
        ]
    );
}

#[test]
fn a_malformed_request_is_answered_and_closed_and_http_1_0_closes_by_default() {
    let (addr, log, t) = start();
    let mut c = Client::connect(addr).unwrap();
    c.write_all(b"BAD\x01 / HTTP/1.1\r\n\r\n").unwrap();
    let got = read_until(&mut c, "stopping");
    assert!(got.starts_with("HTTP/1.1 400 Bad Request"), "{got}");
    let mut c = Client::connect(addr).unwrap();
    c.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut all = String::new();
    c.read_to_string(&mut all).unwrap();
    assert!(all.ends_with("hello"));
    let mut c = Client::connect(addr).unwrap();
    c.write_all(b"GET /stop HTTP/1.0\r\n\r\n").unwrap();
    read_until(&mut c, "stopping");
    t.join().unwrap();
    assert_eq!(log.lock().unwrap()[0], "\"BAD\\x01 / HTTP/1.1\" 400 3");
}

#[test]
fn listeners_keep_open_sockets_and_let_a_wildcard_cover_its_port() {
    let mut l = Listeners::default();
    l.set(&["127.0.0.1:0".parse().unwrap()]).unwrap();
    let first = l.local_addrs();
    l.set(&["127.0.0.1:0".parse().unwrap()]).unwrap();
    assert_eq!(l.local_addrs(), first, "same socket kept");
    let port = first[0].port();
    let specific: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let wildcard: SocketAddr = format!("0.0.0.0:{port}").parse().unwrap();
    l.set(&[specific, wildcard]).unwrap();
    assert_eq!(l.local_addrs(), [wildcard]);
}
