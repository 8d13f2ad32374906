//! Connection and server commands: `PING`, `ECHO`, `SELECT`, `QUIT`, `INFO`, `CONFIG`, `SAVE`,
//! `FLUSHALL`, `CLIENT`, `SHUTDOWN`...

use super::{int_arg, word, Ctx, Outcome, Result, SYNTAX};
use crate::db::glob;
use crate::resp::Reply;

/// `AUTH [username] password` against `requirepass` (the `default` user).
pub fn auth(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let (user, pass) = match a {
        [p] => (b"default".as_slice(), p),
        [u, p] => (u.as_slice(), p),
        _ => return Err(Reply::err(SYNTAX)),
    };
    let Some(required) = ctx.store.settings.requirepass.clone() else {
        return Err(Reply::err(
            "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
        ));
    };
    if user != b"default" || pass.as_slice() != required.as_bytes() {
        return Err(Reply::err("WRONGPASS invalid username-password pair or user is disabled."));
    }
    ctx.client.authenticated = true;
    Ok(Reply::ok().into())
}

pub fn ping(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    if a.len() > 1 {
        return Err(Reply::err("ERR wrong number of arguments for 'ping' command"));
    }
    if ctx.client.subscriptions() > 0 {
        let msg = a.first().cloned().unwrap_or_default();
        return Ok(Reply::Array(vec![Reply::bulk("pong"), Reply::Bulk(msg)]).into());
    }
    Ok(match a.first() {
        Some(m) => Reply::bulk(m),
        None => Reply::Status("PONG".into()),
    }
    .into())
}

pub fn echo(_: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    Ok(Reply::bulk(&a[0]).into())
}

pub fn quit(_: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result {
    Ok(Outcome::Quit)
}

pub fn select(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let n = int_arg(&a[0])?;
    if n < 0 || n as usize >= ctx.store.dbs.len() {
        return Err(Reply::err("ERR DB index is out of range"));
    }
    ctx.client.db = n as usize;
    Ok(Reply::ok().into())
}

pub fn dbsize(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result {
    let now = ctx.now;
    Ok(Reply::Int(ctx.db().len(now) as i64).into())
}

fn flush_mode(a: &[Vec<u8>]) -> std::result::Result<(), Reply> {
    match a {
        [] => Ok(()),
        [m] if matches!(word(m).as_str(), "sync" | "async") => Ok(()),
        _ => Err(Reply::err(SYNTAX)),
    }
}

pub fn flushdb(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    flush_mode(a)?;
    let n = ctx.db().keys.len() as u64;
    ctx.db().keys.clear();
    ctx.dirty(n);
    Ok(Reply::ok().into())
}

pub fn flushall(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    flush_mode(a)?;
    let n: u64 = ctx.store.dbs.iter().map(|d| d.keys.len() as u64).sum();
    for d in &mut ctx.store.dbs {
        d.keys.clear();
    }
    ctx.dirty(n);
    // With save points configured, FLUSHALL also writes the (now empty) snapshot.
    if !ctx.store.settings.save.is_empty() {
        let _ = crate::rdb::save_logged(ctx.store, ctx.now);
    }
    Ok(Reply::ok().into())
}

pub fn info(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let section = a.first().map(|s| word(s)).unwrap_or_default();
    Ok(Reply::Bulk(crate::info::render(ctx.store, ctx.now, &section).into_bytes()).into())
}

pub fn config(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    match word(&a[0]).as_str() {
        "get" if a.len() >= 2 => {
            let pairs = ctx.store.settings.pairs();
            let mut out = Vec::new();
            for (name, value) in pairs {
                if a[1..].iter().any(|p| glob(&p.to_ascii_lowercase(), name.as_bytes())) {
                    out.push(Reply::bulk(name));
                    out.push(Reply::bulk(value));
                }
            }
            Ok(Reply::Array(out).into())
        }
        "set" if a.len() >= 3 && a.len() % 2 == 1 => {
            for pair in a[1..].chunks(2) {
                let name = word(&pair[0]);
                let value = String::from_utf8_lossy(&pair[1]).into_owned();
                let args: Vec<String> =
                    if name == "save" { vec![value] } else { value.split_whitespace().map(String::from).collect() };
                if matches!(name.as_str(), "port" | "databases" | "bind") {
                    return Err(Reply::err(format!(
                        "ERR CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config"
                    )));
                }
                ctx.store.settings.apply(&name, &args).map_err(|_| {
                    Reply::err(format!("ERR Unknown option or number of arguments for CONFIG SET - '{name}'"))
                })?;
            }
            Ok(Reply::ok().into())
        }
        "resetstat" => {
            ctx.store.stats = crate::store::Stats {
                clients: ctx.store.stats.clients,
                blocked: ctx.store.stats.blocked,
                ..Default::default()
            };
            Ok(Reply::ok().into())
        }
        "rewrite" => match ctx.store.settings.config_file.clone() {
            None => Err(Reply::err("ERR The server is running without a config file")),
            Some(_) => Err(Reply::err("ERR Rewriting config file: Permission denied")),
        },
        sub => Err(Reply::err(format!(
            "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try CONFIG HELP."
        ))),
    }
}

pub fn save(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result {
    crate::rdb::save_logged(ctx.store, ctx.now).map_err(|e| Reply::err(format!("ERR {e}")))?;
    Ok(Reply::ok().into())
}

/// `BGSAVE`: Redis forks a child to write the snapshot; guests cannot fork, so this one writes
/// it before answering (the file is complete when the client reads the reply).
pub fn bgsave(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result {
    crate::log::notice(&format!("Background saving started by pid {}", guest_server::pid()));
    crate::rdb::save_logged(ctx.store, ctx.now).map_err(|e| Reply::err(format!("ERR {e}")))?;
    crate::log::notice("Background saving terminated with success");
    Ok(Reply::Status("Background saving started".into()).into())
}

pub fn lastsave(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result {
    Ok(Reply::Int(ctx.store.last_save as i64).into())
}

pub fn time(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result {
    let secs = ctx.now / 1000;
    let micros = (ctx.now % 1000) * 1000;
    Ok(Reply::bulks([secs.to_string(), micros.to_string()]).into())
}

pub fn client(ctx: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    match word(&a[0]).as_str() {
        "id" => Ok(Reply::Int(ctx.client.id as i64).into()),
        "setname" if a.len() == 2 => {
            if a[1].iter().any(|b| *b == b' ' || *b == b'\n') {
                return Err(Reply::err("ERR Client names cannot contain spaces, newlines or special characters."));
            }
            ctx.client.name = (!a[1].is_empty()).then(|| a[1].clone());
            Ok(Reply::ok().into())
        }
        "getname" => Ok(ctx.client.name.clone().map_or(Reply::Nil, Reply::Bulk).into()),
        "list" => Ok(Reply::bulk(ctx.store.client_lines.concat()).into()),
        "info" => {
            let line =
                ctx.store.client_lines.iter().find(|l| l.starts_with(&format!("id={} ", ctx.client.id))).cloned();
            Ok(Reply::bulk(line.unwrap_or_default()).into())
        }
        "setinfo" if a.len() == 3 => Ok(Reply::ok().into()),
        sub => Err(Reply::err(format!(
            "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try CLIENT HELP."
        ))),
    }
}

/// `COMMAND [COUNT|DOCS]`.
pub fn command(_: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    match a.first().map(|s| word(s)).as_deref() {
        None => Ok(Reply::Array(
            super::COMMANDS
                .iter()
                .map(|c| {
                    Reply::Array(vec![
                        Reply::bulk(c.name),
                        Reply::Int(c.arity.into()),
                        Reply::Array(Vec::new()),
                        Reply::Int(1),
                        Reply::Int(1),
                        Reply::Int(1),
                    ])
                })
                .collect(),
        )
        .into()),
        Some("count") => Ok(Reply::Int(super::COMMANDS.len() as i64).into()),
        Some("docs" | "info") => Ok(Reply::Array(Vec::new()).into()),
        Some(sub) => Err(Reply::err(format!("ERR unknown subcommand '{sub}'. Try COMMAND HELP."))),
    }
}

pub fn shutdown(_: &mut Ctx<'_>, a: &[Vec<u8>]) -> Result {
    let mut save = None;
    for o in a {
        match word(o).as_str() {
            "nosave" => save = Some(false),
            "save" => save = Some(true),
            "now" | "force" | "abort" => {}
            _ => return Err(Reply::err(SYNTAX)),
        }
    }
    Ok(Outcome::Shutdown(save))
}
