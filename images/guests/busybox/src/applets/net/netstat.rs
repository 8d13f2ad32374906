//! `netstat [-ral] [-tuwx] [-enWp]`: the sockets of this network namespace (from `/proc/net/tcp`
//! and `/proc/net/udp`), by default the connected ones, `-l` the listening ones, `-a` both;
//! `-p` adds the owning `PID/Program name`, `-n` keeps addresses numeric, `-r` shows the
//! routing table instead.

use super::procnet::{self, Socket};
use super::route::{self, Names};
use crate::applets::usage_error;
use crate::util::{err, errstr, opts};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddrV4;

const TCP_STATES: [&str; 12] = [
    "",
    "ESTABLISHED",
    "SYN_SENT",
    "SYN_RECV",
    "FIN_WAIT1",
    "FIN_WAIT2",
    "TIME_WAIT",
    "CLOSE",
    "CLOSE_WAIT",
    "LAST_ACK",
    "LISTEN",
    "CLOSING",
];

/// What to list and how.
#[derive(Debug, Clone, Copy, Default)]
pub struct Select {
    pub connected: bool,
    pub listening: bool,
    pub numeric: bool,
    pub wide: bool,
    pub programs: bool,
}

/// Names of ports from `/etc/services` (without `-n`).
fn service(port: u16, proto: &str, services: &str) -> Option<String> {
    services.lines().find_map(|line| {
        let mut w = line.split('#').next()?.split_whitespace();
        let name = w.next()?;
        let (p, pr) = w.next()?.split_once('/')?;
        (pr == proto && p.parse::<u16>().ok()? == port).then(|| name.to_string())
    })
}

/// The formatter's context: name lookups and the services file, loaded once.
pub struct Namer {
    names: Names,
    services: String,
    numeric: bool,
}

impl Namer {
    pub fn new(numeric: bool, services: String) -> Self {
        Self { names: Names::new(numeric), services, numeric }
    }

    fn addr(&mut self, a: SocketAddrV4, proto: &str) -> String {
        let host = if a.ip().is_unspecified() { a.ip().to_string() } else { self.names.name(*a.ip(), true, "") };
        let port = match a.port() {
            0 => "*".to_string(),
            p if !self.numeric => service(p, proto, &self.services).unwrap_or_else(|| p.to_string()),
            p => p.to_string(),
        };
        format!("{host}:{port}")
    }
}

/// The lines of one protocol's sockets.
pub fn format_sockets(
    proto: &str,
    sockets: &[Socket],
    sel: Select,
    namer: &mut Namer,
    owners: &HashMap<u64, String>,
) -> String {
    let mut out = String::new();
    let width = if sel.wide { 51 } else { 23 };
    for s in sockets {
        let (state, connected) = if proto == "tcp" {
            (TCP_STATES.get(usize::from(s.state)).copied().unwrap_or("UNKNOWN"), s.remote.port() != 0)
        } else {
            let state = match s.state {
                1 => "ESTABLISHED",
                7 => "",
                _ => "UNKNOWN",
            };
            (state, !s.remote.ip().is_unspecified())
        };
        if !((connected && sel.connected) || (!connected && sel.listening)) {
            continue;
        }
        let (l, r) = (namer.addr(s.local, proto), namer.addr(s.remote, proto));
        let _ = write!(out, "{proto}   {:>6} {:>6} {l:<width$} {r:<width$} {state:<12}", s.rx_queue, s.tx_queue);
        if sel.programs {
            // BusyBox keeps 19 characters of it (a 20-byte buffer with its NUL).
            let owner = owners.get(&s.inode).map_or("-", String::as_str);
            out.extend(owner.chars().take(19));
        }
        out.push('\n');
    }
    out
}

pub fn main(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "laentuwxrWp") {
        Ok(o) => o,
        Err(e) => return usage_error("netstat", &e),
    };
    if o.has('r') {
        return route::print_table("netstat", o.has('n'), !o.has('e'));
    }
    let mut sel =
        Select { connected: true, numeric: o.has('n'), wide: o.has('W'), programs: o.has('p'), ..Select::default() };
    if o.has('l') {
        sel = Select { connected: false, listening: true, ..sel };
    }
    if o.has('a') {
        sel = Select { connected: true, listening: true, ..sel };
    }
    let chosen: Vec<char> = "tuwx".chars().filter(|c| o.has(*c)).collect();
    let want = |c: char| chosen.is_empty() || chosen.contains(&c);
    let which = match (sel.connected, sel.listening) {
        (true, true) => "(servers and established)",
        (false, true) => "(only servers)",
        _ => "(w/o servers)",
    };
    let banner = if sel.programs { "PID/Program name    " } else { "" };
    let owners = if sel.programs { procnet::socket_owners() } else { HashMap::new() };
    let mut namer = Namer::new(sel.numeric, std::fs::read_to_string("/etc/services").unwrap_or_default());
    let width = if sel.wide { 51 } else { 23 };
    let mut code = 0;
    if want('t') || want('u') || want('w') {
        print!(
            "Active Internet connections {which}\nProto Recv-Q Send-Q {:<width$} {:<width$} State       {banner}\n",
            "Local Address", "Foreign Address"
        );
    }
    // IPv6 and raw sockets do not exist in the playground's kernel: their files may be absent.
    for (c, proto, path) in [('t', "tcp", "/proc/net/tcp"), ('u', "udp", "/proc/net/udp")] {
        if !want(c) {
            continue;
        }
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                err("netstat", format_args!("can't open '{path}': {}", errstr(&e)));
                code = 1;
                continue;
            }
        };
        let mut sockets = Vec::new();
        for r in procnet::parse_sockets(&text) {
            match r {
                Ok(s) => sockets.push(s),
                Err(line) => err("netstat", format_args!("{path}: bogus data on line {line}")),
            }
        }
        print!("{}", format_sockets(proto, &sockets, sel, &mut namer, &owners));
    }
    if want('x') {
        print!(
            "Active UNIX domain sockets {which}\nProto RefCnt Flags       Type       State         I-Node {banner}Path\n"
        );
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applets::net::procnet::tests::TCP;

    fn sockets() -> Vec<Socket> {
        procnet::parse_sockets(TCP).into_iter().map(Result::unwrap).collect()
    }

    #[test]
    fn listening_and_connected_tcp() {
        let mut namer = Namer::new(true, String::new());
        let owners = HashMap::from([(1234, "1/nginx: master process nginx -g daemon off;".to_string())]);
        let sel = Select { listening: true, numeric: true, programs: true, ..Select::default() };
        assert_eq!(
            format_sockets("tcp", &sockets(), sel, &mut namer, &owners),
            "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      1/nginx: master pro\n"
        );
        let sel = Select { connected: true, numeric: true, ..Select::default() };
        assert_eq!(
            format_sockets("tcp", &sockets(), sel, &mut namer, &owners),
            "tcp        2      0 172.17.0.2:80           172.17.0.3:46498        ESTABLISHED \n"
        );
    }

    #[test]
    fn service_names_without_n() {
        let mut namer = Namer::new(false, "http\t\t80/tcp\t\twww\n".into());
        let sel = Select { listening: true, ..Select::default() };
        let out = format_sockets("tcp", &sockets(), sel, &mut namer, &HashMap::new());
        assert_eq!(out, "tcp        0      0 0.0.0.0:http            0.0.0.0:*               LISTEN      \n");
    }

    #[test]
    fn udp_states() {
        let udp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
                   \x20  0: 0B00007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 77 2\n";
        let s: Vec<Socket> = procnet::parse_sockets(udp).into_iter().map(Result::unwrap).collect();
        let mut namer = Namer::new(true, String::new());
        let sel = Select { listening: true, numeric: true, ..Select::default() };
        assert_eq!(
            format_sockets("udp", &s, sel, &mut namer, &HashMap::new()),
            "udp        0      0 127.0.0.11:53           0.0.0.0:*                           \n"
        );
    }
}
