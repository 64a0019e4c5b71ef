"""The allow-list form: what isolated cameras may still reach, checked so it is never the internet.

Pure functions the config flow calls (no Home Assistant here): :func:`check_allow_list` returns
one :class:`AllowListProblem` per refused value, each with a stable :class:`AllowListError` code
the flow shows as a translated form error on the field; :func:`suggest_allow_list` picks the
form's defaults from the adapter that faces the cameras.

What is refused, and why:

* a LAN range outside RFC 1918, ``fc00::/7``, ``fe80::/10`` and the Home Assistant adapters' own
  prefixes: anything else is somebody else's network, or the internet. The translation ranges
  (6to4, Teredo, NAT64, IPv4-mapped) are refused by name - ``ipaddress`` calls several of them
  private, yet each reaches public hosts - and so is ``2001:db8::/32`` (documentation);
* a gateway or Home Assistant host that is not on such a LAN: both are reachable on every
  port, so ``8.8.8.8`` as a "gateway" would open a public host entirely;
* an NTP or DNS server that is neither on the LAN nor a public unicast address (a public server
  is fine: the rules allow it one port, never more);
* a camera's address as a Home Assistant host or gateway: the camera would make itself
  unmatchable (protected) by it.

Defaults come from the adapter whose prefix holds the cameras' addresses, not from the adapter
with the default route (on a Home Assistant that is the router, that one faces the internet),
and never from the router's WAN addresses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Interface, IPv6Interface, ip_interface

from .ranges import (
    DOCUMENTATION,
    LAN_SPACE,
    IPAddress,
    IPNetwork,
    is_translation,
    overlaps_any,
    within,
)
from .safe import parse_address, parse_network, plain_address, plain_network, shown

_MIN_PREFIX = {4: 8, 6: 7}
"""Widest LAN range inside the private space: ``10.0.0.0/8``, ``fc00::/7``."""
_MIN_SITE_PREFIX = {4: 8, 6: 48}
"""Widest range taken from an adapter's own prefix: for IPv6 a delegated site's /48."""

HA_HOSTS, GATEWAYS, LAN_RANGES = "ha_hosts", "gateways", "lan_ranges"
NTP_SERVERS, DNS_SERVERS, NTP_REDIRECT = "ntp_servers", "dns_servers", "ntp_redirect"


class AllowListError(StrEnum):
    """Why one value of the allow-list form is refused; the values are translation keys."""

    NOT_AN_ADDRESS = "not_an_address"
    SCOPED_ADDRESS = "scoped_address"
    NOT_A_HOST = "not_a_host"
    """Multicast, loopback, unspecified: nothing a camera sends to."""
    NOT_A_NETWORK = "not_a_network"
    LAN_RANGE_TOO_WIDE = "lan_range_too_wide"
    LAN_RANGE_PUBLIC = "lan_range_public"
    LAN_RANGE_TRANSLATION = "lan_range_translation"
    LAN_RANGE_DOCUMENTATION = "lan_range_documentation"
    GATEWAY_NOT_ON_LAN = "gateway_not_on_lan"
    HA_HOST_NOT_ON_LAN = "ha_host_not_on_lan"
    SERVER_NOT_USABLE = "server_not_usable"
    """Neither on the LAN nor a public unicast address (a translation or reserved address)."""
    HA_HOST_IS_CAMERA = "ha_host_is_camera"
    GATEWAY_IS_CAMERA = "gateway_is_camera"
    HA_HOST_MISSING = "ha_host_missing"


@dataclass(frozen=True, slots=True)
class AllowListProblem:
    """One refused value: the form field, the value (quoted, safe to show) and the code."""

    field: str
    value: str
    code: AllowListError


@dataclass(frozen=True, slots=True)
class AdapterInfo:
    """One network adapter of the Home Assistant host, as plain data."""

    name: str
    interfaces: tuple[IPv4Interface | IPv6Interface, ...]
    enabled: bool = True
    default: bool = False
    """Whether it carries the default route (on a router: the WAN side)."""

    @classmethod
    def from_mapping(cls, adapter: Mapping[str, object]) -> AdapterInfo:
        """Read Home Assistant's network adapter (``network.async_get_adapters``) shape."""
        found: list[IPv4Interface | IPv6Interface] = []
        for family in ("ipv4", "ipv6"):
            items = adapter.get(family)
            for item in items if isinstance(items, list) else []:
                if not isinstance(item, Mapping):
                    continue
                addr = parse_address(item.get("address"))
                prefix = item.get("network_prefix")
                if addr is None or not isinstance(prefix, int) or isinstance(prefix, bool):
                    continue
                try:
                    found.append(ip_interface(f"{plain_address(addr)}/{prefix}"))
                except ValueError:
                    continue
        return cls(
            name=str(adapter.get("name") or ""),
            interfaces=tuple(found),
            enabled=bool(adapter.get("enabled", True)),
            default=bool(adapter.get("default", False)),
        )


@dataclass(frozen=True, slots=True)
class AllowListDefaults:
    """What the allow-list form starts with (text, as the entry stores it)."""

    ha_hosts: tuple[str, ...] = ()
    gateways: tuple[str, ...] = ()
    lan_ranges: tuple[str, ...] = ()
    ntp_servers: tuple[str, ...] = ()
    dns_servers: tuple[str, ...] = ()
    facing: tuple[str, ...] = field(default=())
    """Names of the adapters the defaults were taken from."""


def adapter_prefixes(adapters: Iterable[AdapterInfo]) -> tuple[IPNetwork, ...]:
    """Return the prefixes of the enabled adapters' addresses (no loopback, no public IPv4)."""
    found: list[IPNetwork] = []
    for adapter in adapters:
        if not adapter.enabled:
            continue
        for iface in adapter.interfaces:
            addr = iface.ip
            if addr.is_loopback or (addr.version == 4 and addr.is_global) or is_translation(addr):
                continue
            found.append(iface.network)
    return tuple(dict.fromkeys(found))


def _lan(prefixes: tuple[IPNetwork, ...]) -> tuple[IPNetwork, ...]:
    return (*LAN_SPACE, *prefixes)


def check_lan_range(text: object, prefixes: tuple[IPNetwork, ...]) -> AllowListError | None:
    """Check one LAN range against the LAN space and the adapters' ``prefixes``."""
    if isinstance(text, str) and "%" in text:
        return AllowListError.SCOPED_ADDRESS
    net = parse_network(text)
    if net is None:
        return AllowListError.NOT_A_NETWORK
    if is_translation(net):
        return AllowListError.LAN_RANGE_TRANSLATION
    if within(net, LAN_SPACE):
        too_wide = net.prefixlen < _MIN_PREFIX[net.version]
        return AllowListError.LAN_RANGE_TOO_WIDE if too_wide else None
    if within(net, prefixes):
        too_wide = net.prefixlen < _MIN_SITE_PREFIX[net.version]
        return AllowListError.LAN_RANGE_TOO_WIDE if too_wide else None
    if overlaps_any(net, DOCUMENTATION):
        return AllowListError.LAN_RANGE_DOCUMENTATION
    return AllowListError.LAN_RANGE_PUBLIC


def _host(text: object) -> IPAddress | AllowListError:
    if isinstance(text, str) and "%" in text:
        return AllowListError.SCOPED_ADDRESS
    addr = parse_address(text)
    if addr is None:
        return AllowListError.NOT_AN_ADDRESS
    if addr.is_multicast or addr.is_unspecified or addr.is_loopback:
        return AllowListError.NOT_A_HOST
    return addr


def check_allow_list(
    values: Mapping[str, Sequence[str] | str | None],
    *,
    adapters: Iterable[AdapterInfo] = (),
    camera_addresses: Iterable[str] = (),
) -> list[AllowListProblem]:
    """Check the allow-list form's values; empty when all is acceptable.

    ``values`` holds the fields ``ha_hosts``, ``gateways``, ``lan_ranges``, ``ntp_servers``,
    ``dns_servers`` (lists of text) and ``ntp_redirect`` (text or None). ``camera_addresses``
    are every address known for a camera (observed or reported).
    """
    prefixes = adapter_prefixes(adapters)
    lan = _lan(prefixes)
    cameras = {plain_address(a) for t in camera_addresses if (a := parse_address(t)) is not None}
    problems: list[AllowListProblem] = []

    def items(name: str) -> list[str]:
        raw = values.get(name)
        if raw is None:
            return []
        return [raw] if isinstance(raw, str) else [str(v) for v in raw]

    def refuse(name: str, value: str, code: AllowListError) -> None:
        problems.append(AllowListProblem(name, shown(value), code))

    for text in items(LAN_RANGES):
        if (error := check_lan_range(text, prefixes)) is not None:
            refuse(LAN_RANGES, text, error)
    lan_hosts = (
        (HA_HOSTS, AllowListError.HA_HOST_NOT_ON_LAN, AllowListError.HA_HOST_IS_CAMERA),
        (GATEWAYS, AllowListError.GATEWAY_NOT_ON_LAN, AllowListError.GATEWAY_IS_CAMERA),
    )
    for name, off_lan, is_camera in lan_hosts:
        for text in items(name):
            host = _host(text)
            if isinstance(host, AllowListError):
                refuse(name, text, host)
            elif is_translation(host) or not within(host, lan):
                refuse(name, text, off_lan)
            elif plain_address(host) in cameras:
                refuse(name, text, is_camera)
    if not items(HA_HOSTS):
        refuse(HA_HOSTS, "", AllowListError.HA_HOST_MISSING)
    for name in (NTP_SERVERS, DNS_SERVERS, NTP_REDIRECT):
        for text in items(name):
            host = _host(text)
            if isinstance(host, AllowListError):
                refuse(name, text, host)
            elif is_translation(host) or not (within(host, lan) or host.is_global):
                refuse(name, text, AllowListError.SERVER_NOT_USABLE)
    return problems


def form_errors(problems: Iterable[AllowListProblem]) -> dict[str, str]:
    """Field -> the first problem's code, as a config flow's ``errors`` wants them."""
    errors: dict[str, str] = {}
    for problem in problems:
        errors.setdefault(problem.field, problem.code.value)
    return errors


def facing_adapters(
    adapters: Iterable[AdapterInfo], camera_addresses: Iterable[str], *, ha_is_router: bool
) -> tuple[AdapterInfo, ...]:
    """Return the adapters whose prefixes hold a camera's address (the cameras' LAN).

    Without a camera address on any adapter: every enabled adapter with a LAN address, less
    the default-route one when Home Assistant is the router (that one faces the internet).
    """
    enabled = [a for a in adapters if a.enabled]
    cams = [a for t in camera_addresses if (a := parse_address(t)) is not None]
    facing = [a for a in enabled if any(_holds(i, c) for i in a.interfaces for c in cams)]
    if facing:
        return tuple(facing)
    fallback = [a for a in enabled if not (ha_is_router and a.default)]
    return tuple(a for a in fallback if any(_on_lan(i.ip) for i in a.interfaces))


def _holds(iface: IPv4Interface | IPv6Interface, addr: IPAddress) -> bool:
    return iface.version == addr.version and addr in iface.network and not iface.ip.is_loopback


def _on_lan(addr: IPAddress) -> bool:
    return not (addr.is_loopback or addr.is_global or is_translation(addr))


def suggest_allow_list(
    adapters: Iterable[AdapterInfo],
    camera_addresses: Iterable[str] = (),
    *,
    router: str | None = None,
    router_wan: Iterable[str] = (),
    ha_is_router: bool = False,
) -> AllowListDefaults:
    """Pick the form's defaults from the adapter that faces the cameras.

    ``router`` is the address Homebound logs in to (SSH backend): on a home network also the
    gateway and usually the DNS and NTP server. ``router_wan`` are addresses never to suggest
    (the router's WAN side; with ``ha_is_router`` the default-route adapter is that side).
    """
    adapters = list(adapters)
    facing = facing_adapters(adapters, camera_addresses, ha_is_router=ha_is_router)
    never = {plain_address(a) for t in router_wan if (a := parse_address(t)) is not None}
    hosts: list[str] = []
    ranges: list[str] = []
    for adapter in facing:
        for iface in adapter.interfaces:
            addr = iface.ip
            if addr.is_loopback or addr.is_link_local or plain_address(addr) in never:
                continue
            if is_translation(addr) or (addr.version == 4 and addr.is_global):
                continue
            ranges.append(plain_network(iface.network))
            if not addr.is_global:  # a global IPv6 address: the site's prefix, not a host
                hosts.append(plain_address(addr))
    prefixes = adapter_prefixes(facing)
    servers: tuple[str, ...] = ()
    gateway = parse_address(router) if router else None
    if (
        gateway is not None
        and plain_address(gateway) not in never
        and within(gateway, _lan(prefixes))
    ):
        servers = (plain_address(gateway),)
    return AllowListDefaults(
        ha_hosts=tuple(dict.fromkeys(hosts)),
        gateways=servers,
        lan_ranges=tuple(r for r in dict.fromkeys(ranges) if check_lan_range(r, prefixes) is None),
        ntp_servers=servers,
        dns_servers=servers,
        facing=tuple(a.name for a in facing),
    )
