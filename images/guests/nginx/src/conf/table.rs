//! Which directives exist, where each may appear, and how many arguments it takes: what nginx
//! checks before anything else (`unknown directive "foo"`, `"listen" directive is not allowed
//! here`, `invalid number of arguments in "root" directive`). Directives that only tune
//! performance (buffers, `sendfile`, `worker_connections`...) are accepted and have nothing to
//! change here; a few that this nginx cannot honour (`if`, `rewrite`, FastCGI, TLS...) are
//! refused with a clear message rather than silently ignored.

/// Where a directive may appear (bit set).
pub type Ctx = u16;
pub const MAIN: Ctx = 1;
pub const EVENTS: Ctx = 2;
pub const HTTP: Ctx = 4;
pub const SERVER: Ctx = 8;
pub const LOCATION: Ctx = 16;
pub const UPSTREAM: Ctx = 32;
pub const LIMIT_EXCEPT: Ctx = 64;
/// Inside `types { }`: every entry is `mime/type ext...;`.
pub const TYPES: Ctx = 128;
const HSL: Ctx = HTTP | SERVER | LOCATION;
const SL: Ctx = SERVER | LOCATION;

/// How many arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Args {
    Exactly(usize),
    Range(usize, usize),
    AtLeast(usize),
    /// `on` or `off`.
    Flag,
}

/// One known directive.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub ctx: Ctx,
    pub args: Args,
    pub block: bool,
    /// Refused with this reason (a feature this nginx does not have).
    pub unsupported: bool,
}

const fn d(name: &'static str, ctx: Ctx, args: Args) -> Spec {
    Spec { name, ctx, args, block: false, unsupported: false }
}
const fn b(name: &'static str, ctx: Ctx, args: Args) -> Spec {
    Spec { name, ctx, args, block: true, unsupported: false }
}
const fn no(name: &'static str, ctx: Ctx, args: Args, block: bool) -> Spec {
    Spec { name, ctx, args, block, unsupported: true }
}

use Args::{AtLeast, Exactly, Flag, Range};

pub const SPECS: &[Spec] = &[
    // The core and events.
    d("user", MAIN, Range(1, 2)),
    d("worker_processes", MAIN, Exactly(1)),
    d("error_log", MAIN | HSL, AtLeast(1)),
    d("pid", MAIN, Exactly(1)),
    d("daemon", MAIN, Flag),
    d("master_process", MAIN, Flag),
    d("worker_rlimit_nofile", MAIN, Exactly(1)),
    d("worker_shutdown_timeout", MAIN, Exactly(1)),
    d("worker_cpu_affinity", MAIN, AtLeast(1)),
    d("worker_priority", MAIN, Exactly(1)),
    d("timer_resolution", MAIN, Exactly(1)),
    d("pcre_jit", MAIN, Flag),
    d("env", MAIN, Exactly(1)),
    d("lock_file", MAIN, Exactly(1)),
    b("events", MAIN, Exactly(0)),
    d("worker_connections", EVENTS, Exactly(1)),
    d("use", EVENTS, Exactly(1)),
    d("multi_accept", EVENTS, Flag),
    d("accept_mutex", EVENTS, Flag),
    d("accept_mutex_delay", EVENTS, Exactly(1)),
    b("http", MAIN, Exactly(0)),
    // Servers and locations.
    b("server", HTTP, Exactly(0)),
    d("listen", SERVER, AtLeast(1)),
    d("server_name", SERVER, AtLeast(1)),
    b("location", SL, Range(1, 2)),
    b("upstream", HTTP, Exactly(1)),
    b("types", HSL, Exactly(0)),
    b("limit_except", LOCATION, AtLeast(1)),
    d("root", HSL, Exactly(1)),
    d("alias", LOCATION, Exactly(1)),
    d("index", HSL, AtLeast(1)),
    d("try_files", SL, AtLeast(2)),
    d("autoindex", HSL, Flag),
    d("autoindex_exact_size", HSL, Flag),
    d("autoindex_localtime", HSL, Flag),
    d("autoindex_format", HSL, Exactly(1)),
    d("error_page", HSL, AtLeast(2)),
    d("recursive_error_pages", HSL, Flag),
    d("return", SL, Range(1, 2)),
    d("add_header", HSL, Range(2, 3)),
    d("expires", HSL, Range(1, 2)),
    d("default_type", HSL, Exactly(1)),
    d("charset", HSL, Exactly(1)),
    d("internal", LOCATION, Exactly(0)),
    d("allow", HSL | LIMIT_EXCEPT, Exactly(1)),
    d("deny", HSL | LIMIT_EXCEPT, Exactly(1)),
    d("server_tokens", HSL, Exactly(1)),
    d("keepalive_timeout", HSL, Range(1, 2)),
    d("keepalive_requests", HSL, Exactly(1)),
    d("client_max_body_size", HSL, Exactly(1)),
    d("absolute_redirect", HSL, Flag),
    d("port_in_redirect", HSL, Flag),
    d("server_name_in_redirect", HSL, Flag),
    d("log_not_found", HSL, Flag),
    d("etag", HSL, Flag),
    // Logs.
    d("log_format", HTTP, AtLeast(2)),
    d("access_log", HSL | LIMIT_EXCEPT, AtLeast(1)),
    // Reverse proxy.
    d("proxy_pass", LOCATION | LIMIT_EXCEPT, Exactly(1)),
    d("proxy_set_header", HSL, Exactly(2)),
    d("proxy_http_version", HSL, Exactly(1)),
    d("proxy_read_timeout", HSL, Exactly(1)),
    d("proxy_connect_timeout", HSL, Exactly(1)),
    d("proxy_send_timeout", HSL, Exactly(1)),
    d("proxy_hide_header", HSL, Exactly(1)),
    d("proxy_pass_header", HSL, Exactly(1)),
    d("proxy_redirect", HSL, Range(1, 2)),
    d("proxy_buffering", HSL, Flag),
    d("proxy_request_buffering", HSL, Flag),
    d("proxy_buffers", HSL, Exactly(2)),
    d("proxy_buffer_size", HSL, Exactly(1)),
    d("proxy_busy_buffers_size", HSL, Exactly(1)),
    d("proxy_intercept_errors", HSL, Flag),
    d("proxy_next_upstream", HSL, AtLeast(1)),
    d("proxy_ssl_server_name", HSL, Flag),
    d("resolver", HSL, AtLeast(1)),
    d("resolver_timeout", HSL, Exactly(1)),
    d("server", UPSTREAM, AtLeast(1)),
    d("keepalive", UPSTREAM, Exactly(1)),
    d("least_conn", UPSTREAM, Exactly(0)),
    d("ip_hash", UPSTREAM, Exactly(0)),
    d("hash", UPSTREAM, Range(1, 2)),
    d("zone", UPSTREAM, Range(1, 2)),
    // Performance knobs: accepted, nothing for them to change here.
    d("sendfile", HSL, Flag),
    d("sendfile_max_chunk", HSL, Exactly(1)),
    d("tcp_nopush", HSL, Flag),
    d("tcp_nodelay", HSL, Flag),
    d("aio", HSL, Exactly(1)),
    d("directio", HSL, Exactly(1)),
    d("output_buffers", HSL, Exactly(2)),
    d("postpone_output", HSL, Exactly(1)),
    d("open_file_cache", HSL, Range(1, 2)),
    d("open_file_cache_valid", HSL, Exactly(1)),
    d("open_file_cache_min_uses", HSL, Exactly(1)),
    d("open_file_cache_errors", HSL, Flag),
    d("reset_timedout_connection", HSL, Flag),
    d("send_timeout", HSL, Exactly(1)),
    d("client_body_timeout", HSL, Exactly(1)),
    d("client_header_timeout", HTTP | SERVER, Exactly(1)),
    d("client_body_buffer_size", HSL, Exactly(1)),
    d("client_header_buffer_size", HTTP | SERVER, Exactly(1)),
    d("large_client_header_buffers", HTTP | SERVER, Exactly(2)),
    d("lingering_close", HSL, Exactly(1)),
    d("lingering_time", HSL, Exactly(1)),
    d("lingering_timeout", HSL, Exactly(1)),
    d("types_hash_max_size", HSL, Exactly(1)),
    d("types_hash_bucket_size", HSL, Exactly(1)),
    d("server_names_hash_max_size", HTTP, Exactly(1)),
    d("server_names_hash_bucket_size", HTTP, Exactly(1)),
    d("variables_hash_max_size", HTTP, Exactly(1)),
    d("variables_hash_bucket_size", HTTP, Exactly(1)),
    d("merge_slashes", HTTP | SERVER, Flag),
    d("msie_padding", HSL, Flag),
    d("underscores_in_headers", HTTP | SERVER, Flag),
    d("ignore_invalid_headers", HTTP | SERVER, Flag),
    d("gzip", HSL, Flag),
    d("gzip_types", HSL, AtLeast(1)),
    d("gzip_vary", HSL, Flag),
    d("gzip_proxied", HSL, AtLeast(1)),
    d("gzip_comp_level", HSL, Exactly(1)),
    d("gzip_min_length", HSL, Exactly(1)),
    d("gzip_disable", HSL, AtLeast(1)),
    d("gzip_http_version", HSL, Exactly(1)),
    d("gzip_buffers", HSL, Exactly(2)),
    d("gzip_static", HSL, Exactly(1)),
    d("ssl_protocols", HTTP | SERVER, AtLeast(1)),
    d("ssl_prefer_server_ciphers", HTTP | SERVER, Flag),
    d("ssl_ciphers", HTTP | SERVER, Exactly(1)),
    d("ssl_session_cache", HTTP | SERVER, AtLeast(1)),
    d("ssl_session_timeout", HTTP | SERVER, Exactly(1)),
    // What this nginx cannot do: refused clearly.
    no("if", SL, AtLeast(1), true),
    no("rewrite", SL, Range(2, 3), false),
    no("set", SL, Exactly(2), false),
    no("map", HTTP, Exactly(2), true),
    no("geo", HTTP, Range(1, 2), true),
    no("stream", MAIN, Exactly(0), true),
    no("mail", MAIN, Exactly(0), true),
    no("load_module", MAIN, Exactly(1), false),
    no("fastcgi_pass", LOCATION, Exactly(1), false),
    no("uwsgi_pass", LOCATION, Exactly(1), false),
    no("scgi_pass", LOCATION, Exactly(1), false),
    no("grpc_pass", LOCATION, Exactly(1), false),
    no("proxy_cache", HSL, Exactly(1), false),
    no("proxy_cache_path", HTTP, AtLeast(2), false),
    no("ssl_certificate", HTTP | SERVER, Exactly(1), false),
    no("ssl_certificate_key", HTTP | SERVER, Exactly(1), false),
    no("auth_basic", HSL | LIMIT_EXCEPT, Exactly(1), false),
    no("auth_basic_user_file", HSL | LIMIT_EXCEPT, Exactly(1), false),
    no("sub_filter", HSL, Exactly(2), false),
    no("limit_req_zone", HTTP, AtLeast(3), false),
    no("limit_req", HSL, AtLeast(1), false),
];

/// The context a block directive opens.
pub fn inner_context(name: &str) -> Ctx {
    match name {
        "events" => EVENTS,
        "http" => HTTP,
        "server" => SERVER,
        "location" => LOCATION,
        "upstream" => UPSTREAM,
        "types" => TYPES,
        "limit_except" => LIMIT_EXCEPT,
        _ => 0,
    }
}

impl Args {
    pub fn accepts(self, n: usize) -> bool {
        match self {
            Args::Exactly(k) => n == k,
            Args::Range(lo, hi) => (lo..=hi).contains(&n),
            Args::AtLeast(k) => n >= k,
            Args::Flag => n == 1,
        }
    }
}
