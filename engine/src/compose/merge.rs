//! Merging files (`-f compose.yml -f compose.override.yml`, or several YAML documents in one
//! file): mappings merge key by key, a later scalar replaces an earlier one, `command`,
//! `entrypoint` and `healthcheck.test` are replaced whole, and lists are appended then made
//! unique by what identifies their entries (a port spec, a mount target, a variable's name), the
//! later entry taking the earlier one's place, as Compose's `override` package does.

use super::error::ComposeError;
use super::syntax::parse_volume;
use super::value::{Map, Value};

fn matches(pattern: &str, path: &[String]) -> bool {
    let parts: Vec<&str> = pattern.split('.').collect();
    parts.len() == path.len() && parts.iter().zip(path).all(|(p, k)| *p == "*" || p == k)
}

/// Paths merged as `KEY=VALUE` lists.
const TO_SEQUENCE: &[&str] = &[
    "networks.*.labels",
    "volumes.*.labels",
    "services.*.annotations",
    "services.*.build.args",
    "services.*.build.labels",
    "services.*.deploy.labels",
    "services.*.dns",
    "services.*.env_file",
    "services.*.environment",
    "services.*.labels",
    "services.*.sysctls",
    "services.*.tmpfs",
];

/// Paths a later file replaces whole.
const OVERRIDE: &[&str] = &["services.*.command", "services.*.entrypoint", "services.*.healthcheck.test"];

/// Merges `over` onto `base`.
pub fn merge(base: Map, over: Map) -> Map {
    match merge_value(Value::Map(base), Value::Map(over), &mut Vec::new()) {
        Value::Map(m) => m,
        _ => Map::new(),
    }
}

fn merge_value(base: Value, over: Value, path: &mut Vec<String>) -> Value {
    if OVERRIDE.iter().any(|p| matches(p, path)) {
        return over;
    }
    if TO_SEQUENCE.iter().any(|p| matches(p, path)) {
        let mut items = to_sequence(base);
        items.extend(to_sequence(over));
        return Value::Seq(items);
    }
    let mapped = matches("services.*.depends_on", path) || matches("services.*.networks", path);
    let (base, over) = if mapped { (names_to_map(base), names_to_map(over)) } else { (base, over) };
    let (base, over) =
        if matches("services.*.build", path) { (build_map(base), build_map(over)) } else { (base, over) };
    match (base, over) {
        (Value::Map(mut b), Value::Map(o)) => {
            for (k, v) in o {
                path.push(k.clone());
                let merged = match b.take(&k) {
                    Some(old) => merge_value(old, v, path),
                    None => v,
                };
                path.pop();
                b.insert(k, merged);
            }
            Value::Map(b)
        }
        (Value::Seq(mut b), Value::Seq(o)) => {
            b.extend(o);
            Value::Seq(b)
        }
        (_, over) => over,
    }
}

fn to_sequence(v: Value) -> Vec<Value> {
    match v {
        Value::Seq(items) => items,
        Value::Map(m) => m
            .into_iter()
            .map(|(k, v)| match v {
                Value::Null => Value::Str(k),
                v => Value::Str(format!("{k}={}", v.scalar_text().unwrap_or_default())),
            })
            .collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn names_to_map(v: Value) -> Value {
    match v {
        Value::Seq(items) => {
            Value::Map(items.into_iter().filter_map(|i| i.scalar_text()).map(|n| (n, Value::Null)).collect())
        }
        other => other,
    }
}

fn build_map(v: Value) -> Value {
    match v {
        Value::Str(context) => Value::Map([("context".to_string(), Value::Str(context))].into_iter().collect()),
        other => other,
    }
}

/// How the entries of a list are told apart.
#[derive(Clone, Copy)]
enum Index {
    KeyValue,
    Volume,
    Expose,
    Port,
    EnvFile,
}

const UNIQUE: &[(&str, Index)] = &[
    ("networks.*.labels", Index::KeyValue),
    ("services.*.annotations", Index::KeyValue),
    ("services.*.build.args", Index::KeyValue),
    ("services.*.build.tags", Index::KeyValue),
    ("services.*.build.labels", Index::KeyValue),
    ("services.*.cap_add", Index::KeyValue),
    ("services.*.cap_drop", Index::KeyValue),
    ("services.*.deploy.labels", Index::KeyValue),
    ("services.*.dns", Index::KeyValue),
    ("services.*.dns_opt", Index::KeyValue),
    ("services.*.dns_search", Index::KeyValue),
    ("services.*.environment", Index::KeyValue),
    ("services.*.env_file", Index::EnvFile),
    ("services.*.expose", Index::Expose),
    ("services.*.labels", Index::KeyValue),
    ("services.*.links", Index::KeyValue),
    ("services.*.networks.*.aliases", Index::KeyValue),
    ("services.*.ports", Index::Port),
    ("services.*.profiles", Index::KeyValue),
    ("services.*.sysctls", Index::KeyValue),
    ("services.*.tmpfs", Index::KeyValue),
    ("services.*.volumes", Index::Volume),
];

/// Removes the entries a later entry redefines (Compose's `EnforceUnicity`).
pub fn enforce_unicity(doc: &mut Map) -> Result<(), ComposeError> {
    let mut path = Vec::new();
    for (k, v) in doc.iter_mut() {
        path.push(k.clone());
        unique(v, &mut path)?;
        path.pop();
    }
    Ok(())
}

fn unique(v: &mut Value, path: &mut Vec<String>) -> Result<(), ComposeError> {
    match v {
        Value::Map(m) => {
            for (k, v) in m.iter_mut() {
                path.push(k.clone());
                unique(v, path)?;
                path.pop();
            }
        }
        Value::Seq(items) => {
            let Some((_, index)) = UNIQUE.iter().find(|(p, _)| matches(p, path)) else { return Ok(()) };
            let mut kept: Vec<Value> = Vec::new();
            let mut keys: Vec<String> = Vec::new();
            for (i, item) in std::mem::take(items).into_iter().enumerate() {
                let at = format!("{}.[{i}]", path.join("."));
                let key = key_of(*index, &item, &at)?;
                match keys.iter().position(|k| *k == key) {
                    Some(j) => kept[j] = item,
                    None => {
                        keys.push(key);
                        kept.push(item);
                    }
                }
            }
            *items = kept;
        }
        _ => {}
    }
    Ok(())
}

fn key_of(index: Index, item: &Value, at: &str) -> Result<String, ComposeError> {
    let go_type = |v: &Value| match v {
        Value::Int(_) => "int",
        Value::Float(_) => "float64",
        Value::Bool(_) => "bool",
        Value::Null => "<nil>",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        Value::Str(_) => "string",
    };
    match (index, item) {
        (Index::KeyValue, Value::Str(s)) => Ok(s.split_once('=').map(|(k, _)| k).unwrap_or(s).to_string()),
        (Index::KeyValue, other) => Err(ComposeError::Unicity(format!("{at}: unexpected type {}", go_type(other)))),
        (Index::Volume, Value::Map(m)) => match m.get("target") {
            Some(Value::Str(t)) => Ok(t.clone()),
            _ => Err(ComposeError::Unicity(format!("service volume {at} is missing a mount target"))),
        },
        (Index::Volume, Value::Str(s)) => Ok(parse_volume(s)?.target),
        (Index::Expose, Value::Str(s)) => Ok(s.clone()),
        (Index::Expose, Value::Int(n)) => Ok(n.to_string()),
        (Index::Port, Value::Int(n)) => Ok(n.to_string()),
        (Index::Port, Value::Str(s)) => Ok(s.clone()),
        (Index::Port, Value::Map(m)) => {
            let text = |k: &str, default: &str| m.get(k).and_then(Value::scalar_text).unwrap_or_else(|| default.into());
            Ok(format!(
                "{}:{}:{}/{}",
                text("host_ip", "0.0.0.0"),
                text("published", ""),
                text("target", ""),
                text("protocol", "tcp")
            ))
        }
        (Index::EnvFile, Value::Str(s)) => Ok(s.clone()),
        (Index::EnvFile, Value::Map(m)) => Ok(m.get("path").and_then(Value::scalar_text).unwrap_or_default()),
        // Other entries are left to the schema to judge.
        (_, other) => Ok(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::parse::parse;

    fn doc(yaml: &str) -> Map {
        match parse(yaml).unwrap().remove(0) {
            Value::Map(m) => m,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn an_override_file_merges_like_compose() {
        let base = doc("services:\n  web:\n    image: nginx\n    command: [a, b]\n    ports: [\"80:80\"]\n    environment: [A=1, B=2]\n    depends_on: [db]\n  db:\n    image: postgres\n");
        let over = doc("services:\n  web:\n    image: nginx:alpine\n    command: [c]\n    ports: [\"81:81\", \"80:80\"]\n    environment: {B: 3}\n    depends_on: {cache: {condition: service_healthy}}\n");
        let mut merged = merge(base, over);
        enforce_unicity(&mut merged).unwrap();
        let web = merged.get("services").unwrap().get("web").unwrap();
        assert_eq!(web.get("image"), Some(&Value::Str("nginx:alpine".into())));
        assert_eq!(web.get("command"), Some(&Value::Seq(vec![Value::Str("c".into())])));
        let ports: Vec<String> =
            web.get("ports").unwrap().as_seq().unwrap().iter().filter_map(Value::scalar_text).collect();
        assert_eq!(ports, ["80:80", "81:81"]);
        let env: Vec<String> =
            web.get("environment").unwrap().as_seq().unwrap().iter().filter_map(Value::scalar_text).collect();
        assert_eq!(env, ["A=1", "B=3"]);
        let deps: Vec<&String> = web.get("depends_on").unwrap().as_map().unwrap().keys().collect();
        assert_eq!(deps, ["db", "cache"]);
        assert!(merged.get("services").unwrap().get("db").is_some());
    }

    #[test]
    fn unicity_errors_read_like_compose() {
        let mut d = doc("services:\n  web:\n    labels: [1]\n");
        assert_eq!(enforce_unicity(&mut d).unwrap_err().to_string(), "services.web.labels.[0]: unexpected type int");
        let mut d = doc("services:\n  web:\n    volumes:\n      - type: bind\n");
        assert_eq!(
            enforce_unicity(&mut d).unwrap_err().to_string(),
            "service volume services.web.volumes.[0] is missing a mount target"
        );
    }
}
