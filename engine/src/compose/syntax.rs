//! The short syntaxes of a Compose file and the value formats Compose reads: port specs
//! (`127.0.0.1:8080-8081:80-81/udp`, as Docker's `nat.ParsePortSpec`), volume specs
//! (`./src:/app:ro`, as compose-go's `ParseVolume`), Go durations (`1m30s`), byte sizes (`10m`).

use super::model::{BindOptions, Mount, MountType, Port, VolumeOptions};

/// A port spec Compose refuses, worded as Compose words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    #[error("invalid containerPort: {0}")]
    ContainerPort(String),
    #[error("invalid hostPort: {0}")]
    HostPort(String),
    #[error("invalid IP address: {0}")]
    Ip(String),
    #[error("invalid proto: {0}")]
    Proto(String),
    #[error("invalid ranges specified for container and host Ports: {container} and {host}")]
    Ranges { container: String, host: String },
}

fn parse_range(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: u32 = a.parse().ok().filter(|p| *p <= 65535)?;
    let b: u32 = b.parse().ok().filter(|p| *p <= 65535)?;
    (a <= b).then_some((a, b))
}

/// `[ip:][host:]container[/proto]` into one [`Port`] per container port.
pub fn parse_port(spec: &str) -> Result<Vec<Port>, PortError> {
    let (raw, proto) = match spec.rsplit_once('/') {
        Some((r, p)) => (r, p),
        None => (spec, "tcp"),
    };
    if !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
        return Err(PortError::Proto(proto.to_string()));
    }
    let (ip, host, container) = split_port_parts(raw)?;
    let (c0, c1) = parse_range(container).ok_or_else(|| PortError::ContainerPort(container.to_string()))?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(parse_range(host).ok_or_else(|| PortError::HostPort(host.to_string()))?)
    };
    let count = c1 - c0 + 1;
    let mut out = Vec::new();
    for i in 0..count {
        let published = match host_range {
            None => None,
            Some((h0, h1)) if h1 - h0 + 1 == count => Some((h0 + i).to_string()),
            Some((h0, h1)) if count == 1 => Some(if h0 == h1 { h0.to_string() } else { format!("{h0}-{h1}") }),
            Some(_) => return Err(PortError::Ranges { container: container.to_string(), host: host.to_string() }),
        };
        out.push(Port {
            mode: "ingress".into(),
            host_ip: (!ip.is_empty()).then(|| ip.to_string()),
            target: c0 + i,
            published,
            protocol: proto.to_ascii_lowercase(),
            ..Port::default()
        });
    }
    Ok(out)
}

/// Splits `ip:host:container` (an IPv6 address is bracketed).
fn split_port_parts(raw: &str) -> Result<(&str, &str, &str), PortError> {
    if let Some(rest) = raw.strip_prefix('[') {
        let (ip, rest) = rest.split_once(']').ok_or_else(|| PortError::Ip(raw.to_string()))?;
        let rest = rest.strip_prefix(':').ok_or_else(|| PortError::Ip(raw.to_string()))?;
        let (host, container) = rest.split_once(':').ok_or_else(|| PortError::Ip(raw.to_string()))?;
        return Ok((ip, host, container));
    }
    let parts: Vec<&str> = raw.split(':').collect();
    match parts.as_slice() {
        [c] => Ok(("", "", c)),
        [h, c] => Ok(("", h, c)),
        [ip, h, c] => {
            if !ip.is_empty() && !is_ip(ip) {
                return Err(PortError::Ip(ip.to_string()));
            }
            Ok((ip, h, c))
        }
        _ => {
            // More colons: everything before the last two parts is the address.
            let n = parts.len();
            let ip_len = raw.len() - parts[n - 1].len() - parts[n - 2].len() - 2;
            Err(PortError::Ip(raw[..ip_len].to_string()))
        }
    }
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// A volume spec Compose refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VolumeSpecError {
    #[error("invalid empty volume spec")]
    Empty,
    #[error("invalid spec: {spec}: {reason}")]
    Invalid { spec: String, reason: &'static str },
}

/// `[source:]target[:options]` into a mount (paths still relative: see normalisation).
pub fn parse_volume(spec: &str) -> Result<Mount, VolumeSpecError> {
    let mut m = Mount {
        kind: MountType::Volume,
        source: None,
        target: String::new(),
        read_only: false,
        bind: None,
        volume: None,
        tmpfs: None,
    };
    match spec.len() {
        0 => return Err(VolumeSpecError::Empty),
        1 | 2 => {
            m.target = spec.to_string();
            m.volume = Some(VolumeOptions::default());
            return Ok(m);
        }
        _ => {}
    }
    let mut buffer = String::new();
    let chars: Vec<char> = spec.chars().chain(std::iter::once('\0')).collect();
    for c in chars {
        let windows_drive = c == ':' && buffer.chars().count() == 1 && buffer.chars().all(char::is_alphabetic);
        if windows_drive {
            buffer.push(c);
        } else if c == ':' || c == '\0' {
            let end = c == '\0';
            if buffer.is_empty() {
                return Err(VolumeSpecError::Invalid { spec: spec.into(), reason: "empty section between colons" });
            }
            if m.source.is_none() && end {
                m.target = std::mem::take(&mut buffer);
            } else if m.source.is_none() {
                m.source = Some(std::mem::take(&mut buffer));
            } else if m.target.is_empty() {
                m.target = std::mem::take(&mut buffer);
            } else if !end {
                return Err(VolumeSpecError::Invalid { spec: spec.into(), reason: "too many colons" });
            } else {
                for option in buffer.split(',') {
                    match option {
                        "ro" => m.read_only = true,
                        "rw" => m.read_only = false,
                        "nocopy" => m.volume = Some(VolumeOptions { nocopy: true, subpath: None }),
                        "z" | "Z" => m.bind.get_or_insert_with(BindOptions::default).selinux = Some(option.into()),
                        "rprivate" | "private" | "rshared" | "shared" | "rslave" | "slave" => {
                            m.bind.get_or_insert_with(BindOptions::default).propagation = Some(option.into())
                        }
                        _ => {}
                    }
                }
                buffer.clear();
            }
        } else {
            buffer.push(c);
        }
    }
    let is_path = m.source.as_deref().is_some_and(|s| s.starts_with(['.', '/', '~']));
    if is_path {
        m.kind = MountType::Bind;
        m.bind.get_or_insert_with(BindOptions::default).create_host_path = true;
    } else {
        m.volume.get_or_insert_with(VolumeOptions::default);
    }
    Ok(m)
}

/// Go's `time.ParseDuration`, in nanoseconds; the error is Go's text.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let bad = || format!("time: invalid duration \"{s}\"");
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..num_end];
        if number.is_empty() || number == "." {
            return Err(bad());
        }
        let value: f64 = number.parse().map_err(|_| bad())?;
        rest = &rest[num_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration \"{s}\"")),
            u => return Err(format!("time: unknown unit \"{u}\" in duration \"{s}\"")),
        };
        total += value * scale;
    }
    if total > i64::MAX as f64 {
        return Err(bad());
    }
    let ns = total.round() as i64;
    Ok(if neg { -ns } else { ns })
}

/// Go's `time.Duration.String()`: `1m30s`, `1h0m0s`, `1.5s`, `500ms`.
pub fn format_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let neg = ns < 0;
    let u = ns.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if u < 1_000_000_000 {
        let (unit, scale) = match u {
            0..1_000 => return format!("{sign}{u}ns"),
            1_000..1_000_000 => ("µs", 1_000u64),
            _ => ("ms", 1_000_000u64),
        };
        return format!("{sign}{}{unit}", fraction(u, scale));
    }
    let secs = u / 1_000_000_000;
    let frac = u % 1_000_000_000;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    let mut seconds = s.to_string();
    if frac > 0 {
        let digits = format!("{frac:09}");
        seconds.push('.');
        seconds.push_str(digits.trim_end_matches('0'));
    }
    if h > 0 {
        format!("{sign}{h}h{m}m{seconds}s")
    } else if m > 0 {
        format!("{sign}{m}m{seconds}s")
    } else {
        format!("{sign}{seconds}s")
    }
}

fn fraction(v: u64, scale: u64) -> String {
    let whole = v / scale;
    let rest = v % scale;
    if rest == 0 {
        return whole.to_string();
    }
    let width = scale.to_string().len() - 1;
    let digits = format!("{rest:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Docker's `units.RAMInBytes`: `1000`, `10m`, `1.5g`, `512kb`.
pub fn parse_bytes(s: &str) -> Result<i64, String> {
    let lower = s.trim().to_ascii_lowercase();
    let num_end = lower.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(lower.len());
    let (number, unit) = lower.split_at(num_end);
    let value: f64 = number.parse().map_err(|_| format!("invalid size: '{s}'"))?;
    let scale: f64 = match unit.trim_end_matches('b').trim_end_matches('i') {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024f64.powi(4),
        "p" => 1024f64.powi(5),
        _ => return Err(format!("invalid suffix: '{unit}'")),
    };
    Ok((value * scale) as i64)
}

#[cfg(test)]
#[path = "syntax_tests.rs"]
mod tests;
