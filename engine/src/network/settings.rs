//! What a container asks of the network (Docker's `HostConfig.NetworkMode`, `PortBindings`,
//! `Links`, `Dns`, `ExtraHosts` and the `NetworkingConfig` endpoints), and what it holds while it
//! runs: its network namespace and the ports actually published. Addresses themselves are held
//! by the networks' endpoints (see [`super::model::Endpoint`]): they exist only while the
//! container runs.

use super::model::NetworkId;
use super::ports::{Port, PortBinding, Published};
use super::resolv::DnsOverrides;
use super::stack::NetnsId;
use crate::ids::ContainerId;
use std::net::Ipv4Addr;

/// `--network`: `bridge` (the default), `host`, `none`, `container:<name|id>`, or the name or
/// ID of a user-defined network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkMode(pub String);

impl Default for NetworkMode {
    fn default() -> Self {
        NetworkMode("bridge".into())
    }
}

impl NetworkMode {
    pub fn is_host(&self) -> bool {
        self.0 == "host"
    }
    pub fn is_none(&self) -> bool {
        self.0 == "none"
    }
    pub fn is_bridge(&self) -> bool {
        self.0 == "bridge" || self.0 == "default"
    }
    /// The container whose namespace is shared (`container:web` -> `web`).
    pub fn container(&self) -> Option<&str> {
        self.0.strip_prefix("container:")
    }
    /// Neither a predefined network nor a shared namespace.
    pub fn is_user_defined(&self) -> bool {
        !self.is_host() && !self.is_none() && !self.is_bridge() && self.container().is_none()
    }
    /// Modes where the container has its own namespace and may join networks.
    pub fn is_private(&self) -> bool {
        !self.is_host() && self.container().is_none()
    }
}

/// A container's wish to be on one network (an `EndpointSettings` of `NetworkingConfig`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointConfig {
    /// The network as named when the wish was made (name or ID).
    pub target: String,
    /// The network it resolved to, once found.
    pub network: Option<NetworkId>,
    /// `--network-alias`, `--alias`: extra names on this network.
    pub aliases: Vec<String>,
    /// `--ip`: the address to use.
    pub ipv4: Option<Ipv4Addr>,
    /// `--link` on a user-defined network: (container, alias), names only this container sees.
    pub links: Vec<(String, String)>,
}

impl EndpointConfig {
    pub fn new(target: impl Into<String>) -> Self {
        Self { target: target.into(), network: None, aliases: Vec::new(), ipv4: None, links: Vec::new() }
    }
}

/// A legacy link on the default bridge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyLink {
    pub child: ContainerId,
    pub alias: String,
}

/// What `docker run` flags ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkRequest {
    pub mode: NetworkMode,
    /// The networks to join, the first being the mode's own (empty for host, none, container:).
    pub endpoints: Vec<EndpointConfig>,
    /// `--link` on the default bridge: (container, alias), checked at create.
    pub links: Vec<(String, String)>,
    /// `--expose` and the ports of `-p` (the image's `EXPOSE` is added at create).
    pub exposed: Vec<Port>,
    pub bindings: Vec<(Port, PortBinding)>,
    /// `-P`.
    pub publish_all: bool,
    pub dns: DnsOverrides,
    /// `--add-host name:ip`.
    pub extra_hosts: Vec<(String, String)>,
}

/// A container's network configuration and, while it runs, its network state.
#[derive(Debug, Clone, Default)]
pub struct ContainerNet {
    pub mode: NetworkMode,
    pub endpoints: Vec<EndpointConfig>,
    pub links: Vec<LegacyLink>,
    /// Every exposed port (image, `--expose`, `-p`), sorted.
    pub exposed: Vec<Port>,
    pub bindings: Vec<(Port, PortBinding)>,
    pub publish_all: bool,
    pub dns: DnsOverrides,
    pub extra_hosts: Vec<(String, String)>,
    /// Set while the container runs.
    pub live: Option<LiveNet>,
    /// Its `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf`, mounted over its filesystem
    /// (see `etc_files`).
    pub etc: Vec<(String, crate::fs::NodeRef)>,
}

/// A running container's network state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveNet {
    pub netns: NetnsId,
    /// False for `--network host` and `container:x`: the namespace is someone else's.
    pub owns_netns: bool,
    pub published: Vec<Published>,
    /// The legacy links' environment variables, given to the main process and to `exec`.
    pub link_env: Vec<String>,
}

impl ContainerNet {
    pub fn from_request(req: &NetworkRequest, image_exposed: &[Port], links: Vec<LegacyLink>) -> Self {
        let mut exposed: Vec<Port> = image_exposed.to_vec();
        exposed.extend(req.exposed.iter().copied());
        exposed.extend(req.bindings.iter().map(|(p, _)| *p));
        exposed.sort();
        exposed.dedup();
        Self {
            mode: req.mode.clone(),
            endpoints: req.endpoints.clone(),
            links,
            exposed,
            bindings: req.bindings.clone(),
            publish_all: req.publish_all,
            dns: req.dns.clone(),
            extra_hosts: req.extra_hosts.clone(),
            live: None,
            etc: Vec::new(),
        }
    }

    pub fn netns(&self) -> Option<NetnsId> {
        self.live.as_ref().map(|l| l.netns)
    }

    pub fn link_env(&self) -> &[String] {
        self.live.as_ref().map(|l| l.link_env.as_slice()).unwrap_or_default()
    }
}
