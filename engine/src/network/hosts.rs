//! A container's `/etc/hosts`, as Docker writes it (libnetwork's `etchosts`): `localhost` for
//! 127.0.0.1, the usual IPv6 names, then `--add-host` entries and legacy `--link` entries
//! (`IP alias hostname name`), then the container's own address(es) with its host name. Docker
//! bind-mounts the file; it is not part of the container's changes (`docker diff`, `commit`).
//!
//! When a container joins or leaves a network while it runs, Docker appends or deletes its own
//! line rather than rewriting the file, so the learner's edits stay; [`add_records`] and
//! [`delete_records`] do the same. [`update_ip`] is how a linked container's new address
//! reaches the containers that link to it.

use std::net::{IpAddr, Ipv4Addr};

/// One line: an address and its names (`Hosts` is a space-separated list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub ip: IpAddr,
    pub hosts: String,
}

impl Record {
    pub fn new(ip: impl Into<IpAddr>, hosts: impl Into<String>) -> Self {
        Self { ip: ip.into(), hosts: hosts.into() }
    }

    fn line(&self) -> String {
        format!("{}\t{}\n", self.ip, self.hosts)
    }
}

/// What every container's file starts with (`etchosts.defaultContentIPv4` and `IPv6`).
const DEFAULTS: &str = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

/// The container's own lines: `IP hostname` per address; a host name with a domain
/// (`web.example.com`) also gets its short form.
pub fn own_records(addrs: &[Ipv4Addr], hostname: &str, domainname: &str) -> Vec<Record> {
    let mut hosts = hostname.to_string();
    if !domainname.is_empty() {
        hosts = format!("{hosts}.{domainname}");
    }
    if let Some((short, _)) = hosts.split_once('.') {
        hosts = format!("{hosts} {short}");
    }
    addrs.iter().map(|ip| Record::new(*ip, hosts.clone())).collect()
}

/// The names a legacy link gives the linked container: its alias, its host name, and its
/// name when that differs from the alias.
pub fn link_hosts(alias: &str, child_hostname: &str, child_name: &str) -> String {
    let mut hosts = format!("{alias} {child_hostname}");
    if alias != child_name {
        hosts = format!("{hosts} {child_name}");
    }
    hosts
}

/// The whole file: defaults, extra records (`--add-host`, then links), own records.
pub fn build(extra: &[Record], own: &[Record]) -> String {
    let mut out = DEFAULTS.to_string();
    for r in extra.iter().chain(own) {
        out.push_str(&r.line());
    }
    out
}

/// Appends records to an existing file.
pub fn add_records(file: &str, records: &[Record]) -> String {
    let mut out = file.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    for r in records {
        out.push_str(&r.line());
    }
    out
}

/// Deletes lines that are exactly one of `records` (an edited line stays).
pub fn delete_records(file: &str, records: &[Record]) -> String {
    let mut out = String::new();
    for line in file.lines() {
        if line.is_empty() {
            continue;
        }
        let matches = !line.starts_with('#')
            && records.iter().any(|r| {
                line.strip_suffix(&format!("\t{}", r.hosts))
                    .and_then(|before| before.trim().parse::<IpAddr>().ok())
                    .is_some_and(|ip| ip == r.ip)
            });
        if !matches {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Gives `hostname` a new address on every line where it is the first name (Docker's
/// `etchosts.Update`: the pattern `(\S*)(\tNAME)(\s|\.)`).
pub fn update_ip(file: &str, ip: Ipv4Addr, hostname: &str) -> String {
    let needle = format!("\t{hostname}");
    let mut out = String::new();
    for line in file.split_inclusive('\n') {
        let hit = line.find(&needle).filter(|&at| {
            let after = line[at + needle.len()..].chars().next();
            after.is_some_and(|c| c.is_whitespace() || c == '.')
        });
        match hit {
            Some(at) => {
                let start = line[..at].rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
                out.push_str(&line[..start]);
                out.push_str(&ip.to_string());
                out.push_str(&line[at..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    #[test]
    fn the_file_reads_like_dockers() {
        let extra = [
            Record::new(ip("10.0.0.9"), "db.local"),
            Record::new(ip("172.17.0.2"), link_hosts("serveur", "4f1c2d3e4a5b", "mon-serveur")),
        ];
        let own = own_records(&[ip("172.17.0.3")], "9a8b7c6d5e4f", "");
        let file = build(&extra, &own);
        assert!(file.starts_with("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\t"));
        assert!(file.ends_with(
            "ff02::2\tip6-allrouters\n10.0.0.9\tdb.local\n172.17.0.2\tserveur 4f1c2d3e4a5b mon-serveur\n172.17.0.3\t9a8b7c6d5e4f\n"
        ));
        assert_eq!(link_hosts("site1", "656326bbe1d4", "site1"), "site1 656326bbe1d4");
        assert_eq!(own_records(&[ip("10.0.0.2")], "web.example.com", "")[0].hosts, "web.example.com web");
        assert_eq!(own_records(&[ip("10.0.0.2")], "web", "example.com")[0].hosts, "web.example.com web");
    }

    #[test]
    fn joining_and_leaving_keep_the_learners_edits() {
        let own = own_records(&[ip("172.18.0.2")], "abc", "");
        let file = build(&[], &own);
        let edited = format!("{file}1.2.3.4\tmine\n");
        let joined = add_records(&edited, &own_records(&[ip("172.19.0.2")], "abc", ""));
        assert!(joined.ends_with("1.2.3.4\tmine\n172.19.0.2\tabc\n"));
        let left = delete_records(&joined, &own_records(&[ip("172.18.0.2")], "abc", ""));
        assert!(!left.contains("172.18.0.2"));
        assert!(left.contains("1.2.3.4\tmine\n172.19.0.2\tabc\n"));
    }

    #[test]
    fn a_linked_containers_new_address_replaces_the_old_one() {
        let file = "127.0.0.1\tlocalhost\n172.17.0.2\tsite1 656326bbe1d4\n172.17.0.3\tsite10 aaaa\n";
        let updated = update_ip(file, ip("172.17.0.5"), "site1");
        assert_eq!(updated, "127.0.0.1\tlocalhost\n172.17.0.5\tsite1 656326bbe1d4\n172.17.0.3\tsite10 aaaa\n");
    }
}
