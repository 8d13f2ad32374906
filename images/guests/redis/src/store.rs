//! Everything commands share: the databases, the server's settings (`CONFIG GET`), counters for
//! `INFO`, the pub/sub registry, and what a command leaves for the event loop to do (messages
//! to deliver to other clients, lists that got elements for blocked clients).

use crate::config::Settings;
use crate::db::Db;
use crate::resp::Reply;
use std::collections::BTreeMap;

/// Counters `INFO` shows.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub connections: u64,
    pub commands: u64,
    pub hits: u64,
    pub misses: u64,
    pub expired: u64,
    pub clients: usize,
    pub blocked: usize,
}

#[derive(Debug)]
pub struct Store {
    pub dbs: Vec<Db>,
    pub settings: Settings,
    pub stats: Stats,
    /// Changes since the last save.
    pub dirty: u64,
    /// Seconds since the epoch of the last save (or start).
    pub last_save: u64,
    pub last_save_ok: bool,
    /// Milliseconds since the epoch at start.
    pub started: u64,
    /// Channel -> subscribed client ids.
    pub subs: BTreeMap<Vec<u8>, Vec<u64>>,
    /// (pattern, client id).
    pub psubs: Vec<(Vec<u8>, u64)>,
    /// Replies for other clients (pub/sub messages).
    pub outbox: Vec<(u64, Reply)>,
    /// (db, key) of lists that got elements: blocked clients may be served.
    pub ready: Vec<(usize, Vec<u8>)>,
    /// Redis 6 messages (backquotes in `unknown command`...).
    pub legacy: bool,
    /// Every client's line for `CLIENT LIST`, refreshed by the event loop.
    pub client_lines: Vec<String>,
}

impl Store {
    pub fn new(settings: Settings, now_ms: u64) -> Store {
        let dbs = (0..settings.databases).map(|_| Db::default()).collect();
        let legacy = !crate::version::get().starts_with('7') && !crate::version::get().starts_with('8');
        Store {
            dbs,
            settings,
            stats: Stats::default(),
            dirty: 0,
            last_save: now_ms / 1000,
            last_save_ok: true,
            started: now_ms,
            subs: BTreeMap::new(),
            psubs: Vec::new(),
            outbox: Vec::new(),
            ready: Vec::new(),
            legacy,
            client_lines: Vec::new(),
        }
    }

    /// Forgets every subscription of client `id` (it disconnected).
    pub fn unsubscribe_all(&mut self, id: u64) {
        for ids in self.subs.values_mut() {
            ids.retain(|i| *i != id);
        }
        self.subs.retain(|_, ids| !ids.is_empty());
        self.psubs.retain(|(_, i)| *i != id);
    }
}
