"""The simulator's injected faults: one SOAP operation fails while the rest of the camera works."""

from __future__ import annotations

import aiohttp
import pytest

from simulator import VirtualCamera
from simulator.soap import Fault

from .test_simulator_support import NS, fault_subcodes, post, soap_request

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
