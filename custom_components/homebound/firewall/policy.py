"""The isolation policy: who is isolated, and what they may still reach. Pure data.

Default deny. A selected camera may reach the Home Assistant host(s), the gateway(s), the LAN
ranges the user allows and the NTP (UDP 123) and DNS (UDP/TCP 53) servers the user names;
everything else it sends is dropped and counted. While the user holds a firmware-update window
open for a camera, that camera may reach everything until the window closes.

Invariants, checked by :func:`plan_policy` (and so by every backend, which only renders
policies):

* a protected key - a MAC or address of the Home Assistant host, of a gateway, of an allowed
  NTP/DNS server, or of another camera (isolated or not) - is never matched, so nobody but the
  camera can ever be blocked;
* validation is per camera: an offending key is left out with a typed :class:`Refusal`, and
  the rest of the policy is built. Only the user's own allow-list being invalid fails the
  whole policy (:class:`PolicyError`): the gateways and Home Assistant hosts are LAN hosts,
  the LAN ranges are private ranges of a sane size and no translation range (6to4, Teredo,
  NAT64, IPv4-mapped), so that an allow-list cannot be made to mean "the internet";
* everything rendered comes from parsed objects: canonical MACs, addresses without scope ids.

A camera is matched by MAC where the network showed one (IPv6 SLAAC and privacy addresses
change behind an address rule's back) and by every address the network tied to it; a camera
whose MAC is unknown is matched by address only (:mod:`.matching` decides the keys).
:func:`build_policy` is the strict form: it raises on the first refusal (for callers that must
not apply a partial policy, and for the tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from ipaddress import IPv4Network, IPv6Network, ip_network

from ..catalog import normalize_mac
from .errors import PolicyError
from .keys import CameraIdentity, IPAddress, camera_addresses, canonical_mac, host_address
from .ranges import is_public_ipv4, is_translation
from .refusals import Refusal, RefusalReason
from .safe import parse_address, parse_network, plain_address, shown
from .vetting import Vetting, vet_cameras

type IPNetwork = IPv4Network | IPv6Network

__all__ = [
    "DEFAULT_ATTEMPTS_TIMEOUT",
    "MAX_CAMERAS",
    "CameraIdentity",
    "FirewallPolicy",
    "IPAddress",
    "IPNetwork",
    "build_policy",
    "camera_addresses",
    "canonical_mac",
    "plan_policy",
]

MAX_CAMERAS = 4096
"""The sets on the router are sized for this many cameras (and a policy refuses more)."""
DEFAULT_ATTEMPTS_TIMEOUT = 24 * 3600
"""How long an attempted destination is remembered after its last attempt, in seconds."""
_MIN_PREFIX = {4: 8, 6: 7}
_SITE_PREFIX = 48
"""A global IPv6 LAN range is a site's own prefix: a /48 or longer."""


@dataclass(frozen=True, slots=True)
class FirewallPolicy:
    """A validated policy; build it with :func:`plan_policy` (or :func:`build_policy`)."""

    cameras: tuple[CameraIdentity, ...]
    ha_hosts: tuple[IPAddress, ...]
    gateways: tuple[IPAddress, ...]
    lan_ranges: tuple[IPNetwork, ...]
    ntp_servers: tuple[IPAddress, ...]
    dns_servers: tuple[IPAddress, ...]
    ntp_redirect: IPAddress | None
    update_windows: Mapping[str, datetime]
    """Camera id -> when its firmware-update window closes (timezone-aware)."""
    attempts_timeout: int = DEFAULT_ATTEMPTS_TIMEOUT
    refusals: tuple[Refusal, ...] = ()
    """Keys left out, per camera (cameras left with no key at all are not in ``cameras``)."""

    def camera(self, key: str) -> CameraIdentity | None:
        """Return the camera with this id or MAC (any spelling), if the policy selects it."""
        mac = normalize_mac(key)
        wanted = ":".join(mac[i : i + 2] for i in range(0, 12, 2)).lower() if mac else None
        for cam in self.cameras:
            if cam.id == key or (wanted is not None and cam.mac == wanted):
                return cam
        return None

    def open_windows(self, now: datetime) -> dict[str, int]:
        """Camera id -> whole seconds left, for the update windows still open at ``now``."""
        left = {}
        for ident, until in self.update_windows.items():
            seconds = int((until - now).total_seconds())
            if seconds > 0:
                left[ident] = seconds
        return left

    def allowed_networks(self) -> tuple[IPNetwork, ...]:
        """Destinations every camera may reach whatever the port: HA hosts, gateways, LAN."""
        hosts = [ip_network(addr) for addr in (*self.ha_hosts, *self.gateways)]
        return (*hosts, *self.lan_ranges)

    def allowed_services(self) -> tuple[tuple[IPAddress, str, int], ...]:
        """(server, protocol, port) triples every camera may reach: the NTP and DNS servers."""
        services: list[tuple[IPAddress, str, int]] = [
            (addr, "udp", 123) for addr in self.ntp_servers
        ]
        for addr in self.dns_servers:
            services += [(addr, "udp", 53), (addr, "tcp", 53)]
        return tuple(dict.fromkeys(services))


def _lan_host(value: object, what: str, ranges: tuple[IPNetwork, ...]) -> IPAddress:
    """Check a gateway or HA host: reachable on every port, so never an internet host.

    A global IPv6 address passes only inside one of the policy's LAN ranges (the site's own
    prefix, which the allow-list form takes only from Home Assistant's adapters).
    """
    addr = host_address(value, what)
    site = addr.version == 6 and any(addr in net for net in ranges if net.version == 6)
    if is_public_ipv4(addr) or is_translation(addr) or (addr.is_global and not site):
        raise PolicyError(f"{what}: {addr} is not an address on a home network")
    return addr


def _lan_range(value: object) -> IPNetwork:
    """Check a LAN range: private and at most a /8 (IPv4) or /7 (IPv6), or a site's IPv6 /48+."""
    net = parse_network(value)
    if net is None:
        if "%" in str(value):
            raise PolicyError(f"LAN range: a network with a scope id: {shown(value)}")
        raise PolicyError(f"LAN range: not a network: {shown(value)}")
    private = net.is_private and net.prefixlen >= _MIN_PREFIX[net.version]
    site = net.version == 6 and net.is_global and net.prefixlen >= _SITE_PREFIX
    if not (private or site) or is_translation(net):
        raise PolicyError(f"LAN range {net} is not a private range of a home network")
    return net


def plan_policy(
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
    bystanders: Iterable[CameraIdentity] = (),
    protected_macs: Mapping[str, RefusalReason] | None = None,
    protected_addresses: Mapping[IPAddress, RefusalReason] | None = None,
    strict: bool = False,
) -> FirewallPolicy:
    """Validate the user's choices and the cameras' keys into a policy.

    ``bystanders`` are the cameras not isolated: none of their keys may match an isolated
    one. ``protected_macs`` are MACs of the HA host, the gateways and the servers, and
    ``protected_addresses`` other addresses of those machines (the router's own, learnt from
    the network, see :func:`~.matching.plan_isolation`); the allow-list's hosts and servers
    are protected in any case. Raises :class:`PolicyError` only for the allow-list (and,
    with ``strict``, for the first refusal).
    """
    ranges = tuple(dict.fromkeys(_lan_range(n) for n in lan_ranges))
    hosts = tuple(dict.fromkeys(_lan_host(a, "Home Assistant host", ranges) for a in ha_hosts))
    if not hosts:
        raise PolicyError("the Home Assistant host's address is needed")
    gws = tuple(dict.fromkeys(_lan_host(a, "gateway", ranges) for a in gateways))
    ntp = [host_address(a, "NTP server") for a in ntp_servers]
    redirect = None if ntp_redirect is None else host_address(ntp_redirect, "NTP redirect")
    if redirect is not None and redirect not in ntp:
        ntp.append(redirect)
    dns = tuple(dict.fromkeys(host_address(a, "DNS server") for a in dns_servers))
    if not 60 <= attempts_timeout <= 7 * 24 * 3600:
        raise PolicyError("attempts are kept between a minute and a week")
    protected: dict[str, RefusalReason] = {}
    for addr in (*ntp, *dns):
        protected[plain_address(addr)] = RefusalReason.ALLOWED_SERVER
    protected.update({plain_address(a): RefusalReason.GATEWAY for a in gws})
    protected.update({plain_address(a): RefusalReason.HA_HOST for a in hosts})
    for mac, reason in (protected_macs or {}).items():
        protected.setdefault(canonical_mac(mac), RefusalReason(reason))
    for raw, reason in (protected_addresses or {}).items():
        if (own := parse_address(raw)) is not None:
            protected.setdefault(plain_address(own), RefusalReason(reason))
    vetting = Vetting(protected, strict, [])
    cams = tuple(vet_cameras(cameras, bystanders, vetting))
    if len(cams) > MAX_CAMERAS:
        raise PolicyError(f"at most {MAX_CAMERAS} cameras can be isolated")
    windows: dict[str, datetime] = {}
    for key, until in (update_windows or {}).items():
        if until.tzinfo is None:
            raise PolicyError("update windows need timezone-aware end times")
        found = _find(cams, key)
        if found is None:
            if strict:
                raise PolicyError(f"update window for {shown(key)}: not an isolated camera")
            continue
        windows[found.id] = until
    return FirewallPolicy(
        cameras=cams,
        ha_hosts=hosts,
        gateways=gws,
        lan_ranges=ranges,
        ntp_servers=tuple(dict.fromkeys(ntp)),
        dns_servers=dns,
        ntp_redirect=redirect,
        update_windows=windows,
        attempts_timeout=attempts_timeout,
        refusals=tuple(vetting.refusals),
    )


def _find(cams: tuple[CameraIdentity, ...], key: str) -> CameraIdentity | None:
    return FirewallPolicy(cams, (), (), (), (), (), None, {}).camera(key)


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
    """Build a policy strictly: :class:`PolicyError` on the first key that would be refused.

    For callers that must apply all or nothing (the tests, and the glue until it moves to
    :func:`~.matching.plan_isolation`, which leaves keys out instead).
    """
    return plan_policy(
        cameras=cameras,
        ha_hosts=ha_hosts,
        gateways=gateways,
        lan_ranges=lan_ranges,
        ntp_servers=ntp_servers,
        dns_servers=dns_servers,
        ntp_redirect=ntp_redirect,
        update_windows=update_windows,
        attempts_timeout=attempts_timeout,
        strict=True,
    )
