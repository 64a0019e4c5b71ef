"""Every detection kind through every source type, end to end.

One simulator call per change ("person started", "person ended"); each source says it its own
way — an ONVIF property on its topic (PullPoint and Notify), an ISAPI ``EventNotificationAlert``,
a Dahua ``Code=`` line — and each time the same Home Assistant sensor turns on, then off.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.homebound.const import PULSE_SECONDS
from custom_components.homebound.events import Capability, EventKind, SourceKind
from simulator import VirtualCamera
from simulator.detections import Kind

from .events_helpers import add_camera, sensor_becomes, source_ready
from .test_events_push import webhook_url

__all__ = ["webhook_url"]  # a fixture, shared with the push tests

REGION = "Gate"
RULE_KINDS = frozenset({Kind.LINE_CROSSING, Kind.INTRUSION, Kind.LOITERING})


def _capability(kind: Kind) -> Capability:
    return Capability(EventKind(kind.value), rule=REGION if kind in RULE_KINDS else "")


async def _every_kind(
    hass: HomeAssistant,
    camera: VirtualCamera,
    entry: ConfigEntry[Any],
    pulses: frozenset[Kind] = frozenset(),
) -> None:
    """Start and end every kind; ``pulses`` are kinds the source only says started."""
    for kind in Kind:
        region = REGION if kind in RULE_KINDS else None
        capability = _capability(kind)
        camera.raise_detection(kind, region=region)
        await sensor_becomes(hass, entry, capability, STATE_ON)
        camera.raise_detection(kind, active=False, region=region)
        if kind in pulses:  # a pulse topic has no end of its own: the sensor's pulse ends it
            async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=PULSE_SECONDS + 1))
        await sensor_becomes(hass, entry, capability, STATE_OFF)


async def test_every_kind_over_pullpoint(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The generic camera's ONVIF topics, pulled."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await source_ready(hass, config_entry) is SourceKind.PULLPOINT
    # tns1:RuleEngine/LineDetector/Crossed says only that a line was crossed.
    await _every_kind(hass, camera, config_entry, pulses=frozenset({Kind.LINE_CROSSING}))


@pytest.mark.usefixtures("webhook_url")
async def test_every_kind_over_onvif_notify(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The same topics, pushed to Home Assistant's webhook as wsnt:Notify."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await source_ready(hass, config_entry) is SourceKind.WEBHOOK
    await _every_kind(hass, camera, config_entry, pulses=frozenset({Kind.LINE_CROSSING}))


@pytest.mark.parametrize(
    ("vendor_camera", "source"),
    [("hikvision", SourceKind.HIKVISION), ("dahua", SourceKind.DAHUA)],
    indirect=["vendor_camera"],
)
async def test_every_kind_over_the_vendor_stream(
    hass: HomeAssistant, vendor_camera: VirtualCamera, source: SourceKind
) -> None:
    """Hikvision event types (AcuSense targets for person, vehicle, animal), Dahua codes."""
    entry = await add_camera(hass, vendor_camera)
    assert await source_ready(hass, entry) is source
    await _every_kind(hass, vendor_camera, entry)
    assert "CreatePullPointSubscription" not in vendor_camera.requests
    if source is SourceKind.DAHUA:
        # action=Pulse: a happening without duration, ended by the sensor's own pulse.
        door = Capability(EventKind.LINE_CROSSING, rule="Door")
        vendor_camera.raise_detection("line_crossing", region="Door", pulse=True)
        await sensor_becomes(hass, entry, door, STATE_ON)
        assert vendor_camera.stream_parts["Pulse"] == 1
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=PULSE_SECONDS + 1))
        await sensor_becomes(hass, entry, door, STATE_OFF)
