"""What the network observed: which MAC was seen at which address, where and when.

The firewall matches a camera by keys the network tied to it, never by what the camera says
about itself. The observations come from places a camera cannot write to directly:

* the neighbour table (``ip -j neigh show``) of the router (over SSH) or of the Home
  Assistant host (the local backend): the MAC the kernel talks to at each address;
* the DHCP leases the router handed out: dnsmasq's lease file (where OpenWrt's UCI option
  ``dhcp.@dnsmasq[0].leasefile`` says - its default configuration sets it - or Debian's
  ``/var/lib/misc/dnsmasq.leases``), and odhcpd's (``dhcp.odhcpd.leasefile``: OpenWrt's DHCPv6
  and, on new releases, DHCPv4 server; its ``# iface duid iaid hostname valid ...`` lines);
* what Home Assistant's DHCP discovery saw (the glue feeds those in as :class:`Observation`).

The firewall machine's own MACs and addresses (``ip -j addr show``) come along: they are the
router's (or the Home Assistant host's), and no camera may claim them.

Everything here is parsed from router output, which may be hostile: the parsers check every
type, bound what they read, keep only canonical MACs and addresses without scope, and never
raise. A DHCPv6 lease names a DUID, not a MAC: the MAC is taken from DUID-LL and DUID-LLT of
Ethernet only (a DUID-EN or UUID carries none).
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
import json
from typing import Any

from ..catalog import normalize_mac
from .errors import PolicyError
from .keys import IPAddress, canonical_mac
from .runner import CommandRunner
from .safe import parse_address, unscoped

MAX_TEXT = 8 * 1024 * 1024
"""Most characters of one command's output that are parsed (larger: nothing is read)."""
MAX_ENTRIES = 65536
"""Most observations taken from one source in one read."""
LEASE_BYTES = 4 * 1024 * 1024

_DNSMASQ_LEASES = (
    "f=$(uci -q get 'dhcp.@dnsmasq[0].leasefile' 2>/dev/null); "
    'for p in "$f" /var/lib/misc/dnsmasq.leases /var/lib/dnsmasq/dnsmasq.leases; do '
    f'if [ -n "$p" ] && [ -r "$p" ]; then head -c {LEASE_BYTES} "$p"; exit 0; fi; done; exit 0'
)
_ODHCPD_LEASES = (
    "f=$(uci -q get dhcp.odhcpd.leasefile 2>/dev/null); "
    'for p in "$f"; do '
    f'if [ -n "$p" ] && [ -r "$p" ]; then head -c {LEASE_BYTES} "$p"; exit 0; fi; done; exit 0'
)


class Source(StrEnum):
    """Where an observation comes from, best first (a live neighbour entry beats a lease)."""

    NEIGHBOUR = "neighbour"
    """The router's neighbour table."""
    HOST_NEIGHBOUR = "host_neighbour"
    """The Home Assistant host's neighbour table."""
    DHCP_LEASE = "dhcp_lease"
    DHCPV6_LEASE = "dhcpv6_lease"
    DHCP_DISCOVERY = "dhcp_discovery"
    """Home Assistant's DHCP discovery (fed in by the glue)."""


RANK = {source: rank for rank, source in enumerate(Source)}


@dataclass(frozen=True, slots=True)
class Observation:
    """One MAC seen at one address: where and when."""

    mac: str
    """Canonical (``aa:bb:cc:dd:ee:ff``)."""
    address: IPAddress
    """Without scope id."""
    source: Source
    seen: datetime

    @classmethod
    def make(
        cls, mac: object, address: object, source: Source, seen: datetime
    ) -> Observation | None:
        """Build an observation from untrusted values; None when either is not usable."""
        addr = parse_address(address)
        if addr is None or not isinstance(mac, str) or seen.tzinfo is None:
            return None
        if addr.is_unspecified or addr.is_multicast or addr.is_loopback:
            return None
        try:
            canonical = canonical_mac(mac)
        except PolicyError:
            return None
        return cls(canonical, unscoped(addr), source, seen)


@dataclass(frozen=True, slots=True)
class NetworkView:
    """One read of what the firewall machine sees (:meth:`FirewallBackend.observe`)."""

    read_at: datetime
    observations: tuple[Observation, ...] = ()
    own_macs: frozenset[str] = field(default_factory=frozenset)
    """The MACs of the machine the firewall runs on (the router, or the HA host)."""
    own_addresses: frozenset[IPAddress] = field(default_factory=frozenset)
    where: str = "router"
    """``router`` (SSH backend) or ``ha_host`` (local backend): whose own keys these are."""


def _json_list(text: object) -> list[Any]:
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return []
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    return data if isinstance(data, list) else []


def parse_neighbours(text: object, source: Source, now: datetime) -> list[Observation]:
    """Observations from ``ip -j neigh show`` (failed and incomplete entries have no MAC)."""
    found: list[Observation] = []
    for entry in _json_list(text)[:MAX_ENTRIES]:
        if not isinstance(entry, dict):
            continue
        state = entry.get("state")
        if isinstance(state, list) and ("FAILED" in state or "INCOMPLETE" in state):
            continue
        obs = Observation.make(entry.get("lladdr"), entry.get("dst"), source, now)
        if obs is not None:
            found.append(obs)
    return found


def parse_own(text: object) -> tuple[frozenset[str], frozenset[IPAddress]]:
    """Return the machine's own MACs and addresses from ``ip -j addr show`` (no loopback)."""
    macs: set[str] = set()
    addresses: set[IPAddress] = set()
    for link in _json_list(text)[:4096]:
        if not isinstance(link, dict) or link.get("link_type") == "loopback":
            continue
        mac = link.get("address")
        if isinstance(mac, str):
            with contextlib.suppress(PolicyError):
                macs.add(canonical_mac(mac))
        infos = link.get("addr_info")
        for info in infos[:256] if isinstance(infos, list) else []:
            addr = parse_address(info.get("local")) if isinstance(info, dict) else None
            if addr is not None and not addr.is_loopback:
                addresses.add(unscoped(addr))
    return frozenset(macs), frozenset(addresses)


def _lines(text: object) -> Iterator[list[str]]:
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return
    for count, line in enumerate(text.splitlines()):
        if count >= MAX_ENTRIES:
            return
        yield line.split()


def _expiry(value: str, now: datetime) -> bool:
    """Whether a lease's end (seconds since the epoch; 0 or -1: never) is still ahead."""
    try:
        end = int(value)
    except ValueError:
        return False
    return end in {0, -1} or (0 < end < 2**40 and end > now.timestamp())


def mac_from_duid(duid: str) -> str | None:
    """Return the Ethernet MAC inside a DUID-LL or DUID-LLT (hex, colons optional), or None."""
    digits = duid.replace(":", "")
    if len(digits) > 260 or len(digits) % 2:
        return None
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        return None
    kind, hardware = raw[:2], raw[2:4]
    if hardware != b"\x00\x01":
        return None
    if kind == b"\x00\x03" and len(raw) == 10:
        lladdr = raw[4:]
    elif kind == b"\x00\x01" and len(raw) == 14:
        lladdr = raw[8:]
    else:
        return None
    return lladdr.hex(":")


def parse_dnsmasq_leases(text: object, now: datetime) -> list[Observation]:
    """Observations from a dnsmasq lease file (IPv4 lines by MAC, IPv6 lines by DUID)."""
    found: list[Observation] = []
    for fields in _lines(text):
        # dnsmasq writes exactly five fields (a name it finds illegal becomes "*").
        if len(fields) != 5 or fields[0] == "duid" or not _expiry(fields[0], now):
            continue
        address = parse_address(fields[2])
        if address is None:
            continue
        if address.version == 4:
            obs = Observation.make(fields[1], address, Source.DHCP_LEASE, now)
        else:
            mac = mac_from_duid(fields[4])
            obs = Observation.make(mac, address, Source.DHCPV6_LEASE, now) if mac else None
        if obs is not None:
            found.append(obs)
    return found


def parse_odhcpd_leases(text: object, now: datetime) -> list[Observation]:
    r"""Observations from odhcpd's lease file: ``# iface duid iaid name valid id len addr/len``.

    An ``ipv4`` lease names the client's hardware address where a DHCPv6 one names its DUID.
    A hostname odhcpd found invalid is written raw after ``broken\x20`` and may hold spaces
    of the client's choosing, shifting every later field: such lines are skipped whole.
    """
    found: list[Observation] = []
    for fields in _lines(text):
        if len(fields) < 9 or fields[0] != "#" or fields[4].startswith("broken"):
            continue
        if not fields[7].isdigit() or not _expiry(fields[5], now):
            continue
        ipv4 = fields[3] == "ipv4"
        mac = normalize_mac(fields[2]) if ipv4 else mac_from_duid(fields[2])
        if mac is None:
            continue
        for item in fields[8:72]:
            if "/" not in item:
                break
            obs = Observation.make(
                mac,
                item.split("/", 1)[0],
                Source.DHCP_LEASE if ipv4 else Source.DHCPV6_LEASE,
                now,
            )
            if obs is not None:
                found.append(obs)
    return found


async def observe_network(
    runner: CommandRunner,
    *,
    now: datetime | None = None,
    neighbour_source: Source = Source.NEIGHBOUR,
    where: str = "router",
) -> NetworkView:
    """Read the neighbour table, the DHCP leases and the machine's own keys through ``runner``.

    A command that fails (no ``ip -j``, no lease file) contributes nothing; only a runner that
    cannot run at all (the router away) raises its :class:`~.errors.FirewallError`.
    """
    read_at = now or datetime.now(UTC)
    neigh = await runner.run(("ip", "-j", "neigh", "show"))
    own = await runner.run(("ip", "-j", "addr", "show"))
    dnsmasq = await runner.run(("sh", "-c", _DNSMASQ_LEASES))
    odhcpd = await runner.run(("sh", "-c", _ODHCPD_LEASES))
    observations = [
        *(parse_neighbours(neigh.stdout, neighbour_source, read_at) if neigh.ok else []),
        *(parse_dnsmasq_leases(dnsmasq.stdout, read_at) if dnsmasq.ok else []),
        *(parse_odhcpd_leases(odhcpd.stdout, read_at) if odhcpd.ok else []),
    ]
    macs, addresses = parse_own(own.stdout) if own.ok else (frozenset(), frozenset())
    return NetworkView(read_at, tuple(observations), macs, addresses, where)
