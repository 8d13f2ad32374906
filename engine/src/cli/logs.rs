//! `docker logs`: what a container's main process wrote to stdout and stderr, kept by the
//! daemon even after it exited. `--tail N` keeps the last lines, `-t` prefixes each line with its
//! time, `--since`/`--until` select a time window (`10s`, `5m`, `1h`, or an RFC 3339 time), and
//! `-f` keeps following new output until the container stops.

use super::{parse_or_task, Arity, Finished, Flag, Io, Spec, Step, Task};
use crate::container::{LogEntry, LogStream, State};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::units::{parse_rfc3339, rfc3339_nanos};

const FLAGS: &[Flag] = &[
    Flag::bool("follow", Some('f'), "Follow log output"),
    Flag::value(
        "since",
        None,
        "string",
        "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)",
    ),
    Flag::value("tail", Some('n'), "string", "Number of lines to show from the end of the logs")
        .with_default("\"all\""),
    Flag::bool("timestamps", Some('t'), "Show timestamps"),
    Flag::value(
        "until",
        None,
        "string",
        "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)",
    ),
];

const SPEC: Spec = Spec {
    name: "docker logs",
    usage: "docker logs [OPTIONS] CONTAINER",
    description: "Fetch the logs of a container",
    aliases: "docker container logs, docker logs",
    flags: FLAGS,
    arity: Arity::Exactly(1),
    interspersed: true,
};

/// Parses `--since`/`--until`: a Go duration (`90s`, `5m`, `1h30m`) before now, an RFC 3339
/// time, or Unix seconds. Returns milliseconds since the epoch.
fn parse_time(value: &str, now_ms: u64) -> Option<u64> {
    if let Some(t) = parse_rfc3339(value) {
        return Some(t);
    }
    if let Ok(secs) = value.parse::<f64>() {
        return Some((secs * 1000.0) as u64);
    }
    let mut total_ms = 0u64;
    let mut number = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            1.0
        } else {
            match c {
                'h' => 3_600_000.0,
                'm' => 60_000.0,
                's' => 1000.0,
                _ => return None,
            }
        };
        total_ms += (number.parse::<f64>().ok()? * unit) as u64;
        number.clear();
    }
    (number.is_empty() && !value.is_empty()).then(|| now_ms.saturating_sub(total_ms))
}

/// One line of output with its stream and time.
struct Line {
    stream: LogStream,
    time_ms: u64,
    text: String,
}

/// Splits log chunks into lines, as the json-file driver records them.
fn lines(entries: &[LogEntry]) -> Vec<Line> {
    let mut out = Vec::new();
    for e in entries {
        for piece in String::from_utf8_lossy(&e.bytes).split_inclusive('\n') {
            out.push(Line { stream: e.stream, time_ms: e.time_ms, text: piece.to_string() });
        }
    }
    out
}

struct LogsTask {
    name: String,
    follow: bool,
    timestamps: bool,
    since: Option<u64>,
    until: Option<u64>,
    tail: Option<usize>,
    /// Log entries already shown (when following).
    cursor: Option<usize>,
    /// Lines read from the log, not written yet.
    pending: std::collections::VecDeque<(LogStream, String)>,
}

impl LogsTask {
    /// Queues the lines to show (with their timestamps if asked).
    fn queue(&mut self, lines: &[Line]) {
        for l in lines {
            if self.since.is_some_and(|s| l.time_ms < s) || self.until.is_some_and(|u| l.time_ms > u) {
                continue;
            }
            let text =
                if self.timestamps { format!("{} {}", rfc3339_nanos(l.time_ms), l.text) } else { l.text.clone() };
            self.pending.push_back((l.stream, text));
        }
    }

    /// Writes the queued lines of one stream, the first one's: the runner flushes a poll's
    /// stderr before its stdout, so each poll writes one stream to keep the log's order.
    fn emit_run(&mut self, io: &mut Io) {
        let Some(stream) = self.pending.front().map(|(s, _)| *s) else { return };
        while self.pending.front().is_some_and(|(s, _)| *s == stream) {
            let Some((_, text)) = self.pending.pop_front() else { break };
            match stream {
                LogStream::Stdout => io.out(text),
                LogStream::Stderr => io.err(text),
            }
        }
    }
}

impl Task for LogsTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        let Some(c) = daemon.containers.find(&self.name) else {
            if self.cursor.is_some() {
                return Step::Done(0);
            }
            io.err(format!("Error response from daemon: No such container: {}\n", self.name));
            return Step::Done(1);
        };
        if c.host.log_driver == "none" {
            io.err("Error response from daemon: configured logging driver does not support reading\n");
            return Step::Done(1);
        }
        if !self.pending.is_empty() {
            self.emit_run(io);
            return Step::Pending(Activity::Busy);
        }
        let (entries, exited) = (c.logs.clone(), matches!(c.state, State::Exited { .. } | State::Created));
        let all = lines(&entries);
        match self.cursor {
            None => {
                let skip = self.tail.map(|n| all.len().saturating_sub(n)).unwrap_or(0);
                self.queue(&all[skip..]);
            }
            Some(seen) => self.queue(&lines(entries.get(seen..).unwrap_or_default())),
        }
        self.cursor = Some(entries.len());
        self.emit_run(io);
        if !self.pending.is_empty() {
            return Step::Pending(Activity::Busy);
        }
        if self.follow && !exited {
            Step::Pending(Activity::Idle)
        } else {
            Step::Done(0)
        }
    }
}

pub fn start(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SPEC, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let now = daemon.now_ms();
    let mut times = [None, None];
    for (slot, flag) in times.iter_mut().zip(["since", "until"]) {
        if let Some(v) = m.value(flag) {
            match parse_time(v, now) {
                Some(t) => *slot = Some(t),
                None => {
                    return Finished::fail(
                        format!("invalid value for \"{flag}\": failed to parse value as time or duration: \"{v}\"\n"),
                        1,
                    )
                }
            }
        }
    }
    let tail = match m.value("tail") {
        None | Some("all") => None,
        Some(n) => match n.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n as usize),
            _ => None,
        },
    };
    Box::new(LogsTask {
        name: m.args[0].clone(),
        follow: m.flag("follow"),
        timestamps: m.flag("timestamps"),
        since: times[0],
        until: times[1],
        tail,
        cursor: None,
        pending: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_as_durations_dates_or_seconds() {
        let now = 1_000_000_000;
        assert_eq!(parse_time("10s", now), Some(now - 10_000));
        assert_eq!(parse_time("1h30m", now), Some(now - 5_400_000));
        assert_eq!(parse_time("1970-01-01T00:00:01Z", now), Some(1000));
        assert_eq!(parse_time("12", now), Some(12_000));
        assert_eq!(parse_time("soon", now), None);
        assert_eq!(parse_time("", now), None);
    }
}
