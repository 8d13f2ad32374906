use super::*;

pub const DEV: &str = "Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
  eth0:    1102      13    0    0    0     0          0         0      42       1    0    0    0     0       0          0
";

pub const ROUTE: &str = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
";

pub const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0
   1: 020011AC:0050 030011AC:B5A2 01 00000000:00000002 00:00000000 00000000     0        0 1240 1 0000000000000000 20 4 30 10 -1
";

#[test]
fn dev_and_addresses() {
    let dev = parse_dev(DEV);
    assert_eq!(dev.len(), 2);
    assert_eq!(dev[1].0, "eth0");
    assert_eq!(dev[1].1.rx[DevStats::BYTES], 1102);
    assert_eq!(dev[1].1.rx[DevStats::PACKETS], 13);
    assert_eq!(dev[1].1.tx[DevStats::BYTES], 42);
    let a = parse_inet4("lo 1 127.0.0.1 8\neth0 2 172.17.0.2 16\nbad line\n");
    assert_eq!(a, vec![("lo".into(), Ipv4Addr::LOCALHOST, 8), ("eth0".into(), Ipv4Addr::new(172, 17, 0, 2), 16)]);
    assert_eq!(mask(16), Ipv4Addr::new(255, 255, 0, 0));
    assert_eq!(mask(0), Ipv4Addr::UNSPECIFIED);
    assert_eq!(broadcast(Ipv4Addr::new(172, 17, 0, 2), 16), Ipv4Addr::new(172, 17, 255, 255));
    assert_eq!(link_flags(true, true, true), iff::LOOPBACK | iff::UP | iff::RUNNING | iff::LOWER_UP);
    assert_eq!(link_flags(false, false, false), iff::BROADCAST | iff::MULTICAST);
    assert_eq!(link_flags(false, true, false), iff::BROADCAST | iff::MULTICAST | iff::UP);
}

#[test]
fn routes() {
    let r = parse_routes(ROUTE).unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].iface, r[0].gateway, r[0].flags), ("eth0", Ipv4Addr::new(172, 17, 0, 1), rtf::UP | rtf::GATEWAY));
    assert_eq!((r[1].dest, r[1].mask), (Ipv4Addr::new(172, 17, 0, 0), Ipv4Addr::new(255, 255, 0, 0)));
    assert!(parse_routes("header\neth0 zz\n").is_none());
}

#[test]
fn sockets() {
    let s: Vec<Socket> = parse_sockets(TCP).into_iter().map(Result::unwrap).collect();
    assert_eq!(s[0].local, "0.0.0.0:80".parse().unwrap());
    assert_eq!((s[0].state, s[0].inode), (10, 1234));
    assert_eq!(s[1].remote, "172.17.0.3:46498".parse().unwrap());
    assert_eq!(s[1].rx_queue, 2);
    assert_eq!(parse_sockets("header\n 0: nonsense\n"), vec![Err(2)]);
}
