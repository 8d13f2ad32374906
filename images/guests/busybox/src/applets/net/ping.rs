//! `ping [OPTIONS] HOST`: sends ICMP echo requests and reports each reply, then the statistics
//! (also on Ctrl-C). WASIX has no raw sockets: each echo goes through the engine's
//! `playground_v1.icmp_echo`, which answers with the reply's TTL and round-trip time, or times
//! out when the address is not reachable from this container's networks.

use crate::applets::usage_error;
use crate::sys;
use crate::util::{err, errstr, opts};
use guest_net::icmp::{self, EchoReply};
use guest_net::Ipv4Addr;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What one run counts, readable from the Ctrl-C handler (hence atomics).
#[derive(Debug, Default)]
pub struct Stats {
    transmitted: AtomicU64,
    received: AtomicU64,
    /// Round-trip times in microseconds.
    tmin: AtomicU64,
    tmax: AtomicU64,
    tsum: AtomicU64,
}

impl Stats {
    const fn new() -> Self {
        Self {
            transmitted: AtomicU64::new(0),
            received: AtomicU64::new(0),
            tmin: AtomicU64::new(u64::MAX),
            tmax: AtomicU64::new(0),
            tsum: AtomicU64::new(0),
        }
    }

    fn record(&self, rtt: Duration) {
        let us = u64::try_from(rtt.as_micros()).unwrap_or(u64::MAX);
        self.received.fetch_add(1, Relaxed);
        self.tmin.fetch_min(us, Relaxed);
        self.tmax.fetch_max(us, Relaxed);
        self.tsum.fetch_add(us, Relaxed);
    }

    /// The closing lines, exactly as BusyBox prints them.
    pub fn summary(&self, host: &str) -> String {
        let sent = self.transmitted.load(Relaxed);
        let recv = self.received.load(Relaxed);
        let loss = ((sent - recv.min(sent)) * 100).checked_div(sent).unwrap_or(0);
        let mut s = format!(
            "\n--- {host} ping statistics ---\n{sent} packets transmitted, {recv} packets received, {loss}% packet loss\n"
        );
        if let Some(avg) = self.tsum.load(Relaxed).checked_div(recv) {
            let ms = |us: u64| format!("{}.{:03}", us / 1000, us % 1000);
            let (min, max) = (self.tmin.load(Relaxed), self.tmax.load(Relaxed));
            s.push_str(&format!("round-trip min/avg/max = {}/{}/{} ms\n", ms(min), ms(avg), ms(max)));
        }
        s
    }
}

/// The run's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub host: String,
    pub dst: Ipv4Addr,
    pub count: Option<u64>,
    pub size: usize,
    pub interval: Duration,
    /// `-W`: how long to wait for a reply to the last request when none came yet.
    pub timeout: Duration,
    /// `-w`: stop after this long whatever happens.
    pub deadline: Option<Duration>,
    pub quiet: bool,
    /// `-A`: send the next request as soon as a reply arrives.
    pub adaptive: bool,
}

/// Where echoes go: the engine, or a test double.
pub trait Prober {
    fn echo(&mut self, dst: Ipv4Addr, seq: u16, size: usize, timeout: Duration) -> io::Result<EchoReply>;
    fn sleep(&mut self, d: Duration);
}

struct Engine;

impl Prober for Engine {
    fn echo(&mut self, dst: Ipv4Addr, seq: u16, size: usize, timeout: Duration) -> io::Result<EchoReply> {
        icmp::echo(dst, seq, size, timeout)
    }
    fn sleep(&mut self, d: Duration) {
        sys::sleep(d);
    }
}

/// Sends the requests and prints the replies on `out`; returns the exit status, or the error
/// that stopped the run (the statistics are the caller's to print).
pub fn run(s: &Settings, stats: &Stats, prober: &mut dyn Prober, out: &mut dyn Write) -> Result<i32, io::Error> {
    let start = Instant::now();
    let mut seq: u64 = 0;
    loop {
        let left = s.deadline.map(|d| d.saturating_sub(start.elapsed()));
        if left == Some(Duration::ZERO) {
            break;
        }
        let last = s.count.is_some_and(|c| seq + 1 >= c);
        // After the last request: -W if nothing came back yet, else about two round trips.
        let mut wait = if !last {
            s.interval
        } else if stats.received.load(Relaxed) == 0 {
            s.timeout
        } else {
            Duration::from_secs((stats.tmax.load(Relaxed) / (512 * 1024)).max(1))
        };
        if let Some(left) = left {
            wait = wait.min(left);
        }
        let sent_at = Instant::now();
        stats.transmitted.fetch_add(1, Relaxed);
        let mut replied = false;
        match prober.echo(s.dst, seq as u16, s.size, wait.max(Duration::from_millis(1))) {
            Ok(reply) => {
                stats.record(reply.rtt);
                replied = true;
                if !s.quiet {
                    let us = reply.rtt.as_micros();
                    writeln!(
                        out,
                        "{} bytes from {}: seq={} ttl={} time={}.{:03} ms",
                        s.size + 8,
                        s.dst,
                        seq as u16,
                        reply.ttl,
                        us / 1000,
                        us % 1000
                    )?;
                    out.flush()?;
                }
            }
            // Lost: dropped on the way, or nobody has the address (the kernel's "host
            // unreachable" does not carry BusyBox's id, so BusyBox ignores it too).
            Err(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::HostUnreachable) => {}
            Err(e) => return Err(e),
        }
        seq += 1;
        if last {
            break;
        }
        if !(replied && s.adaptive) {
            let spent = sent_at.elapsed();
            let mut pause = s.interval.saturating_sub(spent);
            if let Some(d) = s.deadline {
                pause = pause.min(d.saturating_sub(start.elapsed()));
            }
            prober.sleep(pause);
        }
    }
    let recv = stats.received.load(Relaxed);
    let short = s.deadline.is_some() && s.count.is_some_and(|c| recv < c);
    Ok(i32::from(recv == 0 || short))
}

static STATS: Stats = Stats::new();
static HOST: OnceLock<String> = OnceLock::new();

fn interrupted() {
    print!("{}", STATS.summary(HOST.get().map_or("", String::as_str)));
    let _ = io::stdout().flush();
    std::process::exit(i32::from(STATS.received.load(Relaxed) == 0));
}

pub fn main(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "qvAc:s:t:w:W:I:np:i:46") {
        Ok(o) => o,
        Err(e) => return usage_error("ping", &e),
    };
    if o.operands.len() != 1 || (o.has('q') && o.has('v')) {
        crate::applets::usage("ping");
        return 1;
    }
    let number = |c: char| -> Result<Option<u64>, i32> {
        match o.value(c) {
            None => Ok(None),
            Some(v) => v.parse::<u64>().map(Some).map_err(|_| {
                err("ping", format_args!("invalid number '{v}'"));
                1
            }),
        }
    };
    let parsed = (|| -> Result<Settings, i32> {
        let interval = match o.value('i') {
            None => Duration::from_secs(1),
            Some(v) => super::parse_duration(v).ok_or_else(|| {
                err("ping", format_args!("invalid number '{v}'"));
                1
            })?,
        };
        let size = number('s')?.unwrap_or(56);
        if size > 65507 {
            err("ping", format_args!("number {size} is not in 0..65535 range"));
            return Err(1);
        }
        number('t')?;
        let host = o.operands[0].clone();
        if o.has('6') {
            err("ping", format_args!("bad address '{host}'"));
            return Err(1);
        }
        let dst = super::resolve("ping", &host)?;
        Ok(Settings {
            host,
            dst,
            count: number('c')?.filter(|&c| c > 0),
            size: size as usize,
            interval,
            timeout: Duration::from_secs(number('W')?.unwrap_or(10)),
            deadline: number('w')?.filter(|&w| w > 0).map(Duration::from_secs),
            quiet: o.has('q'),
            adaptive: o.has('A'),
        })
    })();
    let s = match parsed {
        Ok(s) => s,
        Err(code) => return code,
    };
    let _ = HOST.set(s.host.clone());
    sys::on_interrupt(interrupted);
    println!("PING {} ({}): {} data bytes", s.host, s.dst, s.size);
    let mut out = io::stdout();
    match run(&s, &STATS, &mut Engine, &mut out) {
        Ok(code) => {
            print!("{}", STATS.summary(&s.host));
            let _ = out.flush();
            code
        }
        Err(e) => {
            let _ = out.flush();
            err("ping", format_args!("sendto: {}", errstr(&e)));
            1
        }
    }
}

#[cfg(test)]
mod tests;
