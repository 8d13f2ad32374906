//! dig's presentation of a reply: the header and flags, then each section with records in
//! master-file form (`web.  600  IN  A  172.18.0.2`, tab stops at columns 24, 32, 40, 48).

use guest_net::dns::{Message, RData, Record, RecordType, CLASS_IN};
use std::fmt::Write as _;

/// A name as dig shows it: absolute, with its final dot.
pub fn absolute(name: &str) -> String {
    if name.is_empty() || name == "." {
        ".".to_string()
    } else {
        format!("{}.", name.trim_end_matches('.'))
    }
}

fn class_name(class: u16) -> String {
    match class {
        CLASS_IN => "IN".to_string(),
        3 => "CH".to_string(),
        4 => "HS".to_string(),
        c => format!("CLASS{c}"),
    }
}

/// Pads `s` with tabs up to `column` (a space when already past it), as BIND's `indent`.
fn pad_to(s: &mut String, column: usize) {
    let width = s.chars().fold(0, |col, c| if c == '\t' { (col / 8 + 1) * 8 } else { col + 1 });
    if width >= column {
        s.push(' ');
        return;
    }
    let mut at = width;
    while at < column {
        s.push('\t');
        at = (at / 8 + 1) * 8;
    }
}

/// A record's data in master-file form.
pub fn rdata(r: &Record) -> String {
    match &r.data {
        RData::A(ip) => ip.to_string(),
        RData::Aaaa(ip) => ip.to_string(),
        RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) => absolute(n),
        RData::Mx { preference, exchange } => format!("{preference} {}", absolute(exchange)),
        RData::Txt(strings) => strings
            .iter()
            .map(|s| {
                let mut q = String::from("\"");
                for &b in s {
                    match b {
                        b'"' | b'\\' => {
                            q.push('\\');
                            q.push(char::from(b));
                        }
                        0x20..=0x7E => q.push(char::from(b)),
                        _ => {
                            let _ = write!(q, "\\{b:03}");
                        }
                    }
                }
                q.push('"');
                q
            })
            .collect::<Vec<_>>()
            .join(" "),
        RData::Srv { priority, weight, port, target } => format!("{priority} {weight} {port} {}", absolute(target)),
        RData::Soa { mname, rname, serial, refresh, retry, expire, minimum } => {
            format!("{} {} {serial} {refresh} {retry} {expire} {minimum}", absolute(mname), absolute(rname))
        }
        RData::Other(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
            format!("\\# {} {hex}", bytes.len())
        }
    }
}

/// One record line.
pub fn record_line(r: &Record) -> String {
    let mut s = absolute(&r.name);
    pad_to(&mut s, 24);
    let _ = write!(s, "{}", r.ttl);
    pad_to(&mut s, 32);
    s.push_str(&class_name(r.class));
    pad_to(&mut s, 40);
    s.push_str(&r.rtype.name());
    pad_to(&mut s, 48);
    s.push_str(&rdata(r));
    s
}

/// Which parts of the reply to print (`+[no]question`, `+[no]answer`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Show {
    pub comments: bool,
    pub question: bool,
    pub answer: bool,
    pub authority: bool,
    pub additional: bool,
    pub stats: bool,
    pub cmd: bool,
    pub short: bool,
}

impl Default for Show {
    fn default() -> Self {
        Self {
            comments: true,
            question: true,
            answer: true,
            authority: true,
            additional: true,
            stats: true,
            cmd: true,
            short: false,
        }
    }
}

/// The reply as dig prints it (without the banner and the statistics).
pub fn reply(m: &Message, show: Show) -> String {
    if show.short {
        return m.answers.iter().map(|r| rdata(r) + "\n").collect();
    }
    let mut s = String::new();
    let opt = m.additionals.iter().find(|r| r.rtype == RecordType(41));
    if show.comments {
        s.push_str(";; Got answer:\n");
        let opcode = if m.flags.opcode == 0 { "QUERY".to_string() } else { m.flags.opcode.to_string() };
        let _ = writeln!(s, ";; ->>HEADER<<- opcode: {opcode}, status: {}, id: {}", m.flags.rcode.name(), m.id);
        let f = &m.flags;
        let flags: Vec<&str> = [
            (f.response, "qr"),
            (f.authoritative, "aa"),
            (f.truncated, "tc"),
            (f.recursion_desired, "rd"),
            (f.recursion_available, "ra"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect();
        let _ = writeln!(
            s,
            ";; flags: {}; QUERY: {}, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}",
            flags.join(" "),
            m.questions.len(),
            m.answers.len(),
            m.authorities.len(),
            m.additionals.len()
        );
        if f.recursion_desired && !f.recursion_available {
            s.push_str(";; WARNING: recursion requested but not available\n");
        }
        s.push('\n');
        if let Some(o) = opt {
            let _ = write!(s, ";; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: {}\n", o.class);
        }
    }
    if show.question && !m.questions.is_empty() {
        if show.comments {
            s.push_str(";; QUESTION SECTION:\n");
        }
        for q in &m.questions {
            let mut line = format!(";{}", absolute(&q.name));
            pad_to(&mut line, 32);
            line.push_str(&class_name(q.qclass));
            pad_to(&mut line, 40);
            line.push_str(&q.qtype.name());
            s.push_str(&line);
            s.push('\n');
        }
        s.push('\n');
    }
    let additionals: Vec<Record> = m.additionals.iter().filter(|r| r.rtype != RecordType(41)).cloned().collect();
    for (on, title, records) in [
        (show.answer, "ANSWER", &m.answers),
        (show.authority, "AUTHORITY", &m.authorities),
        (show.additional, "ADDITIONAL", &additionals),
    ] {
        if on && !records.is_empty() {
            if show.comments {
                let _ = writeln!(s, ";; {title} SECTION:");
            }
            for r in records.iter() {
                s.push_str(&record_line(r));
                s.push('\n');
            }
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use guest_net::dns::{Rcode, RecordType};
    use std::net::Ipv4Addr;

    #[test]
    fn an_answer_like_dig() {
        let q = Message::query(51186, "web", RecordType::A);
        let mut r = Message::reply_to(&q, Rcode::NOERROR);
        r.answers.push(Record::new("web", 600, RData::A(Ipv4Addr::new(172, 18, 0, 2))));
        assert_eq!(
            reply(&r, Show::default()),
            ";; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 51186\n\
             ;; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n\n\
             ;; QUESTION SECTION:\n;web.\t\t\t\tIN\tA\n\n\
             ;; ANSWER SECTION:\nweb.\t\t\t600\tIN\tA\t172.18.0.2\n\n"
        );
        assert_eq!(reply(&r, Show { short: true, ..Show::default() }), "172.18.0.2\n");
    }

    #[test]
    fn records_in_master_form() {
        let long = Record::new("a-rather-long-name.example.com", 300, RData::Cname("web".into()));
        assert_eq!(record_line(&long), "a-rather-long-name.example.com. 300 IN\tCNAME\tweb.");
        let mx = Record::new("example.com", 60, RData::Mx { preference: 10, exchange: "mail.example.com".into() });
        assert_eq!(record_line(&mx), "example.com.\t\t60\tIN\tMX\t10 mail.example.com.");
        let txt = Record::new("t", 1, RData::Txt(vec![b"a \"b\"".to_vec(), b"c".to_vec()]));
        assert_eq!(rdata(&txt), "\"a \\\"b\\\"\" \"c\"");
        assert_eq!(absolute(""), ".");
    }
}
