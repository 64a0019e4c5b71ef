"""Helpers for tests of camera events: waiting for states and for the event source."""

from __future__ import annotations

import asyncio

from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.events import SourceKind

WAIT = 10.0
"""Seconds any single wait in these tests may take before it fails."""

MOTION = "binary_sensor.virtual_camera_motion"
TAMPER = "binary_sensor.virtual_camera_tamper"
DETECTIONS = "event.virtual_camera_detections"


async def source_ready(hass: HomeAssistant, entry: MockConfigEntry) -> SourceKind:
    """Wait until the entry's event source has answered once; return its kind."""
    hub = entry.runtime_data.hub
    async with asyncio.timeout(WAIT):
        await hub.first_alive.wait()
    await hass.async_block_till_done()
    manager = hub.manager
    assert manager is not None
    kind: SourceKind | None = manager.kind
    assert kind is not None
    return kind


async def state_becomes(hass: HomeAssistant, entity_id: str, state: str) -> None:
    """Wait until ``entity_id`` has ``state`` (at once when it has it already)."""
    current = hass.states.get(entity_id)
    if current is not None and current.state == state:
        return
    reached = asyncio.get_running_loop().create_future()

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and new.state == state and not reached.done():
            reached.set_result(None)

    remove = async_track_state_change_event(hass, [entity_id], changed)
    try:
        async with asyncio.timeout(WAIT):
            await reached
    finally:
        remove()


async def source_becomes(entry: MockConfigEntry, kind: SourceKind) -> None:
    """Wait until the entry's active event source is of ``kind``."""
    hub = entry.runtime_data.hub
    async with asyncio.timeout(WAIT):
        while hub.manager is None or hub.manager.kind is not kind:
            if hub.manager is None:
                await asyncio.sleep(0)
                continue
            hub.manager.changed.clear()
            if hub.manager.kind is kind:
                return
            await hub.manager.changed.wait()
