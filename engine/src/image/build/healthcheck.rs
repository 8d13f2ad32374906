//! `HEALTHCHECK`: how Docker decides a container still works. `HEALTHCHECK NONE` turns off a
//! check inherited from the base image; `HEALTHCHECK [--interval=30s] [--timeout=30s]
//! [--start-period=0s] [--start-interval=5s] [--retries=3] CMD <command>` runs the command in
//! the container at that rhythm. Durations are Go durations; zero means Docker's default.

use super::duration::parse_go_duration;
use super::error::{go_quote, ParseError};
use super::flags::{self, Flags, Kind};
use super::instruction::{Healthcheck, ShellOrExec};
use super::parse::{err, Line};
use std::time::Duration;

/// A `HEALTHCHECK` duration flag: unset or zero means the default; below 1ms is refused.
fn interval(flags: &Flags, name: &str) -> Result<Option<Duration>, ParseError> {
    let Some(value) = flags.get(name).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let nanos = parse_go_duration(&value).map_err(ParseError::instruction)?;
    if nanos == 0 {
        return Ok(None);
    }
    if nanos < 1_000_000 {
        return err(format!("Interval {} cannot be less than 1ms", go_quote(name)));
    }
    Ok(Some(Duration::from_nanos(nanos.unsigned_abs())))
}

pub(crate) fn parse(line: &Line<'_>) -> Result<Healthcheck, ParseError> {
    let args = &line.node.args;
    let Some(kind) = args.first() else {
        return err("HEALTHCHECK requires at least one argument");
    };
    let kind = kind.to_uppercase();
    if kind == "NONE" {
        if args.len() > 1 {
            return err("HEALTHCHECK NONE takes no arguments");
        }
        return Ok(Healthcheck::None);
    }
    let flags = flags::parse(
        &line.node.flags,
        &[
            ("interval", Kind::String),
            ("timeout", Kind::String),
            ("start-period", Kind::String),
            ("start-interval", Kind::String),
            ("retries", Kind::String),
        ],
    )?;
    if kind != "CMD" {
        return err(format!("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(&kind)));
    }
    let rest = &args[1..];
    if rest.is_empty() {
        return err("Missing command after HEALTHCHECK CMD");
    }
    let test = if line.node.json { ShellOrExec::Exec(rest.to_vec()) } else { ShellOrExec::Shell(rest.join(" ")) };
    let interval_v = interval(&flags, "interval")?;
    let timeout = interval(&flags, "timeout")?;
    let start_period = interval(&flags, "start-period")?;
    let start_interval = interval(&flags, "start-interval")?;
    let retries = match flags.get("retries").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => {
            let n = parse_int32(&v)?;
            if n < 0 {
                return err(format!("--retries cannot be negative ({n})"));
            }
            u32::try_from(n).ok().filter(|&n| n > 0)
        }
    };
    Ok(Healthcheck::Cmd { test, interval: interval_v, timeout, start_period, start_interval, retries })
}

/// Go's `strconv.ParseInt(s, 10, 32)`, with its messages.
fn parse_int32(s: &str) -> Result<i64, ParseError> {
    let fail = |why: &str| ParseError::instruction(format!("strconv.ParseInt: parsing {}: {why}", go_quote(s)));
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail("invalid syntax"));
    }
    match s.parse::<i64>() {
        Ok(n) if i32::try_from(n).is_ok() => Ok(n),
        _ => Err(fail("value out of range")),
    }
}
