use super::*;
use crate::applets::net::procnet::DevStats;

/// A container on the default bridge: `lo` and `eth0`, the veth peer `if7` on the host.
pub fn container() -> Vec<Interface> {
    vec![
        Interface {
            name: "lo".into(),
            index: 1,
            link: None,
            flags: procnet::link_flags(true, true, true),
            mtu: 65536,
            mac: "00:00:00:00:00:00".into(),
            brd: "00:00:00:00:00:00".into(),
            loopback: true,
            operstate: "UNKNOWN".into(),
            tx_queue_len: None,
            stats: DevStats::default(),
            addrs: vec![(Ipv4Addr::LOCALHOST, 8)],
        },
        Interface {
            name: "eth0".into(),
            index: 6,
            link: Some(7),
            flags: procnet::link_flags(false, true, true),
            mtu: 1500,
            mac: "02:42:ac:11:00:02".into(),
            brd: "ff:ff:ff:ff:ff:ff".into(),
            loopback: false,
            operstate: "UP".into(),
            tx_queue_len: None,
            stats: DevStats::default(),
            addrs: vec![(Ipv4Addr::new(172, 17, 0, 2), 16)],
        },
    ]
}

#[test]
fn ip_addr_like_alpine() {
    let ifaces = container();
    assert_eq!(
        show(&ifaces, None, true, Style::default()).unwrap(),
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n\
         \x20   link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n\
         \x20   inet 127.0.0.1/8 scope host lo\n\
         \x20      valid_lft forever preferred_lft forever\n\
         6: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue state UP \n\
         \x20   link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff\n\
         \x20   inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\n\
         \x20      valid_lft forever preferred_lft forever\n"
    );
}

#[test]
fn ip_link_one_device_families_and_oneline() {
    let ifaces = container();
    assert_eq!(
        show(&ifaces, Some("eth0"), false, Style::default()).unwrap(),
        "6: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue state UP \n\
         \x20   link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff\n"
    );
    assert_eq!(show(&ifaces, Some("eth9"), false, Style::default()).unwrap_err(), "can't find device 'eth9'");
    let v4 = show(&ifaces, Some("lo"), true, Style { family: Some("inet"), oneline: false }).unwrap();
    assert_eq!(
        v4,
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n\
         \x20   inet 127.0.0.1/8 scope host lo\n\
         \x20      valid_lft forever preferred_lft forever\n"
    );
    assert_eq!(show(&ifaces, None, true, Style { family: Some("inet6"), oneline: false }).unwrap(), "");
    let one = show(&ifaces, Some("eth0"), true, Style { family: None, oneline: true }).unwrap();
    assert_eq!(
        one,
        "6: eth0    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\\       valid_lft forever preferred_lft forever\n"
    );
}

#[test]
fn a_down_interface_without_carrier() {
    let mut i = container().remove(1);
    i.flags = iff::BROADCAST | iff::MULTICAST | iff::UP;
    i.link = None;
    assert!(format_link(&i, &[], Style::default()).starts_with("6: eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu"));
}

#[test]
fn ip_route_and_route_get() {
    let ifaces = container();
    let text = crate::applets::net::procnet::tests::ROUTE;
    let routes = procnet::parse_routes(text).unwrap();
    assert_eq!(
        format_routes(&routes, &ifaces),
        "default via 172.17.0.1 dev eth0 \n172.17.0.0/16 dev eth0 scope link  src 172.17.0.2 \n"
    );
    assert_eq!(
        route_get(&routes, &ifaces, Ipv4Addr::new(8, 8, 8, 8)).unwrap(),
        "8.8.8.8 via 172.17.0.1 dev eth0  src 172.17.0.2 \n"
    );
    assert_eq!(
        route_get(&routes, &ifaces, Ipv4Addr::new(172, 17, 0, 3)).unwrap(),
        "172.17.0.3 dev eth0  src 172.17.0.2 \n"
    );
    assert_eq!(route_get(&routes, &ifaces, Ipv4Addr::LOCALHOST).unwrap(), "local 127.0.0.1 dev lo  src 127.0.0.1 \n");
    assert!(route_get(&[], &ifaces, Ipv4Addr::new(8, 8, 8, 8)).is_err());
}
