use super::*;
use guest_net::dns::{RData, Rcode, Record};
use std::net::{Ipv4Addr, UdpSocket};

fn server() -> u16 {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = sock.recv_from(&mut buf) {
            let q = Message::decode(&buf[..n]).unwrap();
            let mut r = Message::reply_to(&q, Rcode::NOERROR);
            match (q.questions[0].name.as_str(), q.questions[0].qtype) {
                ("web", RecordType::A) => {
                    r.answers.push(Record::new("web", 600, RData::A(Ipv4Addr::new(172, 18, 0, 2))))
                }
                ("2.0.18.172.in-addr.arpa", RecordType::PTR) => {
                    r.answers.push(Record::new("2.0.18.172.in-addr.arpa", 600, RData::Ptr("web.mynet".into())))
                }
                ("web", _) => {}
                _ => r.flags.rcode = Rcode::NXDOMAIN,
            }
            let _ = sock.send_to(&r.encode().unwrap(), from);
        }
    });
    port
}

fn dig(args: &[&str]) -> (String, i32) {
    run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

#[test]
fn a_whole_reply() {
    let port = server().to_string();
    let (out, code) = dig(&["@127.0.0.1", "-p", &port, "web"]);
    assert_eq!(code, 0);
    let expected_start =
        format!("\n; <<>> DiG {VERSION} <<>> @127.0.0.1 -p {port} web\n;; global options: +cmd\n;; Got answer:\n");
    assert!(out.starts_with(&expected_start), "{out}");
    assert!(out.contains(";; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n\n"));
    assert!(out.contains(
        ";; QUESTION SECTION:\n;web.\t\t\t\tIN\tA\n\n;; ANSWER SECTION:\nweb.\t\t\t600\tIN\tA\t172.18.0.2\n\n"
    ));
    assert!(out.contains(&format!(";; SERVER: 127.0.0.1#{port}(127.0.0.1) (UDP)\n;; WHEN: ")), "{out}");
    assert!(out.ends_with(";; MSG SIZE  rcvd: 37\n\n"), "{out}");
}

#[test]
fn short_reverse_and_nxdomain() {
    let port = server().to_string();
    assert_eq!(dig(&["@127.0.0.1", "-p", &port, "+short", "web"]), ("172.18.0.2\n".to_string(), 0));
    assert_eq!(dig(&["@127.0.0.1", "-p", &port, "-x", "172.18.0.2", "+short"]), ("web.mynet.\n".to_string(), 0));
    assert_eq!(dig(&["@127.0.0.1", "-p", &port, "web", "AAAA", "+short"]), (String::new(), 0));
    let (out, code) = dig(&["@127.0.0.1", "-p", &port, "nope", "+noall", "+comments"]);
    assert_eq!(code, 0);
    assert!(out.contains("status: NXDOMAIN"), "{out}");
    assert!(!out.contains("QUESTION SECTION"));
}

#[test]
fn nobody_home_and_bad_options() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port().to_string();
    let (out, code) = dig(&["@127.0.0.1", "-p", &port, "+time=1", "+tries=1", "web"]);
    assert_eq!(code, 9);
    assert!(out.starts_with(&format!(";; communications error to 127.0.0.1#{port}: timed out\n\n; <<>> DiG")), "{out}");
    assert!(out.ends_with(";; no servers could be reached\n\n"));
    assert_eq!(dig(&["+bogus"]), ("Invalid option: +bogus\n".to_string(), 1));
    assert_eq!(when(0), "Thu Jan 01 00:00:00 UTC 1970");
    assert_eq!(when(1_795_969_388), "Sun Nov 29 16:23:08 UTC 2026");
}
