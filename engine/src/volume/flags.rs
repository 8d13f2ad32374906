//! How the client reads the mount flags of `docker run`/`docker create` before sending them to
//! the daemon, with the Docker client's own messages:
//! - `-v SRC:DST[:MODE]` goes to `HostConfig.Binds`, a lone `-v /path` to `Config.Volumes` (an
//!   anonymous volume); a host path starting with `.` is made absolute (Docker 23+);
//! - `--mount type=...,source=...,target=...` (comma-separated `key=value` fields, quoted as CSV)
//!   becomes a [`MountSpec`];
//! - `--tmpfs /path[:options]` and `--volumes-from container[:ro|rw]` are passed as written.

use super::spec::{MountSpec, MountType, VolumeOptions};
use super::VolumeError;
use crate::container::parse_size;

/// Why a `--mount` is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountFlagError {
    /// By the client: `invalid argument "..." for "--mount" flag: <text>`.
    Invalid(String),
    /// By the daemon (the client passes it on).
    Daemon(VolumeError),
}

impl From<String> for MountFlagError {
    fn from(s: String) -> Self {
        MountFlagError::Invalid(s)
    }
}

impl From<&str> for MountFlagError {
    fn from(s: &str) -> Self {
        MountFlagError::Invalid(s.to_string())
    }
}

/// Where one `-v` goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeFlag {
    /// A named volume or a host path mounted somewhere: an entry of `HostConfig.Binds`.
    Bind(String),
    /// Just a path in the container: a new anonymous volume there (`Config.Volumes`).
    Anonymous(String),
}

/// Reads one `-v`; `cwd` is the client's directory (for `./site:/srv`).
pub fn parse_volume_flag(spec: &str, cwd: &str) -> Result<VolumeFlag, String> {
    if spec.is_empty() {
        return Err("invalid empty volume spec".into());
    }
    if spec.chars().count() <= 2 {
        return Ok(VolumeFlag::Anonymous(spec.to_string()));
    }
    let fields: Vec<&str> = spec.split(':').collect();
    if fields.iter().any(|f| f.is_empty()) {
        return Err(format!("invalid spec: {spec}: empty section between colons"));
    }
    if fields.len() > 3 {
        return Err(format!("invalid spec: {spec}: too many colons"));
    }
    let Some((host, rest)) = spec.split_once(':') else {
        return Ok(VolumeFlag::Anonymous(spec.to_string()));
    };
    // A source that looks like a path is a bind mount; a relative one is taken from here.
    if host.starts_with('.') {
        return Ok(VolumeFlag::Bind(format!("{}:{rest}", absolute(cwd, host))));
    }
    Ok(VolumeFlag::Bind(spec.to_string()))
}

/// `cwd` joined with relative `path`, cleaned (`filepath.Abs`).
fn absolute(cwd: &str, path: &str) -> String {
    super::spec::clean(&format!("{}/{path}", cwd.trim_end_matches('/')))
}

/// Splits a CSV record (`encoding/csv`): commas separate fields, double quotes protect them.
fn csv_fields(value: &str) -> Result<Vec<String>, String> {
    let mut fields = vec![String::new()];
    let mut chars = value.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        let field = fields.last_mut().ok_or("empty record")?;
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if at_start => quoted = true,
            '"' => return Err("parse error on line 1, column 1: bare \" in non-quoted-field".into()),
            ',' if !quoted => {
                fields.push(String::new());
                at_start = true;
                continue;
            }
            c => field.push(c),
        }
        at_start = false;
    }
    if quoted {
        return Err("parse error on line 1, column 1: extraneous or missing \" in quoted-field".into());
    }
    Ok(fields)
}

fn parse_bool(key: &str, v: &str) -> Result<bool, String> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(format!("invalid value for {key}: {v}")),
    }
}

/// Sets `key=value` in a map (a bare `key` sets it empty).
fn set_pair(map: &mut std::collections::BTreeMap<String, String>, value: &str) {
    let (k, v) = value.split_once('=').unwrap_or((value, ""));
    if !k.is_empty() {
        map.insert(k.to_string(), v.to_string());
    }
}

/// The volume options of `spec`, made if it has none yet.
fn volume(spec: &mut MountSpec) -> &mut VolumeOptions {
    spec.volume.get_or_insert_with(VolumeOptions::default)
}

/// Reads one `--mount`; `cwd` is the client's directory (for `source=./site`).
pub fn parse_mount_flag(value: &str, cwd: &str) -> Result<MountSpec, MountFlagError> {
    let mut spec = MountSpec::default();
    let mut kind = "volume".to_string();
    let (mut has_bind, mut has_tmpfs) = (false, false);
    let mut bind_recursive_readonly = false;
    for field in csv_fields(value)? {
        let Some((key, val)) = field.split_once('=') else {
            match field.to_ascii_lowercase().as_str() {
                "readonly" | "ro" => spec.read_only = true,
                "volume-nocopy" => spec.volume.get_or_insert_with(VolumeOptions::default).no_copy = true,
                "bind-nonrecursive" => has_bind = true,
                _ => return Err(format!("invalid field '{field}' must be a key=value pair").into()),
            }
            continue;
        };
        let key = key.to_ascii_lowercase();
        match key.as_str() {
            "type" => kind = val.to_ascii_lowercase(),
            "source" | "src" => {
                spec.source =
                    if val.starts_with('.') && !val.starts_with('/') { absolute(cwd, val) } else { val.to_string() }
            }
            "target" | "dst" | "destination" => spec.target = val.to_string(),
            "readonly" | "ro" => spec.read_only = parse_bool(&key, val)?,
            "consistency" => {}
            "bind-propagation" => {
                has_bind = true;
                spec.propagation = Some(val.to_ascii_lowercase());
            }
            "bind-nonrecursive" => {
                has_bind = true;
                parse_bool(&key, val)?;
            }
            "bind-recursive" => {
                has_bind = true;
                match val {
                    "enabled" | "disabled" | "writable" => {}
                    "readonly" => bind_recursive_readonly = true,
                    _ => {
                        return Err(format!(
                            "invalid value for {key}: {val} (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")"
                        )
                        .into())
                    }
                }
                if val == "writable" && !spec.read_only {
                    return Err(
                        "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction".into()
                    );
                }
            }
            "volume-subpath" => volume(&mut spec).subpath = Some(val.to_string()),
            "volume-nocopy" => {
                let no_copy = parse_bool("volume-nocopy", val)?;
                volume(&mut spec).no_copy = no_copy;
            }
            "volume-label" => set_pair(&mut volume(&mut spec).labels, val),
            "volume-driver" => volume(&mut spec).driver = Some(val.to_string()),
            "volume-opt" => set_pair(&mut volume(&mut spec).options, val),
            "tmpfs-size" => {
                has_tmpfs = true;
                spec.tmpfs_size = Some(parse_size(val).ok_or_else(|| format!("invalid value for {key}: {val}"))?);
            }
            "tmpfs-mode" => {
                has_tmpfs = true;
                let mode = u32::from_str_radix(val, 8).map_err(|_| format!("invalid value for {key}: {val}"))?;
                spec.tmpfs_mode = Some(mode);
            }
            _ => return Err(format!("unexpected key '{key}' in '{field}'").into()),
        }
    }
    if kind.is_empty() {
        return Err("type is required".into());
    }
    if spec.target.is_empty() {
        return Err("target is required".into());
    }
    let mixed =
        |family: &str| MountFlagError::Invalid(format!("cannot mix '{family}-*' options with mount type '{kind}'"));
    spec.kind = match MountType::parse(&kind) {
        Some(k) => k,
        // The client only checks the option families; the daemon refuses the type.
        None if spec.volume.is_some() => return Err(mixed("volume")),
        None if has_bind => return Err(mixed("bind")),
        None if has_tmpfs => return Err(mixed("tmpfs")),
        None => {
            let detail = "mount type unknown".to_string();
            return Err(MountFlagError::Daemon(VolumeError::MountConfig { kind, detail }));
        }
    };
    if spec.volume.is_some() && spec.kind != MountType::Volume {
        return Err(mixed("volume"));
    }
    if has_bind && spec.kind != MountType::Bind {
        return Err(mixed("bind"));
    }
    if has_tmpfs && spec.kind != MountType::Tmpfs {
        return Err(mixed("tmpfs"));
    }
    if bind_recursive_readonly && !spec.read_only {
        return Err("option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction".into());
    }
    Ok(spec)
}

/// Splits one `--tmpfs` into its path and options (`/run:size=64m` -> `/run`, `size=64m`).
pub fn parse_tmpfs_flag(value: &str) -> (String, String) {
    match value.split_once(':') {
        Some((path, options)) => (path.to_string(), options.to_string()),
        None => (value.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_v_sorts_binds_from_anonymous_volumes() {
        let cwd = "/home/eleve/projet";
        assert_eq!(parse_volume_flag("/data", cwd), Ok(VolumeFlag::Anonymous("/data".into())));
        assert_eq!(parse_volume_flag("db:/var/lib/db", cwd), Ok(VolumeFlag::Bind("db:/var/lib/db".into())));
        assert_eq!(
            parse_volume_flag("./site:/srv:ro", cwd),
            Ok(VolumeFlag::Bind("/home/eleve/projet/site:/srv:ro".into()))
        );
        assert_eq!(parse_volume_flag(".:/src", cwd), Ok(VolumeFlag::Bind("/home/eleve/projet:/src".into())));
        assert_eq!(parse_volume_flag("", cwd), Err("invalid empty volume spec".into()));
        assert_eq!(parse_volume_flag("a::b", cwd), Err("invalid spec: a::b: empty section between colons".into()));
        assert_eq!(parse_volume_flag("a:b:c:d", cwd), Err("invalid spec: a:b:c:d: too many colons".into()));
    }

    #[test]
    fn dash_dash_mount_reads_csv_fields_like_the_client() {
        let cwd = "/home/eleve";
        let m = parse_mount_flag("type=bind,source=./site,target=/usr/share/nginx/html,readonly", cwd).unwrap();
        assert_eq!(
            (m.kind, m.source.as_str(), m.target.as_str(), m.read_only),
            (MountType::Bind, "/home/eleve/site", "/usr/share/nginx/html", true)
        );
        let m = parse_mount_flag("source=data,target=/data,volume-label=a=1,volume-nocopy", cwd).unwrap();
        assert_eq!(m.kind, MountType::Volume);
        let v = m.volume.unwrap();
        assert!(v.no_copy && v.labels.get("a").map(String::as_str) == Some("1"));
        let m = parse_mount_flag("type=tmpfs,destination=/run,tmpfs-size=64m,tmpfs-mode=1770", cwd).unwrap();
        assert_eq!((m.tmpfs_size, m.tmpfs_mode), (Some(64 << 20), Some(0o1770)));
        assert_eq!(parse_mount_flag("\"src=/a,b\",dst=/x", cwd).unwrap().source, "/a,b");
        let err = |v: &str| match parse_mount_flag(v, cwd) {
            Err(MountFlagError::Invalid(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(err("type=bind"), "target is required");
        assert_eq!(err("type=bind,target=/x,foo=1"), "unexpected key 'foo' in 'foo=1'");
        assert_eq!(err("target=/x,nope"), "invalid field 'nope' must be a key=value pair");
        assert_eq!(err("type=bind,target=/x,tmpfs-size=1m"), "cannot mix 'tmpfs-*' options with mount type 'bind'");
        assert!(matches!(parse_mount_flag("type=nfs,target=/x", cwd), Err(MountFlagError::Daemon(_))));
        assert_eq!(parse_tmpfs_flag("/run:size=64m"), ("/run".into(), "size=64m".into()));
    }
}
