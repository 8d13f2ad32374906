//! `route [-ne]`: the kernel's IPv4 routing table in net-tools' layout, also `netstat -r`'s.
//! Without `-n`, the default route reads `default`, an empty gateway `*`, and host addresses are
//! looked up by name. Adding or deleting routes needs `CAP_NET_ADMIN`: the kernel refuses.

use super::procnet::{self, rtf};
use crate::applets::usage_error;
use crate::util::{err, errstr, opts};
use guest_net::resolve::Resolver;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Names of addresses for the tables (`INET_rresolve`), cached as BusyBox does.
pub struct Names {
    resolver: Option<Resolver>,
    cache: HashMap<Ipv4Addr, String>,
}

impl Names {
    /// `numeric` (`-n`): addresses stay dotted.
    pub fn new(numeric: bool) -> Self {
        Self { resolver: (!numeric).then(Resolver::system), cache: HashMap::new() }
    }

    /// A name for `ip`: `default`/`*` for 0.0.0.0, the host's name if `host` and one is known,
    /// otherwise the dotted address.
    pub fn name(&mut self, ip: Ipv4Addr, host: bool, any: &str) -> String {
        let Some(resolver) = &self.resolver else { return ip.to_string() };
        if ip.is_unspecified() {
            return any.to_string();
        }
        if !host {
            return ip.to_string();
        }
        self.cache.entry(ip).or_insert_with(|| resolver.reverse(ip).unwrap_or_else(|| ip.to_string())).clone()
    }
}

/// `bb_displayroutes`: the table, in `route`'s columns or (`netstat_format`) `netstat -r`'s.
pub fn display(text: &str, names: &mut Names, netstat_format: bool) -> Result<String, String> {
    let routes = procnet::parse_routes(text).ok_or("read error")?;
    let mut s = format!(
        "Kernel IP routing table\nDestination     Gateway         Genmask         Flags {} Iface\n",
        if netstat_format { "  MSS Window  irtt" } else { "Metric Ref    Use" }
    );
    for r in routes.iter().filter(|r| r.flags & rtf::UP != 0) {
        let flags: String =
            "UGHRDM".chars().enumerate().filter(|(i, _)| r.flags & (1 << i) != 0).map(|(_, c)| c).collect();
        let dest_is_host = u32::from(r.dest) & !u32::from(r.mask) != 0;
        let dest = names.name(r.dest, dest_is_host, "default");
        let gw = names.name(r.gateway, true, "*");
        let (dest, gw): (String, String) = (dest.chars().take(15).collect(), gw.chars().take(15).collect());
        s.push_str(&format!("{dest:<15} {gw:<15} {:<16}{flags:<6}", r.mask.to_string()));
        if netstat_format {
            s.push_str(&format!("{:>5} {:<5} {:>6} {}\n", r.mtu, r.window, r.irtt, r.iface));
        } else {
            s.push_str(&format!("{:<6} {:<2} {:>7} {}\n", r.metric, r.refcnt, r.uses, r.iface));
        }
    }
    Ok(s)
}

/// Reads `/proc/net/route` and prints the table; the exit status.
pub fn print_table(applet: &str, numeric: bool, netstat_format: bool) -> i32 {
    let text = match std::fs::read_to_string("/proc/net/route") {
        Ok(t) => t,
        Err(e) => {
            err(applet, format_args!("can't open '/proc/net/route': {}", errstr(&e)));
            return 1;
        }
    };
    match display(&text, &mut Names::new(numeric), netstat_format) {
        Ok(s) => {
            print!("{s}");
            0
        }
        Err(e) => {
            err(applet, e);
            1
        }
    }
}

pub fn main(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "+neA:") {
        Ok(o) => o,
        Err(e) => return usage_error("route", &e),
    };
    if o.value('A').is_some_and(|a| a != "inet") {
        err("route", format_args!("{}: address family not supported", o.value('A').unwrap_or("")));
        return 1;
    }
    match o.operands.first().map(String::as_str) {
        None => print_table("route", o.has('n'), o.has('e')),
        Some("add") => {
            err("route", "SIOCADDRT: Operation not permitted");
            1
        }
        Some("del" | "delete") => {
            err("route", "SIOCDELRT: Operation not permitted");
            1
        }
        Some(_) => {
            crate::applets::usage("route");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applets::net::procnet::tests::ROUTE;

    #[test]
    fn numeric_and_netstat_layouts() {
        assert_eq!(
            display(ROUTE, &mut Names::new(true), false).unwrap(),
            "Kernel IP routing table\n\
             Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n\
             0.0.0.0         172.17.0.1      0.0.0.0         UG    0      0        0 eth0\n\
             172.17.0.0      0.0.0.0         255.255.0.0     U     0      0        0 eth0\n"
        );
        assert_eq!(
            display(ROUTE, &mut Names::new(true), true).unwrap(),
            "Kernel IP routing table\n\
             Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n\
             0.0.0.0         172.17.0.1      0.0.0.0         UG        0 0          0 eth0\n\
             172.17.0.0      0.0.0.0         255.255.0.0     U         0 0          0 eth0\n"
        );
    }

    #[test]
    fn names_without_n() {
        let mut names = Names {
            resolver: Some(Resolver {
                hosts: guest_net::resolve::Hosts::parse("172.17.0.1 gateway-host-name-long\n"),
                ..Resolver::default()
            }),
            cache: HashMap::new(),
        };
        let text = display(ROUTE, &mut names, false).unwrap();
        assert!(text.contains("\ndefault         gateway-host-na 0.0.0.0         UG    0"), "{text}");
        assert!(text.contains("\n172.17.0.0      *               255.255.0.0     U     0"), "{text}");
    }
}
