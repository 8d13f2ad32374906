//! What Docker's embedded DNS server (127.0.0.11) answers inside one container: the names of
//! every running container on the user-defined networks this container is on. A container's
//! names on a network are its name, its network aliases (`--network-alias`), its short ID (12
//! hex characters) and its host name; several containers sharing an alias give several
//! addresses (round-robin). A name also resolves as `name.network`. Where two of the
//! container's networks know a name, the first network it joined answers. `--link` on a
//! user-defined network adds names only this container sees, and they win.
//!
//! The default bridge has no embedded DNS: containers only on it get no table at all.

use super::stack::DnsTable;
use std::net::Ipv4Addr;

/// The names a container has on a user-defined network (`buildEndpointDNSNames`): name,
/// aliases, short ID, host name, without repeats.
pub fn dns_names(name: &str, aliases: &[String], short_id: &str, hostname: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for n in std::iter::once(name).chain(aliases.iter().map(String::as_str)).chain([short_id, hostname]) {
        if !n.is_empty() && !names.iter().any(|x| x == n) {
            names.push(n.to_string());
        }
    }
    names
}

/// A running container on a network, as the viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub names: Vec<String>,
    pub ip: Ipv4Addr,
}

/// One user-defined network of the viewing container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetView {
    pub name: String,
    /// Its running containers, in the order they joined (the viewer included).
    pub members: Vec<Member>,
    /// The viewer's `--link` on this network: (container name, alias).
    pub links: Vec<(String, String)>,
}

fn addresses(net: &NetView, name: &str) -> Vec<Ipv4Addr> {
    net.members.iter().filter(|m| m.names.iter().any(|n| n.eq_ignore_ascii_case(name))).map(|m| m.ip).collect()
}

fn insert(table: &mut DnsTable, name: &str, ips: Vec<Ipv4Addr>) {
    if !ips.is_empty() {
        table.records.entry(name.to_ascii_lowercase()).or_insert(ips);
    }
}

/// The viewer's table, from its user-defined networks in join order; `None` when it is on
/// none (no embedded DNS server then).
pub fn table(networks: &[NetView]) -> Option<DnsTable> {
    if networks.is_empty() {
        return None;
    }
    let mut table = DnsTable::default();
    for net in networks {
        for (target, alias) in &net.links {
            let ips = addresses(net, target);
            insert(&mut table, &format!("{alias}.{}", net.name), ips.clone());
            insert(&mut table, alias, ips);
        }
    }
    for net in networks {
        let mut seen: Vec<String> = Vec::new();
        for m in &net.members {
            for name in &m.names {
                let lower = name.to_ascii_lowercase();
                if seen.contains(&lower) {
                    continue;
                }
                seen.push(lower.clone());
                let ips = addresses(net, name);
                insert(&mut table, &format!("{lower}.{}", net.name), ips.clone());
                insert(&mut table, &lower, ips);
            }
        }
    }
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    fn member(names: &[&str], addr: &str) -> Member {
        Member { names: names.iter().map(|s| s.to_string()).collect(), ip: ip(addr) }
    }

    fn net(name: &str, members: Vec<Member>) -> NetView {
        NetView { name: name.into(), members, links: Vec::new() }
    }

    #[test]
    fn names_follow_dockers_order_without_repeats() {
        let names = dns_names("web", &["front".into(), "web".into()], "0123456789ab", "0123456789ab");
        assert_eq!(names, ["web", "front", "0123456789ab"]);
    }

    #[test]
    fn containers_find_each_other_by_name_alias_and_id() {
        let front = net(
            "website-net",
            vec![member(&["A", "0123456789ab"], "172.18.0.2"), member(&["B", "api", "ba9876543210"], "172.18.0.3")],
        );
        let t = table(&[front]).unwrap();
        assert_eq!(t.records["a"], [ip("172.18.0.2")]);
        assert_eq!(t.records["api"], [ip("172.18.0.3")]);
        assert_eq!(t.records["ba9876543210"], [ip("172.18.0.3")]);
        assert_eq!(t.records["b.website-net"], [ip("172.18.0.3")]);
        assert!(!t.records.contains_key("c"));
    }

    #[test]
    fn a_shared_alias_gives_every_address() {
        let n = net(
            "app",
            vec![
                member(&["web1", "web"], "10.1.0.2"),
                member(&["web2", "web"], "10.1.0.3"),
                member(&["lb"], "10.1.0.4"),
            ],
        );
        assert_eq!(table(&[n]).unwrap().records["web"], [ip("10.1.0.2"), ip("10.1.0.3")]);
    }

    #[test]
    fn the_first_network_answers_and_links_win() {
        let mut back = net("back", vec![member(&["db"], "172.19.0.2"), member(&["app"], "172.19.0.3")]);
        back.links.push(("db".into(), "database".into()));
        let front = net("front", vec![member(&["app"], "172.18.0.2"), member(&["db"], "172.18.0.9")]);
        let t = table(&[front.clone(), back.clone()]).unwrap();
        assert_eq!(t.records["db"], [ip("172.18.0.9")]);
        assert_eq!(t.records["db.back"], [ip("172.19.0.2")]);
        assert_eq!(t.records["database"], [ip("172.19.0.2")]);
        let t = table(&[back, front]).unwrap();
        assert_eq!(t.records["db"], [ip("172.19.0.2")]);
    }

    #[test]
    fn no_user_defined_network_means_no_embedded_dns() {
        assert_eq!(table(&[]), None);
    }
}
