//! Traffic through the switch: TCP connections (echo, end of stream, resets, backpressure,
//! errors), published ports, UDP datagrams, the embedded DNS server.

use super::socket::{Fail, SockRef, SocketFd};
use super::stream::STREAM_CAPACITY;
use super::tests::{ip, lab};
use super::*;
use std::net::{Ipv4Addr, SocketAddrV4};

fn at(addr: &str, port: u16) -> SocketAddrV4 {
    SocketAddrV4::new(ip(addr), port)
}

fn listener(h: &NetHandle, port: u16) -> SocketFd {
    let s = h.open(SockKind::Tcp);
    h.bind(s.sock(), at("0.0.0.0", port)).unwrap();
    h.listen(s.sock(), 16).unwrap();
    s
}

fn read_all(h: &NetHandle, s: &SockRef) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        match h.recv(s, 4096, false) {
            Ok(d) if d.is_empty() => return out,
            Ok(d) => out.extend(d),
            Err(e) => panic!("{e:?} after {out:?}"),
        }
    }
}

#[test]
fn a_tcp_echo_between_two_containers_with_end_of_stream() {
    let l = lab();
    let (a, b) = (l.net.handle(l.a), l.net.handle(l.b));
    let srv = listener(&a, 7);
    assert_eq!(a.accept(srv.sock()).err(), Some(Fail::Wait { until: None }));
    let cli = b.open(SockKind::Tcp);
    b.connect(cli.sock(), at("172.18.0.2", 7), 0).unwrap();
    assert_eq!(b.connect(cli.sock(), at("172.18.0.2", 7), 0), Err(NetError::IsConn.into()));
    let (conn, peer) = a.accept(srv.sock()).unwrap();
    assert_eq!(*peer.ip(), ip("172.18.0.3"));
    assert_eq!(b.local_addr(cli.sock()), peer);
    assert_eq!(a.peer_addr(conn.sock()), Ok(peer));
    assert_eq!(b.peer_addr(cli.sock()), Ok(at("172.18.0.2", 7)));
    assert_eq!(b.send(cli.sock(), b"ping"), Ok(4));
    assert_eq!(a.recv(conn.sock(), 2, true), Ok(b"pi".to_vec()), "peek leaves it");
    let got = a.recv(conn.sock(), 100, false).unwrap();
    a.send(conn.sock(), &got).unwrap();
    assert_eq!(b.recv(cli.sock(), 100, false), Ok(b"ping".to_vec()));
    assert_eq!(b.recv(cli.sock(), 100, false), Err(Fail::Wait { until: None }));
    // Half-close: the server reads the end, still writes.
    b.shutdown(cli.sock(), false, true).unwrap();
    assert_eq!(a.recv(conn.sock(), 100, false), Ok(Vec::new()));
    assert_eq!(b.send(cli.sock(), b"late"), Err(NetError::Pipe.into()));
    a.send(conn.sock(), b"bye").unwrap();
    drop(conn);
    assert_eq!(read_all(&b, cli.sock()), b"bye");
    let counters = b.counters("eth0");
    assert_eq!((counters.tx_bytes, counters.rx_bytes), (4, 7));
}

#[test]
fn the_writer_waits_while_the_reader_lags_and_a_closed_reader_breaks_the_pipe() {
    let l = lab();
    let a = l.net.handle(l.a);
    let srv = listener(&a, 9);
    let cli = a.open(SockKind::Tcp);
    a.connect(cli.sock(), at("127.0.0.1", 9), 0).unwrap();
    let (conn, _) = a.accept(srv.sock()).unwrap();
    let big = vec![7u8; STREAM_CAPACITY + 100];
    assert_eq!(a.send(cli.sock(), &big), Ok(STREAM_CAPACITY));
    assert_eq!(a.send(cli.sock(), &big), Err(Fail::Wait { until: None }));
    assert_eq!(a.recv(conn.sock(), 1000, false).map(|d| d.len()), Ok(1000));
    assert_eq!(a.send(cli.sock(), &big), Ok(1000));
    drop(conn);
    assert_eq!(a.send(cli.sock(), b"x"), Err(NetError::Pipe.into()));
    assert_eq!(a.counters("lo").tx_bytes, (STREAM_CAPACITY + 1000) as u64);
}

#[test]
fn connection_errors_are_linux_ones() {
    let l = lab();
    let (a, c, n) = (l.net.handle(l.a), l.net.handle(l.c), l.net.handle(l.n));
    let _srv = listener(&a, 80);
    let s = a.open(SockKind::Tcp);
    assert_eq!(a.connect(s.sock(), at("127.0.0.1", 81), 0), Err(NetError::ConnRefused.into()));
    let s = n.open(SockKind::Tcp);
    assert_eq!(n.connect(s.sock(), at("172.18.0.2", 80), 0), Err(NetError::NetUnreach.into()));
    // Another network: nobody answers; the connect times out.
    let s = c.open(SockKind::Tcp);
    let until = route::CONNECT_TIMEOUT_MICROS;
    assert_eq!(c.connect(s.sock(), at("172.18.0.2", 80), 0), Err(Fail::Wait { until: Some(until) }));
    assert_eq!(c.connect(s.sock(), at("172.18.0.2", 80), until - 1), Err(Fail::Wait { until: Some(until) }));
    assert_eq!(c.connect(s.sock(), at("172.18.0.2", 80), until), Err(NetError::TimedOut.into()));
    // Nobody has the address: ARP gives up.
    let s = a.open(SockKind::Tcp);
    let arp = route::ARP_TIMEOUT_MICROS;
    assert_eq!(a.connect(s.sock(), at("172.18.0.99", 80), 5), Err(Fail::Wait { until: Some(5 + arp) }));
    assert_eq!(a.connect(s.sock(), at("172.18.0.99", 80), 5 + arp), Err(NetError::HostUnreach.into()));
}

#[test]
fn a_removed_namespace_resets_its_connections_and_a_closed_listener_its_backlog() {
    let mut l = lab();
    let (a, b) = (l.net.handle(l.a), l.net.handle(l.b));
    let srv = listener(&a, 7);
    let cli = b.open(SockKind::Tcp);
    b.connect(cli.sock(), at("172.18.0.2", 7), 0).unwrap();
    let (_conn, _) = a.accept(srv.sock()).unwrap();
    let waiting = b.open(SockKind::Tcp);
    b.connect(waiting.sock(), at("172.18.0.2", 7), 0).unwrap();
    l.net.remove_netns(l.a);
    assert_eq!(b.recv(cli.sock(), 10, false), Err(NetError::ConnReset.into()));
    assert_eq!(b.send(cli.sock(), b"x"), Err(NetError::ConnReset.into()));
    assert_eq!(b.recv(waiting.sock(), 10, false), Err(NetError::ConnReset.into()));
    let c = l.net.handle(l.c);
    let srv = listener(&c, 7);
    let cli = c.open(SockKind::Tcp);
    c.connect(cli.sock(), at("127.0.0.1", 7), 0).unwrap();
    drop(srv);
    assert_eq!(c.recv(cli.sock(), 10, false), Err(NetError::ConnReset.into()));
}

#[test]
fn published_ports_reach_the_container_from_the_host_and_through_a_gateway() {
    let mut l = lab();
    let m = PortMapping {
        host_ip: Ipv4Addr::UNSPECIFIED,
        host_port: 8080,
        proto: Proto::Tcp,
        target: l.a,
        target_ip: ip("172.18.0.2"),
        target_port: 80,
    };
    l.net.publish(m).unwrap();
    let (a, c, host) = (l.net.handle(l.a), l.net.handle(l.c), l.net.handle(HOST_NETNS));
    let srv = listener(&a, 80);
    for (h, dst) in [(&host, "127.0.0.1"), (&host, "172.19.0.1"), (&c, "172.19.0.1")] {
        let cli = h.open(SockKind::Tcp);
        h.connect(cli.sock(), at(dst, 8080), 0).unwrap();
        let (conn, peer) = a.accept(srv.sock()).unwrap();
        assert_eq!(*peer.ip(), ip("172.18.0.1"), "the proxy, on the container's network");
        h.send(cli.sock(), b"GET /").unwrap();
        assert_eq!(a.recv(conn.sock(), 10, false), Ok(b"GET /".to_vec()));
        assert_eq!(h.peer_addr(cli.sock()), Ok(at(dst, 8080)));
    }
    let s = host.open(SockKind::Tcp);
    assert_eq!(host.bind(s.sock(), at("0.0.0.0", 8080)), Err(NetError::AddrInUse), "the proxy holds it");
}

#[test]
fn udp_datagrams_keep_their_boundaries_and_senders() {
    let l = lab();
    let (a, b) = (l.net.handle(l.a), l.net.handle(l.b));
    let srv = a.open(SockKind::Udp);
    a.bind(srv.sock(), at("0.0.0.0", 5353)).unwrap();
    let cli = b.open(SockKind::Udp);
    assert_eq!(b.send_to(cli.sock(), b"one", Some(at("172.18.0.2", 5353))), Ok(3));
    b.send_to(cli.sock(), b"two!", Some(at("172.18.0.2", 5353))).unwrap();
    let from = b.local_addr(cli.sock());
    assert!(from.port() >= switch::EPHEMERAL_FIRST, "bound by the first send");
    let (d, src, cut) = a.recv_from(srv.sock(), 2, false).unwrap();
    assert_eq!((d, src, cut), (b"on".to_vec(), at("172.18.0.3", from.port()), true));
    let (d, _, cut) = a.recv_from(srv.sock(), 100, false).unwrap();
    assert_eq!((d, cut), (b"two!".to_vec(), false));
    assert_eq!(a.recv_from(srv.sock(), 100, false), Err(Fail::Wait { until: None }));
    a.send_to(srv.sock(), b"back", Some(src)).unwrap();
    assert_eq!(b.recv_from(cli.sock(), 100, false).unwrap().0, b"back");
    // Connected: a datagram nobody receives comes back as ECONNREFUSED.
    b.connect(cli.sock(), at("172.18.0.2", 9999), 0).unwrap();
    b.send_to(cli.sock(), b"lost", None).unwrap();
    assert_eq!(b.recv_from(cli.sock(), 100, false), Err(NetError::ConnRefused.into()));
    let n = l.net.handle(l.n);
    let s = n.open(SockKind::Udp);
    assert_eq!(n.send_to(s.sock(), b"x", Some(at("172.18.0.2", 53))), Err(NetError::NetUnreach.into()));
}

#[test]
fn the_embedded_dns_server_answers_over_udp_and_tcp() {
    use hickory_proto::op::{Message, Query, ResponseCode};
    use hickory_proto::rr::{Name, RData, RecordType};
    let mut l = lab();
    let mut table = DnsTable::default();
    table.records.insert("web".into(), vec![ip("172.18.0.2")]);
    l.net.set_dns(l.b, Some(table)).unwrap();
    let b = l.net.handle(l.b);
    let query = |name: &str| {
        let mut m = Message::new();
        m.set_id(7).set_recursion_desired(true);
        m.add_query(Query::query(Name::from_ascii(name).unwrap(), RecordType::A));
        m.to_vec().unwrap()
    };
    let s = b.open(SockKind::Udp);
    b.send_to(s.sock(), &query("web"), Some(at("127.0.0.11", 53))).unwrap();
    let (reply, from, _) = b.recv_from(s.sock(), 512, false).unwrap();
    assert_eq!(from, at("127.0.0.11", 53));
    let reply = Message::from_vec(&reply).unwrap();
    assert!(matches!(reply.answers()[0].data(), RData::A(a) if a.0 == ip("172.18.0.2")));
    let t = b.open(SockKind::Tcp);
    b.connect(t.sock(), at("127.0.0.11", 53), 0).unwrap();
    let q = query("nope");
    let mut framed = (q.len() as u16).to_be_bytes().to_vec();
    framed.extend(&q);
    b.send(t.sock(), &framed[..5]).unwrap();
    assert_eq!(b.recv(t.sock(), 10, false), Err(Fail::Wait { until: None }), "half a query");
    b.send(t.sock(), &framed[5..]).unwrap();
    b.shutdown(t.sock(), false, true).unwrap();
    let data = read_all(&b, t.sock());
    let reply = Message::from_vec(&data[2..]).unwrap();
    assert_eq!(reply.response_code(), ResponseCode::NXDomain);
    // Without a DNS table (the default bridge), nobody is at 127.0.0.11.
    let a = l.net.handle(l.a);
    let t = a.open(SockKind::Tcp);
    assert_eq!(a.connect(t.sock(), at("127.0.0.11", 53), 0), Err(NetError::ConnRefused.into()));
    // The host's stub resolver (127.0.0.53) answers the internet's names, in the host's
    // namespace only (a `--network host` container shares it).
    let mut names = DnsTable::default();
    names.records.insert("deb.debian.org".into(), vec![ip("151.101.2.132")]);
    l.net.set_internet(Internet { names, ..Internet::default() });
    let host = l.net.handle(HOST_NETNS);
    let s = host.open(SockKind::Udp);
    host.send_to(s.sock(), &query("deb.debian.org"), Some(at("127.0.0.53", 53))).unwrap();
    let (reply, from, _) = host.recv_from(s.sock(), 512, false).unwrap();
    assert_eq!(from, at("127.0.0.53", 53));
    let reply = Message::from_vec(&reply).unwrap();
    assert!(matches!(reply.answers()[0].data(), RData::A(a) if a.0 == ip("151.101.2.132")));
    let s = a.open(SockKind::Udp);
    a.send_to(s.sock(), &query("deb.debian.org"), Some(at("127.0.0.53", 53))).unwrap();
    assert_eq!(a.recv_from(s.sock(), 512, false), Err(Fail::Wait { until: None }));
}

#[test]
fn ping_follows_the_routes() {
    let l = lab();
    let (a, c) = (l.net.handle(l.a), l.net.handle(l.c));
    assert!(matches!(a.ping(ip("172.18.0.3"), 56, 0), icmp::Echo::Reply { ttl: 64, .. }));
    assert!(matches!(a.ping(ip("127.0.0.1"), 56, 0), icmp::Echo::Reply { .. }));
    assert_eq!(c.ping(ip("172.18.0.2"), 56, 0), icmp::Echo::Lost);
    assert_eq!(a.ping(ip("172.18.0.50"), 56, 0), icmp::Echo::HostUnreach);
    assert_eq!(l.net.handle(l.n).ping(ip("172.18.0.2"), 56, 0), icmp::Echo::NoRoute);
    assert_eq!(a.counters("eth0").tx_packets, 1);
}

#[test]
fn the_view_lists_interfaces_routes_and_sockets() {
    let l = lab();
    let d = l.net.handle(l.d);
    let names: Vec<String> = d.interfaces().into_iter().map(|i| i.name).collect();
    assert_eq!(names, ["lo", "eth0", "eth1"]);
    let routes = d.routes();
    assert_eq!(routes[0].gateway, ip("172.18.0.1"));
    assert_eq!(routes.len(), 3);
    let host = l.net.handle(HOST_NETNS);
    let names: Vec<String> = host.interfaces().into_iter().map(|i| i.name).collect();
    assert_eq!(names, ["lo", "br-net1", "br-net2", "br-secret"]);
    let srv = listener(&d, 80);
    let table = d.socket_table(SockKind::Tcp);
    assert_eq!(table.len(), 1);
    assert_eq!((table[0].state, table[0].inode), (view::tcp_state::LISTEN, srv.inode()));
}
