//! The second pass: each instruction line becomes a typed [`Instruction`] (or a `FROM`, which
//! starts a build stage), checked the way BuildKit's instruction parser checks it: argument
//! counts, accepted flags, `HEALTHCHECK` durations, stage names. Its errors are the ones
//! `docker build` prints as `dockerfile parse error on line N: ...`.

use super::error::{go_quote, ParseError};
use super::flags::{self, Flags, Kind};
use super::heredoc::{parse_heredoc, Heredoc, HeredocWord};
use super::instruction::{Add, Arg, Copy, Instruction, Run, ShellOrExec};
use super::node::Node;
use super::suggest::with_suggestion;

/// Every instruction keyword, for `did you mean` suggestions.
pub(crate) const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// A `FROM` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct From {
    pub image: String,
    pub name: Option<String>,
    pub platform: Option<String>,
}

/// What a line turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Parsed {
    From(From),
    Instruction(Instruction),
}

/// A first-pass line with what the second pass needs besides the node.
pub(crate) struct Line<'a> {
    pub node: &'a Node,
    /// The logical line as written (for `ONBUILD`'s stored expression).
    pub text: &'a str,
    /// The heredocs read after the line, with their raw content.
    pub heredocs: &'a [(HeredocWord, String)],
}

pub(crate) fn err<T>(message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError::instruction(message))
}

fn exactly_one(line: &Line<'_>, keyword: &str) -> Result<String, ParseError> {
    match line.node.args.as_slice() {
        [one] => Ok(one.clone()),
        _ => err(format!("{keyword} requires exactly one argument")),
    }
}

fn at_least_one(line: &Line<'_>, keyword: &str) -> Result<(), ParseError> {
    if line.node.args.is_empty() {
        return err(format!("{keyword} requires at least one argument"));
    }
    Ok(())
}

fn no_flags(line: &Line<'_>) -> Result<Flags, ParseError> {
    flags::parse(&line.node.flags, &[])
}

/// The exec form as is, the shell form as one command line.
fn command_line(node: &Node) -> ShellOrExec {
    if node.json {
        ShellOrExec::Exec(node.args.clone())
    } else {
        ShellOrExec::Shell(node.args.join(" "))
    }
}

/// Parses one line of the Dockerfile.
pub(crate) fn parse_line(line: &Line<'_>) -> Result<Parsed, ParseError> {
    let node = line.node;
    let args = &node.args;
    let instruction = match node.command.to_ascii_lowercase().as_str() {
        "from" => return parse_from(line).map(Parsed::From),
        "env" => {
            no_flags(line)?;
            Instruction::Env(key_values(args, "ENV")?)
        }
        "label" => {
            no_flags(line)?;
            Instruction::Label(key_values(args, "LABEL")?)
        }
        "maintainer" => {
            let name = exactly_one(line, "MAINTAINER")?;
            no_flags(line)?;
            Instruction::Maintainer(name)
        }
        "add" => Instruction::Add(parse_add(line)?),
        "copy" => Instruction::Copy(parse_copy(line)?),
        "onbuild" => parse_onbuild(line)?,
        "workdir" => {
            let path = exactly_one(line, "WORKDIR")?;
            no_flags(line)?;
            Instruction::Workdir(path)
        }
        "run" => Instruction::Run(parse_run(line)?),
        "cmd" => {
            no_flags(line)?;
            Instruction::Cmd(command_line(node))
        }
        "entrypoint" => {
            no_flags(line)?;
            Instruction::Entrypoint(command_line(node))
        }
        "healthcheck" => Instruction::Healthcheck(super::healthcheck::parse(line)?),
        "expose" => {
            at_least_one(line, "EXPOSE")?;
            no_flags(line)?;
            let mut ports = args.clone();
            ports.sort();
            Instruction::Expose(ports)
        }
        "user" => {
            let user = exactly_one(line, "USER")?;
            no_flags(line)?;
            Instruction::User(user)
        }
        "volume" => {
            at_least_one(line, "VOLUME")?;
            no_flags(line)?;
            let mut volumes = Vec::with_capacity(args.len());
            for v in args {
                let v = v.trim();
                if v.is_empty() {
                    return err("VOLUME specified can not be an empty string");
                }
                volumes.push(v.to_string());
            }
            Instruction::Volume(volumes)
        }
        "stopsignal" => Instruction::StopSignal(exactly_one(line, "STOPSIGNAL")?),
        "arg" => Instruction::Arg(parse_arg(args)?),
        "shell" => {
            no_flags(line)?;
            if args.is_empty() {
                return err("SHELL requires at least one argument");
            }
            if !node.json {
                return err("SHELL requires the arguments to be in JSON form");
            }
            Instruction::Shell(args.clone())
        }
        _ => {
            let message = format!("unknown instruction: {}", node.command);
            return err(with_suggestion(message, &node.command, KEYWORDS, false));
        }
    };
    Ok(Parsed::Instruction(instruction))
}

fn parse_from(line: &Line<'_>) -> Result<From, ParseError> {
    let (image, name) = match line.node.args.as_slice() {
        [image, as_, name] if as_.eq_ignore_ascii_case("as") => {
            let lower = name.to_lowercase();
            let mut chars = lower.chars();
            let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
            if !valid {
                return err(format!(
                    "invalid name for build stage: {}, name can't start with a number or contain symbols",
                    go_quote(name)
                ));
            }
            (image, Some(lower))
        }
        [image] => (image, None),
        _ => return err("FROM requires either one or three arguments"),
    };
    let flags = flags::parse(&line.node.flags, &[("platform", Kind::String)])?;
    Ok(From { image: image.clone(), name, platform: flags.get("platform").filter(|p| !p.is_empty()) })
}

/// `ENV`/`LABEL` triples (key, value, separator) into pairs.
fn key_values(args: &[String], keyword: &str) -> Result<Vec<(String, String)>, ParseError> {
    if args.is_empty() {
        return err(format!("{keyword} requires at least one argument"));
    }
    if args.len() % 3 != 0 {
        return err(format!("Bad input to {keyword}, too many arguments"));
    }
    args.chunks(3)
        .map(|kv| {
            if kv[0].is_empty() {
                return err(format!("{keyword} names can not be blank"));
            }
            Ok((kv[0].clone(), kv[1].clone()))
        })
        .collect()
}

fn parse_arg(args: &[String]) -> Result<Vec<Arg>, ParseError> {
    if args.is_empty() {
        return err("ARG requires at least one argument");
    }
    args.iter()
        .map(|arg| match arg.split_once('=') {
            Some(("", _)) => err("ARG names can not be blank"),
            Some((name, value)) => Ok(Arg { name: name.to_string(), default: Some(value.to_string()) }),
            None => Ok(Arg { name: arg.clone(), default: None }),
        })
        .collect()
}

/// The sources, the inline (heredoc) sources and the destination of `COPY`/`ADD`.
fn sources_and_dest(line: &Line<'_>, keyword: &str) -> Result<(Vec<String>, Vec<Heredoc>, String), ParseError> {
    let (dest, sources) = match line.node.args.split_last() {
        Some((dest, sources)) if !sources.is_empty() => (dest, sources),
        _ => return no_destination(keyword),
    };
    if let Ok(Some(_)) = parse_heredoc(dest) {
        return err(format!("{keyword} cannot accept a heredoc as a destination"));
    }
    let mut paths = Vec::new();
    let mut inline = Vec::new();
    for source in sources {
        match parse_heredoc(source) {
            Ok(Some(word)) => {
                let raw =
                    line.heredocs.iter().rev().find(|(w, _)| w.name == word.name).map_or("", |(_, raw)| raw.as_str());
                inline.push(word.with_content(raw));
            }
            _ => paths.push(source.clone()),
        }
    }
    Ok((paths, inline, dest.clone()))
}

fn no_destination<T>(keyword: &str) -> Result<T, ParseError> {
    err(format!(
        "{keyword} requires at least two arguments, but only one was provided. \
         Destination could not be determined"
    ))
}

fn non_empty(flags: &Flags, name: &str) -> Option<String> {
    flags.get(name).filter(|v| !v.is_empty())
}

fn parse_copy(line: &Line<'_>) -> Result<Copy, ParseError> {
    if line.node.args.len() < 2 {
        return no_destination("COPY");
    }
    let flags = flags::parse(
        &line.node.flags,
        &[
            ("chown", Kind::String),
            ("from", Kind::String),
            ("chmod", Kind::String),
            ("link", Kind::Bool),
            ("exclude", Kind::Strings),
            ("parents", Kind::Bool),
        ],
    )?;
    let (sources, heredocs, dest) = sources_and_dest(line, "COPY")?;
    Ok(Copy {
        sources,
        heredocs,
        dest,
        from: non_empty(&flags, "from"),
        chown: non_empty(&flags, "chown"),
        chmod: non_empty(&flags, "chmod"),
        link: flags.is_true("link"),
        parents: flags.is_true("parents"),
        excludes: flags.all("exclude"),
    })
}

fn parse_add(line: &Line<'_>) -> Result<Add, ParseError> {
    if line.node.args.len() < 2 {
        return no_destination("ADD");
    }
    let flags = flags::parse(
        &line.node.flags,
        &[
            ("chown", Kind::String),
            ("chmod", Kind::String),
            ("link", Kind::Bool),
            ("keep-git-dir", Kind::Bool),
            ("checksum", Kind::String),
            ("unpack", Kind::Bool),
            ("exclude", Kind::Strings),
        ],
    )?;
    let (sources, heredocs, dest) = sources_and_dest(line, "ADD")?;
    Ok(Add {
        sources,
        heredocs,
        dest,
        chown: non_empty(&flags, "chown"),
        chmod: non_empty(&flags, "chmod"),
        link: flags.is_true("link"),
        checksum: non_empty(&flags, "checksum"),
        keep_git_dir: flags.get("keep-git-dir").map(|v| v == "true"),
        unpack: flags.get("unpack").map(|v| v == "true"),
        excludes: flags.all("exclude"),
    })
}

fn parse_run(line: &Line<'_>) -> Result<Run, ParseError> {
    let flags = flags::parse(
        &line.node.flags,
        &[("device", Kind::Strings), ("mount", Kind::Strings), ("network", Kind::String), ("security", Kind::String)],
    )?;
    let network = flags.get("network");
    if let Some(n) = &network {
        if !matches!(n.as_str(), "default" | "none" | "host") {
            return err(format!("invalid network mode {}", go_quote(n)));
        }
    }
    let security = flags.get("security");
    if let Some(s) = &security {
        if !matches!(s.as_str(), "sandbox" | "insecure") {
            return err(format!("security {} is not valid", go_quote(s)));
        }
    }
    Ok(Run {
        cmd: command_line(line.node),
        mounts: flags.all("mount"),
        network,
        security,
        devices: flags.all("device"),
        heredocs: line.heredocs.iter().map(|(word, raw)| word.with_content(raw)).collect(),
    })
}

fn parse_onbuild(line: &Line<'_>) -> Result<Instruction, ParseError> {
    at_least_one(line, "ONBUILD")?;
    no_flags(line)?;
    let trigger = line.node.args.first().map_or(String::new(), |a| a.trim().to_uppercase());
    match trigger.as_str() {
        "ONBUILD" => return err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        "MAINTAINER" | "FROM" => return err(format!("{trigger} isn't allowed as an ONBUILD trigger")),
        _ => {}
    }
    let mut expression = strip_onbuild(line.text).to_string();
    for (word, raw) in line.heredocs {
        expression.push('\n');
        expression.push_str(raw);
        expression.push_str(&word.name);
    }
    let Some(child) = line.node.child.as_deref() else {
        return err("ONBUILD requires at least one argument");
    };
    let inner = Line { node: child, text: &expression, heredocs: line.heredocs };
    match parse_line(&inner)? {
        Parsed::Instruction(trigger) => Ok(Instruction::Onbuild { expression, trigger: Box::new(trigger) }),
        Parsed::From(_) => err("FROM isn't allowed as an ONBUILD trigger"),
    }
}

/// The line without its leading `ONBUILD` keyword (`(?i)^\s*ONBUILD\s*`).
fn strip_onbuild(text: &str) -> &str {
    let is_space = |c: char| matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ');
    let t = text.trim_start_matches(is_space);
    match t.get(..7) {
        Some(k) if k.eq_ignore_ascii_case("onbuild") => t[7..].trim_start_matches(is_space),
        _ => text,
    }
}
