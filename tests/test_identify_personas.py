"""Who made each virtual camera, found over loopback the way set-up will find it.

Each persona is asked what Homebound's set-up asks anyway — the ONVIF probe, the vendor endpoint
of ``detect_vendor`` with the user's own credentials, the first snapshot — with a
``FingerprintRecorder`` watching the answers, plus the one request fingerprinting adds
(``GET /``). The MAC passed to ``identify`` is the persona's: in these tests it stands for the
one the network observed (router neighbour table, DHCP), which Home Assistant passes in.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import aiohttp
import pytest

from custom_components.homebound.catalog import (
    Confidence,
    FirmwareReport,
    Identification,
    StatusState,
    Verdict,
    check_firmware,
    identify,
    load_catalog,
    maker_status,
)
from custom_components.homebound.device import OnvifClient
from custom_components.homebound.device.fingerprint import FingerprintRecorder, fetch_root_page
from custom_components.homebound.events.capabilities import VENDOR_API, VendorHttp, detect_vendor
from simulator import CameraConfig, VirtualCamera

CATALOG = load_catalog()


@dataclass
class Sent:
    """What the client sent: (method, path, carried credentials) per request."""

    requests: list[tuple[str, str, bool]] = field(default_factory=list)


@pytest.fixture
async def traced() -> AsyncIterator[tuple[aiohttp.ClientSession, Sent]]:
    sent = Sent()
    trace = aiohttp.TraceConfig()

    async def on_start(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        authorized = "Authorization" in params.headers
        sent.requests.append((params.method, params.url.path, authorized))

    trace.on_request_start.append(on_start)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        yield session, sent


@dataclass(frozen=True)
class Observed:
    identification: Identification
    report: FirmwareReport
    recorder: FingerprintRecorder


async def observe(
    camera: VirtualCamera, session: aiohttp.ClientSession, rtsp_server: str | None = None
) -> Observed:
    """Set-up's requests with a recorder watching, then the one GET /, then the verdicts."""
    config = camera.config
    recorder = FingerprintRecorder()
    client = OnvifClient(
        camera.host,
        camera.onvif_port,
        config.username,
        config.password,
        session,
        observers=(recorder.middleware,),
    )
    try:
        info = await client.async_connect()
        base = f"http://{camera.host}:{camera.onvif_port}"
        http = VendorHttp(
            session, base, config.username, config.password, observers=(recorder.middleware,)
        )
        kind = await detect_vendor(http, info.identity.manufacturer, config.mac)
        recorder.observe_vendor_api(VENDOR_API.get(kind) if kind else None)
        await client.async_get_snapshot(info.main_profile)
        assert await fetch_root_page(session, base, recorder)
    finally:
        await client.async_close()
    if rtsp_server is not None:
        recorder.observe_rtsp_server(rtsp_server)
    found = identify(
        CATALOG,
        manufacturer=info.identity.manufacturer,
        mac=config.mac,
        fingerprint=recorder.fingerprint(),
    )
    maker = found.maker.key if found.maker else None
    report = check_firmware(
        CATALOG, maker, info.identity.model, info.identity.firmware, oem=found.oem
    )
    return Observed(found, report, recorder)


EXPECTED = {
    # persona: (maker, brand, confidence, label, status)
    "lts": ("hikvision", "lts", Confidence.FIRMWARE, "Hikvision (sold as LTS)", StatusState.LISTED),
    "annke": (None, "annke", Confidence.UNKNOWN, "Annke", StatusState.UNKNOWN_MAKER),
    "amcrest": (
        "dahua",
        "amcrest",
        Confidence.FIRMWARE,
        "Dahua (sold as Amcrest)",
        StatusState.LISTED,
    ),
    "xiongmai": ("xiongmai", None, Confidence.FIRMWARE, "Xiongmai", StatusState.NONE_KNOWN),
    "reolink": ("reolink", None, Confidence.DOCUMENTED, "Reolink", StatusState.NONE_KNOWN),
    "hikvision-exploited": (
        "hikvision",
        None,
        Confidence.FIRMWARE,
        "Hikvision",
        StatusState.LISTED,
    ),
    "generic": (None, None, Confidence.UNKNOWN, "Homebound", StatusState.UNKNOWN_MAKER),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
async def test_each_persona_is_identified_with_the_right_confidence(
    persona: str, traced: tuple[aiohttp.ClientSession, Sent]
) -> None:
    session, sent = traced
    maker, brand, confidence, label, state = EXPECTED[persona]
    async with VirtualCamera(CameraConfig(persona=persona, rtsp=False)) as camera:
        observed = await observe(camera, session)
    found = observed.identification
    assert (found.maker.key if found.maker else None) == maker
    assert (found.brand.key if found.brand else None) == brand
    assert found.confidence is confidence
    assert found.manufacturer_label() == label
    assert maker_status(CATALOG, found).state is state
    # Fingerprinting added one request: an unauthenticated GET of the web root.
    roots = [r for r in sent.requests if r[1] == "/"]
    assert roots == [("GET", "/", False)]


async def test_the_lts_evidence_all_points_to_hikvision(
    traced: tuple[aiohttp.ClientSession, Sent],
) -> None:
    async with VirtualCamera(CameraConfig(persona="lts", rtsp=False)) as camera:
        observed = await observe(camera, traced[0])
    evidence = {(e.signal, e.observed): e.maker for e in observed.identification.evidence}
    assert evidence == {
        ("vendor_api", "isapi"): "hikvision",
        ("http_server", "App-webs/"): "hikvision",
        ("realm", "IP Camera(C2183)"): "hikvision",
        ("root_page", "/doc/page/login.asp"): "hikvision",
        ("onvif_manufacturer", "LTS"): None,
        ("mac", "MA-L prefix registered to Hikvision"): "hikvision",
    }
    assert observed.identification.conflicts == ()


async def test_the_annke_is_not_guessed_to_be_a_hikvision(
    traced: tuple[aiohttp.ClientSession, Sent],
) -> None:
    async with VirtualCamera(CameraConfig(persona="annke", rtsp=False)) as camera:
        observed = await observe(camera, traced[0])
    found = observed.identification
    assert found.maker is None
    assert observed.recorder.fingerprint().http_servers == ("MWS 0.01",)
    details = " ".join(e.detail for e in found.evidence)
    assert "unverified" in details
    assert observed.report.findings == ()
    # Nothing was asked of a vendor API it has no sign of.
    assert not [r for r in traced[1].requests if r[1].startswith(("/ISAPI", "/cgi-bin"))]


async def test_a_fingerprint_that_contradicts_the_onvif_name(
    traced: tuple[aiohttp.ClientSession, Sent],
) -> None:
    """A Hikvision that calls itself Dahua over ONVIF is shown as what its firmware is."""
    config = CameraConfig(persona="hikvision-exploited", rtsp=False, manufacturer="Dahua")
    async with VirtualCamera(config) as camera:
        observed = await observe(camera, traced[0])
    found = observed.identification
    assert found.maker is not None
    assert found.maker.key == "hikvision"
    assert found.confidence is Confidence.FIRMWARE
    assert found.manufacturer_label() == "Hikvision (reports itself as Dahua)"
    assert [(e.signal, e.observed) for e in found.conflicts] == [("onvif_manufacturer", "Dahua")]


async def test_the_exploited_persona_runs_firmware_cisa_lists(
    traced: tuple[aiohttp.ClientSession, Sent],
) -> None:
    async with VirtualCamera(CameraConfig(persona="hikvision-exploited", rtsp=False)) as camera:
        observed = await observe(camera, traced[0])
    report = observed.report
    assert report.known_exploited
    known = report.known[0]
    assert known.vulnerability.cve == "CVE-2017-7921"
    assert known.verdict is Verdict.KNOWN
    assert known.vulnerability.kev.date == "2026-03-05"
    assert "5.4.41" in known.vulnerability.fixed
    assert [f.vulnerability.cve for f in report.findings if f.verdict is Verdict.POSSIBLE] == [
        "CVE-2021-36260"
    ]


async def test_the_xiongmai_is_known_vulnerable_but_not_known_exploited(
    traced: tuple[aiohttp.ClientSession, Sent],
) -> None:
    async with VirtualCamera(CameraConfig(persona="xiongmai", rtsp=False)) as camera:
        observed = await observe(camera, traced[0])
    fingerprint = observed.recorder.fingerprint()
    assert fingerprint.page_title == "NETSurveillance WEB"
    assert fingerprint.http_servers == ("uc-httpd 1.0.0",)
    assert [f.verdict for f in observed.report.findings] == [Verdict.KNOWN]
    assert not observed.report.known_exploited


async def test_the_recorder_sees_the_digest_challenge_behind_the_authentication() -> None:
    """Placed inside the Digest middleware, the recorder sees the 401 before the answer."""
    async with (
        VirtualCamera(CameraConfig(persona="amcrest", rtsp=False)) as camera,
        aiohttp.ClientSession() as session,
    ):
        recorder = FingerprintRecorder()
        config = camera.config
        http = VendorHttp(
            session,
            f"http://{camera.host}:{camera.onvif_port}",
            config.username,
            config.password,
            observers=(recorder.middleware,),
        )
        status, _ = await http.get("/cgi-bin/magicBox.cgi?action=getDeviceType")
    assert status == 200
    assert recorder.fingerprint().realms == (f"Login to {config.serial}",)


async def _rtsp_server_header(port: int) -> str | None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"OPTIONS rtsp://127.0.0.1:{port}/main RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode())
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
    finally:
        writer.close()
        await writer.wait_closed()
    assert head.startswith("RTSP/1.0 200")
    lines = [line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line]
    return next((value.strip() for name, value in lines if name.lower() == "server"), None)


@pytest.mark.rtsp
@pytest.mark.parametrize(
    ("persona", "server", "maker"),
    [
        ("amcrest", "Dahua Rtsp Server", "dahua"),
        ("xiongmai", "H264DVR rtspd 1.0", "xiongmai"),
        ("lts", None, None),
        ("reolink", "GStreamer RTSP server", None),
    ],
)
async def test_the_rtsp_server_names_its_firmware(
    persona: str, server: str | None, maker: str | None
) -> None:
    """The RTSP answer's Server header as the firmware sends it, and what it tells."""
    async with VirtualCamera(CameraConfig(persona=persona)) as camera:
        assert camera.rtsp_port is not None
        header = await _rtsp_server_header(camera.rtsp_port)
    assert header == server
    recorder = FingerprintRecorder()
    if header is not None:
        recorder.observe_rtsp_server(header)
    found = identify(CATALOG, manufacturer="", fingerprint=recorder.fingerprint())
    assert (found.maker.key if found.maker else None) == maker
