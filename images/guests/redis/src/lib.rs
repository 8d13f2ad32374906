//! Redis for the playground's images: `redis-server` speaks RESP2 to any Redis client (the
//! course's Python apps, `redis-cli`, `nc`), keeps strings, lists, hashes and sets with expiry
//! in 16 databases, blocks `BLPOP` until a push, delivers pub/sub messages, and writes RDB
//! snapshots to `/data` so data survives a restart on a volume. `redis-cli` is the client.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod db;
pub mod info;
pub mod log;
pub mod rdb;
pub mod resp;
pub mod server;
pub mod start;
pub mod store;
pub mod version;
