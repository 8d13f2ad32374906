//! The embedded DNS server: what Docker answers at 127.0.0.11 inside a container on a
//! user-defined network. It knows the names of the containers (and their aliases) on the
//! container's networks ([`DnsTable`]); each query is a real DNS message (RFC 1035 wire format,
//! decoded and encoded with hickory-proto) and gets a real answer:
//!
//! - `A` for a known name: its addresses (TTL 600 as Docker's), rotated one step per query
//!   (round-robin between the containers behind one alias);
//! - `PTR` for one of those addresses (`2.0.18.172.in-addr.arpa`): the first name that has it;
//! - any other type for a known name (`AAAA`, `MX`...): no record, `NOERROR`;
//! - an unknown name: `NXDOMAIN`, as a resolver says of a name that does not exist (`nslookup`,
//!   `curl`: "can't find", "Could not resolve host"). Docker forwards the names its network does
//!   not know to the host's resolvers: the switch does the same by adding the playground
//!   internet's names to the table it asks about (see `udp`).
//!
//! Names match without case and with or without the final dot. [`answer`] is a pure function
//! of the bytes received (the fuzz target `dns` feeds it anything).

use super::DnsTable;
use hickory_proto::op::{Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::rdata::{A, PTR};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use std::net::Ipv4Addr;

/// The TTL of the answers (Docker's embedded DNS uses 600 s).
pub const TTL: u32 = 600;

/// A name as the table keys it: lower case, without the final dot.
pub fn table_key(name: &Name) -> String {
    let ascii = name.to_lowercase().to_ascii();
    ascii.strip_suffix('.').unwrap_or(&ascii).to_string()
}

/// The address a reverse name (`d.c.b.a.in-addr.arpa`) stands for.
fn reverse_address(key: &str) -> Option<Ipv4Addr> {
    let rest = key.strip_suffix(".in-addr.arpa")?;
    let parts: Vec<u8> = rest.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [d, c, b, a] = parts[..] else { return None };
    Some(Ipv4Addr::new(a, b, c, d))
}

/// The reply to `query` (one DNS message), or `None` for what gets no reply at all (not a DNS
/// query). `turn(name)` gives how many times `name` was asked before (for round-robin).
pub fn answer(query: &[u8], table: &DnsTable, turn: &mut dyn FnMut(&str) -> usize) -> Option<Vec<u8>> {
    let request = match Message::from_vec(query) {
        Ok(m) => m,
        // A header we can read, the rest not: a format error, as a server says.
        Err(_) if query.len() >= 12 && query[2] & 0x80 == 0 => {
            let id = u16::from_be_bytes([query[0], query[1]]);
            return Message::error_msg(id, OpCode::Query, ResponseCode::FormErr).to_vec().ok();
        }
        Err(_) => return None,
    };
    if request.message_type() != MessageType::Query {
        return None;
    }
    let mut reply = Message::new();
    reply
        .set_id(request.id())
        .set_message_type(MessageType::Response)
        .set_op_code(request.op_code())
        .set_recursion_desired(request.recursion_desired())
        .set_recursion_available(true);
    if request.op_code() != OpCode::Query {
        reply.set_response_code(ResponseCode::NotImp);
        return reply.to_vec().ok();
    }
    let Some(question) = request.queries().first() else {
        reply.set_response_code(ResponseCode::FormErr);
        return reply.to_vec().ok();
    };
    reply.add_query(question.clone());
    let key = table_key(question.name());
    let qtype = question.query_type();
    if let Some(addr) = reverse_address(&key) {
        let owner = table.records.iter().find(|(_, addrs)| addrs.contains(&addr)).map(|(n, _)| n);
        match owner.and_then(|n| Name::from_ascii(format!("{n}.")).ok()) {
            Some(target) if matches!(qtype, RecordType::PTR | RecordType::ANY) => {
                reply.add_answer(Record::from_rdata(question.name().clone(), TTL, RData::PTR(PTR(target))));
            }
            Some(_) => {}
            None => {
                reply.set_response_code(ResponseCode::NXDomain);
            }
        }
        return reply.to_vec().ok();
    }
    let Some(addrs) = table.records.get(&key) else {
        reply.set_response_code(ResponseCode::NXDomain);
        return reply.to_vec().ok();
    };
    if matches!(qtype, RecordType::A | RecordType::ANY) && !addrs.is_empty() {
        let start = turn(&key) % addrs.len();
        for addr in addrs.iter().cycle().skip(start).take(addrs.len()) {
            reply.add_answer(Record::from_rdata(question.name().clone(), TTL, RData::A(A(*addr))));
        }
    }
    reply.to_vec().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::Query;
    use std::collections::BTreeMap;

    fn table() -> DnsTable {
        let mut records = BTreeMap::new();
        records.insert("web".to_string(), vec![Ipv4Addr::new(172, 18, 0, 2)]);
        records.insert("api".to_string(), vec![Ipv4Addr::new(172, 18, 0, 3), Ipv4Addr::new(172, 18, 0, 4)]);
        DnsTable { records }
    }

    fn ask(name: &str, qtype: RecordType, turns: &mut usize) -> Message {
        let mut q = Message::new();
        q.set_id(0x1234).set_recursion_desired(true);
        q.add_query(Query::query(Name::from_ascii(name).unwrap(), qtype));
        let mut turn = |_: &str| {
            *turns += 1;
            *turns - 1
        };
        let bytes = answer(&q.to_vec().unwrap(), &table(), &mut turn).expect("a reply");
        Message::from_vec(&bytes).expect("a valid reply")
    }

    fn addresses(m: &Message) -> Vec<Ipv4Addr> {
        m.answers()
            .iter()
            .filter_map(|r| match r.data() {
                RData::A(a) => Some(a.0),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn known_names_get_their_addresses_with_or_without_the_dot_in_any_case() {
        let mut t = 0;
        for name in ["web", "web.", "WEB"] {
            let m = ask(name, RecordType::A, &mut t);
            assert_eq!(m.id(), 0x1234);
            assert_eq!(m.message_type(), MessageType::Response);
            assert_eq!(m.response_code(), ResponseCode::NoError);
            assert!(m.recursion_available() && m.recursion_desired());
            assert_eq!(addresses(&m), vec![Ipv4Addr::new(172, 18, 0, 2)], "{name}");
            assert_eq!(m.answers()[0].ttl(), TTL);
            assert_eq!(m.queries().len(), 1);
        }
    }

    #[test]
    fn several_addresses_rotate_between_queries() {
        let mut t = 0;
        let first = addresses(&ask("api", RecordType::A, &mut t));
        let second = addresses(&ask("api", RecordType::A, &mut t));
        assert_eq!(first.len(), 2);
        assert_eq!(first, second.iter().rev().copied().collect::<Vec<_>>());
    }

    #[test]
    fn unknown_names_are_nxdomain_and_other_types_are_empty() {
        let mut t = 0;
        let m = ask("google.com", RecordType::A, &mut t);
        assert_eq!(m.response_code(), ResponseCode::NXDomain);
        assert!(m.answers().is_empty());
        let m = ask("web", RecordType::AAAA, &mut t);
        assert_eq!(m.response_code(), ResponseCode::NoError);
        assert!(m.answers().is_empty());
    }

    #[test]
    fn reverse_lookups_name_the_owner() {
        let mut t = 0;
        let m = ask("3.0.18.172.in-addr.arpa.", RecordType::PTR, &mut t);
        assert_eq!(m.response_code(), ResponseCode::NoError);
        assert!(matches!(m.answers()[0].data(), RData::PTR(p) if p.0.to_ascii() == "api."));
        let m = ask("9.9.9.9.in-addr.arpa.", RecordType::PTR, &mut t);
        assert_eq!(m.response_code(), ResponseCode::NXDomain);
    }

    #[test]
    fn garbage_gets_no_reply_or_a_format_error() {
        let mut turn = |_: &str| 0;
        assert_eq!(answer(b"", &table(), &mut turn), None);
        assert_eq!(answer(&[0xff; 5], &table(), &mut turn), None);
        let bad = [0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xff];
        let reply = Message::from_vec(&answer(&bad, &table(), &mut turn).expect("FORMERR")).unwrap();
        assert_eq!((reply.id(), reply.response_code()), (0xabcd, ResponseCode::FormErr));
    }
}
