//! Stage 2, interpolate: `${VAR}` in any string of the file is replaced with the variable's
//! value, from the shell's environment or the project's `.env` file. Compose's forms: `$VAR`,
//! `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:+alt}`,
//! `${VAR+alt}`, `${VAR:?message}` and `${VAR?message}` (required), nested defaults, and `$$`
//! for a literal `$`. An unset variable becomes an empty string with a warning. A few fields
//! that must be numbers or booleans are converted back after substitution (`tty: ${TTY}`).

use super::value::{Map, Value};
use std::collections::BTreeMap;

/// The variables interpolation sees.
pub type Env = BTreeMap<String, String>;

/// Why a template could not be substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `${A B}`: not a template Compose understands.
    Invalid,
    /// `${VAR:?reason}` with VAR missing.
    Required { variable: String, reason: String },
}

/// An interpolation error, worded as Compose words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterpolateError {
    #[error("invalid interpolation format for {path}.\nYou may need to escape any $ with another $.\n{template}")]
    Invalid { path: String, template: String },
    #[error("error while interpolating {path}: required variable {variable} is missing a value{}", if reason.is_empty() { String::new() } else { format!(": {reason}") })]
    Required { path: String, variable: String, reason: String },
    #[error("error while interpolating {path}: failed to cast to expected type: {message}")]
    Cast { path: String, message: String },
}

/// Substitutes the variables of one string; warnings (unset variables) are collected.
pub fn substitute(template: &str, env: &Env, warnings: &mut Vec<String>) -> Result<String, TemplateError> {
    let b = template.as_bytes();
    let mut out = String::with_capacity(template.len());
    let mut i = 0;
    let mut literal_from = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        out.push_str(&template[literal_from..i]);
        let next = b.get(i + 1).copied();
        match next {
            Some(b'$') => {
                out.push('$');
                i += 2;
            }
            Some(c) if c == b'_' || c.is_ascii_alphabetic() => {
                let end = name_end(b, i + 1);
                out.push_str(&lookup(&template[i + 1..end], env, warnings));
                i = end;
            }
            Some(b'{') => {
                let (text, end) = braced(template, i, env, warnings)?;
                out.push_str(&text);
                i = end;
            }
            _ => {
                // Not a template: the `$` stays.
                out.push('$');
                i += 1;
            }
        }
        literal_from = i;
    }
    out.push_str(&template[literal_from..]);
    Ok(out)
}

fn name_end(b: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < b.len() && (b[end] == b'_' || b[end].is_ascii_alphanumeric()) {
        end += 1;
    }
    end
}

fn lookup(name: &str, env: &Env, warnings: &mut Vec<String>) -> String {
    match env.get(name) {
        Some(v) => v.clone(),
        None => {
            warnings.push(format!("The \"{name}\" variable is not set. Defaulting to a blank string."));
            String::new()
        }
    }
}

/// `${...}` starting at `start` (the `$`): its value and the index after its closing brace.
fn braced(t: &str, start: usize, env: &Env, warnings: &mut Vec<String>) -> Result<(String, usize), TemplateError> {
    let b = t.as_bytes();
    let name_start = start + 2;
    if !b.get(name_start).is_some_and(|&c| c == b'_' || c.is_ascii_alphabetic()) {
        return Err(TemplateError::Invalid);
    }
    let name_end = name_end(b, name_start);
    let name = &t[name_start..name_end];
    if b.get(name_end) == Some(&b'}') {
        return Ok((lookup(name, env, warnings), name_end + 1));
    }
    let (op, op_len) = match (b.get(name_end), b.get(name_end + 1)) {
        (Some(b':'), Some(&c)) if matches!(c, b'-' | b'+' | b'?') => ([b':', c], 2),
        (Some(&c), _) if matches!(c, b'-' | b'+' | b'?') => ([0, c], 1),
        _ => return Err(TemplateError::Invalid),
    };
    let close = closing_brace(t, start).ok_or(TemplateError::Invalid)?;
    let arg = &t[name_end + op_len..close];
    let value = env.get(name);
    let colon = op[0] == b':';
    let set_and_valid = value.is_some_and(|v| !colon || !v.is_empty());
    let text = match op[1] {
        b'-' => match value {
            Some(v) if set_and_valid => v.clone(),
            _ => substitute(arg, env, warnings)?,
        },
        b'+' => {
            let alt = substitute(arg, env, warnings)?;
            if set_and_valid {
                alt
            } else {
                value.cloned().unwrap_or_default()
            }
        }
        _ => {
            let reason = substitute(arg, env, warnings)?;
            match value {
                Some(v) if set_and_valid => v.clone(),
                _ => return Err(TemplateError::Required { variable: name.to_string(), reason }),
            }
        }
    };
    Ok((text, close + 1))
}

/// The `}` closing the `${` at `start`: braces nest (`${A:-${B}}`); a `{` skips the character
/// after it, as Compose's scanner does. Without a balanced brace, the last `}` of the line.
fn closing_brace(t: &str, start: usize) -> Option<usize> {
    let b = t.as_bytes();
    let mut open = 0i32;
    let mut i = start;
    while i < b.len() {
        if b[i] == b'}' {
            open -= 1;
            if open == 0 {
                return Some(i);
            }
        }
        if b[i] == b'{' {
            open += 1;
            i += 1;
        }
        i += 1;
    }
    let line_end = t[start..].find('\n').map(|n| start + n).unwrap_or(t.len());
    t[start..line_end].rfind('}').map(|n| start + n)
}

/// What a field's interpolated string is converted to.
#[derive(Clone, Copy)]
enum Cast {
    Int,
    Float,
    Bool,
}

/// The fields Compose converts back after interpolation (`*` is any key, `[]` any item).
const CASTS: &[(&str, Cast)] = &[
    ("services.*.cpu_count", Cast::Int),
    ("services.*.cpu_percent", Cast::Float),
    ("services.*.cpu_period", Cast::Int),
    ("services.*.cpu_quota", Cast::Int),
    ("services.*.cpu_rt_period", Cast::Int),
    ("services.*.cpu_rt_runtime", Cast::Int),
    ("services.*.cpus", Cast::Float),
    ("services.*.cpu_shares", Cast::Int),
    ("services.*.init", Cast::Bool),
    ("services.*.deploy.replicas", Cast::Int),
    ("services.*.deploy.update_config.parallelism", Cast::Int),
    ("services.*.deploy.update_config.max_failure_ratio", Cast::Float),
    ("services.*.deploy.rollback_config.parallelism", Cast::Int),
    ("services.*.deploy.rollback_config.max_failure_ratio", Cast::Float),
    ("services.*.deploy.restart_policy.max_attempts", Cast::Int),
    ("services.*.deploy.placement.max_replicas_per_node", Cast::Int),
    ("services.*.healthcheck.retries", Cast::Int),
    ("services.*.healthcheck.disable", Cast::Bool),
    ("services.*.oom_kill_disable", Cast::Bool),
    ("services.*.oom_score_adj", Cast::Int),
    ("services.*.pids_limit", Cast::Int),
    ("services.*.ports.[].target", Cast::Int),
    ("services.*.privileged", Cast::Bool),
    ("services.*.read_only", Cast::Bool),
    ("services.*.scale", Cast::Int),
    ("services.*.stdin_open", Cast::Bool),
    ("services.*.tty", Cast::Bool),
    ("services.*.ulimits.*", Cast::Int),
    ("services.*.ulimits.*.hard", Cast::Int),
    ("services.*.ulimits.*.soft", Cast::Int),
    ("services.*.volumes.[].read_only", Cast::Bool),
    ("services.*.volumes.[].volume.nocopy", Cast::Bool),
    ("networks.*.external", Cast::Bool),
    ("networks.*.internal", Cast::Bool),
    ("networks.*.attachable", Cast::Bool),
    ("networks.*.enable_ipv4", Cast::Bool),
    ("networks.*.enable_ipv6", Cast::Bool),
    ("volumes.*.external", Cast::Bool),
    ("secrets.*.external", Cast::Bool),
    ("configs.*.external", Cast::Bool),
];

fn matches(pattern: &str, path: &[String]) -> bool {
    let parts: Vec<&str> = pattern.split('.').collect();
    parts.len() == path.len() && parts.iter().zip(path).all(|(p, k)| *p == "*" || p == k)
}

fn cast(kind: Cast, s: &str, warnings: &mut Vec<String>) -> Result<Value, String> {
    match kind {
        Cast::Int => {
            s.parse::<i64>().map(Value::Int).map_err(|_| format!("strconv.Atoi: parsing \"{s}\": invalid syntax"))
        }
        Cast::Float => s
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("strconv.ParseFloat: parsing \"{s}\": invalid syntax")),
        Cast::Bool => match s.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            "y" | "yes" | "on" => {
                warnings.push(format!("\"{s}\" for boolean is not supported by YAML 1.2, please use `true`"));
                Ok(Value::Bool(true))
            }
            "n" | "no" | "off" => {
                warnings.push(format!("\"{s}\" for boolean is not supported by YAML 1.2, please use `false`"));
                Ok(Value::Bool(false))
            }
            _ => Err(format!("invalid boolean: {s}")),
        },
    }
}

/// Interpolates every string of a document (keys are left as written).
pub fn interpolate(doc: &mut Map, env: &Env, warnings: &mut Vec<String>) -> Result<(), InterpolateError> {
    let mut path = Vec::new();
    for (key, value) in doc.iter_mut() {
        path.push(key.clone());
        walk(value, &mut path, env, warnings)?;
        path.pop();
    }
    Ok(())
}

fn walk(
    value: &mut Value,
    path: &mut Vec<String>,
    env: &Env,
    warnings: &mut Vec<String>,
) -> Result<(), InterpolateError> {
    match value {
        Value::Str(s) => {
            let shown = path.join(".");
            let text = substitute(s, env, warnings).map_err(|e| match e {
                TemplateError::Invalid => InterpolateError::Invalid { path: shown.clone(), template: s.clone() },
                TemplateError::Required { variable, reason } => {
                    InterpolateError::Required { path: shown.clone(), variable, reason }
                }
            })?;
            *value = match CASTS.iter().find(|(p, _)| matches(p, path)) {
                Some((_, kind)) => {
                    cast(*kind, &text, warnings).map_err(|message| InterpolateError::Cast { path: shown, message })?
                }
                None => Value::Str(text),
            };
        }
        Value::Map(m) => {
            for (key, v) in m.iter_mut() {
                path.push(key.clone());
                walk(v, path, env, warnings)?;
                path.pop();
            }
        }
        Value::Seq(items) => {
            for v in items {
                path.push("[]".into());
                walk(v, path, env, warnings)?;
                path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
#[path = "interpolate_tests.rs"]
mod tests;
