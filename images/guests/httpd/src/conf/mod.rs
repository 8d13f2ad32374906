//! Apache's configuration syntax, for what the `httpd` image's `httpd.conf` and a course's
//! edits use: one directive per line (`\` continues it), `#` comments, quoted arguments, and
//! sections (`<Directory "/x">` ... `</Directory>`; `<IfModule>` and `<IfDefine>` keep or skip
//! what they hold). Directives this server has no use for but Apache accepts are accepted; an
//! unknown one is Apache's `Invalid command 'Foo', perhaps misspelled or defined by a module
//! not included in the server configuration`.

mod syntax;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;
pub use syntax::glob;
use syntax::{lines, Line};

/// `<Directory path>`: whether listings are allowed and whether access is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dir {
    pub path: String,
    pub indexes: Option<bool>,
    pub granted: Option<bool>,
}

/// One `<VirtualHost>` (or the main server).
#[derive(Debug, Clone, Default)]
pub struct Host {
    pub names: Vec<String>,
    pub document_root: String,
    pub error_log: String,
    pub custom_logs: Vec<(String, String)>,
    pub aliases: Vec<(String, String)>,
    pub error_documents: BTreeMap<u16, String>,
}

/// The whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub server_root: String,
    pub listens: Vec<SocketAddr>,
    /// `ServerName`, if set globally.
    pub server_name: Option<String>,
    pub main: Host,
    pub vhosts: Vec<Host>,
    pub directory_index: Vec<String>,
    pub dirs: Vec<Dir>,
    /// `<Files pattern>` sections that deny access.
    pub denied_files: Vec<String>,
    pub formats: BTreeMap<String, String>,
    pub types: BTreeMap<String, String>,
    pub pid_file: String,
    pub keepalive: bool,
    pub keepalive_timeout: Duration,
    /// Printed on stderr while reading (`AH00112: Warning: DocumentRoot [...] does not exist`).
    pub warnings: Vec<String>,
}

/// Modules `LoadModule` may name (what this server provides, or accepts doing nothing).
const MODULES: &[&str] = &[
    "mpm_event_module",
    "mpm_prefork_module",
    "mpm_worker_module",
    "authn_file_module",
    "authn_core_module",
    "authz_host_module",
    "authz_groupfile_module",
    "authz_user_module",
    "authz_core_module",
    "access_compat_module",
    "auth_basic_module",
    "reqtimeout_module",
    "filter_module",
    "mime_module",
    "log_config_module",
    "env_module",
    "headers_module",
    "setenvif_module",
    "version_module",
    "unixd_module",
    "status_module",
    "autoindex_module",
    "dir_module",
    "alias_module",
    "rewrite_module",
];

/// Directives accepted without effect here (tuning, modules' options, access rules of other syntaxes).
const ACCEPTED: &[&str] = &[
    "User",
    "Group",
    "ServerAdmin",
    "LogLevel",
    "AllowOverride",
    "AddEncoding",
    "AddHandler",
    "AddOutputFilter",
    "AddCharset",
    "AddDefaultCharset",
    "RequestHeader",
    "Header",
    "SetEnvIf",
    "BrowserMatch",
    "Timeout",
    "MaxKeepAliveRequests",
    "ServerTokens",
    "ServerSignature",
    "EnableSendfile",
    "EnableMMAP",
    "HostnameLookups",
    "UseCanonicalName",
    "Mutex",
    "StartServers",
    "MinSpareThreads",
    "MaxSpareThreads",
    "ThreadsPerChild",
    "MaxRequestWorkers",
    "MaxConnectionsPerChild",
    "ThreadLimit",
    "ServerLimit",
    "IndexOptions",
    "IndexIgnore",
    "AddIcon",
    "AddIconByType",
    "AddIconByEncoding",
    "DefaultIcon",
    "HeaderName",
    "ReadmeName",
    "LimitRequestBody",
    "FileETag",
    "TraceEnable",
    "Define",
    "ScriptAlias",
    "ServerAlias",
    "Order",
    "Allow",
    "Deny",
    "Satisfy",
    "DirectorySlash",
    "AcceptFilter",
    "Protocols",
    "ScoreBoardFile",
    "GracefulShutdownTimeout",
    "ListenBacklog",
];

/// A syntax error, printed as Apache does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfError(pub String);

/// Reads `file` (with its `Include`s) into a [`Config`]; `defines` are the `-D` names.
pub fn load(file: &str, server_root: &str, defines: &[String]) -> Result<Config, ConfError> {
    let text = std::fs::read_to_string(file).map_err(|_| {
        ConfError(format!("httpd: Could not open configuration file {file}: No such file or directory"))
    })?;
    let mut c = Config {
        server_root: server_root.to_string(),
        listens: Vec::new(),
        server_name: None,
        main: Host {
            document_root: format!("{server_root}/htdocs"),
            error_log: "logs/error_log".into(),
            ..Host::default()
        },
        vhosts: Vec::new(),
        directory_index: vec!["index.html".into()],
        dirs: Vec::new(),
        denied_files: Vec::new(),
        formats: BTreeMap::new(),
        types: BTreeMap::new(),
        pid_file: "logs/httpd.pid".into(),
        keepalive: true,
        keepalive_timeout: Duration::from_secs(5),
        warnings: Vec::new(),
    };
    let mut p = Parser { c: &mut c, defines, loaded: Vec::new(), depth: 0 };
    p.file(file, &text)?;
    if c.listens.is_empty() {
        return Err(ConfError("(no listening sockets available, shutting down)\nAH00015: Unable to open logs".into()));
    }
    Ok(c)
}

struct Parser<'a> {
    c: &'a mut Config,
    defines: &'a [String],
    loaded: Vec<String>,
    depth: usize,
}

/// Where a directive sits.
#[derive(Clone)]
enum Scope {
    Main,
    Dir(usize),
    Files(String),
    Host(usize),
    /// Inside a section whose content has no effect here (`<Location>`, `<Limit>`...).
    Other,
}

impl Parser<'_> {
    fn file(&mut self, name: &str, text: &str) -> Result<(), ConfError> {
        let lines = lines(name, text);
        let mut i = 0;
        self.block(&lines, &mut i, Scope::Main, None)
    }

    fn syntax(&self, line: &Line, message: impl std::fmt::Display) -> ConfError {
        ConfError(format!("AH00526: Syntax error on line {} of {}:\n{message}", line.no, line.file))
    }

    fn path(&self, p: &str) -> String {
        if p.starts_with('/') {
            p.to_string()
        } else {
            format!("{}/{p}", self.c.server_root)
        }
    }

    /// Directives until the end, or until `</closing>`.
    fn block(
        &mut self,
        lines: &[Line],
        i: &mut usize,
        scope: Scope,
        closing: Option<(&str, &Line)>,
    ) -> Result<(), ConfError> {
        while *i < lines.len() {
            let line = &lines[*i];
            *i += 1;
            let Some(first) = line.words.first() else { continue };
            if let Some(name) = first.strip_prefix("</") {
                let name = name.trim_end_matches('>');
                return match closing {
                    Some((open, _)) if open.eq_ignore_ascii_case(name) => Ok(()),
                    Some((open, _)) => Err(self.syntax(line, format!("Expected </{open}> but saw </{name}>"))),
                    None => Err(self.syntax(line, format!("</{name}> without matching <{name}> section"))),
                };
            }
            if let Some(section) = first.strip_prefix('<') {
                let mut args: Vec<String> = line.words[1..].to_vec();
                let name = section.trim_end_matches('>').to_string();
                if let Some(last) = args.last_mut() {
                    *last = last.trim_end_matches('>').to_string();
                }
                args.retain(|a| !a.is_empty());
                self.section(lines, i, &scope, line, &name, &args)?;
                continue;
            }
            self.directive(line, &scope)?;
        }
        match closing {
            Some((open, start)) => Err(ConfError(format!(
                "AH00526: Syntax error on line {} of {}:\n<{open}> was not closed.",
                start.no, start.file
            ))),
            None => Ok(()),
        }
    }

    /// Skips to the matching close tag without reading what is inside.
    fn skip(&self, lines: &[Line], i: &mut usize, name: &str, start: &Line) -> Result<(), ConfError> {
        let mut depth = 1;
        while *i < lines.len() {
            let w = &lines[*i].words[0];
            *i += 1;
            if w.strip_prefix("</").is_some_and(|n| n.trim_end_matches('>').eq_ignore_ascii_case(name)) {
                depth -= 1;
                if depth == 0 {
                    return Ok(());
                }
            } else if w.strip_prefix('<').is_some_and(|n| n.trim_end_matches('>').eq_ignore_ascii_case(name)) {
                depth += 1;
            }
        }
        Err(ConfError(format!(
            "AH00526: Syntax error on line {} of {}:\n<{name}> was not closed.",
            start.no, start.file
        )))
    }

    fn section(
        &mut self,
        lines: &[Line],
        i: &mut usize,
        scope: &Scope,
        line: &Line,
        name: &str,
        args: &[String],
    ) -> Result<(), ConfError> {
        let arg = args.first().cloned().unwrap_or_default();
        let (negate, cond) = arg.strip_prefix('!').map_or((false, arg.as_str()), |c| (true, c));
        match name.to_ascii_lowercase().as_str() {
            "ifmodule" => {
                let module = cond.strip_prefix("mod_").and_then(|m| m.strip_suffix(".c")).map_or(cond.to_string(), |m| format!("{m}_module"));
                if self.loaded.contains(&module) != negate {
                    self.block(lines, i, scope.clone(), Some((name, line)))
                } else {
                    self.skip(lines, i, name, line)
                }
            }
            "ifdefine" => {
                if self.defines.iter().any(|d| d == cond) != negate {
                    self.block(lines, i, scope.clone(), Some((name, line)))
                } else {
                    self.skip(lines, i, name, line)
                }
            }
            "directory" | "directorymatch" => {
                let path = arg.trim_end_matches('/').to_string();
                let path = if path.is_empty() { "/".to_string() } else { path };
                let idx = match self.c.dirs.iter().position(|d| d.path == path) {
                    Some(i) => i,
                    None => {
                        self.c.dirs.push(Dir { path, ..Dir::default() });
                        self.c.dirs.len() - 1
                    }
                };
                self.block(lines, i, Scope::Dir(idx), Some((name, line)))
            }
            "files" | "filesmatch" => self.block(lines, i, Scope::Files(arg.clone()), Some((name, line))),
            "virtualhost" => {
                let host = Host { document_root: self.c.main.document_root.clone(), error_log: self.c.main.error_log.clone(), ..Host::default() };
                self.c.vhosts.push(host);
                let idx = self.c.vhosts.len() - 1;
                self.block(lines, i, Scope::Host(idx), Some((name, line)))
            }
            "location" | "locationmatch" | "limit" | "limitexcept" | "requireall" | "requireany" | "requirenone" | "ifversion" => {
                self.block(lines, i, Scope::Other, Some((name, line)))
            }
            _ => Err(self.syntax(line, format!("Invalid command '<{name}', perhaps misspelled or defined by a module not included in the server configuration"))),
        }
    }

    fn host(&mut self, scope: &Scope) -> &mut Host {
        match scope {
            Scope::Host(i) => &mut self.c.vhosts[*i],
            _ => &mut self.c.main,
        }
    }

    fn directive(&mut self, line: &Line, scope: &Scope) -> Result<(), ConfError> {
        let name = line.words[0].as_str();
        let args = &line.words[1..];
        let need = |n: usize| -> Result<(), ConfError> {
            if args.len() < n {
                Err(self.syntax(
                    line,
                    format!(
                        "{name} takes {} argument{}",
                        if n == 1 { "one" } else { "two" },
                        if n == 1 { "" } else { "s" }
                    ),
                ))
            } else {
                Ok(())
            }
        };
        match name {
            "ServerRoot" => {
                need(1)?;
                self.c.server_root = args[0].trim_end_matches('/').to_string();
            }
            "Listen" => {
                need(1)?;
                let a = &args[0];
                let addr = if a.bytes().all(|b| b.is_ascii_digit()) { format!("0.0.0.0:{a}") } else { a.replace('*', "0.0.0.0") };
                match addr.parse::<SocketAddr>() {
                    Ok(sa) => self.c.listens.push(sa),
                    Err(_) if a.starts_with('[') => {}
                    Err(_) => return Err(self.syntax(line, "Invalid address or port")),
                }
            }
            "LoadModule" => {
                need(2)?;
                if !MODULES.contains(&args[0].as_str()) {
                    return Err(self.syntax(line, format!("Cannot load {} into server: {}: cannot open shared object file: No such file or directory", args[1], self.path(&args[1]))));
                }
                self.loaded.push(args[0].clone());
            }
            "ServerName" => {
                need(1)?;
                match scope {
                    Scope::Host(_) => self.host(scope).names.push(args[0].to_ascii_lowercase()),
                    _ => self.c.server_name = Some(args[0].clone()),
                }
            }
            "DocumentRoot" => {
                need(1)?;
                let root = self.path(args[0].trim_end_matches('/'));
                if std::fs::metadata(&root).map(|m| !m.is_dir()).unwrap_or(true) {
                    self.c.warnings.push(format!("AH00112: Warning: DocumentRoot [{root}] does not exist"));
                }
                self.host(scope).document_root = root;
            }
            "DirectoryIndex" => self.c.directory_index = args.to_vec(),
            "ErrorLog" => {
                need(1)?;
                let p = self.path(&args[0]);
                self.host(scope).error_log = p;
            }
            "CustomLog" | "TransferLog" => {
                need(1)?;
                let format = args.get(1).cloned().unwrap_or_else(|| "common".into());
                let p = self.path(&args[0]);
                self.host(scope).custom_logs.push((p, format));
            }
            "LogFormat" => {
                need(1)?;
                let nick = args.get(1).cloned().unwrap_or_else(|| "common".into());
                self.c.formats.insert(nick, args[0].clone());
            }
            "TypesConfig" => {
                need(1)?;
                let text = std::fs::read_to_string(self.path(&args[0])).unwrap_or_default();
                for l in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
                    let mut it = l.split_whitespace();
                    if let Some(ty) = it.next() {
                        for ext in it {
                            self.c.types.insert(ext.to_ascii_lowercase(), ty.to_string());
                        }
                    }
                }
            }
            "AddType" => {
                need(2)?;
                for ext in &args[1..] {
                    self.c.types.insert(ext.trim_start_matches('.').to_ascii_lowercase(), args[0].clone());
                }
            }
            "Options" => {
                // Plain options replace the set; `+X`/`-X` change it.
                if let Scope::Dir(i) = scope {
                    let d = &mut self.c.dirs[*i];
                    if args.iter().all(|o| o.starts_with('+') || o.starts_with('-')) {
                        for o in args {
                            match o.as_str() {
                                "+Indexes" => d.indexes = Some(true),
                                "-Indexes" => d.indexes = Some(false),
                                _ => {}
                            }
                        }
                    } else {
                        d.indexes = Some(args.iter().any(|o| o == "Indexes" || o == "All"));
                    }
                }
            }
            "Require" => {
                need(1)?;
                let granted = match (args[0].as_str(), args.get(1).map(String::as_str)) {
                    ("all", Some("granted")) => true,
                    ("all", Some("denied")) => false,
                    _ => true,
                };
                match scope {
                    Scope::Dir(i) => self.c.dirs[*i].granted = Some(granted),
                    Scope::Files(pattern) if !granted => self.c.denied_files.push(pattern.clone()),
                    _ => {}
                }
            }
            "Alias" => {
                need(2)?;
                let p = self.path(&args[1]);
                self.host(scope).aliases.push((args[0].clone(), p));
            }
            "ErrorDocument" => {
                need(2)?;
                let code = args[0].parse::<u16>().map_err(|_| self.syntax(line, "Unsupported HTTP response code"))?;
                self.host(scope).error_documents.insert(code, args[1..].join(" "));
            }
            "PidFile" => {
                need(1)?;
                self.c.pid_file = args[0].clone();
            }
            "KeepAlive" => self.c.keepalive = args.first().is_some_and(|v| v.eq_ignore_ascii_case("on")),
            "KeepAliveTimeout" => {
                need(1)?;
                let secs = args[0].parse::<u64>().map_err(|_| self.syntax(line, "KeepAliveTimeout takes one argument"))?;
                self.c.keepalive_timeout = Duration::from_secs(secs);
            }
            "Include" | "IncludeOptional" => {
                need(1)?;
                let pattern = self.path(&args[0]);
                let (dir, pat) = pattern.rsplit_once('/').unwrap_or(("", &pattern));
                let files: Vec<String> = if pat.contains('*') {
                    let mut names: Vec<String> = std::fs::read_dir(dir)
                        .map(|r| r.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
                        .unwrap_or_default();
                    names.retain(|n| glob(pat, n));
                    names.sort();
                    names.into_iter().map(|n| format!("{dir}/{n}")).collect()
                } else {
                    vec![pattern.clone()]
                };
                if files.is_empty() && name == "Include" {
                    return Err(self.syntax(line, format!("No matches for the wildcard '{pat}' in '{dir}', failing")));
                }
                self.depth += 1;
                for f in files {
                    let text = std::fs::read_to_string(&f).map_err(|_| self.syntax(line, format!("Could not open configuration file {f}: No such file or directory")))?;
                    if self.depth > 16 {
                        return Err(self.syntax(line, "Exceeded the maximum include directory nesting level of 128"));
                    }
                    self.file(&f, &text)?;
                }
                self.depth -= 1;
            }
            n if ACCEPTED.contains(&n) => {}
            n => {
                return Err(self.syntax(line, format!("Invalid command '{n}', perhaps misspelled or defined by a module not included in the server configuration")))
            }
        }
        Ok(())
    }
}
