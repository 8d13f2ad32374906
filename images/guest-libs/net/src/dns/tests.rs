use super::*;

#[test]
fn a_query_has_the_bytes_every_resolver_sends() {
    let q = Message::query(0x1234, "web", RecordType::A).encode().unwrap();
    let expected: &[u8] = &[
        0x12, 0x34, // id
        0x01, 0x00, // RD
        0, 1, 0, 0, 0, 0, 0, 0, // one question
        3, b'w', b'e', b'b', 0, // name
        0, 1, 0, 1, // A, IN
    ];
    assert_eq!(q, expected);
    // The final dot makes no difference.
    assert_eq!(Message::query(0x1234, "web.", RecordType::A).encode().unwrap(), expected);
}

fn sample_reply() -> Message {
    let query = Message::query(7, "www.example.com", RecordType::A);
    let mut r = Message::reply_to(&query, Rcode::NOERROR);
    r.answers.push(Record::new("www.example.com", 600, RData::Cname("web.example.com".into())));
    r.answers.push(Record::new("web.example.com", 600, RData::A(Ipv4Addr::new(172, 18, 0, 2))));
    r.answers.push(Record::new("web.example.com", 600, RData::Aaaa("fd00::2".parse().unwrap())));
    r.authorities.push(Record::new(
        "example.com",
        3600,
        RData::Soa {
            mname: "ns.example.com".into(),
            rname: "admin.example.com".into(),
            serial: 2024010101,
            refresh: 7200,
            retry: 900,
            expire: 1209600,
            minimum: 86400,
        },
    ));
    r.additionals.push(Record::new(
        "example.com",
        60,
        RData::Mx { preference: 10, exchange: "mail.example.com".into() },
    ));
    r.additionals.push(Record::new("example.com", 60, RData::Txt(vec![b"v=spf1 -all".to_vec(), b"".to_vec()])));
    r.additionals.push(Record::new(
        "_http._tcp.example.com",
        60,
        RData::Srv { priority: 1, weight: 2, port: 80, target: "web.example.com".into() },
    ));
    r.additionals.push(Record::new("2.0.18.172.in-addr.arpa", 60, RData::Ptr("web.mynet".into())));
    r.additionals.push(Record::new("example.com", 60, RData::Ns("ns.example.com".into())));
    let mut other = Record::new("example.com", 60, RData::Other(vec![1, 2, 3]));
    other.rtype = RecordType(99);
    r.additionals.push(other);
    r
}

#[test]
fn every_record_type_survives_a_round_trip() {
    let r = sample_reply();
    let bytes = r.encode().unwrap();
    assert_eq!(Message::decode(&bytes).unwrap(), r);
}

#[test]
fn names_are_compressed_and_pointers_followed() {
    let r = sample_reply();
    let bytes = r.encode().unwrap();
    // "example.com" is spelled out once, plus once in the SRV target (never compressed, RFC
    // 2782); every other occurrence is a pointer.
    let spelled = bytes.windows(8).filter(|w| w == b"\x07example").count();
    assert_eq!(spelled, 2);
    // Names differing in case are not merged: each reader sees the case it was sent.
    let mut m = Message::query(1, "Web.Example", RecordType::A);
    m.answers.push(Record::new("web.example", 1, RData::A(Ipv4Addr::LOCALHOST)));
    m.answers.push(Record::new("web.example", 1, RData::A(Ipv4Addr::LOCALHOST)));
    let bytes = m.encode().unwrap();
    // Question (13 + 4), first answer spelled out (13 + 14), second one a pointer (2 + 14).
    assert_eq!(bytes.len(), 12 + 17 + 27 + 16);
    let d = Message::decode(&bytes).unwrap();
    assert_eq!((d.questions[0].name.as_str(), d.answers[1].name.as_str()), ("Web.Example", "web.example"));
}

#[test]
fn flags_and_rcodes() {
    let q = Message::query(9, "x", RecordType::A);
    let mut r = Message::reply_to(&q, Rcode::NXDOMAIN);
    r.flags.authoritative = true;
    r.flags.truncated = true;
    let d = Message::decode(&r.encode().unwrap()).unwrap();
    assert!(d.flags.response && d.flags.authoritative && d.flags.truncated);
    assert!(d.flags.recursion_desired && d.flags.recursion_available);
    assert_eq!(d.flags.rcode, Rcode::NXDOMAIN);
    assert_eq!(d.flags.rcode.name(), "NXDOMAIN");
    assert_eq!(Rcode(13).name(), "13");
}

#[test]
fn type_names() {
    assert_eq!(RecordType::from_name("aaaa"), Some(RecordType::AAAA));
    assert_eq!(RecordType::from_name("TYPE65"), Some(RecordType(65)));
    assert_eq!(RecordType::from_name("bogus"), None);
    assert_eq!(RecordType::MX.name(), "MX");
    assert_eq!(RecordType(65).name(), "TYPE65");
}

#[test]
fn labels_with_dots_and_odd_bytes_are_escaped() {
    let mut m = Message::query(1, "a\\.b.c", RecordType::A);
    m.answers.push(Record::new("sp\\032ace.x", 1, RData::A(Ipv4Addr::LOCALHOST)));
    let bytes = m.encode().unwrap();
    assert_eq!(&bytes[12..19], b"\x03a.b\x01c\x00");
    let d = Message::decode(&bytes).unwrap();
    assert_eq!(d.questions[0].name, "a\\.b.c");
    assert_eq!(d.answers[0].name, "sp\\032ace.x");
    assert_eq!(reverse_name(Ipv4Addr::new(172, 17, 0, 2)), "2.0.17.172.in-addr.arpa");
}

#[test]
fn bad_names_are_refused_when_encoding() {
    let long = "a".repeat(64);
    assert_eq!(Message::query(1, &long, RecordType::A).encode(), Err(DnsError::NameTooLong));
    let total = vec!["abcdefghi"; 26].join(".");
    assert_eq!(Message::query(1, &total, RecordType::A).encode(), Err(DnsError::NameTooLong));
    assert_eq!(Message::query(1, "a..b", RecordType::A).encode(), Err(DnsError::EmptyLabel));
    // The root is fine.
    assert!(Message::query(1, ".", RecordType::NS).encode().is_ok());
}

#[test]
fn malformed_messages_are_errors_not_panics() {
    let good = sample_reply().encode().unwrap();
    // Every truncation fails cleanly.
    for n in 0..good.len() {
        assert!(Message::decode(&good[..n]).is_err(), "prefix of {n} bytes");
    }
    let header = |qd: u8| vec![0, 1, 0x81, 0x80, 0, qd, 0, 0, 0, 0, 0, 0];
    // A pointer to itself, and one pointing forward.
    let mut looped = header(1);
    looped.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1]);
    assert_eq!(Message::decode(&looped), Err(DnsError::BadPointer));
    let mut forward = header(1);
    forward.extend_from_slice(&[0xC0, 40, 0, 1, 0, 1]);
    assert_eq!(Message::decode(&forward), Err(DnsError::BadPointer));
    // Reserved label types.
    let mut reserved = header(1);
    reserved.extend_from_slice(&[0x40, 0, 0, 1, 0, 1]);
    assert_eq!(Message::decode(&reserved), Err(DnsError::BadLabel));
    // Counts the message cannot hold.
    let mut counts = header(0);
    counts[6] = 0xFF;
    assert_eq!(Message::decode(&counts), Err(DnsError::Truncated));
    // An A record with 3 bytes of data.
    let mut short_a = header(0);
    short_a[7] = 1;
    short_a.extend_from_slice(&[0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3]);
    assert_eq!(Message::decode(&short_a), Err(DnsError::BadRdata));
    // A CNAME whose name runs past its data length.
    let mut long_cname = header(0);
    long_cname[7] = 1;
    long_cname.extend_from_slice(&[0, 0, 5, 0, 1, 0, 0, 0, 1, 0, 1, 1, b'x', 0]);
    assert_eq!(Message::decode(&long_cname), Err(DnsError::BadRdata));
}

#[test]
fn a_name_longer_than_255_bytes_through_pointers_is_refused() {
    // Five names of one 63-byte label each, every one followed by a pointer to the one before:
    // the last spells 5 * 64 + 1 = 321 bytes.
    let mut msg = vec![0u8; 12];
    let mut starts = Vec::new();
    for i in 0..5 {
        starts.push(msg.len());
        msg.push(63);
        msg.extend(std::iter::repeat_n(b'a', 63));
        match i {
            0 => msg.push(0),
            _ => msg.extend_from_slice(&[0xC0, starts[i - 1] as u8]),
        }
    }
    assert_eq!(wire::read_name_at(&msg, starts[0]).map(|n| n.len()), Ok(63));
    assert_eq!(wire::read_name_at(&msg, starts[2]).map(|n| n.len()), Ok(3 * 64 - 1));
    assert_eq!(wire::read_name_at(&msg, starts[4]), Err(DnsError::NameTooLong));
}
