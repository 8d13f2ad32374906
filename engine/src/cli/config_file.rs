//! The client's configuration file, `~/.docker/config.json` on the host: where `docker login`
//! keeps credentials, as the real client does without a credential helper. Each registry has
//! an entry under `auths` (`https://index.docker.io/v1/` for Docker Hub, `host:port` for
//! others) whose `auth` is `base64(user:password)`; the file is JSON indented with tabs, and
//! what else it holds is kept as it is.

use crate::daemon::Daemon;
use crate::image::{Credentials, INDEX_SERVER};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{Map, Value};

/// `~/.docker/config.json`.
pub fn path() -> String {
    format!("{}/.docker/config.json", crate::host::HOME)
}

/// The `auths` key for a registry domain: Docker Hub's index address, or the host itself.
pub fn key_for(domain: &str) -> String {
    if domain == "docker.io" || domain == "index.docker.io" {
        INDEX_SERVER.to_string()
    } else {
        domain.to_string()
    }
}

/// The file's content; empty when it is missing or unreadable (as the client starts afresh).
fn read(daemon: &Daemon) -> Map<String, Value> {
    let bytes = daemon.host_fs.read_file(&path()).unwrap_or_default();
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Writes the file as Go's `json.MarshalIndent(config, "", "\t")` does.
fn write(daemon: &Daemon, mut config: Map<String, Value>) -> Result<(), String> {
    config.entry("auths").or_insert_with(|| Value::Object(Map::new()));
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(&Value::Object(config), &mut ser).map_err(|e| e.to_string())?;
    let dir = path().rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
    daemon.host_fs.mkdir_p(&dir, 0o700).map_err(|e| e.to_string())?;
    daemon.host_fs.write_file(&path(), out, 0o600).map_err(|e| e.to_string())?;
    crate::host::give_to_learner(&daemon.host_fs, &dir);
    Ok(())
}

/// The credentials stored for `key`, if any (and decodable).
pub fn credentials(daemon: &Daemon, key: &str) -> Option<Credentials> {
    let config = read(daemon);
    let auth = config.get("auths")?.get(key)?.get("auth")?.as_str()?;
    let decoded = String::from_utf8(STANDARD.decode(auth).ok()?).ok()?;
    let (username, password) = decoded.split_once(':')?;
    Some(Credentials { username: username.to_string(), password: password.to_string() })
}

/// Stores credentials for `key`. Returns false when they were already there (the file is left
/// alone, and the client prints no warning).
pub fn store(daemon: &Daemon, key: &str, creds: &Credentials) -> Result<bool, String> {
    if credentials(daemon, key).as_ref() == Some(creds) {
        return Ok(false);
    }
    let mut config = read(daemon);
    let auth = STANDARD.encode(format!("{}:{}", creds.username, creds.password));
    let auths = config.entry("auths").or_insert_with(|| Value::Object(Map::new()));
    if !auths.is_object() {
        *auths = Value::Object(Map::new());
    }
    if let Some(map) = auths.as_object_mut() {
        map.insert(key.to_string(), serde_json::json!({ "auth": auth }));
    }
    write(daemon, config)?;
    Ok(true)
}

/// Removes the credentials of `key`. The file is written in any case (the client saves it,
/// creating it with an empty `auths` if there was none).
pub fn erase(daemon: &Daemon, key: &str) -> Result<(), String> {
    let mut config = read(daemon);
    if let Some(map) = config.get_mut("auths").and_then(Value::as_object_mut) {
        map.shift_remove(key);
    }
    write(daemon, config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::{ManualClock, MemoryBlobSource, Platform};

    #[test]
    fn credentials_round_trip_through_the_file_as_docker_writes_it() {
        let platform = Platform::for_tests(ManualClock::new(0), 1, Box::new(MemoryBlobSource::default()));
        let daemon = Daemon::new(platform);
        let creds = Credentials { username: "moi".into(), password: "secret".into() };
        assert_eq!(credentials(&daemon, INDEX_SERVER), None);
        assert_eq!(store(&daemon, INDEX_SERVER, &creds), Ok(true));
        assert_eq!(store(&daemon, INDEX_SERVER, &creds), Ok(false));
        let text = String::from_utf8(daemon.host_fs.read_file(&path()).unwrap()).unwrap();
        assert_eq!(text, "{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {\n\t\t\t\"auth\": \"bW9pOnNlY3JldA==\"\n\t\t}\n\t}\n}");
        assert_eq!(credentials(&daemon, INDEX_SERVER), Some(creds));
        erase(&daemon, INDEX_SERVER).unwrap();
        assert_eq!(String::from_utf8(daemon.host_fs.read_file(&path()).unwrap()).unwrap(), "{\n\t\"auths\": {}\n}");
        assert_eq!(key_for("docker.io"), INDEX_SERVER);
        assert_eq!(key_for("registre.local:5000"), "registre.local:5000");
    }
}
