"""The virtual camera's device service and WS-UsernameToken, through onvif-zeep-async."""

from __future__ import annotations

import asyncio
import datetime as dt

import aiohttp
from onvif.util import is_auth_error, stringify_onvif_error
import pytest
from zeep.exceptions import Fault

from simulator import CameraConfig, Quirk, VirtualCamera

from .test_simulator_support import NS, camera_time, client, fault_subcodes, post, soap_request

pytestmark = pytest.mark.usefixtures("socket_enabled")


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
        assert abs(camera_time(answer) - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


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
