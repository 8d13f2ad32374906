//! `redis-cli`: one command from the command line (`redis-cli -h redis INCR hits`), or an
//! interactive prompt (`127.0.0.1:6379> `; the terminal's own line editing serves as
//! linenoise), or commands read line by line from a pipe.

mod format;

use crate::resp::{command, parse_reply, split_args, Reply};
use guest_net::{SocketAddr, TcpStream};
use std::io::{self, BufRead, Read, Write};

/// What the command line asks for.
#[derive(Debug, Clone)]
struct Options {
    host: String,
    port: u16,
    db: i64,
    password: Option<String>,
    repeat: i64,
    interval: f64,
    stdin_arg: bool,
    raw: Option<bool>,
    errcode: bool,
    args: Vec<Vec<u8>>,
}

fn usage() -> String {
    format!(
        "redis-cli {}\n\nUsage: redis-cli [OPTIONS] [cmd [arg [arg ...]]]\n  -h <hostname>      Server hostname (default: 127.0.0.1).\n  -p <port>          Server port (default: 6379).\n  -a <password>      Password to use when connecting to the server.\n  -u <uri>           Server URI: redis://[password@]host[:port][/db].\n  -r <repeat>        Execute specified command N times.\n  -i <interval>      When -r is used, waits <interval> seconds per command.\n  -n <db>            Database number.\n  -x                 Read last argument from STDIN.\n  -e                 Return exit error code when command execution fails.\n  --raw              Use raw formatting for replies (default when STDOUT is\n                     not a tty).\n  --no-raw           Force formatted output even when STDOUT is not a tty.\n  --help             Output this help and exit.\n  --version          Output version and exit.\n\nExamples:\n  redis-cli -h redis INCR hits\n  redis-cli -n 2 LRANGE votes 0 -1\n  (cat /etc/passwd; echo) | redis-cli -x set mypasswd\n\nWhen no command is given, redis-cli starts in interactive mode.\nType \"help\" in interactive mode for information on available commands\nand settings.\n\n",
        crate::version::get()
    )
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        host: "127.0.0.1".into(),
        port: 6379,
        db: 0,
        password: None,
        repeat: 1,
        interval: 0.0,
        stdin_arg: false,
        raw: None,
        errcode: false,
        args: Vec::new(),
    };
    let mut i = 0;
    let bad = |a: &str| format!("Unrecognized option or bad number of args for: '{a}'");
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize| -> Result<String, String> {
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| bad(a))
        };
        match a {
            "-h" => o.host = value(&mut i)?,
            "-p" => o.port = value(&mut i)?.parse().map_err(|_| bad(a))?,
            "-a" | "--pass" => o.password = Some(value(&mut i)?),
            "-n" => o.db = value(&mut i)?.parse().map_err(|_| bad(a))?,
            "-r" => o.repeat = value(&mut i)?.parse().map_err(|_| bad(a))?,
            "-i" => o.interval = value(&mut i)?.parse().map_err(|_| bad(a))?,
            "-u" => {
                let uri = value(&mut i)?;
                let rest = uri.strip_prefix("redis://").ok_or("Invalid URI scheme")?;
                let (auth, rest) = rest.rsplit_once('@').map_or((None, rest), |(a, r)| (Some(a), r));
                if let Some(auth) = auth {
                    o.password = Some(auth.rsplit(':').next().unwrap_or(auth).to_string());
                }
                let (hostport, db) = rest.split_once('/').map_or((rest, None), |(h, d)| (h, Some(d)));
                if let Some((h, p)) = hostport.rsplit_once(':') {
                    o.host = h.to_string();
                    o.port = p.parse().map_err(|_| bad(a))?;
                } else if !hostport.is_empty() {
                    o.host = hostport.to_string();
                }
                if let Some(db) = db.filter(|d| !d.is_empty()) {
                    o.db = db.parse().map_err(|_| bad(a))?;
                }
            }
            "-x" => o.stdin_arg = true,
            "-e" => o.errcode = true,
            "--raw" => o.raw = Some(true),
            "--no-raw" => o.raw = Some(false),
            "--no-auth-warning" => {}
            a if a.starts_with('-')
                && o.args.is_empty()
                && a.len() > 1
                && !a[1..].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                return Err(bad(a))
            }
            _ => {
                o.args = args[i..].iter().map(|s| s.clone().into_bytes()).collect();
                break;
            }
        }
        i += 1;
    }
    Ok(o)
}

/// A connection to the server.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

fn connect(o: &Options) -> Result<Conn, String> {
    let fail = |why: &str| format!("Could not connect to Redis at {}:{}: {why}", o.host, o.port);
    let ips = guest_net::resolve::lookup(&o.host).map_err(|_| fail("Name or service not known"))?;
    let ip = ips.first().copied().ok_or_else(|| fail("Name or service not known"))?;
    let stream = TcpStream::connect(SocketAddr::from((ip, o.port))).map_err(|e| {
        let text = guest_server::errno::text(&e);
        fail(text.split_once(": ").map_or(text.as_str(), |(_, m)| m))
    })?;
    let mut c = Conn { stream, buf: Vec::new() };
    if let Some(p) = &o.password {
        if let Reply::Error(e) = c.call(&[b"AUTH".to_vec(), p.clone().into_bytes()]).map_err(|e| fail(&e))? {
            eprintln!("AUTH failed: {e}");
        }
    }
    if o.db != 0 {
        c.call(&[b"SELECT".to_vec(), o.db.to_string().into_bytes()]).map_err(|e| fail(&e))?;
    }
    Ok(c)
}

impl Conn {
    fn send(&mut self, args: &[Vec<u8>]) -> Result<(), String> {
        self.stream.write_all(&command(args)).map_err(|e| e.to_string())
    }

    fn read(&mut self) -> Result<Reply, String> {
        loop {
            match parse_reply(&self.buf) {
                Ok(Some((r, used))) => {
                    self.buf.drain(..used);
                    return Ok(r);
                }
                Ok(None) => {}
                Err(e) => return Err(e.0),
            }
            let mut chunk = [0u8; 16 * 1024];
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err("Server closed the connection".into()),
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err("Connection reset by peer".into()),
            }
        }
    }

    fn call(&mut self, args: &[Vec<u8>]) -> Result<Reply, String> {
        self.send(args)?;
        self.read()
    }
}

/// Prints `reply` in the chosen form.
fn print(reply: &Reply, raw: bool, verbatim: bool) {
    let mut out = io::stdout();
    let bytes = if verbatim {
        format::raw(reply)
    } else if raw {
        let mut b = format::raw(reply);
        b.push(b'\n');
        b
    } else {
        format::tty(reply, "").into_bytes()
    };
    let _ = out.write_all(&bytes);
    let _ = out.flush();
}

/// INFO and CLIENT LIST are printed as they come.
fn verbatim(args: &[Vec<u8>]) -> bool {
    let name = |i: usize| args.get(i).map(|a| String::from_utf8_lossy(a).to_ascii_lowercase()).unwrap_or_default();
    name(0) == "info" || (name(0) == "client" && matches!(name(1).as_str(), "list" | "info"))
}

/// Sends one command and prints what comes back; subscribing keeps reading messages.
/// `Err` when the connection failed.
fn run_command(c: &mut Conn, args: &[Vec<u8>], raw: bool, errcode: bool) -> Result<bool, String> {
    c.send(args)?;
    let name = String::from_utf8_lossy(&args[0]).to_ascii_lowercase();
    if name == "subscribe" || name == "psubscribe" {
        if !raw {
            println!("Reading messages... (press Ctrl-C to quit)");
        }
        loop {
            let r = c.read()?;
            print(&r, raw, false);
            if matches!(r, Reply::Error(_)) {
                return Ok(false);
            }
        }
    }
    let r = match c.read() {
        // SHUTDOWN's answer is the connection closing.
        Err(_) if name == "shutdown" => return Ok(true),
        r => r?,
    };
    if errcode {
        if let Reply::Error(e) = &r {
            eprintln!("{e}");
            return Ok(false);
        }
    }
    print(&r, raw, verbatim(args));
    Ok(!matches!(r, Reply::Error(_)))
}

const HELP: &str = "To get help about Redis commands type:
      \"help @<group>\" to get a list of commands in <group>
      \"help <command>\" for help on <command>
      \"help <tab>\" to get a list of possible help topics
      \"quit\" to exit

To set redis-cli preferences:
      \":set hints\" enable online hints
      \":set nohints\" disable online hints
Set your preferences in ~/.redisclirc
";

/// The prompt loop (interactive on a terminal, or reading a pipe line by line).
fn repl(mut o: Options, raw: bool) -> i32 {
    let interactive = guest_server::isatty(0);
    let mut conn = match connect(&o) {
        Ok(c) => Some(c),
        Err(e) => {
            eprintln!("{e}");
            None
        }
    };
    let stdin = io::stdin();
    let mut lines = stdin.lock();
    loop {
        if interactive {
            let addr = format!("{}:{}", o.host, o.port);
            let db = if o.db != 0 { format!("[{}]", o.db) } else { String::new() };
            let prompt = if conn.is_some() { format!("{addr}{db}> ") } else { "not connected> ".to_string() };
            print!("{prompt}");
            let _ = io::stdout().flush();
        }
        let mut line = Vec::new();
        match lines.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return 0,
            Ok(_) => {}
        }
        let line = line.strip_suffix(b"\n").unwrap_or(&line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(args) = split_args(line) else {
            println!("Invalid argument(s)");
            continue;
        };
        let Some(first) = args.first() else { continue };
        let name = String::from_utf8_lossy(first).to_ascii_lowercase();
        match name.as_str() {
            "quit" | "exit" => return 0,
            "help" | "?" => {
                print!("redis-cli {}\n{HELP}", crate::version::get());
                continue;
            }
            "clear" => {
                print!("\x1b[H\x1b[2J");
                continue;
            }
            "connect" if args.len() >= 2 => {
                o.host = String::from_utf8_lossy(&args[1]).into_owned();
                o.port = args.get(2).and_then(|p| String::from_utf8_lossy(p).parse().ok()).unwrap_or(6379);
                conn = None;
            }
            _ => {}
        }
        if conn.is_none() {
            match connect(&o) {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    eprintln!("{e}");
                    continue;
                }
            }
            if name == "connect" {
                continue;
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        match run_command(c, &args, raw, false) {
            Ok(_) if name == "shutdown" => conn = None,
            Ok(ok) => {
                if ok && name == "select" {
                    o.db = args.get(1).and_then(|d| String::from_utf8_lossy(d).parse().ok()).unwrap_or(o.db);
                }
            }
            Err(e) => {
                eprintln!("Error: {e}");
                conn = None;
            }
        }
    }
}

/// Runs `redis-cli` with its arguments; the exit code.
pub fn main(args: &[String]) -> i32 {
    if args.iter().any(|a| a == "--version" || a == "-v") {
        println!("redis-cli {}", crate::version::get());
        return 0;
    }
    if args.iter().any(|a| a == "--help") {
        eprint!("{}", usage());
        return 0;
    }
    let mut o = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    if o.password.is_some() {
        eprintln!("Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.");
    }
    let raw = o.raw.unwrap_or(!guest_server::isatty(1));
    if o.args.is_empty() {
        return repl(o, raw);
    }
    if o.stdin_arg {
        let mut data = Vec::new();
        let _ = io::stdin().read_to_end(&mut data);
        o.args.push(data);
    }
    let mut conn = match connect(&o) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let mut code = 0;
    let mut n = 0;
    while o.repeat < 0 || n < o.repeat {
        n += 1;
        match run_command(&mut conn, &o.args, raw, o.errcode) {
            Ok(true) => {}
            Ok(false) => code = if o.errcode { 1 } else { 0 },
            Err(e) => {
                eprintln!("Error: {e}");
                return 1;
            }
        }
        if o.interval > 0.0 {
            std::thread::sleep(std::time::Duration::from_secs_f64(o.interval));
        }
    }
    code
}
