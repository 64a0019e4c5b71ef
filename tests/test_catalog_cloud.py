"""The cloud catalogue: schema of the data, labels of blocked destinations, domain resolution."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
import ipaddress
import re

from custom_components.homebound.catalog import (
    CLOUD_SERVICES,
    VENDORS,
    describe_destination,
    resolve_cloud_domains,
    service_for_domain,
)

VENDOR_KEYS = {v.key for v in VENDORS} | {"public", "xiongmai", "tplink"}
DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}")


def test_every_entry_is_well_formed() -> None:
    keys = [s.key for s in CLOUD_SERVICES]
    assert len(keys) == len(set(keys))
    seen_domains: set[str] = set()
    seen_addresses: set[str] = set()
    for service in CLOUD_SERVICES:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", service.key)
        assert service.vendor in VENDOR_KEYS, service.key
        assert service.name
        assert len(service.source) > 10, service.key
        assert service.domains or service.suffixes or service.addresses or service.ports
        for name in (*service.domains, *service.suffixes):
            assert DOMAIN.fullmatch(name), name
        for name in service.domains:
            assert name not in seen_domains, name
            seen_domains.add(name)
        assert len(set(service.suffixes)) == len(service.suffixes)
        for proto, port in service.ports:
            assert proto in {"tcp", "udp"}
            assert 1 <= port <= 65535
        assert len(set(service.ports)) == len(service.ports)
        for text in service.addresses:
            addr = ipaddress.ip_address(text)
            assert addr.is_global, text
            assert text not in seen_addresses, text
            seen_addresses.add(text)
        assert not service.resolver or service.ports


def test_labels_name_what_was_blocked() -> None:
    assert describe_destination("114.114.114.114", "udp", 53) == (
        "114.114.114.114 — hard-coded public DNS, UDP 53"
    )
    assert describe_destination("203.0.113.9", "icmp", None) == "203.0.113.9 — ICMP"


async def test_resolution_uses_the_injected_resolver_only() -> None:
    asked: list[str] = []

    async def fake(name: str) -> Iterable[str]:
        asked.append(name)
        if name == "www.easy4ipcloud.com":
            return ["203.0.113.80", "2001:db8::80", "garbage"]
        if name == "p2p.reolink.com":
            await asyncio.sleep(10)
        raise OSError("no such name")

    mapping = await resolve_cloud_domains(fake, timeout=0.2)
    assert set(asked) == {d for s in CLOUD_SERVICES for d in s.domains}
    hit = mapping[ipaddress.ip_address("203.0.113.80")]
    assert hit.service.key == "dahua_p2p"
    assert describe_destination("203.0.113.80", "udp", 8800, mapping) == (
        "easy4ipcloud.com — Dahua P2P, UDP 8800"
    )
    assert len(mapping) == 2


def test_domain_lookup_by_name_and_suffix() -> None:
    ezviz = service_for_domain("vtmvirginia.ezvizlife.com.")
    assert ezviz is not None
    assert ezviz.key == "ezviz"
    cloudlinks = service_for_domain("p2p1.cloudlinks.cn")
    assert cloudlinks is not None
    assert cloudlinks.key == "cloudlinks"
    assert service_for_domain("example.org") is None
