//! Stage 1, parse: YAML text to raw [`Value`]s, one per document. Compose (go-yaml v3) resolves
//! plain scalars with the YAML 1.2 core schema (`yes` stays a string, `0755` is still octal),
//! expands anchors and `<<` merge keys, refuses a key written twice, and words its syntax errors
//! as libyaml does (`yaml: line 3: mapping values are not allowed in this context`). The events
//! come from `saphyr-parser`; this module builds the tree and translates its errors into the
//! texts and line numbers go-yaml prints.

use super::value::{Map, Value};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use std::collections::HashMap;

/// Aliases may expand to at most this many nodes (go-yaml refuses "excessive aliasing" too).
const MAX_EXPANDED_NODES: usize = 200_000;

/// A document that is not YAML, as Compose reports it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    /// `yaml: line 3: mapping values are not allowed in this context`
    #[error("yaml: {}{problem}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Syntax { line: Option<usize>, problem: String },
    #[error("line {line}: mapping key \"{key}\" already defined at line {first}")]
    DuplicateKey { key: String, line: usize, first: usize },
    #[error("yaml: unknown anchor '{0}' referenced")]
    UnknownAnchor(String),
    #[error("yaml: document contains excessive aliasing")]
    ExcessiveAliasing,
    #[error("yaml: map merge requires map or sequence of maps as the value")]
    BadMerge,
    /// Compose wants string keys: `non-string key in services: 1`.
    #[error("non-string key {}: {key}", if path.is_empty() { "at top level".to_string() } else { format!("in {path}") })]
    NonStringKey { path: String, key: String },
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        line: usize,
    },
    Map {
        map: Map,
        anchor: usize,
        line: usize,
        /// The key waiting for its value, its line, and whether it is `<<`.
        key: Option<(Value, usize, bool)>,
        key_lines: HashMap<String, usize>,
        merges: Vec<Value>,
    },
}

/// Parses every document of `text`. An empty file has no document.
pub fn parse(text: &str) -> Result<Vec<Value>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut expanded = 0usize;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| syntax_error(text, &e, &stack))?;
        let line = span.start.line();
        let (value, anchor) = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                anchors.clear();
                continue;
            }
            Event::DocumentEnd => continue,
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq { items: Vec::new(), anchor, line });
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map {
                    map: Map::new(),
                    anchor,
                    line,
                    key: None,
                    key_lines: HashMap::new(),
                    merges: Vec::new(),
                });
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq { items, anchor, .. }) => (Value::Seq(items), anchor),
                _ => continue,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map { mut map, anchor, merges, .. }) => {
                    apply_merges(&mut map, merges)?;
                    (Value::Map(map), anchor)
                }
                _ => continue,
            },
            Event::Scalar(text, style, anchor, tag) => (resolve(&text, style, tag.as_deref()), anchor),
            Event::Alias(id) => {
                let Some(v) = anchors.get(&id) else {
                    return Err(YamlError::UnknownAnchor(alias_name(text, span.start.index())));
                };
                expanded += count_nodes(v);
                if expanded > MAX_EXPANDED_NODES {
                    return Err(YamlError::ExcessiveAliasing);
                }
                (v.clone(), 0)
            }
        };
        if anchor > 0 {
            anchors.insert(anchor, value.clone());
        }
        // The value completes a key, a key's value, an item, or a document.
        let path = stack_path(&stack);
        match stack.last_mut() {
            None => docs.push(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, key_lines, merges, .. }) => match key.take() {
                None => {
                    let merge = is_plain_merge(&value) && !merge_quoted(text, span.start.index());
                    *key = Some((value, line, merge));
                }
                Some((_, _, true)) => merges.push(value),
                Some((k, key_line, false)) => {
                    let name = key_text(&k, &path)?;
                    if let Some(first) = key_lines.get(&name) {
                        return Err(YamlError::DuplicateKey { key: name, line: key_line, first: *first });
                    }
                    key_lines.insert(name.clone(), key_line);
                    map.insert(name, value);
                }
            },
        }
    }
    Ok(docs)
}

fn is_plain_merge(v: &Value) -> bool {
    v.as_str() == Some("<<")
}

/// `"<<"` quoted is an ordinary key; only the plain `<<` merges.
fn merge_quoted(text: &str, index: usize) -> bool {
    text.chars().nth(index).is_some_and(|c| c == '"' || c == '\'')
}

fn count_nodes(v: &Value) -> usize {
    match v {
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(m) => 1 + m.iter().map(|(_, v)| count_nodes(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Merged mappings fill in the keys the mapping does not set itself; the first merged wins.
fn apply_merges(map: &mut Map, merges: Vec<Value>) -> Result<(), YamlError> {
    let mut sources = Vec::new();
    for m in merges {
        match m {
            Value::Map(m) => sources.push(m),
            Value::Seq(items) => {
                for item in items {
                    match item {
                        Value::Map(m) => sources.push(m),
                        _ => return Err(YamlError::BadMerge),
                    }
                }
            }
            _ => return Err(YamlError::BadMerge),
        }
    }
    for source in sources {
        for (k, v) in source {
            if !map.contains_key(&k) {
                map.insert(k, v);
            }
        }
    }
    Ok(())
}

/// The dotted path of the mapping being filled, for `non-string key in services.web: 1`.
fn stack_path(stack: &[Frame]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for f in stack.iter().take(stack.len().saturating_sub(1)) {
        match f {
            Frame::Map { key: Some((k, _, _)), .. } => parts.push(k.scalar_text().unwrap_or_default()),
            Frame::Seq { items, .. } => {
                if let Some(last) = parts.last_mut() {
                    last.push_str(&format!("[{}]", items.len()));
                }
            }
            Frame::Map { .. } => {}
        }
    }
    parts.join(".")
}

/// A mapping key as Compose accepts it: a string.
fn key_text(k: &Value, path: &str) -> Result<String, YamlError> {
    match k {
        Value::Str(s) => Ok(s.clone()),
        Value::Null => Err(YamlError::NonStringKey { path: path.into(), key: "<nil>".into() }),
        Value::Seq(_) | Value::Map(_) => {
            Err(YamlError::NonStringKey { path: path.into(), key: k.scalar_text().unwrap_or_else(|| k.to_string()) })
        }
        other => Err(YamlError::NonStringKey { path: path.into(), key: other.to_string() }),
    }
}

/// Resolves a scalar as go-yaml v3 does when decoding into `interface{}`.
pub fn resolve(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" {
            match tag.suffix.as_str() {
                "str" => return Value::Str(text.to_string()),
                "null" => return Value::Null,
                "bool" | "int" | "float" => return resolve_plain(text),
                _ => {}
            }
        }
    }
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_string());
    }
    resolve_plain(text)
}

/// How go-yaml resolves a plain (unquoted) scalar.
pub(crate) fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Value::Str(text.to_string());
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(i) = go_parse_int(&plain) {
        return Value::Int(i);
    }
    if is_yaml_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_string())
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or a leading `0` (octal).
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    let v = if neg { -magnitude } else { magnitude };
    i64::try_from(v).ok()
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// The anchor name after the `*` at `index` (a character index).
fn alias_name(text: &str, index: usize) -> String {
    text.chars()
        .skip(index)
        .skip_while(|&c| c == '*')
        .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
        .collect()
}

/// How go-yaml words and places an error. libyaml errors come with a "problem" and a "context";
/// go-yaml prints the problem after a line taken from the context's mark when it has one
/// (0-based for parser errors, 1-based for scanner errors), else from the problem's mark.
fn syntax_error(text: &str, e: &ScanError, stack: &[Frame]) -> YamlError {
    let info = e.info();
    if info.ends_with("found unknown anchor") {
        return YamlError::UnknownAnchor(alias_name(text, e.marker().index()));
    }
    let problem_line0 = e.marker().line().saturating_sub(1);
    let open_collection_line0 = stack
        .last()
        .map(|f| match f {
            Frame::Seq { line, .. } | Frame::Map { line, .. } => line.saturating_sub(1),
        })
        .unwrap_or(0);
    enum Kind {
        Parser,
        Scanner,
        /// A scanner error with a context: the 0-based lines of the context and of the problem.
        ScannerAt(usize, usize),
    }
    let eof_line0 = text.matches('\n').count();
    let (problem, kind): (String, Kind) = if let Some(rest) = info.strip_prefix("while parsing ") {
        let problem = rest.split_once(", ").map(|(_, p)| p).unwrap_or(rest);
        let problem = match problem {
            "expected ',' or ']'" => "did not find expected ',' or ']'",
            p => p,
        };
        (problem.to_string(), Kind::Parser)
    } else if info == "simple key expect ':'" {
        let key_line0 = last_content_line0(text, problem_line0);
        ("could not find expected ':'".into(), Kind::ScannerAt(key_line0, problem_line0))
    } else if info.contains("quoted scalar") && info.contains("end of stream") {
        ("found unexpected end of stream".into(), Kind::ScannerAt(problem_line0, eof_line0))
    } else if info.starts_with("':' must be followed") {
        ("mapping values are not allowed in this context".into(), Kind::Scanner)
    } else if info.starts_with("tabs disallowed") || info.starts_with("unexpected character") {
        ("found character that cannot start any token".into(), Kind::Scanner)
    } else if info == "invalid trailing content after double-quoted scalar" {
        ("did not find expected key".into(), Kind::Parser)
    } else if let Some(rest) = info.strip_prefix("while scanning ") {
        let problem = rest.split_once(", ").map(|(_, p)| p).unwrap_or(rest);
        (problem.to_string(), Kind::ScannerAt(problem_line0, problem_line0))
    } else {
        (info.to_string(), Kind::Scanner)
    };
    let line = match kind {
        Kind::Parser if open_collection_line0 != 0 => Some(open_collection_line0),
        Kind::Parser if problem_line0 != 0 => Some(problem_line0),
        Kind::Parser => None,
        Kind::Scanner if problem_line0 != 0 => Some(problem_line0 + 1),
        Kind::Scanner => None,
        Kind::ScannerAt(ctx, _) if ctx != 0 => Some(ctx + 1),
        Kind::ScannerAt(_, problem) if problem != 0 => Some(problem + 1),
        Kind::ScannerAt(..) => None,
    };
    YamlError::Syntax { line, problem }
}

/// The last line at or before `line0` that holds something other than blanks or a comment.
fn last_content_line0(text: &str, line0: usize) -> usize {
    text.lines()
        .enumerate()
        .take(line0 + 1)
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, _)| i)
        .last()
        .unwrap_or(0)
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
