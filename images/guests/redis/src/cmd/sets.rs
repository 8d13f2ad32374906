//! Set commands: unique members, with the set algebra (`SINTER`, `SUNION`, `SDIFF`).

use super::{int_arg, Ctx, Result, WRONGTYPE};
use crate::db::{set_insert, Value};
use crate::resp::Reply;

fn set<'a>(ctx: &'a mut Ctx<'_>, key: &[u8]) -> std::result::Result<Option<&'a mut Vec<Vec<u8>>>, Reply> {
    match ctx.value(key) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s)),
        Some(_) => Err(Reply::err(WRONGTYPE)),
    }
}

fn members(ctx: &mut Ctx<'_>, key: &[u8]) -> std::result::Result<Vec<Vec<u8>>, Reply> {
    Ok(set(ctx, key)?.cloned().unwrap_or_default())
}

pub fn sadd(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    if set(ctx, &a[0])?.is_none() {
        ctx.db().set(&a[0], Value::Set(Vec::new()));
    }
    let s = set(ctx, &a[0])?.ok_or_else(|| Reply::err(WRONGTYPE))?;
    let added = a[1..].iter().filter(|m| set_insert(s, m.to_vec())).count();
    ctx.dirty(added as u64);
    Ok(Reply::Int(added as i64).into())
}

pub fn srem(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let Some(s) = set(ctx, &a[0])? else { return Ok(Reply::Int(0).into()) };
    let before = s.len();
    s.retain(|m| !a[1..].contains(m));
    let removed = before - s.len();
    if s.is_empty() {
        ctx.db().keys.remove(&a[0]);
    }
    ctx.dirty(removed as u64);
    Ok(Reply::Int(removed as i64).into())
}

pub fn smembers(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::bulks(members(ctx, &a[0])?).into())
}

pub fn sismember(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::Int(i64::from(members(ctx, &a[0])?.contains(&a[1]))).into())
}

pub fn scard(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::Int(members(ctx, &a[0])?.len() as i64).into())
}

pub fn sinter(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let mut acc = members(ctx, &a[0])?;
    for k in &a[1..] {
        let other = members(ctx, k)?;
        acc.retain(|m| other.contains(m));
    }
    Ok(Reply::bulks(acc).into())
}

pub fn sunion(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let mut acc = Vec::new();
    for k in a {
        for m in members(ctx, k)? {
            set_insert(&mut acc, m);
        }
    }
    Ok(Reply::bulks(acc).into())
}

pub fn sdiff(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let mut acc = members(ctx, &a[0])?;
    for k in &a[1..] {
        let other = members(ctx, k)?;
        acc.retain(|m| !other.contains(m));
    }
    Ok(Reply::bulks(acc).into())
}

/// `SPOP key [count]`: members leave from the end (the order here is insertion order).
pub fn spop(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let count = a.get(1).map(|c| int_arg(c)).transpose()?;
    if count.is_some_and(|c| c < 0) {
        return Err(Reply::err("ERR value is out of range, must be positive"));
    }
    let Some(s) = set(ctx, &a[0])? else {
        return Ok(if count.is_some() { Reply::Array(Vec::new()) } else { Reply::Nil }.into());
    };
    let n = count.unwrap_or(1) as usize;
    let popped: Vec<Vec<u8>> = (0..n).filter_map(|_| s.pop()).collect();
    if s.is_empty() {
        ctx.db().keys.remove(&a[0]);
    }
    ctx.dirty(popped.len() as u64);
    Ok(match count {
        Some(_) => Reply::bulks(popped),
        None => popped.into_iter().next().map_or(Reply::Nil, Reply::Bulk),
    }
    .into())
}
