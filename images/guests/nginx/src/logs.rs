//! nginx's two logs. The error log: `2025/04/01 10:00:00 [notice] 1#1: message`, for the
//! levels at or above the one configured; before nginx has daemonized (while it reads its
//! configuration), serious messages are also echoed on stderr as `nginx: [emerg] message`. The
//! access log: one line per request in a `log_format` (`combined` by default). In the official
//! image `/var/log/nginx/access.log` and `error.log` are links to `/dev/stdout` and
//! `/dev/stderr`, which is why `docker logs` shows them.

use crate::conf::model::{Config, ErrorLog, Level};
use crate::conf::settings::AccessLog;
use guest_server::clock::Civil;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};

/// The open log files, by path.
#[derive(Debug, Default)]
pub struct Logs {
    files: BTreeMap<String, Option<File>>,
    errors: Vec<ErrorLog>,
    /// Echo `[warn]` and worse on stderr (until the server runs).
    pub echo: bool,
}

fn open(path: &str) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

impl Logs {
    /// The logs nginx has before reading its configuration: the compiled-in error log.
    pub fn early() -> Logs {
        let errors = vec![ErrorLog { path: crate::conf::build::DEFAULT_ERROR_LOG.into(), level: Level::Notice }];
        let mut logs = Logs { files: BTreeMap::new(), errors, echo: true };
        logs.open_all();
        logs
    }

    /// Opens every log `config` names. A file that cannot be opened is an error, as in nginx.
    pub fn for_config(config: &Config) -> Result<Logs, String> {
        let mut logs = Logs { files: BTreeMap::new(), errors: config.error_logs.clone(), echo: false };
        let mut paths: Vec<String> = config.error_logs.iter().map(|e| e.path.clone()).collect();
        for s in &config.http.servers {
            let mut stack: Vec<&crate::conf::settings::Settings> = vec![&s.settings];
            let mut locs: Vec<&crate::conf::model::Loc> = s.locations.iter().collect();
            while let Some(l) = locs.pop() {
                stack.push(&l.settings);
                locs.extend(l.children.iter());
            }
            for st in stack {
                paths.extend(st.access_logs.iter().flatten().map(|a| a.path.clone()));
                paths.extend(st.error_logs.iter().flatten().map(|e| e.path.clone()));
            }
        }
        for path in paths {
            if path == "stderr" || logs.files.contains_key(&path) {
                continue;
            }
            let file =
                open(&path).map_err(|e| format!("open() \"{path}\" failed ({})", guest_server::errno::text(&e)))?;
            logs.files.insert(path, Some(file));
        }
        Ok(logs)
    }

    fn open_all(&mut self) {
        for e in &self.errors {
            if e.path != "stderr" && !self.files.contains_key(&e.path) {
                self.files.insert(e.path.clone(), open(&e.path).ok());
            }
        }
    }

    fn write(&mut self, path: &str, line: &str) {
        if path == "stderr" {
            let _ = io::stderr().write_all(line.as_bytes());
            return;
        }
        if let Some(Some(f)) = self.files.get_mut(path) {
            let _ = f.write_all(line.as_bytes());
        }
    }

    /// Writes `message` at `level` to the error logs (`targets`, or the main ones).
    pub fn error_to(&mut self, targets: Option<&[ErrorLog]>, level: Level, message: &str) {
        let pid = guest_server::pid();
        let line = format!("{} [{}] {pid}#{pid}: {message}\n", Civil::now().nginx_error(), level.name());
        let targets: Vec<ErrorLog> = targets.map_or_else(|| self.errors.clone(), <[ErrorLog]>::to_vec);
        for t in targets.iter().filter(|t| level >= t.level) {
            self.write(&t.path, &line);
        }
        if self.echo && level >= Level::Warn {
            let _ = writeln!(io::stderr(), "nginx: [{}] {message}", level.name());
        }
    }

    pub fn error(&mut self, level: Level, message: &str) {
        self.error_to(None, level, message);
    }

    /// Appends a formatted line to an access log.
    pub fn access(&mut self, log: &AccessLog, line: &str) {
        self.write(&log.path, &format!("{line}\n"));
    }
}
