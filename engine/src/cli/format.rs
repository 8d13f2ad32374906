//! `--format`: Go templates over Docker's objects, as the real client renders them.
//!
//! - `table` (or nothing): the command's default columns with headers;
//! - `table TEMPLATE`: the template's columns, with headers derived from the fields it uses;
//! - `json`: one JSON object per line;
//! - anything else: the template, once per object.
//!
//! Templates are Go's text/template (the `gotmpl` crate) with Docker's extra functions (`json`,
//! `join`, `split`, `upper`, `lower`, `title`, `truncate`, `pad`), and `\t`/`\n` escapes. Table
//! output is aligned by the same rules as every Docker table.

use super::table;
use gotmpl::{Template, Value};
use std::sync::Arc;

/// The `--format` flag of list commands (`ps`, `images`, `history`), with Docker's help text.
pub const FORMAT_FLAG: super::Flag = super::Flag::value(
    "format",
    None,
    "string",
    concat!(
        "Format output using a custom template:\n",
        "'table':            Print output in table format with column headers (default)\n",
        "'table TEMPLATE':   Print output in table format using the given Go template\n",
        "'json':             Print in JSON format\n",
        "'TEMPLATE':         Print output using the given Go template.\n",
        "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates",
    ),
);

/// The `--format` of `inspect` commands, with Docker's help text.
pub const INSPECT_FORMAT: super::Flag = super::Flag::value(
    "format",
    Some('f'),
    "string",
    concat!(
        "Format output using a custom template:\n",
        "'json':             Print in JSON format\n",
        "'TEMPLATE':         Print output using the given Go template.\n",
        "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates",
    ),
);

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
        match value.map(str::trim_start) {
            None | Some("") | Some("table") => Format::Table(default_table.to_string()),
            Some("json") => Format::Json,
            Some(v) if v.starts_with("table ") => Format::Table(unescape(&v[6..])),
            Some(v) => Format::Raw(unescape(v)),
        }
    }
}

/// Docker turns the two-character sequences `\t` and `\n` of a format into a tab and a newline.
pub fn unescape(s: &str) -> String {
    s.replace("\\t", "\t").replace("\\n", "\n")
}

/// Converts a template value back to JSON (for the `json` function).
fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Nil | Value::Function(_) => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Uint(u) => serde_json::Value::from(*u),
        Value::Float(f) => serde_json::Value::from(*f),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => serde_json::Value::Object(map.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect()),
    }
}

/// The text of an argument (strings as they are, other values as Go prints them).
fn text(args: &[Value], i: usize) -> String {
    match args.get(i) {
        Some(Value::String(s)) => s.to_string(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

fn string(s: String) -> Value {
    Value::String(s.into())
}

fn title(s: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// A template with Docker's extra functions.
fn template(src: &str) -> Result<Template, String> {
    Template::new("")
        .func("json", |a| {
            Ok(string(serde_json::to_string(&a.first().map(to_json).unwrap_or_default()).unwrap_or_default()))
        })
        .func("upper", |a| Ok(string(text(a, 0).to_uppercase())))
        .func("lower", |a| Ok(string(text(a, 0).to_lowercase())))
        .func("title", |a| Ok(string(title(&text(a, 0)))))
        .func("join", |a| {
            let items: Vec<String> = match a.first() {
                Some(Value::List(items)) => items.iter().map(|i| text(std::slice::from_ref(i), 0)).collect(),
                _ => Vec::new(),
            };
            Ok(string(items.join(&text(a, 1))))
        })
        .func("split", |a| {
            let parts: Vec<Value> = text(a, 0).split(text(a, 1).as_str()).map(|p| string(p.to_string())).collect();
            Ok(Value::List(Arc::from(parts)))
        })
        .func("truncate", |a| {
            let n = text(a, 1).parse::<usize>().unwrap_or(usize::MAX);
            Ok(string(text(a, 0).chars().take(n).collect()))
        })
        .func("pad", |a| {
            let n = |i| text(a, i).parse::<usize>().unwrap_or(0);
            Ok(string(format!("{}{}{}", " ".repeat(n(1)), text(a, 0), " ".repeat(n(2)))))
        })
        .parse(src)
        .map_err(|e| format!("template parsing error: {e}"))
}

fn execute(t: &Template, object: &serde_json::Value) -> Result<String, String> {
    let data = gotmpl::to_value(object).map_err(|e| format!("template: {e}"))?;
    t.execute_to_string(&data).map_err(|e| format!("template: {e}"))
}

/// Renders one object with a template.
pub fn render_one(text: &str, object: &serde_json::Value) -> Result<String, String> {
    execute(&template(text)?, object)
}

/// Renders a list of objects. `headers` maps field names to column titles (`ID` -> `CONTAINER
/// ID`) for tables. Errors are Docker's template messages.
pub fn render(format: &Format, objects: &[serde_json::Value], headers: &[(&str, &str)]) -> Result<String, String> {
    match format {
        Format::Json => {
            Ok(objects.iter().map(|o| format!("{}\n", serde_json::to_string(o).unwrap_or_default())).collect())
        }
        Format::Raw(text) => {
            let t = template(text)?;
            let mut out = String::new();
            for o in objects {
                out.push_str(&execute(&t, o)?);
                out.push('\n');
            }
            Ok(out)
        }
        Format::Table(text) => {
            let t = template(text)?;
            let titles: serde_json::Map<String, serde_json::Value> =
                headers.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v))).collect();
            let header = execute(&t, &serde_json::Value::Object(titles)).unwrap_or_default();
            let mut rows = vec![header.split('\t').map(String::from).collect::<Vec<_>>()];
            for o in objects {
                rows.push(execute(&t, o)?.split('\t').map(String::from).collect());
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
        assert_eq!(render_one("{{.Names}} {{upper .Names}} {{json .Labels}}", &c).unwrap(), "web WEB {\"a\":\"1\"}");
        let f = Format::parse(Some("table {{.ID}}\\t{{.Names}}"), "");
        let out = render(&f, std::slice::from_ref(&c), &[("ID", "CONTAINER ID"), ("Names", "NAMES")]).unwrap();
        assert_eq!(out, "CONTAINER ID   NAMES\nabc            web\n");
        assert_eq!(render(&Format::parse(Some("{{.ID}}"), ""), std::slice::from_ref(&c), &[]).unwrap(), "abc\n");
        assert_eq!(render(&Format::Json, &[json!({"A": 1})], &[]).unwrap(), "{\"A\":1}\n");
    }

    #[test]
    fn a_bad_template_is_an_error_not_a_panic() {
        assert!(render_one("{{.Names", &json!({})).is_err());
        assert!(render_one("{{nosuchfunc .X}}", &json!({})).is_err());
    }
}
