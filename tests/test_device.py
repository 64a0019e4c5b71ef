"""The device layer on its own: helpers, WS-Discovery, and the client against the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.homebound.device import (
    CameraAuthError,
    CameraUnreachableError,
    OnvifClient,
    async_discover,
    format_mac,
    redact_url,
    with_credentials,
)
from custom_components.homebound.device.discovery import build_probe, parse_probe_matches
from simulator import CameraConfig, Quirk, VirtualCamera


def test_format_mac() -> None:
    assert format_mac("02-48-42-00-00-01") == "02:48:42:00:00:01"
    assert format_mac("EC71DB000001") == "ec:71:db:00:00:01"
    assert format_mac("00:00:00:00:00:00") is None
    assert format_mac("not a mac") is None


def test_credentials_in_urls() -> None:
    assert (
        with_credentials("rtsp://10.0.0.1:554/main", "admin", "p@ss:word")
        == "rtsp://admin:p%40ss%3Aword@10.0.0.1:554/main"
    )
    assert with_credentials("rtsp://10.0.0.1/main", "", "") == "rtsp://10.0.0.1/main"
    assert redact_url("rtsp://admin:secret@10.0.0.1/main") == "rtsp://**REDACTED**@10.0.0.1/main"
    assert redact_url("rtsp://10.0.0.1/main") == "rtsp://10.0.0.1/main"


def test_probe_match_parsing() -> None:
    probe = build_probe("urn:uuid:1")
    assert b"NetworkVideoTransmitter" in probe
    assert parse_probe_matches(b"not xml", "urn:uuid:1", "127.0.0.1") == []
    assert parse_probe_matches(probe, "urn:uuid:1", "127.0.0.1") == []


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


async def test_discovery_finds_simulator() -> None:
    async with VirtualCamera(CameraConfig(rtsp=False, discovery_port=0)) as sim:
        assert sim.discovery_port is not None
        found = await async_discover([("127.0.0.1", sim.discovery_port)], timeout=0.5)
    assert len(found) == 1
    camera = found[0]
    assert (camera.host, camera.port) == ("127.0.0.1", sim.onvif_port)
    assert camera.name == "Virtual Camera"
    assert camera.hardware == sim.config.hardware_id


async def test_client_reads_camera(session: aiohttp.ClientSession) -> None:
    async with VirtualCamera(CameraConfig(rtsp=False, main_codec="H265")) as sim:
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "secret", session)
        info = await client.async_connect()
        try:
            assert info.identity.mac == "02:48:42:00:00:01"
            assert info.has_media2
            main = info.main_profile
            assert (main.codec, main.width, main.height) == ("H265", 640, 480)
            assert [p.codec for p in info.profiles] == ["H265", "H264"]
            uri = await client.async_get_stream_uri(main)
            assert uri.startswith("rtsp://127.0.0.1:")
            image = await client.async_get_snapshot(main)
            assert image.startswith(b"\xff\xd8")
            await client.async_check()
        finally:
            await client.async_close()


async def test_client_falls_back_to_media1(session: aiohttp.ClientSession) -> None:
    async with VirtualCamera(CameraConfig(rtsp=False, quirks=frozenset({Quirk.NO_MEDIA2}))) as sim:
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "secret", session)
        info = await client.async_connect()
        await client.async_close()
    assert not info.has_media2
    assert [p.token for p in info.profiles] == ["profile_main", "profile_sub"]


async def test_client_errors(session: aiohttp.ClientSession) -> None:
    async with VirtualCamera(CameraConfig(rtsp=False)) as sim:
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "wrong", session)
        with pytest.raises(CameraAuthError):
            await client.async_connect()
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "secret", session)
        await client.async_connect()
        await sim.set_online(False)
        with pytest.raises(CameraUnreachableError):
            await client.async_check()
        assert client.reachable is False
        await sim.set_online(True)
        await client.async_check()
        assert bool(client.reachable)
        await client.async_close()


async def test_snapshot_auth_refused(session: aiohttp.ClientSession) -> None:
    async with VirtualCamera(CameraConfig(rtsp=False)) as sim:
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "secret", session)
        info = await client.async_connect()
        sim.set_credentials("admin", "other")
        with pytest.raises(CameraAuthError):
            await client.async_get_snapshot(info.main_profile)
        await client.async_close()
