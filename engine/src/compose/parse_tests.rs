//! The parse stage against what Docker Compose v2.36.2 prints for the same files.

use super::*;

fn one(text: &str) -> Value {
    let mut docs = parse(text).unwrap();
    assert_eq!(docs.len(), 1, "{text}");
    docs.remove(0)
}

fn err(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn scalars_resolve_like_go_yaml_v3() {
    let v = one(
        "a: 1\nb: \"1\"\nc: yes\nd: true\ne: ~\nf: 1.5\ng: 0755\nh: 0x1F\ni: 8080:80\nj: 1_000\nk: .5\nl: 08\nm:\n",
    );
    let m = v.as_map().unwrap();
    assert_eq!(m.get("a"), Some(&Value::Int(1)));
    assert_eq!(m.get("b"), Some(&Value::Str("1".into())));
    assert_eq!(m.get("c"), Some(&Value::Str("yes".into())));
    assert_eq!(m.get("d"), Some(&Value::Bool(true)));
    assert_eq!(m.get("e"), Some(&Value::Null));
    assert_eq!(m.get("f"), Some(&Value::Float(1.5)));
    assert_eq!(m.get("g"), Some(&Value::Int(0o755)));
    assert_eq!(m.get("h"), Some(&Value::Int(31)));
    assert_eq!(m.get("i"), Some(&Value::Str("8080:80".into())));
    assert_eq!(m.get("j"), Some(&Value::Int(1000)));
    assert_eq!(m.get("k"), Some(&Value::Float(0.5)));
    assert_eq!(m.get("l"), Some(&Value::Float(8.0)));
    assert_eq!(m.get("m"), Some(&Value::Null));
    let v = one("a: !!str 12\nb: !!int \"3\"\n");
    assert_eq!(v.get("a"), Some(&Value::Str("12".into())));
    assert_eq!(v.get("b"), Some(&Value::Int(3)));
}

#[test]
fn anchors_and_merge_keys_expand() {
    let v = one("x: &base {image: nginx, restart: always}\ny:\n  <<: *base\n  restart: \"no\"\nz: *base\n");
    let y = v.get("y").unwrap().as_map().unwrap();
    assert_eq!(y.get("image"), Some(&Value::Str("nginx".into())));
    assert_eq!(y.get("restart"), Some(&Value::Str("no".into())));
    assert_eq!(v.get("z"), v.get("x"));
    let v = one("a: &a {k: 1}\nb: &b {k: 2, l: 3}\nc:\n  <<: [*a, *b]\n");
    assert_eq!(v.get("c").unwrap().get("k"), Some(&Value::Int(1)));
    assert_eq!(v.get("c").unwrap().get("l"), Some(&Value::Int(3)));
    assert_eq!(err("a: *x\n"), "yaml: unknown anchor 'x' referenced");
    assert_eq!(err("a: &a [1]\nb:\n  <<: *a\n"), "yaml: map merge requires map or sequence of maps as the value");
}

#[test]
fn aliases_cannot_explode() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        let p = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    assert_eq!(err(&text), "yaml: document contains excessive aliasing");
}

#[test]
fn keys_are_strings_written_once() {
    assert_eq!(
        err("services:\n  web:\n    image: nginx\n    image: x\n"),
        "line 4: mapping key \"image\" already defined at line 3"
    );
    assert_eq!(err("services:\n  1: {}\n"), "non-string key in services: 1");
    assert_eq!(err("1: a\n"), "non-string key at top level: 1");
}

#[test]
fn documents_and_empty_files() {
    assert!(parse("").unwrap().is_empty());
    assert!(parse("# nothing\n").unwrap().is_empty());
    assert_eq!(parse("a: 1\n---\nb: 2\n").unwrap().len(), 2);
}

/// Each case is a file and the error Compose v2.36.2 prints for it.
#[test]
fn syntax_errors_are_worded_and_placed_like_go_yaml() {
    let cases = [
        (
            "services:\n  web:\n    image: nginx: latest\n",
            "yaml: line 3: mapping values are not allowed in this context",
        ),
        (
            "services:\n  web:\n    image: nginx:\tlatest\n",
            "yaml: line 3: mapping values are not allowed in this context",
        ),
        ("services:\n\tweb:\n    image: nginx\n", "yaml: line 2: found character that cannot start any token"),
        ("services:\n  web:\n    image: nginx\n   ports: x: y\n", "yaml: line 1: did not find expected key"),
        ("a: \"abc\n", "yaml: line 2: found unexpected end of stream"),
        ("a: [1, 2\n", "yaml: line 1: did not find expected ',' or ']'"),
        ("a: b\nc\n", "yaml: line 2: could not find expected ':'"),
        ("a:\n  - b\n  c: d\n", "yaml: line 1: did not find expected '-' indicator"),
        ("key: value\n  other: x\n", "yaml: line 2: mapping values are not allowed in this context"),
        ("a: {b: 1\n", "yaml: line 1: did not find expected ',' or '}'"),
        ("a: b: c\n", "yaml: mapping values are not allowed in this context"),
        ("a: @b\n", "yaml: found character that cannot start any token"),
        ("services:\n  web:\n    image: \"nginx\"x\n", "yaml: line 2: did not find expected key"),
        ("x: 1\nservices:\n  web:\n    image: \"ab\n", "yaml: line 4: found unexpected end of stream"),
        ("x: 1\nservices:\n  web:\n    image: [a\n", "yaml: line 3: did not find expected ',' or ']'"),
        ("x: 1\n\nservices:\n  web:\n    image: a\n  b\n", "yaml: line 6: could not find expected ':'"),
    ];
    for (text, expected) in cases {
        assert_eq!(err(text), expected, "{text:?}");
    }
}
