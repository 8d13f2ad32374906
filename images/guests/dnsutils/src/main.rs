//! `dig [@server] [-p port] [-t type] [-x addr] [name] [type] [+options]`: BIND's DNS lookup
//! tool (Debian's bind9-dnsutils 9.18). Sends one query (by default an `A` query for the name
//! as given, to the first `nameserver` of `/etc/resolv.conf`) and prints the whole reply in
//! master-file form, or only the answers' data with `+short`. Queries go without EDNS.

mod format;

use format::Show;
use guest_net::dns::{self, Message, RecordType};
use guest_net::resolve::{self, ResolvConf, Resolver};
use guest_net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const VERSION: &str = "9.18.28-1~deb12u2-Debian";

/// The command line, parsed.
#[derive(Debug, Clone)]
struct Query {
    server: Option<String>,
    port: u16,
    name: Option<String>,
    qtype: Option<RecordType>,
    show: Show,
    search: bool,
    timeout: Duration,
    tries: u32,
    recurse: bool,
}

fn parse(args: &[String]) -> Result<Query, String> {
    let mut q = Query {
        server: None,
        port: 53,
        name: None,
        qtype: None,
        show: Show::default(),
        search: false,
        timeout: Duration::from_secs(5),
        tries: 3,
        recurse: true,
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let mut value = |flag: &str| -> Result<String, String> {
            i += 1;
            args.get(i - 1).cloned().ok_or_else(|| format!("option requires an argument -- '{flag}'"))
        };
        if let Some(s) = a.strip_prefix('@') {
            q.server = Some(s.to_string());
        } else if let Some(opt) = a.strip_prefix('+') {
            plus_option(&mut q, opt)?;
        } else if a == "-p" {
            let v = value("p")?;
            q.port = v.parse().map_err(|_| format!("invalid port number '{v}'"))?;
        } else if a == "-t" {
            let v = value("t")?;
            q.qtype = Some(RecordType::from_name(&v).ok_or_else(|| format!("invalid type: {v}"))?);
        } else if a == "-x" {
            let v = value("x")?;
            let ip = v.parse().map_err(|_| format!("'{v}' is not a legal IPv4 address"))?;
            q.name = Some(dns::reverse_name(ip));
            q.qtype = Some(RecordType::PTR);
        } else if a.starts_with('-') && a.len() > 1 {
            return Err(format!("Invalid option: {a}"));
        } else if q.name.is_some() && q.qtype.is_none() && RecordType::from_name(a).is_some() {
            q.qtype = RecordType::from_name(a);
        } else if q.name.is_none() {
            q.name = Some(a.clone());
        } else if let Some(t) = RecordType::from_name(a) {
            q.qtype = Some(t);
        } else {
            // dig takes a further name as another query; one query at a time here.
            return Err(format!("only one name per query: '{a}'"));
        }
    }
    Ok(q)
}

fn plus_option(q: &mut Query, opt: &str) -> Result<(), String> {
    let (name, val) = opt.split_once('=').unwrap_or((opt, ""));
    let (on, name) = match name.strip_prefix("no") {
        Some(n) => (false, n),
        None => (true, name),
    };
    let s = &mut q.show;
    match name {
        "short" => s.short = on,
        "all" => {
            for f in [
                &mut s.comments,
                &mut s.question,
                &mut s.answer,
                &mut s.authority,
                &mut s.additional,
                &mut s.stats,
                &mut s.cmd,
            ] {
                *f = on;
            }
        }
        "comments" => s.comments = on,
        "question" => s.question = on,
        "answer" => s.answer = on,
        "authority" => s.authority = on,
        "additional" => s.additional = on,
        "stats" => s.stats = on,
        "cmd" => s.cmd = on,
        "search" => q.search = on,
        "recurse" => q.recurse = on,
        "time" => {
            q.timeout = Duration::from_secs(val.parse::<u64>().map_err(|_| format!("invalid time '{val}'"))?.max(1))
        }
        "tries" => q.tries = val.parse::<u32>().map_err(|_| format!("invalid tries '{val}'"))?.max(1),
        "retry" => q.tries = val.parse::<u32>().map_err(|_| format!("invalid retry '{val}'"))? + 1,
        _ => return Err(format!("Invalid option: +{opt}")),
    }
    Ok(())
}

/// `Mon Nov 23 16:23:08 UTC 2026` (containers run in UTC).
fn when(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let t = secs % 86400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{} {} {day:02} {:02}:{:02}:{:02} UTC {year}",
        DAYS[(days.rem_euclid(7)) as usize],
        MONTHS[(month - 1) as usize],
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

fn run(args: &[String]) -> (String, i32) {
    let q = match parse(args) {
        Ok(q) => q,
        Err(e) => return (format!("{e}\n"), 1),
    };
    let conf = ResolvConf::load();
    let (server_name, server) = match &q.server {
        Some(s) => match Resolver::system().lookup(s).ok().and_then(|a| a.first().copied()) {
            Some(ip) => (s.clone(), SocketAddr::new(IpAddr::V4(ip), q.port)),
            None => return (format!("dig: couldn't get address for '{s}': not found\n"), 10),
        },
        None => {
            let first = conf.nameservers[0];
            (first.ip().to_string(), SocketAddr::new(first.ip(), q.port))
        }
    };
    // Without a name, dig asks for the root's name servers.
    let (name, qtype) = match &q.name {
        Some(n) => (n.clone(), q.qtype.unwrap_or(RecordType::A)),
        None => (String::new(), q.qtype.unwrap_or(RecordType::NS)),
    };
    let name = if q.search { conf.candidates(&name).into_iter().next().unwrap_or(name) } else { name };
    let mut out = String::new();
    let mut query = Message::query(resolve::random_id(), &name, qtype);
    query.flags.recursion_desired = q.recurse;
    let banner = |out: &mut String| {
        if q.show.cmd && !q.show.short {
            out.push_str(&format!("\n; <<>> DiG {VERSION} <<>> {}\n;; global options: +cmd\n", args.join(" ")));
        }
    };
    let start = Instant::now();
    let reply = resolve::exchange(&[server], std::slice::from_ref(&query), q.timeout * q.tries, q.tries, |_| true);
    let elapsed = start.elapsed();
    let reply = match reply {
        Ok(mut r) if !r.is_empty() => r.remove(0),
        other => {
            let reason = match other {
                Err(e) => format!("{}", e).split(" (os error").next().unwrap_or("").to_string(),
                Ok(_) => "timed out".to_string(),
            };
            for _ in 0..q.tries {
                out.push_str(&format!(";; communications error to {}#{}: {reason}\n", server.ip(), server.port()));
            }
            banner(&mut out);
            out.push_str(";; no servers could be reached\n");
            if !q.show.short {
                out.push('\n');
            }
            return (out, 9);
        }
    };
    banner(&mut out);
    out.push_str(&format::reply(&reply.message, q.show));
    if q.show.stats && !q.show.short {
        let size = reply.size;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        out.push_str(&format!(
            ";; Query time: {} msec\n;; SERVER: {}#{}({server_name}) (UDP)\n;; WHEN: {}\n;; MSG SIZE  rcvd: {size}\n\n",
            elapsed.as_millis(),
            server.ip(),
            server.port(),
            when(now)
        ));
    }
    (out, 0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (text, code) = run(&args);
    if code == 1 {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    std::process::exit(code);
}

#[cfg(test)]
mod tests;
