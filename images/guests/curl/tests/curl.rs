//! curl run natively against HTTP servers on 127.0.0.1 (guest-net is std::net natively).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::thread;

struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

fn curl_in(dir: &std::path::Path, args: &[&str]) -> Out {
    let out =
        Command::new(env!("CARGO_BIN_EXE_curl")).args(args).current_dir(dir).stdin(Stdio::null()).output().unwrap();
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn curl(args: &[&str]) -> Out {
    curl_in(&std::env::temp_dir(), args)
}

const PAGE: &str = "<html><body><h1>It works!</h1></body></html>";

/// A keep-alive HTTP/1.1 server: `/` is the page, `/old` redirects to `/`, `/form` echoes the
/// request, `/close` answers without a length, anything else is 404.
fn server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            thread::spawn(move || {
                let mut w = conn.try_clone().unwrap();
                let mut r = BufReader::new(conn);
                loop {
                    let mut head = String::new();
                    loop {
                        let mut line = String::new();
                        if r.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        head.push_str(&line);
                    }
                    let len = head
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Length: "))
                        .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                    let mut body = vec![0u8; len];
                    r.read_exact(&mut body).unwrap();
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let head_only = head.starts_with("HEAD ");
                    let (status, extra, content) = match path.as_str() {
                        "/" => ("200 OK", "Content-Type: text/html\r\n", PAGE.to_string()),
                        "/old" => ("301 Moved Permanently", "Location: /\r\n", String::new()),
                        "/form" => ("200 OK", "", format!("{head}{}", String::from_utf8_lossy(&body))),
                        "/close" => {
                            let _ = w.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbye\n");
                            return;
                        }
                        _ => ("404 Not Found", "", String::new()),
                    };
                    let mut resp = format!("HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\n\r\n", content.len());
                    if !head_only {
                        resp.push_str(&content);
                    }
                    if w.write_all(resp.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

#[test]
fn get_quietly_and_with_the_progress_meter() {
    let port = server();
    let url = format!("http://127.0.0.1:{port}/");
    let o = curl(&["-s", &url]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), (PAGE, "", 0));
    // The body goes to a pipe: the meter is on stderr.
    let o = curl(&[&url]);
    assert_eq!(o.stdout, PAGE);
    assert!(o.stderr.starts_with("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"));
    assert!(o.stderr.contains("\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r100    44  100    44    0     0 "), "{}", o.stderr);
    assert!(o.stderr.ends_with('\n'));
}

#[test]
fn verbose_trace() {
    let port = server();
    let o = curl(&["-sv", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!(o.stdout, PAGE);
    assert_eq!(
        o.stderr,
        format!(
            "*   Trying 127.0.0.1:{port}...\n* Connected to 127.0.0.1 (127.0.0.1) port {port}\n\
             > GET / HTTP/1.1\r\n> Host: 127.0.0.1:{port}\r\n> User-Agent: curl/8.5.0\r\n> Accept: */*\r\n> \r\n\
             < HTTP/1.1 200 OK\r\n< Content-Type: text/html\r\n< Content-Length: 44\r\n< \r\n\
             {{ [44 bytes data]\n* Connection #0 to host 127.0.0.1 left intact\n"
        )
    );
}

#[test]
fn head_include_and_redirects() {
    let port = server();
    let o = curl(&["-sI", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!(o.stdout, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 44\r\n\r\n");
    let o = curl(&["-s", "-i", &format!("http://127.0.0.1:{port}/old")]);
    assert_eq!(o.stdout, "HTTP/1.1 301 Moved Permanently\r\nLocation: /\r\nContent-Length: 0\r\n\r\n");
    let o = curl(&[
        "-sSvL",
        "-w",
        "%{http_code} %{num_redirects} %{url_effective}\\n",
        &format!("http://127.0.0.1:{port}/old"),
    ]);
    assert_eq!(o.stdout, format!("{PAGE}200 1 http://127.0.0.1:{port}/\n"));
    assert!(o.stderr.contains(&format!(
        "* Connection #0 to host 127.0.0.1 left intact\n* Issue another request to this URL: 'http://127.0.0.1:{port}/'\n\
         * Re-using existing connection with host 127.0.0.1\n> GET / HTTP/1.1\r\n"
    )), "{}", o.stderr);
}

#[test]
fn post_data_and_headers() {
    let port = server();
    let o = curl(&["-s", "-d", "name=web", "-d", "x=1", "-H", "X-Test: yes", &format!("http://127.0.0.1:{port}/form")]);
    assert_eq!(
        o.stdout,
        format!(
            "POST /form HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nX-Test: yes\r\n\
             Content-Length: 12\r\nContent-Type: application/x-www-form-urlencoded\r\nname=web&x=1"
        )
    );
    let o = curl(&["-s", "-X", "DELETE", &format!("http://127.0.0.1:{port}/form")]);
    assert!(o.stdout.starts_with("DELETE /form HTTP/1.1\r\n"));
}

#[test]
fn files() {
    let port = server();
    let dir = std::env::temp_dir().join(format!("curltest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = curl_in(&dir, &["-s", "-o", "page.html", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!((o.stdout.as_str(), o.code), ("", 0));
    assert_eq!(std::fs::read_to_string(dir.join("page.html")).unwrap(), PAGE);
    let o = curl_in(&dir, &["-sO", &format!("http://127.0.0.1:{port}/form")]);
    assert_eq!(o.code, 0);
    assert!(std::fs::read_to_string(dir.join("form")).unwrap().starts_with("GET /form"));
    let o = curl_in(&dir, &["-O", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!((o.stderr.as_str(), o.code), ("curl: Remote file name has no length\n", 23));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn errors_like_curl() {
    let port = server();
    let o = curl(&["-sf", &format!("http://127.0.0.1:{port}/missing")]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", "", 22));
    let o = curl(&["-sSf", &format!("http://127.0.0.1:{port}/missing")]);
    assert_eq!(o.stderr, "curl: (22) The requested URL returned error: 404\n");
    // Without -f a 404 is a success.
    assert_eq!(curl(&["-s", &format!("http://127.0.0.1:{port}/missing")]).code, 0);
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let o = curl(&["-sS", &format!("http://127.0.0.1:{closed}/")]);
    assert_eq!(o.code, 7);
    assert!(
        o.stderr.starts_with(&format!("curl: (7) Failed to connect to 127.0.0.1 port {closed} after ")),
        "{}",
        o.stderr
    );
    assert!(o.stderr.ends_with(" ms: Couldn't connect to server\n"));
    let o = curl(&["-sS", "http://no-such-host.invalid/"]);
    assert_eq!((o.stderr.as_str(), o.code), ("curl: (6) Could not resolve host: no-such-host.invalid\n", 6));
    let o = curl(&["https://example.com/"]);
    assert_eq!((o.stderr.as_str(), o.code), ("curl: (1) Protocol \"https\" not supported or disabled in libcurl\n", 1));
    let o = curl(&[]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("curl: (2) no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n", 2)
    );
    let o = curl(&["--frobnicate", "x"]);
    assert_eq!(
        o.stderr,
        "curl: option --frobnicate: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
    );
    let o = curl(&["-s", &format!("http://127.0.0.1:{port}/close")]);
    assert_eq!((o.stdout.as_str(), o.code), ("bye\n", 0));
    assert!(curl(&["--version"]).stdout.starts_with("curl 8.5.0 "));
}
