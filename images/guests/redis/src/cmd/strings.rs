//! String commands: `GET`, `SET` with its options, counters (`INCR`...), `APPEND`, `MGET`/`MSET`.

use super::{int_arg, word, Ctx, Outcome, Result, NOT_INT, SYNTAX, WRONGTYPE};
use crate::db::{Entry, Value};
use crate::resp::Reply;

/// The string at `key`: `Ok(None)` if missing, `WRONGTYPE` if it holds another type.
fn get_str(ctx: &mut Ctx<'_>, key: &[u8]) -> std::result::Result<Option<Vec<u8>>, Reply> {
    match ctx.value(key) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Reply::err(WRONGTYPE)),
    }
}

pub fn get(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let v = get_str(ctx, &a[0])?;
    if v.is_some() {
        ctx.store.stats.hits += 1
    } else {
        ctx.store.stats.misses += 1
    }
    Ok(v.map_or(Reply::Nil, Reply::Bulk).into())
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL]`.
pub fn set(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let (key, value) = (&a[0], &a[1]);
    let (mut nx, mut xx, mut get, mut keepttl) = (false, false, false, false);
    let mut expires: Option<u64> = None;
    let mut i = 2;
    while i < a.len() {
        let opt = word(&a[i]);
        match opt.as_str() {
            "nx" if !xx => nx = true,
            "xx" if !nx => xx = true,
            "get" => get = true,
            "keepttl" if expires.is_none() => keepttl = true,
            "ex" | "px" | "exat" | "pxat" if expires.is_none() && !keepttl && i + 1 < a.len() => {
                i += 1;
                let n = int_arg(&a[i])?;
                if n <= 0 {
                    return Err(Reply::err("ERR invalid expire time in 'set' command"));
                }
                let n = n as u64;
                expires = Some(match opt.as_str() {
                    "ex" => ctx.now + n.saturating_mul(1000),
                    "px" => ctx.now + n,
                    "exat" => n.saturating_mul(1000),
                    _ => n,
                });
            }
            _ => return Err(Reply::err(SYNTAX)),
        }
        i += 1;
    }
    let old = if get { get_str(ctx, key)? } else { None };
    let now = ctx.now;
    let exists = ctx.db().get(key, now).is_some();
    if (nx && exists) || (xx && !exists) {
        return Ok(if get { old.map_or(Reply::Nil, Reply::Bulk) } else { Reply::Nil }.into());
    }
    let kept = if keepttl { ctx.db().get(key, now).and_then(|e| e.expires_at) } else { None };
    ctx.db().keys.insert(key.clone(), Entry { value: Value::Str(value.clone()), expires_at: expires.or(kept) });
    ctx.dirty(1);
    Ok(if get { old.map_or(Reply::Nil, Reply::Bulk) } else { Reply::ok() }.into())
}

pub fn setnx(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    if ctx.db().get(&a[0], now).is_some() {
        return Ok(Reply::Int(0).into());
    }
    ctx.db().set(&a[0], Value::Str(a[1].clone()));
    ctx.dirty(1);
    Ok(Reply::Int(1).into())
}

fn set_expiring(ctx: &mut Ctx<'_>, a: &[Vec<u8>], unit_ms: u64, cmd: &str) -> Result {
    let n = int_arg(&a[1])?;
    if n <= 0 {
        return Err(Reply::err(format!("ERR invalid expire time in '{cmd}' command")));
    }
    let at = ctx.now + (n as u64).saturating_mul(unit_ms);
    ctx.db().keys.insert(a[0].clone(), Entry { value: Value::Str(a[2].clone()), expires_at: Some(at) });
    ctx.dirty(1);
    Ok(Reply::ok().into())
}

pub fn setex(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    set_expiring(ctx, a, 1000, "setex")
}

pub fn psetex(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    set_expiring(ctx, a, 1, "psetex")
}

pub fn getset(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let old = get_str(ctx, &a[0])?;
    ctx.db().set(&a[0], Value::Str(a[1].clone()));
    ctx.dirty(1);
    Ok(old.map_or(Reply::Nil, Reply::Bulk).into())
}

pub fn getdel(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let old = get_str(ctx, &a[0])?;
    if old.is_some() {
        let now = ctx.now;
        ctx.db().remove(&a[0], now);
        ctx.dirty(1);
    }
    Ok(old.map_or(Reply::Nil, Reply::Bulk).into())
}

pub fn mget(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let items = a.iter().map(|k| get_str(ctx, k).ok().flatten().map_or(Reply::Nil, Reply::Bulk)).collect();
    Ok(Reply::Array(items).into())
}

pub fn mset(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    if a.len() % 2 != 0 {
        return Err(Reply::err("ERR wrong number of arguments for 'mset' command"));
    }
    for pair in a.chunks(2) {
        ctx.db().set(&pair[0], Value::Str(pair[1].clone()));
    }
    ctx.dirty(a.len() as u64 / 2);
    Ok(Reply::ok().into())
}

pub fn msetnx(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    if a.len() % 2 != 0 {
        return Err(Reply::err("ERR wrong number of arguments for 'msetnx' command"));
    }
    let now = ctx.now;
    if a.chunks(2).any(|p| ctx.db().get(&p[0], now).is_some()) {
        return Ok(Reply::Int(0).into());
    }
    mset(ctx, a)?;
    Ok(Reply::Int(1).into())
}

fn incr_by(ctx: &mut Ctx<'_>, key: &[u8], by: i64) -> Result {
    let now = ctx.now;
    let (current, expires) = match ctx.db().get(key, now) {
        None => (0, None),
        Some(Entry { value: Value::Str(s), expires_at }) => {
            let n = crate::db::int_of(s).or_else(|| std::str::from_utf8(s).ok().and_then(|t| t.parse().ok()));
            (n.ok_or_else(|| Reply::err(NOT_INT))?, *expires_at)
        }
        Some(_) => return Err(Reply::err(WRONGTYPE)),
    };
    let n = current.checked_add(by).ok_or_else(|| Reply::err("ERR increment or decrement would overflow"))?;
    ctx.db().keys.insert(key.to_vec(), Entry { value: Value::Str(n.to_string().into_bytes()), expires_at: expires });
    ctx.dirty(1);
    Ok(Reply::Int(n).into())
}

pub fn incr(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    incr_by(ctx, &a[0], 1)
}

pub fn decr(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    incr_by(ctx, &a[0], -1)
}

pub fn incrby(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let by = int_arg(&a[1])?;
    incr_by(ctx, &a[0], by)
}

pub fn decrby(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let by = int_arg(&a[1])?;
    incr_by(ctx, &a[0], by.checked_neg().ok_or_else(|| Reply::err("ERR decrement would overflow"))?)
}

pub fn incrbyfloat(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let not_float = || Reply::err("ERR value is not a valid float");
    let by: f64 = std::str::from_utf8(&a[1]).ok().and_then(|s| s.parse().ok()).ok_or_else(not_float)?;
    let current: f64 = match get_str(ctx, &a[0])? {
        None => 0.0,
        Some(s) => std::str::from_utf8(&s).ok().and_then(|t| t.parse().ok()).ok_or_else(not_float)?,
    };
    let n = current + by;
    if !n.is_finite() {
        return Err(Reply::err("ERR increment would produce NaN or Infinity"));
    }
    let text = format_float(n);
    let now = ctx.now;
    let expires = ctx.db().get(&a[0], now).and_then(|e| e.expires_at);
    ctx.db().keys.insert(a[0].clone(), Entry { value: Value::Str(text.clone().into_bytes()), expires_at: expires });
    ctx.dirty(1);
    Ok(Reply::bulk(text).into())
}

/// A float as Redis prints it: integral values without a decimal point (`3`), others in
/// their shortest exact form (`10.5`).
pub fn format_float(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

pub fn append(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    let len = match ctx.db().get_mut(&a[0], now) {
        Some(Entry { value: Value::Str(s), .. }) => {
            s.extend_from_slice(&a[1]);
            s.len()
        }
        Some(_) => return Err(Reply::err(WRONGTYPE)),
        None => {
            ctx.db().set(&a[0], Value::Str(a[1].clone()));
            a[1].len()
        }
    };
    ctx.dirty(1);
    Ok(Reply::Int(len as i64).into())
}

pub fn strlen(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::Int(get_str(ctx, &a[0])?.map_or(0, |s| s.len() as i64)).into())
}

pub fn getrange(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let (start, end) = (int_arg(&a[1])?, int_arg(&a[2])?);
    let s = get_str(ctx, &a[0])?.unwrap_or_default();
    let Some((from, to)) = super::lists::range(start, end, s.len()) else { return Ok(Reply::bulk("").into()) };
    Ok(Outcome::Reply(Reply::Bulk(s[from..=to].to_vec())))
}
