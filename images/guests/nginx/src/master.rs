//! What nginx does with its options: print its version, test the configuration (`-t`), signal
//! the running nginx (`-s reload` reads the pid file the configuration names and sends
//! `SIGHUP`), or run: read the configuration, open the logs, bind the listening sockets, write
//! the pid file, and serve until a signal says stop. This nginx is one process (no workers):
//! the guests have no `fork`, and one event loop serves every client.

use crate::cli::Options;
use crate::conf::model::Level;
use crate::conf::tree::{self, Directive};
use crate::conf::{self, ConfError, Config, Disk};
use crate::core::Core;
use crate::logs::Logs;
use crate::service::Nginx;
use guest_http::server::{run, Listeners};
use guest_server::signals::{self, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1};
use std::rc::Rc;

/// Where the configuration is: `-c`, else `nginx.conf` under the prefix.
#[derive(Debug, Clone)]
pub struct Paths {
    pub conf: String,
    /// Relative `include`s are relative to the configuration file's folder.
    pub conf_prefix: String,
    pub globals: Option<String>,
}

impl Paths {
    pub fn from(o: &Options) -> Paths {
        let prefix =
            o.prefix.clone().map_or_else(|| "/etc/nginx/".to_string(), |p| format!("{}/", p.trim_end_matches('/')));
        let conf = match &o.conf {
            Some(c) if c.starts_with('/') => c.clone(),
            Some(c) => format!("{prefix}{c}"),
            None => format!("{prefix}nginx.conf"),
        };
        let conf_prefix = conf.rsplit_once('/').map_or_else(|| "/".to_string(), |(d, _)| format!("{d}/"));
        Paths { conf, conf_prefix, globals: o.globals.clone() }
    }

    /// Reads and builds the configuration, with the `-g` directives first.
    pub fn load(&self) -> Result<Config, ConfError> {
        let mut tree: Vec<Directive> = Vec::new();
        if let Some(g) = &self.globals {
            let files = OneFile { path: "command line", text: g };
            let mut parsed = tree::load(&files, "command line", &self.conf_prefix)?;
            for d in &mut parsed {
                d.line = 0;
            }
            tree.extend(parsed);
        }
        let main = tree::load(&Disk, &self.conf, &self.conf_prefix)?;
        for d in &main {
            if tree.iter().any(|g| g.name == d.name && g.block.is_none() && d.block.is_none() && g.name != "env") {
                return Err(ConfError::new(format!("\"{}\" directive is duplicate", d.name), Some(d.at())));
            }
        }
        tree.extend(main);
        conf::build(&tree, &|host: &str| guest_net::resolve::lookup(host))
    }
}

/// The `-g` text as a file named "command line".
struct OneFile<'a> {
    path: &'a str,
    text: &'a str,
}

impl tree::Files for OneFile<'_> {
    fn read(&self, path: &str) -> std::io::Result<String> {
        if path == self.path {
            Ok(self.text.to_string())
        } else {
            Disk.read(path)
        }
    }
    fn list(&self, dir: &str) -> std::io::Result<Vec<String>> {
        Disk.list(dir)
    }
}

fn stderr(line: &str) {
    eprintln!("{line}");
}

/// `nginx -t` / `-T`: 0 if the configuration is good.
pub fn test(o: &Options, paths: &Paths) -> i32 {
    let mut logs = Logs::early();
    let config = match paths.load() {
        Ok(c) => c,
        Err(e) => {
            logs.error(Level::Emerg, &e.to_string());
            stderr(&format!("nginx: configuration file {} test failed", paths.conf));
            return 1;
        }
    };
    for w in &config.warnings {
        logs.error(Level::Warn, w);
    }
    if let Err(e) = Logs::for_config(&config) {
        logs.error(Level::Emerg, &e);
        stderr(&format!("nginx: configuration file {} test failed", paths.conf));
        return 1;
    }
    if !o.quiet {
        stderr(&format!("nginx: the configuration file {} syntax is ok", paths.conf));
        stderr(&format!("nginx: configuration file {} test is successful", paths.conf));
    }
    if o.dump {
        dump(paths);
    }
    0
}

/// `-T`: every file of the configuration, as read.
fn dump(paths: &Paths) {
    let mut files = vec![paths.conf.clone()];
    let mut i = 0;
    while i < files.len() {
        let Ok(text) = std::fs::read_to_string(&files[i]) else { break };
        println!("# configuration file {}:\n{text}", files[i]);
        if let Ok(tokens) = crate::conf::lexer::tokenize(&text) {
            let words: Vec<String> = tokens
                .into_iter()
                .filter_map(|(t, _)| if let crate::conf::lexer::Token::Word(w) = t { Some(w) } else { None })
                .collect();
            for pair in words.windows(2).filter(|w| w[0] == "include") {
                let full = if pair[1].starts_with('/') {
                    pair[1].clone()
                } else {
                    format!("{}{}", paths.conf_prefix, pair[1])
                };
                let (dir, pat) = full.rsplit_once('/').unwrap_or(("", &full));
                if pat.contains(['*', '?']) {
                    let mut names: Vec<String> = tree::Files::list(&Disk, dir)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|n| tree::glob_match(pat, n))
                        .collect();
                    names.sort();
                    files.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
                } else {
                    files.push(full);
                }
            }
        }
        i += 1;
    }
}

/// `nginx -s stop|quit|reopen|reload`.
pub fn signal(name: &str, paths: &Paths) -> i32 {
    let mut logs = Logs::early();
    let config = match paths.load() {
        Ok(c) => c,
        Err(e) => {
            logs.error(Level::Emerg, &e.to_string());
            return 1;
        }
    };
    logs.error(Level::Notice, "signal process started");
    let text = match std::fs::read_to_string(&config.pid) {
        Ok(t) => t,
        Err(e) => {
            logs.error(Level::Error, &format!("open() \"{}\" failed ({})", config.pid, guest_server::errno::text(&e)));
            return 1;
        }
    };
    let Ok(pid) = text.trim().parse::<u32>() else {
        logs.error(Level::Error, &format!("invalid PID number \"{}\" in \"{}\"", text.trim(), config.pid));
        return 1;
    };
    let sig = match name {
        "stop" => SIGTERM,
        "quit" => SIGQUIT,
        "reopen" => SIGUSR1,
        _ => SIGHUP,
    };
    if let Err(e) = signals::send(pid, sig) {
        logs.error(Level::Alert, &format!("kill({pid}, {sig}) failed ({})", guest_server::errno::text(&e)));
        return 1;
    }
    0
}

/// Runs the server in the foreground until a signal stops it.
pub fn serve(paths: &Paths) -> i32 {
    let mut early = Logs::early();
    let config = match paths.load() {
        Ok(c) => c,
        Err(e) => {
            early.error(Level::Emerg, &e.to_string());
            return 1;
        }
    };
    for w in &config.warnings {
        early.error(Level::Warn, w);
    }
    let logs = match Logs::for_config(&config) {
        Ok(l) => l,
        Err(e) => {
            early.error(Level::Emerg, &e);
            return 1;
        }
    };
    let mut listeners = Listeners::default();
    if let Err((addr, e)) = listeners.set(&config.http.listen_addrs()) {
        early.error(Level::Emerg, &format!("bind() to {addr} failed ({})", guest_server::errno::text(&e)));
        early.error(Level::Emerg, "still could not bind()");
        return 1;
    }
    let pid_path = config.pid.clone();
    if let Err(e) = std::fs::write(&pid_path, format!("{}\n", guest_server::pid())) {
        early.error(Level::Emerg, &format!("open() \"{pid_path}\" failed ({})", guest_server::errno::text(&e)));
        return 1;
    }
    signals::catch(&[SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1]);
    let core = Rc::new(Core::new(config, logs));
    core.error(Level::Notice, "using the \"poll\" event method");
    core.error(Level::Notice, &crate::version::server());
    core.error(Level::Notice, "built by rustc (wasm32-wasip1)");
    let reload_paths = paths.clone();
    let mut nginx = Nginx { core, reload: Box::new(move || reload_paths.load()) };
    let result = run(&mut nginx, &mut listeners);
    let _ = std::fs::remove_file(&pid_path);
    match result {
        Ok(()) => {
            nginx.core.error(Level::Notice, "exit");
            0
        }
        Err(e) => {
            nginx.core.error(Level::Alert, &format!("poll() failed ({})", guest_server::errno::text(&e)));
            1
        }
    }
}
