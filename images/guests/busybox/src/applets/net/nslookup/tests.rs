use super::*;
use std::net::UdpSocket;

/// Docker's embedded DNS in miniature, on 127.0.0.1: `web` has an IPv4 address only, `db` is
/// an alias of `web`, reverse lookups know `web`, and the server fails for `broken`.
fn embedded_dns() -> SocketAddr {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = sock.recv_from(&mut buf) {
            let q = Message::decode(&buf[..n]).unwrap();
            let (name, qtype) = (q.questions[0].name.clone(), q.questions[0].qtype);
            let mut r = Message::reply_to(&q, Rcode::NOERROR);
            match (name.as_str(), qtype) {
                ("web", RecordType::A) => {
                    r.answers.push(Record::new("web", 600, RData::A(Ipv4Addr::new(172, 18, 0, 2))))
                }
                ("web", _) => {}
                ("db", RecordType::A) => {
                    r.answers.push(Record::new("db", 600, RData::Cname("web".into())));
                    r.answers.push(Record::new("web", 600, RData::A(Ipv4Addr::new(172, 18, 0, 2))));
                }
                ("2.0.18.172.in-addr.arpa", RecordType::PTR) => {
                    r.answers.push(Record::new(&name, 600, RData::Ptr("web.mynet".into())))
                }
                ("broken", _) => r.flags.rcode = Rcode::SERVFAIL,
                ("mail.test", RecordType::MX) => r.answers.push(Record::new(
                    "mail.test",
                    60,
                    RData::Mx { preference: 10, exchange: "mx.mail.test".into() },
                )),
                _ => r.flags.rcode = Rcode::NXDOMAIN,
            }
            let _ = sock.send_to(&r.encode().unwrap(), from);
        }
    });
    addr
}

fn lookup(server: SocketAddr, names: &[(&str, RecordType)]) -> Lookup {
    Lookup {
        queries: names.iter().enumerate().map(|(i, (n, t))| Message::query(100 + i as u16, n, *t)).collect(),
        servers: vec![Server { name: "127.0.0.1".into(), addr: server }],
        timeout: Duration::from_millis(500),
        retry: 2,
        debug: false,
    }
}

fn header(addr: SocketAddr) -> String {
    format!("Server:\t\t127.0.0.1\nAddress:\t{addr}\n\n")
}

#[test]
fn a_container_name() {
    let addr = embedded_dns();
    let (out, code) = run(&lookup(addr, &[("web", RecordType::A), ("web", RecordType::AAAA)]));
    assert_eq!(
        out,
        header(addr) + "Non-authoritative answer:\nName:\tweb\nAddress: 172.18.0.2\n\nNon-authoritative answer:\n\n"
    );
    assert_eq!(code, 0);
    let (out, _) = run(&lookup(addr, &[("db", RecordType::A)]));
    assert_eq!(
        out,
        header(addr) + "Non-authoritative answer:\ndb\tcanonical name = web\nName:\tweb\nAddress: 172.18.0.2\n\n"
    );
}

#[test]
fn unknown_names_and_failing_servers() {
    let addr = embedded_dns();
    let (out, code) = run(&lookup(addr, &[("nope", RecordType::A), ("nope", RecordType::AAAA)]));
    assert_eq!(out, header(addr) + "** server can't find nope: NXDOMAIN\n\n** server can't find nope: NXDOMAIN\n\n");
    assert_eq!(code, 1);
    // SERVFAIL is asked again twice, then reported.
    let (out, code) = run(&lookup(addr, &[("broken", RecordType::A)]));
    assert_eq!(out, header(addr) + "** server can't find broken: SERVFAIL\n\n");
    assert_eq!(code, 1);
}

#[test]
fn reverse_and_other_types() {
    let addr = embedded_dns();
    let (out, _) = run(&lookup(addr, &[(&make_ptr("172.18.0.2").unwrap(), RecordType::PTR)]));
    assert_eq!(out, header(addr) + "Non-authoritative answer:\n2.0.18.172.in-addr.arpa\tname = web.mynet\n\n");
    let (out, _) = run(&lookup(addr, &[("mail.test", RecordType::MX)]));
    assert_eq!(out, header(addr) + "Non-authoritative answer:\nmail.test\tmail exchanger = 10 mx.mail.test\n\n");
    assert_eq!(make_ptr("::1").unwrap(), "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
    assert_eq!(make_ptr("::ffff:10.0.0.1").unwrap(), "1.0.0.10.in-addr.arpa");
    assert_eq!(make_ptr("web"), None);
}

#[test]
fn nobody_answers() {
    // A bound socket that never replies.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let (out, code) = run(&lookup(silent.local_addr().unwrap(), &[("web", RecordType::A)]));
    assert_eq!(out, ";; connection timed out; no servers could be reached\n\n");
    assert_eq!(code, 1);
}
