"""Homebound: keep cheap IP cameras local."""

from __future__ import annotations

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import CONF_MAC, DOMAIN
from .coordinator import (
    CameraStatus,
    HomeboundConfigEntry,
    HomeboundCoordinator,
    HomeboundData,
)
from .device import CameraAuthError, CameraError, CameraInfo, OnvifClient

PLATFORMS: list[Platform] = [Platform.CAMERA]


def _is_same_camera(entry: HomeboundConfigEntry, info: CameraInfo) -> bool:
    """Whether the camera at the entry's address is the one the entry was made for."""
    if entry.unique_id is None:
        return True
    identity = info.identity
    known = {identity.unique_id, identity.serial.strip().lower()}
    if identity.mac:
        known.add(identity.mac)
    if entry.data.get(CONF_MAC):
        known.add(entry.data[CONF_MAC])
    return entry.unique_id in known


async def async_setup_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    """Connect to the camera and set up its entities."""
    host = entry.data[CONF_HOST]
    client = OnvifClient(
        host,
        entry.data[CONF_PORT],
        entry.data[CONF_USERNAME],
        entry.data[CONF_PASSWORD],
        async_get_clientsession(hass, verify_ssl=False),
    )
    try:
        info = await client.async_connect()
    except CameraAuthError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="invalid_auth",
            translation_placeholders={"host": host},
        ) from err
    except CameraError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"host": host, "error": str(err)},
        ) from err
    if not _is_same_camera(entry, info):
        await client.async_close()
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="wrong_camera",
            translation_placeholders={"host": host},
        )
    coordinator = HomeboundCoordinator(hass, entry, client)
    coordinator.async_set_updated_data(CameraStatus(online=True))
    entry.runtime_data = HomeboundData(client=client, info=info, coordinator=coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HomeboundConfigEntry) -> bool:
    """Remove the entities and close the camera's connections."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.client.async_close()
    return unloaded
