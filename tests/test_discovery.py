"""WS-Discovery: probe plans, one socket per source address, parsing answers."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.homebound.device import ProbePlan, async_discover, discovery, probe_plan
from custom_components.homebound.device.discovery import (
    ENV_DISCOVERY_TARGETS,
    MULTICAST_TARGET,
    build_probe,
    parse_probe_matches,
)
from simulator import CameraConfig, VirtualCamera


def test_probe_match_parsing() -> None:
    probe = build_probe("urn:uuid:1")
    assert b"NetworkVideoTransmitter" in probe
    assert parse_probe_matches(b"not xml", "urn:uuid:1", "127.0.0.1") == []
    assert parse_probe_matches(probe, "urn:uuid:1", "127.0.0.1") == []


def test_plan_sends_from_every_usable_adapter(monkeypatch: pytest.MonkeyPatch) -> None:
    """In real use: the multicast group, from each IPv4 adapter address (no loopback, no
    link-local, no IPv6, no repeats)."""
    monkeypatch.delenv(ENV_DISCOVERY_TARGETS, raising=False)
    plan = probe_plan(
        ["198.18.1.5", "127.0.0.1", "169.254.3.3", "fe80::1", "198.18.2.5", "198.18.1.5", "x"]
    )
    assert plan == ProbePlan(sources=("198.18.1.5", "198.18.2.5"), targets=(MULTICAST_TARGET,))


def test_test_rigs_probe_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the test hook set, probes go from loopback to loopback and nowhere else."""
    monkeypatch.setenv(
        ENV_DISCOVERY_TARGETS, "127.0.0.1:4000, 239.255.255.250:3702,198.18.0.9:3702,bad,::1:9"
    )
    plan = probe_plan(["198.18.1.5"])
    assert plan == ProbePlan(sources=("127.0.0.1",), targets=(("127.0.0.1", 4000),))


async def test_a_test_hook_naming_no_loopback_target_sends_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hook that names only other hosts leaves no target: no socket is even opened."""
    monkeypatch.setenv(ENV_DISCOVERY_TARGETS, "198.18.0.9:3702,239.255.255.250:3702")

    def no_socket(source: str) -> None:
        raise AssertionError(f"a socket was opened from {source}")

    monkeypatch.setattr(discovery, "_socket", no_socket)
    assert await async_discover(probe_plan(["198.18.1.5"]), timeout=5) == []


class _Recorder(asyncio.DatagramProtocol):
    """A UDP listener that notes where probes come from."""

    def __init__(self) -> None:
        self.senders: list[str] = []
        self.two = asyncio.Event()

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        self.senders.append(str(addr[0]))
        if len(set(self.senders)) >= 2:
            self.two.set()


async def test_one_socket_per_source_address() -> None:
    """Each source address sends its own probes (a multi-NIC host reaches every LAN); a source
    that cannot be bound is skipped without failing the search."""
    loop = asyncio.get_running_loop()
    transport, recorder = await loop.create_datagram_endpoint(
        _Recorder, local_addr=("127.0.0.1", 0)
    )
    port = transport.get_extra_info("sockname")[1]
    try:
        plan = ProbePlan(
            sources=("127.0.0.1", "127.0.0.2", "192.0.2.1"), targets=(("127.0.0.1", port),)
        )
        found = await async_discover(plan, timeout=0.05)
        await asyncio.wait_for(recorder.two.wait(), 5)
    finally:
        transport.close()
    assert found == []
    assert sorted(set(recorder.senders)) == ["127.0.0.1", "127.0.0.2"]


async def test_discovery_finds_simulator() -> None:
    async with VirtualCamera(CameraConfig(rtsp=False, discovery_port=0)) as sim:
        assert sim.discovery_port is not None
        plan = ProbePlan(sources=("127.0.0.1",), targets=(("127.0.0.1", sim.discovery_port),))
        found = await async_discover(plan, timeout=0.5)
    assert len(found) == 1
    camera = found[0]
    assert (camera.host, camera.port) == ("127.0.0.1", sim.onvif_port)
    assert camera.name == "Virtual Camera"
    assert camera.hardware == sim.config.hardware_id
    assert camera.mac == sim.config.mac


async def test_nothing_to_probe() -> None:
    assert await async_discover(ProbePlan(sources=("127.0.0.1",), targets=()), timeout=5) == []
