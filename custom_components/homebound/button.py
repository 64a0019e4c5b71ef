"""The button platform: each camera's "Disable cloud features" (the camera half's).

Only on cameras whose cloud features Homebound can switch off on the camera itself; the
isolation half may put buttons on the camera's device too, through :mod:`.link`.
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .cameras import async_add_extras
from .cameras.settings_entities import settings_buttons
from .entry import HomeboundConfigEntry, is_camera

# Each press changes the camera's settings; one change at a time is plenty.
PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera entry's buttons."""
    if is_camera(entry):
        async_add_entities(settings_buttons(entry))
        async_add_extras(hass, entry, Platform.BUTTON, async_add_entities)
