//! The server images: `nginx`, `httpd` and `redis`, each on the `debian` (default tags) and the
//! `alpine` (`-alpine` tags) base layers, so a pull after `alpine` or `debian` finds its base
//! layer already there. One compiled program per server serves every version: the version it
//! reports is stamped into it per tag (`FileSource::Stamped`). Their configs are the official
//! images': entrypoint scripts, `Cmd`, ports, stop signal, working folder, volume.

use super::{os, FileSource, Item, LayerSpec, Recipe};
use engine::image::ContainerConfig;
use std::collections::BTreeMap;

/// Which base an image is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    Debian,
    Alpine,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn base_layer(base: Base) -> LayerSpec {
    let recipe = if base == Base::Debian { os::debian() } else { os::alpine() };
    recipe.layers.into_iter().next().expect("the base images have one layer")
}

fn ports(list: &[&str]) -> Option<BTreeMap<String, serde_json::Value>> {
    Some(list.iter().map(|p| (p.to_string(), serde_json::json!({}))).collect())
}

fn file(path: &'static str, mode: u32, text: &'static str) -> Item {
    Item::file(path, mode, text)
}

// ---- nginx ----

const NGINX_FILES: &[(&str, &str)] = &[
    ("etc/nginx/nginx.conf", include_str!("../../guests/nginx/files/nginx.conf")),
    ("etc/nginx/conf.d/default.conf", include_str!("../../guests/nginx/files/default.conf")),
    ("etc/nginx/mime.types", include_str!("../../guests/nginx/files/mime.types")),
    ("usr/share/nginx/html/index.html", include_str!("../../guests/nginx/files/index.html")),
    ("usr/share/nginx/html/50x.html", include_str!("../../guests/nginx/files/50x.html")),
];

const NGINX_SCRIPTS: &[(&str, &str)] = &[
    (
        "docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        include_str!("../../guests/nginx/files/10-listen-on-ipv6-by-default.sh"),
    ),
    ("docker-entrypoint.d/15-local-resolvers.envsh", include_str!("../../guests/nginx/files/15-local-resolvers.envsh")),
    (
        "docker-entrypoint.d/20-envsubst-on-templates.sh",
        include_str!("../../guests/nginx/files/20-envsubst-on-templates.sh"),
    ),
    (
        "docker-entrypoint.d/30-tune-worker-processes.sh",
        include_str!("../../guests/nginx/files/30-tune-worker-processes.sh"),
    ),
];

/// One nginx version on one base.
fn nginx(version: &'static str, base: Base, tags: &'static [&'static str], created: &'static str) -> Recipe {
    let stamps: &'static [(&'static str, &'static str)] = Box::leak(Box::new([("nginx-version", version)]));
    let mut items = vec![
        Item::dir("etc/nginx", 0o755),
        Item::dir("etc/nginx/conf.d", 0o755),
        Item::dir("usr/share/nginx", 0o755),
        Item::dir("usr/share/nginx/html", 0o755),
        Item::dir("var/cache/nginx", 0o755),
        Item::dir("var/log/nginx", 0o755),
        // The official image sends its logs to the container's output (`docker logs`).
        Item::Link { path: "var/log/nginx/access.log", target: "/dev/stdout" },
        Item::Link { path: "var/log/nginx/error.log", target: "/dev/stderr" },
        Item::Link { path: "var/run", target: "/run" },
        Item::File { path: "usr/sbin/nginx", mode: 0o755, source: FileSource::Stamped { guest: "nginx", stamps } },
    ];
    items.extend(NGINX_FILES.iter().map(|(p, t)| file(p, 0o644, t)));
    let mut scripts = vec![Item::dir("docker-entrypoint.d", 0o755)];
    scripts.extend(NGINX_SCRIPTS.iter().map(|(p, t)| file(p, 0o755, t)));
    let release = if base == Base::Debian { "1~bookworm" } else { "1" };
    let config = ContainerConfig {
        env: vec![
            super::PATH_ENV.into(),
            leak(format!("NGINX_VERSION={version}")).into(),
            format!("PKG_RELEASE={release}"),
        ],
        cmd: Some(vec!["nginx".into(), "-g".into(), "daemon off;".into()]),
        entrypoint: Some(vec!["/docker-entrypoint.sh".into()]),
        exposed_ports: ports(&["80/tcp"]),
        stop_signal: Some("SIGQUIT".into()),
        labels: Some(BTreeMap::from([(
            "maintainer".into(),
            "NGINX Docker Maintainers <docker-maint@nginx.com>".into(),
        )])),
        ..ContainerConfig::default()
    };
    Recipe {
        repository: "library/nginx",
        tags,
        description: "Official build of Nginx.",
        stars: 20_893,
        official: true,
        created,
        layers: vec![
            base_layer(base),
            LayerSpec { created_by: leak(format!("COPY nginx-{version}/ / # buildkit")), items },
            LayerSpec {
                created_by: "COPY docker-entrypoint.sh / # buildkit",
                items: vec![file(
                    "docker-entrypoint.sh",
                    0o755,
                    include_str!("../../guests/nginx/files/docker-entrypoint.sh"),
                )],
            },
            LayerSpec { created_by: "COPY docker-entrypoint.d/ /docker-entrypoint.d # buildkit", items: scripts },
        ],
        config,
        metadata_history: vec![
            leak(format!("ENV NGINX_VERSION={version}")),
            "EXPOSE map[80/tcp:{}]",
            "STOPSIGNAL SIGQUIT",
            "ENTRYPOINT [\"/docker-entrypoint.sh\"]",
            "CMD [\"nginx\" \"-g\" \"daemon off;\"]",
        ],
    }
}

// ---- httpd ----

fn httpd(version: &'static str, base: Base, tags: &'static [&'static str], created: &'static str) -> Recipe {
    let stamps: &'static [(&'static str, &'static str)] = Box::leak(Box::new([("httpd-version", version)]));
    let items = vec![
        Item::dir("usr/local/apache2", 0o755),
        Item::dir("usr/local/apache2/bin", 0o755),
        Item::dir("usr/local/apache2/conf", 0o755),
        Item::dir("usr/local/apache2/htdocs", 0o755),
        Item::dir("usr/local/apache2/logs", 0o755),
        Item::dir("usr/local/apache2/modules", 0o755),
        Item::File {
            path: "usr/local/apache2/bin/httpd",
            mode: 0o755,
            source: FileSource::Stamped { guest: "httpd", stamps },
        },
        file("usr/local/apache2/conf/httpd.conf", 0o644, include_str!("../../guests/httpd/files/httpd.conf")),
        file("usr/local/apache2/conf/mime.types", 0o644, include_str!("../../guests/httpd/files/mime.types")),
        file("usr/local/apache2/htdocs/index.html", 0o644, include_str!("../../guests/httpd/files/index.html")),
    ];
    let path = "PATH=/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    let config = ContainerConfig {
        env: vec![
            path.into(),
            "HTTPD_PREFIX=/usr/local/apache2".into(),
            leak(format!("HTTPD_VERSION={version}")).into(),
        ],
        cmd: Some(vec!["httpd-foreground".into()]),
        working_dir: "/usr/local/apache2".into(),
        exposed_ports: ports(&["80/tcp"]),
        stop_signal: Some("SIGWINCH".into()),
        ..ContainerConfig::default()
    };
    Recipe {
        repository: "library/httpd",
        tags,
        description: "The Apache HTTP Server Project",
        stars: 4_826,
        official: true,
        created,
        layers: vec![
            base_layer(base),
            LayerSpec { created_by: leak(format!("COPY httpd-{version}/ /usr/local/apache2 # buildkit")), items },
            LayerSpec {
                created_by: "COPY httpd-foreground /usr/local/bin/ # buildkit",
                items: vec![file(
                    "usr/local/bin/httpd-foreground",
                    0o755,
                    include_str!("../../guests/httpd/files/httpd-foreground"),
                )],
            },
        ],
        config,
        metadata_history: vec![
            "ENV HTTPD_PREFIX=/usr/local/apache2",
            leak(format!("ENV HTTPD_VERSION={version}")),
            "WORKDIR /usr/local/apache2",
            "STOPSIGNAL SIGWINCH",
            "EXPOSE map[80/tcp:{}]",
            "CMD [\"httpd-foreground\"]",
        ],
    }
}

// ---- redis ----

fn redis(version: &'static str, base: Base, tags: &'static [&'static str], created: &'static str) -> Recipe {
    let stamps: &'static [(&'static str, &'static str)] = Box::leak(Box::new([("redis-version", version)]));
    let items = vec![
        Item::File {
            path: "usr/local/bin/redis-server",
            mode: 0o755,
            source: FileSource::Stamped { guest: "redis-server", stamps },
        },
        Item::File {
            path: "usr/local/bin/redis-cli",
            mode: 0o755,
            source: FileSource::Stamped { guest: "redis-cli", stamps },
        },
    ];
    let config = ContainerConfig {
        env: vec![super::PATH_ENV.into(), leak(format!("REDIS_VERSION={version}")).into()],
        cmd: Some(vec!["redis-server".into()]),
        entrypoint: Some(vec!["docker-entrypoint.sh".into()]),
        working_dir: "/data".into(),
        volumes: Some(BTreeMap::from([("/data".to_string(), serde_json::json!({}))])),
        exposed_ports: ports(&["6379/tcp"]),
        ..ContainerConfig::default()
    };
    Recipe {
        repository: "library/redis",
        tags,
        description: "Redis is the world’s fastest data platform for caching, vector search, and NoSQL databases.",
        stars: 13_142,
        official: true,
        created,
        layers: vec![
            base_layer(base),
            LayerSpec { created_by: leak(format!("COPY redis-{version}/ /usr/local/bin # buildkit")), items },
            LayerSpec { created_by: "RUN /bin/sh -c mkdir /data # buildkit", items: vec![Item::dir("data", 0o755)] },
            LayerSpec {
                created_by: "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
                items: vec![file(
                    "usr/local/bin/docker-entrypoint.sh",
                    0o755,
                    include_str!("../../guests/redis/files/docker-entrypoint.sh"),
                )],
            },
        ],
        config,
        metadata_history: vec![
            leak(format!("ENV REDIS_VERSION={version}")),
            "VOLUME [/data]",
            "WORKDIR /data",
            "ENTRYPOINT [\"docker-entrypoint.sh\"]",
            "EXPOSE map[6379/tcp:{}]",
            "CMD [\"redis-server\"]",
        ],
    }
}

/// Every server image of the catalog.
pub fn recipes() -> Vec<Recipe> {
    use Base::{Alpine, Debian};
    vec![
        nginx(
            "1.27.4",
            Debian,
            &["latest", "mainline", "1", "1.27", "1.27.4", "bookworm", "mainline-bookworm"],
            "2025-04-16T18:51:41Z",
        ),
        nginx(
            "1.27.4",
            Alpine,
            &["alpine", "mainline-alpine", "1-alpine", "1.27-alpine", "1.27.4-alpine", "alpine3.21"],
            "2025-04-16T18:48:19Z",
        ),
        nginx("1.26.3", Debian, &["stable", "1.26", "1.26.3", "stable-bookworm"], "2025-04-16T18:50:02Z"),
        nginx("1.26.3", Alpine, &["stable-alpine", "1.26-alpine", "1.26.3-alpine"], "2025-04-16T18:47:55Z"),
        nginx("1.25.5", Debian, &["1.25", "1.25.5"], "2024-08-14T21:31:12Z"),
        nginx("1.25.5", Alpine, &["1.25-alpine", "1.25.5-alpine"], "2024-08-14T21:29:40Z"),
        nginx("1.21.6", Debian, &["1.21", "1.21.6"], "2022-12-21T11:28:59Z"),
        nginx("1.21.6", Alpine, &["1.21-alpine", "1.21.6-alpine"], "2022-11-15T04:15:27Z"),
        httpd("2.4.63", Debian, &["latest", "2", "2.4", "2.4.63", "bookworm"], "2025-01-24T10:19:04Z"),
        httpd(
            "2.4.63",
            Alpine,
            &["alpine", "2-alpine", "2.4-alpine", "2.4.63-alpine", "alpine3.21"],
            "2025-01-24T10:16:39Z",
        ),
        redis("7.4.2", Debian, &["latest", "7", "7.4", "7.4.2", "bookworm"], "2025-01-07T00:05:52Z"),
        redis(
            "7.4.2",
            Alpine,
            &["alpine", "7-alpine", "7.4-alpine", "7.4.2-alpine", "alpine3.21"],
            "2025-01-07T00:02:16Z",
        ),
        redis("6.2.17", Debian, &["6", "6.2", "6.2.17", "6.2-bookworm"], "2025-01-07T00:08:41Z"),
        redis("6.2.17", Alpine, &["6-alpine", "6.2-alpine", "6.2.17-alpine"], "2025-01-07T00:04:03Z"),
    ]
}
