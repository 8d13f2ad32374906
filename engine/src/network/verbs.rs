//! The daemon's network verbs: the three predefined networks at boot, then `docker network
//! create`, `rm` and `prune`. A bridge network becomes a segment of the packet-level stack (its
//! switch, with the host's bridge interface on it); removing the network removes the segment.

use super::error::NetworkError;
use super::ipam::{IpamError, Pool, Subnet};
use super::model::{is_predefined_name, Driver, Network, NetworkId, NetworkIpam, BRIDGE_NAME_OPTION};
use super::stack::{Segment, SegmentId};
use crate::Daemon;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// What `docker network create` asks for (after the client's checks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkCreate {
    pub name: String,
    /// `bridge` when empty.
    pub driver: String,
    /// `--subnet`, `--ip-range`, `--gateway`, as typed (one IPv4 configuration).
    pub subnet: Option<String>,
    pub ip_range: Option<String>,
    pub gateway: Option<String>,
    pub internal: bool,
    pub attachable: bool,
    pub ipv6: bool,
    pub options: BTreeMap<String, String>,
    pub ipam_options: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
}

/// The default bridge's options, as `docker network inspect bridge` shows them.
fn default_bridge_options() -> BTreeMap<String, String> {
    [
        ("com.docker.network.bridge.default_bridge", "true"),
        ("com.docker.network.bridge.enable_icc", "true"),
        ("com.docker.network.bridge.enable_ip_masquerade", "true"),
        ("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0"),
        (BRIDGE_NAME_OPTION, "docker0"),
        ("com.docker.network.driver.mtu", "1500"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// A checked `--subnet`, with its `--ip-range` and `--gateway`.
type IpamRequest = (Subnet, Option<Subnet>, Option<Ipv4Addr>);

/// Checks the IPAM configuration as the daemon does (`ValidateIPAM`); the messages are its.
fn validate_ipam(req: &NetworkCreate) -> Result<Option<IpamRequest>, NetworkError> {
    let Some(raw) = &req.subnet else { return Ok(None) };
    let invalid = |lines: Vec<String>| {
        let text = if lines.len() == 1 {
            lines.concat()
        } else {
            lines.iter().map(|l| format!("* {l}")).collect::<Vec<_>>().join("\n")
        };
        NetworkError::InvalidConfig(text)
    };
    let Some(subnet) = Subnet::parse(raw) else {
        if raw.contains(':') && raw.contains('/') {
            return Err(NetworkError::Other(
                "the playground's networks are IPv4 only: use an IPv4 subnet (e.g. 192.168.1.0/24)".into(),
            ));
        }
        return Err(invalid(vec![format!("invalid subnet {raw}: invalid CIDR block notation")]));
    };
    let mut errors = Vec::new();
    if subnet != subnet.masked() {
        errors.push(format!("invalid subnet {subnet}: it should be {}", subnet.masked()));
    }
    let mut range = None;
    if let Some(r) = &req.ip_range {
        match Subnet::parse(r) {
            None => errors.push(format!("invalid ip-range {r}: invalid CIDR block notation")),
            Some(p) => {
                if p.prefix < subnet.prefix {
                    errors.push(format!("invalid ip-range {r}: CIDR block is bigger than its parent subnet {subnet}"));
                }
                if p != p.masked() {
                    errors.push(format!("invalid ip-range {p}: it should be {}", p.masked()));
                }
                if !subnet.overlaps(&p) {
                    errors.push(format!("invalid ip-range {r}: parent subnet {subnet} doesn't contain ip-range"));
                }
                range = Some(p);
            }
        }
    }
    let mut gateway = None;
    if let Some(g) = &req.gateway {
        match g.parse::<Ipv4Addr>() {
            Err(_) => errors.push(format!("invalid gateway {g}: invalid address")),
            Ok(ip) if !subnet.contains(ip) => {
                errors.push(format!("invalid gateway {g}: parent subnet {subnet} doesn't contain this address"))
            }
            Ok(ip) => gateway = Some(ip),
        }
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    Ok(Some((subnet, range, gateway)))
}

impl Daemon {
    /// A network ID that does not consume the daemon's entropy (the predefined networks are
    /// made at boot, before anything the learner does).
    fn boot_network_id(&self, name: &str) -> NetworkId {
        let seed = format!("{name}/{}", self.now_ms());
        NetworkId::derived(&seed)
    }

    /// Creates `bridge`, `host` and `none`, as the daemon does at start.
    pub(crate) fn init_networks(&mut self) {
        self.kernel.net_mut().set_internet(super::internet::describe());
        let now = self.now_ms();
        let bridge_subnet = self.networks.space.claim_predefined().unwrap_or(Subnet::new([172, 17, 0, 0].into(), 16));
        let mut pool = Pool::new(bridge_subnet, None);
        let gateway = pool.allocate().unwrap_or(Ipv4Addr::new(172, 17, 0, 1));
        let base = |name: &str, driver, id| Network {
            id,
            name: name.to_string(),
            driver,
            created_ms: now,
            predefined: true,
            internal: false,
            attachable: false,
            ipam: None,
            bridge_name: None,
            options: BTreeMap::new(),
            ipam_options: None,
            labels: BTreeMap::new(),
            endpoints: Vec::new(),
        };
        let mut bridge = base("bridge", Driver::Bridge, self.boot_network_id("bridge"));
        bridge.ipam = Some(NetworkIpam { pool, gateway, user_subnet: false, user_gateway: false });
        bridge.bridge_name = Some("docker0".into());
        bridge.options = default_bridge_options();
        self.push_segment(&bridge);
        self.networks.add(bridge);
        let host = base("host", Driver::Host, self.boot_network_id("host"));
        self.networks.add(host);
        let none = base("none", Driver::Null, self.boot_network_id("none"));
        self.networks.add(none);
    }

    /// Tells the stack about a bridge network's switch.
    fn push_segment(&mut self, n: &Network) {
        let (Some(ipam), Some(bridge)) = (&n.ipam, &n.bridge_name) else { return };
        self.kernel.net_mut().set_segment(Segment {
            id: SegmentId(n.id.to_string()),
            bridge_name: bridge.clone(),
            subnet: ipam.pool.subnet.addr,
            prefix_len: ipam.pool.subnet.prefix,
            gateway: ipam.gateway,
            internal: n.internal,
        });
    }

    /// `docker network create`. Returns the new network's ID.
    pub fn create_network(&mut self, req: NetworkCreate) -> Result<NetworkId, NetworkError> {
        if is_predefined_name(&req.name) {
            return Err(NetworkError::PredefinedCreate(req.name));
        }
        let driver = if req.driver.is_empty() { "bridge" } else { req.driver.as_str() };
        if driver == "overlay" {
            return Err(NetworkError::NotSwarmManager);
        }
        let ipam = validate_ipam(&req)?;
        if req.ipv6 {
            return Err(NetworkError::Other("the playground's networks are IPv4 only: leave out --ipv6".into()));
        }
        if req.name.trim().is_empty() {
            return Err(NetworkError::Other("invalid name: name is empty".into()));
        }
        if self.networks.by_name(&req.name).is_some() {
            return Err(NetworkError::NameExists(req.name));
        }
        match driver {
            "bridge" => {}
            "host" | "null" => return Err(NetworkError::OneInstance(driver.to_string())),
            "macvlan" | "ipvlan" => return Err(NetworkError::DriverUnsupported(driver.to_string())),
            other => return Err(NetworkError::NoDriver(other.to_string())),
        }
        let id = NetworkId::random(&mut *self.entropy.borrow_mut());
        let bridge_name = req.options.get(BRIDGE_NAME_OPTION).cloned().unwrap_or_else(|| format!("br-{}", id.short()));
        if let Some(other) = self.networks.iter().find(|n| n.bridge_name.as_deref() == Some(bridge_name.as_str())) {
            return Err(NetworkError::BridgeNameTaken {
                new_id: id.to_string(),
                old_id: other.id.to_string(),
                bridge: bridge_name,
            });
        }
        let space = &mut self.networks.space;
        let (subnet, range, wanted_gw, user_subnet) = match ipam {
            Some((subnet, range, gw)) => {
                space.claim(subnet).map_err(NetworkError::Pool)?;
                (subnet.masked(), range, gw, true)
            }
            None => (space.claim_predefined().map_err(|e| NetworkError::Other(e.to_string()))?, None, None, false),
        };
        let mut pool = Pool::new(subnet, range);
        let gateway = match wanted_gw {
            Some(gw) => pool.reserve(gw).map(|_| gw),
            None => pool.allocate(),
        };
        let gateway = match gateway {
            Ok(gw) => gw,
            Err(e) => {
                self.networks.space.release(subnet);
                let shown = wanted_gw.map(|g| g.to_string()).unwrap_or_default();
                return Err(NetworkError::Gateway(shown, e));
            }
        };
        let network = Network {
            id: id.clone(),
            name: req.name,
            driver: Driver::Bridge,
            created_ms: self.now_ms(),
            predefined: false,
            internal: req.internal,
            attachable: req.attachable,
            ipam: Some(NetworkIpam { pool, gateway, user_subnet, user_gateway: wanted_gw.is_some() }),
            bridge_name: Some(bridge_name),
            options: req.options,
            ipam_options: Some(req.ipam_options),
            labels: req.labels,
            endpoints: Vec::new(),
        };
        self.push_segment(&network);
        self.networks.add(network);
        Ok(id)
    }

    /// Puts back a network saved in a snapshot (see [`crate::persist`]): a predefined one takes
    /// the place of the one made at boot (its ID and creation time come back), a user-defined one
    /// claims its subnet again. Its switch is set up in the stack either way.
    pub(crate) fn restore_network(&mut self, n: Network) -> Result<(), NetworkError> {
        let boot = self.networks.iter().find(|o| o.predefined && n.predefined && o.name == n.name);
        match boot.map(|o| (o.id.clone(), o.subnet())) {
            Some((old_id, old_subnet)) => {
                if old_subnet != n.subnet() {
                    if let Some(old) = old_subnet {
                        self.networks.space.release(old);
                    }
                    if let Some(new) = n.subnet() {
                        self.networks.space.claim(new)?;
                    }
                }
                self.kernel.net_mut().remove_segment(&SegmentId(old_id.to_string()));
                if let Some(slot) = self.networks.by_id_mut(&old_id) {
                    *slot = n.clone();
                }
            }
            None => {
                if self.networks.by_name(&n.name).is_some() {
                    return Err(NetworkError::NameExists(n.name));
                }
                if let Some(subnet) = n.subnet() {
                    self.networks.space.claim(subnet)?;
                }
                self.networks.add(n.clone());
            }
        }
        self.push_segment(&n);
        Ok(())
    }

    /// `docker network rm`: refused for the predefined networks and while containers run on it.
    pub fn remove_network(&mut self, key: &str) -> Result<(), NetworkError> {
        let n = self.networks.find(key)?;
        if n.predefined {
            return Err(NetworkError::PredefinedRemove(n.name.clone()));
        }
        if !n.endpoints.is_empty() {
            let endpoints: Vec<String> =
                n.endpoints.iter().map(|e| format!("name:\"{}\" id:\"{}\"", e.name, &e.id[..12])).collect();
            return Err(NetworkError::ActiveEndpoints { name: n.name.clone(), endpoints: endpoints.join(", ") });
        }
        let id = n.id.clone();
        if let Some(subnet) = n.subnet() {
            self.networks.space.release(subnet);
        }
        self.kernel.net_mut().remove_segment(&SegmentId(id.to_string()));
        self.networks.remove(&id);
        Ok(())
    }

    /// `docker network prune`: removes the user-defined networks no running container uses.
    /// Returns their names.
    pub fn prune_networks(&mut self, keep: impl Fn(&Network) -> bool) -> Vec<String> {
        let unused: Vec<(NetworkId, String)> = self
            .networks
            .iter()
            .filter(|n| !n.predefined && n.endpoints.is_empty() && !keep(n))
            .map(|n| (n.id.clone(), n.name.clone()))
            .collect();
        let mut removed = Vec::new();
        for (id, name) in unused {
            if self.remove_network(id.as_str()).is_ok() {
                removed.push(name);
            }
        }
        removed
    }
}

impl From<IpamError> for NetworkError {
    fn from(e: IpamError) -> Self {
        NetworkError::Pool(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(subnet: &str, range: Option<&str>, gateway: Option<&str>) -> NetworkCreate {
        NetworkCreate {
            name: "chat".into(),
            subnet: Some(subnet.into()),
            ip_range: range.map(String::from),
            gateway: gateway.map(String::from),
            ..NetworkCreate::default()
        }
    }

    #[test]
    fn ipam_configurations_are_checked_with_the_daemons_words() {
        assert!(validate_ipam(&req("192.168.1.0/24", Some("192.168.1.0/28"), Some("192.168.1.1"))).is_ok());
        let e = validate_ipam(&req("foo", None, None)).unwrap_err().to_string();
        assert_eq!(e, "invalid network config:\ninvalid subnet foo: invalid CIDR block notation");
        let e = validate_ipam(&req("10.0.0.1/24", None, None)).unwrap_err().to_string();
        assert_eq!(e, "invalid network config:\ninvalid subnet 10.0.0.1/24: it should be 10.0.0.0/24");
        let e = validate_ipam(&req("10.0.0.0/24", Some("10.0.0.0/16"), Some("10.1.0.1"))).unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid network config:\n* invalid ip-range 10.0.0.0/16: CIDR block is bigger than its parent subnet 10.0.0.0/24\n\
             * invalid gateway 10.1.0.1: parent subnet 10.0.0.0/24 doesn't contain this address"
        );
    }
}
