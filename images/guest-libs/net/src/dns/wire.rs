//! The DNS wire format: big-endian fields, names as length-prefixed labels, and name compression
//! (a two-byte pointer `0b11` + offset to a name written earlier in the message).

use super::{Flags, Message, Question, RData, Rcode, Record, RecordType};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a message could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsError {
    /// The message ends in the middle of a field.
    Truncated,
    /// A compression pointer points forward or loops.
    BadPointer,
    /// A label longer than 63 bytes, or a name longer than 255.
    NameTooLong,
    /// An empty label inside a name (`a..b`).
    EmptyLabel,
    /// A label type other than plain or pointer.
    BadLabel,
    /// A record's data does not fit its type or its length.
    BadRdata,
    /// More records or data than the format can count.
    TooLarge,
}

impl fmt::Display for DnsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DnsError::Truncated => "message truncated",
            DnsError::BadPointer => "bad compression pointer",
            DnsError::NameTooLong => "name too long",
            DnsError::EmptyLabel => "empty label",
            DnsError::BadLabel => "bad label type",
            DnsError::BadRdata => "bad record data",
            DnsError::TooLarge => "message too large",
        })
    }
}

impl std::error::Error for DnsError {}

const MAX_NAME: usize = 255;
const MAX_LABEL: usize = 63;

// ---- encoding ----

struct Writer {
    buf: Vec<u8>,
    /// Offsets of names already written, by their presentation form (a few per message: a
    /// list is enough).
    names: Vec<(String, u16)>,
}

impl Writer {
    fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    fn name(&mut self, name: &str, compress: bool) -> Result<(), DnsError> {
        let labels = parse_name(name)?;
        for i in 0..labels.len() {
            // Exact bytes: a pointer must not change the case a reader sees (RFC 4343).
            let key = labels[i..].iter().map(|l| escape_label(l)).collect::<Vec<_>>().join(".");
            if compress {
                if let Some(&(_, off)) = self.names.iter().find(|(k, _)| *k == key) {
                    self.u16(0xC000 | off);
                    return Ok(());
                }
                if let Ok(off) = u16::try_from(self.buf.len()) {
                    if off < 0x4000 {
                        self.names.push((key, off));
                    }
                }
            }
            self.buf.push(labels[i].len() as u8);
            self.buf.extend_from_slice(&labels[i]);
        }
        self.buf.push(0);
        Ok(())
    }

    fn record(&mut self, r: &Record) -> Result<(), DnsError> {
        self.name(&r.name, true)?;
        self.u16(r.rtype.0);
        self.u16(r.class);
        self.u32(r.ttl);
        let len_at = self.buf.len();
        self.u16(0);
        match &r.data {
            RData::A(ip) => self.buf.extend_from_slice(&ip.octets()),
            RData::Aaaa(ip) => self.buf.extend_from_slice(&ip.octets()),
            RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) => self.name(n, true)?,
            RData::Mx { preference, exchange } => {
                self.u16(*preference);
                self.name(exchange, true)?;
            }
            RData::Txt(strings) => {
                for s in strings {
                    let len = u8::try_from(s.len()).map_err(|_| DnsError::BadRdata)?;
                    self.buf.push(len);
                    self.buf.extend_from_slice(s);
                }
            }
            RData::Srv { priority, weight, port, target } => {
                self.u16(*priority);
                self.u16(*weight);
                self.u16(*port);
                // RFC 2782: the target is never compressed.
                self.name(target, false)?;
            }
            RData::Soa { mname, rname, serial, refresh, retry, expire, minimum } => {
                self.name(mname, true)?;
                self.name(rname, true)?;
                for v in [serial, refresh, retry, expire, minimum] {
                    self.u32(*v);
                }
            }
            RData::Other(bytes) => self.buf.extend_from_slice(bytes),
        }
        let len = u16::try_from(self.buf.len() - len_at - 2).map_err(|_| DnsError::TooLarge)?;
        self.buf[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
        Ok(())
    }
}

fn flags_word(f: &Flags) -> u16 {
    let mut w = u16::from(f.rcode.0 & 0x0F) | (u16::from(f.opcode & 0x0F) << 11);
    for (set, bit) in [
        (f.response, 15),
        (f.authoritative, 10),
        (f.truncated, 9),
        (f.recursion_desired, 8),
        (f.recursion_available, 7),
    ] {
        if set {
            w |= 1 << bit;
        }
    }
    w
}

pub fn encode(m: &Message) -> Result<Vec<u8>, DnsError> {
    let mut w = Writer { buf: Vec::with_capacity(512), names: Vec::new() };
    w.u16(m.id);
    w.u16(flags_word(&m.flags));
    for n in [m.questions.len(), m.answers.len(), m.authorities.len(), m.additionals.len()] {
        w.u16(u16::try_from(n).map_err(|_| DnsError::TooLarge)?);
    }
    for q in &m.questions {
        w.name(&q.name, true)?;
        w.u16(q.qtype.0);
        w.u16(q.qclass);
    }
    for r in m.answers.iter().chain(&m.authorities).chain(&m.additionals) {
        w.record(r)?;
    }
    Ok(w.buf)
}

/// A presentation-form name as wire labels: `\.` and `\DDD` escapes are understood; the final
/// dot is optional; the root is `""` or `"."`.
fn parse_name(name: &str) -> Result<Vec<Vec<u8>>, DnsError> {
    let name = if name == "." { "" } else { name };
    let mut labels = Vec::new();
    let mut cur = Vec::new();
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        match b {
            b'.' => {
                if cur.is_empty() {
                    return Err(DnsError::EmptyLabel);
                }
                labels.push(std::mem::take(&mut cur));
            }
            b'\\' if i + 3 <= bytes.len() && bytes[i..i + 3].iter().all(u8::is_ascii_digit) => {
                let v: u32 = bytes[i..i + 3].iter().fold(0, |a, d| a * 10 + u32::from(d - b'0'));
                cur.push(u8::try_from(v).map_err(|_| DnsError::BadLabel)?);
                i += 3;
            }
            b'\\' if i < bytes.len() => {
                cur.push(bytes[i]);
                i += 1;
            }
            _ => cur.push(b),
        }
        if cur.len() > MAX_LABEL {
            return Err(DnsError::NameTooLong);
        }
    }
    if !cur.is_empty() {
        labels.push(cur);
    }
    let wire_len: usize = labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1;
    if wire_len > MAX_NAME {
        return Err(DnsError::NameTooLong);
    }
    Ok(labels)
}

/// One label in presentation form: dots, backslashes and unprintable bytes escaped.
fn escape_label(label: &[u8]) -> String {
    let mut s = String::with_capacity(label.len());
    for &b in label {
        match b {
            b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$' => {
                s.push('\\');
                s.push(char::from(b));
            }
            0x21..=0x7E => s.push(char::from(b)),
            _ => s.push_str(&format!("\\{b:03}")),
        }
    }
    s
}

// ---- decoding ----

struct Reader<'a> {
    msg: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DnsError> {
        let end = self.pos.checked_add(n).ok_or(DnsError::Truncated)?;
        let s = self.msg.get(self.pos..end).ok_or(DnsError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, DnsError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, DnsError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, DnsError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A possibly compressed name at the current position, in presentation form.
    fn name(&mut self) -> Result<String, DnsError> {
        let mut labels: Vec<String> = Vec::new();
        let mut wire_len = 1;
        let mut pos = self.pos;
        // Where reading continues after the name: set at the first pointer.
        let mut resume = None;
        loop {
            let len = *self.msg.get(pos).ok_or(DnsError::Truncated)?;
            match len & 0xC0 {
                0x00 if len == 0 => {
                    pos += 1;
                    break;
                }
                0x00 => {
                    let label = self.msg.get(pos + 1..pos + 1 + usize::from(len)).ok_or(DnsError::Truncated)?;
                    wire_len += label.len() + 1;
                    if wire_len > MAX_NAME {
                        return Err(DnsError::NameTooLong);
                    }
                    labels.push(escape_label(label));
                    pos += 1 + usize::from(len);
                }
                0xC0 => {
                    let lo = *self.msg.get(pos + 1).ok_or(DnsError::Truncated)?;
                    let target = (usize::from(len & 0x3F) << 8) | usize::from(lo);
                    // Only backwards: this is what makes loops impossible.
                    if target >= pos {
                        return Err(DnsError::BadPointer);
                    }
                    resume.get_or_insert(pos + 2);
                    pos = target;
                }
                _ => return Err(DnsError::BadLabel),
            }
        }
        self.pos = resume.unwrap_or(pos);
        Ok(labels.join("."))
    }

    fn question(&mut self) -> Result<Question, DnsError> {
        let name = self.name()?;
        Ok(Question { name, qtype: RecordType(self.u16()?), qclass: self.u16()? })
    }

    fn record(&mut self) -> Result<Record, DnsError> {
        let name = self.name()?;
        let rtype = RecordType(self.u16()?);
        let class = self.u16()?;
        let ttl = self.u32()?;
        let len = usize::from(self.u16()?);
        let end = self.pos.checked_add(len).filter(|&e| e <= self.msg.len()).ok_or(DnsError::Truncated)?;
        let data = self.rdata(rtype, end)?;
        if self.pos != end {
            return Err(DnsError::BadRdata);
        }
        Ok(Record { name, rtype, class, ttl, data })
    }

    fn rdata(&mut self, rtype: RecordType, end: usize) -> Result<RData, DnsError> {
        let len = end - self.pos;
        // Names inside the data must end inside it.
        let within = |r: &Self| if r.pos <= end { Ok(()) } else { Err(DnsError::BadRdata) };
        let data = match rtype {
            RecordType::A if len == 4 => {
                let b = self.take(4)?;
                RData::A(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
            }
            RecordType::AAAA if len == 16 => {
                let mut o = [0u8; 16];
                o.copy_from_slice(self.take(16)?);
                RData::Aaaa(Ipv6Addr::from(o))
            }
            RecordType::A | RecordType::AAAA => return Err(DnsError::BadRdata),
            RecordType::NS | RecordType::CNAME | RecordType::PTR => {
                let n = self.name()?;
                within(self)?;
                match rtype {
                    RecordType::NS => RData::Ns(n),
                    RecordType::CNAME => RData::Cname(n),
                    _ => RData::Ptr(n),
                }
            }
            RecordType::MX => {
                let preference = self.u16()?;
                let exchange = self.name()?;
                within(self)?;
                RData::Mx { preference, exchange }
            }
            RecordType::TXT => {
                let mut strings = Vec::new();
                while self.pos < end {
                    let n = usize::from(self.u8()?);
                    if self.pos + n > end {
                        return Err(DnsError::BadRdata);
                    }
                    strings.push(self.take(n)?.to_vec());
                }
                RData::Txt(strings)
            }
            RecordType::SRV => {
                let (priority, weight, port) = (self.u16()?, self.u16()?, self.u16()?);
                let target = self.name()?;
                within(self)?;
                RData::Srv { priority, weight, port, target }
            }
            RecordType::SOA => {
                let mname = self.name()?;
                let rname = self.name()?;
                let soa = RData::Soa {
                    mname,
                    rname,
                    serial: self.u32()?,
                    refresh: self.u32()?,
                    retry: self.u32()?,
                    expire: self.u32()?,
                    minimum: self.u32()?,
                };
                within(self)?;
                soa
            }
            _ => RData::Other(self.take(len)?.to_vec()),
        };
        Ok(data)
    }
}

/// Reads the name at `at` (for tests of the decoder's limits).
#[cfg(test)]
pub fn read_name_at(msg: &[u8], at: usize) -> Result<String, DnsError> {
    Reader { msg, pos: at }.name()
}

fn flags_from(w: u16) -> Flags {
    let bit = |n: u16| w & (1 << n) != 0;
    Flags {
        response: bit(15),
        opcode: ((w >> 11) & 0x0F) as u8,
        authoritative: bit(10),
        truncated: bit(9),
        recursion_desired: bit(8),
        recursion_available: bit(7),
        rcode: Rcode((w & 0x0F) as u8),
    }
}

pub fn decode(bytes: &[u8]) -> Result<Message, DnsError> {
    let mut r = Reader { msg: bytes, pos: 0 };
    let id = r.u16()?;
    let flags = flags_from(r.u16()?);
    let counts = [r.u16()?, r.u16()?, r.u16()?, r.u16()?];
    // Every entry takes at least 5 bytes: a count the message cannot hold is malformed, and
    // checking first keeps a hostile count from reserving memory.
    let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
    if total.saturating_mul(5) > bytes.len() {
        return Err(DnsError::Truncated);
    }
    let mut m = Message { id, flags, ..Message::default() };
    for _ in 0..counts[0] {
        m.questions.push(r.question()?);
    }
    for (count, list) in [(counts[1], &mut m.answers), (counts[2], &mut m.authorities), (counts[3], &mut m.additionals)]
    {
        for _ in 0..count {
            list.push(r.record()?);
        }
    }
    Ok(m)
}
