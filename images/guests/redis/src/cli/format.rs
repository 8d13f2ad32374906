//! How `redis-cli` prints replies. On a terminal: `OK`, `(integer) 1`, `"quoted strings"` with
//! escapes, `(nil)`, `(error) ERR ...`, numbered lists (`1) "a"`, nested ones indented). When
//! the output is not a terminal (or with `--raw`): bare values one per line, nil as an empty
//! line.

use crate::resp::Reply;

/// A string quoted as `redis-cli` shows it (`"a\nb"`, `"\xff"`).
pub fn repr(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in s {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// The terminal form, each line ending in `\n`; `prefix` indents nested arrays.
pub fn tty(r: &Reply, prefix: &str) -> String {
    match r {
        Reply::Error(e) => format!("(error) {e}\n"),
        Reply::Status(s) => format!("{s}\n"),
        Reply::Int(n) => format!("(integer) {n}\n"),
        Reply::Bulk(b) => format!("{}\n", repr(b)),
        Reply::Nil | Reply::NilArray => "(nil)\n".into(),
        Reply::Array(items) if items.is_empty() => "(empty array)\n".into(),
        Reply::Array(items) => {
            let width = items.len().to_string().len();
            let inner = format!("{prefix}{}", " ".repeat(width + 2));
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                let lead = if i == 0 { "" } else { prefix };
                out.push_str(&format!("{lead}{:>width$}) ", i + 1));
                out.push_str(&tty(item, &inner));
            }
            out
        }
    }
}

/// The raw form, without the final delimiter.
pub fn raw(r: &Reply) -> Vec<u8> {
    match r {
        Reply::Nil | Reply::NilArray => Vec::new(),
        Reply::Error(e) => format!("{e}\n").into_bytes(),
        Reply::Status(s) => s.clone().into_bytes(),
        Reply::Bulk(b) => b.clone(),
        Reply::Int(n) => n.to_string().into_bytes(),
        Reply::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b'\n');
                }
                out.extend(raw(item));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_output_numbers_and_quotes_like_redis_cli() {
        let r = Reply::Array(vec![
            Reply::bulk("a b"),
            Reply::Array(vec![Reply::Int(1), Reply::Nil]),
            Reply::bulk("\n\u{7f}"),
        ]);
        assert_eq!(tty(&r, ""), "1) \"a b\"\n2) 1) (integer) 1\n   2) (nil)\n3) \"\\n\\x7f\"\n");
        let ten = Reply::Array((1..=10).map(Reply::Int).collect());
        assert!(tty(&ten, "").starts_with(" 1) (integer) 1\n 2) (integer) 2\n"));
        assert!(tty(&ten, "").ends_with("10) (integer) 10\n"));
        assert_eq!(tty(&Reply::Array(vec![]), ""), "(empty array)\n");
        assert_eq!(tty(&Reply::err("ERR x"), ""), "(error) ERR x\n");
    }

    #[test]
    fn raw_output_is_bare_values() {
        assert_eq!(raw(&Reply::Array(vec![Reply::bulk("a"), Reply::Int(2), Reply::Nil])), b"a\n2\n");
        assert_eq!(raw(&Reply::Nil), b"");
    }
}
