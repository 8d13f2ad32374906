//! redis-server's settings: defaults, then a `redis.conf` file (`directive value...` lines),
//! then `--directive value` options, as `redis-server [/path/to/redis.conf] [--port 7777]`
//! reads them. Unknown directives are errors, with Redis's report.

/// The settings this server honours (others are accepted for `CONFIG GET` and ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub port: u16,
    pub bind: Vec<String>,
    pub dir: String,
    pub dbfilename: String,
    /// `save 3600 1 300 100 60 10000`: (seconds, changes) pairs; empty: no snapshots.
    pub save: Vec<(u64, u64)>,
    pub databases: usize,
    pub appendonly: bool,
    pub protected_mode: bool,
    pub loglevel: String,
    pub maxmemory: u64,
    pub requirepass: Option<String>,
    pub config_file: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            port: 6379,
            bind: vec!["*".into(), "-::*".into()],
            dir: ".".into(),
            dbfilename: "dump.rdb".into(),
            save: vec![(3600, 1), (300, 100), (60, 10000)],
            databases: 16,
            appendonly: false,
            // The official image builds Redis with protected mode off by default, so other
            // containers can connect without a password.
            protected_mode: false,
            loglevel: "notice".into(),
            maxmemory: 0,
            requirepass: None,
            config_file: None,
        }
    }
}

/// Directives accepted and shown by `CONFIG GET` but without effect here.
const ACCEPTED: &[&str] = &[
    "daemonize",
    "pidfile",
    "logfile",
    "tcp-backlog",
    "timeout",
    "tcp-keepalive",
    "supervised",
    "always-show-logo",
    "stop-writes-on-bgsave-error",
    "rdbcompression",
    "rdbchecksum",
    "maxclients",
    "maxmemory-policy",
    "appendfilename",
    "appendfsync",
    "lazyfree-lazy-eviction",
    "io-threads",
    "hz",
    "notify-keyspace-events",
    "latency-monitor-threshold",
    "slowlog-log-slower-than",
    "slowlog-max-len",
    "loadmodule",
    "rename-command",
    "user",
    "aclfile",
    "replica-read-only",
    "repl-diskless-sync",
    "set-proc-title",
    "locale-collate",
];

/// What went wrong reading the settings: Redis prints a report and exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

impl ConfigError {
    /// The report Redis prints on stderr.
    pub fn report(&self) -> String {
        format!(
            "\n*** FATAL CONFIG FILE ERROR (Redis {}) ***\nReading the configuration file, at line {}\n>>> '{}'\n{}\n",
            crate::version::get(),
            self.line,
            self.text,
            self.reason
        )
    }
}

fn yes_no(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// Parses a memory size: `100mb`, `1gb`, `1024`.
fn memory(v: &str) -> Option<u64> {
    let lower = v.to_ascii_lowercase();
    let (num, mult) = [
        ("gb", 1u64 << 30),
        ("mb", 1 << 20),
        ("kb", 1 << 10),
        ("g", 1_000_000_000),
        ("m", 1_000_000),
        ("k", 1000),
        ("b", 1),
    ]
    .iter()
    .find_map(|(s, m)| lower.strip_suffix(s).map(|n| (n.to_string(), *m)))
    .unwrap_or((lower.clone(), 1));
    num.parse::<u64>().ok()?.checked_mul(mult)
}

impl Settings {
    /// Applies one directive; `Err(reason)` as Redis words it.
    pub fn apply(&mut self, name: &str, args: &[String]) -> Result<(), String> {
        let name = name.to_ascii_lowercase();
        let one = || args.first().cloned().ok_or_else(|| "wrong number of arguments".to_string());
        match name.as_str() {
            "port" => {
                self.port = one()?.parse().map_err(|_| "argument couldn't be parsed into an integer".to_string())?
            }
            "bind" => self.bind = args.to_vec(),
            "dir" => self.dir = one()?,
            "dbfilename" => self.dbfilename = one()?,
            "save" => {
                let all = args.join(" ");
                if all.trim().is_empty() {
                    self.save.clear();
                    return Ok(());
                }
                let nums: Result<Vec<u64>, _> = all.split_whitespace().map(str::parse::<u64>).collect();
                let nums = nums.map_err(|_| "Invalid save parameters".to_string())?;
                if nums.len() % 2 != 0 {
                    return Err("Invalid save parameters".into());
                }
                self.save = nums.chunks(2).map(|p| (p[0], p[1])).collect();
            }
            "databases" => {
                self.databases =
                    one()?.parse().ok().filter(|n| *n >= 1).ok_or_else(|| "Invalid number of databases".to_string())?
            }
            "appendonly" => {
                self.appendonly = yes_no(&one()?).ok_or_else(|| "argument must be 'yes' or 'no'".to_string())?
            }
            "protected-mode" => {
                self.protected_mode = yes_no(&one()?).ok_or_else(|| "argument must be 'yes' or 'no'".to_string())?
            }
            "loglevel" => {
                let v = one()?;
                if !["debug", "verbose", "notice", "warning", "nothing"].contains(&v.as_str()) {
                    return Err(
                        "argument(s) must be one of the following: debug, verbose, notice, warning, nothing".into()
                    );
                }
                self.loglevel = v;
            }
            "maxmemory" => {
                self.maxmemory = memory(&one()?).ok_or_else(|| "argument must be a memory value".to_string())?
            }
            "requirepass" => self.requirepass = Some(one()?).filter(|p| !p.is_empty()),
            n if ACCEPTED.contains(&n) => {}
            _ => return Err("Bad directive or wrong number of arguments".into()),
        }
        Ok(())
    }

    /// Reads a `redis.conf`-style text.
    pub fn apply_text(&mut self, text: &str) -> Result<(), ConfigError> {
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words = crate::resp::split_args(line.as_bytes()).unwrap_or_default();
            let words: Vec<String> = words.into_iter().map(|w| String::from_utf8_lossy(&w).into_owned()).collect();
            let Some((name, args)) = words.split_first() else { continue };
            self.apply(name, args).map_err(|reason| ConfigError { line: i + 1, text: line.to_string(), reason })?;
        }
        Ok(())
    }

    /// `redis-server [file] [--name value...]`: the file first, then the options (an option's
    /// values run until the next `--`).
    pub fn from_args(args: &[String]) -> Result<Settings, ConfigError> {
        let mut s = Settings::default();
        let mut rest = args;
        if let Some(first) = args.first().filter(|a| !a.starts_with("--")) {
            let text = std::fs::read_to_string(first).map_err(|e| ConfigError {
                line: 0,
                text: String::new(),
                reason: format!("Fatal error, can't open config file '{first}': {}", e.kind()),
            })?;
            s.apply_text(&text)?;
            s.config_file = Some(first.clone());
            rest = &args[1..];
        }
        let mut options = String::new();
        for a in rest {
            if let Some(name) = a.strip_prefix("--") {
                options.push('\n');
                options.push_str(name);
            } else {
                // Values are quoted, as Redis 7 does (its error report shows `'port "7777"'`).
                let quoted = a.replace('\\', "\\\\").replace('"', "\\\"");
                options.push_str(&format!(" \"{quoted}\""));
            }
        }
        s.apply_text(&options)?;
        Ok(s)
    }

    /// `CONFIG GET`'s pairs.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let save = self.save.iter().map(|(a, b)| format!("{a} {b}")).collect::<Vec<_>>().join(" ");
        let yn = |b: bool| if b { "yes" } else { "no" }.to_string();
        vec![
            ("port".into(), self.port.to_string()),
            ("bind".into(), self.bind.join(" ")),
            ("dir".into(), self.absolute_dir()),
            ("dbfilename".into(), self.dbfilename.clone()),
            ("save".into(), save),
            ("databases".into(), self.databases.to_string()),
            ("appendonly".into(), yn(self.appendonly)),
            ("protected-mode".into(), yn(self.protected_mode)),
            ("loglevel".into(), self.loglevel.clone()),
            ("maxmemory".into(), self.maxmemory.to_string()),
            ("requirepass".into(), self.requirepass.clone().unwrap_or_default()),
            ("daemonize".into(), "no".into()),
            ("timeout".into(), "0".into()),
            ("maxclients".into(), "10000".into()),
            ("maxmemory-policy".into(), "noeviction".into()),
        ]
    }

    /// `dir` made absolute (the working directory, `/data` in the image).
    pub fn absolute_dir(&self) -> String {
        if self.dir.starts_with('/') {
            return self.dir.clone();
        }
        let cwd = std::env::current_dir().map(|p| p.display().to_string()).unwrap_or_else(|_| "/".into());
        if self.dir == "." {
            cwd
        } else {
            format!("{}/{}", cwd.trim_end_matches('/'), self.dir)
        }
    }

    /// Where snapshots go.
    pub fn rdb_path(&self) -> String {
        format!("{}/{}", self.absolute_dir().trim_end_matches('/'), self.dbfilename)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_override_defaults_like_redis_server_reads_them() {
        let s = Settings::from_args(&args(&["--port", "7777", "--save", "", "--appendonly", "yes"])).unwrap();
        assert_eq!((s.port, s.save.len(), s.appendonly), (7777, 0, true));
        let s = Settings::from_args(&args(&["--save", "60", "1"])).unwrap();
        assert_eq!(s.save, [(60, 1)]);
        let e = Settings::from_args(&args(&["--frobnicate", "1"])).unwrap_err();
        assert_eq!(
            (e.line, e.text.as_str(), e.reason.as_str()),
            (2, "frobnicate \"1\"", "Bad directive or wrong number of arguments")
        );
        assert!(e.report().contains("*** FATAL CONFIG FILE ERROR (Redis "));
    }
}
