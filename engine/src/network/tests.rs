//! The daemon's networking end to end, checked in the stack it drives: namespaces and their
//! interfaces, the embedded-DNS tables, the published ports, and what a stop gives back.

use crate::container::CreateOptions;
use crate::ids::Digest;
use crate::image::{build_layer, Image, ImageConfig, LayerEntry, RootFs};
use crate::network::ports::{parse_publish, Port};
use crate::network::stack::HOST_NETNS;
use crate::network::{ConnectOptions, EndpointConfig, NetworkCreate, NetworkMode, NetworkRequest};
use crate::platform::{ManualClock, MemoryBlobSource, Platform};
use crate::process::Signal;
use crate::Daemon;
use std::net::Ipv4Addr;

/// A program that waits on its stdin for ever (the container stays up).
const WAIT: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

fn daemon() -> Daemon {
    let platform = Platform::for_tests(ManualClock::new(1_768_471_200_000), 7, Box::new(MemoryBlobSource::default()));
    let mut d = Daemon::new(platform);
    let program = wat::parse_str(WAIT).unwrap();
    let tar = build_layer(&[LayerEntry::File { path: "bin/wait".into(), mode: 0o755, data: program }], 0).unwrap();
    let layer = Digest::of(&tar);
    d.images.add_layer(layer.clone(), tar.into());
    let mut config: ImageConfig = serde_json::from_value(serde_json::json!({
        "architecture": "wasm", "os": "wasip1", "created": "2026-01-01T00:00:00Z",
        "config": { "Cmd": ["/bin/wait"], "ExposedPorts": { "80/tcp": {} } },
        "rootfs": { "type": "layers", "diff_ids": [] },
    }))
    .unwrap();
    config.rootfs = RootFs { kind: "layers".into(), diff_ids: vec![layer.to_string()] };
    let image = Image {
        id: Digest::of(b"waiter"),
        config,
        layers: vec![layer],
        repo_tags: vec![],
        repo_digests: vec![],
        size: 0,
        created_ms: 0,
    };
    d.images.add_image(image, Some("waiter:latest".into()), None);
    d
}

fn run(d: &mut Daemon, name: &str, net: NetworkRequest) -> Result<(), crate::Error> {
    let opts = CreateOptions {
        image: "waiter".into(),
        name: Some(name.into()),
        open_stdin: true,
        network: net,
        ..CreateOptions::default()
    };
    d.create_container(opts)?;
    d.start_container(name)
}

fn on(network: &str, aliases: &[&str]) -> NetworkRequest {
    let mut ep = EndpointConfig::new(network);
    ep.aliases = aliases.iter().map(|s| s.to_string()).collect();
    NetworkRequest { mode: NetworkMode(network.into()), endpoints: vec![ep], ..NetworkRequest::default() }
}

fn ip_of(d: &Daemon, name: &str, network: &str) -> Option<Ipv4Addr> {
    let c = d.containers.find(name)?;
    d.networks.find(network).ok()?.endpoint(&c.id).map(|e| e.ip)
}

fn netns(d: &Daemon, name: &str) -> crate::network::stack::NetnsId {
    d.containers.find(name).and_then(|c| c.net.netns()).expect("running")
}

#[test]
fn the_default_bridge_gives_addresses_but_no_names() {
    let mut d = daemon();
    run(&mut d, "web", on("bridge", &[])).unwrap();
    let ns = netns(&d, "web");
    let stack = d.kernel.net();
    let n = stack.netns(ns).unwrap();
    assert_eq!(n.interfaces.len(), 1);
    assert_eq!((n.interfaces[0].name.as_str(), n.interfaces[0].addr), ("eth0", Ipv4Addr::new(172, 17, 0, 2)));
    assert_eq!(n.gateway, Some(Ipv4Addr::new(172, 17, 0, 1)));
    assert_eq!(n.dns, None, "no embedded DNS on the default bridge");
    let group = d.containers.find("web").and_then(|c| c.process.as_ref()).map(|p| p.group).unwrap();
    assert_eq!(d.kernel.group_info(group).netns, ns, "the container's processes live in its namespace");
}

#[test]
fn user_defined_networks_resolve_names_aliases_and_ids() {
    let mut d = daemon();
    d.create_network(NetworkCreate { name: "front".into(), ..NetworkCreate::default() }).unwrap();
    d.create_network(NetworkCreate { name: "back".into(), ..NetworkCreate::default() }).unwrap();
    run(&mut d, "a", on("front", &[])).unwrap();
    run(&mut d, "b", on("front", &["api"])).unwrap();
    run(&mut d, "b2", on("front", &["api"])).unwrap();
    run(&mut d, "db", on("back", &[])).unwrap();
    run(&mut d, "c", on("bridge", &[])).unwrap();
    let table = |d: &Daemon, name: &str| d.kernel.net().netns(netns(d, name)).unwrap().dns.clone();
    let a = table(&d, "a").expect("embedded DNS on a user-defined network");
    assert_eq!(a.records["b"], [Ipv4Addr::new(172, 18, 0, 3)]);
    assert_eq!(a.records["api"], [Ipv4Addr::new(172, 18, 0, 3), Ipv4Addr::new(172, 18, 0, 4)]);
    let b_id = d.containers.find("b").unwrap().id.short().to_string();
    assert!(a.records.contains_key(&b_id));
    assert!(!a.records.contains_key("db"), "back is another network");
    assert!(!a.records.contains_key("c"));
    assert_eq!(table(&d, "c"), None);
    // A container on both networks sees both; the others see it from then on.
    d.connect_network("back", "a", ConnectOptions::default()).unwrap();
    let a = table(&d, "a").unwrap();
    assert_eq!(a.records["db"], [Ipv4Addr::new(172, 19, 0, 2)]);
    let interfaces = &d.kernel.net().netns(netns(&d, "a")).unwrap().interfaces;
    assert_eq!(interfaces.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["eth0", "eth1"]);
    assert_eq!(table(&d, "db").unwrap().records["a"], [Ipv4Addr::new(172, 19, 0, 3)]);
    d.disconnect_network("back", "a", false).unwrap();
    assert!(!table(&d, "db").unwrap().records.contains_key("a"));
    assert!(d.networks.find("back").unwrap().endpoint(&d.containers.find("a").unwrap().id).is_none());
    // Joined again, the network comes back as a new interface name (libnetwork's nextIfIndex),
    // and the routes stay in address order.
    d.disconnect_network("front", "a", false).unwrap();
    d.connect_network("back", "a", ConnectOptions::default()).unwrap();
    d.connect_network("front", "a", ConnectOptions::default()).unwrap();
    let interfaces = &d.kernel.net().netns(netns(&d, "a")).unwrap().interfaces;
    assert_eq!(interfaces.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["eth2", "eth3"]);
    let routes = d.kernel.net().handle(netns(&d, "a")).routes();
    let links: Vec<_> =
        routes.iter().filter(|r| r.prefix_len > 0).map(|r| (r.iface.as_str(), r.destination.to_string())).collect();
    assert_eq!(links, [("eth3", "172.18.0.0".to_string()), ("eth2", "172.19.0.0".to_string())]);
}

#[test]
fn a_stop_gives_the_address_back_and_a_restart_may_change_it() {
    let mut d = daemon();
    run(&mut d, "site1", on("bridge", &[])).unwrap();
    run(&mut d, "site2", on("bridge", &[])).unwrap();
    assert_eq!(ip_of(&d, "site1", "bridge"), Some(Ipv4Addr::new(172, 17, 0, 2)));
    let ns = netns(&d, "site1");
    d.signal_container("site1", Signal::Kill).unwrap();
    let deadline = d.now_micros() + 1_000_000;
    d.run_background(deadline);
    assert_eq!(ip_of(&d, "site1", "bridge"), None);
    assert!(d.kernel.net().netns(ns).is_none(), "the namespace went with the container");
    run(&mut d, "intrus", on("bridge", &[])).unwrap();
    assert_eq!(ip_of(&d, "intrus", "bridge"), Some(Ipv4Addr::new(172, 17, 0, 2)));
    d.start_container("site1").unwrap();
    assert_eq!(ip_of(&d, "site1", "bridge"), Some(Ipv4Addr::new(172, 17, 0, 4)));
}

#[test]
fn published_ports_reach_the_container_and_conflicts_leave_nothing() {
    let mut d = daemon();
    let mut req = on("bridge", &[]);
    req.bindings = parse_publish("8080:80").unwrap();
    run(&mut d, "web", req.clone()).unwrap();
    let ns = netns(&d, "web");
    let ports = d.kernel.net().ports().to_vec();
    assert_eq!(ports.len(), 1, "IPv4 only in the stack; IPv6 is bookkeeping");
    assert_eq!((ports[0].host_port, ports[0].target, ports[0].target_port), (8080, ns, 80));
    assert_eq!(ports[0].target_ip, Ipv4Addr::new(172, 17, 0, 2));
    let namespaces_before =
        (1..64).filter(|i| d.kernel.net().netns(crate::network::stack::NetnsId(*i)).is_some()).count();
    let err = run(&mut d, "web2", req).unwrap_err().to_string();
    assert!(err.ends_with("Bind for 0.0.0.0:8080 failed: port is already allocated"), "{err}");
    assert!(err.starts_with(
        "failed to set up container networking: driver failed programming external connectivity on endpoint web2 ("
    ));
    let namespaces_after =
        (1..64).filter(|i| d.kernel.net().netns(crate::network::stack::NetnsId(*i)).is_some()).count();
    assert_eq!(namespaces_before, namespaces_after);
    assert_eq!(ip_of(&d, "web2", "bridge"), None, "its address went back");
    assert_eq!(d.kernel.net().ports().len(), 1);
    let c = d.containers.find("web2").unwrap();
    assert!(c.net.live.is_none() && c.process.is_none());
    assert_eq!(c.net.exposed, [Port::tcp(80)]);
}

#[test]
fn host_none_and_shared_namespaces() {
    let mut d = daemon();
    let host = NetworkRequest { mode: NetworkMode("host".into()), ..NetworkRequest::default() };
    run(&mut d, "h", host).unwrap();
    assert_eq!(netns(&d, "h"), HOST_NETNS);
    let none = NetworkRequest { mode: NetworkMode("none".into()), ..NetworkRequest::default() };
    run(&mut d, "n", none).unwrap();
    assert!(d.kernel.net().netns(netns(&d, "n")).unwrap().interfaces.is_empty());
    run(&mut d, "srv", on("bridge", &[])).unwrap();
    let shared = NetworkRequest { mode: NetworkMode("container:srv".into()), ..NetworkRequest::default() };
    run(&mut d, "side", shared).unwrap();
    assert_eq!(netns(&d, "side"), netns(&d, "srv"));
    // The sharer sees the owner's very /etc files, not copies.
    let hosts = |d: &Daemon, name: &str| d.containers.find(name).unwrap().fs.read_file("/etc/hosts").unwrap();
    d.create_network(NetworkCreate { name: "extra".into(), ..NetworkCreate::default() }).unwrap();
    d.connect_network("extra", "srv", ConnectOptions::default()).unwrap();
    assert!(String::from_utf8_lossy(&hosts(&d, "side")).contains("172.18.0.2\t"));
    assert_eq!(hosts(&d, "side"), hosts(&d, "srv"));
    // They are mounted, not written into the container's own tree: no change to report.
    assert!(d.container_changes("srv").unwrap().is_empty(), "{:?}", d.container_changes("srv"));
    // The sharer keeps the namespace when its owner stops.
    let ns = netns(&d, "srv");
    d.remove_container("srv", true).unwrap();
    let left = d.kernel.net().netns(ns).expect("still used by side");
    assert!(left.interfaces.is_empty());
    d.remove_container("side", true).unwrap();
    assert!(d.kernel.net().netns(ns).is_none());
}
