//! What the daemon answers when a network request fails, worded as Docker's daemon words it
//! (the CLI prints it after `Error response from daemon: `).

use super::ipam::IpamError;

/// A failed network request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("network {0} not found")]
    NotFound(String),
    #[error("network {0} is ambiguous ({1} matches found based on {2})")]
    Ambiguous(String, usize, &'static str),
    #[error("network with name {0} already exists")]
    NameExists(String),
    #[error("operation is not permitted on predefined {0} network ")]
    PredefinedCreate(String),
    #[error("{0} is a pre-defined network and cannot be removed")]
    PredefinedRemove(String),
    #[error("error while removing network: network {name} has active endpoints ({endpoints})")]
    ActiveEndpoints { name: String, endpoints: String },
    #[error("plugin \"{0}\" not found")]
    NoDriver(String),
    #[error("only one instance of \"{0}\" network is allowed")]
    OneInstance(String),
    /// Docker's swarm-only drivers.
    #[error("This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.")]
    NotSwarmManager,
    /// A driver Docker has that the playground does not model (macvlan, ipvlan).
    #[error(
        "the {0} driver needs a physical network interface, which the playground does not have: use a bridge network"
    )]
    DriverUnsupported(String),
    #[error("invalid network config:\n{0}")]
    InvalidConfig(String),
    #[error("invalid pool request: {0}")]
    Pool(IpamError),
    #[error("failed to allocate gateway ({0}): {1}")]
    Gateway(String, IpamError),
    #[error(
        "cannot create network {new_id} ({bridge}): conflicts with network {old_id} ({bridge}): networks have same bridge name"
    )]
    BridgeNameTaken { new_id: String, old_id: String, bridge: String },
    #[error("invalid endpoint settings:\n{0}")]
    InvalidEndpoint(String),
    #[error("endpoint with name {0} already exists in network {1}")]
    EndpointExists(String, String),
    #[error("container {0} is not connected to network {1}")]
    NotConnected(String, String),
    #[error("container {0} is not connected to the network {1}")]
    NotConnectedStopped(String, String),
    #[error("{0} is already attached to network {1}")]
    AlreadyAttached(String, String),
    #[error(
        "container sharing network namespace with another container or host cannot be connected to any other network"
    )]
    SharedNetwork,
    #[error("cannot connect container to host network - container must be created in host network mode")]
    ConnectToHost,
    #[error("cannot disconnect container from host network - container was created in host network mode")]
    DisconnectFromHost,
    #[error("container cannot be connected to multiple networks with one of the networks in private (none) mode")]
    NoneAndOthers,
    /// Anything that fails while a container starts (`failed to set up container networking: ...`).
    #[error("failed to set up container networking: {0}")]
    Setup(String),
    /// A whole message of Docker's (create-time checks on links, network modes, ports).
    #[error("{0}")]
    Other(String),
}

impl NetworkError {
    /// An error while joining networks at start, prefixed as Docker 28 prefixes it.
    pub fn setup(e: impl std::fmt::Display) -> Self {
        NetworkError::Setup(e.to_string())
    }
}
