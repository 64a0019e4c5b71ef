"""Name a blocked destination from the cloud catalogue, and map cloud domains to addresses.

``resolve_cloud_domains`` is HA-free: it takes the resolver as an argument (Home Assistant
passes one built on its own DNS; tests pass a fake, since they have no DNS at all). Its map
changes as the clouds move, so the glue calls it periodically.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
import ipaddress
from ipaddress import IPv4Address, IPv6Address

from .cloud import CLOUD_SERVICES, CloudService

type IPAddress = IPv4Address | IPv6Address
type Resolver = Callable[[str], Awaitable[Iterable[str]]]
"""Returns the addresses (as text) a name resolves to; raises OSError when it does not."""

RESOLVE_TIMEOUT = 5.0
MAX_ADDRESSES_PER_NAME = 64


@dataclass(frozen=True, slots=True)
class ResolvedName:
    """An address learnt by resolving a catalogue domain."""

    domain: str
    service: CloudService


def _by_address() -> dict[IPAddress, CloudService]:
    found: dict[IPAddress, CloudService] = {}
    for service in CLOUD_SERVICES:
        for text in service.addresses:
            found.setdefault(ipaddress.ip_address(text), service)
    return found


_FIXED = _by_address()


async def resolve_cloud_domains(
    resolver: Resolver,
    services: Iterable[CloudService] = CLOUD_SERVICES,
    *,
    concurrency: int = 8,
    timeout: float = RESOLVE_TIMEOUT,
) -> dict[IPAddress, ResolvedName]:
    """Resolve every catalogue domain; map each address to the domain and its service.

    Names that fail, time out or answer garbage are left out; nothing raises.
    """
    gate = asyncio.Semaphore(concurrency)
    names = [(domain, service) for service in services for domain in service.domains]

    async def one(domain: str) -> list[IPAddress]:
        async with gate:
            try:
                async with asyncio.timeout(timeout):
                    answers = list(await resolver(domain))[:MAX_ADDRESSES_PER_NAME]
            except (OSError, TimeoutError, ValueError):
                return []
        found = []
        for text in answers:
            try:
                found.append(ipaddress.ip_address(text))
            except (ValueError, TypeError):
                continue
        return found

    results = await asyncio.gather(*(one(domain) for domain, _ in names))
    mapping: dict[IPAddress, ResolvedName] = {}
    for (domain, service), addresses in zip(names, results, strict=True):
        for address in addresses:
            mapping.setdefault(address, ResolvedName(domain, service))
    return mapping


def service_for_domain(name: str) -> CloudService | None:
    """Find the catalogue service of a DNS name (exact domain, else the longest suffix)."""
    name = name.strip().rstrip(".").lower()
    best: tuple[int, CloudService] | None = None
    for service in CLOUD_SERVICES:
        if name in service.domains:
            return service
        for suffix in service.suffixes:
            if (name == suffix or name.endswith("." + suffix)) and (
                best is None or len(suffix) > best[0]
            ):
                best = (len(suffix), service)
    return best[1] if best else None


def describe_destination(
    address: str | IPAddress,
    protocol: str,
    port: int | None,
    resolved: Mapping[IPAddress, ResolvedName] | None = None,
) -> str:
    """Label a blocked destination.

    ``114.114.114.114 — hard-coded public DNS, UDP 53``;
    ``easy4ipcloud.com — Dahua P2P, UDP 8800``; the plain destination when it is unknown.
    """
    addr = ipaddress.ip_address(address)
    where = f"{protocol.upper()} {port}" if port is not None else protocol.upper()
    if resolved and addr in resolved:
        hit = resolved[addr]
        domain = hit.domain.removeprefix("www.")
        return f"{domain} — {hit.service.name}, {where}"
    service = _FIXED.get(addr)
    if service is not None:
        return f"{addr} — {service.name}, {where}"
    return f"{addr} — {where}"
