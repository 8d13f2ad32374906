//! `docker compose config --format json`: the project's model as Go's `encoding/json` writes
//! it with `MarshalIndent` (two spaces, keys sorted, HTML characters escaped).

use super::emit::Node;

/// The node as Go's `json.MarshalIndent(v, "", "  ")` writes it (`docker compose config
/// --format json`, whose model is a map): keys sorted bytewise, `<`, `>` and `&` escaped as Go
/// escapes them, no newline at the end.
pub fn to_json(node: &Node) -> String {
    let mut out = String::new();
    json_into(node, 0, &mut out);
    out
}

fn json_string(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn json_into(node: &Node, depth: usize, out: &mut String) {
    let pad = |d: usize| "  ".repeat(d);
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Int(i) => out.push_str(&i.to_string()),
        Node::Float(f) => out.push_str(&super::value::go_float(*f)),
        Node::Str(s) => out.push_str(&json_string(s)),
        Node::Seq(items) if items.is_empty() => out.push_str("[]"),
        Node::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Node::Seq(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                json_into(item, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        Node::Map(entries) => {
            let mut entries: Vec<&(String, Node)> = entries.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push_str("{\n");
            for (i, (k, v)) in entries.iter().enumerate() {
                out.push_str(&format!("{}{}: ", pad(depth + 1), json_string(k)));
                json_into(v, depth + 1, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_print_as_go_marshal_indent() {
        let node = Node::Map(vec![
            (
                "services".into(),
                Node::Map(vec![("web".into(), Node::Seq(vec![Node::Str("a<b".into()), Node::Int(2)]))]),
            ),
            ("name".into(), Node::Str("app".into())),
            ("empty".into(), Node::Seq(vec![])),
        ]);
        assert_eq!(
            to_json(&node),
            "{\n  \"empty\": [],\n  \"name\": \"app\",\n  \"services\": {\n    \"web\": [\n      \"a\\u003cb\",\n      2\n    ]\n  }\n}"
        );
    }
}
