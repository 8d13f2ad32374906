//! curl's command line: short options (clustered, `-sSL`, value attached or next: `-ofile`,
//! `-o file`), long options (`--output file`; curl has no `--opt=value` form), and URLs in any
//! position. Errors are curl's: `option --foo: is unknown`, `option -o: requires parameter`.

use std::time::Duration;

/// Everything the command line asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub urls: Vec<String>,
    pub verbose: bool,
    pub silent: bool,
    pub show_error: bool,
    pub fail: bool,
    pub head: bool,
    pub include: bool,
    pub location: bool,
    pub max_redirs: u32,
    pub method: Option<String>,
    pub headers: Vec<String>,
    /// `-d` pieces, joined with `&`.
    pub data: Vec<Vec<u8>>,
    pub user: Option<String>,
    pub user_agent: Option<String>,
    pub referer: Option<String>,
    /// `-o` names, paired with the URLs in order.
    pub outputs: Vec<String>,
    /// `-O` given (for every URL that has no `-o`).
    pub remote_name: bool,
    pub write_out: Option<String>,
    pub max_time: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub help: bool,
    pub version: bool,
}

/// Why the command line is refused; printed as `curl: option X: REASON`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError {
    pub option: String,
    pub reason: &'static str,
}

/// The options that take a value, by their long name, with their short letter if any.
const WITH_VALUE: &[(&str, Option<char>)] = &[
    ("data", Some('d')),
    ("data-ascii", None),
    ("data-binary", None),
    ("data-raw", None),
    ("header", Some('H')),
    ("output", Some('o')),
    ("request", Some('X')),
    ("user", Some('u')),
    ("user-agent", Some('A')),
    ("referer", Some('e')),
    ("write-out", Some('w')),
    ("max-time", Some('m')),
    ("connect-timeout", None),
    ("max-redirs", None),
];

/// Options without a value.
const FLAGS: &[(&str, Option<char>)] = &[
    ("verbose", Some('v')),
    ("silent", Some('s')),
    ("show-error", Some('S')),
    ("fail", Some('f')),
    ("head", Some('I')),
    ("include", Some('i')),
    ("location", Some('L')),
    ("remote-name", Some('O')),
    ("help", Some('h')),
    ("version", Some('V')),
    // Accepted and without effect here: TLS, IP version, HTTP version, buffering, .curlrc.
    ("insecure", Some('k')),
    ("ipv4", Some('4')),
    ("http1.1", None),
    ("http1.0", Some('0')),
    ("no-buffer", Some('N')),
    ("disable", Some('q')),
    ("compressed", None),
    ("progress-bar", Some('#')),
    ("no-progress-meter", None),
];

fn seconds(v: &str, option: &str) -> Result<Duration, ArgError> {
    let bad = || ArgError { option: option.to_string(), reason: "expected a proper numerical parameter" };
    let secs: f64 = v.parse().map_err(|_| bad())?;
    if secs < 0.0 {
        return Err(ArgError { option: option.to_string(), reason: "expected a positive numerical parameter" });
    }
    Duration::try_from_secs_f64(secs).map_err(|_| bad())
}

fn apply_value(c: &mut Config, long: &str, shown: &str, v: String) -> Result<(), ArgError> {
    match long {
        "data" | "data-ascii" => {
            // `@file` reads the file, without its line ends, as curl does for -d.
            c.data.push(match v.strip_prefix('@') {
                Some(path) => read_data(path, shown)?.into_iter().filter(|b| *b != b'\n' && *b != b'\r').collect(),
                None => v.into_bytes(),
            })
        }
        "data-binary" => c.data.push(match v.strip_prefix('@') {
            Some(path) => read_data(path, shown)?,
            None => v.into_bytes(),
        }),
        "data-raw" => c.data.push(v.into_bytes()),
        "header" => c.headers.push(v),
        "output" => c.outputs.push(v),
        "request" => c.method = Some(v),
        "user" => c.user = Some(v),
        "user-agent" => c.user_agent = Some(v),
        "referer" => c.referer = Some(v),
        "write-out" => c.write_out = Some(v),
        "max-time" => c.max_time = Some(seconds(&v, shown)?),
        "connect-timeout" => c.connect_timeout = Some(seconds(&v, shown)?),
        "max-redirs" => {
            c.max_redirs = v
                .parse()
                .map_err(|_| ArgError { option: shown.to_string(), reason: "expected a proper numerical parameter" })?
        }
        _ => {}
    }
    Ok(())
}

fn read_data(path: &str, shown: &str) -> Result<Vec<u8>, ArgError> {
    let r = if path == "-" { guest_read_stdin() } else { std::fs::read(path) };
    r.map_err(|_| ArgError { option: shown.to_string(), reason: "error encountered when reading a file" })
}

fn guest_read_stdin() -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut v = Vec::new();
    std::io::stdin().read_to_end(&mut v)?;
    Ok(v)
}

fn apply_flag(c: &mut Config, long: &str) {
    match long {
        "verbose" => c.verbose = true,
        "silent" => c.silent = true,
        "show-error" => c.show_error = true,
        "fail" => c.fail = true,
        "head" => c.head = true,
        "include" => c.include = true,
        "location" => c.location = true,
        "remote-name" => c.remote_name = true,
        "help" => c.help = true,
        "version" => c.version = true,
        _ => {}
    }
}

/// Parses the arguments after `curl`.
pub fn parse(args: &[String]) -> Result<Config, ArgError> {
    let mut c = Config { max_redirs: 50, ..Config::default() };
    let mut i = 0;
    let mut only_urls = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_urls || !a.starts_with('-') || a == "-" {
            c.urls.push(a.clone());
            continue;
        }
        if a == "--" {
            only_urls = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            if let Some((name, _)) = WITH_VALUE.iter().find(|(n, _)| *n == long) {
                let v = args.get(i).cloned().ok_or(ArgError { option: a.clone(), reason: "requires parameter" })?;
                i += 1;
                apply_value(&mut c, name, a, v)?;
            } else if let Some((name, _)) = FLAGS.iter().find(|(n, _)| *n == long) {
                apply_flag(&mut c, name);
            } else {
                return Err(ArgError { option: a.clone(), reason: "is unknown" });
            }
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let ch = chars[j];
            j += 1;
            let shown = format!("-{ch}");
            if let Some((name, _)) = WITH_VALUE.iter().find(|(_, s)| *s == Some(ch)) {
                let v = if j < chars.len() {
                    chars[j..].iter().collect()
                } else {
                    i += 1;
                    args.get(i - 1).cloned().ok_or(ArgError { option: shown.clone(), reason: "requires parameter" })?
                };
                apply_value(&mut c, name, &shown, v)?;
                break;
            } else if let Some((name, _)) = FLAGS.iter().find(|(_, s)| *s == Some(ch)) {
                apply_flag(&mut c, name);
            } else {
                return Err(ArgError { option: shown, reason: "is unknown" });
            }
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &[&str]) -> Result<Config, ArgError> {
        parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn clusters_values_and_urls_anywhere() {
        let c = p(&["-sSL", "http://web/", "-o", "out.html", "-HX-A: 1", "-d", "a=1", "--data", "b=2", "-X", "PUT"])
            .unwrap();
        assert!(c.silent && c.show_error && c.location);
        assert_eq!(c.urls, vec!["http://web/"]);
        assert_eq!(c.outputs, vec!["out.html"]);
        assert_eq!(c.headers, vec!["X-A: 1"]);
        assert_eq!(c.data, vec![b"a=1".to_vec(), b"b=2".to_vec()]);
        assert_eq!(c.method.as_deref(), Some("PUT"));
        assert_eq!(c.max_redirs, 50);
        let c = p(&["-m", "2.5", "--max-redirs", "3", "-w", "%{http_code}", "-kI", "web"]).unwrap();
        assert_eq!(c.max_time, Some(Duration::from_millis(2500)));
        assert_eq!((c.max_redirs, c.head, c.write_out.as_deref()), (3, true, Some("%{http_code}")));
    }

    #[test]
    fn curl_errors() {
        assert_eq!(p(&["--frobnicate"]).unwrap_err(), ArgError { option: "--frobnicate".into(), reason: "is unknown" });
        assert_eq!(p(&["-z"]).unwrap_err(), ArgError { option: "-z".into(), reason: "is unknown" });
        assert_eq!(p(&["-o"]).unwrap_err(), ArgError { option: "-o".into(), reason: "requires parameter" });
        assert_eq!(p(&["--output=x"]).unwrap_err().reason, "is unknown");
        assert_eq!(p(&["-m", "soon"]).unwrap_err().reason, "expected a proper numerical parameter");
        assert_eq!(p(&["-d", "@/nonexistent/file"]).unwrap_err().reason, "error encountered when reading a file");
    }
}
