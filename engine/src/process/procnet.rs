//! The network as `/proc/net` and `/sys/class/net` show it, in Linux's formats, for the
//! reader's network namespace: how `ip addr`, `ifconfig`, `ip route`, `route`, `netstat -tulnp`
//! and `ss` learn about interfaces, routes and sockets. `/proc/net/if_inet4` is the playground's
//! own file (Linux has `if_inet6` for IPv6 and answers IPv4 questions over netlink, which WASIX
//! lacks): one line per address, `ifname ifindex a.b.c.d prefix_len`.

use super::errno::Errno;
use super::procfs::{Content, DirEntry, Kind, Node};
use crate::network::stack::view::{IfaceInfo, SockInfo};
use crate::network::stack::{NetHandle, SockKind};
use std::fmt::Write as _;
use std::net::{Ipv4Addr, SocketAddrV4};

/// The files of `/proc/<pid>/net`.
pub const FILES: &[&str] = &["dev", "if_inet4", "route", "tcp", "udp"];

/// The files of `/sys/class/net/<if>`.
const IFACE_FILES: &[&str] =
    &["addr_len", "address", "broadcast", "carrier", "flags", "ifindex", "mtu", "operstate", "type"];

fn entries(names: impl IntoIterator<Item = String>, kind: Kind) -> Content {
    Content::Dir(names.into_iter().map(|name| DirEntry { name, kind }).collect())
}

fn file(text: String) -> Node {
    Node { content: Content::File(text.into_bytes()), uid: 0, gid: 0, mode: 0o444 }
}

fn dir(content: Content) -> Node {
    Node { content, uid: 0, gid: 0, mode: 0o555 }
}

/// `/proc/<pid>/net/<rest>`.
pub fn proc_net(net: &NetHandle, rest: &[&str]) -> Result<Node, Errno> {
    let text = match rest {
        [] => return Ok(dir(entries(FILES.iter().map(|f| f.to_string()), Kind::File))),
        ["dev"] => dev(&net.interfaces()),
        ["if_inet4"] => if_inet4(&net.interfaces()),
        ["route"] => route(net),
        ["tcp"] => sockets(&net.socket_table(SockKind::Tcp), SockKind::Tcp),
        ["udp"] => sockets(&net.socket_table(SockKind::Udp), SockKind::Udp),
        [f, _, ..] if FILES.contains(f) => return Err(Errno::NOTDIR),
        _ => return Err(Errno::NOENT),
    };
    Ok(file(text))
}

/// `/sys/<rest>`: only `class/net` and its interfaces.
pub fn sys(net: &NetHandle, rest: &[&str]) -> Result<Node, Errno> {
    let ifaces = net.interfaces();
    match rest {
        [] => Ok(dir(entries(["class".to_string()], Kind::Dir))),
        ["class"] => Ok(dir(entries(["net".to_string()], Kind::Dir))),
        ["class", "net"] => Ok(dir(entries(ifaces.into_iter().map(|i| i.name), Kind::Dir))),
        ["class", "net", name, more @ ..] => {
            let i = ifaces.iter().find(|i| i.name == *name).ok_or(Errno::NOENT)?;
            match more {
                [] => Ok(dir(entries(IFACE_FILES.iter().map(|f| f.to_string()), Kind::File))),
                [f] => iface_file(i, f).map(|v| file(format!("{v}\n"))),
                _ => Err(Errno::NOTDIR),
            }
        }
        _ => Err(Errno::NOENT),
    }
}

fn mac(b: [u8; 6]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":")
}

fn iface_file(i: &IfaceInfo, name: &str) -> Result<String, Errno> {
    Ok(match name {
        "addr_len" => "6".to_string(),
        "address" => mac(i.mac),
        "broadcast" if i.loopback => mac([0; 6]),
        "broadcast" => mac([0xff; 6]),
        "carrier" => u8::from(i.up).to_string(),
        // The administrative flags (`IFF_UP` and the link's kind; the kernel adds `RUNNING` and
        // `LOWER_UP` from the carrier elsewhere): every interface is up, a bridge without
        // containers only lacks carrier (`NO-CARRIER`, state DOWN), as docker0 does.
        "flags" if i.loopback => "0x9".to_string(),
        "flags" => "0x1003".to_string(),
        "ifindex" => i.index.to_string(),
        "mtu" => i.mtu.to_string(),
        // Linux says "unknown" for loopback, which has no carrier to speak of.
        "operstate" if i.loopback => "unknown".to_string(),
        "operstate" => if i.up { "up" } else { "down" }.to_string(),
        // ARPHRD_LOOPBACK, ARPHRD_ETHER.
        "type" => if i.loopback { "772" } else { "1" }.to_string(),
        _ => return Err(Errno::NOENT),
    })
}

/// `/proc/net/dev`: counters per interface.
pub fn dev(ifaces: &[IfaceInfo]) -> String {
    let mut s = String::from(
        "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n",
    );
    for i in ifaces {
        let c = i.counters;
        let _ = writeln!(
            s,
            "{:>6}:{:>8} {:>7} {:>4} {:>4} {:>4} {:>5} {:>10} {:>9} {:>8} {:>7} {:>4} {:>4} {:>4} {:>5} {:>7} {:>10}",
            i.name, c.rx_bytes, c.rx_packets, 0, 0, 0, 0, 0, 0, c.tx_bytes, c.tx_packets, 0, 0, 0, 0, 0, 0
        );
    }
    s
}

/// `/proc/net/if_inet4` (the playground's): `ifname ifindex a.b.c.d prefix_len`.
pub fn if_inet4(ifaces: &[IfaceInfo]) -> String {
    ifaces.iter().map(|i| format!("{} {} {} {}\n", i.name, i.index, i.addr, i.prefix_len)).collect()
}

/// An address as Linux prints it in `/proc/net`: the 32 bits in memory order, in hex.
fn hex(ip: Ipv4Addr) -> String {
    format!("{:08X}", u32::from_le_bytes(ip.octets()))
}

/// Pads a line to `width` characters as Linux does (`%-127s`).
fn padded(out: &mut String, line: &str, width: usize) {
    let _ = writeln!(out, "{line:<width$}");
}

/// `/proc/net/route`: the main table, addresses in hex.
pub fn route(net: &NetHandle) -> String {
    let mut s = String::new();
    padded(&mut s, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT", 127);
    for r in net.routes() {
        let line = format!(
            "{}\t{}\t{}\t{:04X}\t0\t0\t0\t{}\t0\t0\t0",
            r.iface,
            hex(r.destination),
            hex(r.gateway),
            r.flags(),
            hex(r.mask())
        );
        padded(&mut s, &line, 127);
    }
    s
}

fn endpoint(a: SocketAddrV4) -> String {
    format!("{}:{:04X}", hex(*a.ip()), a.port())
}

/// `/proc/net/tcp`, `/proc/net/udp`: one line per socket, with its state and inode.
pub fn sockets(list: &[SockInfo], kind: SockKind) -> String {
    let mut s = String::new();
    let (width, sl) = match kind {
        SockKind::Tcp => (149, 4),
        SockKind::Udp => (127, 5),
    };
    let head = match kind {
        SockKind::Tcp => {
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
        }
        SockKind::Udp => {
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops"
        }
    };
    padded(&mut s, head, width);
    for (n, k) in list.iter().enumerate() {
        let tail = match kind {
            SockKind::Tcp => format!("{} 1 0000000000000000 100 0 0 10 0", k.inode),
            SockKind::Udp => format!("{} 2 0000000000000000 0", k.inode),
        };
        let line = format!(
            "{n:>sl$}: {} {} {:02X} {:08X}:{:08X} 00:00000000 00000000 {:>5} {:>8} {tail}",
            endpoint(k.local),
            endpoint(k.remote),
            k.state,
            k.tx_queue,
            k.rx_queue,
            0,
            0,
        );
        padded(&mut s, &line, width);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::stack::{Interface, NetStack, Segment, SegmentId};

    #[test]
    fn a_container_s_files_in_linux_formats() {
        let mut stack = NetStack::new();
        stack.set_segment(Segment {
            id: SegmentId("n".into()),
            bridge_name: "docker0".into(),
            subnet: Ipv4Addr::new(172, 17, 0, 0),
            prefix_len: 16,
            gateway: Ipv4Addr::new(172, 17, 0, 1),
            internal: false,
        });
        let ns = stack.create_netns();
        let eth0 = Interface {
            name: "eth0".into(),
            mac: [2, 0x42, 0xac, 0x11, 0, 2],
            addr: Ipv4Addr::new(172, 17, 0, 2),
            prefix_len: 16,
            segment: SegmentId("n".into()),
        };
        stack.set_interfaces(ns, vec![eth0], Some(Ipv4Addr::new(172, 17, 0, 1))).unwrap();
        let net = stack.handle(ns);
        let text = |rest: &[&str]| match proc_net(&net, rest).unwrap().content {
            Content::File(b) => String::from_utf8(b).unwrap(),
            _ => panic!("not a file"),
        };
        assert_eq!(text(&["if_inet4"]), "lo 1 127.0.0.1 8\neth0 2 172.17.0.2 16\n");
        let route = text(&["route"]);
        let lines: Vec<&str> = route.lines().map(str::trim_end).collect();
        assert_eq!(lines[1], "eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0");
        assert_eq!(lines[2], "eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0");
        assert!(route.lines().all(|l| l.len() == 127));
        assert!(text(&["dev"]).contains("  eth0:       0       0"));
        let s = net.open(SockKind::Tcp);
        net.bind(s.sock(), SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 80)).unwrap();
        net.listen(s.sock(), 5).unwrap();
        let tcp = text(&["tcp"]);
        let line = tcp.lines().nth(1).unwrap();
        assert!(line.starts_with("   0: 00000000:0050 00000000:0000 0A 00000000:00000000"), "{line}");
        assert!(line.contains(&format!(" {} 1 ", s.inode())));
        let sys = |rest: &[&str]| match sys(&net, rest).unwrap().content {
            Content::File(b) => String::from_utf8(b).unwrap(),
            _ => panic!("not a file"),
        };
        assert_eq!(sys(&["class", "net", "eth0", "address"]), "02:42:ac:11:00:02\n");
        assert_eq!(sys(&["class", "net", "eth0", "operstate"]), "up\n");
        assert_eq!(sys(&["class", "net", "lo", "mtu"]), "65536\n");
        assert_eq!(sys(&["class", "net", "lo", "flags"]), "0x9\n");
        assert_eq!(sys(&["class", "net", "eth0", "flags"]), "0x1003\n");
        assert_eq!(sys(&["class", "net", "eth0", "ifindex"]), "2\n");
        assert_eq!(super::sys(&net, &["class", "net", "eth9"]).err(), Some(Errno::NOENT));
    }
}
