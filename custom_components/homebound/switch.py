"""The switch platform: each camera's "Cloud blocking" switch (the isolation half's).

It belongs to the camera's device, so the camera entry's platform adds it through
:mod:`.link` while a firewall entry is loaded.
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .cameras import async_add_extras
from .entry import HomeboundConfigEntry, is_camera

# Each switch changes the router's ruleset; one change at a time is plenty.
PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera entry's switches."""
    if is_camera(entry):
        async_add_extras(hass, entry, Platform.SWITCH, async_add_entities)
