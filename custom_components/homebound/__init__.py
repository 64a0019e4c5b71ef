"""Homebound: keep cheap IP cameras local."""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .client import async_client
from .const import DOMAIN
from .coordinator import HomeboundConfigEntry, HomeboundCoordinator, HomeboundData
from .hub import EventHub
from .scanner import async_get_scanner

PLATFORMS: list[Platform] = [Platform.CAMERA, Platform.BINARY_SENSOR, Platform.EVENT]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Start the background search for cameras not added yet (it ends with Home Assistant)."""
    async_get_scanner(hass).async_start()
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    """Connect to the camera and set up its entities."""
    client = async_client(hass, entry.data)
    coordinator = HomeboundCoordinator(hass, entry, client)
    hub = EventHub(
        hass,
        entry.entry_id,
        entry.title,
        dict(entry.data),
        dict(entry.options),
        client,
        coordinator.set_events_alive,
    )
    try:
        await coordinator.async_config_entry_first_refresh()
        await hub.async_discover(coordinator.data)
    except BaseException:
        await client.async_close()
        raise
    entry.runtime_data = HomeboundData(client=client, coordinator=coordinator, hub=hub)

    async def close_on_stop(_: Event) -> None:
        # Home Assistant does not unload entries when it stops: end the camera's event
        # subscriptions and close its connections ourselves.
        await hub.async_stop()
        await client.async_close()

    # Not async_listen_once: the entry removes its listener when it unloads, and a listener
    # that already fired cannot be removed.
    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, close_on_stop))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # The camera's device exists now (its entities made it): device triggers name it.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    hub.device_id = devices[0].id if devices else None
    hub.async_start(entry)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    """Remove the entities and close the camera's connections."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.hub.async_stop()
        await entry.runtime_data.client.async_close()
    return unloaded
