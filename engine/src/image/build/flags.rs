//! Instruction flags: the `--name=value` words right after the keyword (`COPY --from=builder`,
//! `RUN --mount=type=cache,target=/root/.cache`, `HEALTHCHECK --interval=30s`). Each
//! instruction accepts its own set; BuildKit rejects unknown, duplicated or malformed ones.

use super::error::ParseError;
use super::suggest::with_suggestion;

/// What a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `--link`, `--link=true`, `--link=false`.
    Bool,
    /// `--from=x`, once.
    String,
    /// `--mount=x`, any number of times.
    Strings,
}

/// The flags an instruction was given, by name.
#[derive(Debug, Default)]
pub(crate) struct Flags {
    values: Vec<(&'static str, String)>,
}

impl Flags {
    /// The value of a string flag, or a bool flag's `"true"`/`"false"`, if it was given.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.values.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
    }

    /// Whether a bool flag is set to true.
    pub(crate) fn is_true(&self, name: &str) -> bool {
        self.get(name).as_deref() == Some("true")
    }

    /// Every value of a repeatable flag, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.values.iter().filter(|(n, _)| *n == name).map(|(_, v)| v.clone()).collect()
    }
}

/// Checks `args` (the words starting with `--`) against the flags an instruction accepts.
pub(crate) fn parse(args: &[String], spec: &[(&'static str, Kind)]) -> Result<Flags, ParseError> {
    let mut flags = Flags::default();
    let err = |m: String| Err(ParseError::instruction(m));
    for arg in args {
        if arg == "--" {
            break;
        }
        let Some(body) = arg.strip_prefix("--") else {
            return err(format!("arg should start with -- : {arg}"));
        };
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let flag_name = &arg[..name.len() + 2];
        let Some(&(key, kind)) = spec.iter().find(|(n, _)| *n == name) else {
            let names: Vec<&str> = spec.iter().map(|(n, _)| *n).collect();
            let message = format!("unknown flag: {flag_name}");
            return err(with_suggestion(message, name, &names, true));
        };
        if kind != Kind::Strings && flags.values.iter().any(|(n, _)| *n == key) {
            return err(format!("duplicate flag specified: {flag_name}"));
        }
        let value = match (kind, value) {
            (Kind::Bool, Some("")) => return err(format!("missing a value on flag: {flag_name}")),
            (Kind::Bool, None) => "true".to_string(),
            (Kind::Bool, Some(v)) => match v.to_lowercase().as_str() {
                "true" => "true".to_string(),
                "false" => "false".to_string(),
                _ => return err(format!("expecting boolean value for flag {flag_name}, not: {v}")),
            },
            (_, None) => return err(format!("missing a value on flag: {flag_name}")),
            (_, Some(v)) => v.to_string(),
        };
        flags.values.push((key, value));
    }
    Ok(flags)
}
