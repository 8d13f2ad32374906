//! DNS messages (RFC 1035): what a resolver sends to a name server over UDP port 53 and what it
//! gets back. A message is a header (id, flags, response code), the questions, then three lists
//! of resource records: answers, authority (e.g. the zone's SOA when a name does not exist) and
//! additional records. The C library's resolver ([`crate::resolve`]), `nslookup` and `dig`
//! build queries and read replies with these types; [`wire`] turns them into bytes and back.
//!
//! Written by hand rather than with hickory-proto: the whole wire format is a few hundred lines,
//! while hickory-proto (even without default features) adds about 500 KB to a wasm guest, and
//! the userland binary is fetched by the page at boot.

mod wire;

pub use wire::DnsError;

use std::net::{Ipv4Addr, Ipv6Addr};

/// The class of almost every record: Internet.
pub const CLASS_IN: u16 = 1;

/// A record type (`A`, `AAAA`, `CNAME`...), by its number on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordType(pub u16);

impl RecordType {
    pub const A: Self = Self(1);
    pub const NS: Self = Self(2);
    pub const CNAME: Self = Self(5);
    pub const SOA: Self = Self(6);
    pub const PTR: Self = Self(12);
    pub const MX: Self = Self(15);
    pub const TXT: Self = Self(16);
    pub const AAAA: Self = Self(28);
    pub const SRV: Self = Self(33);
    pub const ANY: Self = Self(255);

    const NAMES: [(Self, &'static str); 10] = [
        (Self::A, "A"),
        (Self::NS, "NS"),
        (Self::CNAME, "CNAME"),
        (Self::SOA, "SOA"),
        (Self::PTR, "PTR"),
        (Self::MX, "MX"),
        (Self::TXT, "TXT"),
        (Self::AAAA, "AAAA"),
        (Self::SRV, "SRV"),
        (Self::ANY, "ANY"),
    ];

    /// The type named `name` (case-insensitive), or `TYPEnnn` (RFC 3597).
    pub fn from_name(name: &str) -> Option<Self> {
        let upper = name.to_ascii_uppercase();
        if let Some((t, _)) = Self::NAMES.iter().find(|(_, n)| *n == upper) {
            return Some(*t);
        }
        upper.strip_prefix("TYPE").and_then(|n| n.parse().ok()).map(Self)
    }

    /// The mnemonic (`A`), or `TYPEnnn` for types without one.
    pub fn name(self) -> String {
        match Self::NAMES.iter().find(|(t, _)| *t == self) {
            Some((_, n)) => (*n).to_string(),
            None => format!("TYPE{}", self.0),
        }
    }
}

/// The response code of a reply (the low four bits of the header's flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rcode(pub u8);

impl Rcode {
    pub const NOERROR: Self = Self(0);
    pub const FORMERR: Self = Self(1);
    pub const SERVFAIL: Self = Self(2);
    pub const NXDOMAIN: Self = Self(3);
    pub const NOTIMP: Self = Self(4);
    pub const REFUSED: Self = Self(5);

    /// `NOERROR`, `NXDOMAIN`... as `dig` and `nslookup` print them.
    pub fn name(self) -> String {
        const NAMES: [&str; 11] = [
            "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
            "NOTAUTH", "NOTZONE",
        ];
        NAMES.get(usize::from(self.0)).map_or_else(|| self.0.to_string(), |n| (*n).to_string())
    }
}

/// The header's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    /// QR: this message is a reply.
    pub response: bool,
    /// 0 for a standard query.
    pub opcode: u8,
    /// AA: the server owns the zone (Docker's embedded DNS does not set it).
    pub authoritative: bool,
    /// TC: the reply did not fit in a UDP datagram.
    pub truncated: bool,
    /// RD: the client asks the server to recurse.
    pub recursion_desired: bool,
    /// RA: the server does.
    pub recursion_available: bool,
    pub rcode: Rcode,
}

/// One question: a name and the type of record wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Presentation form without the final dot (`web`, `1.0.17.172.in-addr.arpa`).
    pub name: String,
    pub qtype: RecordType,
    pub qclass: u16,
}

/// The data of a record, decoded for the types the tools print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Ns(String),
    Cname(String),
    Ptr(String),
    Mx {
        preference: u16,
        exchange: String,
    },
    Txt(Vec<Vec<u8>>),
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: String,
    },
    Soa {
        mname: String,
        rname: String,
        serial: u32,
        refresh: u32,
        retry: u32,
        expire: u32,
        minimum: u32,
    },
    /// Any other type, kept as raw bytes.
    Other(Vec<u8>),
}

/// One resource record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub rtype: RecordType,
    pub class: u16,
    pub ttl: u32,
    pub data: RData,
}

impl Record {
    /// A record of class IN whose type follows from its data.
    pub fn new(name: &str, ttl: u32, data: RData) -> Self {
        let rtype = match &data {
            RData::A(_) => RecordType::A,
            RData::Aaaa(_) => RecordType::AAAA,
            RData::Ns(_) => RecordType::NS,
            RData::Cname(_) => RecordType::CNAME,
            RData::Ptr(_) => RecordType::PTR,
            RData::Mx { .. } => RecordType::MX,
            RData::Txt(_) => RecordType::TXT,
            RData::Srv { .. } => RecordType::SRV,
            RData::Soa { .. } => RecordType::SOA,
            RData::Other(_) => RecordType(0),
        };
        Self { name: name.to_string(), rtype, class: CLASS_IN, ttl, data }
    }
}

/// A whole message, query or reply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    pub id: u16,
    pub flags: Flags,
    pub questions: Vec<Question>,
    pub answers: Vec<Record>,
    pub authorities: Vec<Record>,
    pub additionals: Vec<Record>,
}

impl Message {
    /// A standard recursive query for one name and type, as resolvers send.
    pub fn query(id: u16, name: &str, qtype: RecordType) -> Self {
        Self {
            id,
            flags: Flags { recursion_desired: true, ..Flags::default() },
            questions: vec![Question { name: trim_dot(name).to_string(), qtype, qclass: CLASS_IN }],
            ..Self::default()
        }
    }

    /// The reply skeleton to `query`: same id and question, recursion flags copied.
    pub fn reply_to(query: &Message, rcode: Rcode) -> Self {
        Self {
            id: query.id,
            flags: Flags {
                response: true,
                recursion_desired: query.flags.recursion_desired,
                recursion_available: true,
                rcode,
                ..Flags::default()
            },
            questions: query.questions.clone(),
            ..Self::default()
        }
    }

    /// The bytes on the wire (names are compressed).
    pub fn encode(&self) -> Result<Vec<u8>, DnsError> {
        wire::encode(self)
    }

    /// Reads a message; fails on anything malformed, never panics.
    pub fn decode(bytes: &[u8]) -> Result<Self, DnsError> {
        wire::decode(bytes)
    }
}

/// `name` without its final dot (the root stays empty).
pub fn trim_dot(name: &str) -> &str {
    name.strip_suffix('.').unwrap_or(name)
}

/// The reverse-lookup name of an IPv4 address: `2.0.17.172.in-addr.arpa`.
pub fn reverse_name(ip: Ipv4Addr) -> String {
    let o = ip.octets();
    format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
}

#[cfg(test)]
mod tests;
