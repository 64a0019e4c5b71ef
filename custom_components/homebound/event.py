"""The event platform: each camera's "Detections" event entities."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .cameras.detection_events import async_setup_detection_events
from .entry import HomeboundConfigEntry, is_camera

# Pushed by the hub; nothing is polled.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera entry's event entities (the firewall entry has none)."""
    if is_camera(entry):
        await async_setup_detection_events(hass, entry, async_add_entities)
