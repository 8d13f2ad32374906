use super::model::{Level, Modifier};
use super::tree::tests_support::mem;
use super::*;
use std::io;
use std::net::Ipv4Addr;

pub const NGINX_CONF: &str = include_str!("../../files/nginx.conf");
pub const DEFAULT_CONF: &str = include_str!("../../files/default.conf");
pub const MIME_TYPES: &str = include_str!("../../files/mime.types");

/// Knows `api` (172.18.0.2) and `site1`, `site2`.
pub fn resolver(name: &str) -> io::Result<Vec<Ipv4Addr>> {
    match name {
        "api" => Ok(vec![Ipv4Addr::new(172, 18, 0, 2)]),
        "site1" => Ok(vec![Ipv4Addr::new(172, 17, 0, 2)]),
        "site2" => Ok(vec![Ipv4Addr::new(172, 17, 0, 3)]),
        _ => Err(io::ErrorKind::NotFound.into()),
    }
}

/// The official image's files, with `conf.d/default.conf` replaced by `site` if given.
pub fn load_with(site: Option<&str>) -> Result<Config, ConfError> {
    let files = mem(&[
        ("/etc/nginx/nginx.conf", NGINX_CONF),
        ("/etc/nginx/mime.types", MIME_TYPES),
        ("/etc/nginx/conf.d/default.conf", site.unwrap_or(DEFAULT_CONF)),
    ]);
    load(&files, "/etc/nginx/nginx.conf", "/etc/nginx/", &resolver)
}

#[test]
fn the_official_configuration_builds() {
    let c = load_with(None).unwrap();
    assert_eq!(c.pid, "/var/run/nginx.pid");
    assert_eq!(c.error_logs[0].path, "/var/log/nginx/error.log");
    assert_eq!(c.error_logs[0].level, Level::Notice);
    assert_eq!(c.http.listen_addrs(), ["0.0.0.0:80".parse().unwrap()]);
    let s = &c.http.servers[0];
    assert_eq!(s.primary_name(), "localhost");
    assert_eq!(s.locations.len(), 2);
    assert_eq!(s.locations[1].modifier, Modifier::Exact);
    let root = &s.locations[0].settings;
    assert_eq!(root.access_logs.as_ref().unwrap()[0].format, "main");
    assert_eq!(root.types.as_ref().unwrap().get("html").map(String::as_str), Some("text/html"));
    assert_eq!(root.error_pages.as_ref().unwrap()[0].codes, [500, 502, 503, 504]);
}

#[test]
fn errors_name_the_file_and_line_of_conf_d() {
    let err = |site: &str| load_with(Some(site)).unwrap_err().to_string();
    assert_eq!(
        err("server {\n  listen 80;\n  foo on;\n}\n"),
        "unknown directive \"foo\" in /etc/nginx/conf.d/default.conf:3"
    );
    assert_eq!(
        err("server {\n location / {\n  proxy_pass http://nowhere:5000;\n }\n}"),
        "host not found in upstream \"nowhere:5000\" in /etc/nginx/conf.d/default.conf:3"
    );
    assert_eq!(
        err("server { listen 80 default_server; }\nserver { listen 80 default_server; }"),
        "a duplicate default server for 0.0.0.0:80 in /etc/nginx/conf.d/default.conf:2"
    );
    assert_eq!(
        err("server { location / {} location / {} }"),
        "duplicate location \"/\" in /etc/nginx/conf.d/default.conf:1"
    );
    assert_eq!(
        err("server { location /a { location /b {} } }"),
        "location \"/b\" is outside location \"/a\" in /etc/nginx/conf.d/default.conf:1"
    );
    assert_eq!(
        err("server { root /a; root /b; }"),
        "\"root\" directive is duplicate in /etc/nginx/conf.d/default.conf:1"
    );
    assert_eq!(err("server { return abc; }"), "invalid return code \"abc\" in /etc/nginx/conf.d/default.conf:1");
    assert_eq!(
        err("server { access_log /x nope; }"),
        "unknown log format \"nope\" in /etc/nginx/conf.d/default.conf:1"
    );
    assert_eq!(err("server { add_header X $nope; }"), "unknown \"nope\" variable");
    assert_eq!(
        err("server { listen 80a; }"),
        "host not found in \"80a\" of the \"listen\" directive in /etc/nginx/conf.d/default.conf:1"
    );
    assert_eq!(
        err("server { listen *:99999; }"),
        "invalid port in \"*:99999\" of the \"listen\" directive in /etc/nginx/conf.d/default.conf:1"
    );
    assert_eq!(
        err("server { location / { proxy_pass api:5000; } }"),
        "invalid URL prefix in \"api:5000\" in /etc/nginx/conf.d/default.conf:1"
    );
    assert_eq!(
        err("server { error_page 200 /x; }"),
        "value \"200\" must be between 300 and 599 in /etc/nginx/conf.d/default.conf:1"
    );
}

#[test]
fn the_course_reverse_proxy_resolves_its_upstreams() {
    let c = load_with(Some(
        "upstream sites { server site1; server site2:8080 weight=2; }\n\
         server {\n listen 80;\n server_name localhost;\n location / {\n  proxy_pass http://api:5000;\n  proxy_set_header Host $host;\n  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n }\n\
         location /sites/ { proxy_pass http://sites/; }\n}",
    ))
    .unwrap();
    let api = c.http.upstream("api:5000").unwrap();
    assert_eq!(api.peers, ["172.18.0.2:5000".parse().unwrap()]);
    let sites = c.http.upstream("sites").unwrap();
    let peers: Vec<String> = sites.peers.iter().map(ToString::to_string).collect();
    assert_eq!(peers, ["172.17.0.2:80", "172.17.0.3:8080", "172.17.0.3:8080"]);
    let pp = c.http.servers[0].locations[1].settings.proxy_pass.as_ref().unwrap();
    assert_eq!((pp.group.as_str(), pp.uri.as_deref()), ("sites", Some("/")));
}

#[test]
fn virtual_hosts_by_host_with_the_default_server_as_fallback() {
    let c = load_with(Some(
        "server { listen 80; server_name site1 www.site1; }\n\
         server { listen 80 default_server; server_name _; }\n\
         server { listen 80; server_name *.example.com; }\n\
         server { listen 80; server_name ~^api\\d+$; }\n\
         server { listen 8080; server_name site1; }",
    ))
    .unwrap();
    let servers = &c.http.servers;
    let pick = |port: u16, host: Option<&str>| {
        let local = std::net::SocketAddr::from(([172, 17, 0, 5], port));
        let s = vhosts::select(servers, local, host).unwrap();
        servers.iter().position(|x| std::ptr::eq(x, s)).unwrap()
    };
    assert_eq!(pick(80, Some("site1")), 0);
    assert_eq!(pick(80, Some("www.site1")), 0);
    assert_eq!(pick(80, Some("other")), 1);
    assert_eq!(pick(80, None), 1);
    assert_eq!(pick(80, Some("a.b.example.com")), 2);
    assert_eq!(pick(80, Some("api12")), 3);
    assert_eq!(pick(8080, Some("other")), 4);
    assert!(c.warnings.is_empty());
    let c = load_with(Some("server { server_name a; }\nserver { server_name a; }")).unwrap();
    assert_eq!(c.warnings, ["conflicting server name \"a\" on 0.0.0.0:80, ignored"]);
}

#[test]
fn settings_are_inherited_unless_the_inner_level_sets_its_own() {
    let c = load_with(Some(
        "server { root /srv; add_header X-A 1; location / { } location /b { add_header X-B 2; } location /c { alias /data/; } }",
    ))
    .unwrap();
    let locs = &c.http.servers[0].locations;
    let names =
        |i: usize| -> Vec<String> { locs[i].settings.add_headers.iter().flatten().map(|h| h.name.clone()).collect() };
    assert_eq!(names(0), ["X-A"]);
    assert_eq!(names(1), ["X-B"]);
    assert!(locs[2].settings.alias.is_some());
    assert_eq!(locs[0].settings.keepalive_timeout, Some(std::time::Duration::from_secs(65)));
}
