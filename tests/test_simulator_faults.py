"""The simulator's injected faults: a SOAP operation fails, a vendor stream carries an odd part."""

from __future__ import annotations

import aiohttp
import pytest

from simulator import CameraConfig, VirtualCamera
from simulator.soap import Fault

from .test_simulator_support import NS, fault_subcodes, post, soap_request
from .vendor_support import get, raw_stream

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_an_injected_fault_answers_only_its_operation(camera: VirtualCamera) -> None:
    """set_fault makes one operation answer a SOAP fault (after authentication) and only it;
    None answers it normally again."""
    camera.set_fault("GetDeviceInformation")
    async with aiohttp.ClientSession() as session:
        status, fault, _ = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetDeviceInformation")
        )
        assert status == 500
        assert fault is not None
        assert fault_subcodes(fault) == ["Action"]
        assert fault.findtext("env:Reason/env:Text", namespaces=NS) == (
            "The requested action failed"
        )
        # Authentication comes first: a wrong password is still NotAuthorized.
        _, fault, _ = await post(
            session,
            camera,
            "/onvif/device_service",
            soap_request("tds:GetDeviceInformation", password="wrong"),
        )
        assert fault is not None
        assert fault_subcodes(fault) == ["NotAuthorized"]
        # Other operations are untouched.
        status, answer, _ = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetScopes")
        )
        assert status == 200
        assert answer is not None
        camera.set_fault("GetScopes", Fault("env:Sender", ("ter:InvalidArgVal",), "no"))
        status, fault, _ = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetScopes")
        )
        assert (status, fault_subcodes(fault) if fault is not None else None) == (
            400,
            ["InvalidArgVal"],
        )
        camera.set_fault("GetDeviceInformation", None)
        status, answer, _ = await post(
            session, camera, "/onvif/device_service", soap_request("tds:GetDeviceInformation")
        )
        assert status == 200
        assert answer is not None
    assert camera.request_counts["GetDeviceInformation"] == 3
    with pytest.raises(ValueError, match="operation name"):
        camera.set_fault("")


async def test_a_raw_part_is_written_on_every_open_vendor_stream() -> None:
    """send_stream_part writes its lines as one part, framed as the others, on each open
    vendor event stream, counts it under its name, and does nothing without a stream; a
    stream that closes is seen to close."""
    config = CameraConfig(persona="dahua", rtsp=False, heartbeat_interval=0.05)
    async with VirtualCamera(config) as camera, aiohttp.ClientSession() as session:
        assert camera.send_stream_part(["Code=Nothing"]) == 0
        async with raw_stream(
            session, camera, "/cgi-bin/eventManager.cgi?action=attach&codes=[All]"
        ) as stream:
            assert camera.send_stream_part(["Code=FireWarning;action=Start;index=0"], "odd") == 1
            data = await stream.until(lambda data: b"Code=FireWarning" in data)
        assert b"Content-Type: text/plain" in data.split(b"Code=FireWarning")[0]
        assert camera.stream_parts["odd"] == 1
        await camera.state.wait_until(lambda: not camera.events.listeners, 10.0)


async def test_an_injected_fault_on_a_vendor_request_is_an_http_500() -> None:
    """set_fault on a vendor API request (by the name it is counted under) answers HTTP 500
    after Digest, and only that request."""
    config = CameraConfig(persona="dahua", rtsp=False)
    async with VirtualCamera(config) as camera, aiohttp.ClientSession() as session:
        camera.set_fault("eventManager.getCaps")
        status, _, text = await get(session, camera, "/cgi-bin/eventManager.cgi?action=getCaps")
        assert (status, text) == (500, "The requested action failed\r\n")
        status, _, _ = await get(session, camera, "/cgi-bin/magicBox.cgi?action=getDeviceType")
        assert status == 200
        camera.set_fault("eventManager.getCaps", None)
        status, _, text = await get(session, camera, "/cgi-bin/eventManager.cgi?action=getCaps")
        assert status == 200
        assert "caps." in text
