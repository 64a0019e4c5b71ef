"""The isolation policy: who is isolated, and what they may still reach. Pure data.

Default deny. A selected camera may reach the Home Assistant host(s), the gateway(s), the LAN
ranges the user allows and the NTP (UDP 123) and DNS (UDP/TCP 53) servers the user names;
everything else it sends is dropped and counted. While the user holds a firmware-update window
open for a camera, that camera may reach everything until the window closes.

Invariants, checked by :func:`build_policy` (and so by every backend, which only renders
policies):

* the Home Assistant hosts and the gateways are destinations every camera may reach, and no
  camera may claim one of their addresses, so neither can ever be blocked for anybody;
* only the selected cameras are matched (by MAC, and by the IPv4/IPv6 addresses given, for
  routers that do not see the camera's MAC); nothing else is touched;
* the allowed LAN ranges are private ranges of a sane size, so that an allow-list cannot be
  made to mean "the internet".

A camera is identified by MAC because IPv6 (SLAAC, privacy addresses) changes its addresses
behind an IPv4-only rule's back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
import ipaddress
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from ..catalog import normalize_mac
from .errors import PolicyError

type IPAddress = IPv4Address | IPv6Address
type IPNetwork = IPv4Network | IPv6Network

MAX_CAMERAS = 4096
"""The sets on the router are sized for this many cameras (and a policy refuses more)."""
DEFAULT_ATTEMPTS_TIMEOUT = 24 * 3600
"""How long an attempted destination is remembered after its last attempt, in seconds."""
_MIN_PREFIX = {4: 8, 6: 7}


@dataclass(frozen=True, slots=True)
class CameraIdentity:
    """One isolated camera: its MAC (``aa:bb:cc:dd:ee:ff``) and the addresses it is known by."""

    mac: str
    ipv4: tuple[IPv4Address, ...] = ()
    ipv6: tuple[IPv6Address, ...] = ()
    name: str = ""

    @classmethod
    def parse(cls, mac: str, addresses: Iterable[str] = (), name: str = "") -> CameraIdentity:
        """Build an identity from text (as the config entry stores it); PolicyError if bad."""
        parsed = [_address(text, f"camera {mac}") for text in addresses]
        return _camera(
            cls(
                mac=mac,
                ipv4=tuple(a for a in parsed if isinstance(a, IPv4Address)),
                ipv6=tuple(a for a in parsed if isinstance(a, IPv6Address)),
                name=name,
            )
        )

    @property
    def key(self) -> str:
        """The MAC as 12 lower-case hex digits: the camera's name inside the ruleset."""
        return self.mac.replace(":", "")

    @property
    def addresses(self) -> tuple[IPAddress, ...]:
        """Every address the camera is known by."""
        return (*self.ipv4, *self.ipv6)


@dataclass(frozen=True, slots=True)
class FirewallPolicy:
    """A validated policy; build it with :func:`build_policy`."""

    cameras: tuple[CameraIdentity, ...]
    ha_hosts: tuple[IPAddress, ...]
    gateways: tuple[IPAddress, ...]
    lan_ranges: tuple[IPNetwork, ...]
    ntp_servers: tuple[IPAddress, ...]
    dns_servers: tuple[IPAddress, ...]
    ntp_redirect: IPAddress | None
    update_windows: Mapping[str, datetime]
    """MAC -> when the camera's firmware-update window closes (timezone-aware)."""
    attempts_timeout: int = DEFAULT_ATTEMPTS_TIMEOUT

    def camera(self, mac: str) -> CameraIdentity | None:
        """Return the camera with this MAC (any spelling), if the policy selects it."""
        wanted = canonical_mac(mac)
        return next((cam for cam in self.cameras if cam.mac == wanted), None)

    def open_windows(self, now: datetime) -> dict[str, int]:
        """MAC -> whole seconds left, for the update windows still open at ``now``."""
        left = {}
        for mac, until in self.update_windows.items():
            seconds = int((until - now).total_seconds())
            if seconds > 0:
                left[mac] = seconds
        return left

    def allowed_networks(self) -> tuple[IPNetwork, ...]:
        """Destinations every camera may reach whatever the port: HA hosts, gateways, LAN."""
        hosts = [ipaddress.ip_network(addr) for addr in (*self.ha_hosts, *self.gateways)]
        return (*hosts, *self.lan_ranges)

    def allowed_services(self) -> tuple[tuple[IPAddress, str, int], ...]:
        """(server, protocol, port) triples every camera may reach: the NTP and DNS servers."""
        services: list[tuple[IPAddress, str, int]] = [
            (addr, "udp", 123) for addr in self.ntp_servers
        ]
        for addr in self.dns_servers:
            services += [(addr, "udp", 53), (addr, "tcp", 53)]
        return tuple(dict.fromkeys(services))


def canonical_mac(mac: str) -> str:
    """``mac`` as lower-case, colon-separated pairs; PolicyError when it is not a unicast MAC."""
    digits = normalize_mac(mac)
    if digits is None:
        raise PolicyError(f"not a MAC address: {mac!r}")
    if int(digits[:2], 16) & 1:
        raise PolicyError(f"not a unicast MAC address: {mac!r}")
    if digits in {"000000000000"}:
        raise PolicyError(f"not a device MAC address: {mac!r}")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2)).lower()


def camera_addresses(texts: Iterable[str]) -> tuple[str, ...]:
    """Keep the texts that are addresses a router can match a camera's traffic by.

    The glue collects a camera's addresses from several places (the entry's host, which may be
    a name; what the camera reports over ONVIF; what DHCP said). Names, loopback, unspecified,
    multicast and IPv4 link-local addresses never appear on a forwarded packet, so they are
    dropped rather than refused; IPv6 link-local ones are dropped for the same reason.
    """
    kept: list[str] = []
    for text in texts:
        try:
            addr = ipaddress.ip_address(text.strip())
        except ValueError:
            continue
        if addr.is_loopback or addr.is_unspecified or addr.is_multicast or addr.is_link_local:
            continue
        kept.append(str(addr))
    return tuple(dict.fromkeys(kept))


def _address(value: str | IPAddress, what: str) -> IPAddress:
    try:
        addr = ipaddress.ip_address(value)
    except ValueError as err:
        raise PolicyError(f"{what}: not an IP address: {value!r}") from err
    if addr.is_unspecified or addr.is_multicast:
        raise PolicyError(f"{what}: {addr} is not a host address")
    return addr


def _lan_range(value: str | IPNetwork) -> IPNetwork:
    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError as err:
        raise PolicyError(f"LAN range: not a network: {value!r}") from err
    if net.prefixlen < _MIN_PREFIX[net.version] or not net.is_private:
        raise PolicyError(f"LAN range {net} is not a private range of a home network")
    return net


def _camera(cam: CameraIdentity) -> CameraIdentity:
    ipv4: list[IPv4Address] = []
    ipv6: list[IPv6Address] = []
    for raw in cam.addresses:
        addr = _address(raw, f"camera {cam.mac}")
        (ipv4 if isinstance(addr, IPv4Address) else ipv6).append(addr)  # type: ignore[arg-type]
    return CameraIdentity(
        mac=canonical_mac(cam.mac),
        ipv4=tuple(dict.fromkeys(ipv4)),
        ipv6=tuple(dict.fromkeys(ipv6)),
        name=cam.name,
    )


def build_policy(
    *,
    cameras: Iterable[CameraIdentity],
    ha_hosts: Iterable[str | IPAddress],
    gateways: Iterable[str | IPAddress] = (),
    lan_ranges: Iterable[str | IPNetwork] = (),
    ntp_servers: Iterable[str | IPAddress] = (),
    dns_servers: Iterable[str | IPAddress] = (),
    ntp_redirect: str | IPAddress | None = None,
    update_windows: Mapping[str, datetime] | None = None,
    attempts_timeout: int = DEFAULT_ATTEMPTS_TIMEOUT,
) -> FirewallPolicy:
    """Validate the user's choices into a policy, or raise :class:`PolicyError` saying why."""
    cams = tuple(_camera(cam) for cam in cameras)
    if len(cams) > MAX_CAMERAS:
        raise PolicyError(f"at most {MAX_CAMERAS} cameras can be isolated")
    hosts = tuple(dict.fromkeys(_address(a, "Home Assistant host") for a in ha_hosts))
    if not hosts:
        raise PolicyError("the Home Assistant host's address is needed")
    gws = tuple(dict.fromkeys(_address(a, "gateway") for a in gateways))
    ntp = [_address(a, "NTP server") for a in ntp_servers]
    redirect = None if ntp_redirect is None else _address(ntp_redirect, "NTP redirect")
    if redirect is not None and redirect not in ntp:
        ntp.append(redirect)
    protected = set(hosts) | set(gws)
    seen_macs: set[str] = set()
    seen_addrs: dict[IPAddress, str] = {}
    for cam in cams:
        if cam.mac in seen_macs:
            raise PolicyError(f"camera {cam.mac} is listed twice")
        seen_macs.add(cam.mac)
        for addr in cam.addresses:
            if addr in protected:
                raise PolicyError(f"camera {cam.mac} claims {addr}, a protected address")
            if addr in seen_addrs:
                raise PolicyError(f"{addr} is claimed by {seen_addrs[addr]} and {cam.mac}")
            seen_addrs[addr] = cam.mac
    windows: dict[str, datetime] = {}
    for mac, until in (update_windows or {}).items():
        key = canonical_mac(mac)
        if key not in seen_macs:
            raise PolicyError(f"update window for {key}, which is not an isolated camera")
        if until.tzinfo is None:
            raise PolicyError("update windows need timezone-aware end times")
        windows[key] = until
    if not 60 <= attempts_timeout <= 7 * 24 * 3600:
        raise PolicyError("attempts are kept between a minute and a week")
    return FirewallPolicy(
        cameras=cams,
        ha_hosts=hosts,
        gateways=gws,
        lan_ranges=tuple(dict.fromkeys(_lan_range(n) for n in lan_ranges)),
        ntp_servers=tuple(dict.fromkeys(ntp)),
        dns_servers=tuple(dict.fromkeys(_address(a, "DNS server") for a in dns_servers)),
        ntp_redirect=redirect,
        update_windows=windows,
        attempts_timeout=attempts_timeout,
    )
