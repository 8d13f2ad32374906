//! Command-line flags the way Docker's client (cobra + pflag) parses them: `--name web`,
//! `--name=web`, `-d`, grouped shorthands `-it`, `-e A=1`, `--` to end flags, and for commands
//! such as `run` parsing stops at the first argument so the container's own flags pass through.
//! Errors and `--help` output are laid out as Docker lays them out.

use std::collections::HashMap;

/// What a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A switch: `-d`, `--detach`, `--detach=false`.
    Bool,
    /// One value; the last occurrence wins. The text is pflag's type name (`string`, `int`).
    Value(&'static str),
    /// A repeatable value collected in order (`-e`, `--label`). The text is its type name
    /// (`list`, `filter`).
    List(&'static str),
}

/// One flag of a command.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    pub usage: &'static str,
    /// Shown as ` (default ...)` in help when set.
    pub default: Option<&'static str>,
    /// Accepted but left out of `--help` (Docker's deprecated spellings: `--net`).
    pub hidden: bool,
}

impl Flag {
    pub const fn bool(long: &'static str, short: Option<char>, usage: &'static str) -> Self {
        Self { long, short, kind: Kind::Bool, usage, default: None, hidden: false }
    }
    pub const fn value(long: &'static str, short: Option<char>, ty: &'static str, usage: &'static str) -> Self {
        Self { long, short, kind: Kind::Value(ty), usage, default: None, hidden: false }
    }
    pub const fn list(long: &'static str, short: Option<char>, ty: &'static str, usage: &'static str) -> Self {
        Self { long, short, kind: Kind::List(ty), usage, default: None, hidden: false }
    }
    pub const fn with_default(mut self, default: &'static str) -> Self {
        self.default = Some(default);
        self
    }
    pub const fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }
}

/// How many positional arguments a command takes (cobra's `Args` validators).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    None,
    Exactly(usize),
    AtLeast(usize),
    AtMost(usize),
    Any,
}

/// A command's interface: what `--help` shows and what the parser accepts.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// `docker run`
    pub name: &'static str,
    /// `docker run [OPTIONS] IMAGE [COMMAND] [ARG...]`
    pub usage: &'static str,
    pub description: &'static str,
    /// `docker container run, docker run`; empty for none.
    pub aliases: &'static str,
    pub flags: &'static [Flag],
    pub arity: Arity,
    /// False for commands whose arguments after the first are someone else's (run, exec).
    pub interspersed: bool,
}

/// Parsed flags and positional arguments.
#[derive(Debug, Default)]
pub struct Matches {
    values: HashMap<&'static str, Vec<String>>,
    pub args: Vec<String>,
}

impl Matches {
    /// True if a bool flag was set (and not set back to false).
    pub fn flag(&self, long: &str) -> bool {
        self.values.get(long).and_then(|v| v.last()).is_some_and(|v| v == "true")
    }
    /// The last value of a single-value flag.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }
    /// Every value of a repeatable flag, in order.
    pub fn list(&self, long: &str) -> &[String] {
        self.values.get(long).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The outcome of parsing.
#[derive(Debug)]
pub enum Parsed {
    Help,
    Run(Matches),
}

/// A usage error, rendered as Docker renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    pub text: String,
    pub status: i32,
}

fn parse_bool(flag: &Flag, value: &str) -> Result<String, String> {
    match value {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok("true".into()),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok("false".into()),
        _ => Err(format!(
            "invalid argument \"{value}\" for \"{}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax",
            flag_display(flag)
        )),
    }
}

fn flag_display(flag: &Flag) -> String {
    match flag.short {
        Some(s) => format!("-{s}, --{}", flag.long),
        None => format!("--{}", flag.long),
    }
}

fn check_int(flag: &Flag, value: &str) -> Result<(), String> {
    if flag.kind == Kind::Value("int") && value.parse::<i64>().is_err() {
        return Err(format!(
            "invalid argument \"{value}\" for \"{}\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax",
            flag_display(flag)
        ));
    }
    Ok(())
}

const HELP: Flag = Flag::bool("help", None, "Print usage");

impl Spec {
    fn find_long(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().chain(std::iter::once(&HELP)).find(|f| f.long == name)
    }
    fn find_short(&self, c: char) -> Option<&Flag> {
        self.flags.iter().find(|f| f.short == Some(c))
    }

    /// Parses `args` (the words after the command name).
    pub fn parse(&self, args: &[String]) -> Result<Parsed, UsageError> {
        let mut m = Matches::default();
        let mut i = 0;
        let mut only_args = false;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if only_args || arg == "-" || !arg.starts_with('-') {
                m.args.push(arg.clone());
                if !self.interspersed {
                    only_args = true;
                }
                continue;
            }
            if arg == "--" {
                only_args = true;
                continue;
            }
            let result = if let Some(long) = arg.strip_prefix("--") {
                self.long_flag(long, args, &mut i, &mut m)
            } else {
                self.short_flags(&arg[1..], args, &mut i, &mut m)
            };
            result.map_err(|e| self.flag_error(&e))?;
        }
        if m.flag("help") {
            return Ok(Parsed::Help);
        }
        self.check_arity(m.args.len())?;
        Ok(Parsed::Run(m))
    }

    fn store(&self, flag: &Flag, value: String, m: &mut Matches) -> Result<(), String> {
        let value = match flag.kind {
            Kind::Bool => parse_bool(flag, &value)?,
            _ => {
                check_int(flag, &value)?;
                value
            }
        };
        m.values.entry(flag.long).or_default().push(value);
        Ok(())
    }

    fn long_flag(&self, body: &str, args: &[String], i: &mut usize, m: &mut Matches) -> Result<(), String> {
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let flag = self.find_long(name).ok_or_else(|| format!("unknown flag: --{name}"))?;
        let value = match (flag.kind, inline) {
            (_, Some(v)) => v,
            (Kind::Bool, None) => "true".into(),
            (_, None) => {
                let v = args.get(*i).ok_or_else(|| format!("flag needs an argument: --{name}"))?;
                *i += 1;
                v.clone()
            }
        };
        self.store(flag, value, m)
    }

    fn short_flags(&self, body: &str, args: &[String], i: &mut usize, m: &mut Matches) -> Result<(), String> {
        let chars: Vec<char> = body.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            if c == 'h' && self.find_short('h').is_none() {
                return self.store(&HELP, "true".into(), m);
            }
            let flag = self.find_short(c).ok_or_else(|| format!("unknown shorthand flag: '{c}' in -{body}"))?;
            let rest: String = chars[j + 1..].iter().collect();
            if flag.kind == Kind::Bool {
                if let Some(v) = rest.strip_prefix('=') {
                    return self.store(flag, v.to_string(), m);
                }
                self.store(flag, "true".into(), m)?;
                j += 1;
                continue;
            }
            let value = if let Some(v) = rest.strip_prefix('=') {
                v.to_string()
            } else if !rest.is_empty() {
                rest
            } else {
                let v = args.get(*i).ok_or_else(|| format!("flag needs an argument: '{c}' in -{c}"))?;
                *i += 1;
                v.clone()
            };
            return self.store(flag, value, m);
        }
        Ok(())
    }

    fn flag_error(&self, message: &str) -> UsageError {
        UsageError {
            text: format!("{message}\n\nUsage:  {}\n\nRun '{} --help' for more information\n", self.usage, self.name),
            status: 125,
        }
    }

    fn check_arity(&self, n: usize) -> Result<(), UsageError> {
        let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
        let (message, verb) = match self.arity {
            Arity::None if n > 0 => (format!("'{}' accepts no arguments", self.name), "Run"),
            Arity::Exactly(k) if n != k => (format!("'{}' requires {k} {}", self.name, plural(k)), "Run"),
            Arity::AtLeast(k) if n < k => (format!("'{}' requires at least {k} {}", self.name, plural(k)), "See"),
            Arity::AtMost(k) if n > k => (format!("'{}' requires at most {k} {}", self.name, plural(k)), "See"),
            _ => return Ok(()),
        };
        Err(UsageError {
            text: format!(
                "docker: {message}\n\nUsage:  {}\n\n{verb} '{} --help' for more information\n",
                self.usage, self.name
            ),
            status: 1,
        })
    }

    /// The `--help` text: usage, description, aliases and the flag table, wrapped at 80 columns.
    pub fn help(&self) -> String {
        let mut out = format!("Usage:  {}\n\n{}\n", self.usage, self.description);
        if !self.aliases.is_empty() {
            out.push_str(&format!("\nAliases:\n  {}\n", self.aliases));
        }
        if self.flags.is_empty() {
            return out;
        }
        out.push_str("\nOptions:\n");
        let mut flags: Vec<&Flag> = self.flags.iter().filter(|f| !f.hidden).collect();
        flags.sort_by_key(|f| f.long);
        let lefts: Vec<String> = flags
            .iter()
            .map(|f| {
                let names = match f.short {
                    Some(s) => format!("  -{s}, --{}", f.long),
                    None => format!("      --{}", f.long),
                };
                match f.kind {
                    Kind::Bool => names,
                    Kind::Value(ty) | Kind::List(ty) => format!("{names} {ty}"),
                }
            })
            .collect();
        let width = lefts.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 3;
        for (flag, left) in flags.iter().zip(lefts) {
            let mut usage = flag.usage.to_string();
            if let Some(d) = flag.default {
                usage.push_str(&format!(" (default {d})"));
            }
            let lines = wrap(&usage, 79usize.saturating_sub(width));
            for (k, line) in lines.iter().enumerate() {
                let lead = if k == 0 { format!("{left:width$}") } else { " ".repeat(width) };
                out.push_str(&format!("{lead}{line}\n"));
            }
        }
        out
    }
}

/// Wraps a flag's help text into `room` columns as pflag does for Docker's 79-column help: lines
/// break at the last space (or newline) before `room - 5` bytes, and a rest that fits in `room`
/// stays whole (so no short word is left alone on the last line). Newlines in the text are kept.
fn wrap(text: &str, room: usize) -> Vec<String> {
    const SLOP: usize = 5;
    if room < 24 {
        return text.split('\n').map(String::from).collect();
    }
    let width = room - SLOP;
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let head = &rest.as_bytes()[..width.min(rest.len())];
        let space = head.iter().rposition(|b| matches!(b, b' ' | b'\t' | b'\n')).filter(|&i| i > 0);
        let newline = head.iter().rposition(|&b| b == b'\n').filter(|&i| i > 0);
        let cut = match (width + SLOP > rest.len(), space) {
            (true, _) | (false, None) => {
                lines.extend(rest.split('\n').map(String::from));
                break;
            }
            (false, Some(space)) => newline.filter(|&n| n < space).unwrap_or(space),
        };
        lines.extend(rest[..cut].split('\n').map(String::from));
        rest = &rest[cut + 1..];
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        Flag::bool("detach", Some('d'), "Run container in background and print container ID"),
        Flag::bool("interactive", Some('i'), "Keep STDIN open even if not attached"),
        Flag::bool("tty", Some('t'), "Allocate a pseudo-TTY"),
        Flag::list("env", Some('e'), "list", "Set environment variables"),
        Flag::value("name", None, "string", "Assign a name to the container"),
        Flag::value("last", Some('n'), "int", "Show n last created containers").with_default("-1"),
    ];
    const RUN: Spec = Spec {
        name: "docker run",
        usage: "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
        description: "Create and run a new container from an image",
        aliases: "docker container run, docker run",
        flags: FLAGS,
        arity: Arity::AtLeast(1),
        interspersed: false,
    };

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn parse(s: &str) -> Result<Matches, UsageError> {
        match RUN.parse(&argv(s))? {
            Parsed::Run(m) => Ok(m),
            Parsed::Help => panic!("help"),
        }
    }

    #[test]
    fn flags_and_arguments_separate_like_cobra() {
        let m = parse("-it --name=web -e A=1 -eB=2 alpine ls -l --name x").unwrap();
        assert!(m.flag("interactive") && m.flag("tty") && !m.flag("detach"));
        assert_eq!(m.value("name"), Some("web"));
        assert_eq!(m.list("env"), ["A=1", "B=2"]);
        assert_eq!(m.args, argv("alpine ls -l --name x"));
        let m = parse("-d=false hello").unwrap();
        assert!(!m.flag("detach"));
    }

    #[test]
    fn errors_match_the_docker_client() {
        let e = parse("--foo img").unwrap_err();
        assert_eq!(e.status, 125);
        assert_eq!(
            e.text,
            "unknown flag: --foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"
        );
        assert!(parse("-xe a img").unwrap_err().text.starts_with("unknown shorthand flag: 'x' in -xe\n"));
        assert!(parse("-e").unwrap_err().text.starts_with("flag needs an argument: 'e' in -e\n"));
        assert!(parse("--name").unwrap_err().text.starts_with("flag needs an argument: --name\n"));
        assert!(parse("-d=x img").unwrap_err().text.starts_with(
            "invalid argument \"x\" for \"-d, --detach\" flag: strconv.ParseBool: parsing \"x\": invalid syntax\n"
        ));
        let e = parse("").unwrap_err();
        assert_eq!(e.status, 1);
        assert!(e.text.starts_with("docker: 'docker run' requires at least 1 argument\n\nUsage:"));
        assert!(e.text.ends_with("See 'docker run --help' for more information\n"));
    }

    #[test]
    fn help_is_requested_and_laid_out_in_columns() {
        assert!(matches!(RUN.parse(&argv("--help")), Ok(Parsed::Help)));
        assert!(matches!(RUN.parse(&argv("-h")), Ok(Parsed::Help)));
        let help = RUN.help();
        assert!(help.starts_with("Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nCreate and run"));
        assert!(
            help.contains("\n  -d, --detach        Run container in background and print container ID\n"),
            "{help}"
        );
        assert!(help.contains("\n      --name string   Assign a name to the container\n"), "{help}");
        assert!(help.contains("\n  -n, --last int      Show n last created containers (default -1)\n"), "{help}");
    }
}
