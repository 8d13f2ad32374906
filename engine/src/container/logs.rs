//! Container logs: everything the main process writes to stdout and stderr, kept with the time it
//! was written (the `json-file` log driver's model). `docker logs` reads them back; an attached
//! `docker run` streams them as they arrive.

/// Which stream a log line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStream {
    Stdout,
    Stderr,
}

/// A chunk of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub stream: LogStream,
    pub time_ms: u64,
    pub bytes: Vec<u8>,
}
