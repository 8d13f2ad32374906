//! `INFO`: `# Section` headers and `field:value` lines, CRLF-separated, as Redis prints them.

use crate::store::Store;

fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.2}G", b as f64 / f64::from(1 << 30)),
        b if b >= 1 << 20 => format!("{:.2}M", b as f64 / f64::from(1 << 20)),
        b => format!("{:.2}K", b as f64 / 1024.0),
    }
}

/// A rough count of the bytes the data takes (keys, values, bookkeeping).
pub fn used_memory(store: &Store) -> u64 {
    use crate::db::Value;
    let mut n: u64 = 900_000;
    for db in &store.dbs {
        for (k, e) in &db.keys {
            n += 64 + k.len() as u64;
            n += match &e.value {
                Value::Str(s) => s.len() as u64,
                Value::List(l) => l.iter().map(|x| 16 + x.len() as u64).sum(),
                Value::Hash(h) => h.iter().map(|(f, v)| 32 + (f.len() + v.len()) as u64).sum(),
                Value::Set(s) => s.iter().map(|x| 16 + x.len() as u64).sum(),
            };
        }
    }
    n
}

/// The `INFO [section]` text (`all`, `default` or empty: every section).
pub fn render(store: &Store, now: u64, section: &str) -> String {
    let uptime = now.saturating_sub(store.started) / 1000;
    let mem = used_memory(store);
    let version = crate::version::get();
    let sections: Vec<(&str, Vec<(String, String)>)> = vec![
        (
            "Server",
            vec![
                ("redis_version".into(), version.to_string()),
                ("redis_git_sha1".into(), "00000000".into()),
                ("redis_git_dirty".into(), "0".into()),
                ("redis_mode".into(), "standalone".into()),
                ("os".into(), "Linux wasm32-wasip1".into()),
                ("arch_bits".into(), "32".into()),
                ("multiplexing_api".into(), "poll".into()),
                ("process_id".into(), guest_server::pid().to_string()),
                ("tcp_port".into(), store.settings.port.to_string()),
                ("uptime_in_seconds".into(), uptime.to_string()),
                ("uptime_in_days".into(), (uptime / 86_400).to_string()),
                ("executable".into(), "/usr/local/bin/redis-server".into()),
                ("config_file".into(), store.settings.config_file.clone().unwrap_or_default()),
            ],
        ),
        (
            "Clients",
            vec![
                ("connected_clients".into(), store.stats.clients.to_string()),
                ("blocked_clients".into(), store.stats.blocked.to_string()),
                (
                    "pubsub_clients".into(),
                    store
                        .subs
                        .values()
                        .flatten()
                        .chain(store.psubs.iter().map(|(_, i)| i))
                        .collect::<std::collections::BTreeSet<_>>()
                        .len()
                        .to_string(),
                ),
            ],
        ),
        (
            "Memory",
            vec![
                ("used_memory".into(), mem.to_string()),
                ("used_memory_human".into(), human(mem)),
                ("maxmemory".into(), store.settings.maxmemory.to_string()),
                ("maxmemory_human".into(), human(store.settings.maxmemory)),
                ("maxmemory_policy".into(), "noeviction".into()),
            ],
        ),
        (
            "Persistence",
            vec![
                ("loading".into(), "0".into()),
                ("rdb_changes_since_last_save".into(), store.dirty.to_string()),
                ("rdb_bgsave_in_progress".into(), "0".into()),
                ("rdb_last_save_time".into(), store.last_save.to_string()),
                ("rdb_last_bgsave_status".into(), if store.last_save_ok { "ok" } else { "err" }.into()),
                ("aof_enabled".into(), if store.settings.appendonly { "1" } else { "0" }.into()),
            ],
        ),
        (
            "Stats",
            vec![
                ("total_connections_received".into(), store.stats.connections.to_string()),
                ("total_commands_processed".into(), store.stats.commands.to_string()),
                ("expired_keys".into(), store.stats.expired.to_string()),
                ("keyspace_hits".into(), store.stats.hits.to_string()),
                ("keyspace_misses".into(), store.stats.misses.to_string()),
                ("pubsub_channels".into(), store.subs.len().to_string()),
                ("pubsub_patterns".into(), store.psubs.len().to_string()),
            ],
        ),
        ("Replication", vec![("role".into(), "master".into()), ("connected_slaves".into(), "0".into())]),
        (
            "Keyspace",
            store
                .dbs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.len(now) > 0)
                .map(|(i, d)| (format!("db{i}"), format!("keys={},expires={},avg_ttl=0", d.len(now), d.expiring(now))))
                .collect(),
        ),
    ];
    let wanted = |name: &str| {
        section.is_empty()
            || section == "all"
            || section == "default"
            || section == "everything"
            || section == name.to_ascii_lowercase()
    };
    let mut out = String::new();
    for (name, fields) in sections.into_iter().filter(|(n, _)| wanted(n)) {
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        out.push_str(&format!("# {name}\r\n"));
        for (k, v) in fields {
            out.push_str(&format!("{k}:{v}\r\n"));
        }
    }
    out
}
