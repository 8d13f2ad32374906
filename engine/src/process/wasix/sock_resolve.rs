//! WASIX `resolve` (`getaddrinfo`, as Wasmer offers it): the kernel resolves a name for the
//! guest, as the C library would: a dotted address is itself; then the container's `/etc/hosts`
//! (the daemon writes it: `localhost`, the container's own name, `--add-host`, legacy links);
//! then the embedded DNS server's names if the container's network namespace has one. Our own
//! guests resolve by themselves (`guest-net`'s `resolve`, with real DNS queries); this call is
//! for programs built for Wasmer. IPv4 only.

use crate::network::stack::dns;
use crate::process::errno::Errno;
use crate::process::mem;
use crate::process::state::ProcState;
use std::net::Ipv4Addr;

/// Size of one `addr_ip` record: the family tag, padding, 16 address bytes.
const ADDR_IP_LEN: u64 = 18;

/// The addresses `/etc/hosts` (its text) gives `name` (lower case, no final dot).
pub fn hosts_lookup(hosts: &str, name: &str) -> Vec<Ipv4Addr> {
    let mut out = Vec::new();
    for line in hosts.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let Some(Ok(addr)) = fields.next().map(str::parse::<Ipv4Addr>) else { continue };
        if fields.any(|n| n.trim_end_matches('.').eq_ignore_ascii_case(name)) && !out.contains(&addr) {
            out.push(addr);
        }
    }
    out
}

/// The addresses of `host`, as the guest's namespace and files give them.
pub fn lookup(st: &ProcState, host: &str) -> Vec<Ipv4Addr> {
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return vec![ip];
    }
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    let hosts = st.fs.read_file("/etc/hosts").map(|b| String::from_utf8_lossy(&b).into_owned());
    let found = match &hosts {
        Ok(text) => hosts_lookup(text, &name),
        // No hosts file at all: at least `localhost`, as glibc does.
        Err(_) if name == "localhost" => vec![Ipv4Addr::LOCALHOST],
        Err(_) => Vec::new(),
    };
    if !found.is_empty() {
        return found;
    }
    let cfg = st.net.config();
    let table = cfg.namespaces.get(&st.net.ns).and_then(|n| n.dns.as_ref());
    let key = hickory_proto::rr::Name::from_ascii(&name).map(|n| dns::table_key(&n)).unwrap_or(name);
    table.and_then(|t| t.records.get(&key)).cloned().unwrap_or_default()
}

/// `resolve(host, host_len, port, addrs, naddrs, ret_naddrs)`: up to `naddrs` addresses
/// written at `addrs`; how many at `ret` (0 for a name nobody knows: the caller's "no such
/// host").
#[allow(clippy::too_many_arguments)]
pub fn resolve(
    st: &mut ProcState,
    m: &mut [u8],
    host: u32,
    len: u32,
    _port: u16,
    addrs: u32,
    naddrs: u32,
    ret: u32,
) -> Result<(), Errno> {
    let host = mem::string(m, host, len)?.to_string();
    mem::bytes(m, ret, 4)?;
    let found = lookup(st, &host);
    let mut written = 0u32;
    for (i, ip) in (0u64..).zip(found.iter().take(naddrs as usize)) {
        let at = mem::offset(addrs, i * ADDR_IP_LEN)?;
        let out = mem::bytes_mut(m, at, ADDR_IP_LEN as u32)?;
        out.fill(0);
        out[0] = super::sock_io::AF_INET4;
        out[2..6].copy_from_slice(&ip.octets());
        written += 1;
    }
    mem::write_u32(m, ret, written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_files_match_any_alias_without_case() {
        let hosts = "127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n# 10.0.0.9 gone\n172.17.0.2\tdb DB-alias.\n";
        assert_eq!(hosts_lookup(hosts, "localhost"), vec![Ipv4Addr::LOCALHOST]);
        assert_eq!(hosts_lookup(hosts, "db-alias"), vec![Ipv4Addr::new(172, 17, 0, 2)]);
        assert!(hosts_lookup(hosts, "gone").is_empty());
    }
}
