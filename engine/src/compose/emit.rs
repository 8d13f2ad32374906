//! Writing YAML the way Compose writes it (go-yaml v3, two-space indent): block mappings and
//! sequences (a list under a key is indented), `{}` and `[]` when empty, and each string in the
//! style libyaml picks for it: plain when it reads back as the same string, single-quoted when a
//! plain scalar would be misread (`'#x'`, `'- x'`, trailing spaces), double-quoted when it would
//! resolve to another type (`"1"`, `"on"`, `"12:30"`) or holds control characters, and a literal
//! block (`|-`) for text with line breaks.

use super::parse::resolve_plain;
use super::value::{go_float, Value};

/// A YAML node to write; mappings keep the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl From<&Value> for Node {
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Int(i) => Node::Int(*i),
            Value::Float(f) => Node::Float(*f),
            Value::Str(s) => Node::Str(s.clone()),
            Value::Seq(items) => Node::Seq(items.iter().map(Node::from).collect()),
            // go-yaml writes Go maps with their keys sorted.
            Value::Map(m) => {
                let mut entries: Vec<(String, Node)> = m.iter().map(|(k, v)| (k.clone(), Node::from(v))).collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Node::Map(entries)
            }
        }
    }
}

/// The document's text, ending with a newline.
pub fn emit(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        Node::Seq(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&inline(other, 0, false).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// A node that fits on its line (scalars and empty collections); `None` for block collections.
fn inline(node: &Node, indent: usize, key: bool) -> Option<String> {
    Some(match node {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => float(*f),
        Node::Str(s) => scalar(s, indent, key),
        Node::Seq(items) if items.is_empty() => "[]".into(),
        Node::Map(entries) if entries.is_empty() => "{}".into(),
        _ => return None,
    })
}

fn float(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.into()
    } else {
        go_float(f)
    }
}

fn write_map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    for (k, v) in entries {
        out.push_str(&" ".repeat(indent));
        out.push_str(&scalar(k, indent, true));
        out.push(':');
        write_value(out, v, indent);
    }
}

/// What follows `key:` (or `- ` for a sequence item).
fn write_value(out: &mut String, v: &Node, indent: usize) {
    match inline(v, indent, false) {
        Some(text) => {
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
        }
        None => {
            out.push('\n');
            match v {
                Node::Map(entries) => write_map(out, entries, indent + 2),
                Node::Seq(items) => write_seq(out, items, indent + 2),
                _ => {}
            }
        }
    }
}

fn write_seq(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                // The first key goes on the dash's line, the others under it.
                let mut first = String::new();
                write_map(&mut first, entries, indent + 2);
                out.push(' ');
                out.push_str(&first[indent + 2..]);
            }
            Node::Seq(inner) if !inner.is_empty() => {
                let mut first = String::new();
                write_seq(&mut first, inner, indent + 2);
                out.push(' ');
                out.push_str(&first[indent + 2..]);
            }
            other => write_value(out, other, indent),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// What libyaml's scalar analysis allows for a string.
struct Analysis {
    block_plain: bool,
    single: bool,
    block: bool,
}

fn printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

fn analyze(s: &str) -> Analysis {
    let chars: Vec<char> = s.chars().collect();
    let (mut block_ind, mut line_breaks, mut special) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break, mut prev_space, mut prev_break) = (false, false, false, false);
    if s.starts_with("---") || s.starts_with("...") {
        block_ind = true;
    }
    let mut preceded_by_ws = true;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let followed_by_ws = next.is_none_or(|n| n == ' ' || n == '\t' || n == '\n' || n == '\r');
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(c)
                || (c == '-' && followed_by_ws)
                || ((c == '?' || c == ':') && followed_by_ws)
            {
                block_ind = true;
            }
        } else if (c == ':' && followed_by_ws) || (c == '#' && preceded_by_ws) {
            block_ind = true;
        }
        if !printable(c) {
            special = true;
        }
        if c == '\n' {
            line_breaks = true;
        }
        let last = i + 1 == chars.len();
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= prev_break;
            prev_space = true;
            prev_break = false;
        } else if c == '\n' {
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= prev_space;
            prev_break = true;
            prev_space = false;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = c == ' ' || c == '\t' || c == '\n';
    }
    let mut a = Analysis { block_plain: true, single: true, block: true };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single = false;
    }
    if space_break || special {
        a.block_plain = false;
        a.single = false;
        a.block = false;
    }
    if line_breaks || block_ind {
        a.block_plain = false;
    }
    a
}

/// go-yaml's `isOldBool`: YAML 1.1 booleans are quoted so that old readers keep them strings.
fn old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y" | "yes" | "Yes" | "YES" | "n" | "N" | "no" | "No" | "NO" | "on" | "On" | "ON" | "off" | "Off" | "OFF"
    )
}

/// go-yaml's `isBase60Float`: `[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?`.
fn base60(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| !f.chars().all(|c| c.is_ascii_digit() || c == '_')) {
        return false;
    }
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    if !head.starts_with(|c: char| c.is_ascii_digit()) || !head.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && rest.iter().all(|p| {
            let b = p.as_bytes();
            match b.len() {
                1 => b[0].is_ascii_digit(),
                2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
                _ => false,
            }
        })
}

/// `2001-12-14`-like text, which go-yaml reads back as a timestamp.
fn timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fn scalar(s: &str, indent: usize, key: bool) -> String {
    let reads_back = !s.is_empty() && matches!(resolve_plain(s), Value::Str(_)) && s != "<<" && !timestamp(s);
    let requested = if s.contains('\n') {
        Style::Literal
    } else if reads_back && !old_bool(s) && !base60(s) {
        Style::Plain
    } else {
        Style::Double
    };
    let a = analyze(s);
    let mut style = requested;
    if style == Style::Plain && !a.block_plain {
        style = Style::Single;
    }
    if style == Style::Single && !a.single {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block || key) {
        style = Style::Double;
    }
    match style {
        Style::Plain => s.to_string(),
        Style::Single => format!("'{}'", s.replace('\'', "''")),
        Style::Double => double_quoted(s),
        Style::Literal => literal(s, indent + 2),
    }
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if !printable(c) => match c as u32 {
                n @ 0..=0xff => out.push_str(&format!("\\x{n:02X}")),
                n @ 0x100..=0xffff => out.push_str(&format!("\\u{n:04X}")),
                n => out.push_str(&format!("\\U{n:08X}")),
            },
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn literal(s: &str, indent: usize) -> String {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let hint = if s.starts_with(' ') || s.starts_with('\n') { "2" } else { "" };
    let mut out = format!("|{hint}{chomp}");
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        scalar(text, 6, false)
    }

    /// Each string and how Compose v2.36.2 wrote it as a value under a six-space key.
    #[test]
    fn strings_are_quoted_as_go_yaml_quotes_them() {
        let cases = [
            ("on", "\"on\""),
            ("a,b", "a,b"),
            ("-x", "-x"),
            ("- x", "'- x'"),
            ("1.5", "\"1.5\""),
            ("#x", "'#x'"),
            ("null", "\"null\""),
            ("it's: x", "'it''s: x'"),
            ("12:30", "\"12:30\""),
            ("a\tb", "\"a\\tb\""),
            ("é", "é"),
            ("{a}", "'{a}'"),
            ("", "\"\""),
            ("1", "\"1\""),
            ("y", "\"y\""),
            ("1000:1000", "1000:1000"),
            ("8080:80", "8080:80"),
            ("nginx:latest$$x $${Y} ", "'nginx:latest$$x $${Y} '"),
            ("double 1 \n x", "\"double 1 \\n x\""),
            ("line1\nline2", "|-\n        line1\n        line2"),
            ("line1\nline2\n", "|\n        line1\n        line2"),
        ];
        for (text, expected) in cases {
            assert_eq!(s(text), expected, "{text:?}");
        }
        assert_eq!(scalar("N", 0, true), "\"N\"");
    }

    #[test]
    fn block_layout_indents_lists_under_keys() {
        let doc = Node::Map(vec![
            ("name".into(), Node::Str("app".into())),
            (
                "services".into(),
                Node::Map(vec![(
                    "web".into(),
                    Node::Map(vec![
                        ("command".into(), Node::Seq(vec![Node::Str("sh".into()), Node::Str("-c".into())])),
                        (
                            "ports".into(),
                            Node::Seq(vec![Node::Map(vec![
                                ("mode".into(), Node::Str("ingress".into())),
                                ("target".into(), Node::Int(80)),
                            ])]),
                        ),
                        ("volume".into(), Node::Map(vec![])),
                        ("networks".into(), Node::Map(vec![("default".into(), Node::Null)])),
                    ]),
                )]),
            ),
        ]);
        assert_eq!(
            emit(&doc),
            "name: app\nservices:\n  web:\n    command:\n      - sh\n      - -c\n    ports:\n      - mode: ingress\n        target: 80\n    volume: {}\n    networks:\n      default: null\n"
        );
    }
}
