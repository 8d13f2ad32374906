//! Legacy links (`docker run --link site1:web`), Docker's way of naming containers on the
//! default bridge before user-defined networks had DNS. The container that links (the
//! "parent") gets, for each linked container (the "child"):
//! - a line in its `/etc/hosts`: `IP alias child-hostname child-name`;
//! - environment variables describing the child's address and exposed ports
//!   (`WEB_PORT_80_TCP_ADDR=172.17.0.2`...), its name (`WEB_NAME=/parent/web`) and its own
//!   environment (`WEB_ENV_NGINX_VERSION=...`).
//!
//! The child must be running when the parent starts. When the child restarts with a new
//! address, Docker rewrites the parents' `/etc/hosts` line, but the environment keeps the old
//! address: that is one reason user-defined networks replaced links.

use super::ports::{Port, PortProto};

/// `--link name[:alias]` as the client parses it (`opts.ParseLink`).
pub fn parse_link(spec: &str) -> Result<(String, String), String> {
    let bad = || format!("bad format for links: {spec}");
    let mut parts = spec.split(':');
    let name = parts.next().filter(|n| !n.is_empty()).ok_or_else(bad)?;
    let alias = parts.next().unwrap_or(name);
    if parts.next().is_some() || alias.is_empty() {
        return Err(bad());
    }
    let name = name.trim_start_matches('/');
    let alias = alias.trim_start_matches('/');
    Ok((name.to_string(), alias.to_string()))
}

/// The environment a link gives the parent (`links.Link.ToEnv`). `link_name` is
/// `/parent/alias`; `ports` are the child's exposed ports.
pub fn env_vars(link_name: &str, child_ip: &str, ports: &[Port], child_env: &[String]) -> Vec<String> {
    let short = link_name.rsplit('/').next().unwrap_or(link_name);
    let alias = short.to_uppercase().replace('-', "_");
    let mut ports = ports.to_vec();
    // TCP first, then by number (`withTCPPriority`).
    ports.sort_by(|a, b| {
        let tcp = |p: &Port| if p.proto == PortProto::Tcp { 0 } else { 1 };
        tcp(a).cmp(&tcp(b)).then(a.proto.name().cmp(b.proto.name())).then(a.number.cmp(&b.number))
    });
    let mut env = Vec::new();
    let (mut start, mut end) = match ports.first() {
        Some(p) => (*p, *p),
        None => (Port::tcp(0), Port::tcp(0)),
    };
    for (i, p) in ports.iter().enumerate() {
        let proto = p.proto.name();
        if i == 0 {
            env.push(format!("{alias}_PORT={proto}://{child_ip}:{}", p.number));
        }
        let prefix = format!("{alias}_PORT_{}_{}", p.number, proto.to_uppercase());
        env.push(format!("{prefix}={proto}://{child_ip}:{}", p.number));
        env.push(format!("{prefix}_ADDR={child_ip}"));
        env.push(format!("{prefix}_PORT={}", p.number));
        env.push(format!("{prefix}_PROTO={proto}"));
        if u32::from(p.number) == u32::from(end.number) + 1 && p.proto == start.proto {
            end = *p;
            if i < ports.len() - 1 {
                continue;
            }
        }
        if end != start {
            let prefix = format!("{alias}_PORT_{}_{}", start.number, start.proto.name().to_uppercase());
            let (sp, ep) = (start.proto.name(), end.proto.name());
            env.push(format!("{prefix}_START={sp}://{child_ip}:{}", start.number));
            env.push(format!("{prefix}_PORT_START={}", start.number));
            env.push(format!("{prefix}_END={ep}://{child_ip}:{}", end.number));
            env.push(format!("{prefix}_PORT_END={}", end.number));
        }
        (start, end) = (*p, *p);
    }
    env.push(format!("{alias}_NAME={link_name}"));
    for kv in child_env {
        let Some((name, value)) = kv.split_once('=') else { continue };
        if name == "HOME" || name == "PATH" {
            continue;
        }
        env.push(format!("{alias}_ENV_{name}={value}"));
    }
    env
}

/// The environment a process of the parent gets: as Docker builds it, `PATH` and `HOSTNAME`
/// first, then the links' variables, then the container's own (which win over a link's of the
/// same name).
pub fn merge_env(env: &[String], link_env: &[String]) -> Vec<String> {
    let key = |kv: &str| kv.split('=').next().unwrap_or(kv).to_string();
    let own: Vec<String> = env.iter().map(|kv| key(kv)).collect();
    let lead = env.iter().take_while(|kv| kv.starts_with("PATH=") || kv.starts_with("HOSTNAME=")).count();
    let mut out: Vec<String> = env[..lead].to_vec();
    out.extend(link_env.iter().filter(|kv| !own.contains(&key(kv))).cloned());
    out.extend(env[lead..].iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_parse_like_the_client() {
        assert_eq!(parse_link("site1"), Ok(("site1".into(), "site1".into())));
        assert_eq!(parse_link("mon-serveur:serveur"), Ok(("mon-serveur".into(), "serveur".into())));
        assert_eq!(parse_link("a:b:c").unwrap_err(), "bad format for links: a:b:c");
        assert!(parse_link("").is_err());
    }

    #[test]
    fn the_environment_matches_dockers() {
        let env = env_vars(
            "/proxy/site1",
            "172.17.0.2",
            &[Port::tcp(80)],
            &["PATH=/usr/bin".into(), "NGINX_VERSION=1.27".into(), "HOSTNAME=abc".into()],
        );
        assert_eq!(
            env,
            [
                "SITE1_PORT=tcp://172.17.0.2:80",
                "SITE1_PORT_80_TCP=tcp://172.17.0.2:80",
                "SITE1_PORT_80_TCP_ADDR=172.17.0.2",
                "SITE1_PORT_80_TCP_PORT=80",
                "SITE1_PORT_80_TCP_PROTO=tcp",
                "SITE1_NAME=/proxy/site1",
                "SITE1_ENV_NGINX_VERSION=1.27",
                "SITE1_ENV_HOSTNAME=abc",
            ]
        );
    }

    #[test]
    fn link_variables_come_after_path_and_hostname() {
        let env = ["PATH=/bin".to_string(), "HOSTNAME=abc".into(), "A=1".into(), "WEB_NAME=mine".into()];
        let merged = merge_env(&env, &["WEB_NAME=/p/web".into(), "WEB_PORT=tcp://x:80".into()]);
        assert_eq!(merged, ["PATH=/bin", "HOSTNAME=abc", "WEB_PORT=tcp://x:80", "A=1", "WEB_NAME=mine"]);
    }

    #[test]
    fn consecutive_ports_also_get_range_variables() {
        let ports = [Port::tcp(8001), Port::tcp(8000), Port { number: 53, proto: PortProto::Udp }];
        let env = env_vars("/app/my-db", "10.0.0.3", &ports, &[]);
        assert_eq!(env[0], "MY_DB_PORT=tcp://10.0.0.3:8000");
        assert!(env.contains(&"MY_DB_PORT_8000_TCP_START=tcp://10.0.0.3:8000".to_string()), "{env:?}");
        assert!(env.contains(&"MY_DB_PORT_8000_TCP_PORT_END=8001".to_string()));
        assert!(env.contains(&"MY_DB_PORT_53_UDP_PROTO=udp".to_string()));
        assert_eq!(env.last().map(String::as_str), Some("MY_DB_NAME=/app/my-db"));
    }
}
