"""Bursts end to end: N starts and ends within M milliseconds reach automations N times.

A camera that sees someone walk in and out of a zone says "started", "ended" many times in a
second. Every start must fire its device trigger (the ``homebound_event`` bus event), in order,
on every source, and the sensor must end off.
"""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_OFF
from homeassistant.core import Event, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import SIGNAL_EVENT
from custom_components.homebound.events import Capability, EventKind, SourceKind
from simulator import VirtualCamera

from .events_helpers import WAIT, add_camera, sensor_becomes, source_ready
from .test_events_push import webhook_url

__all__ = ["webhook_url"]  # a fixture, shared with the push tests

MOTION = Capability(EventKind.MOTION)
TRANSITIONS = 5


async def _burst_reaches_automations(
    hass: HomeAssistant, camera: VirtualCamera, entry: ConfigEntry[Any], within_ms: float
) -> None:
    types: list[str] = []
    done = asyncio.Event()

    @callback
    def fired(event: Event[dict[str, Any]]) -> None:
        types.append(event.data["type"])
        if len(types) == 2 * TRANSITIONS:
            done.set()

    remove = hass.bus.async_listen(SIGNAL_EVENT, fired)
    try:
        await camera.detection_burst("motion", TRANSITIONS, within_ms)
        async with asyncio.timeout(WAIT):
            await done.wait()
    finally:
        remove()
    assert types == ["motion_start", "motion_end"] * TRANSITIONS
    await sensor_becomes(hass, entry, MOTION, STATE_OFF)


@pytest.mark.parametrize("within_ms", [0, 100])
async def test_a_burst_over_pullpoint(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry, within_ms: float
) -> None:
    """All at once (one PullMessages answer) and spread over 100 ms (several)."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await source_ready(hass, config_entry) is SourceKind.PULLPOINT
    await _burst_reaches_automations(hass, camera, config_entry, within_ms)


@pytest.mark.usefixtures("webhook_url")
async def test_a_burst_over_onvif_notify(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """One Notify per change, all at once."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await source_ready(hass, config_entry) is SourceKind.WEBHOOK
    await _burst_reaches_automations(hass, camera, config_entry, 0)


@pytest.mark.parametrize(
    ("vendor_camera", "source"),
    [("hikvision", SourceKind.HIKVISION), ("dahua", SourceKind.DAHUA)],
    indirect=["vendor_camera"],
)
async def test_a_burst_over_the_vendor_stream(
    hass: HomeAssistant, vendor_camera: VirtualCamera, source: SourceKind
) -> None:
    """Active/inactive (Hikvision) or Start/Stop (Dahua) parts back to back."""
    entry = await add_camera(hass, vendor_camera)
    assert await source_ready(hass, entry) is source
    await _burst_reaches_automations(hass, vendor_camera, entry, 0)
