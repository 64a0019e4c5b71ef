"""Address ranges that decide what an allow-list or a match key may be.

Why not ``ipaddress``'s ``is_private`` alone: it calls 6to4 (``2002::/16``), Teredo
(``2001::/32``), ``64:ff9b:1::/48`` and IPv4-mapped addresses private, yet each of them *is* the
internet in another spelling - an allow-list holding one lets a camera reach public hosts
through a translator. And ``64:ff9b::/96`` (the well-known NAT64 prefix) is not private at all
but would pass a size check. So the ranges are named here, once.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network

type IPAddress = IPv4Address | IPv6Address
type IPNetwork = IPv4Network | IPv6Network

LAN_SPACE: tuple[IPNetwork, ...] = (
    ip_network("10.0.0.0/8"),
    ip_network("172.16.0.0/12"),
    ip_network("192.168.0.0/16"),
    ip_network("fc00::/7"),
    ip_network("fe80::/10"),
)
"""Where a home network lives whatever the adapters say: RFC 1918, unique local, link-local."""

TRANSLATION: tuple[IPNetwork, ...] = (
    ip_network("2002::/16"),  # 6to4
    ip_network("2001::/32"),  # Teredo
    ip_network("64:ff9b::/96"),  # NAT64, well-known prefix
    ip_network("64:ff9b:1::/48"),  # NAT64, local-use prefix
    ip_network("::ffff:0:0/96"),  # IPv4-mapped
)
"""IPv6 ranges that stand for IPv4 (public) hosts: never a LAN, never a camera's key."""

DOCUMENTATION: tuple[IPNetwork, ...] = (ip_network("2001:db8::/32"),)
"""Documentation addresses: nobody's LAN (the tests' labs use them inside namespaces only)."""


def within(value: IPAddress | IPNetwork, ranges: tuple[IPNetwork, ...]) -> bool:
    """Whether an address, or a whole network, lies inside one of ``ranges``."""
    for net in ranges:
        if net.version != value.version:
            continue
        if isinstance(value, IPv4Network | IPv6Network):
            if value.subnet_of(net):  # type: ignore[arg-type]
                return True
        elif value in net:
            return True
    return False


def overlaps_any(net: IPNetwork, ranges: tuple[IPNetwork, ...]) -> bool:
    """Whether a network shares any address with one of ``ranges``."""
    return any(r.version == net.version and net.overlaps(r) for r in ranges)


def is_translation(value: IPAddress | IPNetwork) -> bool:
    """Whether an address or network touches a translation range (6to4, Teredo, NAT64, mapped)."""
    if isinstance(value, IPv4Address | IPv6Address):
        return within(value, TRANSLATION)
    return overlaps_any(value, TRANSLATION)


def is_public_ipv4(addr: IPAddress) -> bool:
    """Whether an IPv4 address is reachable on the internet (so never a LAN host's)."""
    return isinstance(addr, IPv4Address) and addr.is_global
