"""A camera's identity and match keys, and the parsing every key goes through.

A key is a canonical MAC (``aa:bb:cc:dd:ee:ff``) or an address without scope id; nothing
else a camera, a router or a form says reaches a rule (see :mod:`.safe` for why).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import hashlib
from ipaddress import IPv4Address, IPv6Address

from ..catalog import normalize_mac
from .errors import PolicyError
from .safe import parse_address, plain_address, safe_name, shown

type IPAddress = IPv4Address | IPv6Address


@dataclass(frozen=True, slots=True)
class CameraIdentity:
    """One camera and its match keys: its MAC (when the network showed one) and addresses."""

    mac: str
    """Canonical (``aa:bb:cc:dd:ee:ff``); empty when the network showed none."""
    ipv4: tuple[IPv4Address, ...] = ()
    ipv6: tuple[IPv6Address, ...] = ()
    name: str = ""
    ident: str = ""
    """The caller's stable id for the camera (say, its config entry); empty: the MAC."""

    @classmethod
    def parse(
        cls, mac: str | None, addresses: Iterable[str] = (), name: str = "", ident: str = ""
    ) -> CameraIdentity:
        """Build an identity from text (as the config entry stores it); PolicyError if bad."""
        what = f"camera {shown(mac or ident)}"
        parsed = [host_address(text, what) for text in addresses]
        return cls(
            mac=canonical_mac(mac) if mac else "",
            ipv4=tuple(dict.fromkeys(a for a in parsed if isinstance(a, IPv4Address))),
            ipv6=tuple(dict.fromkeys(a for a in parsed if isinstance(a, IPv6Address))),
            name=safe_name(name),
            ident=ident,
        )

    @property
    def id(self) -> str:
        """The camera's id in readings, windows and refusals: ``ident``, else the MAC."""
        return self.ident or self.mac or ""

    @property
    def key(self) -> str:
        """The camera's name inside the ruleset (counters): its MAC's 12 hex digits.

        Without a MAC, ``x`` and a digest of the id: never a camera's own text, never equal
        to a MAC's key.
        """
        if self.mac:
            return self.mac.replace(":", "")
        return "x" + hashlib.sha256(self.id.encode()).hexdigest()[:15]

    @property
    def addresses(self) -> tuple[IPAddress, ...]:
        """Every address the camera is matched by."""
        return (*self.ipv4, *self.ipv6)

    @property
    def by_address_only(self) -> bool:
        """Whether the camera is matched without a MAC (a router sees its addresses only)."""
        return not self.mac


def canonical_mac(mac: str) -> str:
    """``mac`` as lower-case, colon-separated pairs; PolicyError when it is not a unicast MAC."""
    digits = normalize_mac(mac) if isinstance(mac, str) and len(mac) <= 64 else None
    if digits is None:
        raise PolicyError(f"not a MAC address: {shown(mac)}")
    if int(digits[:2], 16) & 1:
        raise PolicyError(f"not a unicast MAC address: {shown(mac)}")
    if digits in {"000000000000"}:
        raise PolicyError(f"not a device MAC address: {shown(mac)}")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2)).lower()


def camera_addresses(texts: Iterable[str]) -> tuple[str, ...]:
    """Keep the texts that are addresses a router can match a camera's traffic by.

    The glue collects a camera's addresses from several places (the entry's host, which may be
    a name; what the camera reports over ONVIF; what DHCP said). Names, loopback, unspecified,
    multicast and IPv4 link-local addresses never appear on a forwarded packet, so they are
    dropped rather than refused; IPv6 link-local ones are dropped for the same reason.
    A scoped IPv6 address (``%...``) is dropped too: the scope is text of the sender's choosing.
    """
    kept: list[str] = []
    for text in texts:
        addr = parse_address(text)
        if addr is None:
            continue
        if addr.is_loopback or addr.is_unspecified or addr.is_multicast or addr.is_link_local:
            continue
        kept.append(plain_address(addr))
    return tuple(dict.fromkeys(kept))


def host_address(value: object, what: str) -> IPAddress:
    """Parse a host address (no scope, not multicast or unspecified); PolicyError if not."""
    addr = parse_address(value)
    if addr is None:
        if isinstance(value, IPv6Address) or "%" in str(value):
            raise PolicyError(f"{what}: an address with a scope id: {shown(value)}")
        raise PolicyError(f"{what}: not an IP address: {shown(value)}")
    if addr.is_unspecified or addr.is_multicast:
        raise PolicyError(f"{what}: {addr} is not a host address")
    return addr
