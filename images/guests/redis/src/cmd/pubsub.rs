//! Publish/subscribe: `SUBSCRIBE` puts a connection in subscribed mode, where it receives
//! `message` arrays for what others `PUBLISH` on its channels (`pmessage` for `PSUBSCRIBE`
//! patterns) and may only (un)subscribe, `PING` or `QUIT`.

use super::{word, Ctx, Outcome, Result};
use crate::db::glob;
use crate::resp::Reply;

fn confirm(kind: &str, channel: &[u8], count: usize) -> Reply {
    Reply::Array(vec![Reply::bulk(kind), Reply::bulk(channel), Reply::Int(count as i64)])
}

pub fn subscribe(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let mut out = Vec::new();
    for ch in a {
        if !ctx.client.channels.contains(ch) {
            ctx.client.channels.push(ch.clone());
            ctx.store.subs.entry(ch.clone()).or_default().push(ctx.client.id);
        }
        out.push(confirm("subscribe", ch, ctx.client.subscriptions()));
    }
    Ok(Outcome::Replies(out))
}

pub fn unsubscribe(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let targets: Vec<Vec<u8>> = if a.is_empty() { ctx.client.channels.clone() } else { a.to_vec() };
    if targets.is_empty() {
        return Ok(Outcome::Replies(vec![Reply::Array(vec![
            Reply::bulk("unsubscribe"),
            Reply::Nil,
            Reply::Int(ctx.client.subscriptions() as i64),
        ])]));
    }
    let id = ctx.client.id;
    let mut out = Vec::new();
    for ch in targets {
        ctx.client.channels.retain(|c| *c != ch);
        if let Some(ids) = ctx.store.subs.get_mut(&ch) {
            ids.retain(|i| *i != id);
            if ids.is_empty() {
                ctx.store.subs.remove(&ch);
            }
        }
        out.push(confirm("unsubscribe", &ch, ctx.client.subscriptions()));
    }
    Ok(Outcome::Replies(out))
}

pub fn psubscribe(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let mut out = Vec::new();
    for p in a {
        if !ctx.client.patterns.contains(p) {
            ctx.client.patterns.push(p.clone());
            ctx.store.psubs.push((p.clone(), ctx.client.id));
        }
        out.push(confirm("psubscribe", p, ctx.client.subscriptions()));
    }
    Ok(Outcome::Replies(out))
}

pub fn punsubscribe(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let targets: Vec<Vec<u8>> = if a.is_empty() { ctx.client.patterns.clone() } else { a.to_vec() };
    if targets.is_empty() {
        return Ok(Outcome::Replies(vec![Reply::Array(vec![
            Reply::bulk("punsubscribe"),
            Reply::Nil,
            Reply::Int(ctx.client.subscriptions() as i64),
        ])]));
    }
    let id = ctx.client.id;
    let mut out = Vec::new();
    for p in targets {
        ctx.client.patterns.retain(|c| *c != p);
        ctx.store.psubs.retain(|(q, i)| !(*q == p && *i == id));
        out.push(confirm("punsubscribe", &p, ctx.client.subscriptions()));
    }
    Ok(Outcome::Replies(out))
}

/// Queues the message for every subscriber; how many received it.
pub fn publish(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let (ch, msg) = (&a[0], &a[1]);
    let mut n = 0;
    for id in ctx.store.subs.get(ch).cloned().unwrap_or_default() {
        let m = Reply::Array(vec![Reply::bulk("message"), Reply::bulk(ch), Reply::bulk(msg)]);
        ctx.store.outbox.push((id, m));
        n += 1;
    }
    for (p, id) in ctx.store.psubs.clone() {
        if glob(&p, ch) {
            let m = Reply::Array(vec![Reply::bulk("pmessage"), Reply::bulk(&p), Reply::bulk(ch), Reply::bulk(msg)]);
            ctx.store.outbox.push((id, m));
            n += 1;
        }
    }
    Ok(Reply::Int(n).into())
}

/// `PUBSUB CHANNELS [pattern]`, `PUBSUB NUMSUB [channel...]`, `PUBSUB NUMPAT`.
pub fn pubsub(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    match word(&a[0]).as_str() {
        "channels" => {
            let pattern = a.get(1).cloned().unwrap_or_else(|| b"*".to_vec());
            let chans: Vec<Vec<u8>> = ctx.store.subs.keys().filter(|c| glob(&pattern, c)).cloned().collect();
            Ok(Reply::bulks(chans).into())
        }
        "numsub" => {
            let mut out = Vec::new();
            for ch in &a[1..] {
                out.push(Reply::bulk(ch));
                out.push(Reply::Int(ctx.store.subs.get(ch).map_or(0, Vec::len) as i64));
            }
            Ok(Reply::Array(out).into())
        }
        "numpat" => Ok(Reply::Int(ctx.store.psubs.len() as i64).into()),
        sub => Err(Reply::err(format!("ERR unknown subcommand '{sub}'. Try PUBSUB HELP."))),
    }
}
