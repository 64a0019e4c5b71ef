"""The camera platform: one camera entity per H.264/H.265 stream of each camera."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .cameras.video import async_setup_video
from .entry import HomeboundConfigEntry, is_camera

# Entities only read what the coordinator and the camera already have; the camera's own
# connection limits calls, so Home Assistant need not serialise them.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera entry's streams (the firewall entry has none)."""
    if is_camera(entry):
        await async_setup_video(hass, entry, async_add_entities)
