"""Service actions on cameras' own settings: cloud features off, the clock, the gateway.

* ``disable_cloud_features``: the maker's cloud features off, each read back;
* ``set_ntp_server``: the camera's clock pointed at a server (by default the camera's time-server
  option, else the local server the firewall redirects cameras' NTP to);
* ``remove_gateway_and_dns``: no default gateway and no resolver outside the LAN, for a camera
  with a static address (refused, with the reason, where DHCP would undo it).

Registered once in ``async_setup``. They target cameras by device, by entity, or by area, floor
or label (Home Assistant's target helper resolves those to devices and entities). A device or
entity named outright that is not a Homebound camera is an error; one reached through an area
is skipped, as areas hold other things too. Every camera is changed, then one translated error
names each setting a camera did not change and why (ignored, refused, unsupported, DHCP), so
that a camera that ignored a change is never reported as done.
"""

from __future__ import annotations

from typing import Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, ENTITY_MATCH_ALL
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.target import TargetSelection, async_extract_referenced_entity_ids

from ..compat import vol
from ..const import DOMAIN
from ..device.settings_model import SwitchResult
from ..kind import camera_entries
from .coordinator import CameraConfigEntry
from .settings import SettingsAudit
from .settings_ntp import clean_server, default_ntp_server
from .settings_text import OUTCOME_NO_SWITCH, async_raise_unless_done, async_texts

SERVICE_DISABLE: Final = "disable_cloud_features"
SERVICE_SET_NTP: Final = "set_ntp_server"
SERVICE_REMOVE_GATEWAY: Final = "remove_gateway_and_dns"
ATTR_SERVER: Final = "server"

TARGET_SCHEMA = cv.make_entity_service_schema({})
NTP_SCHEMA = cv.make_entity_service_schema({vol.Optional(ATTR_SERVER): cv.string})


def _not_a_camera(target: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="not_a_camera",
        translation_placeholders={"target": target},
    )


def targeted_cameras(hass: HomeAssistant, call: ServiceCall) -> list[CameraConfigEntry]:
    """Return the camera entries a call targets (by device, entity, area, floor or label)."""
    cameras: dict[str, CameraConfigEntry] = {e.entry_id: e for e in camera_entries(hass)}
    if call.data.get(ATTR_ENTITY_ID) == ENTITY_MATCH_ALL:
        return list(cameras.values())
    selected = async_extract_referenced_entity_ids(hass, TargetSelection(call.data))
    named_devices = set(cv.ensure_list(call.data.get(ATTR_DEVICE_ID) or []))
    chosen: dict[str, CameraConfigEntry] = {}
    devices = dr.async_get(hass)
    by_device = {  # a device belongs to one entry (Home Assistant 2026.8 and newer)
        device.id: entry
        for entry in cameras.values()
        for device in dr.async_entries_for_config_entry(devices, entry.entry_id)
    }
    for device_id in selected.referenced_devices:
        if (found := by_device.get(device_id)) is not None:
            chosen[found.entry_id] = found
        elif device_id in named_devices:
            raise _not_a_camera(device_id)
    entities = er.async_get(hass)
    for entity_id in selected.referenced | selected.indirectly_referenced:
        item = entities.async_get(entity_id)
        entry = cameras.get(item.config_entry_id or "") if item is not None else None
        if entry is None and entity_id in selected.referenced:
            raise _not_a_camera(entity_id)
        if entry is not None:
            chosen[entry.entry_id] = entry
    if not chosen:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_camera_targeted"
        )
    return list(chosen.values())


def _audits(hass: HomeAssistant, call: ServiceCall) -> list[tuple[str, SettingsAudit]]:
    found = []
    for entry in targeted_cameras(hass, call):
        audit = entry.runtime_data.settings if entry.state is ConfigEntryState.LOADED else None
        if audit is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="camera_not_loaded",
                translation_placeholders={"camera": entry.title},
            )
        found.append((entry.title, audit))
    return found


async def _disable(call: ServiceCall) -> None:
    done: list[tuple[str, tuple[SwitchResult, ...]]] = []
    without: list[str] = []
    for title, audit in _audits(call.hass, call):
        if not audit.has_local_switch:
            without.append(title)
            continue
        done.append((title, await audit.async_switch_off()))
    texts = await async_texts(call.hass)
    problems = [texts.phrase(OUTCOME_NO_SWITCH, camera=title) for title in without]
    await async_raise_unless_done(call.hass, done, problems)


async def _set_ntp(call: ServiceCall) -> None:
    audits = _audits(call.hass, call)
    done: list[tuple[str, tuple[SwitchResult, ...]]] = []
    for title, audit in audits:
        asked = call.data.get(ATTR_SERVER) or default_ntp_server(call.hass, audit.entry)
        if (server := clean_server(asked)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_ntp_server" if not asked else "invalid_ntp_server",
                translation_placeholders={"camera": title},
            )
        done.append((title, (await audit.async_set_ntp(server),)))
    await async_raise_unless_done(call.hass, done)


async def _remove_gateway(call: ServiceCall) -> None:
    done = [
        (title, await audit.async_remove_gateway_and_dns())
        for title, audit in _audits(call.hass, call)
    ]
    await async_raise_unless_done(call.hass, done)


def async_setup_camera_services(hass: HomeAssistant) -> None:
    """Register the service actions on cameras' settings."""
    hass.services.async_register(DOMAIN, SERVICE_DISABLE, _disable, schema=TARGET_SCHEMA)
    hass.services.async_register(DOMAIN, SERVICE_SET_NTP, _set_ntp, schema=NTP_SCHEMA)
    hass.services.async_register(
        DOMAIN, SERVICE_REMOVE_GATEWAY, _remove_gateway, schema=TARGET_SCHEMA
    )
