//! `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`: where a running container's ports are
//! published on the host, one `80/tcp -> 0.0.0.0:8080` line per binding (IPv4 and IPv6), in
//! the client's natural order; with a port, just the host addresses.

use super::{daemon_error, parse_or_task, Arity, Finished, Spec, Task};
use crate::daemon::Daemon;
use crate::network::ports::{join_host_port, natural_cmp, Published};

const SPEC: Spec = Spec {
    name: "docker port",
    usage: "docker port CONTAINER [PRIVATE_PORT[/PROTO]]",
    description: "List port mappings or a specific mapping for the container",
    aliases: "docker container port, docker port",
    flags: &[],
    arity: Arity::Any,
    interspersed: true,
};

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    if m.args.is_empty() || m.args.len() > 2 {
        return Finished::fail(
            format!(
                "docker: 'docker port' requires at least 1 and at most 2 arguments\n\nUsage:  {}\n\nRun 'docker port --help' for more information\n",
                SPEC.usage
            ),
            1,
        );
    }
    let key = &m.args[0];
    let Some(c) = daemon.containers.find(key) else {
        return Finished::fail(daemon_error(&crate::Error::NoSuchContainer(key.clone())), 1);
    };
    let published: &[Published] = c.net.live.as_ref().map(|l| l.published.as_slice()).unwrap_or_default();
    let mut out: Vec<String> = match m.args.get(1) {
        Some(wanted) => {
            let (port, proto) = wanted.split_once('/').unwrap_or((wanted, "tcp"));
            if let Err(e) = port.parse::<u16>() {
                let reason = match e.kind() {
                    std::num::IntErrorKind::PosOverflow => "value out of range",
                    _ => "invalid syntax",
                };
                return Finished::fail(
                    format!("Error: invalid port ({port}): strconv.ParseUint: parsing \"{port}\": {reason}\n"),
                    1,
                );
            }
            let lines: Vec<String> = published
                .iter()
                .filter(|p| p.port.number.to_string() == port && p.port.proto.name() == proto)
                .map(|p| join_host_port(&p.host_ip, p.host_port))
                .collect();
            if lines.is_empty() {
                return Finished::fail(format!("Error: No public port '{wanted}' published for {key}\n"), 1);
            }
            lines
        }
        None => {
            published.iter().map(|p| format!("{} -> {}", p.port, join_host_port(&p.host_ip, p.host_port))).collect()
        }
    };
    out.sort_by(|a, b| natural_cmp(a, b));
    Finished::out(out.iter().map(|l| format!("{l}\n")).collect::<String>())
}
