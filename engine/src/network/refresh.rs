//! Keeping running containers' views of each other current: after any container starts,
//! stops, joins, leaves or is renamed, every namespace's embedded-DNS table is rebuilt and
//! pushed to the stack; when a linked container comes back with a new address, the `/etc/hosts`
//! of the containers that link to it is rewritten.

use super::dns_view::{self, Member, NetView};
use super::etc_files;
use super::hosts;
use crate::container::Container;
use crate::ids::ContainerId;
use crate::Daemon;
use std::net::Ipv4Addr;

impl Daemon {
    /// The DNS names a running container has on a network (empty off user-defined networks).
    fn member_names(c: &Container, network: &super::model::Network) -> Vec<String> {
        let aliases = c
            .net
            .endpoints
            .iter()
            .find(|e| e.network.as_ref() == Some(&network.id))
            .map(|e| e.aliases.clone())
            .unwrap_or_default();
        dns_view::dns_names(&c.name, &aliases, c.id.short(), &c.config.hostname)
    }

    /// What `viewer` sees on its user-defined networks.
    fn views(&self, viewer: &Container) -> Vec<NetView> {
        let mut out = Vec::new();
        for cfg in &viewer.net.endpoints {
            let Some(n) = cfg.network.as_ref().and_then(|id| self.networks.by_id(id)) else { continue };
            if !n.is_user_defined() || n.endpoint(&viewer.id).is_none() {
                continue;
            }
            let members = n
                .endpoints
                .iter()
                .filter_map(|e| {
                    let c = self.containers.find(e.container.as_str())?;
                    Some(Member { names: Self::member_names(c, n), ip: e.ip })
                })
                .collect();
            out.push(NetView { name: n.name.clone(), members, links: cfg.links.clone() });
        }
        out
    }

    /// Rebuilds every running namespace's DNS table.
    pub(crate) fn refresh_dns(&mut self) {
        let tables: Vec<_> = self
            .containers
            .newest_first()
            .filter_map(|c| {
                let live = c.net.live.as_ref().filter(|l| l.owns_netns)?;
                Some((live.netns, dns_view::table(&self.views(c))))
            })
            .collect();
        self.kernel.net_mut().set_dns_tables(tables);
    }

    /// `child` now has `ip` on the default bridge: the running containers that link to it get
    /// their `/etc/hosts` line updated (their environment keeps the old address, as in Docker).
    pub(crate) fn update_link_parents(&mut self, child: &ContainerId, ip: Ipv4Addr) {
        for parent in self.containers.iter_mut() {
            if parent.net.live.is_none() {
                continue;
            }
            for link in parent.net.links.iter().filter(|l| &l.child == child) {
                let updated = hosts::update_ip(&etc_files::read(parent, "/etc/hosts"), ip, &link.alias);
                etc_files::write(parent, "/etc/hosts", updated);
            }
        }
    }
}
