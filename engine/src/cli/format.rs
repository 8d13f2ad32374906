//! `--format`: Go templates over Docker's objects, as the real client renders them.
//!
//! - `table` (or nothing): the command's default columns with headers;
//! - `table TEMPLATE`: the template's columns, with headers derived from the fields it uses;
//! - `json`: one JSON object per line;
//! - anything else: the template, once per object.
//!
//! Templates are Go's text/template (the `gtmpl` crate) with Docker's extra functions (`json`,
//! `join`, `split`, `upper`, `lower`, `title`, `truncate`, `pad`), and `\t`/`\n` escapes. Table
//! output is aligned by the same rules as every Docker table.

use super::table;
use gtmpl::{Context, Template, Value};
use gtmpl_value::FuncError;
use std::collections::HashMap;

/// A `--format` request, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// A table; the template gives its columns (`{{.ID}}\t{{.Names}}`).
    Table(String),
    /// One JSON object per line.
    Json,
    /// A raw template, one rendering per object.
    Raw(String),
}

impl Format {
    /// Parses the `--format` value; `default_table` is the command's own table template.
    pub fn parse(value: Option<&str>, default_table: &str) -> Self {
        let unescape = |s: &str| s.replace("\\t", "\t").replace("\\n", "\n");
        match value.map(str::trim_start) {
            None | Some("") | Some("table") => Format::Table(default_table.to_string()),
            Some("json") => Format::Json,
            Some(v) if v.starts_with("table ") => Format::Table(unescape(&v[6..])),
            Some(v) => Format::Raw(unescape(v)),
        }
    }
}

/// Converts JSON into a template value.
pub fn to_value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Value::from(i),
            (_, Some(u), _) => Value::from(u),
            (_, _, Some(f)) => Value::from(f),
            _ => Value::Nil,
        },
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        serde_json::Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

/// Converts a template value back to JSON (for the `json` function).
fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Nil | Value::NoValue => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Number(n) => n
            .as_i64()
            .map(serde_json::Value::from)
            .or_else(|| n.as_u64().map(serde_json::Value::from))
            .or_else(|| n.as_f64().map(serde_json::Value::from))
            .unwrap_or(serde_json::Value::Null),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Object(map) | Value::Map(map) => {
            let sorted: std::collections::BTreeMap<_, _> =
                map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect();
            serde_json::Value::Object(sorted.into_iter().collect())
        }
        Value::Function(_) => serde_json::Value::Null,
    }
}

fn arg_string(args: &[Value], i: usize) -> Result<String, FuncError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Ok(other.to_string()),
        None => Err(FuncError::AtLeastXArgs("function".into(), i + 1)),
    }
}

fn func_json(args: &[Value]) -> Result<Value, FuncError> {
    let v = args
        .first()
        .ok_or_else(|| FuncError::AtLeastXArgs("json".into(), 1))?;
    Ok(Value::from(
        serde_json::to_string(&to_json(v)).unwrap_or_default(),
    ))
}
fn func_upper(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::from(arg_string(args, 0)?.to_uppercase()))
}
fn func_lower(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::from(arg_string(args, 0)?.to_lowercase()))
}
fn func_title(args: &[Value]) -> Result<Value, FuncError> {
    let s = arg_string(args, 0)?;
    let mut out = String::new();
    let mut start = true;
    for c in s.chars() {
        out.extend(if start {
            c.to_uppercase().collect::<Vec<_>>()
        } else {
            vec![c]
        });
        start = !c.is_alphanumeric();
    }
    Ok(Value::from(out))
}
fn func_join(args: &[Value]) -> Result<Value, FuncError> {
    let sep = arg_string(args, 1)?;
    match args.first() {
        Some(Value::Array(items)) => Ok(Value::from(
            items
                .iter()
                .map(|i| {
                    if let Value::String(s) = i {
                        s.clone()
                    } else {
                        i.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(&sep),
        )),
        _ => Err(FuncError::Generic(
            "join: first argument must be a list".into(),
        )),
    }
}
fn func_split(args: &[Value]) -> Result<Value, FuncError> {
    let (s, sep) = (arg_string(args, 0)?, arg_string(args, 1)?);
    Ok(Value::Array(
        s.split(sep.as_str()).map(Value::from).collect(),
    ))
}
fn func_truncate(args: &[Value]) -> Result<Value, FuncError> {
    let s = arg_string(args, 0)?;
    let n: usize = arg_string(args, 1)?
        .parse()
        .map_err(|_| FuncError::Generic("truncate: bad length".into()))?;
    Ok(Value::from(s.chars().take(n).collect::<String>()))
}
fn func_pad(args: &[Value]) -> Result<Value, FuncError> {
    let s = arg_string(args, 0)?;
    let n = |i| {
        arg_string(args, i)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
    };
    Ok(Value::from(format!(
        "{}{s}{}",
        " ".repeat(n(1)),
        " ".repeat(n(2))
    )))
}

fn template(text: &str) -> Result<Template, String> {
    let mut t = Template::default();
    t.add_funcs(&[
        ("json", func_json as gtmpl_value::Func),
        ("upper", func_upper),
        ("lower", func_lower),
        ("title", func_title),
        ("join", func_join),
        ("split", func_split),
        ("truncate", func_truncate),
        ("pad", func_pad),
    ]);
    t.parse(text)
        .map_err(|e| format!("template parsing error: {e}"))?;
    Ok(t)
}

/// Renders one object with a template.
pub fn render_one(text: &str, object: &serde_json::Value) -> Result<String, String> {
    let t = template(text)?;
    t.render(&Context::from(to_value(object)))
        .map_err(|e| format!("template: {e}"))
}

/// Renders a list of objects. `headers` maps field names to column titles (`ID` -> `CONTAINER
/// ID`) for tables. Errors are Docker's template messages.
pub fn render(
    format: &Format,
    objects: &[serde_json::Value],
    headers: &[(&str, &str)],
) -> Result<String, String> {
    match format {
        Format::Json => Ok(objects
            .iter()
            .map(|o| format!("{}\n", serde_json::to_string(o).unwrap_or_default()))
            .collect()),
        Format::Raw(text) => {
            let t = template(text)?;
            let mut out = String::new();
            for o in objects {
                out.push_str(
                    &t.render(&Context::from(to_value(o)))
                        .map_err(|e| format!("template: {e}"))?,
                );
                out.push('\n');
            }
            Ok(out)
        }
        Format::Table(text) => {
            let t = template(text)?;
            let header_object: serde_json::Map<String, serde_json::Value> = headers
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                .collect();
            let header = t
                .render(&Context::from(to_value(&serde_json::Value::Object(
                    header_object,
                ))))
                .unwrap_or_default();
            let mut rows = vec![header.split('\t').map(String::from).collect::<Vec<_>>()];
            for o in objects {
                let line = t
                    .render(&Context::from(to_value(o)))
                    .map_err(|e| format!("template: {e}"))?;
                rows.push(line.split('\t').map(String::from).collect());
            }
            Ok(table::render(&rows))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_render_fields_functions_and_tables() {
        let c = json!({"ID": "abc", "Names": "web", "Labels": {"a": "1"}, "Ports": ""});
        assert_eq!(
            render_one("{{.Names}} {{upper .Names}} {{json .Labels}}", &c).unwrap(),
            "web WEB {\"a\":\"1\"}"
        );
        let f = Format::parse(Some("table {{.ID}}\\t{{.Names}}"), "");
        let out = render(
            &f,
            std::slice::from_ref(&c),
            &[("ID", "CONTAINER ID"), ("Names", "NAMES")],
        )
        .unwrap();
        assert_eq!(out, "CONTAINER ID   NAMES\nabc            web\n");
        assert_eq!(
            render(
                &Format::parse(Some("{{.ID}}"), ""),
                std::slice::from_ref(&c),
                &[]
            )
            .unwrap(),
            "abc\n"
        );
        assert_eq!(
            render(&Format::Json, &[json!({"A": 1})], &[]).unwrap(),
            "{\"A\":1}\n"
        );
    }

    #[test]
    fn a_bad_template_is_an_error_not_a_panic() {
        assert!(render_one("{{.Names", &json!({})).is_err());
        assert!(render_one("{{nosuchfunc .X}}", &json!({})).is_err());
    }
}
