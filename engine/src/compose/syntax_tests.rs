//! Short syntaxes, checked against what Compose v2.36.2 makes of them.

use super::*;

fn port(ip: Option<&str>, target: u32, published: Option<&str>, protocol: &str) -> Port {
    Port {
        mode: "ingress".into(),
        host_ip: ip.map(String::from),
        target,
        published: published.map(String::from),
        protocol: protocol.into(),
        ..Port::default()
    }
}

#[test]
fn port_specs() {
    assert_eq!(parse_port("80").unwrap(), [port(None, 80, None, "tcp")]);
    assert_eq!(parse_port("8080:80").unwrap(), [port(None, 80, Some("8080"), "tcp")]);
    assert_eq!(parse_port("127.0.0.1:8081:81/udp").unwrap(), [port(Some("127.0.0.1"), 81, Some("8081"), "udp")]);
    assert_eq!(parse_port("127.0.0.1::80").unwrap(), [port(Some("127.0.0.1"), 80, None, "tcp")]);
    assert_eq!(parse_port("[::1]:8080:80").unwrap(), [port(Some("::1"), 80, Some("8080"), "tcp")]);
    assert_eq!(
        parse_port("9000-9001:9000-9001").unwrap(),
        [port(None, 9000, Some("9000"), "tcp"), port(None, 9001, Some("9001"), "tcp")]
    );
    assert_eq!(parse_port("80-81").unwrap(), [port(None, 80, None, "tcp"), port(None, 81, None, "tcp")]);
    assert_eq!(parse_port("8080-8081:80").unwrap(), [port(None, 80, Some("8080-8081"), "tcp")]);
    let err = |s: &str| parse_port(s).unwrap_err().to_string();
    assert_eq!(err("abc"), "invalid containerPort: abc");
    assert_eq!(err("80:80:80:80"), "invalid IP address: 80:80");
    assert_eq!(err("8080-8082:80-81"), "invalid ranges specified for container and host Ports: 80-81 and 8080-8082");
    assert_eq!(err("x:80"), "invalid hostPort: x");
}

#[test]
fn volume_specs() {
    let m = parse_volume("data:/var/lib:ro").unwrap();
    assert_eq!(
        (m.kind, m.source.as_deref(), m.target.as_str(), m.read_only),
        (MountType::Volume, Some("data"), "/var/lib", true)
    );
    assert_eq!(m.volume, Some(VolumeOptions::default()));
    let m = parse_volume("./x:/y").unwrap();
    assert_eq!((m.kind, m.source.as_deref()), (MountType::Bind, Some("./x")));
    assert!(m.bind.unwrap().create_host_path);
    let m = parse_volume("/anon").unwrap();
    assert_eq!((m.kind, m.source, m.target.as_str()), (MountType::Volume, None, "/anon"));
    let m = parse_volume("data:/d:rw,nocopy").unwrap();
    assert!(m.volume.unwrap().nocopy && !m.read_only);
    let m = parse_volume("/h:/c:z").unwrap();
    assert_eq!(m.bind.unwrap().selinux.as_deref(), Some("z"));
    let m = parse_volume("a:b:c:d").unwrap();
    assert_eq!((m.source.as_deref(), m.target.as_str()), (Some("a:b"), "c:d"));
    assert_eq!(parse_volume("").unwrap_err().to_string(), "invalid empty volume spec");
    assert_eq!(parse_volume("/a::b").unwrap_err().to_string(), "invalid spec: /a::b: empty section between colons");
    assert_eq!(parse_volume("/a:/b:ro:x").unwrap_err().to_string(), "invalid spec: /a:/b:ro:x: too many colons");
}

#[test]
fn durations_read_and_print_like_go() {
    let s = 1_000_000_000;
    assert_eq!(parse_duration("1m30s"), Ok(90 * s));
    assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
    assert_eq!(parse_duration("500ms"), Ok(500_000_000));
    assert_eq!(parse_duration("1h"), Ok(3600 * s));
    assert_eq!(parse_duration("0"), Ok(0));
    assert_eq!(parse_duration("10x").unwrap_err(), "time: unknown unit \"x\" in duration \"10x\"");
    assert_eq!(parse_duration("10").unwrap_err(), "time: missing unit in duration \"10\"");
    assert_eq!(parse_duration("").unwrap_err(), "time: invalid duration \"\"");
    assert_eq!(format_duration(90 * s), "1m30s");
    assert_eq!(format_duration(3600 * s), "1h0m0s");
    assert_eq!(format_duration(1_500_000_000), "1.5s");
    assert_eq!(format_duration(10 * s), "10s");
    assert_eq!(format_duration(500_000_000), "500ms");
    assert_eq!(format_duration(1_500), "1.5µs");
}

#[test]
fn byte_sizes() {
    assert_eq!(parse_bytes("1000"), Ok(1000));
    assert_eq!(parse_bytes("10m"), Ok(10 * 1024 * 1024));
    assert_eq!(parse_bytes("1gb"), Ok(1 << 30));
    assert!(parse_bytes("ten").is_err());
}
