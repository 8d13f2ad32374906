//! The switch's rules: who reaches whom (the lab's networks, internal ones, `--network none`),
//! published ports, bind conflicts.

use super::route::{route, Route};
use super::*;
use std::net::Ipv4Addr;

pub(super) fn ip(s: &str) -> Ipv4Addr {
    s.parse().expect("an address")
}

pub(super) fn segment(name: &str, subnet: &str, gateway: &str, internal: bool) -> Segment {
    Segment {
        id: SegmentId(name.to_string()),
        bridge_name: if name == "bridge" { "docker0".to_string() } else { format!("br-{name}") },
        subnet: ip(subnet),
        prefix_len: 16,
        gateway: ip(gateway),
        internal,
    }
}

pub(super) fn iface(name: &str, addr: &str, seg: &str) -> Interface {
    Interface {
        name: name.to_string(),
        mac: [2, 0x42, 0, 0, 0, 1],
        addr: ip(addr),
        prefix_len: 16,
        segment: SegmentId(seg.into()),
    }
}

/// The lab: A and B on net1 (172.18/16), C on net2 (172.19/16), D on both, E on an internal
/// network (172.20/16), N with `--network none`.
pub(super) struct Lab {
    pub net: NetStack,
    pub a: NetnsId,
    pub b: NetnsId,
    pub c: NetnsId,
    pub d: NetnsId,
    pub e: NetnsId,
    pub n: NetnsId,
}

pub(super) fn lab() -> Lab {
    let mut net = NetStack::new();
    net.set_segment(segment("net1", "172.18.0.0", "172.18.0.1", false));
    net.set_segment(segment("net2", "172.19.0.0", "172.19.0.1", false));
    net.set_segment(segment("secret", "172.20.0.0", "172.20.0.1", true));
    let mut ns = |ifaces: Vec<Interface>, gw: Option<&str>| {
        let id = net.create_netns();
        net.set_interfaces(id, ifaces, gw.map(ip)).unwrap();
        id
    };
    let a = ns(vec![iface("eth0", "172.18.0.2", "net1")], Some("172.18.0.1"));
    let b = ns(vec![iface("eth0", "172.18.0.3", "net1")], Some("172.18.0.1"));
    let c = ns(vec![iface("eth0", "172.19.0.2", "net2")], Some("172.19.0.1"));
    let d = ns(vec![iface("eth0", "172.18.0.4", "net1"), iface("eth1", "172.19.0.4", "net2")], Some("172.18.0.1"));
    let e = ns(vec![iface("eth0", "172.20.0.2", "secret")], None);
    let n = ns(vec![], None);
    Lab { net, a, b, c, d, e, n }
}

/// Where a packet from `from` to `dst` lands: `Some(ns)`, or the kind of failure.
fn lands(l: &Lab, from: NetnsId, dst: &str) -> Result<NetnsId, &'static str> {
    match route(l.net.config(), from, ip(dst)) {
        Route::Deliver { ns, .. } => Ok(ns),
        Route::Dropped { .. } => Err("dropped"),
        Route::NoHost => Err("no host"),
        Route::NoRoute => Err("no route"),
        Route::Internet { .. } => Err("internet"),
    }
}

#[test]
fn reachability_matrix_of_the_lab() {
    let l = lab();
    // Same network: yes; loopback stays home.
    assert_eq!(lands(&l, l.a, "172.18.0.3"), Ok(l.b));
    assert_eq!(lands(&l, l.b, "172.18.0.2"), Ok(l.a));
    assert_eq!(lands(&l, l.a, "127.0.0.1"), Ok(l.a));
    assert_eq!(lands(&l, l.a, "172.18.0.2"), Ok(l.a));
    // Another network: dropped by the isolation rules, both ways.
    assert_eq!(lands(&l, l.c, "172.18.0.2"), Err("dropped"));
    assert_eq!(lands(&l, l.c, "172.18.0.3"), Err("dropped"));
    assert_eq!(lands(&l, l.a, "172.19.0.2"), Err("dropped"));
    // On both networks: reaches both sides, each through its own interface.
    assert_eq!(lands(&l, l.d, "172.18.0.2"), Ok(l.a));
    assert_eq!(lands(&l, l.d, "172.19.0.2"), Ok(l.c));
    assert_eq!(lands(&l, l.c, "172.19.0.4"), Ok(l.d));
    // The host reaches everyone; containers reach the host through their gateways.
    for (ns, addr) in [(l.a, "172.18.0.2"), (l.c, "172.19.0.2"), (l.e, "172.20.0.2")] {
        assert_eq!(lands(&l, HOST_NETNS, addr), Ok(ns));
    }
    assert_eq!(lands(&l, l.a, "172.18.0.1"), Ok(HOST_NETNS));
    assert_eq!(lands(&l, l.a, "172.19.0.1"), Ok(HOST_NETNS), "any host address, via the default route");
    // Nobody at that address; nothing beyond the host.
    assert_eq!(lands(&l, l.a, "172.18.0.99"), Err("no host"));
    assert_eq!(lands(&l, HOST_NETNS, "172.18.0.99"), Err("no host"));
    assert_eq!(lands(&l, l.a, "8.8.8.8"), Err("no route"));
    assert_eq!(lands(&l, HOST_NETNS, "8.8.8.8"), Err("no route"));
    // Internal: no gateway, no way out.
    assert_eq!(lands(&l, l.e, "172.20.0.1"), Err("dropped"));
    assert_eq!(lands(&l, l.e, "172.18.0.2"), Err("no route"));
    // --network none: only loopback.
    assert_eq!(lands(&l, l.n, "127.0.0.1"), Ok(l.n));
    assert_eq!(lands(&l, l.n, "172.18.0.2"), Err("no route"));
}

#[test]
fn the_source_address_is_the_interface_toward_the_destination() {
    let l = lab();
    let src = |from, dst| match route(l.net.config(), from, ip(dst)) {
        Route::Deliver { src, .. } => src,
        other => panic!("{other:?}"),
    };
    assert_eq!(src(l.d, "172.19.0.2"), ip("172.19.0.4"));
    assert_eq!(src(l.d, "172.18.0.2"), ip("172.18.0.4"));
    assert_eq!(src(HOST_NETNS, "172.19.0.2"), ip("172.19.0.1"));
    assert_eq!(src(l.a, "127.0.0.5"), ip("127.0.0.1"));
}

#[test]
fn published_ports_forward_from_host_addresses_and_hold_the_port() {
    let mut l = lab();
    let m = PortMapping {
        host_ip: Ipv4Addr::UNSPECIFIED,
        host_port: 8080,
        proto: Proto::Tcp,
        target: l.a,
        target_ip: ip("172.18.0.2"),
        target_port: 80,
    };
    l.net.publish(m.clone()).unwrap();
    assert_eq!(l.net.publish(m), Err(StackError::PortAllocated(Ipv4Addr::UNSPECIFIED, 8080)));
    let f = route::forward(l.net.config(), Proto::Tcp, ip("127.0.0.1"), 8080).expect("forwarded");
    assert_eq!((f.ns, f.ip, f.port, f.src), (l.a, ip("172.18.0.2"), 80, ip("172.18.0.1")));
    assert!(route::forward(l.net.config(), Proto::Udp, ip("127.0.0.1"), 8080).is_none());
    assert!(route::forward(l.net.config(), Proto::Tcp, ip("172.19.0.1"), 8080).is_some());
    assert!(route::port_published(l.net.config(), Proto::Tcp, ip("127.0.0.1"), 8080));
    l.net.remove_netns(l.a);
    assert!(l.net.ports().is_empty(), "removing the namespace unpublishes");
}

#[test]
fn binding_checks_addresses_and_conflicts_per_namespace() {
    let l = lab();
    let a = l.net.handle(l.a);
    let b = l.net.handle(l.b);
    let any = |port| std::net::SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    let s1 = a.open(SockKind::Tcp);
    a.bind(s1.sock(), any(80)).unwrap();
    let s2 = a.open(SockKind::Tcp);
    assert_eq!(a.bind(s2.sock(), std::net::SocketAddrV4::new(ip("172.18.0.2"), 80)), Err(NetError::AddrInUse));
    assert_eq!(a.bind(s2.sock(), std::net::SocketAddrV4::new(ip("172.18.0.3"), 81)), Err(NetError::AddrNotAvail));
    let u = a.open(SockKind::Udp);
    a.bind(u.sock(), any(80)).expect("UDP has its own ports");
    let s3 = b.open(SockKind::Tcp);
    b.bind(s3.sock(), any(80)).expect("another namespace has its own ports");
    drop(s1);
    a.bind(s2.sock(), any(80)).expect("free again once closed");
    let e = a.open(SockKind::Tcp);
    a.bind(e.sock(), any(0)).unwrap();
    assert_eq!(a.local_addr(e.sock()).port(), switch::EPHEMERAL_FIRST);
}
