//! `ifconfig [-a] [IFACE]`: the interfaces in net-tools' classic layout (name, hardware address,
//! IPv4 address, broadcast and mask, flags, counters), sorted by name as BusyBox lists them.
//! Configuring an interface needs `CAP_NET_ADMIN`, which containers lack: the kernel refuses.

use super::procnet::{self, iff, DevStats, Interface};
use crate::util::err;
use std::fmt::Write as _;

/// `1102 (1.0 KiB)`, BusyBox's `print_bytes_scaled`.
fn bytes_scaled(n: u64) -> String {
    let units = ["", "Ki", "Mi", "Gi", "Ti"];
    let (mut int, mut frac, mut u) = (n, 0, 0);
    for _ in 0..4 {
        if int >= 1024 {
            frac = ((int & 1023) * 10) / 1024;
            int /= 1024;
            u += 1;
        }
    }
    format!("{n} ({int}.{frac} {}B)", units[u])
}

/// One interface's paragraph (ending with an empty line).
pub fn format(i: &Interface) -> String {
    let mut s = String::new();
    if i.is_loopback() {
        let _ = writeln!(s, "{:<9} Link encap:Local Loopback  ", i.name);
    } else {
        let _ = writeln!(s, "{:<9} Link encap:Ethernet  HWaddr {}  ", i.name, i.mac.to_ascii_uppercase());
    }
    if let Some((ip, prefix)) = i.addrs.first() {
        let _ = write!(s, "          inet addr:{ip} ");
        if i.flags & iff::BROADCAST != 0 {
            let _ = write!(s, " Bcast:{} ", procnet::broadcast(*ip, *prefix));
        }
        let _ = writeln!(s, " Mask:{}", procnet::mask(*prefix));
    }
    s.push_str("          ");
    const NAMES: [(u32, &str); 8] = [
        (iff::UP, "UP"),
        (iff::BROADCAST, "BROADCAST"),
        (0x4, "DEBUG"),
        (iff::LOOPBACK, "LOOPBACK"),
        (iff::POINTOPOINT, "POINTOPOINT"),
        (0x20, "NOTRAILERS"),
        (iff::RUNNING, "RUNNING"),
        (iff::NOARP, "NOARP"),
    ];
    const MORE: [(u32, &str); 5] =
        [(0x100, "PROMISC"), (0x200, "ALLMULTI"), (0x800, "SLAVE"), (0x400, "MASTER"), (iff::MULTICAST, "MULTICAST")];
    if i.flags & 0xFFFF == 0 {
        s.push_str("[NO FLAGS] ");
    }
    for (bit, name) in NAMES.iter().chain(&MORE) {
        if i.flags & bit != 0 {
            let _ = write!(s, "{name} ");
        }
    }
    let _ = writeln!(s, " MTU:{}  Metric:1", i.mtu);
    let (rx, tx) = (&i.stats.rx, &i.stats.tx);
    let _ = writeln!(
        s,
        "          RX packets:{} errors:{} dropped:{} overruns:{} frame:{}",
        rx[DevStats::PACKETS],
        rx[DevStats::ERRS],
        rx[DevStats::DROP],
        rx[DevStats::FIFO],
        rx[DevStats::FRAME_COLLS]
    );
    let _ = writeln!(
        s,
        "          TX packets:{} errors:{} dropped:{} overruns:{} carrier:{}",
        tx[DevStats::PACKETS],
        tx[DevStats::ERRS],
        tx[DevStats::DROP],
        tx[DevStats::FIFO],
        tx[DevStats::MULTICAST_CARRIER]
    );
    let qlen = i.tx_queue_len.unwrap_or(if i.is_loopback() { 1000 } else { 0 });
    let _ = writeln!(s, "          collisions:{} txqueuelen:{qlen} ", tx[DevStats::FRAME_COLLS]);
    let _ = writeln!(
        s,
        "          RX bytes:{}  TX bytes:{}",
        bytes_scaled(rx[DevStats::BYTES]),
        bytes_scaled(tx[DevStats::BYTES])
    );
    s.push('\n');
    s
}

/// What `ifconfig [-a] [IFACE]` prints for these interfaces.
pub fn list(ifaces: &[Interface], all: bool, only: Option<&str>) -> Result<String, String> {
    // A handful of interfaces: picking the smallest name each time costs less code than a sort.
    let mut left: Vec<&Interface> = ifaces.iter().collect();
    let mut sorted = Vec::with_capacity(left.len());
    while let Some((at, _)) = left.iter().enumerate().min_by(|a, b| a.1.name.cmp(&b.1.name)) {
        sorted.push(left.remove(at));
    }
    if let Some(name) = only {
        return match sorted.iter().find(|i| i.name == name) {
            Some(i) => Ok(format(i)),
            None => Err(format!("{name}: error fetching interface information: Device not found")),
        };
    }
    Ok(sorted.iter().filter(|i| all || i.flags & iff::UP != 0).map(|i| format(i)).collect())
}

pub fn main(args: &[String]) -> i32 {
    let mut rest = &args[1..];
    let all = rest.first().is_some_and(|a| a == "-a");
    if all {
        rest = &rest[1..];
    }
    if rest.len() > 1 {
        // ifconfig IFACE up|down|ADDRESS [netmask M] ...: SIOCSIFADDR/SIOCSIFFLAGS need privileges.
        let what = if matches!(rest[1].as_str(), "up" | "down") { "SIOCSIFFLAGS" } else { "SIOCSIFADDR" };
        err("ifconfig", format_args!("{what}: Operation not permitted"));
        return 1;
    }
    let ifaces = match procnet::interfaces() {
        Ok(i) => i,
        Err(e) => {
            err("ifconfig", format_args!("/proc/net/dev: {}", crate::util::errstr(&e)));
            return 1;
        }
    };
    match list(&ifaces, all, rest.first().map(String::as_str)) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(msg) => {
            err("ifconfig", msg);
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applets::net::ip::tests::container;

    #[test]
    fn like_alpine() {
        let mut ifaces = container();
        ifaces[1].stats.rx[DevStats::BYTES] = 1102;
        ifaces[1].stats.rx[DevStats::PACKETS] = 13;
        assert_eq!(
            list(&ifaces, false, None).unwrap(),
            "eth0      Link encap:Ethernet  HWaddr 02:42:AC:11:00:02  \n\
             \x20         inet addr:172.17.0.2  Bcast:172.17.255.255  Mask:255.255.0.0\n\
             \x20         UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n\
             \x20         RX packets:13 errors:0 dropped:0 overruns:0 frame:0\n\
             \x20         TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n\
             \x20         collisions:0 txqueuelen:0 \n\
             \x20         RX bytes:1102 (1.0 KiB)  TX bytes:0 (0.0 B)\n\
             \n\
             lo        Link encap:Local Loopback  \n\
             \x20         inet addr:127.0.0.1  Mask:255.0.0.0\n\
             \x20         UP LOOPBACK RUNNING  MTU:65536  Metric:1\n\
             \x20         RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n\
             \x20         TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n\
             \x20         collisions:0 txqueuelen:1000 \n\
             \x20         RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n\
             \n"
        );
    }

    #[test]
    fn down_interfaces_need_a() {
        let mut ifaces = container();
        ifaces[1].flags = iff::BROADCAST | iff::MULTICAST;
        assert!(list(&ifaces, false, None).unwrap().starts_with("lo "));
        assert!(list(&ifaces, true, None).unwrap().starts_with("eth0 "));
        assert!(list(&ifaces, false, Some("eth0")).unwrap().contains("          BROADCAST MULTICAST  MTU:1500"));
        assert_eq!(
            list(&ifaces, false, Some("eth1")).unwrap_err(),
            "eth1: error fetching interface information: Device not found"
        );
        assert_eq!(bytes_scaled(5 * 1024 * 1024 + 512 * 1024), "5767168 (5.5 MiB)");
    }
}
