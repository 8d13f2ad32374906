//! What each directive of the `http`, `server` and `location` levels sets (see [`Settings`]).
//! The checks nginx makes on values are here: `"root" directive is duplicate`,
//! `invalid return code "abc"`, `unknown log format "main"`...

use super::model::Http;
use super::net;
use super::settings::{
    err, parse_net, parse_size, parse_time, template, AccessLog, AccessRule, AddHeader, ErrorPage, LimitExcept, Return,
    Settings, TryFiles, Types,
};
use super::tree::{ConfError, Directive};
use std::rc::Rc;

/// Applies directive `d` to the settings of its level.
pub fn apply(s: &mut Settings, d: &Directive, h: &Http) -> Result<(), ConfError> {
    let a = &d.args;
    let on = || a.first().is_some_and(|v| v == "on");
    let dup = || Err(err(d, format!("\"{}\" directive is duplicate", d.name)));
    match d.name.as_str() {
        "root" => {
            if s.root.is_some() {
                return dup();
            }
            if s.alias.is_some() {
                return Err(err(d, "\"root\" directive is duplicate, \"alias\" directive was specified earlier"));
            }
            s.root = Some(template(&a[0])?);
        }
        "alias" => {
            if s.alias.is_some() {
                return dup();
            }
            if s.root.is_some() {
                return Err(err(d, "\"alias\" directive is duplicate, \"root\" directive was specified earlier"));
            }
            s.alias = Some(template(&a[0])?);
        }
        "index" => {
            let list = s.index.get_or_insert_with(Vec::new);
            for name in a {
                if name.is_empty() {
                    return Err(err(d, "index \"\" in \"index\" directive is invalid"));
                }
                list.push(template(name)?);
            }
        }
        "autoindex" => s.autoindex = Some(on()),
        "autoindex_exact_size" => s.autoindex_exact_size = Some(on()),
        "etag" => s.etag = Some(on()),
        "log_not_found" => s.log_not_found = Some(on()),
        "absolute_redirect" => s.absolute_redirect = Some(on()),
        "port_in_redirect" => s.port_in_redirect = Some(on()),
        "recursive_error_pages" => s.recursive_error_pages = Some(on()),
        "server_tokens" => {
            s.server_tokens = Some(match a[0].as_str() {
                "on" | "build" => true,
                "off" => false,
                v => {
                    return Err(err(
                        d,
                        format!(
                        "invalid value \"{v}\" in \"server_tokens\" directive, it must be \"on\", \"off\" or \"build\""
                    ),
                    ))
                }
            })
        }
        "error_page" => s.error_pages.get_or_insert_with(Vec::new).push(error_page(d)?),
        "add_header" => {
            let always = match a.get(2).map(String::as_str) {
                None => false,
                Some("always") => true,
                Some(p) => return Err(err(d, format!("invalid parameter \"{p}\""))),
            };
            s.add_headers.get_or_insert_with(Vec::new).push(AddHeader {
                name: a[0].clone(),
                value: template(&a[1])?,
                always,
            });
        }
        "default_type" => s.default_type = Some(a[0].clone()),
        "charset" => s.charset = (a[0] != "off").then(|| a[0].clone()),
        "types" => {
            let mut types = Types::new();
            for entry in d.block.iter().flatten() {
                for ext in &entry.args {
                    types.insert(ext.to_ascii_lowercase(), entry.name.clone());
                }
            }
            s.types = Some(Rc::new(types));
        }
        "allow" | "deny" => {
            let net = parse_net(&a[0]).ok_or_else(|| err(d, format!("invalid parameter \"{}\"", a[0])))?;
            s.access.get_or_insert_with(Vec::new).push(AccessRule { allow: d.name == "allow", net });
        }
        "access_log" => {
            let logs = s.access_logs.get_or_insert_with(Vec::new);
            if a[0] != "off" {
                let format = a.get(1).cloned().unwrap_or_else(|| "combined".into());
                if h.format(&format).is_none() {
                    return Err(err(d, format!("unknown log format \"{format}\"")));
                }
                logs.push(AccessLog { path: a[0].clone(), format });
            }
        }
        "error_log" => s.error_logs.get_or_insert_with(Vec::new).push(super::build::error_log(d)?),
        "proxy_pass" => {
            if s.proxy_pass.is_some() {
                return dup();
            }
            s.proxy_pass = Some(net::proxy_pass(d)?);
        }
        "proxy_set_header" => s.proxy_headers.get_or_insert_with(Vec::new).push((a[0].clone(), template(&a[1])?)),
        "proxy_hide_header" => s.proxy_hide_headers.get_or_insert_with(Vec::new).push(a[0].to_ascii_lowercase()),
        "proxy_pass_header" => s.proxy_pass_headers.get_or_insert_with(Vec::new).push(a[0].to_ascii_lowercase()),
        "proxy_intercept_errors" => s.proxy_intercept_errors = Some(on()),
        "resolver" => s.resolver = Some(true),
        "proxy_redirect" => {
            s.proxy_redirect = Some(match a.as_slice() {
                [v] if v == "off" => None,
                [v] if v == "default" => Some(Vec::new()),
                [from, to] => {
                    let mut list = s.proxy_redirect.clone().flatten().unwrap_or_default();
                    list.push((from.clone(), to.clone()));
                    Some(list)
                }
                _ => return Err(err(d, "invalid parameter in \"proxy_redirect\" directive")),
            })
        }
        "proxy_http_version" => {
            s.proxy_http_version = Some(match a[0].as_str() {
                "1.0" => 0,
                "1.1" => 1,
                v => {
                    return Err(err(
                        d,
                        format!(
                            "invalid value \"{v}\" in \"proxy_http_version\" directive, it must be \"1.0\" or \"1.1\""
                        ),
                    ))
                }
            })
        }
        "proxy_read_timeout" => s.proxy_read_timeout = Some(time(d)?),
        "proxy_connect_timeout" => s.proxy_connect_timeout = Some(time(d)?),
        "keepalive_timeout" => s.keepalive_timeout = Some(time(d)?),
        "client_max_body_size" => {
            s.client_max_body_size =
                Some(parse_size(&a[0]).ok_or_else(|| err(d, format!("\"{}\" directive invalid value", d.name)))?)
        }
        "return" => {
            if s.ret.is_some() {
                // nginx runs the first `return` of a level; later ones are unreachable.
                return Ok(());
            }
            s.ret = Some(ret(d)?);
        }
        "try_files" => {
            let files = a[..a.len() - 1].iter().map(|f| template(f)).collect::<Result<_, _>>()?;
            s.try_files = Some(TryFiles { files, last: template(&a[a.len() - 1])? });
        }
        "expires" => s.expires = Some(expires(d)?),
        "internal" => s.internal = true,
        "limit_except" => {
            let mut rules = Vec::new();
            for inner in d.block.iter().flatten() {
                if inner.name == "allow" || inner.name == "deny" {
                    let net = parse_net(&inner.args[0])
                        .ok_or_else(|| err(inner, format!("invalid parameter \"{}\"", inner.args[0])))?;
                    rules.push(AccessRule { allow: inner.name == "allow", net });
                }
            }
            s.limit_except = Some(LimitExcept { methods: a.iter().map(|m| m.to_ascii_uppercase()).collect(), rules });
        }
        _ => {}
    }
    Ok(())
}

fn time(d: &Directive) -> Result<std::time::Duration, ConfError> {
    parse_time(&d.args[0]).ok_or_else(|| err(d, format!("\"{}\" directive invalid value", d.name)))
}

/// `error_page code... [=[answer]] uri;`
fn error_page(d: &Directive) -> Result<ErrorPage, ConfError> {
    let a = &d.args;
    let uri = template(&a[a.len() - 1])?;
    let mut codes = Vec::new();
    let mut answer = None;
    for v in &a[..a.len() - 1] {
        if let Some(code) = v.strip_prefix('=') {
            answer = Some(if code.is_empty() {
                None
            } else {
                Some(code.parse::<u16>().map_err(|_| err(d, format!("invalid value \"{v}\"")))?)
            });
            continue;
        }
        let code: u16 = v.parse().map_err(|_| err(d, format!("invalid value \"{v}\"")))?;
        if !(300..=599).contains(&code) {
            return Err(err(d, format!("value \"{code}\" must be between 300 and 599")));
        }
        codes.push(code);
    }
    if codes.is_empty() {
        return Err(err(d, "invalid number of arguments in \"error_page\" directive"));
    }
    Ok(ErrorPage { codes, answer, uri })
}

/// `return code [text];`, `return URL;` (302).
fn ret(d: &Directive) -> Result<Return, ConfError> {
    let a = &d.args;
    if a.len() == 1 && (a[0].starts_with("http://") || a[0].starts_with("https://") || a[0].starts_with("$scheme")) {
        return Ok(Return { code: 302, text: Some(template(&a[0])?) });
    }
    let code: u16 =
        a[0].parse().ok().filter(|c| *c <= 999).ok_or_else(|| err(d, format!("invalid return code \"{}\"", a[0])))?;
    let text = a.get(1).map(|t| template(t)).transpose()?;
    Ok(Return { code, text })
}

/// `expires off | epoch | max | [-]time;` -> seconds (`None`: off).
fn expires(d: &Directive) -> Result<Option<i64>, ConfError> {
    let v = d.args.last().map(String::as_str).unwrap_or_default();
    Ok(match v {
        "off" => None,
        "epoch" => Some(i64::MIN),
        "max" => Some(315_360_000),
        v => {
            let (neg, t) = v.strip_prefix('-').map_or((false, v), |t| (true, t));
            let secs = parse_time(t).ok_or_else(|| err(d, format!("invalid value \"{v}\"")))?.as_secs() as i64;
            Some(if neg { -secs } else { secs })
        }
    })
}
