"""The binary sensor platform: each camera's detections, and its "Cloud isolation" problem.

The detection sensors are the camera half's; the problem sensor is the isolation half's,
added to the camera's device through :mod:`.link` while a firewall entry is loaded.
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .cameras import async_add_extras
from .cameras.detections import async_setup_detections
from .entry import HomeboundConfigEntry, is_camera

# State comes from the hub and the firewall coordinator, pushed; nothing is polled per entity.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera entry's binary sensors (the firewall entry puts its own on its devices)."""
    if is_camera(entry):
        await async_setup_detections(hass, entry, async_add_entities)
        async_add_extras(hass, entry, Platform.BINARY_SENSOR, async_add_entities)
