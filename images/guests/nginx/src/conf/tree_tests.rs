use super::*;
use std::collections::BTreeMap;

/// Files in memory, for tests.
pub struct Mem(pub BTreeMap<String, String>);

impl Files for Mem {
    fn read(&self, path: &str) -> io::Result<String> {
        self.0.get(path).cloned().ok_or_else(|| io::ErrorKind::NotFound.into())
    }
    fn list(&self, dir: &str) -> io::Result<Vec<String>> {
        let prefix = format!("{dir}/");
        Ok(self
            .0
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter(|n| !n.contains('/'))
            .map(String::from)
            .collect())
    }
}

pub fn mem(files: &[(&str, &str)]) -> Mem {
    Mem(files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect())
}

#[test]
fn includes_are_expanded_in_place_in_alphabetical_order() {
    let files = mem(&[
        ("/etc/nginx/nginx.conf", "events {}\nhttp {\n  include mime.types;\n  include /etc/nginx/conf.d/*.conf;\n}\n"),
        ("/etc/nginx/mime.types", "types { text/html html; }"),
        ("/etc/nginx/conf.d/b.conf", "server { listen 81; }"),
        ("/etc/nginx/conf.d/a.conf", "server {\n listen 80;\n}"),
        ("/etc/nginx/conf.d/a.conf.bak", "junk"),
    ]);
    let tree = load(&files, "/etc/nginx/nginx.conf", "/etc/nginx/").unwrap();
    let http = tree[1].block.as_ref().unwrap();
    let names: Vec<(&str, &str, usize)> = http.iter().map(|d| (d.name.as_str(), d.file.as_str(), d.line)).collect();
    assert_eq!(
        names,
        [
            ("types", "/etc/nginx/mime.types", 1),
            ("server", "/etc/nginx/conf.d/a.conf", 1),
            ("server", "/etc/nginx/conf.d/b.conf", 1)
        ]
    );
    let listen = &http[1].block.as_ref().unwrap()[0];
    assert_eq!((listen.args.as_slice(), listen.line), (&["80".to_string()][..], 2));
}

#[test]
fn syntax_errors_say_where_as_nginx_does() {
    let err = |text: &str| load(&mem(&[("/c", text)]), "/c", "/").unwrap_err().to_string();
    assert_eq!(err("http {\n"), "unexpected end of file, expecting \"}\" in /c:2");
    assert_eq!(err("http {\n listen 80\n"), "unexpected end of file, expecting \";\" or \"}\" in /c:3");
    assert_eq!(err("}"), "unexpected \"}\" in /c:1");
    assert_eq!(err("a b }"), "unexpected \"}\" in /c:1");
    assert_eq!(err("include /missing.conf;"), "open() \"/missing.conf\" failed (2: No such file or directory) in /c:1");
    assert_eq!(err("include /c;"), "too deep includes (is a file including itself?) in /c:1");
    let missing = load(&mem(&[]), "/etc/nginx/nginx.conf", "/etc/nginx/").unwrap_err().to_string();
    assert_eq!(missing, "open() \"/etc/nginx/nginx.conf\" failed (2: No such file or directory)");
}

#[test]
fn globs_match_like_the_shell() {
    assert!(glob_match("*.conf", "default.conf"));
    assert!(!glob_match("*.conf", "default.conf.bak"));
    assert!(!glob_match("*.conf", ".hidden.conf"));
    assert!(glob_match("site?.conf", "site1.conf"));
}
