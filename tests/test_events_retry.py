"""A camera whose every event source is refused is tried again later, by itself."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.homebound.events import SourceKind
from custom_components.homebound.events.manager import RETRY_ALL_AFTER
from simulator import VirtualCamera

from .events_helpers import MOTION, WAIT, source_becomes, state_becomes


async def test_events_start_once_the_camera_accepts_a_subscription(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The camera refuses PullPoint at setup (no free subscription slot): the entry still
    loads, diagnostics say why, and after RETRY_ALL_AFTER the sources are tried again from
    the top; once a slot is free, events come."""
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
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=RETRY_ALL_AFTER + 1))
    await source_becomes(config_entry, SourceKind.PULLPOINT)
    assert "onvif_pullpoint" not in manager.failures
    camera.raise_detection("motion")
    await state_becomes(hass, MOTION, STATE_ON)
