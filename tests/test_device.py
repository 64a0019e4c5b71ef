"""The device layer on its own: the client against the simulator, helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
import datetime as dt

import aiohttp
from onvif import ONVIFCamera
import pytest

from custom_components.homebound.device import (
    CameraAuthError,
    CameraUnreachableError,
    DeviceIdentity,
    NotOnvifError,
    OnvifClient,
    format_mac,
    redact_url,
    with_credentials,
)
from custom_components.homebound.device.services import DEVICE_WSDL, EVENTS_WSDL
from custom_components.homebound.events.onvif_messages import from_pull_result
from simulator import CameraConfig, Quirk, VirtualCamera


def test_format_mac() -> None:
    assert format_mac("02-48-42-00-00-01") == "02:48:42:00:00:01"
    assert format_mac("EC71DB000001") == "ec:71:db:00:00:01"
    assert format_mac("0:1f:54:a:b:c") == "00:1f:54:0a:0b:0c"
    assert format_mac("00:00:00:00:00:00") is None
    assert format_mac("ff:ff:ff:ff:ff:ff") is None
    assert format_mac("not a mac") is None


def test_credentials_in_urls() -> None:
    assert (
        with_credentials("rtsp://10.0.0.1:554/main", "admin", "p@ss:word")
        == "rtsp://admin:p%40ss%3Aword@10.0.0.1:554/main"
    )
    assert with_credentials("rtsp://10.0.0.1/main", "", "") == "rtsp://10.0.0.1/main"
    assert redact_url("rtsp://admin:secret@10.0.0.1/main") == "rtsp://**REDACTED**@10.0.0.1/main"
    assert redact_url("rtsp://10.0.0.1/main") == "rtsp://10.0.0.1/main"
    # Dahua- and Xiongmai-style credentials in the query string.
    redacted = redact_url("rtsp://10.0.0.1/cam/realmonitor?channel=1&user=admin&password=s3cret")
    assert "admin" not in redacted
    assert "s3cret" not in redacted
    assert "channel=1" in redacted
    assert redact_url("http://[::1") == "**REDACTED**"


def _identity(mac: str | None, serial: str) -> DeviceIdentity:
    return DeviceIdentity("Maker", "Model", "1.0", serial, "", mac)


@pytest.mark.parametrize(
    ("mac", "serial", "known_mac", "known_serial", "same"),
    [
        ("02:48:42:00:00:01", "S1", "02:48:42:00:00:01", None, True),
        ("02:48:42:00:00:01", "S1", "024842000001", "s1", True),
        ("02:48:42:00:00:01", "S1", "aa:bb:cc:dd:ee:ff", "S1", False),
        ("02:48:42:00:00:01", "S1", None, "S2", False),
        (None, "S1", "02:48:42:00:00:01", "S1", True),
        (None, "S1", "02:48:42:00:00:01", None, False),
        (None, "S1", "02:48:42:00:00:01", "S2", False),
        (None, "", None, None, False),
    ],
)
def test_identity_matches_only_what_the_camera_reports(
    mac: str | None, serial: str, known_mac: str | None, known_serial: str | None, same: bool
) -> None:
    assert _identity(mac, serial).matches(known_mac, known_serial) is same


def test_canonical_key() -> None:
    assert _identity("02:48:42:00:00:01", "S1").unique_id == "02:48:42:00:00:01"
    assert _identity(None, " HB-1 ").unique_id == "hb-1"


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


async def test_client_reads_camera(session: aiohttp.ClientSession) -> None:
    async with VirtualCamera(CameraConfig(rtsp=False, main_codec="H265")) as sim:
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "secret", session)
        info = await client.async_connect()
        try:
            assert info.identity.mac == "02:48:42:00:00:01"
            assert info.addresses == ("127.0.0.1",)  # GetNetworkInterfaces, over real SOAP
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


async def test_plain_text_errors_and_a_changed_password(session: aiohttp.ClientSession) -> None:
    """A camera that answers every fault as plain-text HTTP 500 and then gets a new password:
    the health check reports refused credentials (so reauth starts), not a crash, and a probe
    with the wrong password says so too."""
    config = CameraConfig(rtsp=False, quirks=frozenset({Quirk.NON_SOAP_FAULTS}))
    async with VirtualCamera(config) as sim:
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "secret", session)
        await client.async_connect()
        sim.set_credentials("admin", "changed")
        with pytest.raises(CameraAuthError):
            await client.async_check()
        await client.async_close()
        with pytest.raises(CameraAuthError):
            await client.async_connect()
        await client.async_close()


async def test_a_web_server_is_not_a_camera(session: aiohttp.ClientSession) -> None:
    from aiohttp import web

    async def page(_: web.Request) -> web.Response:
        return web.Response(status=500, text="Internal Server Error")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        client = OnvifClient("127.0.0.1", runner.addresses[0][1], "admin", "x", session)
        with pytest.raises(NotOnvifError):
            await client.async_connect()
    finally:
        await runner.cleanup()


async def test_device_service_uses_the_small_wsdl(session: aiohttp.ClientSession) -> None:
    """The Device service is built from Homebound's five-operation WSDL, not the library's
    whole-service one (8 MiB and a third of a second to parse), for IPv6 literals too."""
    async with VirtualCamera(CameraConfig(rtsp=False)) as sim:
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "secret", session)
        await client.async_connect()
        try:
            service = await client.service("devicemgmt")
            assert service.url == DEVICE_WSDL
            assert service.xaddr == f"http://{sim.host}:{sim.onvif_port}/onvif/device_service"
        finally:
            await client.async_close()
    v6 = OnvifClient("fd00::10", 8080, "admin", "secret", session)
    v6._camera = ONVIFCamera("fd00::10", 8080, "admin", "secret", no_cache=True)
    try:
        service = await v6.service("devicemgmt")
        assert service.xaddr == "http://[fd00::10]:8080/onvif/device_service"
    finally:
        await v6.async_close()


async def test_event_services_use_the_small_wsdl(session: aiohttp.ClientSession) -> None:
    """Every event service is built from Homebound's own event WSDL (the library's imports the
    whole ONVIF schema: about 6 MiB), a new subscription address replaces the old client, and
    a PullMessages answer is read from it: topic, items and time."""
    async with VirtualCamera(CameraConfig(rtsp=False)) as sim:
        client = OnvifClient(sim.host, sim.onvif_port, "admin", "secret", session)
        await client.async_connect()
        try:
            events = await client.service("events")
            assert events.url == EVENTS_WSDL
            answer = await client.call(
                events.CreatePullPointSubscription({"InitialTerminationTime": "PT60S"})
            )
            address = answer.SubscriptionReference.Address._value_1
            assert isinstance(answer.TerminationTime, dt.datetime)
            pull = await client.service("pullpoint", "PullPointSubscription", address=address)
            assert (pull.url, pull.xaddr) == (EVENTS_WSDL, address)
            sim.trigger_event("tns1:VideoSource/MotionAlarm", {"State": "true"})
            messages, broken = from_pull_result(
                await client.call(pull.PullMessages({"Timeout": "PT5S", "MessageLimit": 10}))
            )
            assert broken == 0
            motion = [m for m in messages if m.topic == "tns1:VideoSource/MotionAlarm"]
            assert motion
            assert motion[-1].data == {"State": "true"}
            assert motion[-1].source
            assert isinstance(motion[-1].time, dt.datetime)
            again = await client.call(
                events.CreatePullPointSubscription({"InitialTerminationTime": "PT60S"})
            )
            other = again.SubscriptionReference.Address._value_1
            assert other != address
            replaced = await client.service("pullpoint", "PullPointSubscription", address=other)
            assert replaced is not pull
            assert replaced.xaddr == other
        finally:
            await client.async_close()
