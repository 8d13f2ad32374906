//! redis-cli (the native build) against a server on a thread: one-shot commands, piped input,
//! both output forms, and the connection error.

use guest_redis::config::Settings;
use guest_redis::server::Server;
use guest_redis::store::Store;
use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Stdio};

fn start() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        Server::new(Store::new(Settings { save: Vec::new(), ..Settings::default() }, 0), vec![l]).run()
    });
    port
}

fn cli(port: u16, args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redis-cli"))
        .args(["-p", &port.to_string()])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn one_shot_piped_and_formatted_output() {
    let port = start();
    assert_eq!(cli(port, &["SET", "a", "hello world"], "").0, "OK\n");
    assert_eq!(cli(port, &["GET", "a"], "").0, "hello world\n");
    assert_eq!(cli(port, &["GET", "missing"], "").0, "\n");
    assert_eq!(cli(port, &["--no-raw", "GET", "a"], "").0, "\"hello world\"\n");
    assert_eq!(cli(port, &["--no-raw", "INCR", "n"], "").0, "(integer) 1\n");
    cli(port, &["RPUSH", "l", "x", "y"], "");
    assert_eq!(cli(port, &["--no-raw", "LRANGE", "l", "0", "-1"], "").0, "1) \"x\"\n2) \"y\"\n");
    assert_eq!(cli(port, &["LRANGE", "l", "0", "-1"], "").0, "x\ny\n");
    assert_eq!(
        cli(port, &["--no-raw", "NOPE"], "").0,
        "(error) ERR unknown command 'NOPE', with args beginning with: \n"
    );
    let (out, _, code) = cli(port, &[], "SET b 2\nGET b\nquit\n");
    assert_eq!((out.as_str(), code), ("OK\n2\n", 0));
    let (_, err, code) = cli(port, &["-n", "1", "-e", "NOPE"], "");
    assert_eq!((err.as_str(), code), ("ERR unknown command 'NOPE', with args beginning with: \n", 1));
}

#[test]
fn a_closed_port_is_reported_like_hiredis() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (_, err, code) = cli(port, &["PING"], "");
    assert_eq!(err, format!("Could not connect to Redis at 127.0.0.1:{port}: Connection refused\n"));
    assert_eq!(code, 1);
    assert_eq!(cli(port, &["--version"], "").0, format!("redis-cli {}\n", guest_redis::version::get()));
}
