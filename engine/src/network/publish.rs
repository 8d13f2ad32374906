//! Publishing a starting container's ports (`-p`, `-P`) in the stack's forwarding table.
//! Docker binds each port on every host address, IPv4 and IPv6 (`0.0.0.0` and `::`), unless an
//! address is given; a port left out (`-p 80`, `-P`) gets the next free one of the ephemeral
//! range, going on from the last one picked. A port already taken fails the start with the
//! daemon's message, and whatever was published for the container is taken back.

use super::ports::{Port, PortBinding, PortProto, Published, EPHEMERAL_END, EPHEMERAL_START};
use super::stack::{NetStack, NetnsId, PortMapping, Proto, StackError};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// Where the published ports lead.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub netns: NetnsId,
    pub ip: Ipv4Addr,
}

fn stack_proto(p: PortProto) -> Option<Proto> {
    match p {
        PortProto::Tcp => Some(Proto::Tcp),
        PortProto::Udp => Some(Proto::Udp),
        PortProto::Sctp => None,
    }
}

fn taken(stack: &NetStack, proto: PortProto, port: u16) -> bool {
    let Some(proto) = stack_proto(proto) else { return false };
    stack.ports().iter().any(|m| m.proto == proto && m.host_port == port)
}

/// The next free ephemeral port after the last one picked.
fn ephemeral(stack: &NetStack, last: &mut BTreeMap<PortProto, u16>, proto: PortProto) -> Option<u16> {
    let span = u32::from(EPHEMERAL_END - EPHEMERAL_START) + 1;
    let mut port = *last.get(&proto).unwrap_or(&EPHEMERAL_END);
    for _ in 0..span {
        port = if port >= EPHEMERAL_END { EPHEMERAL_START } else { port + 1 };
        if !taken(stack, proto, port) {
            last.insert(proto, port);
            return Some(port);
        }
    }
    None
}

/// The bindings to make: `-p` ones (explicit host ports first, as Docker sorts them), then,
/// with `-P`, every exposed port that has none.
pub fn wanted(bindings: &[(Port, PortBinding)], exposed: &[Port], publish_all: bool) -> Vec<(Port, PortBinding)> {
    let mut out: Vec<(Port, PortBinding)> = bindings.to_vec();
    if publish_all {
        for p in exposed {
            if !out.iter().any(|(q, _)| q == p) {
                out.push((*p, PortBinding { host_ip: String::new(), host_port: String::new() }));
            }
        }
    }
    out.sort_by_key(|(p, b)| (b.host_port.is_empty(), *p));
    out
}

/// Publishes `wanted` towards `target`. On failure nothing stays published and the error is
/// the stack's (`Bind for 0.0.0.0:8080 failed: port is already allocated`).
pub fn publish(
    stack: &mut NetStack,
    last: &mut BTreeMap<PortProto, u16>,
    wanted: &[(Port, PortBinding)],
    target: Target,
) -> Result<Vec<Published>, StackError> {
    let mut done = Vec::new();
    let result = publish_all(stack, last, wanted, target, &mut done);
    if result.is_err() {
        stack.unpublish(target.netns);
    }
    result.map(|_| done)
}

fn publish_all(
    stack: &mut NetStack,
    last: &mut BTreeMap<PortProto, u16>,
    wanted: &[(Port, PortBinding)],
    target: Target,
    done: &mut Vec<Published>,
) -> Result<(), StackError> {
    for (port, binding) in wanted {
        let ips: Vec<String> = if binding.host_ip.is_empty() {
            vec!["0.0.0.0".into(), "::".into()]
        } else {
            vec![binding.host_ip.clone()]
        };
        let first_v4 = ips.iter().find_map(|ip| ip.parse::<Ipv4Addr>().ok()).unwrap_or(Ipv4Addr::UNSPECIFIED);
        let host_port = match binding.host_port.split_once('-') {
            _ if binding.host_port.is_empty() || binding.host_port == "0" => {
                ephemeral(stack, last, port.proto).ok_or(StackError::PortAllocated(first_v4, 0))?
            }
            Some((a, b)) => {
                let (a, b) = (a.parse::<u16>().unwrap_or(0), b.parse::<u16>().unwrap_or(0));
                (a..=b).find(|p| !taken(stack, port.proto, *p)).ok_or(StackError::PortAllocated(first_v4, a))?
            }
            None => binding.host_port.parse().unwrap_or(0),
        };
        for ip in ips {
            if let (Ok(v4), Some(proto)) = (ip.parse::<Ipv4Addr>(), stack_proto(port.proto)) {
                stack.publish(PortMapping {
                    host_ip: v4,
                    host_port,
                    proto,
                    target: target.netns,
                    target_ip: target.ip,
                    target_port: port.number,
                })?;
            }
            done.push(Published { port: *port, host_ip: ip, host_port });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(port: &str) -> PortBinding {
        PortBinding { host_ip: String::new(), host_port: port.into() }
    }

    #[test]
    fn ports_publish_on_both_families_and_conflicts_undo_everything() {
        let mut stack = NetStack::new();
        let mut last = BTreeMap::new();
        let (a, b) = (stack.create_netns(), stack.create_netns());
        let web = Target { netns: a, ip: Ipv4Addr::new(172, 17, 0, 2) };
        let got = publish(&mut stack, &mut last, &[(Port::tcp(80), binding("8080"))], web).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].host_ip.as_str(), got[1].host_ip.as_str(), got[1].host_port), ("0.0.0.0", "::", 8080));
        let other = Target { netns: b, ip: Ipv4Addr::new(172, 17, 0, 3) };
        let wanted = [(Port::tcp(81), binding("9090")), (Port::tcp(80), binding("8080"))];
        let err = publish(&mut stack, &mut last, &wanted, other).unwrap_err();
        assert_eq!(err.to_string(), "Bind for 0.0.0.0:8080 failed: port is already allocated");
        assert!(stack.ports().iter().all(|m| m.target == a), "the failed start left nothing published");
    }

    #[test]
    fn random_ports_go_on_from_the_last_one() {
        let mut stack = NetStack::new();
        let mut last = BTreeMap::new();
        let ns = stack.create_netns();
        let t = Target { netns: ns, ip: Ipv4Addr::new(10, 0, 0, 2) };
        let wanted = wanted(&[], &[Port::tcp(80), Port::tcp(443)], true);
        let got = publish(&mut stack, &mut last, &wanted, t).unwrap();
        assert_eq!(got.iter().map(|p| p.host_port).collect::<Vec<_>>(), [32768, 32768, 32769, 32769]);
        stack.unpublish(ns);
        let again = publish(&mut stack, &mut last, &[(Port::tcp(80), binding(""))], t).unwrap();
        assert_eq!(again[0].host_port, 32770);
    }
}
