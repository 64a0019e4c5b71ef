"""Setting up, unloading and removing the firewall entry.

Setup loads what the entry remembers, starts the guard (which checks the firewall and applies
the policy: the local backend's table does not survive a restart of the host; a table found
missing where isolation had been confirmed is recorded as a gap) or, for "export only", plans
and publishes the rules; then it offers each camera's isolation entities through :mod:`..link`,
whose camera platforms add them. Unloading stops the guard (the rules stay in force) - also
when Home Assistant stops, so no check runs past it. Removal takes away everything Homebound
made on the firewall, and the entities, issues and store it made in Home Assistant.
"""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval

from ..const import CLOUD_RESOLVE_INTERVAL, DOMAIN, FIREWALL_ENTITY_KEYS, LOGGER
from ..firewall import FirewallError
from ..kind import camera_entries
from ..link import provide_extras
from .backend import async_make_backend
from .coordinator import FirewallConfigEntry, FirewallCoordinator
from .entities import IsolationExtras
from .export_file import async_remove_rule_files
from .notices import Notices, issue_id
from .store import FirewallMemory


async def async_setup_firewall_entry(hass: HomeAssistant, entry: FirewallConfigEntry) -> bool:
    """Guard the firewall, hold the policy in force, and give the cameras their entities."""
    memory = FirewallMemory(hass, entry.entry_id)
    await memory.async_load()
    backend = await async_make_backend(hass, entry.data)
    coordinator = FirewallCoordinator(hass, entry, backend, memory)
    try:
        await coordinator.async_start()
    except BaseException:
        await coordinator.async_stop()
        if backend is not None:
            await backend.close()
        raise
    entry.runtime_data = coordinator
    ir.async_delete_issue(hass, DOMAIN, issue_id("remove_failed", entry))

    async def close() -> None:
        await coordinator.async_stop()
        await memory.async_save()
        if backend is not None:
            await backend.close()

    async def stopping(_: Event) -> None:
        if coordinator.guard is not None:
            await coordinator.guard.stop()

    entry.async_on_unload(close)
    entry.async_on_unload(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, stopping))
    entry.async_on_unload(
        async_track_time_interval(hass, coordinator.async_resolve, CLOUD_RESOLVE_INTERVAL)
    )
    entry.async_create_background_task(hass, coordinator.async_resolve(), "homebound cloud domains")
    entry.async_on_unload(
        provide_extras(hass, IsolationExtras(coordinator), coordinator.cameras_changed)
    )
    return True


async def async_unload_firewall_entry(hass: HomeAssistant, entry: FirewallConfigEntry) -> bool:
    """Take the cameras' firewall entities away; the rules stay in force on the firewall."""
    await entry.runtime_data.async_shutdown()
    return True


async def async_remove_firewall_entry(hass: HomeAssistant, entry: FirewallConfigEntry) -> None:
    """Remove everything Homebound made: the rules on the firewall, entities, issues, store."""
    backend = await async_make_backend(hass, entry.data)
    Notices(hass, entry).clear(removing=True)
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
    else:
        await async_remove_rule_files(hass)
    registry = er.async_get(hass)
    for camera in camera_entries(hass):
        for item in er.async_entries_for_config_entry(registry, camera.entry_id):
            if item.translation_key in FIREWALL_ENTITY_KEYS:
                registry.async_remove(item.entity_id)
    await FirewallMemory(hass, entry.entry_id).async_remove()
