"""Personas and service plug-ins: a new kind of camera is a persona plus its own modules.

The test persona here is what a vendor persona will be: its own identity, a plug-in with a
vendor HTTP route, a subset of the ONVIF services, default quirks and delays, its own topics,
realm and fault shape. Everything is checked over loopback HTTP/SOAP.
"""

from __future__ import annotations

from typing import ClassVar

import aiohttp
from aiohttp import web
from lxml import etree
import pytest

from simulator import (
    PERSONAS,
    Behaviour,
    CameraConfig,
    CameraState,
    Identity,
    Persona,
    Quirk,
    VirtualCamera,
    get_persona,
)
from simulator.event_hub import TopicDescription
from simulator.services import Service
from simulator.services.onvif import DeviceService, EventsService, MediaService
from simulator.soap import Fault

from .test_simulator_support import NS, client, post, soap_request

pytestmark = pytest.mark.usefixtures("socket_enabled")


class MagicBoxService(Service):
    """A vendor route, the way a Dahua ``cgi-bin/`` plug-in will add its own."""

    name: ClassVar[str] = "test/magicbox"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_get("/cgi-bin/magicBox.cgi", self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.state.record("magicBox", soap=False)
        if request.query.get("action") != "getDeviceType":
            raise web.HTTPBadRequest
        return web.Response(text=f"type={self.state.config.model}\r\n")


class HtmlFaults(Behaviour):
    """Firmware that answers every SOAP fault with an HTML error page."""

    def soap_fault(self, state: CameraState, fault: Fault) -> web.Response:
        return web.Response(
            status=500, text=f"<html>{fault.reason}</html>", content_type="text/html"
        )


TEST_PERSONA = Persona(
    name="test-vendor",
    description="a camera of a made-up vendor",
    identity=Identity(
        name="Doorbell",
        manufacturer="Test Vendor",
        model="TV-100",
        firmware="V2.800.0000000.1.R",
        serial="TV0000000001",
        mac="3c:ef:8c:00:00:01",
        hardware_id="TV-100",
        location="Testland",
    ),
    services=(DeviceService, MediaService, EventsService, MagicBoxService),
    behaviour=HtmlFaults(),
    quirks=frozenset({Quirk.NO_NETWORK_INTERFACES}),
    delays={"GetHostname": 0.0},
    topics=(
        TopicDescription(
            "tns1:VideoSource/GlobalSceneChange/ImagingService",
            (("Source", "tt:ReferenceToken", "vs_main"),),
            (("State", "xs:boolean", "false"),),
        ),
    ),
    realm="Login to TV0000000001",
)


@pytest.fixture
def test_persona(monkeypatch: pytest.MonkeyPatch) -> Persona:
    """The test persona, registered for the length of one test."""
    monkeypatch.setitem(PERSONAS, TEST_PERSONA.name, TEST_PERSONA)
    return TEST_PERSONA


def test_identity_comes_from_the_persona() -> None:
    generic = get_persona("generic")
    config = CameraConfig(manufacturer="Annke")
    assert (config.persona, config.manufacturer, config.model, config.serial) == (
        "generic",
        "Annke",
        generic.identity.model,
        "HBSIM0001",
    )
    assert config.mac == "02:48:42:00:00:01"
    with pytest.raises(ValueError, match="generic"):
        CameraConfig(persona="nope")
    numbered = generic.identity.numbered(258)
    assert (numbered.name, numbered.serial, numbered.mac) == (
        "Virtual Camera 258",
        "HBSIM0258",
        "02:48:42:00:01:02",
    )
    camera = VirtualCamera(CameraConfig(rtsp=False))
    assert [service.name for service in camera.services] == [
        "onvif/device",
        "onvif/media",
        "onvif/media2",
        "onvif/events",
        "snapshot",
        "web/root",
    ]


async def test_a_persona_brings_its_services_and_behaviours(test_persona: Persona) -> None:
    config = CameraConfig(rtsp=False, persona=test_persona.name, discovery_port=None)
    assert (config.name, config.manufacturer, config.mac) == (
        "Doorbell",
        "Test Vendor",
        "3c:ef:8c:00:00:01",
    )
    async with VirtualCamera(config) as camera:
        assert camera.persona is test_persona
        assert Quirk.NO_NETWORK_INTERFACES in camera.config.quirks
        assert camera.delays == {"GetHostname": 0.0}
        async with client(camera) as device:
            await device.update_xaddrs()
            assert sorted(device.xaddrs) == sorted([NS["tds"], NS["trt"], NS["tev"]])
            mgmt = await device.create_devicemgmt_service()
            info = await mgmt.GetDeviceInformation()
            assert (info.Manufacturer, info.Model, info.SerialNumber) == (
                "Test Vendor",
                "TV-100",
                "TV0000000001",
            )
            scopes = [scope.ScopeItem for scope in await mgmt.GetScopes()]
            assert "onvif://www.onvif.org/Profile/T" not in scopes
            assert "onvif://www.onvif.org/location/country/Testland" in scopes
            events = await device.create_events_service()
            properties = await events.GetEventProperties()
            topic_set = "".join(etree.tostring(e).decode() for e in properties.TopicSet._value_1)
            assert "GlobalSceneChange" in topic_set
            assert "CellMotionDetector" not in topic_set

        async with aiohttp.ClientSession() as session:
            # Its behaviour shapes faults; the quirk it starts with causes one.
            async with session.post(
                camera.url("/onvif/device_service"), data=soap_request("tds:GetNetworkInterfaces")
            ) as response:
                assert response.status == 500
                assert response.content_type == "text/html"
                assert await response.text() == "<html>Action not supported</html>"
            status, _, _ = await post(
                session, camera, "/onvif/media2_service", soap_request("tr2:GetProfiles")
            )
            assert status == 404  # no Media2 plug-in
            async with session.get(camera.url("/snapshot/profile_main.jpg")) as response:
                assert response.status == 404  # no snapshot plug-in
            async with session.get(
                camera.url("/cgi-bin/magicBox.cgi?action=getDeviceType")
            ) as response:
                assert response.status == 200
                assert await response.text() == "type=TV-100\r\n"
        assert camera.request_counts["magicBox"] == 1
        await camera.wait_for_request("magicBox")
        assert camera.state.http_auth.digest_challenge().startswith(
            'Digest realm="Login to TV0000000001"'
        )
