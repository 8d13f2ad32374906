//! From the directive tree to the [`Config`]: the main level (`pid`, `error_log`), then the
//! `http` block: upstream groups first (a `proxy_pass` may name one defined further down), log
//! formats, the `http` level's settings, and each server with its locations.

use super::check::check;
use super::model::{Config, ErrorLog, Http, Level, Loc, LogFormat, Modifier, Server};
use super::net::{self, Resolver};
use super::settings::{err, template, Settings};
use super::tree::{ConfError, Directive};
use super::{apply, vhosts};

/// Where nginx writes its pid unless `pid` says otherwise.
pub const DEFAULT_PID: &str = "/var/run/nginx.pid";
/// The error log before the configuration is read, and when it names none.
pub const DEFAULT_ERROR_LOG: &str = "/var/log/nginx/error.log";
/// The predefined `combined` format.
pub const COMBINED: &str =
    "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

/// Builds the configuration from its directives.
pub fn build(tree: &[Directive], resolve: Resolver<'_>) -> Result<Config, ConfError> {
    check(tree)?;
    let mut config = Config {
        pid: DEFAULT_PID.into(),
        error_logs: Vec::new(),
        daemon: true,
        http: Http::default(),
        warnings: Vec::new(),
    };
    let mut seen_http = false;
    for d in tree {
        match d.name.as_str() {
            "pid" => config.pid = d.args[0].clone(),
            "daemon" => config.daemon = d.args[0] == "on",
            "error_log" => config.error_logs.push(error_log(d)?),
            "http" if seen_http => return Err(err(d, "\"http\" directive is duplicate")),
            "http" => {
                seen_http = true;
                config.http = http(d.block.as_deref().unwrap_or_default(), resolve, &mut config.warnings)?;
            }
            _ => {}
        }
    }
    if config.error_logs.is_empty() {
        config.error_logs.push(ErrorLog { path: DEFAULT_ERROR_LOG.into(), level: Level::Error });
    }
    Ok(config)
}

/// `error_log path [level];`
pub fn error_log(d: &Directive) -> Result<ErrorLog, ConfError> {
    let level = match d.args.get(1) {
        Some(l) => Level::parse(l).ok_or_else(|| err(d, format!("invalid log level \"{l}\"")))?,
        None => Level::Error,
    };
    Ok(ErrorLog { path: d.args[0].clone(), level })
}

fn http(block: &[Directive], resolve: Resolver<'_>, warnings: &mut Vec<String>) -> Result<Http, ConfError> {
    let mut h = Http::default();
    h.formats.push(LogFormat { name: "combined".into(), template: template(COMBINED)?, escape: true });
    for d in block {
        match d.name.as_str() {
            "upstream" => {
                if h.upstream(&d.args[0]).is_some() {
                    return Err(err(d, format!("duplicate upstream \"{}\"", d.args[0])));
                }
                h.upstreams.push(net::upstream(d, resolve)?);
            }
            "log_format" => h.formats.push(log_format(d, &h)?),
            _ => {}
        }
    }
    let mut settings = Settings::default();
    for d in block.iter().filter(|d| !matches!(d.name.as_str(), "server" | "upstream" | "log_format")) {
        apply::apply(&mut settings, d, &h)?;
    }
    for d in block.iter().filter(|d| d.name == "server") {
        let server = server(d, &settings, &mut h, resolve)?;
        h.servers.push(server);
    }
    vhosts::check_defaults(&h.servers, warnings)?;
    Ok(h)
}

fn log_format(d: &Directive, h: &Http) -> Result<LogFormat, ConfError> {
    let name = d.args[0].clone();
    if h.format(&name).is_some() {
        return Err(err(d, format!("duplicate \"log_format\" name \"{name}\"")));
    }
    let mut parts = &d.args[1..];
    let mut escape = true;
    if let Some(e) = parts.first().and_then(|p| p.strip_prefix("escape=")) {
        escape = match e {
            "default" | "json" => true,
            "none" => false,
            _ => return Err(err(d, format!("unknown log format escaping \"{e}\""))),
        };
        parts = &parts[1..];
    }
    Ok(LogFormat { name, template: template(&parts.concat())?, escape })
}

fn server(d: &Directive, http: &Settings, h: &mut Http, resolve: Resolver<'_>) -> Result<Server, ConfError> {
    let block = d.block.as_deref().unwrap_or_default();
    let mut listens = Vec::new();
    let mut names = Vec::new();
    let mut settings = Settings::default();
    let mut has_listen = false;
    for d in block {
        match d.name.as_str() {
            "listen" => {
                has_listen = true;
                listens.extend(net::listen(d, resolve)?);
            }
            "server_name" => {
                for n in &d.args {
                    names.push(net::server_name(d, n)?);
                }
            }
            "location" => {}
            _ => apply::apply(&mut settings, d, h)?,
        }
    }
    if !has_listen {
        let addr = std::net::SocketAddr::from(([0, 0, 0, 0], 80));
        listens.push(super::model::Listen { addr, default: false, at: d.at() });
    }
    settings.inherit(http);
    let mut locations = Vec::new();
    for d in block.iter().filter(|d| d.name == "location") {
        locations.push(location(d, &settings, None, h, resolve)?);
    }
    check_duplicate_locations(&locations)?;
    Ok(Server { listens, names, settings, locations })
}

fn location(
    d: &Directive,
    outer: &Settings,
    parent: Option<&Loc>,
    h: &mut Http,
    resolve: Resolver<'_>,
) -> Result<Loc, ConfError> {
    let (modifier, pattern) = match d.args.as_slice() {
        [m, p] => (
            match m.as_str() {
                "=" => Modifier::Exact,
                "~" | "~*" => Modifier::Regex,
                "^~" => Modifier::PrefixNoRegex,
                _ => return Err(err(d, format!("invalid location modifier \"{m}\""))),
            },
            p.clone(),
        ),
        [p] if p.starts_with('@') => (Modifier::Named, p.clone()),
        [p] if p.len() > 1 && p.starts_with('=') => (Modifier::Exact, p[1..].to_string()),
        [p] => (Modifier::Prefix, p.clone()),
        _ => return Err(err(d, "invalid number of arguments in \"location\" directive")),
    };
    if let Some(parent) = parent {
        if parent.modifier == Modifier::Exact || parent.modifier == Modifier::Named || modifier == Modifier::Named {
            return Err(err(d, format!("location \"{pattern}\" cannot be inside the location \"{}\"", parent.pattern)));
        }
        if matches!(modifier, Modifier::Prefix | Modifier::Exact | Modifier::PrefixNoRegex)
            && matches!(parent.modifier, Modifier::Prefix | Modifier::PrefixNoRegex)
            && !pattern.starts_with(&parent.pattern)
        {
            return Err(err(d, format!("location \"{pattern}\" is outside location \"{}\"", parent.pattern)));
        }
    }
    let regex = if modifier == Modifier::Regex {
        Some(net::compile_regex(&pattern, d.args[0] == "~*").map_err(|e| err(d, e))?)
    } else {
        None
    };
    let block = d.block.as_deref().unwrap_or_default();
    let mut settings = Settings::default();
    for inner in block.iter().filter(|i| i.name != "location") {
        apply::apply(&mut settings, inner, h)?;
    }
    if let Some(pp) = &mut settings.proxy_pass {
        if pp.dynamic.is_none() && h.upstream(&pp.group).is_none() {
            let peers = net::resolve_group(&pp.group, resolve).ok_or_else(|| {
                err(
                    inner_directive(block, "proxy_pass").unwrap_or(d),
                    format!("host not found in upstream \"{}\"", pp.group),
                )
            })?;
            h.upstreams.push(super::model::Upstream { name: pp.group.clone(), peers, backups: Vec::new() });
        }
        if modifier == Modifier::Regex && pp.uri.is_some() {
            return Err(err(
                inner_directive(block, "proxy_pass").unwrap_or(d),
                "\"proxy_pass\" cannot have URI part in location given by regular expression, or inside named location, or inside \"if\" statement, or inside \"limit_except\" block",
            ));
        }
    }
    settings.inherit(outer);
    let mut loc = Loc { modifier, pattern, regex, settings, children: Vec::new(), at: d.at() };
    let mut children = Vec::new();
    for inner in block.iter().filter(|i| i.name == "location") {
        children.push(location(inner, &loc.settings, Some(&loc), h, resolve)?);
    }
    check_duplicate_locations(&children)?;
    loc.children = children;
    Ok(loc)
}

fn inner_directive<'a>(block: &'a [Directive], name: &str) -> Option<&'a Directive> {
    block.iter().find(|d| d.name == name)
}

fn check_duplicate_locations(locs: &[Loc]) -> Result<(), ConfError> {
    for (i, a) in locs.iter().enumerate() {
        if a.modifier == Modifier::Regex {
            continue;
        }
        let exact = a.modifier == Modifier::Exact;
        if let Some(b) = locs[..i].iter().find(|b| {
            b.pattern == a.pattern && (b.modifier == Modifier::Exact) == exact && b.modifier != Modifier::Regex
        }) {
            let _ = b;
            return Err(ConfError::new(format!("duplicate location \"{}\"", a.pattern), Some(a.at.clone())));
        }
    }
    Ok(())
}
