//! The daemon's checks on a new container's network settings (`docker create`/`run`), made
//! before anything exists: conflicting options for `--network host` and `container:x`
//! (runconfig's `validateNetMode`), endpoint settings (`--ip`, `--network-alias` only on
//! user-defined networks), and legacy links to containers that exist. A network that does not
//! exist is not an error yet: as in Docker, the start fails.

use super::connect::validate_endpoint;
use super::error::NetworkError;
use super::ports::Port;
use super::settings::{ContainerNet, LegacyLink, NetworkRequest};
use crate::container::CreateOptions;
use crate::image::Image;
use crate::{Daemon, Error};

/// Conflicts between the network mode and other options (`validateNetContainerMode`).
fn validate_mode(req: &NetworkRequest, hostname: bool) -> Result<(), NetworkError> {
    let conflict = |m: &str| Err(NetworkError::Other(m.to_string()));
    if let Some(other) = req.mode.container() {
        if other.is_empty() {
            return conflict("invalid network mode: invalid container format container:<name|id>");
        }
        if hostname {
            return conflict("conflicting options: hostname and the network mode");
        }
        if !req.links.is_empty() {
            return conflict("conflicting options: container type network can't be used with links. This would result in undefined behavior");
        }
        if !req.dns.servers.is_empty() {
            return conflict("conflicting options: dns and the network mode");
        }
        if !req.extra_hosts.is_empty() {
            return conflict("conflicting options: custom host-to-IP mapping and the network mode");
        }
        if !req.bindings.is_empty() || req.publish_all {
            return conflict("conflicting options: port publishing and the container type network mode");
        }
        if !req.exposed.is_empty() {
            return conflict("conflicting options: port exposing and the container type network mode");
        }
    }
    if req.mode.is_host() && !req.links.is_empty() {
        return conflict(
            "conflicting options: host type networking can't be used with links. This would result in undefined behavior",
        );
    }
    Ok(())
}

/// The ports an image's `EXPOSE` lines declare.
pub fn image_ports(image: &Image) -> Vec<Port> {
    let exposed = image.config.config.exposed_ports.as_ref();
    exposed.map(|m| m.keys().filter_map(|k| Port::parse(k)).collect()).unwrap_or_default()
}

impl Daemon {
    /// The network side of a new container, and its host name when it is the host's
    /// (`--network host` without `--hostname`).
    pub(crate) fn container_net(
        &self,
        opts: &CreateOptions,
        image: &Image,
    ) -> Result<(ContainerNet, Option<String>), Error> {
        let req = &opts.network;
        validate_mode(req, opts.hostname.is_some())?;
        for ep in &req.endpoints {
            let n = self.networks.find(&ep.target).ok();
            let ip = ep.ipv4.map(|ip| ip.to_string());
            validate_endpoint(n, &ep.target, !ep.aliases.is_empty(), ip.as_deref())?;
        }
        let mut links = Vec::new();
        for (name, alias) in &req.links {
            let mut child = self.containers.find(name).ok_or_else(|| {
                NetworkError::Other(format!("could not get container for {name}: No such container: {name}"))
            })?;
            while let Some(other) = child.net.mode.container() {
                child = self.containers.find(other).ok_or_else(|| {
                    NetworkError::Other(format!("could not get container for {other}: No such container: {other}"))
                })?;
            }
            if child.net.mode.is_host() {
                return Err(NetworkError::Other("conflicting options: host type networking can't be used with links. This would result in undefined behavior".into()).into());
            }
            links.push(LegacyLink { child: child.id.clone(), alias: alias.clone() });
        }
        // Without --expose or -p, the image's ports are exposed: but not in a shared namespace.
        let image_exposed = if req.mode.container().is_some() { Vec::new() } else { image_ports(image) };
        let net = ContainerNet::from_request(req, &image_exposed, links);
        let host_name = req.mode.is_host().then(|| {
            let raw = self.host_fs.read_file("/etc/hostname").unwrap_or_default();
            String::from_utf8_lossy(&raw).trim().to_string()
        });
        Ok((net, host_name.filter(|h| !h.is_empty())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::settings::NetworkMode;

    #[test]
    fn shared_namespaces_refuse_their_own_settings() {
        let mut req = NetworkRequest { mode: NetworkMode("container:web".into()), ..NetworkRequest::default() };
        assert!(validate_mode(&req, false).is_ok());
        assert_eq!(
            validate_mode(&req, true).unwrap_err().to_string(),
            "conflicting options: hostname and the network mode"
        );
        req.publish_all = true;
        assert!(validate_mode(&req, false).unwrap_err().to_string().contains("port publishing"));
        let host = NetworkRequest {
            mode: NetworkMode("host".into()),
            links: vec![("a".into(), "a".into())],
            ..NetworkRequest::default()
        };
        assert!(validate_mode(&host, false).unwrap_err().to_string().starts_with("conflicting options: host type"));
    }
}
