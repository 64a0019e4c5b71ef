"""Tests of the virtual camera (simulator/), driven through onvif-zeep-async over loopback.

Everything here talks to the camera the way production code does: ONVIFCamera for SOAP, HTTP for
snapshots, ffprobe for RTSP, a UDP socket for WS-Discovery. Media2 has no WSDL in
onvif-zeep-async, so those answers are checked as raw SOAP, and every answer is also validated
against the ONVIF schemas the library bundles.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
from pathlib import Path
import shutil
import signal
import sys
from typing import Any
import uuid

import aiohttp
from aiohttp import web
from lxml import etree
import onvif
from onvif import ONVIFCamera
from onvif.exceptions import ONVIFAuthError, ONVIFError
from onvif.util import is_auth_error, stringify_onvif_error
from PIL import Image
import pytest
from zeep.exceptions import Fault

from simulator import CameraConfig, Quirk, VirtualCamera

from .conftest import onvif_library_basic_auth

pytestmark = pytest.mark.usefixtures("socket_enabled")

REPO_ROOT = Path(__file__).resolve().parent.parent
WSDL_DIR = Path(onvif.__file__).resolve().parent / "wsdl"
GST_PYTHON = Path(os.environ.get("HOMEBOUND_GST_PYTHON") or "/usr/bin/python3")
WAIT = 15.0
MOTION = "tns1:RuleEngine/CellMotionDetector/Motion"

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "tt": "http://www.onvif.org/ver10/schema",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
}
PASSWORD_DIGEST = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordDigest"
)


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
async def camera() -> AsyncIterator[VirtualCamera]:
    """A started camera without RTSP (fast)."""
    async with VirtualCamera(CameraConfig(rtsp=False)) as cam:
        yield cam


@contextlib.asynccontextmanager
async def client(
    cam: VirtualCamera, password: str | None = None, **kwargs: Any
) -> AsyncIterator[ONVIFCamera]:
    """An onvif-zeep-async client for the camera, closed afterwards."""
    device = ONVIFCamera(
        cam.host,
        cam.onvif_port,
        cam.config.username,
        cam.config.password if password is None else password,
        no_cache=True,
        **kwargs,
    )
    try:
        yield device
    finally:
        await device.close()


def soap_request(
    operation: str,
    children: str = "",
    *,
    username: str | None = "admin",
    password: str = "secret",  # noqa: S107
    created: dt.datetime | None = None,
) -> bytes:
    """A SOAP 1.2 request with an optional WS-UsernameToken (PasswordDigest)."""
    security = ""
    if username is not None:
        nonce = os.urandom(16)
        stamp = (created or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        digest = base64.b64encode(
            hashlib.sha1(nonce + stamp.encode() + password.encode()).digest()  # noqa: S324
        ).decode()
        security = (
            f'<wsse:Security xmlns:wsse="{NS["wsse"]}" xmlns:wsu="{NS["wsu"]}">'
            f"<wsse:UsernameToken><wsse:Username>{username}</wsse:Username>"
            f'<wsse:Password Type="{PASSWORD_DIGEST}">{digest}</wsse:Password>'
            f"<wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce>"
            f"<wsu:Created>{stamp}</wsu:Created></wsse:UsernameToken></wsse:Security>"
        )
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
    return (
        f'<?xml version="1.0" encoding="utf-8"?><env:Envelope {namespaces}>'
        f"<env:Header>{security}</env:Header>"
        f"<env:Body><{operation}>{children}</{operation.split()[0]}></env:Body></env:Envelope>"
    ).encode()


async def post(
    session: aiohttp.ClientSession, cam: VirtualCamera, path: str, payload: bytes
) -> tuple[int, etree._Element | None, str]:
    """POST a SOAP request; return (status, first Body child or None, raw text)."""
    url = path if path.startswith("http") else cam.url(path)
    async with session.post(
        url, data=payload, headers={"Content-Type": "application/soap+xml; charset=utf-8"}
    ) as response:
        raw = await response.read()
        status = response.status
    try:
        envelope = etree.fromstring(raw)
    except etree.XMLSyntaxError:
        return status, None, raw.decode(errors="replace")
    body = envelope.find("env:Body", NS)
    first = body[0] if body is not None and len(body) else None
    return status, first, raw.decode()


def fault_subcodes(fault: etree._Element) -> list[str]:
    """The subcode values of a SOAP 1.2 Fault element, outermost first."""
    return [
        (value.text or "").split(":")[-1]
        for value in fault.iterfind(".//env:Subcode/env:Value", NS)
    ]


# --- device service ---------------------------------------------------------------------------


async def test_device_service_through_onvif_zeep_async(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        await device.update_xaddrs()
        port = camera.onvif_port
        assert device.xaddrs == {
            "http://www.onvif.org/ver10/device/wsdl": f"http://127.0.0.1:{port}/onvif/device_service",
            "http://www.onvif.org/ver10/media/wsdl": f"http://127.0.0.1:{port}/onvif/media_service",
            "http://www.onvif.org/ver20/media/wsdl": f"http://127.0.0.1:{port}/onvif/media2_service",
            "http://www.onvif.org/ver10/events/wsdl": f"http://127.0.0.1:{port}/onvif/events_service",
        }
        mgmt = await device.create_devicemgmt_service()
        info = await mgmt.GetDeviceInformation()
        assert (info.Manufacturer, info.Model, info.FirmwareVersion) == (
            "Homebound",
            "Virtual Camera VC-1",
            "1.0.0",
        )
        assert (info.SerialNumber, info.HardwareId) == ("HBSIM0001", "VC-1")

        interfaces = await mgmt.GetNetworkInterfaces()
        assert len(interfaces) == 1
        assert interfaces[0].Enabled is True
        assert interfaces[0].Info.HwAddress == "02:48:42:00:00:01"
        assert interfaces[0].token == "eth0"

        scopes = [scope.ScopeItem for scope in await mgmt.GetScopes()]
        assert "onvif://www.onvif.org/name/Virtual%20Camera" in scopes
        assert "onvif://www.onvif.org/hardware/VC-1" in scopes
        assert "onvif://www.onvif.org/Profile/Streaming" in scopes
        assert any(scope.startswith("onvif://www.onvif.org/location/") for scope in scopes)

        capabilities = await device.get_capabilities()
        assert capabilities is not None
        assert capabilities["Events"]["WSPullPointSupport"] is True
        assert capabilities["Media"]["XAddr"].endswith("/onvif/media_service")
        assert capabilities["Device"]["XAddr"].endswith("/onvif/device_service")

        services = await mgmt.GetServices({"IncludeCapability": True})
        assert [service.Namespace for service in services][1:3] == [
            "http://www.onvif.org/ver10/media/wsdl",
            "http://www.onvif.org/ver20/media/wsdl",
        ]
        device_caps = await mgmt.GetServiceCapabilities()
        assert device_caps.Security["UsernameToken"] is True

    assert camera.requests[:3] == ["GetServices", "GetDeviceInformation", "GetNetworkInterfaces"]
    assert "GetCapabilities" in camera.requests


async def test_system_date_and_time_needs_no_auth(camera: VirtualCamera) -> None:
    async with client(camera, password="wrong") as device:
        mgmt = await device.create_devicemgmt_service()
        answer = await mgmt.authless_GetSystemDateAndTime()
        assert answer.DateTimeType == "NTP"
        utc = answer.UTCDateTime
        camera_time = dt.datetime(
            utc.Date.Year,
            utc.Date.Month,
            utc.Date.Day,
            utc.Time.Hour,
            utc.Time.Minute,
            utc.Time.Second,
            tzinfo=dt.UTC,
        )
        assert abs(camera_time - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


async def test_wrong_password_is_not_authorized(camera: VirtualCamera) -> None:
    async with client(camera, password="wrong") as device:
        mgmt = await device.create_devicemgmt_service()
        with pytest.raises(Fault) as caught:
            await mgmt.GetDeviceInformation()
    assert is_auth_error(caught.value)
    assert caught.value.message == "Sender not authorized"
    assert caught.value.code.endswith("Sender")
    assert "NotAuthorized" in stringify_onvif_error(caught.value)


async def test_password_text_and_missing_token(camera: VirtualCamera) -> None:
    async with client(camera, encrypt=False) as device:
        mgmt = await device.create_devicemgmt_service()
        assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"
    async with aiohttp.ClientSession() as session:
        status, fault, _ = await post(
            session,
            camera,
            "/onvif/device_service",
            soap_request("tds:GetDeviceInformation", username=None),
        )
        assert status == 400
        assert fault is not None
        assert fault_subcodes(fault) == ["NotAuthorized"]
        # wsu:Created may differ from the camera clock by at most five seconds.
        now = dt.datetime.now(dt.UTC)
        for offset, expected in ((-3, 200), (3, 200), (-10, 400), (10, 400)):
            status, _, raw = await post(
                session,
                camera,
                "/onvif/device_service",
                soap_request(
                    "tds:GetDeviceInformation", created=now + dt.timedelta(seconds=offset)
                ),
            )
            assert status == expected, (offset, raw)


async def test_clock_skew_breaks_auth_until_adjust_time(camera: VirtualCamera) -> None:
    camera.skew_clock(3 * 3600)
    async with client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        with pytest.raises(Fault) as caught:
            await mgmt.GetDeviceInformation()
        assert is_auth_error(caught.value)
        answer = await mgmt.authless_GetSystemDateAndTime()
        hour = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)).hour
        assert answer.UTCDateTime.Time.Hour in {hour, (hour + 1) % 24}

    async with client(camera, adjust_time=True) as device:
        await device.update_xaddrs()
        assert device.dt_diff is not None
        assert abs(device.dt_diff.total_seconds() - 3 * 3600) < 5
        mgmt = await device.create_devicemgmt_service()
        assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"

    camera.skew_clock(0)
    async with client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"


async def test_several_cameras_at_once() -> None:
    configs = [
        CameraConfig(rtsp=False, name=f"Cam {n}", serial=f"SER{n}", mac=f"02:00:00:00:00:0{n}")
        for n in (1, 2, 3)
    ]
    cameras = [VirtualCamera(config) for config in configs]
    try:
        await asyncio.gather(*(cam.start() for cam in cameras))
        assert len({cam.onvif_port for cam in cameras}) == 3
        for number, cam in enumerate(cameras, start=1):
            async with client(cam) as device:
                mgmt = await device.create_devicemgmt_service()
                assert (await mgmt.GetDeviceInformation()).SerialNumber == f"SER{number}"
    finally:
        await asyncio.gather(*(cam.stop() for cam in cameras))


async def test_set_credentials(camera: VirtualCamera) -> None:
    camera.set_credentials("operator", "n3w-pass")
    async with client(camera, password="secret") as device:
        mgmt = await device.create_devicemgmt_service()
        with pytest.raises(Fault):
            await mgmt.GetDeviceInformation()
    async with client(camera) as device:
        assert device.user == "operator"
        mgmt = await device.create_devicemgmt_service()
        assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"
        await device.update_xaddrs()
        assert await device.get_snapshot("profile_sub")


async def test_unknown_operation_is_action_not_supported(camera: VirtualCamera) -> None:
    async with aiohttp.ClientSession() as session:
        status, fault, _ = await post(
            session, camera, "/onvif/device_service", soap_request("tds:SystemReboot")
        )
        assert status == 500
        assert fault is not None
        assert fault_subcodes(fault) == ["ActionNotSupported"]
        assert fault.findtext("env:Reason/env:Text", namespaces=NS) == "Action not supported"
        # An operation sent to the wrong service is not supported there either.
        status, fault, _ = await post(
            session, camera, "/onvif/media_service", soap_request("tds:GetDeviceInformation")
        )
        assert fault is not None
        assert fault_subcodes(fault) == ["ActionNotSupported"]
        status, fault, _ = await post(session, camera, "/onvif/device_service", b"<not-xml")
        assert status == 400


# --- media ------------------------------------------------------------------------------------


async def test_media_profiles_stream_and_snapshot_uris(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        await device.update_xaddrs()
        media = await device.create_media_service()
        profiles = await media.GetProfiles()
        assert [p.token for p in profiles] == ["profile_main", "profile_sub"]
        sizes = [
            (
                p.VideoEncoderConfiguration.Encoding,
                p.VideoEncoderConfiguration.Resolution.Width,
                p.VideoEncoderConfiguration.Resolution.Height,
            )
            for p in profiles
        ]
        assert sizes == [("H264", 640, 480), ("H264", 320, 240)]
        assert all(p.VideoSourceConfiguration.token == "vsc_main" for p in profiles)

        capabilities = await media.GetServiceCapabilities()
        assert capabilities.SnapshotUri is True

        for token, mount in (("profile_main", "main"), ("profile_sub", "sub")):
            answer = await media.GetStreamUri(
                {
                    "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": token,
                }
            )
            assert answer.Uri == f"rtsp://127.0.0.1:554/{mount}"  # RTSP is off here
            snapshot = await media.GetSnapshotUri({"ProfileToken": token})
            assert snapshot.Uri == f"http://127.0.0.1:{camera.onvif_port}/snapshot/{token}.jpg"

        with pytest.raises(Fault) as caught:
            await media.GetSnapshotUri({"ProfileToken": "nope"})
        assert "NoProfile" in stringify_onvif_error(caught.value)


async def test_h265_main_profile_is_described_in_media2_only() -> None:
    async with (
        VirtualCamera(CameraConfig(rtsp=False, main_codec="H265")) as cam,
        client(cam) as device,
    ):
        await device.update_xaddrs()
        media = await device.create_media_service()
        main, sub = await media.GetProfiles()
        assert main.token == "profile_main"
        assert main.VideoEncoderConfiguration is None
        assert main.VideoSourceConfiguration.token == "vsc_main"
        assert sub.VideoEncoderConfiguration.Encoding == "H264"
        async with aiohttp.ClientSession() as session:
            _, answer, _ = await post(
                session,
                cam,
                "/onvif/media2_service",
                soap_request("tr2:GetProfiles", "<tr2:Type>All</tr2:Type>"),
            )
        assert answer is not None
        encodings = [
            e.text for e in answer.iterfind("tr2:Profiles/*/tr2:VideoEncoder/tt:Encoding", NS)
        ]
        assert encodings == ["H265", "H264"]


async def test_media2_answers(camera: VirtualCamera) -> None:
    async with aiohttp.ClientSession() as session:
        status, answer, raw = await post(
            session,
            camera,
            "/onvif/media2_service",
            soap_request("tr2:GetProfiles", "<tr2:Type>All</tr2:Type>"),
        )
        assert status == 200, raw
        assert answer is not None
        assert answer.tag == f"{{{NS['tr2']}}}GetProfilesResponse"
        profiles = answer.findall("tr2:Profiles", NS)
        assert [(p.get("token"), p.get("fixed")) for p in profiles] == [
            ("profile_main", "true"),
            ("profile_sub", "true"),
        ]
        main = profiles[0]
        assert main.findtext("tr2:Name", namespaces=NS) == "MainStream"
        configurations = main.find("tr2:Configurations", NS)
        assert configurations is not None
        assert [etree.QName(c).localname for c in configurations] == ["VideoSource", "VideoEncoder"]
        source = configurations.find("tr2:VideoSource", NS)
        assert source is not None
        assert source.get("token") == "vsc_main"
        assert source.findtext("tt:SourceToken", namespaces=NS) == "vs_main"
        encoder = configurations.find("tr2:VideoEncoder", NS)
        assert encoder is not None
        assert (encoder.get("token"), encoder.get("GovLength"), encoder.get("Profile")) == (
            "vec_main",
            "15",
            "Baseline",
        )
        assert [etree.QName(c).localname for c in encoder] == [
            "Name",
            "UseCount",
            "Encoding",
            "Resolution",
            "RateControl",
            "Quality",
        ]
        assert encoder.findtext("tt:Encoding", namespaces=NS) == "H264"
        assert encoder.findtext("tt:Resolution/tt:Width", namespaces=NS) == "640"
        assert encoder.findtext("tt:Resolution/tt:Height", namespaces=NS) == "480"
        assert encoder.findtext("tt:RateControl/tt:BitrateLimit", namespaces=NS) == "512"

        # Without Type no configurations are returned; a Token selects one profile.
        _, answer, _ = await post(
            session,
            camera,
            "/onvif/media2_service",
            soap_request("tr2:GetProfiles", "<tr2:Token>profile_sub</tr2:Token>"),
        )
        assert answer is not None
        only = answer.findall("tr2:Profiles", NS)
        assert [p.get("token") for p in only] == ["profile_sub"]
        assert only[0].find("tr2:Configurations", NS) is None

        for protocol in ("RtspUnicast", "RTSP"):
            _, answer, _ = await post(
                session,
                camera,
                "/onvif/media2_service",
                soap_request(
                    "tr2:GetStreamUri",
                    f"<tr2:Protocol>{protocol}</tr2:Protocol>"
                    "<tr2:ProfileToken>profile_sub</tr2:ProfileToken>",
                ),
            )
            assert answer is not None
            assert answer.findtext("tr2:Uri", namespaces=NS) == "rtsp://127.0.0.1:554/sub"
        _, answer, _ = await post(
            session,
            camera,
            "/onvif/media2_service",
            soap_request("tr2:GetSnapshotUri", "<tr2:ProfileToken>profile_main</tr2:ProfileToken>"),
        )
        assert answer is not None
        assert answer.findtext("tr2:Uri", namespaces=NS) == camera.url("/snapshot/profile_main.jpg")
        status, fault, _ = await post(
            session,
            camera,
            "/onvif/media2_service",
            soap_request("tr2:GetProfiles", username="admin", password="wrong"),
        )
        assert status == 400
        assert fault is not None
        assert fault_subcodes(fault) == ["NotAuthorized"]


# --- snapshots --------------------------------------------------------------------------------


async def test_snapshot_with_digest_auth(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        await device.update_xaddrs()
        jpeg = await device.get_snapshot("profile_main")
        assert jpeg is not None
        assert jpeg[:3] == b"\xff\xd8\xff"
        with Image.open(io.BytesIO(jpeg)) as image:
            assert image.format == "JPEG"
            assert image.size == (640, 480)
    assert camera.snapshot_requests == 1

    url = camera.url("/snapshot/profile_sub.jpg")
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            assert response.status == 401
            assert response.headers["WWW-Authenticate"].startswith("Digest ")
        middleware = aiohttp.DigestAuthMiddleware("admin", "secret")
        async with session.get(url, middlewares=(middleware,)) as response:
            assert response.status == 200
            with Image.open(io.BytesIO(await response.read())) as image:
                assert image.size == (320, 240)
        wrong = aiohttp.DigestAuthMiddleware("admin", "wrong")
        async with session.get(url, middlewares=(wrong,)) as response:
            assert response.status == 401
        headers = {"Authorization": "Basic " + base64.b64encode(b"admin:secret").decode()}
        async with session.get(url, headers=headers) as response:
            assert response.status == 401
    assert camera.snapshot_requests == 2


@onvif_library_basic_auth
async def test_snapshot_basic_auth_quirk() -> None:
    config = CameraConfig(rtsp=False, quirks=frozenset({Quirk.BASIC_AUTH_SNAPSHOT}))
    async with VirtualCamera(config) as cam, client(cam) as device:
        await device.update_xaddrs()
        with pytest.raises(ONVIFAuthError):
            await device.get_snapshot("profile_main")
        jpeg = await device.get_snapshot("profile_main", basic_auth=True)
        assert jpeg is not None
        assert jpeg[:3] == b"\xff\xd8\xff"
        assert cam.snapshot_requests == 1


# --- events -----------------------------------------------------------------------------------


def _messages(answer: Any) -> list[tuple[str, str, dict[str, str]]]:
    """(topic, PropertyOperation, data items) of each NotificationMessage in a zeep answer."""
    result = []
    for message in answer.NotificationMessage or []:
        payload = message.Message._value_1
        data = {item.Name: item.Value for item in payload.Data.SimpleItem}
        result.append((message.Topic._value_1, payload.PropertyOperation, data))
    return result


async def test_event_properties(camera: VirtualCamera) -> None:
    async with client(camera) as device:
        await device.update_xaddrs()
        events = await device.create_events_service()
        properties = await events.GetEventProperties()
        assert "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet" in (
            properties.TopicExpressionDialect
        )
        topic_set = "".join(etree.tostring(e).decode() for e in properties.TopicSet._value_1)
        for name in ("VideoSource", "MotionAlarm", "RuleEngine", "CellMotionDetector", "IsMotion"):
            assert name in topic_set
        capabilities = await events.GetServiceCapabilities()
        assert capabilities.WSPullPointSupport is True


async def test_pullpoint_long_poll(camera: VirtualCamera) -> None:
    lost: list[bool] = []
    async with client(camera) as device:
        await device.update_xaddrs()
        manager = await device.create_pullpoint_manager(
            dt.timedelta(minutes=10), lambda: lost.append(True)
        )
        service = manager.get_service()
        # A new subscription first gets the state of every property.
        initial = await service.PullMessages(
            {"Timeout": dt.timedelta(seconds=5), "MessageLimit": 10}
        )
        assert {(topic, operation) for topic, operation, _ in _messages(initial)} >= {
            (MOTION, "Initialized"),
            ("tns1:VideoSource/MotionAlarm", "Initialized"),
        }
        assert initial.TerminationTime - initial.CurrentTime > dt.timedelta(minutes=9)

        # Nothing queued: the pull waits for its whole Timeout.
        loop = asyncio.get_running_loop()
        started = loop.time()
        empty = await service.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 10})
        assert _messages(empty) == []
        assert loop.time() - started >= 0.9

        # A waiting pull returns as soon as an event is raised.
        pulls = camera.requests.count("PullMessages")
        pending = asyncio.create_task(
            service.PullMessages({"Timeout": dt.timedelta(seconds=30), "MessageLimit": 10})
        )
        await camera.wait_for_request("PullMessages", pulls + 1)
        started = loop.time()
        camera.trigger_event(MOTION, {"IsMotion": "true"})
        answer = await asyncio.wait_for(pending, WAIT)
        assert loop.time() - started < 5
        [(topic, operation, data)] = _messages(answer)
        assert (topic, operation, data) == (MOTION, "Changed", {"IsMotion": "true"})
        message = answer.NotificationMessage[0]
        assert message.Topic.Dialect == "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
        source = {i.Name: i.Value for i in message.Message._value_1.Source.SimpleItem}
        assert source["VideoSourceConfigurationToken"] == "vsc_main"

        # MessageLimit is honoured; the rest waits for the next pull.
        camera.trigger_event(MOTION, {"IsMotion": "false"})
        camera.trigger_event(
            "tns1:VideoSource/MotionAlarm", {"State": "true"}, {"Source": "vs_main"}
        )
        first = await service.PullMessages({"Timeout": dt.timedelta(seconds=5), "MessageLimit": 1})
        second = await service.PullMessages({"Timeout": dt.timedelta(seconds=5), "MessageLimit": 1})
        assert [m[2] for m in _messages(first) + _messages(second)] == [
            {"IsMotion": "false"},
            {"State": "true"},
        ]

        # SetSynchronizationPoint re-sends the current states.
        await manager.set_synchronization_point()
        synced = await service.PullMessages(
            {"Timeout": dt.timedelta(seconds=5), "MessageLimit": 10}
        )
        states = {topic: (operation, data) for topic, operation, data in _messages(synced)}
        assert states[MOTION] == ("Initialized", {"IsMotion": "false"})
        assert states["tns1:VideoSource/MotionAlarm"] == ("Initialized", {"State": "true"})

        subscription = await device.create_subscription_service("PullPointSubscription")
        renewed = await subscription.Renew("PT120S")
        assert dt.timedelta(seconds=110) < renewed.TerminationTime - renewed.CurrentTime
        await manager.shutdown()
        assert "Unsubscribe" in camera.requests
        with pytest.raises(Fault):
            await service.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 1})
    assert lost == []


async def test_notify_subscription_pushes_to_consumer(camera: VirtualCamera) -> None:
    received: asyncio.Queue[bytes] = asyncio.Queue()

    async def consume(request: web.Request) -> web.Response:
        await received.put(await request.read())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", consume)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    consumer_url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        async with client(camera) as device:
            await device.update_xaddrs()
            manager = await device.create_notification_manager(
                consumer_url, dt.timedelta(minutes=10), lambda: None
            )

            async def next_message() -> tuple[str, str, dict[str, str]]:
                async with asyncio.timeout(WAIT):
                    body = await received.get()
                parsed = manager.process(body)
                assert parsed is not None
                [message] = _messages(parsed)
                return message

            initial = [await next_message() for _ in range(3)]
            assert {operation for _, operation, _ in initial} == {"Initialized"}
            assert MOTION in {topic for topic, _, _ in initial}

            camera.trigger_event(MOTION, {"IsMotion": "true"})
            camera.trigger_event(MOTION, {"IsMotion": "false"})
            assert await next_message() == (MOTION, "Changed", {"IsMotion": "true"})
            assert await next_message() == (MOTION, "Changed", {"IsMotion": "false"})

            await manager.set_synchronization_point()
            synced = [await next_message() for _ in range(3)]
            assert (MOTION, "Initialized", {"IsMotion": "false"}) in synced

            subscription = await device.create_subscription_service("NotificationConsumer")
            renewed = await subscription.Renew("PT300S")
            assert renewed.TerminationTime > renewed.CurrentTime
            await manager.shutdown()
            assert camera.requests[-1] == "Unsubscribe"
            camera.trigger_event(MOTION, {"IsMotion": "true"})
            assert received.empty()
            assert camera.events.subscriptions == []
    finally:
        await runner.cleanup()


# --- quirks -----------------------------------------------------------------------------------


async def test_quirk_no_network_interfaces(camera: VirtualCamera) -> None:
    camera.set_quirk(Quirk.NO_NETWORK_INTERFACES)
    async with client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        with pytest.raises(Fault) as caught:
            await mgmt.GetNetworkInterfaces()
        assert caught.value.message == "Action not supported"
        assert "ActionNotSupported" in stringify_onvif_error(caught.value)
        assert not is_auth_error(caught.value)
        camera.set_quirk(Quirk.NO_NETWORK_INTERFACES, enabled=False)
        assert len(await mgmt.GetNetworkInterfaces()) == 1


async def test_quirk_non_soap_faults(camera: VirtualCamera) -> None:
    camera.set_quirk(Quirk.NON_SOAP_FAULTS)
    async with client(camera) as device:
        # GetServices is answered with a plain-text 500, which zeep cannot parse; this is the
        # failure onvif-zeep-async 4.3.0 does not fall back from.
        with pytest.raises(AttributeError):
            await device.update_xaddrs()
        mgmt = await device.create_devicemgmt_service()
        capabilities = await mgmt.GetCapabilities({"Category": "All"})
        assert capabilities.Media.XAddr == camera.url("/onvif/media_service")
    async with aiohttp.ClientSession() as session:
        status, answer, raw = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetServices", password="x")
        )
        assert (status, answer, raw) == (500, None, "Internal Server Error")
        async with session.post(
            camera.url("/onvif/device_service"), data=soap_request("tds:SystemReboot")
        ) as response:
            assert response.status == 500
            assert response.content_type == "text/plain"


async def test_quirk_auth_on_date_time(camera: VirtualCamera) -> None:
    camera.set_quirk(Quirk.AUTH_ON_DATE_TIME)
    async with client(camera) as device:
        mgmt = await device.create_devicemgmt_service()
        with pytest.raises(Fault) as caught:
            await mgmt.authless_GetSystemDateAndTime()
        assert is_auth_error(caught.value)
        assert (await mgmt.GetSystemDateAndTime()).DateTimeType == "NTP"
    camera.skew_clock(-7200)
    async with client(camera, adjust_time=True) as device:
        # adjust_time falls back to an authenticated GetSystemDateAndTime (which then fails,
        # because the skew is already too large): the camera is unusable, as with ipycam.
        with pytest.raises(Fault):
            await device.update_xaddrs()


async def test_quirk_no_media2(camera: VirtualCamera) -> None:
    camera.set_quirk(Quirk.NO_MEDIA2)
    async with client(camera) as device:
        await device.update_xaddrs()
        assert "http://www.onvif.org/ver20/media/wsdl" not in device.xaddrs
        mgmt = await device.create_devicemgmt_service()
        scopes = [scope.ScopeItem for scope in await mgmt.GetScopes()]
        assert "onvif://www.onvif.org/Profile/T" not in scopes
    async with aiohttp.ClientSession() as session:
        status, _, _ = await post(
            session, camera, "/onvif/media2_service", soap_request("tr2:GetProfiles")
        )
    assert status == 404


# --- availability -----------------------------------------------------------------------------


async def test_offline_and_back_on_the_same_port(camera: VirtualCamera) -> None:
    port = camera.onvif_port
    async with client(camera) as device:
        await device.update_xaddrs()
        mgmt = await device.create_devicemgmt_service()
        manager = await device.create_pullpoint_manager(dt.timedelta(minutes=10), lambda: None)
        service = manager.get_service()
        await service.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 10})
        pulls = camera.requests.count("PullMessages")
        pending = asyncio.create_task(
            service.PullMessages({"Timeout": dt.timedelta(seconds=30), "MessageLimit": 10})
        )
        await camera.wait_for_request("PullMessages", pulls + 1)

        await camera.set_online(False)
        assert not camera.online
        # The long poll in flight is dropped with its connection.
        with pytest.raises(aiohttp.ClientError):
            await asyncio.wait_for(pending, WAIT)
        with pytest.raises((aiohttp.ClientError, ONVIFError)):
            await mgmt.GetDeviceInformation()
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientConnectorError):
                await session.get(camera.url("/"))

        await camera.set_online(True)
        assert camera.onvif_port == port
        assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"
        await manager.shutdown()


# --- WS-Discovery -----------------------------------------------------------------------------


class _Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.answers: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.answers.put_nowait(data)


def _probe(message_id: str, types: str = "dn:NetworkVideoTransmitter", scopes: str = "") -> bytes:
    scope_element = f"<d:Scopes>{scopes}</d:Scopes>" if scopes else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
        'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">'
        f"<s:Header><a:MessageID>{message_id}</a:MessageID>"
        "<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>"
        "<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>"
        f"<s:Body><d:Probe><d:Types>{types}</d:Types>{scope_element}</d:Probe></s:Body>"
        "</s:Envelope>"
    ).encode()


async def test_ws_discovery_probe_match() -> None:
    config = CameraConfig(rtsp=False, discovery_port=0, name="Porch Cam", serial="SER42")
    async with VirtualCamera(config) as cam:
        assert cam.discovery_port
        loop = asyncio.get_running_loop()
        transport, collector = await loop.create_datagram_endpoint(
            _Collector, local_addr=("127.0.0.1", 0)
        )
        target = ("127.0.0.1", cam.discovery_port)
        try:
            transport.sendto(b"not a probe", target)
            transport.sendto(_probe("urn:uuid:skip", types="dn:SomethingElse"), target)
            message_id = f"urn:uuid:{uuid.uuid4()}"
            transport.sendto(
                _probe(message_id, scopes="onvif://www.onvif.org/Profile/Streaming"), target
            )
            async with asyncio.timeout(WAIT):
                answer = etree.fromstring(await collector.answers.get())
            ns = {
                "s": "http://www.w3.org/2003/05/soap-envelope",
                "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
                "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery",
            }
            assert answer.findtext("s:Header/a:RelatesTo", namespaces=ns) == message_id
            action = answer.findtext("s:Header/a:Action", namespaces=ns) or ""
            assert action.endswith("/ProbeMatches")
            match = answer.find("s:Body/d:ProbeMatches/d:ProbeMatch", ns)
            assert match is not None
            expected_uuid = uuid.uuid5(uuid.NAMESPACE_URL, "homebound-simulator:SER42")
            assert match.findtext("a:EndpointReference/a:Address", namespaces=ns) == (
                f"urn:uuid:{expected_uuid}"
            )
            assert "NetworkVideoTransmitter" in (match.findtext("d:Types", namespaces=ns) or "")
            scopes = (match.findtext("d:Scopes", namespaces=ns) or "").split()
            assert "onvif://www.onvif.org/name/Porch%20Cam" in scopes
            assert match.findtext("d:XAddrs", namespaces=ns) == cam.url("/onvif/device_service")
            assert match.findtext("d:MetadataVersion", namespaces=ns) == "1"
            assert collector.answers.empty()  # garbage and foreign types were ignored

            # A probe for a scope the camera does not have gets no answer; an offline camera
            # answers nothing. Both are checked by a later probe being the next answer.
            transport.sendto(
                _probe("urn:uuid:other", scopes="onvif://www.onvif.org/name/X"), target
            )
            await cam.set_online(False)
            transport.sendto(_probe("urn:uuid:offline"), target)
            await cam.set_online(True)
            transport.sendto(_probe("urn:uuid:online"), target)
            async with asyncio.timeout(WAIT):
                answer = etree.fromstring(await collector.answers.get())
            assert answer.findtext("s:Header/a:RelatesTo", namespaces=ns) == "urn:uuid:online"
        finally:
            transport.close()


# --- schema conformance -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def onvif_schema(tmp_path_factory: pytest.TempPathFactory) -> etree.XMLSchema:
    """The device, media and events WSDL schemas plus onvif.xsd and b-2.xsd, as one validator."""
    folder = tmp_path_factory.mktemp("onvif-schema")
    xs = "http://www.w3.org/2001/XMLSchema"
    imports: list[tuple[str, str]] = [
        ("http://docs.oasis-open.org/wsn/b-2", (WSDL_DIR / "b-2.xsd").as_uri()),
        ("http://www.onvif.org/ver10/schema", (WSDL_DIR / "onvif.xsd").as_uri()),
    ]
    for name in ("devicemgmt", "media", "events"):
        wsdl = etree.parse(str(WSDL_DIR / f"{name}.wsdl"))
        for schema in wsdl.iter(f"{{{xs}}}schema"):
            copy = etree.fromstring(etree.tostring(schema))
            for element in copy.iter(f"{{{xs}}}import", f"{{{xs}}}include"):
                location = element.get("schemaLocation")
                if location and "://" not in location:
                    element.set("schemaLocation", (WSDL_DIR / location).resolve().as_uri())
            target = folder / f"{name}.xsd"
            target.write_bytes(etree.tostring(copy))
            imports.append((copy.get("targetNamespace") or "", target.as_uri()))
    master = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    for namespace, location in imports:
        etree.SubElement(master, f"{{{xs}}}import", namespace=namespace, schemaLocation=location)
    (folder / "all.xsd").write_bytes(etree.tostring(master))
    return etree.XMLSchema(etree.parse(str(folder / "all.xsd")))


async def test_answers_validate_against_the_onvif_schemas(
    camera: VirtualCamera, onvif_schema: etree.XMLSchema
) -> None:
    received: asyncio.Queue[bytes] = asyncio.Queue()

    async def consume(request: web.Request) -> web.Response:
        await received.put(await request.read())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", consume)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    consumer = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"

    requests = [
        (
            "/onvif/device_service",
            "tds:GetServices",
            "<tds:IncludeCapability>false</tds:IncludeCapability>",
        ),
        (
            "/onvif/device_service",
            "tds:GetServices",
            "<tds:IncludeCapability>true</tds:IncludeCapability>",
        ),
        ("/onvif/device_service", "tds:GetServiceCapabilities", ""),
        ("/onvif/device_service", "tds:GetCapabilities", "<tds:Category>All</tds:Category>"),
        ("/onvif/device_service", "tds:GetCapabilities", "<tds:Category>Media</tds:Category>"),
        ("/onvif/device_service", "tds:GetDeviceInformation", ""),
        ("/onvif/device_service", "tds:GetSystemDateAndTime", ""),
        ("/onvif/device_service", "tds:GetNetworkInterfaces", ""),
        ("/onvif/device_service", "tds:GetScopes", ""),
        ("/onvif/device_service", "tds:GetHostname", ""),
        ("/onvif/media_service", "trt:GetProfiles", ""),
        (
            "/onvif/media_service",
            "trt:GetProfile",
            "<trt:ProfileToken>profile_sub</trt:ProfileToken>",
        ),
        ("/onvif/media_service", "trt:GetVideoSources", ""),
        ("/onvif/media_service", "trt:GetServiceCapabilities", ""),
        (
            "/onvif/media_service",
            "trt:GetStreamUri",
            "<trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP"
            "</tt:Protocol></tt:Transport></trt:StreamSetup>"
            "<trt:ProfileToken>profile_main</trt:ProfileToken>",
        ),
        (
            "/onvif/media_service",
            "trt:GetSnapshotUri",
            "<trt:ProfileToken>profile_main</trt:ProfileToken>",
        ),
        ("/onvif/events_service", "tev:GetEventProperties", ""),
        ("/onvif/events_service", "tev:GetServiceCapabilities", ""),
        (
            "/onvif/events_service",
            "tev:CreatePullPointSubscription",
            "<tev:InitialTerminationTime>PT600S</tev:InitialTerminationTime>",
        ),
        (
            "/onvif/events_service",
            "wsnt:Subscribe",
            f"<wsnt:ConsumerReference><wsa:Address>{consumer}</wsa:Address>"
            "</wsnt:ConsumerReference><wsnt:InitialTerminationTime>PT60S"
            "</wsnt:InitialTerminationTime>",
        ),
    ]
    try:
        async with aiohttp.ClientSession() as session:

            async def check(path: str, operation: str, children: str) -> etree._Element:
                status, answer, raw = await post(
                    session, camera, path, soap_request(operation, children)
                )
                assert status == 200, raw
                assert answer is not None
                assert onvif_schema.validate(answer), (operation, onvif_schema.error_log)
                return answer

            answers = {}
            for path, operation, children in requests:
                answers[operation] = await check(path, operation, children)

            pullpoint = answers["tev:CreatePullPointSubscription"].findtext(
                "tev:SubscriptionReference/wsa:Address", namespaces=NS
            )
            assert pullpoint
            camera.trigger_event(MOTION, {"IsMotion": "true"})
            pulled = await check(
                pullpoint,
                "tev:PullMessages",
                "<tev:Timeout>PT5S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit>",
            )
            assert len(pulled.findall("wsnt:NotificationMessage", NS)) == 4
            await check(pullpoint, "tev:SetSynchronizationPoint", "")
            await check(
                pullpoint, "wsnt:Renew", "<wsnt:TerminationTime>PT60S</wsnt:TerminationTime>"
            )
            await check(pullpoint, "wsnt:Unsubscribe", "")

            manager = answers["wsnt:Subscribe"].findtext(
                "wsnt:SubscriptionReference/wsa:Address", namespaces=NS
            )
            assert manager
            async with asyncio.timeout(WAIT):
                bodies = [await received.get() for _ in range(4)]
            await check(manager, "wsnt:Unsubscribe", "")
        for body in bodies:
            notify = etree.fromstring(body).find("env:Body/wsnt:Notify", NS)
            assert notify is not None
            assert onvif_schema.validate(notify), onvif_schema.error_log
    finally:
        await runner.cleanup()


# --- RTSP -------------------------------------------------------------------------------------


def _gstreamer_available() -> bool:
    return GST_PYTHON.exists() and shutil.which("ffprobe") is not None


async def _ffprobe(url: str, transport: str) -> tuple[int, dict[str, Any], str]:
    process = await asyncio.create_subprocess_exec(
        "ffprobe",
        "-v",
        "error",
        "-rtsp_transport",
        transport,
        "-show_entries",
        "stream=codec_name,width,height",
        "-of",
        "json",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    streams = json.loads(stdout or b"{}").get("streams", [{}])
    return process.returncode or 0, streams[0] if streams else {}, stderr.decode(errors="replace")


@pytest.fixture
async def rtsp_camera() -> AsyncIterator[VirtualCamera]:
    """A started camera with its RTSP server."""
    if not _gstreamer_available():
        pytest.skip("GStreamer's RTSP server (python3-gi) or ffprobe is not installed")
    async with VirtualCamera(CameraConfig()) as cam:
        yield cam


@pytest.mark.rtsp
async def test_rtsp_streams_tcp_udp_and_auth(rtsp_camera: VirtualCamera) -> None:
    cam = rtsp_camera
    assert cam.rtsp_port
    async with client(cam) as device:
        await device.update_xaddrs()
        media = await device.create_media_service()
        uri = (
            await media.GetStreamUri(
                {
                    "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": "profile_main",
                }
            )
        ).Uri
    assert uri == f"rtsp://127.0.0.1:{cam.rtsp_port}/main"
    base = f"rtsp://admin:secret@127.0.0.1:{cam.rtsp_port}"
    (main_tcp, sub_udp, anonymous, wrong) = await asyncio.gather(
        _ffprobe(f"{base}/main", "tcp"),
        _ffprobe(f"{base}/sub", "udp"),
        _ffprobe(uri, "tcp"),
        _ffprobe(f"rtsp://admin:nope@127.0.0.1:{cam.rtsp_port}/main", "tcp"),
    )
    assert main_tcp[0] == 0, main_tcp[2]
    assert main_tcp[1] == {"codec_name": "h264", "width": 640, "height": 480}
    assert sub_udp[0] == 0, sub_udp[2]
    assert sub_udp[1] == {"codec_name": "h264", "width": 320, "height": 240}
    assert anonymous[0] != 0
    assert "401" in anonymous[2]
    assert wrong[0] != 0
    assert "401" in wrong[2]

    cam.set_credentials("admin", "changed")
    old, new = await asyncio.gather(
        _ffprobe(f"{base}/sub", "tcp"),
        _ffprobe(f"rtsp://admin:changed@127.0.0.1:{cam.rtsp_port}/sub", "tcp"),
    )
    assert "401" in old[2]
    assert new[0] == 0, new[2]


@pytest.mark.rtsp
async def test_rtsp_h265_main_stream() -> None:
    if not _gstreamer_available():
        pytest.skip("GStreamer's RTSP server (python3-gi) or ffprobe is not installed")
    async with VirtualCamera(CameraConfig(main_codec="H265")) as cam:
        assert cam.rtsp_port
        code, stream, stderr = await _ffprobe(
            f"rtsp://admin:secret@127.0.0.1:{cam.rtsp_port}/main", "tcp"
        )
        assert code == 0, stderr
        assert stream == {"codec_name": "hevc", "width": 640, "height": 480}
        pid = cam._rtsp.pid if cam._rtsp else None
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the child was reaped


async def test_without_gstreamer_the_camera_runs_without_rtsp(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The test interpreter has no python3-gi: the child reports UNAVAILABLE.
    monkeypatch.setenv("HOMEBOUND_GST_PYTHON", sys.executable)
    async with VirtualCamera(CameraConfig()) as cam:
        assert cam.rtsp_port is None
        async with client(cam) as device:
            mgmt = await device.create_devicemgmt_service()
            assert (await mgmt.GetDeviceInformation()).SerialNumber == "HBSIM0001"
    assert "running without RTSP" in caplog.text


# --- python -m simulator ----------------------------------------------------------------------


@pytest.fixture
def simulator_env() -> dict[str, str]:
    """Environment for the child: the repository on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


async def test_python_m_simulator_and_control_api(simulator_env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--count",
        "2",
        "--no-rtsp",
        "--discovery-port",
        "0",
        "--quirk",
        "no_network_interfaces",
        cwd=REPO_ROOT,
        env=simulator_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(30):
            line = await process.stdout.readline()
        ready = json.loads(line)
        cameras = ready["cameras"]
        assert [c["name"] for c in cameras] == ["Virtual Camera 1", "Virtual Camera 2"]
        assert [c["serial"] for c in cameras] == ["HBSIM0001", "HBSIM0002"]
        assert [c["mac"] for c in cameras] == ["02:48:42:00:00:01", "02:48:42:00:00:02"]
        assert all(c["host"] == "127.0.0.1" and c["rtsp_port"] is None for c in cameras)
        assert all(c["discovery_port"] for c in cameras)
        control = f"http://127.0.0.1:{ready['control_port']}"
        second = cameras[1]

        async def device_info(entry: dict[str, Any]) -> Any:
            device = ONVIFCamera(
                entry["host"], entry["onvif_port"], entry["username"], entry["password"]
            )
            try:
                mgmt = await device.create_devicemgmt_service()
                return await mgmt.GetDeviceInformation()
            finally:
                await device.close()

        assert (await device_info(second)).SerialNumber == "HBSIM0002"
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{control}/cameras") as response:
                listing = await response.json()
            assert [c["onvif_port"] for c in listing["cameras"]] == [
                c["onvif_port"] for c in cameras
            ]
            assert listing["cameras"][0]["quirks"] == ["no_network_interfaces"]

            async with session.post(f"{control}/cameras/1/online", json={"online": False}) as r:
                assert r.status == 200
                assert (await r.json())["online"] is False
            with pytest.raises(aiohttp.ClientError):
                await device_info(second)
            assert (await device_info(cameras[0])).SerialNumber == "HBSIM0001"
            async with session.post(f"{control}/cameras/1/online", json={"online": True}) as r:
                assert r.status == 200
            assert (await device_info(second)).SerialNumber == "HBSIM0002"

            async with session.post(f"{control}/cameras/0/clock", json={"skew": 3600}) as r:
                assert (await r.json())["clock_skew"] == 3600
            with pytest.raises(Fault):
                await device_info(cameras[0])
            async with session.post(
                f"{control}/cameras/0/quirks", json={"quirk": "basic_auth_snapshot"}
            ) as r:
                assert "basic_auth_snapshot" in (await r.json())["quirks"]
            async with session.post(
                f"{control}/cameras/0/event", json={"topic": MOTION, "data": {"IsMotion": "true"}}
            ) as r:
                assert r.status == 200
            async with session.post(f"{control}/cameras/7/online", json={"online": True}) as r:
                assert r.status == 404
            async with session.post(f"{control}/cameras/0/quirks", json={"quirk": "nope"}) as r:
                assert r.status == 400
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            _, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode(errors="replace")
