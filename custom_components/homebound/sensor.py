"""The sensor platform: each camera's Maker status, settings, clock, event source, blocked traffic.

The first are the camera half's; the blocked-traffic figures are the isolation half's and belong
to the camera's device, so the camera entry's platform adds them through :mod:`.link` while a
firewall entry is loaded. The household summary belongs to the overview entry's service device.
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .cameras import async_add_extras
from .cameras.event_source import EventSourceSensor
from .cameras.maker_sensor import async_add_maker_sensor
from .cameras.settings_entities import settings_sensors
from .entry import HomeboundConfigEntry, is_camera, is_overview
from .overview.sensor import async_add_summary_sensors

# Read from the settings audit and the firewall coordinator; nothing is polled per entity.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeboundConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera entry's sensors, or the overview's."""
    if is_camera(entry):
        async_add_entities(settings_sensors(entry))
        async_add_entities([EventSourceSensor(entry)])
        async_add_maker_sensor(entry, async_add_entities)
        async_add_extras(hass, entry, Platform.SENSOR, async_add_entities)
    elif is_overview(entry):
        async_add_summary_sensors(entry, async_add_entities)
