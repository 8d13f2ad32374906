//! The network applets run natively against servers on 127.0.0.1 (guest-net is std::net
//! natively): wget against a tiny HTTP server, nc both ways, nslookup against a canned DNS.

mod common;

use common::{run_in, sandbox, sh};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

/// An HTTP server answering each connection with `respond(request_head)`; returns its port.
fn http_server(respond: impl Fn(&str) -> String + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let _ = conn.write_all(respond(&head).as_bytes());
        }
    });
    port
}

fn site(head: &str) -> String {
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    match path {
        "/" => "HTTP/1.1 200 OK\r\nContent-Length: 44\r\nConnection: close\r\n\r\n<html><body><h1>It works!</h1></body></html>"
            .into(),
        "/old" => "HTTP/1.1 301 Moved Permanently\r\nLocation: /\r\nContent-Length: 0\r\n\r\n".into(),
        "/echo" => format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{head}", head.len()),
        _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".into(),
    }
}

#[test]
fn wget_to_stdout_quietly() {
    let port = http_server(site);
    let o = sh(&format!("wget -q -O - http://127.0.0.1:{port}/"));
    assert_eq!(o.stdout, "<html><body><h1>It works!</h1></body></html>");
    assert_eq!((o.stderr.as_str(), o.code), ("", 0));
}

#[test]
fn wget_saves_a_file_and_reports_like_busybox() {
    let port = http_server(site);
    let root = sandbox();
    let o = run_in(&root, &["wget", &format!("http://127.0.0.1:{port}/old")], "");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stderr,
        format!(
            "Connecting to 127.0.0.1 (127.0.0.1:{port})\nsaving to 'old'\n\
             old                  100% |********************************|    44  0:00:00 ETA\n'old' saved\n"
        )
    );
    assert_eq!(std::fs::read_to_string(root.join("work/old")).unwrap(), "<html><body><h1>It works!</h1></body></html>");
    // A second download refuses to overwrite the file.
    let o = run_in(&root, &["wget", "-q", &format!("http://127.0.0.1:{port}/old")], "");
    assert_eq!((o.stderr.as_str(), o.code), ("wget: can't open 'old': File exists\n", 1));
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn wget_errors() {
    let port = http_server(site);
    let o = sh(&format!("wget -q http://127.0.0.1:{port}/missing"));
    assert_eq!((o.stderr.as_str(), o.code), ("wget: server returned error: HTTP/1.1 404 Not Found\n", 1));
    let o = sh(&format!("wget --spider http://127.0.0.1:{port}/"));
    assert_eq!(o.stderr, format!("Connecting to 127.0.0.1 (127.0.0.1:{port})\nremote file exists\n"));
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let o = sh(&format!("wget -q http://127.0.0.1:{closed}/"));
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("wget: can't connect to remote host (127.0.0.1): Connection refused\n", 1)
    );
    let o = sh("wget -q http://no-such-host.invalid/");
    assert_eq!((o.stderr.as_str(), o.code), ("wget: bad address 'no-such-host.invalid'\n", 1));
}

#[test]
fn wget_sends_headers_and_posts() {
    let port = http_server(site);
    let o = sh(&format!("wget -qO- -S --header 'X-Test: yes' --post-data 'a=1' http://127.0.0.1:{port}/echo"));
    assert!(o.stdout.starts_with("POST /echo HTTP/1.1\r\nHost: 127.0.0.1:"), "{}", o.stdout);
    assert!(o.stdout.contains("\r\nUser-Agent: Wget\r\nConnection: close\r\nX-Test: yes\r\n"));
    assert!(o.stdout.contains("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n"));
    assert!(o.stderr.starts_with("  HTTP/1.1 200 OK\n  Content-Length: "), "{}", o.stderr);
    assert!(o.stderr.ends_with("\n  \n"));
}

/// A server that upper-cases what it reads, line by line, until the client stops writing.
fn upper_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut text = String::new();
            let _ = conn.read_to_string(&mut text);
            let _ = conn.write_all(text.to_uppercase().as_bytes());
        }
    });
    port
}

#[test]
fn nc_connects_sends_stdin_and_prints_the_reply() {
    let port = upper_server();
    let root = sandbox();
    let o = run_in(&root, &["nc", "127.0.0.1", &port.to_string()], "hello\nworld\n");
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("HELLO\nWORLD\n", "", 0));
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn nc_scans_ports() {
    let port = upper_server();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let o = sh(&format!("nc -zv 127.0.0.1 {port}; echo $?; nc -zv 127.0.0.1 {closed}; echo $?"));
    assert_eq!(o.stdout, "0\n1\n");
    // One -v does not report refusals; two do.
    assert_eq!(o.stderr, format!("127.0.0.1 (127.0.0.1:{port}) open\n"));
    let o = sh(&format!("nc -zvv 127.0.0.1 {closed}"));
    assert_eq!(o.stderr, format!("nc: 127.0.0.1 (127.0.0.1:{closed}): Connection refused\nsent 0, rcvd 0\n"));
    let o = sh("nc -z no-such-host.invalid 80");
    assert_eq!((o.stderr.as_str(), o.code), ("nc: bad address 'no-such-host.invalid'\n", 1));
}

#[test]
fn nc_listens_for_one_caller() {
    let root = sandbox();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(root.join("bin/nc"))
        .args(["-lv", "-p", &port.to_string()])
        .current_dir(root.join("work"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut client = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(c) => break c,
            Err(_) => thread::sleep(Duration::from_millis(20)),
        }
    };
    // Chat: the listener's stdin goes to the client, the client's bytes to its stdout.
    client.write_all(b"hi from the client\n").unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"hi from the server\n").unwrap();
    let mut line = String::new();
    BufReader::new(client.try_clone().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line, "hi from the server\n");
    drop(stdin);
    client.shutdown(std::net::Shutdown::Write).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hi from the client\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with(&format!("listening on 0.0.0.0:{port} ...\nconnect to 127.0.0.1:{port} from ")), "{err}");
    assert!(out.status.success());
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn usage_and_address_errors() {
    let o = sh("ping");
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("Usage: ping [OPTIONS] HOST"), "{}", o.stderr);
    let o = sh("ping -c 1 no-such-host.invalid");
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", "ping: bad address 'no-such-host.invalid'\n", 1));
    let o = sh("nslookup");
    assert!(o.stderr.contains("Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]"));
    let o = sh("nslookup -type=bogus web");
    assert_eq!(o.stderr, "nslookup: invalid query type \"bogus\"\n");
    assert!(Path::new(env!("CARGO_BIN_EXE_busybox")).exists());
}
