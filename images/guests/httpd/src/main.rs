//! Apache httpd for the playground's images: static files with Apache's configuration syntax,
//! pages, headers and logs, on the HTTP core nginx uses too. `httpd -DFOREGROUND` (what the
//! image's `httpd-foreground` runs) serves until a signal; `-t` checks the configuration, `-v`
//! prints the version, `-k stop|graceful|restart` signals the running server.

mod conf;
mod logfmt;
mod serve;
mod version;

#[cfg(test)]
mod tests;

use guest_http::server::{run, Listeners};
use guest_server::signals::{self, SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGWINCH};

const SERVER_ROOT: &str = "/usr/local/apache2";

struct Options {
    file: String,
    root: String,
    defines: Vec<String>,
    test: bool,
    version: bool,
    signal: Option<String>,
}

fn usage() -> ! {
    eprintln!(
        "Usage: httpd [-D name] [-d directory] [-f file]\n             [-C \"directive\"] [-c \"directive\"]\n             [-k start|restart|graceful|graceful-stop|stop]\n             [-v] [-V] [-h] [-l] [-L] [-t] [-T] [-S] [-X]\nOptions:\n  -D name            : define a name for use in <IfDefine name> directives\n  -d directory       : specify an alternate initial ServerRoot\n  -f file            : specify an alternate ServerConfigFile\n  -k start|restart|graceful|graceful-stop|stop\n  -v                 : show version number\n  -t                 : run syntax check for config files"
    );
    std::process::exit(1);
}

fn parse(args: &[String]) -> Options {
    let mut o = Options {
        file: String::new(),
        root: SERVER_ROOT.into(),
        defines: Vec::new(),
        test: false,
        version: false,
        signal: None,
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize, inline: &str| -> String {
            if !inline.is_empty() {
                return inline.to_string();
            }
            *i += 1;
            args.get(*i).cloned().unwrap_or_else(|| usage())
        };
        match a.get(..2).unwrap_or(a) {
            "-D" => o.defines.push(value(&mut i, &a[2..])),
            "-f" => o.file = value(&mut i, &a[2..]),
            "-d" => o.root = value(&mut i, &a[2..]),
            "-k" => o.signal = Some(value(&mut i, &a[2..])),
            "-t" => o.test = true,
            "-v" | "-V" => o.version = true,
            _ => usage(),
        }
        i += 1;
    }
    if o.file.is_empty() {
        o.file = format!("{}/conf/httpd.conf", o.root);
    } else if !o.file.starts_with('/') {
        o.file = format!("{}/{}", o.root, o.file);
    }
    o
}

/// Apache's warning when no `ServerName` is set, with the address it falls back on.
fn server_name_warning(config: &conf::Config) {
    if config.server_name.is_some() {
        return;
    }
    let hostname = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
    let ip = guest_net::resolve::lookup(&hostname).ok().and_then(|v| v.first().map(ToString::to_string));
    let shown = ip.unwrap_or_else(|| "127.0.0.1".into());
    eprintln!("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {shown}. Set the 'ServerName' directive globally to suppress this message");
}

fn load(o: &Options) -> conf::Config {
    match conf::load(&o.file, &o.root, &o.defines) {
        Ok(c) => {
            for w in &c.warnings {
                eprintln!("{w}");
            }
            server_name_warning(&c);
            c
        }
        Err(e) => {
            eprintln!("{}", e.0);
            std::process::exit(1);
        }
    }
}

fn pid_path(config: &conf::Config) -> String {
    if config.pid_file.starts_with('/') {
        config.pid_file.clone()
    } else {
        format!("{}/{}", config.server_root, config.pid_file)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = parse(&args);
    if o.version {
        println!("Server version: {}", serve::server_header());
        println!("Server built:   Jan 21 2025 10:48:33");
        return;
    }
    if o.test {
        load(&o);
        eprintln!("Syntax OK");
        return;
    }
    // Apache reads its configuration twice at start-up (a test pass, then for real).
    let first = load(&o);
    if let Some(k) = o.signal.as_deref().filter(|k| *k != "start") {
        let pid_path = pid_path(&first);
        let pid = std::fs::read_to_string(&pid_path).ok().and_then(|t| t.trim().parse::<u32>().ok());
        let Some(pid) = pid else {
            eprintln!("httpd (no pid file) not running");
            std::process::exit(1);
        };
        let sig = match k {
            "stop" => SIGTERM,
            "graceful-stop" => SIGWINCH,
            "restart" => SIGHUP,
            "graceful" => SIGUSR1,
            _ => usage(),
        };
        if signals::send(pid, sig).is_err() {
            eprintln!("httpd (pid {pid}?) not running");
            std::process::exit(1);
        }
        return;
    }
    drop(first);
    let config = load(&o);
    let mut listeners = Listeners::default();
    if let Err((addr, e)) = listeners.set(&config.listens) {
        let text = guest_server::errno::text(&e).replacen(": ", ")", 1);
        eprintln!("({text}: AH00072: make_sock: could not bind to address {addr}");
        eprintln!("no listening sockets available, shutting down");
        eprintln!("AH00015: Unable to open logs");
        std::process::exit(1);
    }
    let pid_path = pid_path(&config);
    let _ = std::fs::write(&pid_path, format!("{}\n", guest_server::pid()));
    signals::catch(&[SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGWINCH]);
    let (file, root, defines) = (o.file.clone(), o.root.clone(), o.defines.clone());
    let mut httpd = serve::Httpd::new(config, Box::new(move || conf::load(&file, &root, &defines)));
    httpd.error(
        "mpm_event:notice",
        &format!("AH00489: {} configured -- resuming normal operations", serve::server_header()),
    );
    let mut command = vec!["httpd".to_string()];
    for d in &o.defines {
        command.push(format!("-D {d}"));
    }
    httpd.error("core:notice", &format!("AH00094: Command line: '{}'", command.join(" ")));
    let code = match run(&mut httpd, &mut listeners) {
        Ok(()) => 0,
        Err(_) => 1,
    };
    let _ = std::fs::remove_file(&pid_path);
    std::process::exit(code);
}
