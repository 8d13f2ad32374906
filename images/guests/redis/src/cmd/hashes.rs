//! Hash commands: fields and values under one key, in insertion order.

use super::{int_arg, Ctx, Result, WRONGTYPE};
use crate::db::Value;
use crate::resp::Reply;

type Fields = Vec<(Vec<u8>, Vec<u8>)>;

fn hash<'a>(ctx: &'a mut Ctx<'_>, key: &[u8]) -> std::result::Result<Option<&'a mut Fields>, Reply> {
    match ctx.value(key) {
        None => Ok(None),
        Some(Value::Hash(h)) => Ok(Some(h)),
        Some(_) => Err(Reply::err(WRONGTYPE)),
    }
}

fn hash_or_new<'a>(ctx: &'a mut Ctx<'_>, key: &[u8]) -> std::result::Result<&'a mut Fields, Reply> {
    if hash(ctx, key)?.is_none() {
        ctx.db().set(key, Value::Hash(Vec::new()));
    }
    hash(ctx, key)?.ok_or_else(|| Reply::err(WRONGTYPE))
}

/// Sets the pairs of `a[1..]`; how many fields are new.
fn set_pairs(ctx: &mut Ctx<'_>, a: &[Vec<u8>], cmd: &str) -> std::result::Result<i64, Reply> {
    if (a.len() - 1) % 2 != 0 {
        return Err(Reply::err(format!("ERR wrong number of arguments for '{cmd}' command")));
    }
    let h = hash_or_new(ctx, &a[0])?;
    let mut added = 0;
    for pair in a[1..].chunks(2) {
        match h.iter_mut().find(|(f, _)| *f == pair[0]) {
            Some((_, v)) => *v = pair[1].clone(),
            None => {
                h.push((pair[0].clone(), pair[1].clone()));
                added += 1;
            }
        }
    }
    ctx.dirty(1);
    Ok(added)
}

pub fn hset(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::Int(set_pairs(ctx, a, "hset")?).into())
}

pub fn hmset(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    set_pairs(ctx, a, "hmset")?;
    Ok(Reply::ok().into())
}

pub fn hsetnx(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let h = hash_or_new(ctx, &a[0])?;
    if h.iter().any(|(f, _)| *f == a[1]) {
        return Ok(Reply::Int(0).into());
    }
    h.push((a[1].clone(), a[2].clone()));
    ctx.dirty(1);
    Ok(Reply::Int(1).into())
}

pub fn hget(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let v = hash(ctx, &a[0])?.and_then(|h| h.iter().find(|(f, _)| *f == a[1]).map(|(_, v)| v.clone()));
    Ok(v.map_or(Reply::Nil, Reply::Bulk).into())
}

pub fn hmget(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let h = hash(ctx, &a[0])?.cloned().unwrap_or_default();
    let items = a[1..]
        .iter()
        .map(|field| h.iter().find(|(f, _)| f == field).map_or(Reply::Nil, |(_, v)| Reply::bulk(v)))
        .collect();
    Ok(Reply::Array(items).into())
}

pub fn hgetall(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let h = hash(ctx, &a[0])?.cloned().unwrap_or_default();
    Ok(Reply::bulks(h.into_iter().flat_map(|(f, v)| [f, v])).into())
}

pub fn hdel(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let Some(h) = hash(ctx, &a[0])? else { return Ok(Reply::Int(0).into()) };
    let before = h.len();
    h.retain(|(f, _)| !a[1..].contains(f));
    let removed = before - h.len();
    let empty = h.is_empty();
    if empty {
        ctx.db().keys.remove(&a[0]);
    }
    ctx.dirty(removed as u64);
    Ok(Reply::Int(removed as i64).into())
}

pub fn hkeys(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let h = hash(ctx, &a[0])?.cloned().unwrap_or_default();
    Ok(Reply::bulks(h.into_iter().map(|(f, _)| f)).into())
}

pub fn hvals(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let h = hash(ctx, &a[0])?.cloned().unwrap_or_default();
    Ok(Reply::bulks(h.into_iter().map(|(_, v)| v)).into())
}

pub fn hlen(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::Int(hash(ctx, &a[0])?.map_or(0, |h| h.len() as i64)).into())
}

pub fn hexists(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let found = hash(ctx, &a[0])?.is_some_and(|h| h.iter().any(|(f, _)| *f == a[1]));
    Ok(Reply::Int(i64::from(found)).into())
}

pub fn hincrby(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let by = int_arg(&a[2])?;
    let h = hash_or_new(ctx, &a[0])?;
    let slot = match h.iter_mut().position(|(f, _)| *f == a[1]) {
        Some(i) => i,
        None => {
            h.push((a[1].clone(), b"0".to_vec()));
            h.len() - 1
        }
    };
    let current = crate::db::int_of(&h[slot].1).ok_or_else(|| Reply::err("ERR hash value is not an integer"))?;
    let n = current.checked_add(by).ok_or_else(|| Reply::err("ERR increment or decrement would overflow"))?;
    h[slot].1 = n.to_string().into_bytes();
    ctx.dirty(1);
    Ok(Reply::Int(n).into())
}
