"""Homebound: keep cheap IP cameras local.

The entry points Home Assistant calls. A Homebound entry is a camera (``cameras/``), the
firewall that isolates cameras from their clouds (``isolation/``), or the overview that sums
them up (``overview/``, an entry Homebound keeps by itself while there are cameras); each call
is handed to its part here, once (see :mod:`.entry`).
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .cameras import (
    async_remove_camera_entry,
    async_setup_camera_entry,
    async_setup_cameras,
    async_unload_camera_entry,
)
from .cameras.services import async_setup_camera_services
from .const import DOMAIN
from .entry import HomeboundConfigEntry, is_camera, is_isolation, is_overview
from .frontend import async_register_card, async_remove_card_if_last
from .isolation.services import async_setup_services
from .isolation.setup import (
    async_remove_firewall_entry,
    async_setup_firewall_entry,
    async_unload_firewall_entry,
)
from .overview import (
    async_ensure_overview,
    async_remove_overview_if_last,
    async_setup_overview_entry,
    async_unload_overview_entry,
)

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the service actions; start the background search for cameras not added yet."""
    async_setup_services(hass)
    async_setup_camera_services(hass)
    async_setup_cameras(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    """Set up a camera (and make the overview if there is none), the firewall, or the overview.

    The dashboard cards are served once, with the first entry.
    """
    await async_register_card(hass)
    if is_isolation(entry):
        return await async_setup_firewall_entry(hass, entry)
    if is_overview(entry):
        return await async_setup_overview_entry(hass, entry)
    assert is_camera(entry)
    async_ensure_overview(hass)
    return await async_setup_camera_entry(hass, entry)


async def async_unload_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    """Unload a camera, the firewall, or the overview."""
    if is_isolation(entry):
        return await async_unload_firewall_entry(hass, entry)
    if is_overview(entry):
        return await async_unload_overview_entry(hass, entry)
    assert is_camera(entry)
    return await async_unload_camera_entry(hass, entry)


async def async_remove_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> None:
    """Take a removed firewall's rules off the firewall; forget and release a removed camera.

    The overview goes with the last camera.
    """
    if is_isolation(entry):
        await async_remove_firewall_entry(hass, entry)
    elif is_camera(entry):
        await async_remove_camera_entry(hass, entry)
        async_remove_overview_if_last(hass, entry.entry_id)
    await async_remove_card_if_last(hass, entry.entry_id)
