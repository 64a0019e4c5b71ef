"""Vendor cameras whose own API fails while ONVIF works: sensors and events still come.

Hikvision and Dahua cameras of the simulator are added through the config flow; one request
of the vendor API fails (``VirtualCamera.set_fault``: HTTP 500) or hangs (``set_delay``, with
the probe timeout shortened from 5 s), and Homebound makes do with what ONVIF says.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import math

from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
import pytest

from custom_components.homebound.events import Capability, EventKind, SourceKind, capabilities
from simulator import CameraConfig, VirtualCamera

from .events_helpers import add_camera, sensor_becomes, source_ready

MOTION = Capability(EventKind.MOTION)


@pytest.fixture
async def vendor_camera(request: pytest.FixtureRequest) -> AsyncIterator[VirtualCamera]:
    """A camera of the persona the test is parametrized with."""
    async with VirtualCamera(CameraConfig(persona=request.param, rtsp=False)) as camera:
        yield camera


@pytest.mark.parametrize(
    ("vendor_camera", "request_name", "kind"),
    [
        ("hikvision", "ISAPI/Event/triggers", SourceKind.HIKVISION),
        ("dahua", "eventManager.getCaps", SourceKind.DAHUA),
    ],
    indirect=["vendor_camera"],
)
async def test_a_failing_vendor_event_list_leaves_the_onvif_sensors(
    hass: HomeAssistant, vendor_camera: VirtualCamera, request_name: str, kind: SourceKind
) -> None:
    """The vendor's list of configured events answers HTTP 500: the sensors come from the
    ONVIF topic set alone, and events still come from the vendor stream."""
    vendor_camera.set_fault(request_name)
    entry = await add_camera(hass, vendor_camera)
    assert await source_ready(hass, entry) is kind
    assert vendor_camera.request_counts[request_name] >= 1
    hub = entry.runtime_data.hub
    assert MOTION in hub.capabilities
    vendor_camera.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)


@pytest.mark.parametrize("vendor_camera", ["dahua"], indirect=True)
async def test_a_hanging_vendor_event_list_leaves_the_onvif_sensors(
    hass: HomeAssistant, vendor_camera: VirtualCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vendor's list of configured events never answers: after the probe timeout the
    sensors come from ONVIF, and the vendor stream is used."""
    monkeypatch.setattr(capabilities, "PROBE_TIMEOUT", 0.2)
    vendor_camera.set_delay("eventManager.getCaps", math.inf)
    entry = await add_camera(hass, vendor_camera)
    assert await source_ready(hass, entry) is SourceKind.DAHUA
    assert MOTION in entry.runtime_data.hub.capabilities
    vendor_camera.set_delay("eventManager.getCaps", None)


@pytest.mark.parametrize("vendor_camera", ["dahua"], indirect=True)
async def test_a_vendor_api_that_never_answers_means_onvif_events(
    hass: HomeAssistant, vendor_camera: VirtualCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Dahua camera (by name) whose own API does not answer the vendor check: it is used
    as a plain ONVIF camera, with PullPoint events."""
    monkeypatch.setattr(capabilities, "PROBE_TIMEOUT", 0.2)
    vendor_camera.set_delay("magicBox.getDeviceType", math.inf)
    entry = await add_camera(hass, vendor_camera)
    assert await source_ready(hass, entry) is SourceKind.PULLPOINT
    assert entry.runtime_data.hub.vendor is None
    vendor_camera.set_delay("magicBox.getDeviceType", None)
    vendor_camera.raise_detection("motion")
    await sensor_becomes(hass, entry, MOTION, STATE_ON)
