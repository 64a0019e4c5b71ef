"""Setting up, unloading and removing the firewall entry.

Setup loads what the entry remembers, checks the firewall once (applying the policy: the local
backend's table does not survive a restart of the host), and tells the camera entries, whose
platforms then add each camera's firewall entities. Removal takes away everything Homebound
made on the firewall, and the entities and issues it made in Home Assistant.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_time_interval

from .const import CLOUD_RESOLVE_INTERVAL, DOMAIN, FIREWALL_ENTITY_KEYS, LOGGER
from .firewall import FirewallError
from .firewall_backend import async_make_backend
from .firewall_cameras import camera_entries
from .firewall_coordinator import FirewallConfigEntry, FirewallCoordinator, issue_id
from .firewall_link import SIGNAL_FIREWALL_LOADED, SIGNAL_FIREWALL_UNLOADED, firewall_link
from .firewall_store import FirewallMemory

ISSUE_KINDS = ("apply_failed", "isolation_lost", "host_key_changed", "remove_failed")


async def async_setup_firewall_entry(hass: HomeAssistant, entry: FirewallConfigEntry) -> bool:
    """Check the firewall, hold the policy in force, and give the cameras their entities."""
    memory = FirewallMemory(hass, entry.entry_id)
    await memory.async_load()
    backend = await async_make_backend(hass, entry.data)
    coordinator = FirewallCoordinator(hass, entry, backend, memory)
    try:
        await coordinator.async_config_entry_first_refresh()
    except BaseException:
        if backend is not None:
            await backend.close()
        raise
    entry.runtime_data = coordinator
    ir.async_delete_issue(hass, DOMAIN, issue_id("remove_failed", entry))

    async def close() -> None:
        await memory.async_save()
        if backend is not None:
            await backend.close()

    entry.async_on_unload(close)
    entry.async_on_unload(
        async_track_time_interval(hass, coordinator.async_resolve, CLOUD_RESOLVE_INTERVAL)
    )
    entry.async_create_background_task(hass, coordinator.async_resolve(), "homebound cloud domains")
    firewall_link(hass).coordinator = coordinator
    async_dispatcher_send(hass, SIGNAL_FIREWALL_LOADED, coordinator)
    return True


async def async_unload_firewall_entry(hass: HomeAssistant, entry: FirewallConfigEntry) -> bool:
    """Take the cameras' firewall entities away; the rules stay in force on the firewall."""
    link = firewall_link(hass)
    if link.coordinator is entry.runtime_data:
        link.coordinator = None
    async_dispatcher_send(hass, SIGNAL_FIREWALL_UNLOADED)
    await entry.runtime_data.async_shutdown()
    return True


async def async_remove_firewall_entry(hass: HomeAssistant, entry: FirewallConfigEntry) -> None:
    """Remove everything Homebound made: the rules on the firewall, entities, issues, store."""
    backend = await async_make_backend(hass, entry.data)
    for kind in ISSUE_KINDS:
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry))
    if backend is not None:
        try:
            await backend.remove()
        except FirewallError as err:
            LOGGER.warning("Could not remove Homebound's rules from the firewall: %s", err)
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id("remove_failed", entry),
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="remove_failed",
                translation_placeholders={"error": str(err)},
            )
        finally:
            await backend.close()
    registry = er.async_get(hass)
    for camera in camera_entries(hass):
        for item in er.async_entries_for_config_entry(registry, camera.entry_id):
            if item.translation_key in FIREWALL_ENTITY_KEYS:
                registry.async_remove(item.entity_id)
    await FirewallMemory(hass, entry.entry_id).async_remove()
