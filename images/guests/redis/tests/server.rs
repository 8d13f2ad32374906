//! redis-server on real sockets (native): several clients at once, including one blocked in
//! `BRPOP` and one subscribed, speaking the wire protocol; snapshots written and read back.

use guest_redis::config::Settings;
use guest_redis::resp::{command, parse_reply, Reply};
use guest_redis::server::{Exit, Server};
use guest_redis::store::Store;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

fn start(settings: Settings) -> (SocketAddr, std::thread::JoinHandle<Exit>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let addr = l.local_addr().unwrap();
    let t = std::thread::spawn(move || {
        let store = Store::new(settings, 0);
        Server::new(store, vec![l]).run()
    });
    (addr, t)
}

struct Client {
    s: TcpStream,
    buf: Vec<u8>,
}

impl Client {
    fn new(addr: SocketAddr) -> Client {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        Client { s, buf: Vec::new() }
    }
    fn send(&mut self, line: &str) {
        let args = guest_redis::resp::split_args(line.as_bytes()).unwrap();
        self.s.write_all(&command(&args)).unwrap();
    }
    fn read(&mut self) -> Reply {
        loop {
            if let Some((r, n)) = parse_reply(&self.buf).unwrap() {
                self.buf.drain(..n);
                return r;
            }
            let mut chunk = [0u8; 4096];
            let n = self.s.read(&mut chunk).expect("a reply in time");
            assert!(n > 0, "server closed");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
    fn call(&mut self, line: &str) -> Reply {
        self.send(line);
        self.read()
    }
}

fn no_save() -> Settings {
    Settings { save: Vec::new(), ..Settings::default() }
}

#[test]
fn a_blocked_worker_a_subscriber_and_other_clients_are_served_together() {
    let (addr, t) = start(no_save());
    let mut worker = Client::new(addr);
    worker.send("BRPOP votes 0");
    let mut sub = Client::new(addr);
    sub.send("SUBSCRIBE results");
    assert_eq!(sub.read(), Reply::Array(vec![Reply::bulk("subscribe"), Reply::bulk("results"), Reply::Int(1)]));
    let mut web = Client::new(addr);
    assert_eq!(web.call("PING"), Reply::Status("PONG".into()));
    assert_eq!(web.call("INCR hits"), Reply::Int(1));
    assert_eq!(web.call("LPUSH votes cats"), Reply::Int(1));
    assert_eq!(worker.read(), Reply::bulks(["votes", "cats"]));
    assert_eq!(web.call("LLEN votes"), Reply::Int(0));
    assert_eq!(web.call("PUBLISH results cats:1"), Reply::Int(1));
    assert_eq!(sub.read(), Reply::bulks(["message", "results", "cats:1"]));
    // Timeouts end in a nil array.
    assert_eq!(worker.call("BLPOP empty 0.1"), Reply::NilArray);
    // Inline commands, as `nc` sends them.
    let mut raw = TcpStream::connect(addr).unwrap();
    raw.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    raw.write_all(b"SET greeting \"hello world\"\r\nGET greeting\r\n").unwrap();
    let mut got = Vec::new();
    while !got.ends_with(b"hello world\r\n") {
        let mut chunk = [0u8; 256];
        let n = raw.read(&mut chunk).unwrap();
        assert!(n > 0);
        got.extend_from_slice(&chunk[..n]);
    }
    assert_eq!(got, b"+OK\r\n$11\r\nhello world\r\n");
    let info = web.call("INFO clients");
    let Reply::Bulk(text) = info else { panic!() };
    assert!(String::from_utf8_lossy(&text).contains("connected_clients:4\r\n"), "{}", String::from_utf8_lossy(&text));
    web.send("SHUTDOWN NOSAVE");
    assert_eq!(t.join().unwrap(), Exit::Shutdown);
}

#[test]
fn save_writes_an_rdb_that_a_restart_loads() {
    let dir = std::env::temp_dir().join(format!("redis-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = Settings { dir: dir.display().to_string(), ..Settings::default() };
    let (addr, t) = start(settings.clone());
    let mut c = Client::new(addr);
    c.call("SET name redis");
    c.call("RPUSH q a b");
    c.call("HSET h f v");
    c.call("SET tmp x EX 100");
    assert_eq!(c.call("SAVE"), Reply::ok());
    c.send("SHUTDOWN");
    assert_eq!(t.join().unwrap(), Exit::Shutdown);
    let bytes = std::fs::read(dir.join("dump.rdb")).unwrap();
    let loaded = guest_redis::rdb::decode(&bytes, 16, 0).unwrap();
    assert_eq!(loaded.keys, 4);
    assert!(loaded.dbs[0].keys.contains_key(b"q".as_slice()));
    assert!(loaded.dbs[0].keys[b"tmp".as_slice()].expires_at.is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}
