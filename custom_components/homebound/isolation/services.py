"""Service actions: isolate or release a camera, open an update window, export the rules.

Registered once in ``async_setup`` (not per entry), so they exist, and fail with a clear
message, also while no firewall entry is loaded. They take every target ``services.yaml``
offers: camera devices, their entities, and areas, floors or labels holding them.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, ENTITY_MATCH_ALL
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.target import TargetSelection, async_extract_referenced_entity_ids
from homeassistant.helpers.typing import VolDictType

from ..compat import vol
from ..const import DOMAIN
from ..firewall import PolicyError, export_iptables, export_nftables
from ..kind import camera_entries
from ..link import CameraFacts, camera_facts
from .coordinator import FirewallConfigEntry, FirewallCoordinator, is_isolation_entry

SERVICE_ISOLATE: Final = "isolate_camera"
SERVICE_RELEASE: Final = "release_camera"
SERVICE_UPDATE_WINDOW: Final = "open_update_window"
SERVICE_EXPORT: Final = "export_firewall_rules"
ATTR_MINUTES: Final = "minutes"

_TARGET: VolDictType = dict(cv.ENTITY_SERVICE_FIELDS)
"""Devices, entities, areas, floors and labels: what ``services.yaml``'s target offers. Unlike
``cv.make_entity_service_schema`` no target at all passes the schema, for a translated error."""
TARGET_SCHEMA = vol.Schema(_TARGET)
WINDOW_SCHEMA = vol.Schema(
    {
        **_TARGET,
        vol.Required(ATTR_MINUTES): vol.All(vol.Coerce(int), vol.Range(min=1, max=1440)),
    }
)


def _firewall(hass: HomeAssistant) -> FirewallCoordinator:
    loaded: list[FirewallConfigEntry] = [
        entry
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        if is_isolation_entry(entry)
    ]
    if not loaded:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="firewall_not_loaded",
        )
    return loaded[0].runtime_data


def _not_a_camera(target: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="not_a_camera",
        translation_placeholders={"target": target},
    )


def targeted_cameras(hass: HomeAssistant, call: ServiceCall) -> list[CameraFacts]:
    """Return the cameras a call names: by device, entity, area, floor or label.

    Home Assistant's target helper resolves areas, floors and labels to devices and entities.
    A device or entity named outright that is not a Homebound camera's is an error; one reached
    through an area is skipped (areas hold other things too). Devices map to their camera entry
    through the registry's per-entry listing (``DeviceEntry.config_entries`` is deprecated).
    """
    facts = {f.entry_id: f for f in camera_facts(hass)}
    entries: dict[str, ConfigEntry] = {
        e.entry_id: e for e in camera_entries(hass) if e.entry_id in facts
    }
    if call.data.get(ATTR_ENTITY_ID) == ENTITY_MATCH_ALL:
        return list(facts.values())
    selected = async_extract_referenced_entity_ids(hass, TargetSelection(call.data))
    named_devices = set(cv.ensure_list(call.data.get(ATTR_DEVICE_ID) or []))
    devices = dr.async_get(hass)
    by_device = {
        device.id: entry_id
        for entry_id in entries
        for device in dr.async_entries_for_config_entry(devices, entry_id)
    }
    chosen: dict[str, CameraFacts] = {}
    for device_id in sorted(selected.referenced_devices):
        if (entry_id := by_device.get(device_id)) is not None:
            chosen[entry_id] = facts[entry_id]
        elif device_id in named_devices:
            raise _not_a_camera(device_id)
    registry = er.async_get(hass)
    for entity_id in sorted(selected.referenced | selected.indirectly_referenced):
        item = registry.async_get(entity_id)
        entry_id = item.config_entry_id if item is not None else None
        if entry_id in entries:
            chosen[entry_id] = facts[entry_id]
        elif entity_id in selected.referenced:
            raise _not_a_camera(entity_id)
    if not chosen:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_camera")
    return list(chosen.values())


def _targets(hass: HomeAssistant, call: ServiceCall) -> list[str]:
    """Return the ids of the cameras a call targets (see :func:`targeted_cameras`)."""
    return [facts.entry_id for facts in targeted_cameras(hass, call)]


async def _isolate(call: ServiceCall) -> None:
    """Isolate or release every camera named: one transaction on the firewall."""
    coordinator = _firewall(call.hass)
    await coordinator.async_set_isolated(_targets(call.hass, call), call.service == SERVICE_ISOLATE)


async def _update_window(call: ServiceCall) -> None:
    """Open the update window of every camera named (all isolated): one transaction."""
    coordinator = _firewall(call.hass)
    cameras = _targets(call.hass, call)
    for camera in cameras:
        if not coordinator.is_isolated(camera):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="camera_not_isolated",
                translation_placeholders={"camera": coordinator.names([camera])[camera]},
            )
    await coordinator.async_open_windows(cameras, call.data[ATTR_MINUTES])


async def _export(call: ServiceCall) -> ServiceResponse:
    coordinator = _firewall(call.hass)
    try:
        policy = coordinator.build()
    except PolicyError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_policy",
            translation_placeholders={"error": str(err)},
        ) from err
    result: dict[str, Any] = {
        "nftables": export_nftables(policy),
        "iptables": export_iptables(policy, 4),
        "ip6tables": export_iptables(policy, 6),
    }
    return result


def async_setup_services(hass: HomeAssistant) -> None:
    """Register Homebound's service actions."""
    for name in (SERVICE_ISOLATE, SERVICE_RELEASE):
        hass.services.async_register(DOMAIN, name, _isolate, schema=TARGET_SCHEMA)
    hass.services.async_register(
        DOMAIN, SERVICE_UPDATE_WINDOW, _update_window, schema=WINDOW_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_EXPORT,
        _export,
        schema=vol.Schema({}),
        supports_response=SupportsResponse.ONLY,
    )
