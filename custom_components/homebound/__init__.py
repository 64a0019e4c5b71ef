"""Homebound: keep cheap IP cameras local."""

from __future__ import annotations

from typing import cast

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .client import async_entry_client
from .const import DOMAIN
from .coordinator import HomeboundConfigEntry, HomeboundCoordinator, HomeboundData
from .firewall_backend import is_firewall_entry
from .firewall_coordinator import FirewallConfigEntry
from .firewall_link import firewall_link
from .firewall_setup import (
    async_remove_firewall_entry,
    async_setup_firewall_entry,
    async_unload_firewall_entry,
)
from .hub import EventHub
from .known import async_known_cameras
from .scanner import async_get_scanner
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.CAMERA,
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.SENSOR,
    Platform.SWITCH,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the service actions; start the background search for cameras not added yet."""
    async_setup_services(hass)
    async_get_scanner(hass).async_start()
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    """Connect to the camera and set up its entities (or set up the firewall entry)."""
    if is_firewall_entry(entry):
        return await async_setup_firewall_entry(hass, cast("FirewallConfigEntry", entry))
    known = await async_known_cameras(hass)
    client = await async_entry_client(hass, entry.unique_id, entry.data)
    coordinator = HomeboundCoordinator(hass, entry, client, known)
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
        await hub.async_discover(
            coordinator.data, known.events(entry.entry_id) if coordinator.resumed else None
        )
    except BaseException:
        await client.async_close()
        raise
    entry.runtime_data = HomeboundData(client=client, coordinator=coordinator, hub=hub)

    @callback
    def remember_events(_: object = None) -> None:
        known.async_remember_events(entry.entry_id, hub.capabilities, hub.vendor)

    remember_events()
    entry.async_on_unload(hub.async_listen_new(remember_events))

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
    firewall_link(hass).cameras_changed()  # its addresses may be new to the policy
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    """Remove the entities and close the camera's connections (or unload the firewall)."""
    if is_firewall_entry(entry):
        return await async_unload_firewall_entry(hass, cast("FirewallConfigEntry", entry))
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.hub.async_stop()
        await entry.runtime_data.client.async_close()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> None:
    """Take a removed firewall's rules off the firewall; forget and release a removed camera."""
    if is_firewall_entry(entry):
        await async_remove_firewall_entry(hass, cast("FirewallConfigEntry", entry))
        return
    (await async_known_cameras(hass)).async_forget(entry.entry_id)
    firewall_link(hass).cameras_changed()
