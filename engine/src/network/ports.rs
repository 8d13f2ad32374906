//! Ports, as Docker writes them: a container port is `80/tcp`; `docker run -p 8080:80` binds
//! host port 8080 (on every host address, IPv4 `0.0.0.0` and IPv6 `::`) to it; `-p 80` and `-P`
//! take a free host port from Docker's ephemeral range (32768-60999); `--expose` and the image's
//! `EXPOSE` only document a port. This module parses the flags as the Docker client does and
//! renders the `PORTS` column of `docker ps` and the lines of `docker port`.

use std::cmp::Ordering;
use std::fmt;

/// The first and last host port Docker picks when none is given.
pub const EPHEMERAL_START: u16 = 32768;
pub const EPHEMERAL_END: u16 = 60999;

/// A transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PortProto {
    Tcp,
    Udp,
    Sctp,
}

impl PortProto {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "tcp" => Some(PortProto::Tcp),
            "udp" => Some(PortProto::Udp),
            "sctp" => Some(PortProto::Sctp),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PortProto::Tcp => "tcp",
            PortProto::Udp => "udp",
            PortProto::Sctp => "sctp",
        }
    }
}

/// A container port: `80/tcp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Port {
    pub number: u16,
    pub proto: PortProto,
}

impl Port {
    pub const fn tcp(number: u16) -> Self {
        Self { number, proto: PortProto::Tcp }
    }

    /// Parses `80`, `80/tcp`, `53/udp` (an image's `ExposedPorts` keys).
    pub fn parse(s: &str) -> Option<Self> {
        let (number, proto) = split_proto(s);
        Some(Self { number: number.parse().ok()?, proto: PortProto::parse(proto)? })
    }
}

/// Ports sort as Docker's `nat.Sort` does for links: by number, TCP before other protocols.
impl Ord for Port {
    fn cmp(&self, other: &Self) -> Ordering {
        self.number.cmp(&other.number).then(self.proto.cmp(&other.proto))
    }
}

impl PartialOrd for Port {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.number, self.proto.name())
    }
}

/// A requested binding (`HostConfig.PortBindings`): host address and port as the user wrote
/// them; empty means every address, or a port of Docker's choosing. The host port may be a
/// range (`8000-8010`) to pick from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortBinding {
    pub host_ip: String,
    pub host_port: String,
}

/// A binding in effect while the container runs (`NetworkSettings.Ports`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub port: Port,
    /// `0.0.0.0`, `::`, or the address asked for.
    pub host_ip: String,
    pub host_port: u16,
}

/// Splits `80/tcp` into `("80", "tcp")`; no protocol means TCP (go-connections' rule).
fn split_proto(s: &str) -> (&str, &str) {
    match s.split_once('/') {
        Some((port, "")) => (port, "tcp"),
        Some((port, proto)) => (port, proto.split('/').next().unwrap_or(proto)),
        None => (s, "tcp"),
    }
}

/// `8000-8010` or `80`, as go-connections parses a port range.
fn parse_range(s: &str) -> Result<(u16, u16), String> {
    if s.is_empty() {
        return Err("empty string specified for ports".into());
    }
    let Some((a, b)) = s.split_once('-') else {
        let n = s.parse::<u16>().map_err(|_| format!("invalid port {s}"))?;
        return Ok((n, n));
    };
    let b = b.split('-').next().unwrap_or(b);
    let (start, end) = (a.parse::<u16>().map_err(|_| s.to_string())?, b.parse::<u16>().map_err(|_| s.to_string())?);
    if end < start {
        return Err(format!("invalid range specified for port: {s}"));
    }
    Ok((start, end))
}

fn valid_ip(ip: &str) -> bool {
    ip.parse::<std::net::IpAddr>().is_ok()
}

/// Parses one `-p` value (`[ip:][hostPort:]containerPort[/proto]`, ranges allowed) as the
/// Docker client does; errors are its messages.
pub fn parse_publish(raw: &str) -> Result<Vec<(Port, PortBinding)>, String> {
    let parts: Vec<&str> = raw.split(':').collect();
    let n = parts.len();
    let (ip, host_port, container) = match n {
        1 => (String::new(), "", parts[0]),
        2 => (String::new(), parts[0], parts[1]),
        3 => (parts[0].to_string(), parts[1], parts[2]),
        _ => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
    };
    let (container, proto) = split_proto(container);
    let ip = match ip.strip_prefix('[') {
        Some(inner) => match inner.strip_suffix(']') {
            Some(inner) => inner.to_string(),
            None => return Err(format!("invalid IP address {ip}: address {ip}:: missing ']' in address")),
        },
        None => ip,
    };
    if !ip.is_empty() && !valid_ip(&ip) {
        return Err(format!("invalid IP address: {ip}"));
    }
    if container.is_empty() {
        return Err(format!("no port specified: {raw}<empty>"));
    }
    let (start, end) = parse_range(container).map_err(|_| format!("invalid containerPort: {container}"))?;
    let (host_start, host_end) = if host_port.is_empty() {
        (0, 0)
    } else {
        parse_range(host_port).map_err(|_| format!("invalid hostPort: {host_port}"))?
    };
    if !host_port.is_empty() && end - start != host_end - host_start && end != start {
        return Err(format!("invalid ranges specified for container and host Ports: {container} and {host_port}"));
    }
    let proto = PortProto::parse(proto).ok_or_else(|| format!("invalid proto: {proto}"))?;
    let mut out = Vec::new();
    for i in 0..=(end - start) {
        let host = if host_port.is_empty() {
            String::new()
        } else if start == end && host_start != host_end {
            format!("{host_start}-{host_end}")
        } else {
            (host_start + i).to_string()
        };
        out.push((Port { number: start + i, proto }, PortBinding { host_ip: ip.clone(), host_port: host }));
    }
    Ok(out)
}

/// Parses one `--expose` value (`80`, `80/udp`, `8000-8010`).
pub fn parse_expose(raw: &str) -> Result<Vec<Port>, String> {
    if raw.contains(':') {
        return Err(format!("invalid port format for --expose: {raw}"));
    }
    let (port, proto) = split_proto(raw);
    let (start, end) = parse_range(port).map_err(|e| {
        let reason = match port.split('-').find(|p| p.parse::<u16>().is_err()) {
            Some(bad) if !bad.is_empty() => format!("strconv.ParseUint: parsing \"{bad}\": invalid syntax"),
            _ => e,
        };
        format!("invalid range format for --expose: {raw}, error: {reason}")
    })?;
    let proto = PortProto::parse(proto).ok_or_else(|| format!("invalid proto: {proto}"))?;
    Ok((start..=end).map(|number| Port { number, proto }).collect())
}

/// `net.JoinHostPort`: IPv6 addresses in brackets.
pub fn join_host_port(ip: &str, port: impl fmt::Display) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// The `PORTS` column of `docker ps` (the client's `DisplayablePorts`): consecutive ports
/// grouped (`8000-8002/tcp`), same-number bindings as `0.0.0.0:80->80/tcp`, others as
/// `0.0.0.0:8080->80/tcp` after them.
pub fn displayable(exposed_only: &[Port], published: &[Published]) -> String {
    // (private port, ip, public port, proto) as the API lists them.
    let mut ports: Vec<(u16, &str, u16, PortProto)> = exposed_only.iter().map(|p| (p.number, "", 0, p.proto)).collect();
    ports.extend(published.iter().map(|p| (p.port.number, p.host_ip.as_str(), p.host_port, p.port.proto)));
    ports.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2)).then(a.3.name().cmp(b.3.name())));
    let mut groups: Vec<(String, u16, u16)> = Vec::new();
    let mut result = Vec::new();
    let mut mappings = Vec::new();
    for (private, ip, public, proto) in ports {
        let key = if ip.is_empty() {
            proto.name().to_string()
        } else if public != private {
            mappings.push(format!("{}->{private}/{}", join_host_port(ip, public), proto.name()));
            continue;
        } else {
            format!("{ip}/{}", proto.name())
        };
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            None => groups.push((key, private, private)),
            Some(group) if private == group.2 + 1 => group.2 = private,
            Some(group) => {
                result.push(form_group(&group.0, group.1, group.2));
                *group = (key, private, private);
            }
        }
    }
    result.extend(groups.iter().map(|(k, first, last)| form_group(k, *first, *last)));
    result.extend(mappings);
    result.join(", ")
}

fn form_group(key: &str, first: u16, last: u16) -> String {
    let (ip, proto) = key.rsplit_once('/').unwrap_or(("", key));
    let range = if first == last { first.to_string() } else { format!("{first}-{last}") };
    if ip.is_empty() {
        format!("{range}/{proto}")
    } else {
        format!("{}->{range}/{proto}", join_host_port(ip, &range))
    }
}

/// Go's `sortorder.NaturalLess`: digit runs compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (trim_zeros(&a[..da]), trim_zeros(&b[..db]));
                let ord = na.len().cmp(&nb.len()).then(na.cmp(nb)).then(da.cmp(&db));
                if ord != Ordering::Equal {
                    return ord;
                }
                (a, b) = (&a[da..], &b[db..]);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                (a, b) = (&a[1..], &b[1..]);
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|c| **c == b'0').count();
    &digits[zeros..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(ip: &str, port: &str) -> PortBinding {
        PortBinding { host_ip: ip.into(), host_port: port.into() }
    }

    fn published(port: u16, ip: &str, host: u16) -> Published {
        Published { port: Port::tcp(port), host_ip: ip.into(), host_port: host }
    }

    #[test]
    fn publish_specs_parse_like_the_client() {
        assert_eq!(parse_publish("8080:80"), Ok(vec![(Port::tcp(80), binding("", "8080"))]));
        assert_eq!(parse_publish("80"), Ok(vec![(Port::tcp(80), binding("", ""))]));
        assert_eq!(
            parse_publish("127.0.0.1:8080:80/udp"),
            Ok(vec![(Port { number: 80, proto: PortProto::Udp }, binding("127.0.0.1", "8080"))])
        );
        assert_eq!(parse_publish("127.0.0.1::80"), Ok(vec![(Port::tcp(80), binding("127.0.0.1", ""))]));
        assert_eq!(parse_publish("[::1]:8080:80"), Ok(vec![(Port::tcp(80), binding("::1", "8080"))]));
        let range = parse_publish("8000-8001:80-81").unwrap();
        assert_eq!(range, vec![(Port::tcp(80), binding("", "8000")), (Port::tcp(81), binding("", "8001"))]);
        assert_eq!(parse_publish("8000-8010:80"), Ok(vec![(Port::tcp(80), binding("", "8000-8010"))]));
        assert_eq!(parse_publish("abc").unwrap_err(), "invalid containerPort: abc");
        assert_eq!(parse_publish("99999:80").unwrap_err(), "invalid hostPort: 99999");
        assert_eq!(parse_publish("80:80:80:80").unwrap_err(), "invalid IP address: 80:80");
        assert_eq!(parse_publish("8080:80/foo").unwrap_err(), "invalid proto: foo");
        assert_eq!(
            parse_publish("8000-8001:80-82").unwrap_err(),
            "invalid ranges specified for container and host Ports: 80-82 and 8000-8001"
        );
    }

    #[test]
    fn expose_specs_parse_like_the_client() {
        assert_eq!(parse_expose("80"), Ok(vec![Port::tcp(80)]));
        assert_eq!(parse_expose("8000-8002/tcp").unwrap().len(), 3);
        assert_eq!(
            parse_expose("abc").unwrap_err(),
            "invalid range format for --expose: abc, error: strconv.ParseUint: parsing \"abc\": invalid syntax"
        );
        assert_eq!(parse_expose("80:80").unwrap_err(), "invalid port format for --expose: 80:80");
    }

    #[test]
    fn the_ports_column_reads_like_docker_ps() {
        let web = [published(80, "0.0.0.0", 8080), published(80, "::", 8080)];
        assert_eq!(displayable(&[], &web), "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp");
        let same = [published(80, "0.0.0.0", 80), published(80, "::", 80)];
        assert_eq!(displayable(&[], &same), "0.0.0.0:80->80/tcp, [::]:80->80/tcp");
        assert_eq!(displayable(&[Port::tcp(80)], &[]), "80/tcp");
        let many = [Port::tcp(6379), Port::tcp(8000), Port::tcp(8001), Port::tcp(8002)];
        assert_eq!(displayable(&many, &[]), "6379/tcp, 8000-8002/tcp");
        let mixed = [published(443, "0.0.0.0", 32768)];
        assert_eq!(displayable(&[Port::tcp(80)], &mixed), "80/tcp, 0.0.0.0:32768->443/tcp");
    }

    #[test]
    fn natural_order_compares_numbers() {
        let mut lines = vec!["80/tcp -> [::]:8080", "443/tcp -> 0.0.0.0:8443", "80/tcp -> 0.0.0.0:8080"];
        lines.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(lines, ["80/tcp -> 0.0.0.0:8080", "80/tcp -> [::]:8080", "443/tcp -> 0.0.0.0:8443"]);
    }
}
