//! Key commands: `DEL`, `EXISTS`, `KEYS`, `SCAN`, expiry (`EXPIRE`, `TTL`, `PERSIST`), `TYPE`,
//! `RENAME`.

use super::{int_arg, word, Ctx, Result, SYNTAX};
use crate::db::glob;
use crate::resp::Reply;

pub fn del(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    let n = a.iter().filter(|k| ctx.db().remove(k, now).is_some()).count();
    ctx.dirty(n as u64);
    Ok(Reply::Int(n as i64).into())
}

pub fn exists(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    let n = a.iter().filter(|k| ctx.db().get(k, now).is_some()).count();
    Ok(Reply::Int(n as i64).into())
}

pub fn keys(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    let found: Vec<Vec<u8>> = ctx.db().live(now).filter(|(k, _)| glob(&a[0], k)).map(|(k, _)| k.clone()).collect();
    Ok(Reply::bulks(found).into())
}

/// `SCAN cursor [MATCH p] [COUNT n] [TYPE t]`: everything in one pass (cursor `0` back), which
/// the command's contract allows.
pub fn scan(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    int_arg(&a[0]).map_err(|_| Reply::err("ERR invalid cursor"))?;
    let (mut pattern, mut ty) = (b"*".to_vec(), None);
    let mut i = 1;
    while i < a.len() {
        match (word(&a[i]).as_str(), a.get(i + 1)) {
            ("match", Some(p)) => pattern = p.clone(),
            ("count", Some(n)) => {
                if int_arg(n)? < 1 {
                    return Err(Reply::err(SYNTAX));
                }
            }
            ("type", Some(t)) => ty = Some(word(t)),
            _ => return Err(Reply::err(SYNTAX)),
        }
        i += 2;
    }
    let now = ctx.now;
    let found: Vec<Vec<u8>> = ctx
        .db()
        .live(now)
        .filter(|(k, e)| glob(&pattern, k) && ty.as_deref().is_none_or(|t| e.value.type_name() == t))
        .map(|(k, _)| k.clone())
        .collect();
    Ok(Reply::Array(vec![Reply::bulk("0"), Reply::bulks(found)]).into())
}

/// Sets `key` to expire at `at` ms (or now, deleting it, when in the past); 1 if the key exists.
fn expire_at(ctx: &mut Ctx<'_>, key: &[u8], at: i64, opts: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    let Some(current) = ctx.db().get(key, now).map(|e| e.expires_at) else { return Ok(Reply::Int(0).into()) };
    for o in opts {
        let ok = match word(o).as_str() {
            "nx" => current.is_none(),
            "xx" => current.is_some(),
            "gt" => current.is_some_and(|c| at > c as i64),
            "lt" => current.is_none_or(|c| at < c as i64),
            other => return Err(Reply::err(format!("ERR Unsupported option {other}"))),
        };
        if !ok {
            return Ok(Reply::Int(0).into());
        }
    }
    if at <= now as i64 {
        ctx.db().remove(key, now);
    } else if let Some(e) = ctx.db().get_mut(key, now) {
        e.expires_at = Some(at as u64);
    }
    ctx.dirty(1);
    Ok(Reply::Int(1).into())
}

fn invalid_expire(cmd: &str) -> Reply {
    Reply::err(format!("ERR invalid expire time in '{cmd}' command"))
}

pub fn expire(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let secs = int_arg(&a[1])?;
    let at =
        secs.checked_mul(1000).and_then(|ms| ms.checked_add(ctx.now as i64)).ok_or_else(|| invalid_expire("expire"))?;
    expire_at(ctx, &a[0], at, &a[2..])
}

pub fn pexpire(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let ms = int_arg(&a[1])?;
    let at = ms.checked_add(ctx.now as i64).ok_or_else(|| invalid_expire("pexpire"))?;
    expire_at(ctx, &a[0], at, &a[2..])
}

pub fn expireat(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let t = int_arg(&a[1])?;
    let at = t.checked_mul(1000).ok_or_else(|| invalid_expire("expireat"))?;
    expire_at(ctx, &a[0], at, &a[2..])
}

fn ttl_ms(ctx: &mut Ctx<'_>, key: &[u8]) -> i64 {
    let now = ctx.now;
    match ctx.db().get(key, now) {
        None => -2,
        Some(e) => e.expires_at.map_or(-1, |t| t.saturating_sub(now) as i64),
    }
}

pub fn ttl(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let ms = ttl_ms(ctx, &a[0]);
    Ok(Reply::Int(if ms < 0 { ms } else { (ms + 500) / 1000 }).into())
}

pub fn pttl(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::Int(ttl_ms(ctx, &a[0])).into())
}

pub fn persist(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    let changed = match ctx.db().get_mut(&a[0], now) {
        Some(e) if e.expires_at.is_some() => {
            e.expires_at = None;
            true
        }
        _ => false,
    };
    if changed {
        ctx.dirty(1);
    }
    Ok(Reply::Int(i64::from(changed)).into())
}

pub fn type_(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let t = ctx.value(&a[0]).map_or("none", |v| v.type_name());
    Ok(Reply::Status(t.into()).into())
}

fn rename_to(ctx: &mut Ctx<'_>, a: &[Vec<u8>], only_new: bool) -> Result {
    let now = ctx.now;
    if only_new && ctx.db().get(&a[1], now).is_some() {
        return Ok(Reply::Int(0).into());
    }
    let Some(entry) = ctx.db().remove(&a[0], now) else { return Err(Reply::err("ERR no such key")) };
    ctx.db().keys.insert(a[1].clone(), entry);
    ctx.dirty(1);
    Ok(if only_new { Reply::Int(1) } else { Reply::ok() }.into())
}

pub fn rename(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    rename_to(ctx, a, false)
}

pub fn renamenx(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    rename_to(ctx, a, true)
}

pub fn randomkey(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    let keys: Vec<Vec<u8>> = ctx.db().live(now).map(|(k, _)| k.clone()).collect();
    if keys.is_empty() {
        return Ok(Reply::Nil.into());
    }
    let pick = (now as usize).wrapping_mul(2_654_435_761) % keys.len();
    Ok(Reply::bulk(&keys[pick]).into())
}
