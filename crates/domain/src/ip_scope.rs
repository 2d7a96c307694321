//! Where an IP address leads: the public internet, the server's own networks, or nowhere. Used to
//! keep webhooks (posts irnet makes on a member's behalf) from reaching into irnet's own network.
//!
//! The table follows the IANA IPv4 and IPv6 special-purpose address registries. `ipnet` does the
//! prefix arithmetic; the classification is ours because the standard library's `is_global` is
//! still unstable and no maintained crate covers the embedded-IPv4 forms (mapped, compatible,
//! 6to4) this needs. IPv6 is public only inside the global unicast block `2000::/3`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpScope {
    /// reachable on the public internet
    Public,
    /// the server's own or some other non-public network: loopback, private, link-local,
    /// unique-local, CGNAT, benchmarking, documentation, NAT64, protocol assignments
    Internal,
    /// reaches no single receiver: unspecified, "this network", multicast, broadcast, reserved
    Nowhere,
}

const fn v4(a: u8, b: u8, c: u8, d: u8, prefix: u8) -> (Ipv4Addr, u8) {
    (Ipv4Addr::new(a, b, c, d), prefix)
}

/// IPv4 blocks that lead nowhere.
const V4_NOWHERE: &[(Ipv4Addr, u8)] = &[
    v4(0, 0, 0, 0, 8),   // "this network" (RFC 791), 0.0.0.0 included
    v4(224, 0, 0, 0, 4), // multicast
    v4(240, 0, 0, 0, 4), // reserved, 255.255.255.255 (broadcast) included
];

/// IPv4 blocks that are not the public internet.
const V4_INTERNAL: &[(Ipv4Addr, u8)] = &[
    v4(10, 0, 0, 0, 8),      // private (RFC 1918)
    v4(100, 64, 0, 0, 10),   // shared address space, carrier-grade NAT (RFC 6598)
    v4(127, 0, 0, 0, 8),     // loopback
    v4(169, 254, 0, 0, 16),  // link-local, cloud metadata services
    v4(172, 16, 0, 0, 12),   // private
    v4(192, 0, 0, 0, 24),    // IETF protocol assignments
    v4(192, 0, 2, 0, 24),    // documentation TEST-NET-1
    v4(192, 88, 99, 0, 24),  // 6to4 relay anycast (deprecated)
    v4(192, 168, 0, 0, 16),  // private
    v4(198, 18, 0, 0, 15),   // benchmarking (RFC 2544)
    v4(198, 51, 100, 0, 24), // documentation TEST-NET-2
    v4(203, 0, 113, 0, 24),  // documentation TEST-NET-3
];

const fn v6(segments: [u16; 8], prefix: u8) -> (Ipv6Addr, u8) {
    let [a, b, c, d, e, f, g, h] = segments;
    (Ipv6Addr::new(a, b, c, d, e, f, g, h), prefix)
}

/// IPv6 blocks inside `2000::/3` that are not the public internet.
const V6_INTERNAL: &[(Ipv6Addr, u8)] = &[
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 23), // IETF protocol assignments, Teredo, benchmarking, ORCHID
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), // documentation
    v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20), // documentation (RFC 9637)
];

/// IPv6 blocks outside `2000::/3` that still reach a receiver, though not a public one.
const V6_OUTSIDE_GLOBAL: &[(Ipv6Addr, u8)] = &[
    v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96), // NAT64, well-known prefix (RFC 6052)
    v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48), // NAT64, local use (RFC 8215)
    v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64),     // discard-only (RFC 6666)
    v6([0x5f00, 0, 0, 0, 0, 0, 0, 0], 16),    // SRv6 segment identifiers (RFC 9602)
    v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7),     // unique local
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10),    // link-local
    v6([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10),    // site-local (deprecated)
];

fn in_v4(ip: Ipv4Addr, table: &[(Ipv4Addr, u8)]) -> bool {
    table
        .iter()
        .any(|(net, p)| Ipv4Net::new(*net, *p).is_ok_and(|n| n.contains(&ip)))
}

fn in_v6(ip: Ipv6Addr, table: &[(Ipv6Addr, u8)]) -> bool {
    table
        .iter()
        .any(|(net, p)| Ipv6Net::new(*net, *p).is_ok_and(|n| n.contains(&ip)))
}

fn scope_v4(ip: Ipv4Addr) -> IpScope {
    if in_v4(ip, V4_NOWHERE) {
        IpScope::Nowhere
    } else if in_v4(ip, V4_INTERNAL) {
        IpScope::Internal
    } else {
        IpScope::Public
    }
}

/// The IPv4 address an IPv6 address carries, where the network would deliver to it: mapped
/// (`::ffff:a.b.c.d`), compatible (`::a.b.c.d`, deprecated but still routed by some stacks) and
/// 6to4 (`2002:aabb:ccdd::/48`).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let from = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0) {
        Some(from(s[6], s[7]))
    } else if s[0] == 0x2002 {
        Some(from(s[1], s[2]))
    } else {
        None
    }
}

fn scope_v6(ip: Ipv6Addr) -> IpScope {
    if ip.is_loopback() {
        return IpScope::Internal;
    }
    if ip.is_unspecified() {
        return IpScope::Nowhere;
    }
    // A 6to4 address is no more public than the IPv4 address it wraps.
    if let Some(inner) = embedded_v4(ip) {
        return scope_v4(inner);
    }
    if ip.is_multicast() {
        return IpScope::Nowhere;
    }
    let global_unicast = (ip.segments()[0] & 0xe000) == 0x2000;
    if global_unicast {
        if in_v6(ip, V6_INTERNAL) {
            IpScope::Internal
        } else {
            IpScope::Public
        }
    } else if in_v6(ip, V6_OUTSIDE_GLOBAL) {
        IpScope::Internal
    } else {
        IpScope::Nowhere
    }
}

/// Where `ip` leads.
pub fn scope(ip: IpAddr) -> IpScope {
    match ip {
        IpAddr::V4(v4) => scope_v4(v4),
        IpAddr::V6(v6) => scope_v6(v6),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn of(s: &str) -> IpScope {
        scope(s.parse().unwrap())
    }

    #[test]
    fn public_addresses() {
        for ip in [
            "203.113.131.5",
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "2400:cb00::1",
            "2a00:1450:4001::1",
            "::ffff:8.8.8.8",
            "2002:0808:0808::1",
        ] {
            assert_eq!(of(ip), IpScope::Public, "{ip}");
        }
    }

    #[test]
    fn each_internal_ipv4_range() {
        for ip in [
            "10.0.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.254",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.254",
            "198.51.100.7",
            "203.0.113.9",
        ] {
            assert_eq!(of(ip), IpScope::Internal, "{ip}");
        }
    }

    #[test]
    fn ipv4_leading_nowhere() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert_eq!(of(ip), IpScope::Nowhere, "{ip}");
        }
    }

    #[test]
    fn each_internal_ipv6_range() {
        for ip in [
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "64:ff9b::7f00:1",
            "64:ff9b::808:808", // NAT64 of a public address: still refused
            "64:ff9b:1::1",
            "100::1",
            "2001::1",     // Teredo
            "2001:2::1",   // benchmarking
            "2001:db8::1", // documentation
            "3fff::1",     // documentation
            "5f00::1",
        ] {
            assert_eq!(of(ip), IpScope::Internal, "{ip}");
        }
    }

    #[test]
    fn ipv6_leading_nowhere() {
        for ip in ["::", "ff02::1", "ff0e::1", "4000::1", "8000::1"] {
            assert_eq!(of(ip), IpScope::Nowhere, "{ip}");
        }
    }

    #[test]
    fn embedded_ipv4_is_judged_by_itself() {
        // IPv4-mapped
        assert_eq!(of("::ffff:127.0.0.1"), IpScope::Internal);
        assert_eq!(of("::ffff:10.1.2.3"), IpScope::Internal);
        assert_eq!(of("::ffff:100.64.0.1"), IpScope::Internal);
        assert_eq!(of("::ffff:0.0.0.0"), IpScope::Nowhere);
        // IPv4-compatible (deprecated)
        assert_eq!(of("::127.0.0.1"), IpScope::Internal);
        assert_eq!(of("::169.254.169.254"), IpScope::Internal);
        assert_eq!(of("::198.18.0.1"), IpScope::Internal);
        // 6to4 wrapping an internal address
        assert_eq!(of("2002:7f00:0001::1"), IpScope::Internal);
        assert_eq!(of("2002:c0a8:0101::1"), IpScope::Internal);
    }
}
