//! Debian's control format (deb822): paragraphs of `Field: value` lines, continuation lines
//! starting with a space, paragraphs separated by an empty line. `Packages` indexes, the
//! `status` database, `Release` files and `.sources` files all use it.

/// One paragraph, fields in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stanza {
    pub fields: Vec<(String, String)>,
}

impl Stanza {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// A field's value, or `""`.
    pub fn field(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    pub fn set(&mut self, name: &str, value: &str) {
        match self.fields.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
            Some((_, v)) => *v = value.to_string(),
            None => self.fields.push((name.to_string(), value.to_string())),
        }
    }

    pub fn remove(&mut self, name: &str) {
        self.fields.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    }

    /// The paragraph as text, ending with a newline.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.fields {
            out.push_str(k);
            out.push(':');
            if !v.starts_with('\n') {
                out.push(' ');
            }
            out.push_str(v);
            out.push('\n');
        }
        out
    }
}

/// Parses paragraphs (comment lines starting with `#` are skipped).
pub fn parse(text: &str) -> Vec<Stanza> {
    let mut out = Vec::new();
    let mut cur = Stanza::default();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.fields.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some((_, v)) = cur.fields.last_mut() {
                v.push('\n');
                v.push_str(line);
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            cur.fields.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    if !cur.fields.is_empty() {
        out.push(cur);
    }
    out
}

/// A dependency field (`libc6 (>= 2.34), foo | bar`): for each clause, its alternative names.
pub fn depends(field: &str) -> Vec<Vec<String>> {
    field
        .split(',')
        .map(|clause| {
            clause
                .split('|')
                .map(|alt| alt.trim().split([' ', '(', ':']).next().unwrap_or("").to_string())
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_with_continuations_round_trip() {
        let text = "Package: curl\nVersion: 8.5.0\nDescription: a tool\n line two\n .\n line four\n\n# comment\nPackage: wget\n";
        let s = parse(text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].field("description"), "a tool\n line two\n .\n line four");
        assert_eq!(s[1].field("Package"), "wget");
        assert_eq!(parse(&s[0].text()), vec![s[0].clone()]);
    }

    #[test]
    fn dependencies_keep_alternatives_and_drop_versions() {
        assert_eq!(depends("libc6 (>= 2.34), foo | bar:any, "), vec![vec!["libc6"], vec!["foo", "bar"]]);
    }
}
