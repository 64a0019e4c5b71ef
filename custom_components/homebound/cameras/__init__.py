"""The camera half's Home Assistant glue: setting up, unloading and removing a camera entry.

A camera entry connects to its camera (or takes the client the config flow just probed),
checks it is the camera it was, learns what the camera can report and starts its best event
source in the background; then its platforms add the entities. What the isolation half may
read of the cameras is given to it through :mod:`..link` (:func:`camera_facts`), never by its
reading the runtime data here.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .. import link
from ..const import CONF_OBSERVED_MAC, DOMAIN
from ..device import format_mac
from ..events import EventKind
from ..kind import camera_entries
from .client import async_entry_client, fingerprint_recorder
from .coordinator import CameraConfigEntry, CameraData, HomeboundCoordinator
from .entity import device_info
from .event_source import async_watch_event_source, issue_id as event_source_issue_id
from .hub import EventHub
from .identity import entry_identity
from .known import async_known_cameras
from .maker import async_forget_maker, async_maker_check, maker_of
from .maker_repairs import async_remove_issues, async_watch_issues
from .scanner import async_get_scanner
from .settings import async_start_settings
from .settings_issue import async_delete_settings_issue

PLATFORMS: list[Platform] = [
    Platform.CAMERA,
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.BUTTON,
]
"""A camera entry's platforms (the switch carries only the isolation half's extras)."""


@callback
def async_setup_cameras(hass: HomeAssistant) -> None:
    """Start the background search for cameras, and tell the other half how to read cameras."""
    async_get_scanner(hass).async_start()
    link.provide_cameras(hass, lambda: camera_facts(hass))


def camera_facts(hass: HomeAssistant) -> list[link.CameraFacts]:
    """Return what the isolation half may know of every camera entry, loaded or not."""
    return [_facts(hass, entry) for entry in camera_entries(hass)]


def _facts(hass: HomeAssistant, entry: CameraConfigEntry) -> link.CameraFacts:
    mac = entry_identity(entry)[0]
    loaded = entry.state is ConfigEntryState.LOADED
    return link.CameraFacts(
        entry_id=entry.entry_id,
        name=entry.title,
        host=str(entry.data.get(CONF_HOST) or ""),
        mac=format_mac(mac) if mac else None,
        reported=tuple(entry.runtime_data.info.addresses) if loaded else (),
        observed_mac=str(entry.data.get(CONF_OBSERVED_MAC) or "") or None,
        loaded=loaded,
        maker=maker_of(hass, entry.entry_id),
    )


def camera_handle(hass: HomeAssistant, entry: CameraConfigEntry) -> link.CameraHandle:
    """Return a loaded camera as the other half's entities attach to its device."""
    return link.CameraHandle(
        facts=_facts(hass, entry),
        unique_id=entry.unique_id or entry.runtime_data.info.identity.unique_id,
        device_info=device_info(entry),
    )


@callback
def async_add_extras(
    hass: HomeAssistant,
    entry: CameraConfigEntry,
    platform: Platform,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add what the other half puts on this camera's device for one platform (see link)."""
    link.async_add_device_extras(
        hass, entry, platform, lambda: camera_handle(hass, entry), async_add_entities
    )


async def async_event_kinds(hass: HomeAssistant, device_id: str) -> set[EventKind]:
    """Return the kinds a camera device can report, for its device triggers.

    A loaded entry's live capabilities (kinds found in events are there at once); for an
    entry not loaded (a camera offline when Home Assistant started) the stored ones.
    """
    registry = dr.async_get(hass)
    if registry.async_get(device_id) is None:
        return set()
    kinds: set[EventKind] = set()
    for entry in camera_entries(hass):
        # Not DeviceEntry.config_entries: deprecated from Home Assistant 2026.10 on, and its
        # successor is missing from the oldest release supported.
        devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
        if all(device.id != device_id for device in devices):
            continue
        if entry.state is ConfigEntryState.LOADED:
            kinds |= {c.kind for c in entry.runtime_data.hub.capabilities}
            continue
        known = await async_known_cameras(hass)
        stored = known.events(entry.entry_id)
        capabilities = (stored.capabilities if stored else set()) | known.learned(entry.entry_id)
        kinds |= {c.kind for c in capabilities}
    return kinds


async def async_setup_camera_entry(hass: HomeAssistant, entry: CameraConfigEntry) -> bool:
    """Connect to the camera and set up its entities."""
    known = await async_known_cameras(hass)
    client = await async_entry_client(hass, entry.unique_id, entry.data)
    maker = await async_maker_check(hass, entry, known, fingerprint_recorder(hass, client))
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
        also = await maker.async_look(coordinator.data)  # the one GET /, once per firmware
        await hub.async_discover(
            coordinator.data,
            known.events(entry.entry_id) if coordinator.resumed else None,
            learned=known.learned(entry.entry_id),
            also=also,
            observers=maker.observers,
        )
    except BaseException:
        await client.async_close()
        raise
    maker.conclude(coordinator.data, hub.vendor)
    entry.runtime_data = CameraData(client=client, coordinator=coordinator, hub=hub, maker=maker)
    maker.async_start(coordinator)
    async_watch_issues(hass, entry, maker)

    @callback
    def remember_events(_: object = None) -> None:
        known.async_remember_events(entry.entry_id, hub.known_events)
        known.async_remember_learned(entry.entry_id, hub.learned)

    remember_events()
    entry.async_on_unload(hub.async_listen_new(remember_events))
    # Events of another camera at the address are not this one's (coordinator.py).
    entry.async_on_unload(coordinator.async_listen_identity(hub.identity_checked))
    async_watch_event_source(hass, entry)

    async def close_on_stop(_: Event) -> None:
        # Home Assistant does not unload entries when it stops: end the camera's event
        # subscriptions and close its connections ourselves.
        await hub.async_stop()
        await client.async_close()

    # Not async_listen_once: the entry removes its listener when it unloads, and a listener
    # that already fired cannot be removed.
    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, close_on_stop))
    async_start_settings(hass, entry)  # reads the camera's settings in the background
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # The camera's device exists now (its entities made it): device triggers name it.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    hub.device_id = devices[0].id if devices else None
    hub.async_start(entry)
    link.cameras_changed(hass)  # its addresses may be new to the policy
    return True


async def async_unload_camera_entry(hass: HomeAssistant, entry: CameraConfigEntry) -> bool:
    """Remove the entities and close the camera's connections."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.hub.async_stop()
        await entry.runtime_data.client.async_close()
    return unloaded


async def async_remove_camera_entry(hass: HomeAssistant, entry: CameraConfigEntry) -> None:
    """Forget a removed camera, and let the isolation half release it."""
    (await async_known_cameras(hass)).async_forget(entry.entry_id)
    async_forget_maker(hass, entry.entry_id)
    async_remove_issues(hass, entry.entry_id)
    async_delete_settings_issue(hass, entry.entry_id)
    ir.async_delete_issue(hass, DOMAIN, event_source_issue_id(entry.entry_id))
    link.cameras_changed(hass)
