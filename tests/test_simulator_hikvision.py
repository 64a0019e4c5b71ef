"""The Hikvision personas on the wire: identity, ISAPI Digest, deviceInfo, triggers, alertStream."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
import re

import aiohttp
from lxml import etree
import pytest

from custom_components.homebound.catalog import vendor_for_mac
from simulator import CameraConfig, Quirk, VirtualCamera
from simulator.httpauth import parse_auth_params

from .test_simulator_support import client
from .vendor_support import get, raw_stream

pytestmark = pytest.mark.usefixtures("socket_enabled")

STREAM = "/ISAPI/Event/notification/alertStream"
HIK = "{http://www.hikvision.com/ver20/XMLSchema}"


@pytest.fixture
async def hikvision() -> AsyncIterator[VirtualCamera]:
    config = CameraConfig(
        persona="hikvision", rtsp=False, repeat_interval=0.05, heartbeat_interval=0.3
    )
    async with VirtualCamera(config) as camera:
        yield camera


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


def _alert(part: bytes) -> dict[str, str]:
    """The elements of a part's EventNotificationAlert, by local name (first of each)."""
    head, _, body = part.partition(b"\r\n\r\n")
    assert b'Content-Type: application/xml; charset="UTF-8"' in head
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
    assert len(body) == length
    root = etree.fromstring(body)
    assert root.tag == f"{HIK}EventNotificationAlert"
    found: dict[str, str] = {}
    for element in root.iter():
        name = str(element.tag).removeprefix(HIK)
        found.setdefault(name, (element.text or "").strip())
    return found


async def test_identity_and_onvif(hikvision: VirtualCamera) -> None:
    config = hikvision.config
    assert (config.manufacturer, config.name) == ("HIKVISION", "Hikvision Camera")
    assert config.model.startswith("DS-2CD")
    vendor = vendor_for_mac(config.mac)
    assert vendor is not None
    assert vendor.key == "hikvision"
    async with client(hikvision) as device:
        mgmt = await device.create_devicemgmt_service()
        info = await mgmt.GetDeviceInformation()
        assert (info.Manufacturer, info.Model) == ("HIKVISION", config.model)
        await device.update_xaddrs()
        events = await device.create_events_service()
        assert (await events.GetServiceCapabilities()).WSPullPointSupport is True


async def test_isapi_wants_hikvision_digest(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    async with session.get(hikvision.url("/ISAPI/System/deviceInfo")) as response:
        assert response.status == 401
        challenge = response.headers["WWW-Authenticate"]
        body = await response.text()
    assert challenge.startswith('Digest qop="auth", realm="IP Camera(J2914)", nonce="')
    assert challenge.endswith('stale="FALSE"')
    params = parse_auth_params(challenge.removeprefix("Digest "))
    assert "opaque" not in params
    inner = base64.b64decode(bytes.fromhex(params["nonce"])).decode()
    assert re.fullmatch(r"[0-9a-f]{8}:\d{8}", inner)
    assert "<statusString>Unauthorized</statusString>" in body
    status, content_type, text = await get(session, hikvision, "/ISAPI/System/deviceInfo")
    assert (status, content_type) == (200, 'application/xml; charset="UTF-8"')
    info = etree.fromstring(text.encode())
    assert info.findtext(f"{HIK}model") == hikvision.config.model
    assert info.findtext(f"{HIK}macAddress") == hikvision.config.mac
    assert hikvision.request_counts["ISAPI/System/deviceInfo"] == 3


async def test_triggers_list_what_is_set_up(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    status, _, text = await get(session, hikvision, "/ISAPI/Event/triggers")
    assert status == 200
    root = etree.fromstring(text.encode())
    assert root.tag == f"{HIK}EventTriggerList"
    triggers = {
        trigger.findtext(f"{HIK}eventType"): trigger for trigger in root.iter(f"{HIK}EventTrigger")
    }
    assert set(triggers) == {
        "VMD",
        "linedetection",
        "fielddetection",
        "tamperdetection",
        "audioexception",
        "IO",
    }
    assert triggers["IO"].findtext(f"{HIK}inputIOPortID") == "1"
    assert triggers["VMD"].findtext(f"{HIK}videoInputChannelID") == "1"
    assert triggers["VMD"].findtext(f".//{HIK}notificationMethod") == "center"


async def test_alert_stream_active_repeats_inactive_heartbeat(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    async with raw_stream(session, hikvision, STREAM) as stream:
        assert stream.response.headers["Content-Type"] == "multipart/mixed; boundary=boundary"
        hikvision.raise_detection("person")
        await hikvision.wait_for_parts("active", 3)
        hikvision.raise_detection("person", active=False)
        await hikvision.wait_for_parts("heartbeat")
        parts = [_alert(part) for part in await stream.parts(5, b"--boundary")]
    counts = hikvision.stream_parts
    assert counts["inactive"] == 1
    actives, inactive, heartbeat = parts[:-2], parts[-2], parts[-1]
    assert len(actives) == counts["active"] == 3
    first = actives[0]
    assert {
        key: first[key]
        for key in ("ipAddress", "protocol", "macAddress", "channelID", "eventType", "eventState")
    } == {
        "ipAddress": "127.0.0.1",
        "protocol": "HTTP",
        "macAddress": hikvision.config.mac,
        "channelID": "1",
        "eventType": "VMD",
        "eventState": "active",
    }
    assert first["portNo"] == str(hikvision.onvif_port)
    assert first["eventDescription"] == "VMD alarm"
    assert first["detectionTarget"] == "human"
    assert first["dateTime"].endswith("+00:00")
    assert [a["activePostCount"] for a in actives] == ["1", "2", "3"]
    assert (inactive["eventState"], inactive["activePostCount"]) == ("inactive", "3")
    assert (heartbeat["eventType"], heartbeat["eventState"]) == ("videoloss", "inactive")


async def test_regions_inputs_and_nvrs_that_never_say_inactive(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    hikvision.set_quirk(Quirk.NO_INACTIVE)
    async with raw_stream(session, hikvision, STREAM) as stream:
        hikvision.raise_detection("intrusion", region="Gate", pulse=True)
        hikvision.raise_detection("digital_input", channel=2, pulse=True)
        hikvision.raise_detection("tamper")
        hikvision.raise_detection("tamper", active=False)
        await hikvision.wait_for_parts("heartbeat")
        parts = [_alert(part) for part in await stream.parts(4, b"--boundary")]
    field, io, tamper, heartbeat = parts
    assert (field["eventType"], field["regionID"], field["sensitivityLevel"]) == (
        "fielddetection",
        "Gate",
        "50",
    )
    assert "detectionTarget" not in field
    assert (io["eventType"], io["inputIOPortID"]) == ("IO", "2")
    assert "channelID" not in io
    assert tamper["eventType"] == "shelteralarm"
    assert heartbeat["eventType"] == "videoloss"
    assert hikvision.stream_parts["inactive"] == 0


async def test_the_stream_ends_with_the_camera(
    hikvision: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    async with raw_stream(session, hikvision, STREAM) as stream:
        hikvision.set_event_stream(False)
        with pytest.raises(aiohttp.ClientPayloadError):
            await stream.until(lambda _data: False)
    assert not hikvision.events.listeners
    status, _, _ = await get(session, hikvision, STREAM)
    assert status == 503
    hikvision.set_event_stream(True)
    async with raw_stream(session, hikvision, STREAM) as stream:
        await hikvision.reboot()
        with pytest.raises(aiohttp.ClientPayloadError):
            await stream.until(lambda _data: False)


async def test_the_nvr_persona() -> None:
    config = CameraConfig(persona="hikvision-nvr", rtsp=False)
    assert config.model.startswith("DS-76")
    vendor = vendor_for_mac(config.mac)
    assert vendor is not None
    assert vendor.key == "hikvision"
    camera = VirtualCamera(config)
    assert Quirk.NO_INACTIVE in camera.config.quirks
    assert camera.state.http_auth.realm == "DVRNVRDVS"
