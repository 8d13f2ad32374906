use super::*;
use crate::config::Settings;

fn setup() -> (Store, Client) {
    // No snapshots from these tests (FLUSHALL writes one when save points are set).
    let settings = Settings { save: Vec::new(), ..Settings::default() };
    (Store::new(settings, 1_000_000), Client { id: 7, ..Client::default() })
}

/// Runs a command line (`SET a 1`) at time `now`.
fn run_at(store: &mut Store, client: &mut Client, line: &str, now: u64) -> Outcome {
    let args = crate::resp::split_args(line.as_bytes()).unwrap();
    execute(&mut Ctx { store, client, now }, &args)
}

fn reply(store: &mut Store, client: &mut Client, line: &str) -> Reply {
    match run_at(store, client, line, 1_000_000) {
        Outcome::Reply(r) => r,
        other => panic!("{line}: {other:?}"),
    }
}

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

#[test]
fn strings_counters_and_their_errors() {
    let (mut s, mut c) = setup();
    let mut r = |line: &str| reply(&mut s, &mut c, line);
    assert_eq!(r("SET a hello"), Reply::ok());
    assert_eq!(r("GET a"), bulk("hello"));
    assert_eq!(r("GET nope"), Reply::Nil);
    assert_eq!(r("SET a x NX"), Reply::Nil);
    assert_eq!(r("SET b x XX"), Reply::Nil);
    assert_eq!(r("SET a world GET"), bulk("hello"));
    assert_eq!(r("APPEND a !"), Reply::Int(6));
    assert_eq!(r("INCR n"), Reply::Int(1));
    assert_eq!(r("INCRBY n 10"), Reply::Int(11));
    assert_eq!(r("DECR n"), Reply::Int(10));
    assert_eq!(r("INCR a"), Reply::err("ERR value is not an integer or out of range"));
    assert_eq!(r("INCRBYFLOAT f 10.5"), bulk("10.5"));
    assert_eq!(r("MSET x 1 y 2"), Reply::ok());
    assert_eq!(r("MGET x y z"), Reply::Array(vec![bulk("1"), bulk("2"), Reply::Nil]));
    assert_eq!(r("SET a b EX 0"), Reply::err("ERR invalid expire time in 'set' command"));
    assert_eq!(r("SET a b FOO"), Reply::err("ERR syntax error"));
    assert_eq!(r("GET"), Reply::err("ERR wrong number of arguments for 'get' command"));
    assert_eq!(r("FOO bar baz"), Reply::err("ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' "));
    assert_eq!(r("LPUSH a 1"), Reply::err("WRONGTYPE Operation against a key holding the wrong kind of value"));
}

#[test]
fn keys_expire_and_report_their_ttl() {
    let (mut s, mut c) = setup();
    assert_eq!(reply(&mut s, &mut c, "SET k v EX 10"), Reply::ok());
    assert_eq!(reply(&mut s, &mut c, "TTL k"), Reply::Int(10));
    assert_eq!(reply(&mut s, &mut c, "TTL nope"), Reply::Int(-2));
    assert_eq!(run_at(&mut s, &mut c, "GET k", 1_010_000), Outcome::Reply(Reply::Nil));
    let r = |s: &mut Store, c: &mut Client, l: &str| reply(s, c, l);
    r(&mut s, &mut c, "SET p v");
    assert_eq!(r(&mut s, &mut c, "TTL p"), Reply::Int(-1));
    assert_eq!(r(&mut s, &mut c, "EXPIRE p 100"), Reply::Int(1));
    assert_eq!(r(&mut s, &mut c, "PERSIST p"), Reply::Int(1));
    assert_eq!(r(&mut s, &mut c, "TYPE p"), Reply::Status("string".into()));
    r(&mut s, &mut c, "SET user:1 a");
    r(&mut s, &mut c, "SET user:2 b");
    assert_eq!(r(&mut s, &mut c, "KEYS user:*"), Reply::bulks(["user:1", "user:2"]));
    assert_eq!(r(&mut s, &mut c, "EXISTS user:1 user:2 nope"), Reply::Int(2));
    assert_eq!(r(&mut s, &mut c, "DEL user:1 nope"), Reply::Int(1));
    assert_eq!(r(&mut s, &mut c, "DBSIZE"), Reply::Int(2));
    assert_eq!(r(&mut s, &mut c, "SELECT 1"), Reply::ok());
    assert_eq!(r(&mut s, &mut c, "DBSIZE"), Reply::Int(0));
    assert_eq!(r(&mut s, &mut c, "SELECT 16"), Reply::err("ERR DB index is out of range"));
    assert_eq!(r(&mut s, &mut c, "FLUSHALL"), Reply::ok());
}

#[test]
fn lists_hashes_and_sets() {
    let (mut s, mut c) = setup();
    let mut r = |line: &str| reply(&mut s, &mut c, line);
    assert_eq!(r("RPUSH l a b c"), Reply::Int(3));
    assert_eq!(r("LPUSH l z"), Reply::Int(4));
    assert_eq!(r("LRANGE l 0 -1"), Reply::bulks(["z", "a", "b", "c"]));
    assert_eq!(r("LRANGE l -2 100"), Reply::bulks(["b", "c"]));
    assert_eq!(r("LPOP l"), bulk("z"));
    assert_eq!(r("RPOP l 2"), Reply::bulks(["c", "b"]));
    assert_eq!(r("LLEN l"), Reply::Int(1));
    assert_eq!(r("RPOP l"), bulk("a"));
    assert_eq!(r("EXISTS l"), Reply::Int(0), "an empty list is removed");
    assert_eq!(r("HSET h name alice age 30"), Reply::Int(2));
    assert_eq!(r("HSET h age 31"), Reply::Int(0));
    assert_eq!(r("HGET h age"), bulk("31"));
    assert_eq!(r("HGETALL h"), Reply::bulks(["name", "alice", "age", "31"]));
    assert_eq!(r("HKEYS h"), Reply::bulks(["name", "age"]));
    assert_eq!(r("HDEL h age nope"), Reply::Int(1));
    assert_eq!(r("HINCRBY h visits 5"), Reply::Int(5));
    assert_eq!(r("SADD s b a b"), Reply::Int(2));
    assert_eq!(r("SISMEMBER s a"), Reply::Int(1));
    assert_eq!(r("SCARD s"), Reply::Int(2));
    assert_eq!(r("SREM s a"), Reply::Int(1));
    assert_eq!(r("SMEMBERS s"), Reply::bulks(["b"]));
    assert_eq!(r("SADD n 3 1 2"), Reply::Int(3));
    assert_eq!(r("SMEMBERS n"), Reply::bulks(["1", "2", "3"]));
}

#[test]
fn blocking_pops_wait_and_pushes_mark_lists_ready() {
    let (mut s, mut c) = setup();
    match run_at(&mut s, &mut c, "BLPOP jobs 5", 1_000_000) {
        Outcome::Block(b) => assert_eq!((b.keys, b.left, b.deadline), (vec![b"jobs".to_vec()], true, Some(1_005_000))),
        other => panic!("{other:?}"),
    }
    assert_eq!(reply(&mut s, &mut c, "RPUSH jobs j1"), Reply::Int(1));
    assert_eq!(s.ready, [(0, b"jobs".to_vec())]);
    assert_eq!(lists_pop_first(&mut s, 0, &[b"jobs".to_vec()], true, 1_000_001), Some(Reply::bulks(["jobs", "j1"])));
    reply(&mut s, &mut c, "RPUSH jobs j2");
    assert_eq!(run_at(&mut s, &mut c, "BRPOP other jobs 0", 1_000_000), Outcome::Reply(Reply::bulks(["jobs", "j2"])));
    assert_eq!(reply(&mut s, &mut c, "BLPOP jobs -1"), Reply::err("ERR timeout is negative"));
}

#[test]
fn pubsub_confirms_delivers_and_restricts_subscribed_clients() {
    let (mut s, mut c) = setup();
    let Outcome::Replies(rs) = run_at(&mut s, &mut c, "SUBSCRIBE news sport", 0) else { panic!() };
    assert_eq!(rs[1], Reply::Array(vec![bulk("subscribe"), bulk("sport"), Reply::Int(2)]));
    assert_eq!(
        reply(&mut s, &mut c, "GET a"),
        Reply::err("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
    );
    assert_eq!(reply(&mut s, &mut c, "PING"), Reply::Array(vec![bulk("pong"), bulk("")]));
    let mut other = Client { id: 9, ..Client::default() };
    assert_eq!(reply(&mut s, &mut other, "PUBLISH news hi"), Reply::Int(1));
    assert_eq!(s.outbox, [(7, Reply::Array(vec![bulk("message"), bulk("news"), bulk("hi")]))]);
    assert_eq!(reply(&mut s, &mut other, "PUBLISH nobody hi"), Reply::Int(0));
}

#[test]
fn requirepass_asks_for_auth_first() {
    let settings = Settings { save: Vec::new(), requirepass: Some("s3cret".into()), ..Settings::default() };
    let (mut s, mut c) = (Store::new(settings, 0), Client::default());
    assert_eq!(reply(&mut s, &mut c, "GET a"), Reply::err("NOAUTH Authentication required."));
    assert_eq!(
        reply(&mut s, &mut c, "AUTH nope"),
        Reply::err("WRONGPASS invalid username-password pair or user is disabled.")
    );
    assert_eq!(reply(&mut s, &mut c, "AUTH s3cret"), Reply::ok());
    assert_eq!(reply(&mut s, &mut c, "GET a"), Reply::Nil);
    let (mut s, mut c) = setup();
    assert!(
        matches!(reply(&mut s, &mut c, "AUTH x"), Reply::Error(e) if e.starts_with("ERR AUTH <password> called without"))
    );
}
