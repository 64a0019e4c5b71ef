"""The virtual camera's Media (ver10) and Media2 services: profiles, stream and snapshot URIs."""

from __future__ import annotations

import aiohttp
from lxml import etree
from onvif.util import stringify_onvif_error
import pytest
from zeep.exceptions import Fault

from simulator import CameraConfig, Quirk, VirtualCamera

from .test_simulator_support import NS, client, fault_subcodes, post, soap_request

pytestmark = pytest.mark.usefixtures("socket_enabled")


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


async def test_jpeg_profiles_in_media_and_media2() -> None:
    config = CameraConfig(rtsp=False, main_codec="jpeg", sub_codec="JPEG")
    assert (config.main_codec, config.sub_codec, config.jpeg_only) == ("JPEG", "JPEG", True)
    async with VirtualCamera(config) as cam, client(cam) as device:
        await device.update_xaddrs()
        media = await device.create_media_service()
        profiles = await media.GetProfiles()
        encoders = [p.VideoEncoderConfiguration for p in profiles]
        assert [(e.Encoding, e.Resolution.Width, e.H264) for e in encoders] == [
            ("JPEG", 640, None),
            ("JPEG", 320, None),
        ]
        snapshot = await media.GetSnapshotUri({"ProfileToken": "profile_main"})
        assert await device.get_snapshot("profile_main")
        assert snapshot.Uri == cam.url("/snapshot/profile_main.jpg")
        async with aiohttp.ClientSession() as session:
            _, answer, _ = await post(
                session,
                cam,
                "/onvif/media2_service",
                soap_request("tr2:GetProfiles", "<tr2:Type>All</tr2:Type>"),
            )
        assert answer is not None
        encoders2 = answer.findall("tr2:Profiles/tr2:Configurations/tr2:VideoEncoder", NS)
        assert [e.findtext("tt:Encoding", namespaces=NS) for e in encoders2] == ["JPEG", "JPEG"]
        assert [(e.get("GovLength"), e.get("Profile")) for e in encoders2] == [(None, None)] * 2


async def test_sub_codec_h265_and_invalid_codecs() -> None:
    async with (
        VirtualCamera(CameraConfig(rtsp=False, sub_codec="H265")) as cam,
        client(cam) as device,
    ):
        assert [p.codec for p in cam.profiles] == ["H264", "H265"]
        assert not cam.config.jpeg_only
        await device.update_xaddrs()
        media = await device.create_media_service()
        main, sub = await media.GetProfiles()
        assert main.VideoEncoderConfiguration.Encoding == "H264"
        assert sub.VideoEncoderConfiguration is None
    with pytest.raises(ValueError, match="main_codec"):
        CameraConfig(main_codec="MJPEG")
    with pytest.raises(ValueError, match="sub_codec"):
        CameraConfig(sub_codec="MJPEG")


async def test_stream_uri_fault(camera: VirtualCamera) -> None:
    camera.set_quirk(Quirk.STREAM_URI_FAULT)
    async with client(camera) as device:
        await device.update_xaddrs()
        media = await device.create_media_service()
        with pytest.raises(Fault) as caught:
            await media.GetStreamUri(
                {
                    "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": "profile_main",
                }
            )
        assert caught.value.message == "stream not available"
        assert caught.value.code.endswith("Receiver")
        assert "{http://www.onvif.org/ver10/error}Action" in stringify_onvif_error(caught.value)
        snapshot = await media.GetSnapshotUri({"ProfileToken": "profile_main"})
        assert snapshot.Uri.endswith("/snapshot/profile_main.jpg")
    async with aiohttp.ClientSession() as session:
        status, fault, _ = await post(
            session,
            camera,
            "/onvif/media2_service",
            soap_request(
                "tr2:GetStreamUri",
                "<tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>profile_sub</tr2:ProfileToken>",
            ),
        )
        assert status == 500
        assert fault is not None
        assert fault.findtext("env:Code/env:Value", namespaces=NS) == "env:Receiver"
        assert fault_subcodes(fault) == ["Action"]
        assert fault.findtext("env:Reason/env:Text", namespaces=NS) == "stream not available"
        camera.set_quirk(Quirk.STREAM_URI_FAULT, enabled=False)
        _, answer, _ = await post(
            session,
            camera,
            "/onvif/media2_service",
            soap_request(
                "tr2:GetStreamUri",
                "<tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>profile_sub</tr2:ProfileToken>",
            ),
        )
        assert answer is not None
        assert answer.findtext("tr2:Uri", namespaces=NS) == "rtsp://127.0.0.1:554/sub"
