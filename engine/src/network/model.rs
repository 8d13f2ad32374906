//! The daemon's networks, as `docker network ls` lists them. Three exist from the start, as on
//! every Docker host: `bridge` (the default bridge, `docker0`, 172.17.0.0/16, no name
//! resolution), `host` (the host's own network stack) and `none` (loopback only). Users add
//! bridges of their own (`docker network create`), which get the embedded DNS server. A network
//! is found as Docker finds it: full ID, exact name, then unique ID prefix.

use super::error::NetworkError;
use super::ipam::{Pool, Subnet};
use crate::ids::ContainerId;
use crate::platform::Entropy;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The driver option that names a bridge's host interface.
pub const BRIDGE_NAME_OPTION: &str = "com.docker.network.bridge.name";

/// A network ID: 64 random hex characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NetworkId(String);

impl NetworkId {
    pub fn random(entropy: &mut dyn Entropy) -> Self {
        Self(random_hex(entropy))
    }
    /// An ID computed from `seed` (sha256), for objects made without the daemon's entropy.
    pub fn derived(seed: &str) -> Self {
        Self(crate::ids::Digest::of(seed.as_bytes()).hex().to_string())
    }
    /// The ID a segment of the stack carries (a network's full ID).
    pub(crate) fn from_raw(id: &str) -> Self {
        Self(id.to_string())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The 12-character form `docker network ls` shows.
    pub fn short(&self) -> &str {
        &self.0[..12.min(self.0.len())]
    }
}

impl std::fmt::Display for NetworkId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// 64 random hex characters (network and endpoint IDs).
pub fn random_hex(entropy: &mut dyn Entropy) -> String {
    let mut bytes = [0u8; 32];
    entropy.fill(&mut bytes);
    hex::encode(bytes)
}

/// How a network is implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// A virtual switch with the host on it (`docker0`, `br-<id>`).
    Bridge,
    /// The host's own network namespace.
    Host,
    /// No network: loopback only (the `none` network's driver is called `null`).
    Null,
}

impl Driver {
    pub fn name(self) -> &'static str {
        match self {
            Driver::Bridge => "bridge",
            Driver::Host => "host",
            Driver::Null => "null",
        }
    }
}

/// A container's attachment to a network while it runs: its interface there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// 64 hex characters.
    pub id: String,
    pub container: ContainerId,
    /// The container's name when it joined (`docker network inspect` shows it).
    pub name: String,
    pub ip: Ipv4Addr,
    pub mac: [u8; 6],
}

/// The addresses of a bridge network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkIpam {
    pub pool: Pool,
    pub gateway: Ipv4Addr,
    /// The subnet was given by the user (`--subnet`): inspect then shows the configuration as
    /// given (without a gateway unless one was given too).
    pub user_subnet: bool,
    pub user_gateway: bool,
}

/// A network.
#[derive(Debug, Clone)]
pub struct Network {
    pub id: NetworkId,
    pub name: String,
    pub driver: Driver,
    pub created_ms: u64,
    /// `bridge`, `host`, `none`: they cannot be removed.
    pub predefined: bool,
    pub internal: bool,
    pub attachable: bool,
    /// Bridge networks only.
    pub ipam: Option<NetworkIpam>,
    /// The host's interface on a bridge network (`docker0`, `br-0123456789ab`).
    pub bridge_name: Option<String>,
    /// Driver options (`-o`), as inspect shows them.
    pub options: BTreeMap<String, String>,
    /// `--ipam-opt`; `None` shows as `null` (the predefined networks).
    pub ipam_options: Option<BTreeMap<String, String>>,
    pub labels: BTreeMap<String, String>,
    /// The running containers on it, in the order they joined.
    pub endpoints: Vec<Endpoint>,
}

impl Network {
    /// A user-defined network: a bridge that is not the default one. Only these have the
    /// embedded DNS server, network-scoped aliases and `--ip`.
    pub fn is_user_defined(&self) -> bool {
        !self.predefined
    }

    pub fn endpoint(&self, container: &ContainerId) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| &e.container == container)
    }

    pub fn subnet(&self) -> Option<Subnet> {
        self.ipam.as_ref().map(|i| i.pool.subnet)
    }
}

/// Names that are not free for user networks.
pub fn is_predefined_name(name: &str) -> bool {
    matches!(name, "bridge" | "host" | "none" | "default")
}

/// All networks, in creation order, with the daemon-wide bookkeeping they share.
#[derive(Debug, Default)]
pub struct NetworkStore {
    list: Vec<Network>,
    /// The subnets in use.
    pub(crate) space: super::ipam::AddressSpace,
    /// The last host port picked for `-p PORT` and `-P`, per protocol (Docker goes on from
    /// there rather than reusing a port just freed).
    pub(crate) last_port: BTreeMap<super::ports::PortProto, u16>,
    /// Counts endpoints ever created, so each gets its own ID.
    pub(crate) endpoint_seq: u64,
}

impl NetworkStore {
    pub fn add(&mut self, n: Network) {
        self.list.push(n);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Network> {
        self.list.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Network> {
        self.list.iter_mut()
    }

    /// Finds a network as Docker does: full ID, exact name, then unique ID prefix.
    pub fn find(&self, key: &str) -> Result<&Network, NetworkError> {
        let i = self.index_of(key)?;
        self.list.get(i).ok_or_else(|| NetworkError::NotFound(key.to_string()))
    }

    pub fn find_mut(&mut self, key: &str) -> Result<&mut Network, NetworkError> {
        let i = self.index_of(key)?;
        self.list.get_mut(i).ok_or_else(|| NetworkError::NotFound(key.to_string()))
    }

    pub fn by_id(&self, id: &NetworkId) -> Option<&Network> {
        self.list.iter().find(|n| &n.id == id)
    }

    pub fn by_id_mut(&mut self, id: &NetworkId) -> Option<&mut Network> {
        self.list.iter_mut().find(|n| &n.id == id)
    }

    pub fn by_name(&self, name: &str) -> Option<&Network> {
        self.list.iter().find(|n| n.name == name)
    }

    fn index_of(&self, key: &str) -> Result<usize, NetworkError> {
        if key.is_empty() {
            return Err(NetworkError::NotFound(key.to_string()));
        }
        if let Some(i) = self.list.iter().position(|n| n.id.as_str() == key || n.name == key) {
            return Ok(i);
        }
        let hits: Vec<usize> = (0..self.list.len()).filter(|&i| self.list[i].id.as_str().starts_with(key)).collect();
        match hits.as_slice() {
            [i] => Ok(*i),
            [] => Err(NetworkError::NotFound(key.to_string())),
            _ => Err(NetworkError::Ambiguous(key.to_string(), hits.len(), "ID prefix")),
        }
    }

    pub fn remove(&mut self, id: &NetworkId) -> Option<Network> {
        let i = self.list.iter().position(|n| &n.id == id)?;
        Some(self.list.remove(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(id: &str, name: &str) -> Network {
        Network {
            id: NetworkId(id.to_string()),
            name: name.to_string(),
            driver: Driver::Bridge,
            created_ms: 0,
            predefined: false,
            internal: false,
            attachable: false,
            ipam: None,
            bridge_name: None,
            options: BTreeMap::new(),
            ipam_options: None,
            labels: BTreeMap::new(),
            endpoints: Vec::new(),
        }
    }

    #[test]
    fn networks_are_found_by_id_name_then_prefix() {
        let mut store = NetworkStore::default();
        store.add(network("abc123", "front"));
        store.add(network("abd456", "abc"));
        assert_eq!(store.find("abc123").unwrap().name, "front");
        // An exact name wins over an ID prefix.
        assert_eq!(store.find("abc").unwrap().name, "abc");
        assert_eq!(store.find("abd").unwrap().name, "abc");
        assert_eq!(store.find("ab").unwrap_err(), NetworkError::Ambiguous("ab".into(), 2, "ID prefix"));
        assert_eq!(store.find("zzz").unwrap_err().to_string(), "network zzz not found");
    }
}
