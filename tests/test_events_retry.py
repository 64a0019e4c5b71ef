"""A camera whose every event source is refused is tried again later, by itself."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.homebound.events import SourceKind
from custom_components.homebound.events.source import JITTER
from custom_components.homebound.events.status import PROBE_SLOW
from simulator import VirtualCamera

from .events_helpers import MOTION, WAIT, source_becomes, state_becomes


async def test_events_start_once_the_camera_accepts_a_subscription(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The camera refuses PullPoint at setup (no free subscription slot): the entry still
    loads, diagnostics say why, and after PROBE_SLOW (give or take its jitter) the sources
    are tried again; once a slot is free, events come."""
    camera.set_fault("CreatePullPointSubscription")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    async with asyncio.timeout(WAIT):
        await manager.changed.wait()  # the sources were tried (in the background)
    assert manager.kind is None
    assert manager.failures["onvif_pullpoint"].startswith("PullPoint subscription refused")
    camera.set_fault("CreatePullPointSubscription", None)
    await hass.async_block_till_done()  # the manager's prober waits for its turn
    retry = PROBE_SLOW * (1 + JITTER) + 1
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=retry))
    await source_becomes(config_entry, SourceKind.PULLPOINT)
    assert "onvif_pullpoint" not in manager.failures
    camera.raise_detection("motion")
    await state_becomes(hass, MOTION, STATE_ON)
