//! List commands: pushes and pops at both ends, ranges (negative indexes count from the end),
//! and the blocking pops `BLPOP`/`BRPOP` a worker uses to wait for jobs: when no list has an
//! element, the client waits until another client pushes one or the timeout passes.

use super::{int_arg, Block, Ctx, Outcome, Result, WRONGTYPE};
use crate::db::{Db, Entry, Value};
use crate::resp::Reply;
use crate::store::Store;
use std::collections::VecDeque;

/// The inclusive range `start..=end` of a sequence of `len` items, Redis-style (negative from
/// the end, clamped); `None` when empty.
pub fn range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 { (len + start).max(0) } else { start };
    let end = if end < 0 { len + end } else { end.min(len - 1) };
    (start <= end && start < len && end >= 0).then_some((start as usize, end as usize))
}

/// The list at `key` for changing; `None` if missing.
fn list<'a>(ctx: &'a mut Ctx<'_>, key: &[u8]) -> std::result::Result<Option<&'a mut VecDeque<Vec<u8>>>, Reply> {
    match ctx.value(key) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(Reply::err(WRONGTYPE)),
    }
}

fn push(ctx: &mut Ctx<'_>, a: &[Vec<u8>], left: bool, only_existing: bool) -> Result {
    let key = &a[0];
    if list(ctx, key)?.is_none() {
        if only_existing {
            return Ok(Reply::Int(0).into());
        }
        ctx.db().set(key, Value::List(VecDeque::new()));
    }
    let l = list(ctx, key)?.ok_or_else(|| Reply::err(WRONGTYPE))?;
    for v in &a[1..] {
        if left {
            l.push_front(v.clone())
        } else {
            l.push_back(v.clone())
        }
    }
    let len = l.len();
    ctx.dirty(a.len() as u64 - 1);
    let db = ctx.client.db;
    ctx.store.ready.push((db, key.clone()));
    Ok(Reply::Int(len as i64).into())
}

pub fn lpush(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    push(ctx, a, true, false)
}
pub fn rpush(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    push(ctx, a, false, false)
}
pub fn lpushx(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    push(ctx, a, true, true)
}
pub fn rpushx(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    push(ctx, a, false, true)
}

/// Removes `key` if its list became empty (Redis deletes empty aggregates).
fn drop_if_empty(db: &mut Db, key: &[u8]) {
    if matches!(db.keys.get(key), Some(Entry { value: Value::List(l), .. }) if l.is_empty()) {
        db.keys.remove(key);
    }
}

fn pop(ctx: &mut Ctx<'_>, a: &[Vec<u8>], left: bool) -> Result {
    let count = match a.get(1) {
        Some(c) => {
            let n = int_arg(c)
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| Reply::err("ERR value is out of range, must be positive"))?;
            Some(n as usize)
        }
        None => None,
    };
    if a.len() > 2 {
        return Err(Reply::err(format!(
            "ERR wrong number of arguments for '{}' command",
            if left { "lpop" } else { "rpop" }
        )));
    }
    let Some(l) = list(ctx, &a[0])? else {
        return Ok(if count.is_some() { Reply::NilArray } else { Reply::Nil }.into());
    };
    let mut out = Vec::new();
    for _ in 0..count.unwrap_or(1) {
        match if left { l.pop_front() } else { l.pop_back() } {
            Some(v) => out.push(v),
            None => break,
        }
    }
    drop_if_empty(ctx.db(), &a[0]);
    ctx.dirty(out.len() as u64);
    Ok(match count {
        Some(_) => Reply::bulks(out),
        None => out.pop().map_or(Reply::Nil, Reply::Bulk),
    }
    .into())
}

pub fn lpop(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    pop(ctx, a, true)
}
pub fn rpop(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    pop(ctx, a, false)
}

pub fn llen(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::Int(list(ctx, &a[0])?.map_or(0, |l| l.len() as i64)).into())
}

pub fn lrange(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let (start, end) = (int_arg(&a[1])?, int_arg(&a[2])?);
    let Some(l) = list(ctx, &a[0])? else { return Ok(Reply::Array(Vec::new()).into()) };
    let items = match range(start, end, l.len()) {
        Some((s, e)) => l.range(s..=e).cloned().collect(),
        None => Vec::new(),
    };
    Ok(Reply::bulks(items).into())
}

pub fn lindex(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let i = int_arg(&a[1])?;
    let Some(l) = list(ctx, &a[0])? else { return Ok(Reply::Nil.into()) };
    let idx = if i < 0 { l.len() as i64 + i } else { i };
    Ok(usize::try_from(idx).ok().and_then(|i| l.get(i)).map_or(Reply::Nil, Reply::bulk).into())
}

pub fn lset(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let i = int_arg(&a[1])?;
    let Some(l) = list(ctx, &a[0])? else { return Err(Reply::err("ERR no such key")) };
    let idx = if i < 0 { l.len() as i64 + i } else { i };
    let slot =
        usize::try_from(idx).ok().and_then(|i| l.get_mut(i)).ok_or_else(|| Reply::err("ERR index out of range"))?;
    *slot = a[2].clone();
    ctx.dirty(1);
    Ok(Reply::ok().into())
}

pub fn lrem(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let count = int_arg(&a[1])?;
    let Some(l) = list(ctx, &a[0])? else { return Ok(Reply::Int(0).into()) };
    let mut removed = 0i64;
    let limit = if count == 0 { i64::MAX } else { count.abs() };
    if count >= 0 {
        let mut i = 0;
        while i < l.len() && removed < limit {
            if l[i] == a[2] {
                l.remove(i);
                removed += 1;
            } else {
                i += 1;
            }
        }
    } else {
        let mut i = l.len();
        while i > 0 && removed < limit {
            i -= 1;
            if l[i] == a[2] {
                l.remove(i);
                removed += 1;
            }
        }
    }
    drop_if_empty(ctx.db(), &a[0]);
    ctx.dirty(removed as u64);
    Ok(Reply::Int(removed).into())
}

pub fn ltrim(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let (start, end) = (int_arg(&a[1])?, int_arg(&a[2])?);
    let Some(l) = list(ctx, &a[0])? else { return Ok(Reply::ok().into()) };
    match range(start, end, l.len()) {
        Some((s, e)) => {
            l.truncate(e + 1);
            l.drain(..s);
        }
        None => l.clear(),
    }
    drop_if_empty(ctx.db(), &a[0]);
    ctx.dirty(1);
    Ok(Reply::ok().into())
}

pub fn rpoplpush(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    if !matches!(ctx.value(&a[1]), None | Some(Value::List(_))) {
        return Err(Reply::err(WRONGTYPE));
    }
    let Some(v) = list(ctx, &a[0])?.and_then(VecDeque::pop_back) else { return Ok(Reply::Nil.into()) };
    drop_if_empty(ctx.db(), &a[0]);
    push(ctx, &[a[1].clone(), v.clone()], true, false)?;
    Ok(Reply::Bulk(v).into())
}

/// Pops for a blocked (or blocking) client from the first of `keys` holding elements.
pub fn pop_first(store: &mut Store, db: usize, keys: &[Vec<u8>], left: bool, now: u64) -> Option<Reply> {
    let d = &mut store.dbs[db];
    for key in keys {
        if let Some(Entry { value: Value::List(l), .. }) = d.get_mut(key, now) {
            if let Some(v) = if left { l.pop_front() } else { l.pop_back() } {
                drop_if_empty(d, key);
                store.dirty += 1;
                return Some(Reply::Array(vec![Reply::bulk(key), Reply::Bulk(v)]));
            }
        }
    }
    None
}

fn bpop(ctx: &mut Ctx<'_>, a: &[Vec<u8>], left: bool) -> Result {
    let (keys, timeout) = a.split_at(a.len() - 1);
    let secs: f64 = std::str::from_utf8(&timeout[0])
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|t: &f64| t.is_finite())
        .ok_or_else(|| Reply::err("ERR timeout is not a float or out of range"))?;
    if secs < 0.0 {
        return Err(Reply::err("ERR timeout is negative"));
    }
    for k in keys {
        if !matches!(ctx.value(k), None | Some(Value::List(_))) {
            return Err(Reply::err(WRONGTYPE));
        }
    }
    let (db, now) = (ctx.client.db, ctx.now);
    if let Some(r) = pop_first(ctx.store, db, keys, left, now) {
        return Ok(r.into());
    }
    let deadline = (secs > 0.0).then(|| now + (secs * 1000.0) as u64);
    Ok(Outcome::Block(Block { keys: keys.to_vec(), left, deadline }))
}

pub fn blpop(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    bpop(ctx, a, true)
}
pub fn brpop(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    bpop(ctx, a, false)
}
