//! Real guest programs talking over the engine's network: `guest-net`'s examples
//! (`echo_server`, `echo_client`, Rust std programs built for wasm32-wasip1) run as processes in
//! containers' network namespaces. Build them first:
//! `cargo build -p guest-net --examples --target wasm32-wasip1 --release` (`cargo xtask test`
//! does it); without them the tests say so and pass.

use engine::fs::Fs;
use engine::network::stack::{Interface, NetnsId, PortMapping, Proto, Segment, SegmentId};
use engine::platform::{Clock, Entropy, ManualClock, SeededEntropy};
use engine::process::{GroupId, GroupInfo, Kernel, Pid, Pipe, ProcStatus, SpawnOptions, SpawnSpec, Stdio};
use std::cell::RefCell;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::rc::Rc;

/// Where cargo put the examples: `$CARGO_TARGET_DIR` at build time, else the workspace's target.
fn example(name: &str) -> Option<Vec<u8>> {
    let dirs = [
        option_env!("CARGO_TARGET_DIR").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target")),
    ];
    let found = dirs
        .into_iter()
        .flatten()
        .map(|d| d.join("wasm32-wasip1/release/examples").join(format!("{name}.wasm")))
        .find(|p| p.exists());
    match found {
        Some(p) => std::fs::read(p).ok(),
        None => {
            eprintln!(
                "skipped: no {name}.wasm; build it with `cargo build -p guest-net --examples --target wasm32-wasip1 --release`"
            );
            None
        }
    }
}

struct Lab {
    k: Kernel,
    clock: ManualClock,
    fs: Fs,
    server: Rc<[u8]>,
    client: Rc<[u8]>,
}

impl Lab {
    fn new() -> Option<Lab> {
        let server: Rc<[u8]> = example("echo_server")?.into();
        let client: Rc<[u8]> = example("echo_client")?.into();
        let clock = ManualClock::new(1_768_471_200_000);
        let entropy: Rc<RefCell<dyn Entropy>> = Rc::new(RefCell::new(SeededEntropy::new(5)));
        let k = Kernel::new(Rc::new(clock.clone()), entropy);
        Some(Lab { k, clock, fs: Fs::new(), server, client })
    }

    fn segment(&mut self, name: &str, third: u8) {
        self.k.net_mut().set_segment(Segment {
            id: SegmentId(name.into()),
            bridge_name: format!("br-{name}"),
            subnet: Ipv4Addr::new(172, third, 0, 0),
            prefix_len: 16,
            gateway: Ipv4Addr::new(172, third, 0, 1),
            internal: false,
        });
    }

    /// A container (its group) with one interface per (segment, address), or none.
    fn container(&mut self, name: &str, ifaces: &[(&str, Ipv4Addr)]) -> (GroupId, NetnsId) {
        let net = self.k.net_mut();
        let ns = net.create_netns();
        let list: Vec<Interface> = ifaces
            .iter()
            .enumerate()
            .map(|(i, (seg, addr))| Interface {
                name: format!("eth{i}"),
                mac: [2, 0x42, 0, 0, 0, i as u8],
                addr: *addr,
                prefix_len: 16,
                segment: SegmentId(seg.to_string()),
            })
            .collect();
        let gw = ifaces.first().map(|(_, a)| Ipv4Addr::from(u32::from(*a) & 0xffff_0000 | 1));
        net.set_interfaces(ns, list, gw).unwrap();
        let g = self.k.new_group();
        self.k.set_group_info(g, GroupInfo { hostname: name.into(), netns: ns, ..GroupInfo::default() });
        (g, ns)
    }

    fn spawn(&mut self, program: Rc<[u8]>, args: &[&str], group: GroupId) -> (Pid, Pipe, Pipe) {
        let (out, err) = (Pipe::new(), Pipe::new());
        let spec = SpawnSpec {
            program,
            args: args.iter().map(|a| a.to_string()).collect(),
            env: vec![],
            cwd: "/".into(),
            fs: self.fs.clone(),
            stdin: Stdio::Null,
            stdout: Stdio::Pipe(out.clone()),
            stderr: Stdio::Pipe(err.clone()),
        };
        (self.k.spawn_with(spec, SpawnOptions { group, pid1: false }).unwrap(), out, err)
    }

    fn client(&mut self, group: GroupId, args: &[&str]) -> (i32, String, String) {
        let mut argv = vec!["echo_client"];
        argv.extend(args);
        let (pid, out, err) = self.spawn(self.client.clone(), &argv, group);
        let status = self.wait(pid);
        (status, String::from_utf8_lossy(&out.drain()).into_owned(), String::from_utf8_lossy(&err.drain()).into_owned())
    }

    /// Runs (10 ms of clock per round) until `pid` exits; its status.
    fn wait(&mut self, pid: Pid) -> i32 {
        for _ in 0..5_000 {
            self.k.run(self.clock.monotonic_micros() + 10_000);
            if let Some(ProcStatus::Exited(code)) = self.k.status(pid) {
                return code;
            }
            self.clock.advance_micros(10_000);
        }
        panic!("{pid} did not finish");
    }
}

#[test]
fn echo_between_containers_over_tcp_and_udp_and_errors_elsewhere() {
    let Some(mut lab) = Lab::new() else { return };
    lab.segment("net1", 18);
    lab.segment("net2", 19);
    let (a, a_ns) = lab.container("a", &[("net1", Ipv4Addr::new(172, 18, 0, 2))]);
    let (b, _) = lab.container("b", &[("net1", Ipv4Addr::new(172, 18, 0, 3))]);
    let (c, _) = lab.container("c", &[("net2", Ipv4Addr::new(172, 19, 0, 2))]);
    let (n, _) = lab.container("n", &[]);
    let (srv, srv_out, srv_err) = lab.spawn(lab.server.clone(), &["echo_server", "7", "2"], a);
    lab.k.run(lab.clock.monotonic_micros() + 10_000);

    let (status, out, err) = lab.client(b, &["tcp", "172.18.0.2:7", "hello over tcp"]);
    assert_eq!((status, out.as_str(), err.as_str()), (0, "hello over tcp\n", ""));
    let (status, out, err) = lab.client(b, &["udp", "172.18.0.2:7", "a datagram"]);
    assert_eq!((status, out.as_str(), err.as_str()), (0, "a datagram\n", ""));

    // Another network: the connect times out (the client gives up after 5 s).
    let t0 = lab.clock.monotonic_micros();
    let (status, _, err) = lab.client(c, &["tcp", "172.18.0.2:7", "x"]);
    assert_eq!((status, err.as_str()), (1, "echo_client: connection timed out\n"));
    assert!(lab.clock.monotonic_micros() - t0 >= 5_000_000);
    let (status, _, err) = lab.client(n, &["tcp", "172.18.0.2:7", "x"]);
    assert_eq!(status, 1);
    assert!(err.contains("unreachable"), "{err}");
    let (status, _, err) = lab.client(b, &["tcp", "172.18.0.2:8", "x"]);
    assert_eq!(status, 1);
    assert!(err.contains("refused"), "{err}");

    // The host reaches the container through a published port.
    let publish = PortMapping {
        host_ip: Ipv4Addr::UNSPECIFIED,
        host_port: 8080,
        proto: Proto::Tcp,
        target: a_ns,
        target_ip: Ipv4Addr::new(172, 18, 0, 2),
        target_port: 7,
    };
    lab.k.net_mut().publish(publish).unwrap();
    let (status, out, _) = lab.client(GroupId::default(), &["tcp", "127.0.0.1:8080", "via the proxy"]);
    assert_eq!((status, out.as_str()), (0, "via the proxy\n"));
    assert_eq!(lab.wait(srv), 0, "served two connections: {}", String::from_utf8_lossy(&srv_err.drain()));
    let log = String::from_utf8_lossy(&srv_out.drain()).into_owned();
    assert!(log.starts_with("listening on 0.0.0.0:7\ntcp from 172.18.0.3:"), "{log}");
    assert!(log.contains("udp from 172.18.0.3:") && log.contains("tcp from 172.18.0.1:"), "{log}");
}
