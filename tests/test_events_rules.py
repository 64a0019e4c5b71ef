"""A sensor the camera declares without a rule stands for every rule of its kind.

Cameras declare "intrusion" or "line crossing" (Hikvision's triggers, Dahua's caps, ONVIF's
event properties) and then report each happening with the rule or region it was in. The
declared sensor is the one an automation is written against: it is on while any rule of its
kind is on, and the per-rule sensors appear beside it as the rules show up.
"""

from __future__ import annotations

from datetime import timedelta

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.homebound.const import DEFAULT_AUTO_OFF
from custom_components.homebound.events import Capability, EventKind
from simulator import VirtualCamera

from .events_helpers import add_camera, sensor_becomes, sensor_state, source_ready

INTRUSION = Capability(EventKind.INTRUSION)
GATE = Capability(EventKind.INTRUSION, rule="Gate")
DOOR = Capability(EventKind.INTRUSION, rule="Door")


@pytest.mark.parametrize("vendor_camera", ["hikvision", "dahua"], indirect=True)
async def test_declared_sensor_is_on_while_any_rule_is(
    hass: HomeAssistant, vendor_camera: VirtualCamera
) -> None:
    """Two regions overlap: "Intrusion" stays on until the last of them ends."""
    entry = await add_camera(hass, vendor_camera)
    await source_ready(hass, entry)
    assert INTRUSION in entry.runtime_data.hub.capabilities
    await sensor_becomes(hass, entry, INTRUSION, STATE_OFF)

    vendor_camera.raise_detection("intrusion", region="Gate")
    await sensor_becomes(hass, entry, GATE, STATE_ON)
    await sensor_becomes(hass, entry, INTRUSION, STATE_ON)
    vendor_camera.raise_detection("intrusion", region="Door")
    await sensor_becomes(hass, entry, DOOR, STATE_ON)

    vendor_camera.raise_detection("intrusion", active=False, region="Gate")
    await sensor_becomes(hass, entry, GATE, STATE_OFF)
    assert sensor_state(hass, entry, INTRUSION) == STATE_ON  # the door is still on
    vendor_camera.raise_detection("intrusion", active=False, region="Door")
    await sensor_becomes(hass, entry, DOOR, STATE_OFF)
    await sensor_becomes(hass, entry, INTRUSION, STATE_OFF)


@pytest.mark.parametrize("vendor_camera", ["hikvision", "dahua"], indirect=True)
async def test_declared_sensor_ends_with_its_rules_auto_off(
    hass: HomeAssistant, vendor_camera: VirtualCamera
) -> None:
    """An end that never comes: the rule's auto-off ends the declared sensor too."""
    entry = await add_camera(hass, vendor_camera)
    await source_ready(hass, entry)
    vendor_camera.raise_detection("intrusion", region="Gate")
    await sensor_becomes(hass, entry, INTRUSION, STATE_ON)
    vendor_camera.set_event_stream(False)  # the stream dies before the end is said
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=DEFAULT_AUTO_OFF + 1))
    await sensor_becomes(hass, entry, GATE, STATE_OFF)
    await sensor_becomes(hass, entry, INTRUSION, STATE_OFF)
