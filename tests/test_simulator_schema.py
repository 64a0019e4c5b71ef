"""Every answer of the virtual camera validates against the ONVIF schemas."""

from __future__ import annotations

import asyncio

import aiohttp
from lxml import etree
import pytest

from simulator import CameraConfig, VirtualCamera

from .test_simulator_support import (
    MOTION,
    NS,
    WAIT,
    build_onvif_schema,
    notification_consumer,
    post,
    soap_request,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture(scope="module")
def onvif_schema(tmp_path_factory: pytest.TempPathFactory) -> etree.XMLSchema:
    """The bundled ONVIF schemas (and Media2's types) as one validator."""
    return build_onvif_schema(tmp_path_factory.mktemp("onvif-schema"))


async def test_answers_validate_against_the_onvif_schemas(
    camera: VirtualCamera, onvif_schema: etree.XMLSchema
) -> None:
    async with notification_consumer() as (consumer, received):
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


@pytest.mark.parametrize(
    ("main_codec", "sub_codec"), [("H264", "H264"), ("H265", "JPEG"), ("JPEG", "JPEG")]
)
async def test_profiles_of_every_codec_validate(
    onvif_schema: etree.XMLSchema, main_codec: str, sub_codec: str
) -> None:
    config = CameraConfig(rtsp=False, main_codec=main_codec, sub_codec=sub_codec)
    requests = [
        ("/onvif/media_service", "trt:GetProfiles", ""),
        (
            "/onvif/media_service",
            "trt:GetProfile",
            "<trt:ProfileToken>profile_sub</trt:ProfileToken>",
        ),
        ("/onvif/media2_service", "tr2:GetProfiles", "<tr2:Type>All</tr2:Type>"),
        ("/onvif/media2_service", "tr2:GetProfiles", ""),
        (
            "/onvif/media2_service",
            "tr2:GetStreamUri",
            "<tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>profile_main</tr2:ProfileToken>",
        ),
        (
            "/onvif/media2_service",
            "tr2:GetSnapshotUri",
            "<tr2:ProfileToken>profile_sub</tr2:ProfileToken>",
        ),
    ]
    async with VirtualCamera(config) as camera, aiohttp.ClientSession() as session:
        for path, operation, children in requests:
            status, answer, raw = await post(
                session, camera, path, soap_request(operation, children)
            )
            assert status == 200, raw
            assert answer is not None
            assert onvif_schema.validate(answer), (operation, onvif_schema.error_log)
        _, answer, _ = await post(
            session, camera, "/onvif/media_service", soap_request("trt:GetProfiles")
        )
    assert answer is not None
    ver10 = [e.text for e in answer.iterfind(".//tt:VideoEncoderConfiguration/tt:Encoding", NS)]
    expected = {"H264": ["H264"], "H265": [], "JPEG": ["JPEG"]}
    assert ver10 == expected[main_codec] + expected[sub_codec]


async def test_media2_schema_catches_a_wrong_answer(onvif_schema: etree.XMLSchema) -> None:
    """The Media2 declarations are not vacuous: a misordered encoder fails validation."""
    async with VirtualCamera(CameraConfig(rtsp=False)) as camera, aiohttp.ClientSession() as s:
        _, answer, _ = await post(
            s,
            camera,
            "/onvif/media2_service",
            soap_request("tr2:GetProfiles", "<tr2:Type>All</tr2:Type>"),
        )
    assert answer is not None
    assert onvif_schema.validate(answer)
    encoder = answer.find("tr2:Profiles/tr2:Configurations/tr2:VideoEncoder", NS)
    assert encoder is not None
    quality = encoder.find("tt:Quality", NS)
    assert quality is not None
    encoder.remove(quality)
    encoder.insert(0, quality)
    assert not onvif_schema.validate(answer)
    encoder.remove(quality)
    encoder.append(quality)
    encoding = encoder.find("tt:Encoding", NS)
    assert encoding is not None
    encoding.text = "MJPEG"
    assert not onvif_schema.validate(answer)
