//! The socket calls from a guest's side, with tiny guests in WAT: addresses in guest memory,
//! non-blocking descriptors and `EAGAIN`, `poll_oneoff` on a listener and a connection,
//! `SO_RCVTIMEO`, a blocked `accept` woken by a client in another container, `/proc` links,
//! the process exit closing its sockets, `icmp_echo`.

use super::test_world::World;
use super::*;
use crate::network::stack::{Interface, Segment, SegmentId, SockKind};
use crate::platform::Clock;
use std::net::Ipv4Addr;

const PRELUDE: &str = r#"
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasix_32v1" "sock_open" (func $sock_open (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "sock_bind" (func $sock_bind (param i32 i32) (result i32)))
  (import "wasix_32v1" "sock_listen" (func $sock_listen (param i32 i32) (result i32)))
  (import "wasix_32v1" "sock_accept_v2" (func $sock_accept (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "sock_connect" (func $sock_connect (param i32 i32) (result i32)))
  (import "wasix_32v1" "sock_addr_local" (func $sock_addr_local (param i32 i32) (result i32)))
  (import "wasix_32v1" "sock_set_opt_time" (func $set_time (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_readlink" (func $path_readlink (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "playground_v1" "icmp_echo" (func $icmp_echo (param i32 i32 i32 i32 i32) (result i32)))

  ;; Exits with `code` unless `got` is `want`.
  (func $check (param $got i32) (param $want i32) (param $code i32)
    (if (i32.ne (local.get $got) (local.get $want)) (then (call $proc_exit (local.get $code)))))

  ;; An IPv4 addr_port at `at`: the port as the guest's u16, then the address bytes.
  (func $addr (param $at i32) (param $port i32) (param $a i32) (param $b i32) (param $c i32) (param $d i32)
    (i32.store8 (local.get $at) (i32.const 1))
    (i32.store16 offset=2 (local.get $at) (local.get $port))
    (i32.store8 offset=4 (local.get $at) (local.get $a))
    (i32.store8 offset=5 (local.get $at) (local.get $b))
    (i32.store8 offset=6 (local.get $at) (local.get $c))
    (i32.store8 offset=7 (local.get $at) (local.get $d)))

  ;; A new TCP socket (its fd), or exit 90.
  (func $tcp (result i32)
    (call $check (call $sock_open (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 1020)) (i32.const 0) (i32.const 90))
    (i32.load (i32.const 1020)))

  ;; write(fd, ptr, len) -> errno; the count at 1016.
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 1000) (local.get $ptr))
    (i32.store (i32.const 1004) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 1000) (i32.const 1) (i32.const 1016)))

  ;; read(fd) into 2048 (up to 512 bytes) -> errno; the count at 1016.
  (func $read (param $fd i32) (result i32)
    (i32.store (i32.const 1000) (i32.const 2048))
    (i32.store (i32.const 1004) (i32.const 512))
    (call $fd_read (local.get $fd) (i32.const 1000) (i32.const 1) (i32.const 1016)))
"#;

fn guest(body: &str) -> Vec<u8> {
    wat::parse_str(format!(r#"(module {PRELUDE} {body} (memory (export "memory") 2))"#)).expect("valid wat")
}

fn start(w: &mut World, program: Vec<u8>, group: GroupId) -> (Pid, Pipe) {
    let out = Pipe::new();
    let spec = SpawnSpec {
        program: program.into(),
        args: vec!["main".into()],
        env: vec![],
        cwd: "/".into(),
        fs: w.fs.clone(),
        stdin: Stdio::Null,
        stdout: Stdio::Pipe(out.clone()),
        stderr: Stdio::Pipe(out.clone()),
    };
    (w.k.spawn_with(spec, SpawnOptions { group, pid1: false }).expect("spawn"), out)
}

/// One process: a non-blocking listener says `EAGAIN`, `poll_oneoff` wakes when a client
/// connects, bytes go through, `SO_RCVTIMEO` ends a wait with `EAGAIN`.
#[test]
fn nonblocking_accept_poll_and_receive_timeout() {
    let mut w = World::new();
    let program = guest(
        r#"(data (i32.const 3000) "hi")
        (func (export "_start") (local $l i32) (local $c i32) (local $s i32)
          (local.set $l (call $tcp))
          (call $addr (i32.const 200) (i32.const 8080) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
          (call $check (call $sock_bind (local.get $l) (i32.const 200)) (i32.const 0) (i32.const 1))
          (call $check (call $sock_listen (local.get $l) (i32.const 5)) (i32.const 0) (i32.const 2))
          (call $check (call $set_flags (local.get $l) (i32.const 4)) (i32.const 0) (i32.const 3))
          ;; EAGAIN (6): nobody yet.
          (call $check (call $sock_accept (local.get $l) (i32.const 0) (i32.const 300) (i32.const 320)) (i32.const 6) (i32.const 4))
          ;; poll: the listener for reading, or 1 ms.
          (i64.store (i32.const 400) (i64.const 11))
          (i32.store8 (i32.const 408) (i32.const 1))
          (i32.store (i32.const 416) (local.get $l))
          (i64.store (i32.const 448) (i64.const 22))
          (i32.store8 (i32.const 456) (i32.const 0))
          (i32.store (i32.const 464) (i32.const 1))
          (i64.store (i32.const 472) (i64.const 1000000))
          (call $check (call $poll (i32.const 400) (i32.const 600) (i32.const 2) (i32.const 700)) (i32.const 0) (i32.const 5))
          (call $check (i32.load (i32.const 700)) (i32.const 1) (i32.const 6))
          (call $check (i32.wrap_i64 (i64.load (i32.const 600))) (i32.const 22) (i32.const 7))
          ;; A client on loopback.
          (local.set $c (call $tcp))
          (call $addr (i32.const 220) (i32.const 8080) (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1))
          (call $check (call $sock_connect (local.get $c) (i32.const 220)) (i32.const 0) (i32.const 8))
          (call $check (call $poll (i32.const 400) (i32.const 600) (i32.const 2) (i32.const 700)) (i32.const 0) (i32.const 9))
          (call $check (i32.wrap_i64 (i64.load (i32.const 600))) (i32.const 11) (i32.const 10))
          (call $check (call $sock_accept (local.get $l) (i32.const 0) (i32.const 300) (i32.const 320)) (i32.const 0) (i32.const 11))
          (local.set $s (i32.load (i32.const 300)))
          ;; The peer's address: 127.0.0.1, its port in network byte order.
          (call $check (i32.load8_u (i32.const 324)) (i32.const 127) (i32.const 12))
          (call $check (call $sock_addr_local (local.get $c) (i32.const 340)) (i32.const 0) (i32.const 13))
          (call $check (i32.load16_u (i32.const 342)) (i32.load16_u (i32.const 322)) (i32.const 14))
          (call $check (call $write (local.get $c) (i32.const 3000) (i32.const 2)) (i32.const 0) (i32.const 15))
          (call $check (call $read (local.get $s)) (i32.const 0) (i32.const 16))
          (call $check (i32.load (i32.const 1016)) (i32.const 2) (i32.const 17))
          (call $check (i32.load16_u (i32.const 2048)) (i32.load16_u (i32.const 3000)) (i32.const 18))
          ;; SO_RCVTIMEO (19) of 5 ms: a read with nothing to come ends in EAGAIN.
          (i32.store8 (i32.const 500) (i32.const 1))
          (i64.store (i32.const 508) (i64.const 5000000))
          (call $check (call $set_time (local.get $s) (i32.const 19) (i32.const 500)) (i32.const 0) (i32.const 19))
          (call $check (call $read (local.get $s)) (i32.const 6) (i32.const 20))
          (call $proc_exit (i32.const 0)))"#,
    );
    let (pid, out) = start(&mut w, program, GroupId(0));
    for _ in 0..20 {
        w.settle(10);
        w.clock.advance_micros(1_000);
    }
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(0)), "{}", String::from_utf8_lossy(&out.drain()));
}

/// The lab network: containers A (172.18.0.2) and B (172.18.0.3) on one segment.
fn two_containers(w: &mut World) -> (GroupId, GroupId) {
    let net = w.k.net_mut();
    net.set_segment(Segment {
        id: SegmentId("n1".into()),
        bridge_name: "br-n1".into(),
        subnet: Ipv4Addr::new(172, 18, 0, 0),
        prefix_len: 16,
        gateway: Ipv4Addr::new(172, 18, 0, 1),
        internal: false,
    });
    let mut groups = Vec::new();
    for (host, last) in [("a", 2), ("b", 3)] {
        let net = w.k.net_mut();
        let ns = net.create_netns();
        let addr = Ipv4Addr::new(172, 18, 0, last);
        let eth0 = Interface {
            name: "eth0".into(),
            mac: [2, 0x42, 172, 18, 0, last],
            addr,
            prefix_len: 16,
            segment: SegmentId("n1".into()),
        };
        net.set_interfaces(ns, vec![eth0], Some(Ipv4Addr::new(172, 18, 0, 1))).unwrap();
        let g = w.k.new_group();
        w.k.set_group_info(g, GroupInfo { hostname: host.into(), netns: ns, ..GroupInfo::default() });
        groups.push(g);
    }
    (groups[0], groups[1])
}

/// A server blocked in `accept` in one container wakes when a client in another connects;
/// the client's exit closes its socket and the server reads the end of the stream.
#[test]
fn a_blocked_accept_wakes_for_a_client_in_another_container() {
    let mut w = World::new();
    let (a, b) = two_containers(&mut w);
    let server = guest(
        r#"(func (export "_start") (local $l i32) (local $s i32)
          (local.set $l (call $tcp))
          (call $addr (i32.const 200) (i32.const 7) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
          (call $check (call $sock_bind (local.get $l) (i32.const 200)) (i32.const 0) (i32.const 1))
          (call $check (call $sock_listen (local.get $l) (i32.const 5)) (i32.const 0) (i32.const 2))
          (call $check (call $sock_accept (local.get $l) (i32.const 0) (i32.const 300) (i32.const 320)) (i32.const 0) (i32.const 3))
          (local.set $s (i32.load (i32.const 300)))
          (call $check (i32.load (i32.const 324)) (i32.const 0x030012ac) (i32.const 4))
          (call $check (call $read (local.get $s)) (i32.const 0) (i32.const 5))
          (drop (call $write (local.get $s) (i32.const 2048) (i32.load (i32.const 1016))))
          ;; The client is gone: end of stream.
          (call $check (call $read (local.get $s)) (i32.const 0) (i32.const 6))
          (call $check (i32.load (i32.const 1016)) (i32.const 0) (i32.const 7))
          (call $proc_exit (i32.const 0)))"#,
    );
    let client = guest(
        r#"(data (i32.const 3000) "ping")
        (func (export "_start") (local $c i32)
          (local.set $c (call $tcp))
          (call $addr (i32.const 220) (i32.const 7) (i32.const 172) (i32.const 18) (i32.const 0) (i32.const 2))
          (call $check (call $sock_connect (local.get $c) (i32.const 220)) (i32.const 0) (i32.const 1))
          (call $check (call $write (local.get $c) (i32.const 3000) (i32.const 4)) (i32.const 0) (i32.const 2))
          (call $check (call $read (local.get $c)) (i32.const 0) (i32.const 3))
          (call $check (i32.load (i32.const 2048)) (i32.load (i32.const 3000)) (i32.const 4))
          (call $proc_exit (i32.const 0)))"#,
    );
    let (srv, _) = start(&mut w, server, a);
    w.settle(10);
    assert_eq!(w.k.status(srv), Some(ProcStatus::Blocked), "waiting in accept");
    let sockets = w.k.net().handle(w.k.group_info(a).netns).socket_table(SockKind::Tcp);
    assert_eq!(sockets.len(), 1, "the listener shows in /proc/net/tcp");
    let (cli, _) = start(&mut w, client, b);
    w.settle(20);
    assert_eq!(w.k.status(cli), Some(ProcStatus::Exited(0)));
    assert_eq!(w.k.status(srv), Some(ProcStatus::Exited(0)));
}

/// `icmp_echo`: a reply after a short round trip from a neighbour; nothing beyond.
#[test]
fn ping_waits_for_the_round_trip() {
    let mut w = World::new();
    let (a, _) = two_containers(&mut w);
    let program = guest(
        r#"(func (export "_start")
          (i32.store (i32.const 100) (i32.const 0x030012ac))
          (call $check (call $icmp_echo (i32.const 100) (i32.const 1) (i32.const 56) (i32.const 1000) (i32.const 200)) (i32.const 0) (i32.const 1))
          (call $check (i32.load (i32.const 200)) (i32.const 64) (i32.const 2))
          (if (i32.gt_u (i32.load (i32.const 204)) (i32.const 1000)) (then (call $proc_exit (i32.const 3))))
          ;; 8.8.8.8: no route beyond the host.
          (i32.store (i32.const 100) (i32.const 0x08080808))
          (call $check (call $icmp_echo (i32.const 100) (i32.const 2) (i32.const 56) (i32.const 1000) (i32.const 200)) (i32.const 40) (i32.const 4))
          ;; Nobody at 172.18.0.9: EHOSTUNREACH (23) once ARP gives up.
          (i32.store (i32.const 100) (i32.const 0x090012ac))
          (call $check (call $icmp_echo (i32.const 100) (i32.const 3) (i32.const 56) (i32.const 1000) (i32.const 200)) (i32.const 23) (i32.const 5))
          (call $proc_exit (i32.const 0)))"#,
    );
    let (pid, _) = start(&mut w, program, a);
    w.settle(10);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Blocked), "waiting for the reply");
    let t0 = w.clock.monotonic_micros();
    for _ in 0..200 {
        w.clock.advance_micros(10_000);
        w.settle(10);
        if w.k.status(pid) != Some(ProcStatus::Blocked) {
            break;
        }
    }
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(0)));
    assert!(w.clock.monotonic_micros() - t0 >= 1_000_000, "the unreachable host took the timeout");
}

/// Copies the file at `path` (from "/") to stdout, then a newline-terminated `readlink` of
/// `/proc/self/fd/<socket>`.
fn cat_net_files(paths: &[&str]) -> Vec<u8> {
    let mut data = String::new();
    let mut body = String::new();
    let mut at = 4096;
    for p in paths {
        data.push_str(&format!(r#"(data (i32.const {at}) "{p}")"#));
        body.push_str(&format!(
            r#"(call $check (call $path_open (i32.const 3) (i32.const 1) (i32.const {at}) (i32.const {len})
                 (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1024)) (i32.const 0) (i32.const 1))
               (drop (call $read (i32.load (i32.const 1024))))
               (drop (call $write (i32.const 1) (i32.const 2048) (i32.load (i32.const 1016))))"#,
            len = p.len()
        ));
        at += 64;
    }
    guest(&format!(
        r#"{data}
        (data (i32.const 8000) "proc/self/fd/")
        (func (export "_start") (local $s i32)
          (local.set $s (call $tcp))
          (call $addr (i32.const 200) (i32.const 80) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
          (call $check (call $sock_bind (local.get $s) (i32.const 200)) (i32.const 0) (i32.const 2))
          (call $check (call $sock_listen (local.get $s) (i32.const 5)) (i32.const 0) (i32.const 3))
          {body}
          ;; fd 4 is the socket: readlink /proc/self/fd/4.
          (i32.store8 (i32.const 8013) (i32.add (i32.const 48) (local.get $s)))
          (call $check (call $path_readlink (i32.const 3) (i32.const 8000) (i32.const 14) (i32.const 8100) (i32.const 64) (i32.const 1012)) (i32.const 0) (i32.const 4))
          (i32.store8 (i32.add (i32.const 8100) (i32.load (i32.const 1012))) (i32.const 10))
          (drop (call $write (i32.const 1) (i32.const 8100) (i32.add (i32.load (i32.const 1012)) (i32.const 1))))
          (call $proc_exit (i32.const 0)))"#
    ))
}

/// A container's `/proc/net` and `/sys/class/net` show its own interfaces, routes and sockets.
#[test]
fn proc_net_and_sys_class_net_show_the_container_s_network() {
    let mut w = World::new();
    let (a, _) = two_containers(&mut w);
    let program = cat_net_files(&["proc/net/if_inet4", "proc/net/tcp", "sys/class/net/eth0/address"]);
    let (pid, out) = start(&mut w, program, a);
    w.settle(20);
    let text = String::from_utf8_lossy(&out.drain()).into_owned();
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(0)), "{text}");
    assert!(text.starts_with("lo 1 127.0.0.1 8\neth0 2 172.18.0.2 16\n"), "{text}");
    assert!(text.contains(": 00000000:0050 00000000:0000 0A "), "{text}");
    assert!(text.contains("02:42:ac:12:00:02\n"), "{text}");
    // The descriptor's link names the socket's inode, the one /proc/net/tcp lists.
    let link = text.lines().last().unwrap_or_default();
    let inode = link.strip_prefix("socket:[").and_then(|l| l.strip_suffix(']')).expect("a socket link");
    assert!(text.contains(&format!(" {inode} 1 0000000000000000")), "{text}");
    assert!(w.k.net().handle(w.k.group_info(a).netns).socket_table(SockKind::Tcp).is_empty(), "closed at exit");
}
