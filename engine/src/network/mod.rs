//! Networking, in Docker's terms. A **network** is a virtual switch with a subnet (the default
//! `bridge` is 172.17.0.0/16, user-defined bridges take 172.18.0.0/16 onward); a container joins
//! it through an **endpoint**: an interface (`eth0`, `eth1`...) with a MAC and an IP address
//! allocated by the network's IPAM. Containers on a user-defined network find each other by name
//! through the embedded DNS server at 127.0.0.11; on the default bridge only legacy `--link`
//! entries in `/etc/hosts` give names. A published port (`-p 8080:80`) makes a container's
//! port reachable on the host's localhost and gateway addresses.
//!
//! Two layers:
//! - [`stack`]: the packet-level world the processes see. Network namespaces with interfaces,
//!   sockets (TCP streams, UDP datagrams, ICMP echo), the switch that decides who reaches whom,
//!   the DNS responder and the port forwarding table. The kernel owns one [`stack::NetStack`];
//!   WASIX socket calls (`process/wasix/sock*.rs`) go through it.
//! - the Docker objects (networks, IPAM, endpoints, `docker network ...`), kept by the daemon,
//!   which describe the wanted state and push it into the stack.
//!
//! Beyond the Docker networks lies "the internet": [`mirror`] is the web server behind the
//! distributions' package mirror names (`dl-cdn.alpinelinux.org`, `deb.debian.org`...).

pub mod internet;
pub mod mirror;
pub mod stack;

mod attach;
mod connect;
pub mod dns_view;
mod error;
mod etc_files;
pub mod hosts;
pub mod ipam;
pub mod links;
mod model;
pub mod ports;
mod publish;
mod refresh;
mod request;
pub mod resolv;
mod settings;
mod verbs;

pub use attach::{mac_string, Joined};
pub use connect::ConnectOptions;
pub use error::NetworkError;
pub use etc_files::build_run_fs;
pub use model::{is_predefined_name, Driver, Endpoint, Network, NetworkId, NetworkIpam, NetworkStore};
pub use settings::{ContainerNet, EndpointConfig, LegacyLink, LiveNet, NetworkMode, NetworkRequest};
pub use verbs::NetworkCreate;

#[cfg(test)]
mod tests;
