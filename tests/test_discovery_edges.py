"""WS-Discovery answers as odd firmware sends them, over real loopback UDP.

A responder on loopback answers each probe with the datagrams a test gives it (an answer to
another search, addresses Homebound cannot use, IPv6 next to IPv4, scopes left out); the
search must list exactly the cameras it can reach, at the address that works.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib

from lxml import etree
import pytest

from custom_components.homebound.device import DiscoveredCamera, ProbePlan, async_discover

WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
LISTEN = 0.3
"""Seconds each search listens (the protocol's window; answers here come at once)."""

type Answers = Callable[[str], list[bytes]]


def probe_matches(relates_to: str, *matches: tuple[str, str, str]) -> bytes:
    """A ProbeMatches datagram: (endpoint, XAddrs, Scopes) per match."""
    body = "".join(
        "<d:ProbeMatch>"
        f"<a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference>"
        f"<d:Scopes>{scopes}</d:Scopes><d:XAddrs>{xaddrs}</d:XAddrs>"
        "</d:ProbeMatch>"
        for endpoint, xaddrs, scopes in matches
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
        f' xmlns:a="{WSA}" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">'
        f"<s:Header><a:RelatesTo>{relates_to}</a:RelatesTo></s:Header>"
        f"<s:Body><d:ProbeMatches>{body}</d:ProbeMatches></s:Body></s:Envelope>"
    ).encode()


class _Responder(asyncio.DatagramProtocol):
    """Answers every probe with ``answers(its MessageID)``."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        message_id = etree.fromstring(data).findtext(f".//{{{WSA}}}MessageID") or ""
        assert self.transport is not None
        for answer in self.answers(message_id):
            self.transport.sendto(answer, addr)


@contextlib.asynccontextmanager
async def responder(answers: Answers) -> AsyncIterator[int]:
    """A loopback WS-Discovery responder; yields its port."""
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        lambda: _Responder(answers), local_addr=("127.0.0.1", 0)
    )
    try:
        yield int(transport.get_extra_info("sockname")[1])
    finally:
        transport.close()


async def _search(answers: Answers) -> list[DiscoveredCamera]:
    async with responder(answers) as port:
        plan = ProbePlan(sources=("127.0.0.1",), targets=(("127.0.0.1", port),))
        return await async_discover(plan, timeout=LISTEN)


async def test_only_usable_answers_to_this_search_are_listed() -> None:
    """An answer to another search is ignored; so are matches without an HTTP address or
    with an address without a host. A match without name or hardware scopes is still a
    camera, listed without them."""

    def answers(message_id: str) -> list[bytes]:
        return [
            probe_matches(
                "urn:uuid:someone-else", ("urn:uuid:other", "http://127.0.0.1:8001/onvif", "")
            ),
            probe_matches(
                message_id,
                ("urn:uuid:udp-only", "soap.udp://127.0.0.1:3702", ""),
                ("urn:uuid:no-host", "http:///onvif/device_service", ""),
                ("urn:uuid:plain", "http://127.0.0.1:8002/onvif/device_service", ""),
            ),
        ]

    found = await _search(answers)
    assert [(c.endpoint, c.host, c.port, c.name, c.hardware, c.mac) for c in found] == [
        ("urn:uuid:plain", "127.0.0.1", 8002, "", "", None)
    ]


async def test_the_address_that_works_is_preferred() -> None:
    """A camera listing several addresses is reached at the one its answer came from, else
    at an IPv4 one (not link-local IPv6); a camera with only IPv6 keeps that, and an
    https address without a port means 443."""

    def answers(message_id: str) -> list[bytes]:
        return [
            probe_matches(
                message_id,
                (
                    "urn:uuid:sender",
                    "http://[fe80::1]/onvif http://127.0.0.1:8003/onvif/device_service",
                    "onvif://www.onvif.org/name/Front_Door",
                ),
                (
                    "urn:uuid:v4",
                    "http://[fe80::2]/onvif http://198.18.0.7/onvif/device_service",
                    "onvif://www.onvif.org/hardware/IPC%2D1 onvif://www.onvif.org/MAC/02-48-42-00-00-07",
                ),
                ("urn:uuid:v6", "https://[fd00::5]/onvif/device_service", ""),
            )
        ]

    found = {c.endpoint: c for c in await _search(answers)}
    assert set(found) == {"urn:uuid:sender", "urn:uuid:v4", "urn:uuid:v6"}
    assert (found["urn:uuid:sender"].host, found["urn:uuid:sender"].port) == ("127.0.0.1", 8003)
    assert found["urn:uuid:sender"].name == "Front Door"
    v4 = found["urn:uuid:v4"]
    assert (v4.host, v4.port, v4.hardware, v4.mac) == (
        "198.18.0.7",
        80,
        "IPC-1",
        "02:48:42:00:00:07",
    )
    assert (found["urn:uuid:v6"].host, found["urn:uuid:v6"].port) == ("fd00::5", 443)


async def test_a_probe_that_cannot_be_sent_does_not_end_the_search(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A target the probe cannot be sent to (here port 0, refused by the kernel) is logged
    and skipped; the other targets are still searched."""

    def answers(message_id: str) -> list[bytes]:
        return [probe_matches(message_id, ("urn:uuid:cam", "http://127.0.0.1:8004/onvif", ""))]

    caplog.set_level("DEBUG", logger="custom_components.homebound.device.discovery")
    async with responder(answers) as port:
        plan = ProbePlan(sources=("127.0.0.1",), targets=(("127.0.0.1", 0), ("127.0.0.1", port)))
        found = await async_discover(plan, timeout=LISTEN)
    assert [c.endpoint for c in found] == ["urn:uuid:cam"]
    assert "WS-Discovery socket error" in caplog.text


async def test_one_impossible_address_costs_no_other_match() -> None:
    """A match with port 99999 (or a broken IPv6 literal) is left out, the others of the
    same datagram are listed; a camera listing a good address beside the bad one is too."""

    def answers(message_id: str) -> list[bytes]:
        return [
            probe_matches(
                message_id,
                ("urn:uuid:bad-port", "http://127.0.0.1:99999/onvif/device_service", ""),
                ("urn:uuid:bad-v6", "http://[fd00::1/onvif/device_service", ""),
                (
                    "urn:uuid:one-good",
                    "http://127.0.0.1:99999/onvif http://127.0.0.1:8006/onvif/device_service",
                    "",
                ),
                ("urn:uuid:fine", "http://127.0.0.1:8005/onvif/device_service", ""),
            )
        ]

    found = await _search(answers)
    assert [(c.endpoint, c.port) for c in found] == [
        ("urn:uuid:fine", 8005),
        ("urn:uuid:one-good", 8006),
    ]
