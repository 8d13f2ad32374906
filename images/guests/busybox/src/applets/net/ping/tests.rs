use super::*;

/// Answers the requests whose sequence number is in `answered`, after `rtt`; records waits.
struct Fake {
    answered: Vec<u16>,
    rtt: Duration,
    asked: Vec<(u16, Duration)>,
    slept: Vec<Duration>,
    fail: Option<io::ErrorKind>,
}

impl Prober for Fake {
    fn echo(&mut self, dst: Ipv4Addr, seq: u16, size: usize, timeout: Duration) -> io::Result<EchoReply> {
        assert_eq!((dst, size), (Ipv4Addr::new(172, 18, 0, 3), 56));
        self.asked.push((seq, timeout));
        if let Some(kind) = self.fail {
            return Err(io::Error::from(kind));
        }
        if self.answered.contains(&seq) {
            Ok(EchoReply { ttl: 64, rtt: self.rtt })
        } else {
            Err(io::ErrorKind::TimedOut.into())
        }
    }
    fn sleep(&mut self, d: Duration) {
        self.slept.push(d);
    }
}

fn fake(answered: &[u16]) -> Fake {
    Fake { answered: answered.to_vec(), rtt: Duration::from_micros(84), asked: vec![], slept: vec![], fail: None }
}

fn settings(count: Option<u64>) -> Settings {
    Settings {
        host: "web".into(),
        dst: Ipv4Addr::new(172, 18, 0, 3),
        count,
        size: 56,
        interval: Duration::from_secs(1),
        timeout: Duration::from_secs(10),
        deadline: None,
        quiet: false,
        adaptive: false,
    }
}

fn go(s: &Settings, f: &mut Fake) -> (i32, String, String) {
    let stats = Stats::new();
    let mut out = Vec::new();
    let code = run(s, &stats, f, &mut out).unwrap();
    (code, String::from_utf8(out).unwrap(), stats.summary(&s.host))
}

#[test]
fn three_replies_like_busybox() {
    let mut f = fake(&[0, 1, 2]);
    let (code, out, summary) = go(&settings(Some(3)), &mut f);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "64 bytes from 172.18.0.3: seq=0 ttl=64 time=0.084 ms\n\
         64 bytes from 172.18.0.3: seq=1 ttl=64 time=0.084 ms\n\
         64 bytes from 172.18.0.3: seq=2 ttl=64 time=0.084 ms\n"
    );
    assert_eq!(
        summary,
        "\n--- web ping statistics ---\n3 packets transmitted, 3 packets received, 0% packet loss\n\
         round-trip min/avg/max = 0.084/0.084/0.084 ms\n"
    );
    // One second between requests, none after the last.
    assert_eq!(f.slept.len(), 2);
    assert!(f.slept.iter().all(|d| *d <= Duration::from_secs(1) && *d > Duration::from_millis(900)));
    // The last request waits about two round trips, at least a second, since replies came.
    assert_eq!(f.asked[2].1, Duration::from_secs(1));
}

#[test]
fn an_unreachable_host_loses_everything_and_fails() {
    let mut f = fake(&[]);
    let (code, out, summary) = go(&settings(Some(2)), &mut f);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(summary, "\n--- web ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n");
    // -W (10 s by default) for the last request, as nothing came back.
    assert_eq!(f.asked[1].1, Duration::from_secs(10));
}

#[test]
fn partial_loss_quiet_and_adaptive() {
    let mut f = fake(&[1]);
    let mut s = settings(Some(4));
    s.quiet = true;
    let (code, out, summary) = go(&s, &mut f);
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(summary.contains("4 packets transmitted, 1 packets received, 75% packet loss\n"));
    let mut f = fake(&[0, 1, 2]);
    s.adaptive = true;
    go(&s, &mut f);
    assert_eq!(f.slept.len(), 0, "-A sends again as soon as a reply arrives");
}

#[test]
fn a_deadline_ends_an_endless_run() {
    let mut f = fake(&[]);
    let mut s = settings(None);
    s.interval = Duration::from_millis(1);
    s.deadline = Some(Duration::from_millis(30));
    // The fake does not really sleep: the run ends on the clock anyway.
    let stats = Stats::new();
    let code = run(&s, &stats, &mut f, &mut Vec::new()).unwrap();
    assert_eq!(code, 1);
    assert!(stats.transmitted.load(Relaxed) >= 1);
}

#[test]
fn no_route_stops_the_run() {
    let mut f = fake(&[]);
    f.fail = Some(io::ErrorKind::NetworkUnreachable);
    let stats = Stats::new();
    let e = run(&settings(Some(3)), &stats, &mut f, &mut Vec::new()).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::NetworkUnreachable);
}
