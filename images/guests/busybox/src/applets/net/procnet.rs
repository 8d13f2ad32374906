//! The kernel's view of this network namespace, read from the files Linux (and the engine)
//! serve: interfaces and their counters (`/proc/net/dev`), their IPv4 addresses
//! (`/proc/net/if_inet4`, the playground's IPv4 twin of Linux's `if_inet6`), their link
//! details (`/sys/class/net/<if>/`), the routing table (`/proc/net/route`) and the sockets
//! (`/proc/net/tcp`, `/proc/net/udp`, owners through `/proc/<pid>/fd`). Parsing takes text so
//! the formats are tested without the files.

use crate::sys::procfs;
use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddrV4};

/// `ifi_flags` bits (linux/if.h).
pub mod iff {
    pub const UP: u32 = 0x1;
    pub const BROADCAST: u32 = 0x2;
    pub const LOOPBACK: u32 = 0x8;
    pub const POINTOPOINT: u32 = 0x10;
    pub const RUNNING: u32 = 0x40;
    pub const NOARP: u32 = 0x80;
    pub const MULTICAST: u32 = 0x1000;
    pub const LOWER_UP: u32 = 0x10000;
}

/// Counters of one interface, in `/proc/net/dev` order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DevStats {
    pub rx: [u64; 8],
    pub tx: [u64; 8],
}

impl DevStats {
    pub const BYTES: usize = 0;
    pub const PACKETS: usize = 1;
    pub const ERRS: usize = 2;
    pub const DROP: usize = 3;
    pub const FIFO: usize = 4;
    /// `frame` on the receive side, `colls` on the transmit side.
    pub const FRAME_COLLS: usize = 5;
    /// `multicast` on the receive side, `carrier` on the transmit side.
    pub const MULTICAST_CARRIER: usize = 7;
}

/// One network interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub index: u32,
    /// The peer's index for a veth (`eth0@if7`), when it is not this interface itself.
    pub link: Option<u32>,
    pub flags: u32,
    pub mtu: u32,
    /// `02:42:ac:11:00:02`
    pub mac: String,
    /// The link-level broadcast address (`ff:ff:ff:ff:ff:ff`, zeros for loopback).
    pub brd: String,
    /// ARP hardware type 772 (`link/loopback`) rather than 1 (`link/ether`).
    pub loopback: bool,
    /// `UP`, `DOWN`, `UNKNOWN` (loopback).
    pub operstate: String,
    pub tx_queue_len: Option<u32>,
    pub stats: DevStats,
    /// IPv4 addresses with their prefix length.
    pub addrs: Vec<(Ipv4Addr, u8)>,
}

impl Interface {
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }
}

/// `/proc/net/dev`: interface names and counters, in file order.
pub fn parse_dev(text: &str) -> Vec<(String, DevStats)> {
    text.lines()
        .skip(2)
        .filter_map(|line| {
            let (name, rest) = line.split_once(':')?;
            let nums: Vec<u64> = rest.split_whitespace().filter_map(|n| n.parse().ok()).collect();
            let mut s = DevStats::default();
            for (i, v) in nums.iter().take(16).enumerate() {
                if i < 8 {
                    s.rx[i] = *v;
                } else {
                    s.tx[i - 8] = *v;
                }
            }
            Some((name.trim().to_string(), s))
        })
        .collect()
}

/// `/proc/net/if_inet4`: `ifname ifindex a.b.c.d prefix_len` lines.
pub fn parse_inet4(text: &str) -> Vec<(String, Ipv4Addr, u8)> {
    text.lines()
        .filter_map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            let ip = w.get(2)?.parse().ok()?;
            let prefix = w.get(3)?.parse::<u8>().ok().filter(|p| *p <= 32)?;
            Some((w.first()?.to_string(), ip, prefix))
        })
        .collect()
}

fn sys_file(ifname: &str, file: &str) -> Option<String> {
    std::fs::read_to_string(format!("/sys/class/net/{ifname}/{file}")).ok().map(|s| s.trim().to_string())
}

fn parse_num(s: &str) -> Option<u32> {
    match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The flags Linux reports (`ifi_flags`, with the carrier's `RUNNING` and `LOWER_UP`) for a
/// loopback or an Ethernet link (veth, bridge), administratively up or not, with or without
/// carrier.
pub fn link_flags(loopback: bool, up: bool, carrier: bool) -> u32 {
    let mut f = if loopback { iff::LOOPBACK } else { iff::BROADCAST | iff::MULTICAST };
    if up {
        f |= iff::UP;
        if carrier {
            f |= iff::RUNNING | iff::LOWER_UP;
        }
    }
    f
}

/// Every interface of this namespace, sorted by index.
pub fn interfaces() -> io::Result<Vec<Interface>> {
    let dev = std::fs::read_to_string("/proc/net/dev")?;
    let addrs = std::fs::read_to_string("/proc/net/if_inet4").map(|t| parse_inet4(&t)).unwrap_or_default();
    let mut out: Vec<Interface> = parse_dev(&dev)
        .into_iter()
        .enumerate()
        .map(|(pos, (name, stats))| {
            let index = sys_file(&name, "ifindex").and_then(|v| parse_num(&v)).unwrap_or(pos as u32 + 1);
            let operstate = sys_file(&name, "operstate").unwrap_or_else(|| "unknown".into()).to_ascii_uppercase();
            let loopback = sys_file(&name, "type").map_or(name == "lo", |t| t == "772");
            let up = operstate != "DOWN";
            let carrier = sys_file(&name, "carrier").map_or(up, |c| c == "1");
            let flags = sys_file(&name, "flags")
                .and_then(|v| parse_num(&v))
                // The file has the administrative flags; the kernel adds the carrier's.
                .map(|f| if f & iff::UP != 0 && carrier { f | iff::RUNNING | iff::LOWER_UP } else { f })
                .unwrap_or_else(|| link_flags(loopback, up, carrier));
            let zeros = "00:00:00:00:00:00".to_string();
            Interface {
                index,
                link: sys_file(&name, "iflink").and_then(|v| parse_num(&v)).filter(|&l| l != index),
                flags,
                mtu: sys_file(&name, "mtu").and_then(|v| parse_num(&v)).unwrap_or(if loopback { 65536 } else { 1500 }),
                mac: sys_file(&name, "address").unwrap_or_else(|| zeros.clone()),
                brd: sys_file(&name, "broadcast").unwrap_or_else(|| {
                    if loopback {
                        zeros
                    } else {
                        "ff:ff:ff:ff:ff:ff".into()
                    }
                }),
                loopback,
                operstate,
                tx_queue_len: sys_file(&name, "tx_queue_len").and_then(|v| parse_num(&v)),
                stats,
                addrs: addrs.iter().filter(|(n, ..)| *n == name).map(|(_, ip, p)| (*ip, *p)).collect(),
                name,
            }
        })
        .collect();
    // By index, without pulling a sort implementation in for a handful of interfaces.
    let mut sorted = Vec::with_capacity(out.len());
    while let Some((at, _)) = out.iter().enumerate().min_by_key(|(_, i)| i.index) {
        sorted.push(out.remove(at));
    }
    Ok(sorted)
}

/// The netmask of a prefix length.
pub fn mask(prefix: u8) -> Ipv4Addr {
    Ipv4Addr::from(if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix.min(32))) })
}

/// The broadcast address of `ip/prefix`.
pub fn broadcast(ip: Ipv4Addr, prefix: u8) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(ip) | !u32::from(mask(prefix)))
}

/// `RTF_*` route flags.
pub mod rtf {
    pub const UP: u16 = 0x1;
    pub const GATEWAY: u16 = 0x2;
}

/// One line of `/proc/net/route`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route<'a> {
    pub iface: &'a str,
    pub dest: Ipv4Addr,
    pub gateway: Ipv4Addr,
    pub flags: u16,
    pub refcnt: i32,
    pub uses: i32,
    pub metric: i32,
    pub mask: Ipv4Addr,
    pub mtu: i32,
    pub window: i32,
    pub irtt: i32,
}

/// An address as `/proc/net` writes it: the 32-bit value in hex, in host (little-endian) order.
fn hex_ip(s: &str) -> Option<Ipv4Addr> {
    u32::from_str_radix(s, 16).ok().map(|v| Ipv4Addr::from(v.to_le_bytes()))
}

/// `/proc/net/route` (header line first). `None` for a malformed line (BusyBox dies on it).
pub fn parse_routes(text: &str) -> Option<Vec<Route<'_>>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            let n = |i: usize| w.get(i).and_then(|v| v.parse::<i32>().ok());
            Some(Route {
                iface: w.first()?,
                dest: hex_ip(w.get(1)?)?,
                gateway: hex_ip(w.get(2)?)?,
                flags: u16::from_str_radix(w.get(3)?, 16).ok()?,
                refcnt: n(4)?,
                uses: n(5)?,
                metric: n(6)?,
                mask: hex_ip(w.get(7)?)?,
                mtu: n(8)?,
                window: n(9)?,
                irtt: n(10)?,
            })
        })
        .collect()
}

/// One socket of `/proc/net/tcp` or `/proc/net/udp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Socket {
    pub local: SocketAddrV4,
    pub remote: SocketAddrV4,
    /// TCP state number (10 = LISTEN); for UDP 7 is unconnected, 1 connected.
    pub state: u8,
    pub tx_queue: u64,
    pub rx_queue: u64,
    pub inode: u64,
}

fn hex_sock(s: &str) -> Option<SocketAddrV4> {
    let (ip, port) = s.split_once(':')?;
    Some(SocketAddrV4::new(hex_ip(ip)?, u16::from_str_radix(port, 16).ok()?))
}

/// `/proc/net/tcp` or `/proc/net/udp` (header line first); malformed lines are `Err` with
/// their line number (BusyBox's "bogus data on line N").
pub fn parse_sockets(text: &str) -> Vec<Result<Socket, usize>> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let w: Vec<&str> = line.split_whitespace().collect();
            let parsed = (|| {
                let (tx, rx) = w.get(4)?.split_once(':')?;
                Some(Socket {
                    local: hex_sock(w.get(1)?)?,
                    remote: hex_sock(w.get(2)?)?,
                    state: u8::from_str_radix(w.get(3)?, 16).ok()?,
                    tx_queue: u64::from_str_radix(tx, 16).ok()?,
                    rx_queue: u64::from_str_radix(rx, 16).ok()?,
                    inode: w.get(9)?.parse().ok()?,
                })
            })();
            parsed.ok_or(i + 1)
        })
        .collect()
}

/// `PID/program` of every socket inode a process of this namespace holds (`netstat -p`).
pub fn socket_owners() -> HashMap<u64, String> {
    let mut owners = HashMap::new();
    for pid in procfs::pids().unwrap_or_default() {
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let argv0 = String::from_utf8_lossy(cmdline.split(|b| *b == 0).next().unwrap_or(&[])).into_owned();
        let name = format!("{pid}/{}", crate::util::basename(&argv0));
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { continue };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else { continue };
            let target = target.to_string_lossy();
            if let Some(inode) = target.strip_prefix("socket:[").and_then(|t| t.strip_suffix(']')) {
                if let Ok(inode) = inode.parse() {
                    owners.insert(inode, name.clone());
                }
            }
        }
    }
    owners
}

#[cfg(test)]
pub(crate) mod tests;
