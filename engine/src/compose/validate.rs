//! Stage 3, validate: the merged file is checked against the Compose specification's JSON
//! schema (vendored in `schema/`, the copy Compose v2.36.2 embeds). Compose validates with
//! gojsonschema and reports one error: the most specific one (deepest path), an invalid type
//! winning ties, and for a `oneOf` the error of the closest alternative. This checker follows
//! the same walk, keyword order and scoring over the keywords the schema uses (`type`,
//! `properties`, `patternProperties`, `additionalProperties`, `required`, `items`,
//! `uniqueItems`, `enum`, `oneOf`, `anyOf`, `allOf`, `not`, `$ref`, `pattern`, `minimum`,
//! `maximum`), so the message reads as Compose's: `services.web Additional property imagee is
//! not allowed`, `services.web.ports must be a list`.

use super::value::{go_float, Map, Value};
use serde_json::Value as Json;
use std::sync::OnceLock;

/// The compose-spec schema, as Compose v2.36.2 embeds it.
pub const SCHEMA_TEXT: &str = include_str!("schema/compose-spec.json");

fn schema() -> &'static Json {
    static SCHEMA: OnceLock<Json> = OnceLock::new();
    // The vendored file is valid JSON (a unit test parses it); an empty schema accepts anything.
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).unwrap_or(Json::Null))
}

/// The error Compose reports for a file the schema rejects: `<path> <description>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {description}")]
pub struct SchemaError {
    pub field: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    InvalidType,
    OneOf,
    AnyOf,
    Other,
}

#[derive(Debug, Clone)]
struct Failure {
    kind: Kind,
    /// The instance's path as gojsonschema's `Field()`: dotted, `(root)` for the document.
    field: String,
    /// gojsonschema's own description (`Invalid type. Expected: ...` for a type error).
    description: String,
    /// For a type error, the expected types as gojsonschema lists them (`[string,number]`).
    expected: String,
}

#[derive(Default)]
struct Outcome {
    failures: Vec<Failure>,
    score: i64,
}

impl Outcome {
    fn fail(&mut self, kind: Kind, path: &[String], description: String, expected: String) {
        let field = if path.is_empty() { "(root)".to_string() } else { path.join(".") };
        self.failures.push(Failure { kind, field, description, expected });
        self.score -= 2;
    }
    fn merge(&mut self, other: Outcome) {
        self.failures.extend(other.failures);
        self.score += other.score;
    }
    fn valid(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Validates a whole Compose document.
pub fn validate(doc: &Map) -> Result<(), SchemaError> {
    let root = schema();
    let mut out = Outcome::default();
    let mut path = Vec::new();
    walk(root, root, &Value::Map(doc.clone()), &mut path, &mut out);
    match most_specific(&out.failures) {
        None => Ok(()),
        Some(e) => Err(e),
    }
}

fn resolve<'a>(root: &'a Json, schema: &'a Json) -> &'a Json {
    let mut s = schema;
    for _ in 0..32 {
        let Some(r) = s.get("$ref").and_then(Json::as_str) else { return s };
        let Some(name) = r.strip_prefix("#/definitions/") else { return s };
        match root.get("definitions").and_then(|d| d.get(name)) {
            Some(target) => s = target,
            None => return s,
        }
    }
    s
}

fn types_of(schema: &Json) -> Vec<&str> {
    match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn type_matches(ty: &str, v: &Value) -> bool {
    match (ty, v) {
        ("null", Value::Null) | ("boolean", Value::Bool(_)) | ("string", Value::Str(_)) => true,
        ("array", Value::Seq(_)) | ("object", Value::Map(_)) => true,
        ("number", Value::Int(_) | Value::Float(_)) => true,
        ("integer", Value::Int(_)) => true,
        ("integer", Value::Float(f)) => f.fract() == 0.0,
        _ => false,
    }
}

fn sub(root: &Json, schema: &Json, v: &Value, path: &mut Vec<String>) -> Outcome {
    let mut out = Outcome::default();
    walk(root, schema, v, path, &mut out);
    out
}

fn walk(root: &Json, schema: &Json, v: &Value, path: &mut Vec<String>, out: &mut Outcome) {
    let schema = resolve(root, schema);
    match schema {
        Json::Bool(true) => return,
        Json::Bool(false) => {
            out.fail(Kind::Other, path, "False always fails validation".into(), String::new());
            return;
        }
        _ => {}
    }
    let types = types_of(schema);
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, v)) {
        let expected = if types.len() == 1 { types[0].to_string() } else { format!("[{}]", types.join(",")) };
        let given = v.json_type();
        out.fail(Kind::InvalidType, path, format!("Invalid type. Expected: {expected}, given: {given}"), expected);
        return;
    }
    combinators(root, schema, v, path, out);
    match v {
        Value::Seq(items) => {
            array(root, schema, items, path, out);
            common(schema, v, path, out);
        }
        Value::Map(map) => {
            object(root, schema, map, path, out);
            common(schema, v, path, out);
            if let Some(Json::Object(props)) = schema.get("properties") {
                for (name, prop) in props {
                    if let Some(child) = map.get(name) {
                        path.push(name.clone());
                        walk(root, prop, child, path, out);
                        path.pop();
                    }
                }
            }
        }
        _ => {
            number(schema, v, path, out);
            common(schema, v, path, out);
            string(schema, v, path, out);
        }
    }
    out.score += 1;
}

fn combinators(root: &Json, schema: &Json, v: &Value, path: &mut Vec<String>, out: &mut Outcome) {
    if let Some(Json::Array(any)) = schema.get("anyOf") {
        let mut best: Option<Outcome> = None;
        let mut ok = false;
        for s in any {
            let r = sub(root, s, v, path);
            if r.valid() {
                ok = true;
                break;
            }
            if best.as_ref().is_none_or(|b| r.score > b.score) {
                best = Some(r);
            }
        }
        if !ok {
            out.fail(Kind::AnyOf, path, "Must validate at least one schema (anyOf)".into(), String::new());
            if let Some(b) = best {
                out.merge(b);
            }
        }
    }
    if let Some(Json::Array(one)) = schema.get("oneOf") {
        let mut valid = 0;
        let mut best: Option<Outcome> = None;
        for s in one {
            let r = sub(root, s, v, path);
            if r.valid() {
                valid += 1;
            } else if valid == 0 && best.as_ref().is_none_or(|b| r.score > b.score) {
                best = Some(r);
            }
        }
        if valid != 1 {
            out.fail(Kind::OneOf, path, "Must validate one and only one schema (oneOf)".into(), String::new());
            if valid == 0 {
                if let Some(b) = best {
                    out.merge(b);
                }
            }
        }
    }
    if let Some(Json::Array(all)) = schema.get("allOf") {
        let mut valid = 0;
        for s in all {
            let r = sub(root, s, v, path);
            if r.valid() {
                valid += 1;
            }
            out.merge(r);
        }
        if valid != all.len() {
            out.fail(Kind::Other, path, "Must validate all the schemas (allOf)".into(), String::new());
        }
    }
    if let Some(not) = schema.get("not") {
        if sub(root, not, v, path).valid() {
            out.fail(Kind::Other, path, "Must not validate the schema (not)".into(), String::new());
        }
    }
    out.score += 1;
}

/// The canonical JSON text of a value, for `enum` and `uniqueItems` comparisons.
fn canonical(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_float(*f),
        Value::Str(s) => Json::String(s.clone()).to_string(),
        Value::Seq(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        Value::Map(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let body: Vec<String> =
                entries.iter().map(|(k, v)| format!("{}:{}", Json::String((*k).clone()), canonical(v))).collect();
            format!("{{{}}}", body.join(","))
        }
    }
}

fn json_canonical(j: &Json) -> String {
    match j {
        Json::Number(n) => n.as_f64().map(go_float).unwrap_or_else(|| n.to_string()),
        other => other.to_string(),
    }
}

fn common(schema: &Json, v: &Value, path: &[String], out: &mut Outcome) {
    if let Some(Json::Array(allowed)) = schema.get("enum") {
        let text = canonical(v);
        let allowed: Vec<String> = allowed.iter().map(json_canonical).collect();
        if !allowed.contains(&text) {
            let field = if path.is_empty() { "(root)".to_string() } else { path.join(".") };
            out.fail(
                Kind::Other,
                path,
                format!("{field} must be one of the following: {}", allowed.join(", ")),
                String::new(),
            );
        }
    }
    out.score += 1;
}

fn array(root: &Json, schema: &Json, items: &[Value], path: &mut Vec<String>, out: &mut Outcome) {
    match schema.get("items") {
        Some(Json::Array(tuple)) => {
            for (i, (s, v)) in tuple.iter().zip(items).enumerate() {
                path.push(i.to_string());
                let r = sub(root, s, v, path);
                path.pop();
                out.merge(r);
            }
        }
        Some(item_schema) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                let r = sub(root, item_schema, v, path);
                path.pop();
                out.merge(r);
            }
        }
        None => {}
    }
    if let Some(min) = schema.get("minItems").and_then(Json::as_u64) {
        if (items.len() as u64) < min {
            out.fail(Kind::Other, path, format!("Array must have at least {min} items"), String::new());
        }
    }
    if schema.get("uniqueItems") == Some(&Json::Bool(true)) {
        let mut seen: Vec<String> = Vec::new();
        for (j, v) in items.iter().enumerate() {
            let text = canonical(v);
            if let Some(i) = seen.iter().rposition(|s| *s == text) {
                out.fail(Kind::Other, path, format!("array items[{i},{j}] must be unique"), String::new());
            }
            seen.push(text);
        }
    }
    out.score += 1;
}

fn object(root: &Json, schema: &Json, map: &Map, path: &mut Vec<String>, out: &mut Outcome) {
    if let Some(Json::Array(required)) = schema.get("required") {
        for name in required.iter().filter_map(Json::as_str) {
            if map.contains_key(name) {
                out.score += 1;
            } else {
                out.fail(Kind::Other, path, format!("{name} is required"), String::new());
            }
        }
    }
    let props = schema.get("properties").and_then(Json::as_object);
    let patterns = schema.get("patternProperties").and_then(Json::as_object);
    for (key, value) in map.iter() {
        let found = props.is_some_and(|p| p.contains_key(key));
        let mut matched = false;
        if let Some(patterns) = patterns {
            for (pattern, s) in patterns {
                if pattern_matches(pattern, key) {
                    matched = true;
                    path.push(key.clone());
                    let r = sub(root, s, value, path);
                    path.pop();
                    out.merge(r);
                }
            }
            if matched {
                out.score += 1;
            }
        }
        if found || matched {
            continue;
        }
        match schema.get("additionalProperties") {
            Some(Json::Bool(false)) => {
                out.fail(Kind::Other, path, format!("Additional property {key} is not allowed"), String::new())
            }
            Some(s @ Json::Object(_)) => {
                path.push(key.clone());
                let r = sub(root, s, value, path);
                path.pop();
                out.merge(r);
            }
            _ => {}
        }
    }
    out.score += 1;
}

fn pattern_matches(pattern: &str, text: &str) -> bool {
    // The schema's patterns are few and fixed; compile each once.
    thread_local! {
        static CACHE: std::cell::RefCell<Vec<(String, Option<regex_lite::Regex>)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.iter().any(|(p, _)| p == pattern) {
            cache.push((pattern.to_string(), regex_lite::Regex::new(pattern).ok()));
        }
        cache.iter().find(|(p, _)| p == pattern).and_then(|(_, r)| r.as_ref()).is_some_and(|r| r.is_match(text))
    })
}

fn string(schema: &Json, v: &Value, path: &[String], out: &mut Outcome) {
    let Value::Str(s) = v else { return };
    if let Some(pattern) = schema.get("pattern").and_then(Json::as_str) {
        if !pattern_matches(pattern, s) {
            out.fail(Kind::Other, path, format!("Does not match pattern '{pattern}'"), String::new());
        }
    }
    out.score += 1;
}

fn number(schema: &Json, v: &Value, path: &[String], out: &mut Outcome) {
    let n = match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => return,
    };
    if let Some(max) = schema.get("maximum").and_then(Json::as_f64) {
        if n > max {
            out.fail(Kind::Other, path, format!("Must be less than or equal to {}", go_float(max)), String::new());
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Json::as_f64) {
        if n < min {
            out.fail(Kind::Other, path, format!("Must be greater than or equal to {}", go_float(min)), String::new());
        }
    }
    out.score += 1;
}

/// `[string,number]` as Compose says it: `string or number`; `object` is a mapping.
fn human_type(expected: &str) -> String {
    let one = |t: &str| match t {
        "object" => "mapping".to_string(),
        "array" => "list".to_string(),
        t => t.to_string(),
    };
    match expected.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
        Some(list) => {
            let all: Vec<String> = list.split(',').map(one).collect();
            match all.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => all.join(""),
            }
        }
        None => one(expected),
    }
}

/// Compose's choice among gojsonschema's errors (`getMostSpecificError`).
fn most_specific(failures: &[Failure]) -> Option<SchemaError> {
    let specificity = |f: &Failure| f.field.split('.').count();
    let mut best = 0;
    for (i, f) in failures.iter().enumerate().skip(1) {
        let (s, b) = (specificity(f), specificity(&failures[best]));
        if s > b || (s == b && f.kind == Kind::InvalidType && failures[best].kind != Kind::InvalidType) {
            best = i;
        }
    }
    let parent = failures.get(best)?;
    let child = match parent.kind {
        Kind::OneOf | Kind::AnyOf => failures.get(best + 1),
        _ => None,
    };
    let description = match parent.kind {
        Kind::InvalidType => format!("must be a {}", human_type(&parent.expected)),
        Kind::OneOf | Kind::AnyOf => child.map(|c| c.description.clone()).unwrap_or_else(|| parent.description.clone()),
        Kind::Other => parent.description.clone(),
    };
    Some(SchemaError { field: parent.field.clone(), description })
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
