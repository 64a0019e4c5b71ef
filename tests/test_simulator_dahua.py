"""The Dahua persona on the wire: identity, CGI Digest, magicBox, getCaps, the attach stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
import hashlib
import json
import re

import aiohttp
import pytest
from yarl import URL

from custom_components.homebound.catalog import vendor_for_mac
from simulator import CameraConfig, Quirk, VirtualCamera
from simulator.httpauth import parse_auth_params

from .vendor_support import get, raw_stream

pytestmark = pytest.mark.usefixtures("socket_enabled")

ATTACH = "/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=5"


@pytest.fixture
async def dahua() -> AsyncIterator[VirtualCamera]:
    config = CameraConfig(persona="dahua", rtsp=False, heartbeat_interval=0.1)
    async with VirtualCamera(config) as camera:
        yield camera


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


def _part(raw: bytes) -> tuple[str, str]:
    """(Content-Type, body) of one part, checking its Content-Length."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "--myboundary"
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert int(headers["Content-Length"]) == len(body)
    return headers["Content-Type"], body.decode()


async def test_identity_digest_and_cgis(
    dahua: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    config = dahua.config
    assert (config.manufacturer, config.name) == ("Dahua", "Dahua Camera")
    assert config.model.startswith("IPC-")
    vendor = vendor_for_mac(config.mac)
    assert vendor is not None
    assert vendor.key == "dahua"
    async with session.get(dahua.url("/cgi-bin/magicBox.cgi?action=getDeviceType")) as response:
        assert response.status == 401
        challenge = response.headers["WWW-Authenticate"]
    params = parse_auth_params(challenge.removeprefix("Digest "))
    assert params["realm"] == f"Login to {config.serial}"
    assert params["nonce"].isdigit()
    assert re.fullmatch(r"[0-9a-f]{40}", params["opaque"])
    assert challenge.startswith(f'Digest realm="Login to {config.serial}", qop="auth", nonce=')

    assert await get(session, dahua, "/cgi-bin/magicBox.cgi?action=getDeviceType") == (
        200,
        "text/plain; charset=utf-8",
        f"type={config.model}\r\n",
    )
    assert (await get(session, dahua, "/cgi-bin/magicBox.cgi?action=getVendor"))[2] == (
        "vendor=Dahua\r\n"
    )
    status, _, text = await get(session, dahua, "/cgi-bin/eventManager.cgi?action=getCaps")
    assert status == 200
    caps = dict(line.split("=") for line in text.splitlines())
    assert caps["caps.MotionDetectSupport"] == caps["caps.CrossLineSupport"] == "true"
    assert "caps.FaceDetectSupport" not in caps  # not set up on this camera
    for path in (
        "/cgi-bin/magicBox.cgi?action=reboot",
        "/cgi-bin/eventManager.cgi?action=nothing",
        "/cgi-bin/eventManager.cgi?action=attach",  # no codes
    ):
        status, _, text = await get(session, dahua, path)
        assert (status, text) == (400, "Error\r\nBad Request!\r\n")


async def test_attach_stream_lines_data_and_heartbeats(
    dahua: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    async with raw_stream(session, dahua, ATTACH) as stream:
        assert stream.response.headers["Content-Type"] == (
            "multipart/x-mixed-replace; boundary=myboundary"
        )
        dahua.raise_detection("motion")
        dahua.raise_detection("motion", active=False)
        dahua.raise_detection("line_crossing", channel=2, region="Gate", pulse=True)
        dahua.raise_detection("person")
        await dahua.wait_for_parts("heartbeat")
        parts = [_part(raw) for raw in await stream.parts(5, b"--myboundary")]
    assert {content_type for content_type, _ in parts} == {"text/plain"}
    bodies = [body for _, body in parts]
    assert bodies[:2] == [
        "Code=VideoMotion;action=Start;index=0\r\n",
        "Code=VideoMotion;action=Stop;index=0\r\n",
    ]
    head, _, data = bodies[2].partition(";data=")
    assert head == "Code=CrossLineDetection;action=Pulse;index=1"
    assert data.count("\r\n") > 3  # pretty-printed over several lines, as firmwares do
    assert json.loads(data)["Name"] == "Gate"
    assert bodies[3:] == ["Code=SmartMotionHuman;action=Start;index=0\r\n", "Heartbeat\r\n"]


async def test_codes_filter_and_asked_heartbeat(session: aiohttp.ClientSession) -> None:
    async with VirtualCamera(CameraConfig(persona="dahua", rtsp=False)) as dahua:
        path = "/cgi-bin/eventManager.cgi?action=attach&codes=[VideoBlind,AlarmLocal]&heartbeat=1"
        async with raw_stream(session, dahua, path) as stream:
            dahua.raise_detection("motion")
            dahua.raise_detection("tamper")
            dahua.raise_detection("digital_input", channel=3)
            await dahua.wait_for_parts("heartbeat")  # asked for every second
            data = await stream.until(lambda data: data.endswith(b"Heartbeat\r\n"))
    bodies = [_part(b"--myboundary" + raw)[1] for raw in data.split(b"--myboundary")[1:]]
    assert bodies == [
        "Code=VideoBlind;action=Start;index=0\r\n",
        "Code=AlarmLocal;action=Start;index=2\r\n",
        "Heartbeat\r\n",
    ]


@pytest.mark.parametrize(
    ("quirk", "expected"),
    [
        (
            Quirk.STREAM_LF_ONLY,
            b"--myboundary\nContent-Type: text/plain\nContent-Length: 37\n\n"
            b"Code=VideoBlind;action=Start;index=0\n",
        ),
        (
            Quirk.STREAM_NO_CONTENT_LENGTH,
            b"--myboundary\r\nContent-Type: text/plain\r\n\r\n"
            b"Code=VideoBlind;action=Start;index=0\r\n",
        ),
        (
            Quirk.STREAM_SPACED_BOUNDARY,
            b"-- myboundary\r\nContent-Type: text/plain\r\nContent-Length: 38\r\n\r\n"
            b"Code=VideoBlind;action=Start;index=0\r\n",
        ),
    ],
)
async def test_framing_quirks(
    dahua: VirtualCamera, session: aiohttp.ClientSession, quirk: Quirk, expected: bytes
) -> None:
    dahua.set_quirk(quirk)
    async with raw_stream(session, dahua, ATTACH) as stream:
        dahua.raise_detection("tamper")
        assert await stream.until(lambda data: len(data) >= len(expected)) == expected


async def test_a_content_type_without_boundary(
    dahua: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    dahua.set_quirk(Quirk.STREAM_UNNAMED_BOUNDARY)
    async with raw_stream(session, dahua, ATTACH) as stream:
        assert stream.response.headers["Content-Type"] == "multipart/x-mixed-replace"
        dahua.raise_detection("audio")
        data = await stream.until(lambda data: b"AudioMutation" in data)
    assert data.startswith(b"--myboundary\r\n")


async def test_lost_stops(dahua: VirtualCamera, session: aiohttp.ClientSession) -> None:
    dahua.set_quirk(Quirk.DROPS_OFF_MESSAGES)
    async with raw_stream(session, dahua, ATTACH) as stream:
        dahua.raise_detection("motion")
        dahua.raise_detection("motion", active=False)
        await dahua.wait_for_parts("heartbeat")
        bodies = [_part(raw)[1] for raw in await stream.parts(2, b"--myboundary")]
    assert bodies == ["Code=VideoMotion;action=Start;index=0\r\n", "Heartbeat\r\n"]
    assert dahua.stream_parts["Stop"] == 0


async def _signed_for(
    session: aiohttp.ClientSession, target: URL, uri: str, username: str, password: str
) -> int:
    """GET ``target`` with an RFC 7616 MD5 Digest answer that signs ``uri``; return the status.

    Written out rather than through aiohttp's middleware, whose choice of what to sign
    changed between aiohttp releases (3.13 signs the decoded path, 3.14 the one it sends).
    """
    async with session.get(target) as challenge:
        assert challenge.status == 401
        header = challenge.headers["WWW-Authenticate"]
    fields = parse_auth_params(header.removeprefix("Digest "))
    assert fields.get("algorithm", "MD5").upper() == "MD5"

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - what Digest MD5 is

    cnonce, count = "0a4f113b", "00000001"
    ha1 = md5(f"{username}:{fields['realm']}:{password}")
    ha2 = md5(f"GET:{uri}")
    answer = md5(f"{ha1}:{fields['nonce']}:{count}:{cnonce}:auth:{ha2}")
    authorization = (
        f'Digest username="{username}", realm="{fields["realm"]}", nonce="{fields["nonce"]}", '
        f'uri="{uri}", qop=auth, nc={count}, cnonce="{cnonce}", response="{answer}"'
        + (f', opaque="{fields["opaque"]}"' if "opaque" in fields else "")
    )
    async with session.get(target, headers={"Authorization": authorization}) as response:
        return response.status


async def test_digest_uri_must_be_the_request_target(
    dahua: VirtualCamera, session: aiohttp.ClientSession
) -> None:
    """Signed ``codes=[All]`` but sent ``codes=%5BAll%5D`` (how aiohttp spells the path unless
    told not to): refused, as strict firmwares do; signed as sent: accepted."""
    path = "/cgi-bin/eventManager.cgi?action=getCaps&codes=[All]"
    encoded = "/cgi-bin/eventManager.cgi?action=getCaps&codes=%5BAll%5D"
    user, password = dahua.config.username, dahua.config.password
    target = URL(dahua.url(encoded), encoded=True)
    assert await _signed_for(session, target, path, user, password) == 401
    assert await _signed_for(session, target, encoded, user, password) == 200
    status, _, _ = await get(session, dahua, path)
    assert status == 200
