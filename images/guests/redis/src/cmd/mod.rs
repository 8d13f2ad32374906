//! Commands: the table of names and arities Redis checks before running one (`ERR unknown
//! command`, `ERR wrong number of arguments for 'get' command`), the state they act on, and
//! what running one produces (a reply, several, a blocked client, the end of the connection).

mod hashes;
mod keys;
mod lists;
mod pubsub;
mod server;
mod sets;
mod strings;

use crate::db::{Db, Value};
use crate::resp::Reply;
use crate::store::Store;

pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
pub const NOT_INT: &str = "ERR value is not an integer or out of range";
pub const SYNTAX: &str = "ERR syntax error";

/// A connection's own state.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub id: u64,
    pub db: usize,
    pub name: Option<Vec<u8>>,
    pub addr: String,
    pub laddr: String,
    pub channels: Vec<Vec<u8>>,
    pub patterns: Vec<Vec<u8>>,
    /// Milliseconds since the epoch when it connected.
    pub since: u64,
    pub last_command: String,
    /// `AUTH` succeeded (or no password is required).
    pub authenticated: bool,
}

impl Client {
    pub fn subscriptions(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }
}

/// `BLPOP`/`BRPOP` waiting for one of `keys` to get an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub keys: Vec<Vec<u8>>,
    pub left: bool,
    /// Milliseconds since the epoch; `None`: forever.
    pub deadline: Option<u64>,
}

/// What running a command produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Reply(Reply),
    /// Several replies (`SUBSCRIBE a b`).
    Replies(Vec<Reply>),
    Block(Block),
    /// `QUIT`: reply, then close.
    Quit,
    /// `SHUTDOWN [NOSAVE|SAVE]`.
    Shutdown(Option<bool>),
}

impl From<Reply> for Outcome {
    fn from(r: Reply) -> Self {
        Outcome::Reply(r)
    }
}

pub type Result = std::result::Result<Outcome, Reply>;

/// What a command runs with.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub client: &'a mut Client,
    /// Milliseconds since the epoch.
    pub now: u64,
}

impl Ctx<'_> {
    pub fn db(&mut self) -> &mut Db {
        &mut self.store.dbs[self.client.db]
    }

    /// The value at `key`, if any.
    pub fn value(&mut self, key: &[u8]) -> Option<&mut Value> {
        let now = self.now;
        self.db().get_mut(key, now).map(|e| &mut e.value)
    }

    /// Notes a change (for `SAVE` points and `INFO`).
    pub fn dirty(&mut self, n: u64) {
        self.store.dirty += n;
    }
}

type Handler = fn(&mut Ctx<'_>, &[Vec<u8>]) -> Result;

/// One command: name, arity (negative: at least that many, the name included) and handler.
struct Command {
    name: &'static str,
    arity: i32,
    run: Handler,
}

const fn c(name: &'static str, arity: i32, run: Handler) -> Command {
    Command { name, arity, run }
}

static COMMANDS: &[Command] = &[
    c("auth", -2, server::auth),
    c("ping", -1, server::ping),
    c("echo", 2, server::echo),
    c("quit", -1, server::quit),
    c("select", 2, server::select),
    c("dbsize", 1, server::dbsize),
    c("flushdb", -1, server::flushdb),
    c("flushall", -1, server::flushall),
    c("info", -1, server::info),
    c("config", -2, server::config),
    c("save", 1, server::save),
    c("bgsave", -1, server::bgsave),
    c("lastsave", 1, server::lastsave),
    c("time", 1, server::time),
    c("client", -2, server::client),
    c("command", -1, server::command),
    c("shutdown", -1, server::shutdown),
    c("get", 2, strings::get),
    c("set", -3, strings::set),
    c("setnx", 3, strings::setnx),
    c("setex", 4, strings::setex),
    c("psetex", 4, strings::psetex),
    c("getset", 3, strings::getset),
    c("getdel", 2, strings::getdel),
    c("mget", -2, strings::mget),
    c("mset", -3, strings::mset),
    c("msetnx", -3, strings::msetnx),
    c("incr", 2, strings::incr),
    c("decr", 2, strings::decr),
    c("incrby", 3, strings::incrby),
    c("decrby", 3, strings::decrby),
    c("incrbyfloat", 3, strings::incrbyfloat),
    c("append", 3, strings::append),
    c("strlen", 2, strings::strlen),
    c("getrange", 4, strings::getrange),
    c("del", -2, keys::del),
    c("unlink", -2, keys::del),
    c("exists", -2, keys::exists),
    c("keys", 2, keys::keys),
    c("scan", -2, keys::scan),
    c("expire", -3, keys::expire),
    c("pexpire", -3, keys::pexpire),
    c("expireat", -3, keys::expireat),
    c("ttl", 2, keys::ttl),
    c("pttl", 2, keys::pttl),
    c("persist", 2, keys::persist),
    c("type", 2, keys::type_),
    c("rename", 3, keys::rename),
    c("renamenx", 3, keys::renamenx),
    c("randomkey", 1, keys::randomkey),
    c("lpush", -3, lists::lpush),
    c("rpush", -3, lists::rpush),
    c("lpushx", -3, lists::lpushx),
    c("rpushx", -3, lists::rpushx),
    c("lpop", -2, lists::lpop),
    c("rpop", -2, lists::rpop),
    c("llen", 2, lists::llen),
    c("lrange", 4, lists::lrange),
    c("lindex", 3, lists::lindex),
    c("lset", 4, lists::lset),
    c("lrem", 4, lists::lrem),
    c("ltrim", 4, lists::ltrim),
    c("rpoplpush", 3, lists::rpoplpush),
    c("blpop", -3, lists::blpop),
    c("brpop", -3, lists::brpop),
    c("hset", -4, hashes::hset),
    c("hmset", -4, hashes::hmset),
    c("hsetnx", 4, hashes::hsetnx),
    c("hget", 3, hashes::hget),
    c("hmget", -3, hashes::hmget),
    c("hgetall", 2, hashes::hgetall),
    c("hdel", -3, hashes::hdel),
    c("hkeys", 2, hashes::hkeys),
    c("hvals", 2, hashes::hvals),
    c("hlen", 2, hashes::hlen),
    c("hexists", 3, hashes::hexists),
    c("hincrby", 4, hashes::hincrby),
    c("sadd", -3, sets::sadd),
    c("srem", -3, sets::srem),
    c("smembers", 2, sets::smembers),
    c("sismember", 3, sets::sismember),
    c("scard", 2, sets::scard),
    c("sinter", -2, sets::sinter),
    c("sunion", -2, sets::sunion),
    c("sdiff", -2, sets::sdiff),
    c("spop", -2, sets::spop),
    c("publish", 3, pubsub::publish),
    c("subscribe", -2, pubsub::subscribe),
    c("unsubscribe", -1, pubsub::unsubscribe),
    c("psubscribe", -2, pubsub::psubscribe),
    c("punsubscribe", -1, pubsub::punsubscribe),
    c("pubsub", -2, pubsub::pubsub),
];

/// Commands a client in subscribed mode may send.
const SUBSCRIBED_OK: &[&str] = &["subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ping", "quit", "reset"];

/// Runs one command.
pub fn execute(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Outcome {
    let Some(first) = args.first() else { return Outcome::Replies(Vec::new()) };
    let typed = String::from_utf8_lossy(first).into_owned();
    let name = typed.to_ascii_lowercase();
    let legacy = ctx.store.legacy;
    let Some(cmd) = COMMANDS.iter().find(|c| c.name == name) else {
        let shown: String = args[1..]
            .iter()
            .map(|a| {
                let a = String::from_utf8_lossy(&a[..a.len().min(128)]).into_owned();
                if legacy {
                    format!("`{a}`, ")
                } else {
                    format!("'{a}' ")
                }
            })
            .collect();
        let msg = if legacy {
            format!("ERR unknown command `{typed}`, with args beginning with: {shown}")
        } else {
            format!("ERR unknown command '{typed}', with args beginning with: {shown}")
        };
        return Outcome::Reply(Reply::err(msg));
    };
    let n = args.len() as i32;
    if (cmd.arity > 0 && n != cmd.arity) || (cmd.arity < 0 && n < -cmd.arity) {
        return Outcome::Reply(Reply::err(format!("ERR wrong number of arguments for '{name}' command")));
    }
    let needs_auth = ctx.store.settings.requirepass.is_some() && !ctx.client.authenticated;
    if needs_auth && !matches!(name.as_str(), "auth" | "quit" | "hello") {
        return Outcome::Reply(Reply::err("NOAUTH Authentication required."));
    }
    if ctx.client.subscriptions() > 0 && !SUBSCRIBED_OK.contains(&name.as_str()) {
        let msg = if legacy {
            "ERR only (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING / QUIT allowed in this context".to_string()
        } else {
            format!("ERR Can't execute '{name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
        };
        return Outcome::Reply(Reply::err(msg));
    }
    ctx.client.last_command = name;
    ctx.store.stats.commands += 1;
    (cmd.run)(ctx, &args[1..]).unwrap_or_else(Outcome::Reply)
}

/// Pops for a client blocked on `keys` (see `BLPOP`).
pub fn lists_pop_first(store: &mut Store, db: usize, keys: &[Vec<u8>], left: bool, now: u64) -> Option<Reply> {
    lists::pop_first(store, db, keys, left, now)
}

/// An integer argument, or `ERR value is not an integer or out of range`.
pub fn int_arg(a: &[u8]) -> std::result::Result<i64, Reply> {
    std::str::from_utf8(a).ok().and_then(|s| s.parse().ok()).ok_or_else(|| Reply::err(NOT_INT))
}

/// Lowercased text of an argument (options like `EX`, `NX`).
pub fn word(a: &[u8]) -> String {
    String::from_utf8_lossy(a).to_ascii_lowercase()
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
