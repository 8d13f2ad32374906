//! The embedded DNS server (what containers ask at 127.0.0.11): any bytes as a query, over UDP
//! (one message) or over TCP (a stream of length-prefixed messages, cut anywhere). It must never
//! panic, and every reply must be a well-formed DNS response to the query's id.

#![no_main]

use engine::network::stack::dns::answer;
use engine::network::stack::{DnsTable, NetStack, SockKind};
use hickory_proto::op::{Message, MessageType};
use libfuzzer_sys::fuzz_target;
use std::net::{Ipv4Addr, SocketAddrV4};

fn table() -> DnsTable {
    let mut t = DnsTable::default();
    t.records.insert("web".into(), vec![Ipv4Addr::new(172, 18, 0, 2)]);
    t.records.insert("api".into(), vec![Ipv4Addr::new(172, 18, 0, 3), Ipv4Addr::new(172, 18, 0, 4)]);
    t.records.insert("db.lab".into(), vec![]);
    t
}

fn check(query: &[u8], reply: &[u8]) {
    let m = Message::from_vec(reply).expect("a reply that parses");
    assert_eq!(m.message_type(), MessageType::Response);
    assert_eq!(m.id(), u16::from_be_bytes([query[0], query[1]]));
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, data)) = data.split_first() else { return };
    if mode & 1 == 0 {
        let mut n = 0usize;
        let mut turn = |_: &str| {
            n += 1;
            n
        };
        if let Some(reply) = answer(data, &table(), &mut turn) {
            check(data, &reply);
        }
        return;
    }
    // Over TCP, in pieces of `mode / 2` bytes.
    let mut stack = NetStack::new();
    let ns = stack.create_netns();
    stack.set_dns(ns, Some(table())).unwrap();
    let net = stack.handle(ns);
    let s = net.open(SockKind::Tcp);
    net.connect(s.sock(), SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 11), 53), 0).unwrap();
    let piece = usize::from(mode / 2).max(1);
    for chunk in data.chunks(piece) {
        let _ = net.send(s.sock(), chunk);
    }
    let _ = net.shutdown(s.sock(), false, true);
    let mut replies = Vec::new();
    while let Ok(bytes) = net.recv(s.sock(), 65536, false) {
        if bytes.is_empty() {
            break;
        }
        replies.extend(bytes);
    }
    let mut at = 0;
    while at + 2 <= replies.len() {
        let len = usize::from(u16::from_be_bytes([replies[at], replies[at + 1]]));
        let msg = &replies[at + 2..at + 2 + len];
        assert!(Message::from_vec(msg).is_ok(), "a framed reply that parses");
        at += 2 + len;
    }
    assert_eq!(at, replies.len(), "whole frames only");
});
