use super::*;
use crate::dns::Record;
use std::sync::mpsc;
use std::thread;

/// A name server on 127.0.0.1 that answers each query with `answer(query)` (None: silence),
/// and reports the names it was asked.
fn server(answer: impl Fn(&Message) -> Option<Message> + Send + 'static) -> (SocketAddr, mpsc::Receiver<String>) {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = sock.recv_from(&mut buf) {
            let Ok(q) = Message::decode(&buf[..n]) else { continue };
            if tx.send(q.questions[0].name.clone()).is_err() {
                return;
            }
            if let Some(r) = answer(&q) {
                let _ = sock.send_to(&r.encode().unwrap(), from);
            }
        }
    });
    (addr, rx)
}

/// Docker's embedded DNS in miniature: `web` and `db` exist.
fn docker_dns(q: &Message) -> Option<Message> {
    let name = q.questions[0].name.as_str();
    let ip = match name {
        "web" | "web.corp.test" => Ipv4Addr::new(172, 18, 0, 2),
        "db" => Ipv4Addr::new(172, 18, 0, 3),
        _ => return Some(Message::reply_to(q, Rcode::NXDOMAIN)),
    };
    let mut r = Message::reply_to(q, Rcode::NOERROR);
    if q.questions[0].qtype == RecordType::A {
        r.answers.push(Record::new(name, 600, RData::A(ip)));
    }
    Some(r)
}

fn resolver(server: SocketAddr, resolv_conf: &str) -> Resolver {
    let mut conf = ResolvConf::parse(resolv_conf);
    conf.nameservers = vec![server];
    conf.timeout = Duration::from_millis(400);
    Resolver { hosts: Hosts::parse("127.0.0.1 localhost\n172.17.0.9 linked alias\n"), conf }
}

#[test]
fn numbers_then_hosts_then_dns() {
    let (addr, asked) = server(docker_dns);
    let r = resolver(addr, "options ndots:0\n");
    assert_eq!(r.lookup("10.0.0.1").unwrap(), vec![Ipv4Addr::new(10, 0, 0, 1)]);
    assert_eq!(r.lookup("alias").unwrap(), vec![Ipv4Addr::new(172, 17, 0, 9)]);
    assert_eq!(r.lookup("web").unwrap(), vec![Ipv4Addr::new(172, 18, 0, 2)]);
    assert!(matches!(r.lookup("nope"), Err(ResolveError::NotFound)));
    // Only the two DNS lookups reached the server.
    assert_eq!(asked.try_iter().collect::<Vec<_>>(), vec!["web", "nope"]);
    // Names with characters no host name has are refused without asking.
    assert!(matches!(r.lookup("bad name!"), Err(ResolveError::NotFound)));
    assert!(asked.try_recv().is_err());
}

#[test]
fn search_suffixes_come_first_for_short_names() {
    let (addr, asked) = server(docker_dns);
    let r = resolver(addr, "search corp.test other.test\n");
    assert_eq!(r.lookup("web").unwrap(), vec![Ipv4Addr::new(172, 18, 0, 2)]);
    assert_eq!(asked.try_iter().collect::<Vec<_>>(), vec!["web.corp.test"]);
    assert_eq!(r.lookup("db").unwrap(), vec![Ipv4Addr::new(172, 18, 0, 3)]);
    assert_eq!(asked.try_iter().collect::<Vec<_>>(), vec!["db.corp.test", "db.other.test", "db"]);
}

#[test]
fn silence_and_server_failure_mean_try_again() {
    let (addr, asked) = server(|_| None);
    let r = resolver(addr, "options attempts:2\n");
    let t = Instant::now();
    assert!(matches!(r.lookup("web"), Err(ResolveError::Again)));
    assert!(t.elapsed() >= Duration::from_millis(400));
    // Sent again after half the timeout.
    assert_eq!(asked.try_iter().count(), 2);

    let (addr, asked) = server(|q| Some(Message::reply_to(q, Rcode::SERVFAIL)));
    let r = resolver(addr, "options attempts:1\n");
    assert!(matches!(r.lookup("web"), Err(ResolveError::Again)));
    // The first query, then two immediate retries on SERVFAIL.
    assert_eq!(asked.try_iter().count(), 3);
}

#[test]
fn replies_that_do_not_match_are_ignored() {
    let (addr, _asked) = server(|q| {
        let mut wrong = docker_dns(q)?;
        wrong.id = wrong.id.wrapping_add(1);
        Some(wrong)
    });
    let r = resolver(addr, "");
    assert!(matches!(r.lookup("web"), Err(ResolveError::Again)));
    let (addr, _asked) = server(|q| {
        let mut other = Message::query(q.id, "db", RecordType::A);
        other = docker_dns(&other)?;
        Some(other)
    });
    assert!(matches!(resolver(addr, "").lookup("web"), Err(ResolveError::Again)));
}

#[test]
fn cname_chains_and_reverse_lookups() {
    let (addr, _asked) = server(|q| {
        let name = q.questions[0].name.clone();
        let mut r = Message::reply_to(q, Rcode::NOERROR);
        match q.questions[0].qtype {
            RecordType::A => {
                r.answers.push(Record::new(&name, 60, RData::Cname("real.test".into())));
                r.answers.push(Record::new("real.test", 60, RData::A(Ipv4Addr::new(10, 1, 2, 3))));
            }
            RecordType::PTR if name == "2.0.18.172.in-addr.arpa" => {
                r.answers.push(Record::new(&name, 600, RData::Ptr("web.mynet".into())));
            }
            _ => r.flags.rcode = Rcode::NXDOMAIN,
        }
        Some(r)
    });
    let r = resolver(addr, "");
    assert_eq!(r.lookup("alias.test").unwrap(), vec![Ipv4Addr::new(10, 1, 2, 3)]);
    assert_eq!(r.reverse(Ipv4Addr::new(172, 18, 0, 2)).as_deref(), Some("web.mynet"));
    assert_eq!(r.reverse(Ipv4Addr::new(172, 17, 0, 9)).as_deref(), Some("linked"));
    assert_eq!(r.reverse(Ipv4Addr::new(172, 18, 0, 9)), None);
}

#[test]
fn exchange_reports_replies_in_arrival_order() {
    let (addr, _asked) = server(|q| {
        // The AAAA query is answered, the A query is not.
        (q.questions[0].qtype == RecordType::AAAA).then(|| Message::reply_to(q, Rcode::NOERROR))
    });
    let queries = [Message::query(1, "web", RecordType::A), Message::query(2, "web", RecordType::AAAA)];
    let got = exchange(&[addr], &queries, Duration::from_millis(300), 2, |_| true).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].query, 1);
}

#[test]
fn inet_aton_forms() {
    assert_eq!(parse_ipv4("127.0.0.1"), Some(Ipv4Addr::LOCALHOST));
    assert_eq!(parse_ipv4("127.1"), Some(Ipv4Addr::LOCALHOST));
    assert_eq!(parse_ipv4("0x7f.0.0.01"), Some(Ipv4Addr::LOCALHOST));
    assert_eq!(parse_ipv4("2130706433"), Some(Ipv4Addr::LOCALHOST));
    assert_eq!(parse_ipv4("10.0.0"), Some(Ipv4Addr::new(10, 0, 0, 0)));
    for bad in ["", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "web", "1..2", "0x", "08"] {
        assert_eq!(parse_ipv4(bad), None, "{bad}");
    }
}
