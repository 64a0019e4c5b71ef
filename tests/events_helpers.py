"""Helpers for tests of camera events: waiting for states and for the event source."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event

from custom_components.homebound.const import DOMAIN
from custom_components.homebound.events import Capability, SourceKind
from custom_components.homebound.events.status import SourceState
from simulator import VirtualCamera

from .flows import manual_input, start_user_flow

WAIT = 10.0
"""Seconds any single wait in these tests may take before it fails."""

MOTION = "binary_sensor.virtual_camera_motion"
TAMPER = "binary_sensor.virtual_camera_tamper"
DETECTIONS = "event.virtual_camera_detections"


async def source_ready(hass: HomeAssistant, entry: ConfigEntry[Any]) -> SourceKind:
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


async def source_becomes(entry: ConfigEntry[Any], kind: SourceKind) -> None:
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


async def source_live(entry: ConfigEntry[Any], kind: SourceKind | None = None) -> None:
    """Wait until the entry's source in use (of ``kind``, if given) delivers."""
    hub = entry.runtime_data.hub
    async with asyncio.timeout(WAIT):
        while True:
            manager = hub.manager
            if manager is None:
                await asyncio.sleep(0)
                continue
            manager.changed.clear()
            status = manager.status
            if status.state is SourceState.LIVE and kind in (None, status.kind):
                return
            await manager.changed.wait()


async def add_camera(hass: HomeAssistant, camera: VirtualCamera) -> ConfigEntry[Any]:
    """Add ``camera`` through the config flow (address by hand); return its loaded entry."""
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry: ConfigEntry[Any] = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


def sensor_state(
    hass: HomeAssistant, entry: ConfigEntry[Any], capability: Capability
) -> str | None:
    """The state of the entry's sensor of ``capability`` (None while there is none)."""
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{entry.unique_id}_{capability.key}"
    )
    state = hass.states.get(entity_id) if entity_id is not None else None
    return state.state if state is not None else None


async def sensor_becomes(
    hass: HomeAssistant, entry: ConfigEntry[Any], capability: Capability, state: str
) -> None:
    """Wait until the sensor of ``capability`` exists and has ``state``."""
    await condition(hass, lambda: sensor_state(hass, entry, capability) == state)


async def condition(hass: HomeAssistant, check: Callable[[], bool]) -> None:
    """Wait until ``check()`` holds, tested after every state change (bounded by WAIT)."""
    if check():
        return
    reached = asyncio.get_running_loop().create_future()

    @callback
    def changed(_event: Event[EventStateChangedData]) -> None:
        if not reached.done() and check():
            reached.set_result(None)

    remove = hass.bus.async_listen(EVENT_STATE_CHANGED, changed)
    try:
        async with asyncio.timeout(WAIT):
            await reached
    finally:
        remove()


async def source_has_read(entry: ConfigEntry[Any], parts: int) -> None:
    """Wait until the active source has read ``parts`` event messages (heartbeats aside).

    Every part a stream source reads is a sign of life first; the wait wakes on each.
    """
    manager = entry.runtime_data.hub.manager
    assert manager is not None
    source = manager.active
    assert source is not None
    read = asyncio.Event()
    alive = source._alive

    def signal() -> None:
        alive()
        read.set()

    source._alive = signal
    try:
        async with asyncio.timeout(WAIT):
            while source.stats.received < parts:
                read.clear()
                await read.wait()
    finally:
        source._alive = alive


async def hub_state_becomes(entry: ConfigEntry[Any], capability: Capability, state: bool) -> None:
    """Wait until the entry's event hub holds ``state`` for ``capability`` (entities aside)."""
    hub = entry.runtime_data.hub
    changed = asyncio.Event()
    remove = hub.async_listen(lambda _capability: changed.set())
    try:
        async with asyncio.timeout(WAIT):
            while hub.states.get(capability) is not state:
                changed.clear()
                await changed.wait()
    finally:
        remove()
