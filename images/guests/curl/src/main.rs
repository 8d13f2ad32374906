//! `curl [options...] <url>`: the command-line HTTP client, as Debian's and Alpine's `curl`
//! packages install it (curl 8.5, Ubuntu 24.04's). Plain HTTP/1.1 only: `https://` needs TLS,
//! which the playground's network does not carry, and is refused like a protocol libcurl was
//! built without. Output, verbose trace, progress meter and error texts follow curl's.

mod args;
mod meter;
mod request;
mod trace;
mod transfer;
mod writeout;

use std::io::{self, IsTerminal, Write};
use trace::Trace;
use transfer::{Output, Session};

const HELP: &str = "Usage: curl [options...] <url>
 -d, --data <data>           HTTP POST data
 -f, --fail                  Fail fast with no output on HTTP errors
 -h, --help <category>       Get help for commands
 -i, --include               Include protocol response headers in the output
 -o, --output <file>         Write to file instead of stdout
 -O, --remote-name           Write output to a file named as the remote file
 -s, --silent                Silent mode
 -u, --user <user:password>  Server user and password
 -A, --user-agent <name>     Send User-Agent <name> to server
 -v, --verbose               Make the operation more talkative
 -V, --version               Show version number and quit

This is not the full help, this menu is stripped into categories.
Use \"--help category\" to get an overview of all categories.
For all options use the manual or \"--help all\".
";

fn version() -> String {
    format!(
        "curl {v} (wasm32-wasip1) libcurl/{v}\nRelease-Date: 2023-12-06\nProtocols: http\nFeatures: Largefile\n",
        v = transfer::VERSION
    )
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("curl: {msg}\ncurl: try 'curl --help' or 'curl --manual' for more information");
    2
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(run(&argv));
}

fn run(argv: &[String]) -> i32 {
    let cfg = match args::parse(argv) {
        Ok(c) => c,
        Err(e) => return usage_error(&format!("option {}: {}", e.option, e.reason)),
    };
    if cfg.help {
        print!("{HELP}");
        return 0;
    }
    if cfg.version {
        print!("{}", version());
        return 0;
    }
    if cfg.urls.is_empty() {
        return usage_error("(2) no URL specified");
    }
    let stdout_tty = io::stdout().is_terminal();
    let show_errors = !cfg.silent || cfg.show_error;
    let mut code = 0;
    let mut stderr = io::stderr();
    let mut meter_err = io::stderr();
    let mut stdout = io::stdout();
    for (i, url) in cfg.urls.iter().enumerate() {
        let name = match cfg.outputs.get(i) {
            Some(n) if n != "-" => Some(n.clone()),
            Some(_) => None,
            None if cfg.remote_name => match transfer::remote_name(url) {
                Ok(n) if !n.is_empty() => Some(n),
                Ok(_) => {
                    if show_errors {
                        eprintln!("curl: Remote file name has no length");
                    }
                    code = 23;
                    continue;
                }
                Err(e) => {
                    if show_errors {
                        eprintln!("curl: ({}) {}", e.code, e.msg);
                    }
                    code = i32::from(e.code);
                    continue;
                }
            },
            None => None,
        };
        // Markers and the meter are for bodies that do not land on the terminal.
        let to_terminal = name.is_none() && stdout_tty;
        let trace = Trace::new(cfg.verbose.then_some(&mut stderr as &mut dyn Write), !to_terminal);
        let meter = (!cfg.silent && !to_terminal).then_some(&mut meter_err as &mut dyn Write);
        let mut session = Session::new(&cfg, trace, meter);
        let (mut info, result) = match name {
            Some(path) => {
                let mut out = Output::File { path: path.clone(), file: None };
                let r = session.fetch(url, &mut out);
                (r.0, r.1)
            }
            None => {
                let mut lock = stdout.lock();
                let mut out = Output::Stream(&mut lock);
                session.fetch(url, &mut out)
            }
        };
        if let Err(e) = &result {
            if show_errors {
                eprintln!("curl: ({}) {}", e.code, e.msg);
            }
            code = i32::from(e.code);
        }
        if let Some(fmt) = &cfg.write_out {
            info.filename_effective = cfg.outputs.get(i).cloned().unwrap_or_default();
            let mut warnings = Vec::new();
            let text = writeout::expand(fmt, &info, &mut warnings);
            for w in warnings {
                eprintln!("curl: {w}");
            }
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
    }
    code
}
