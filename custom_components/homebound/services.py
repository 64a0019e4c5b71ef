"""Service actions: isolate or release a camera, open an update window, export the rules.

Registered once in ``async_setup`` (not per entry), so they exist, and fail with a clear
message, also while no firewall entry is loaded.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.typing import VolDictType

from .compat import vol
from .const import DOMAIN
from .firewall import PolicyError, export_iptables, export_nftables
from .firewall_cameras import camera_entries, entry_mac
from .firewall_coordinator import FirewallCoordinator
from .firewall_link import firewall_link

SERVICE_ISOLATE: Final = "isolate_camera"
SERVICE_RELEASE: Final = "release_camera"
SERVICE_UPDATE_WINDOW: Final = "open_update_window"
SERVICE_EXPORT: Final = "export_firewall_rules"
ATTR_MINUTES: Final = "minutes"

_TARGET: VolDictType = {
    vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [str]),
    vol.Optional(ATTR_ENTITY_ID): cv.entity_ids,
}
TARGET_SCHEMA = vol.Schema(_TARGET)
WINDOW_SCHEMA = vol.Schema(
    {
        **_TARGET,
        vol.Required(ATTR_MINUTES): vol.All(vol.Coerce(int), vol.Range(min=1, max=1440)),
    }
)


def _firewall(hass: HomeAssistant) -> FirewallCoordinator:
    coordinator = firewall_link(hass).coordinator
    if coordinator is None or coordinator.config_entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="firewall_not_loaded",
        )
    return coordinator


def _targets(hass: HomeAssistant, call: ServiceCall) -> list[str]:
    """Return the MACs of the cameras a call names, by device or by one of their entities."""
    entries: dict[str, ConfigEntry] = {e.entry_id: e for e in camera_entries(hass)}
    devices = dr.async_get(hass)
    by_device = {
        device.id: entry
        for entry in entries.values()
        for device in dr.async_entries_for_config_entry(devices, entry.entry_id)
    }
    chosen: list[ConfigEntry] = []
    for device_id in call.data.get(ATTR_DEVICE_ID, []):
        if (entry := by_device.get(device_id)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_a_camera",
                translation_placeholders={"target": device_id},
            )
        chosen.append(entry)
    entities = er.async_get(hass)
    for entity_id in call.data.get(ATTR_ENTITY_ID, []):
        item = entities.async_get(entity_id)
        if item is None or item.config_entry_id not in entries:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_a_camera",
                translation_placeholders={"target": entity_id},
            )
        chosen.append(entries[item.config_entry_id])
    if not chosen:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="no_camera",
        )
    macs: list[str] = []
    for entry in chosen:
        if (mac := entry_mac(entry)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="camera_without_mac",
                translation_placeholders={"camera": entry.title},
            )
        macs.append(mac)
    return list(dict.fromkeys(macs))


async def _isolate(call: ServiceCall) -> None:
    coordinator = _firewall(call.hass)
    for mac in _targets(call.hass, call):
        await coordinator.async_set_isolated(mac, call.service == SERVICE_ISOLATE)


async def _update_window(call: ServiceCall) -> None:
    coordinator = _firewall(call.hass)
    for mac in _targets(call.hass, call):
        if not coordinator.is_isolated(mac):
            known = coordinator.cameras.get(mac)
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="camera_not_isolated",
                translation_placeholders={"camera": known.name if known else mac},
            )
        await coordinator.async_open_window(mac, call.data[ATTR_MINUTES])


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
