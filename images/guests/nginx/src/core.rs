//! What every request of one configuration generation shares: the configuration, the open logs,
//! the round-robin positions of the upstream groups, and what the access log needs to know of
//! each connection's current request. A reload builds a new `Core`; requests in flight finish
//! with the old one.

use crate::conf::model::Level;
use crate::conf::settings::AccessLog;
use crate::conf::Config;
use crate::logs::Logs;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Instant;

/// What the access log line of a request needs beyond the request and response.
#[derive(Debug, Clone, Default)]
pub struct Note {
    pub access_logs: Vec<AccessLog>,
    pub server_name: String,
    pub uri: String,
    pub document_root: String,
    pub request_filename: String,
    pub upstream_addr: String,
    pub upstream_status: String,
    pub upstream_time: String,
    pub proxy_host: String,
    pub proxy_port: String,
    pub started: Option<Instant>,
}

#[derive(Debug)]
pub struct Core {
    pub config: Config,
    pub logs: RefCell<Logs>,
    /// Next peer of each upstream group.
    rr: RefCell<BTreeMap<String, usize>>,
    /// By connection serial: the note of the request being answered.
    pub notes: RefCell<BTreeMap<u64, Note>>,
    pub hostname: String,
}

impl Core {
    pub fn new(config: Config, logs: Logs) -> Core {
        let hostname = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
        Core { config, logs: RefCell::new(logs), rr: RefCell::default(), notes: RefCell::default(), hostname }
    }

    pub fn error(&self, level: Level, message: &str) {
        self.logs.borrow_mut().error(level, message);
    }

    /// The peers of `group` in the order to try them: round-robin over the primary peers, then
    /// the backups.
    pub fn peers(&self, group: &str) -> Vec<SocketAddr> {
        let Some(u) = self.config.http.upstream(group) else { return Vec::new() };
        let mut rr = self.rr.borrow_mut();
        let next = rr.entry(group.to_string()).or_insert(0);
        let n = u.peers.len();
        let mut out = Vec::with_capacity(n + u.backups.len());
        if n > 0 {
            let start = *next % n;
            *next = (start + 1) % n;
            for i in 0..n {
                let p = u.peers[(start + i) % n];
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out.extend(u.backups.iter().copied());
        out
    }
}
