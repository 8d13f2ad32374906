//! IP address management, as Docker's default IPAM driver does it. Each network owns a **pool**:
//! its subnet (`--subnet`, or the next free one of the daemon's default address pools), an
//! optional sub-range containers get their addresses from (`--ip-range`), and the gateway (the
//! host's address on the network, `--gateway` or the first free address). Containers get the
//! lowest free address when they start and give it back when they stop, so a restart can change
//! a container's address; `--ip` asks for one address in particular.
//!
//! The daemon-wide [`AddressSpace`] keeps subnets from overlapping and hands out the default
//! pools in Docker's order: 172.17.0.0/16 (the default bridge), 172.18.0.0/16 ... 172.31.0.0/16,
//! then 192.168.0.0/20, 192.168.16.0/20 ... 192.168.240.0/20.

use std::collections::BTreeSet;
use std::fmt;
use std::net::Ipv4Addr;

/// Why IPAM refused, with libnetwork's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IpamError {
    #[error("Pool overlaps with other one on this address space")]
    PoolOverlap,
    #[error("all predefined address pools have been fully subnetted")]
    NoMoreSubnets,
    #[error("Address already in use")]
    AlreadyInUse,
    #[error("requested address is out of range")]
    OutOfRange,
    #[error("no available addresses on this pool")]
    NoAvailable,
}

/// An IPv4 prefix in CIDR notation (`172.18.0.0/16`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Subnet {
    pub addr: Ipv4Addr,
    pub prefix: u8,
}

impl Subnet {
    pub const fn new(addr: Ipv4Addr, prefix: u8) -> Self {
        Self { addr, prefix }
    }

    /// Parses `a.b.c.d/n`; `None` for anything else (IPv6 included).
    pub fn parse(s: &str) -> Option<Self> {
        let (addr, prefix) = s.split_once('/')?;
        let addr: Ipv4Addr = addr.parse().ok()?;
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32 && !prefix.starts_with('+'))?;
        Some(Self { addr, prefix })
    }

    fn mask(&self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix))
        }
    }

    /// The prefix with its host bits cleared (`10.0.0.5/24` -> `10.0.0.0/24`).
    pub fn masked(&self) -> Self {
        Self { addr: Ipv4Addr::from(u32::from(self.addr) & self.mask()), prefix: self.prefix }
    }

    /// The first address (the network address).
    pub fn first(&self) -> u32 {
        u32::from(self.addr) & self.mask()
    }

    /// The last address (the broadcast address).
    pub fn last(&self) -> u32 {
        self.first() | !self.mask()
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask() == self.first()
    }

    pub fn overlaps(&self, other: &Subnet) -> bool {
        self.first() <= other.last() && other.first() <= self.last()
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// One network's addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub subnet: Subnet,
    /// `--ip-range`: where addresses without a preference come from.
    pub range: Option<Subnet>,
    used: BTreeSet<u32>,
}

impl Pool {
    /// A pool with the network and broadcast addresses reserved (except in a /31 or /32,
    /// which have neither, as in RFC 3021).
    pub fn new(subnet: Subnet, range: Option<Subnet>) -> Self {
        let subnet = subnet.masked();
        let mut used = BTreeSet::new();
        if subnet.prefix < 31 {
            used.insert(subnet.first());
            used.insert(subnet.last());
        }
        Self { subnet, range: range.map(|r| r.masked()), used }
    }

    /// Takes a given address (`--ip`, `--gateway`).
    pub fn reserve(&mut self, ip: Ipv4Addr) -> Result<(), IpamError> {
        if !self.subnet.contains(ip) {
            return Err(IpamError::OutOfRange);
        }
        if !self.used.insert(u32::from(ip)) {
            return Err(IpamError::AlreadyInUse);
        }
        Ok(())
    }

    /// Takes the lowest free address of the range (or of the subnet).
    pub fn allocate(&mut self) -> Result<Ipv4Addr, IpamError> {
        let within = self.range.unwrap_or(self.subnet);
        let (start, end) = (within.first().max(self.subnet.first()), within.last().min(self.subnet.last()));
        let mut candidate = start;
        for &used in self.used.range(start..=end) {
            if used != candidate {
                break;
            }
            if candidate == end {
                return Err(IpamError::NoAvailable);
            }
            candidate += 1;
        }
        if candidate > end {
            return Err(IpamError::NoAvailable);
        }
        self.used.insert(candidate);
        Ok(Ipv4Addr::from(candidate))
    }

    /// Gives an address back.
    pub fn release(&mut self, ip: Ipv4Addr) {
        let n = u32::from(ip);
        // The network and broadcast addresses stay reserved.
        if self.subnet.prefix >= 31 || (n != self.subnet.first() && n != self.subnet.last()) {
            self.used.remove(&n);
        }
    }

    pub fn in_use(&self, ip: Ipv4Addr) -> bool {
        self.used.contains(&u32::from(ip))
    }
}

/// A block of the default address pools, split into subnets of `size` bits.
struct Predefined {
    base: Subnet,
    size: u8,
}

const fn block(a: u8, b: u8, prefix: u8, size: u8) -> Predefined {
    Predefined { base: Subnet::new(Ipv4Addr::new(a, b, 0, 0), prefix), size }
}

/// Docker's default local address pools (`ipamutils.localScopeDefaultNetworks`).
const PREDEFINED: &[Predefined] = &[
    block(172, 17, 16, 16),
    block(172, 18, 16, 16),
    block(172, 19, 16, 16),
    block(172, 20, 14, 16),
    block(172, 24, 14, 16),
    block(172, 28, 14, 16),
    block(192, 168, 16, 20),
];

/// The subnets in use on the daemon.
#[derive(Debug, Clone, Default)]
pub struct AddressSpace {
    allocated: Vec<Subnet>,
}

impl AddressSpace {
    /// Claims a subnet the user asked for; it must not overlap one in use.
    pub fn claim(&mut self, subnet: Subnet) -> Result<(), IpamError> {
        let subnet = subnet.masked();
        if self.allocated.iter().any(|s| s.overlaps(&subnet)) {
            return Err(IpamError::PoolOverlap);
        }
        self.allocated.push(subnet);
        Ok(())
    }

    /// Claims the first default pool subnet that overlaps nothing in use.
    pub fn claim_predefined(&mut self) -> Result<Subnet, IpamError> {
        for p in PREDEFINED {
            let step = 1u64 << (32 - u32::from(p.size));
            let mut start = u64::from(p.base.first());
            while start + step - 1 <= u64::from(p.base.last()) {
                let candidate = Subnet::new(Ipv4Addr::from(start as u32), p.size);
                if !self.allocated.iter().any(|s| s.overlaps(&candidate)) {
                    self.allocated.push(candidate);
                    return Ok(candidate);
                }
                start += step;
            }
        }
        Err(IpamError::NoMoreSubnets)
    }

    pub fn release(&mut self, subnet: Subnet) {
        let subnet = subnet.masked();
        self.allocated.retain(|s| *s != subnet);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> Subnet {
        Subnet::parse(s).unwrap()
    }

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    #[test]
    fn subnets_parse_mask_and_overlap() {
        assert_eq!(net("10.0.0.5/24").masked(), net("10.0.0.0/24"));
        assert!(net("10.0.0.0/8").overlaps(&net("10.1.0.0/16")));
        assert!(!net("10.0.0.0/24").overlaps(&net("10.0.1.0/24")));
        assert!(net("192.168.1.0/24").contains(ip("192.168.1.200")));
        assert_eq!(Subnet::parse("10.0.0.0"), None);
        assert_eq!(Subnet::parse("10.0.0.0/33"), None);
        assert_eq!(Subnet::parse("fd00::/64"), None);
        assert_eq!(net("0.0.0.0/0").last(), u32::MAX);
    }

    #[test]
    fn addresses_come_lowest_first_and_come_back() {
        let mut pool = Pool::new(net("172.18.0.0/16"), None);
        pool.reserve(ip("172.18.0.1")).unwrap();
        assert_eq!(pool.allocate(), Ok(ip("172.18.0.2")));
        assert_eq!(pool.allocate(), Ok(ip("172.18.0.3")));
        pool.release(ip("172.18.0.2"));
        assert_eq!(pool.allocate(), Ok(ip("172.18.0.2")));
        assert_eq!(pool.reserve(ip("172.18.0.3")), Err(IpamError::AlreadyInUse));
        assert_eq!(pool.reserve(ip("10.0.0.3")), Err(IpamError::OutOfRange));
        pool.release(ip("172.18.0.0"));
        assert!(pool.in_use(ip("172.18.0.0")), "the network address stays reserved");
    }

    #[test]
    fn an_ip_range_of_sixteen_gives_fourteen_clients() {
        // The lab's network: 192.168.1.0/24, gateway .1, a 14-client range.
        let mut pool = Pool::new(net("192.168.1.0/24"), Some(net("192.168.1.0/28")));
        pool.reserve(ip("192.168.1.1")).unwrap();
        let got: Vec<Ipv4Addr> = std::iter::from_fn(|| pool.allocate().ok()).collect();
        assert_eq!(got.len(), 14);
        assert_eq!(got.first(), Some(&ip("192.168.1.2")));
        assert_eq!(got.last(), Some(&ip("192.168.1.15")));
        assert_eq!(pool.allocate(), Err(IpamError::NoAvailable));
        // --ip may still name an address of the subnet outside the range.
        assert_eq!(pool.reserve(ip("192.168.1.100")), Ok(()));
    }

    #[test]
    fn a_range_not_at_the_start_gives_its_first_address_to_the_gateway() {
        let mut pool = Pool::new(net("10.5.0.0/24"), Some(net("10.5.0.16/28")));
        assert_eq!(pool.allocate(), Ok(ip("10.5.0.16")));
        assert_eq!(pool.allocate(), Ok(ip("10.5.0.17")));
    }

    #[test]
    fn tiny_pools_exhaust() {
        let mut pool = Pool::new(net("10.9.9.0/30"), None);
        assert_eq!(pool.allocate(), Ok(ip("10.9.9.1")));
        assert_eq!(pool.allocate(), Ok(ip("10.9.9.2")));
        assert_eq!(pool.allocate(), Err(IpamError::NoAvailable));
        let mut point = Pool::new(net("10.9.9.8/31"), None);
        assert_eq!(point.allocate(), Ok(ip("10.9.9.8")));
        assert_eq!(point.allocate(), Ok(ip("10.9.9.9")));
        assert_eq!(point.allocate(), Err(IpamError::NoAvailable));
    }

    #[test]
    fn default_pools_go_in_dockers_order_and_skip_overlaps() {
        let mut space = AddressSpace::default();
        assert_eq!(space.claim_predefined(), Ok(net("172.17.0.0/16")));
        assert_eq!(space.claim_predefined(), Ok(net("172.18.0.0/16")));
        space.claim(net("172.19.5.0/24")).unwrap();
        assert_eq!(space.claim_predefined(), Ok(net("172.20.0.0/16")));
        assert_eq!(space.claim(net("172.18.1.0/24")), Err(IpamError::PoolOverlap));
        space.release(net("172.18.0.0/16"));
        assert_eq!(space.claim_predefined(), Ok(net("172.18.0.0/16")));
        for _ in 21..=31 {
            space.claim_predefined().unwrap();
        }
        assert_eq!(space.claim_predefined(), Ok(net("192.168.0.0/20")));
        assert_eq!(space.claim_predefined(), Ok(net("192.168.16.0/20")));
        for _ in 2..16 {
            space.claim_predefined().unwrap();
        }
        assert_eq!(space.claim_predefined(), Err(IpamError::NoMoreSubnets));
    }
}
