"""The one place a camera client is made from a config entry's data.

A camera just probed by the config flow is handed over to the entry's setup, connected: the
setup then asks the camera nothing it was asked a moment ago, and the camera entity appears
as soon as the entry exists. The flow takes back (and closes) a client nobody claimed.

Every client carries a :class:`~..device.fingerprint.FingerprintRecorder` watching the
answers it gets anyway (their ``Server`` headers and 401 realms: who made the firmware; see
maker.py), from the config flow's probe on; :func:`fingerprint_recorder` finds it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from ..device import OnvifClient
from ..device.fingerprint import FingerprintRecorder

_HANDED_OVER: HassKey[dict[str, OnvifClient]] = HassKey(f"{DOMAIN}_handed_over")
_RECORDERS: HassKey[WeakKeyDictionary[OnvifClient, FingerprintRecorder]] = HassKey(
    f"{DOMAIN}_recorders"
)


def async_client(hass: HomeAssistant, data: Mapping[str, Any]) -> OnvifClient:
    """Return an OnvifClient for the camera ``data`` describes, on Home Assistant's HTTP session.

    Cameras serve snapshots over HTTPS with self-signed certificates, if at all: the session
    does not verify certificates (the camera is addressed on the LAN by the user).
    """
    recorder = FingerprintRecorder()
    client = OnvifClient(
        data[CONF_HOST],
        int(data[CONF_PORT]),
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        async_get_clientsession(hass, verify_ssl=False),
        observers=(recorder.middleware,),
    )
    hass.data.setdefault(_RECORDERS, WeakKeyDictionary())[client] = recorder
    return client


def fingerprint_recorder(hass: HomeAssistant, client: OnvifClient) -> FingerprintRecorder:
    """Return the recorder watching ``client``'s answers (a new, empty one if it has none)."""
    recorders = hass.data.setdefault(_RECORDERS, WeakKeyDictionary())
    if (recorder := recorders.get(client)) is None:
        recorder = recorders[client] = FingerprintRecorder()
    return recorder


def _address(data: Mapping[str, Any]) -> tuple[str, int, str, str]:
    return data[CONF_HOST], int(data[CONF_PORT]), data[CONF_USERNAME], data[CONF_PASSWORD]


def async_hand_over(hass: HomeAssistant, unique_id: str, client: OnvifClient) -> None:
    """Keep a connected client for the setup of the entry about to be made for ``unique_id``."""
    hass.data.setdefault(_HANDED_OVER, {})[unique_id] = client


def async_take_back(hass: HomeAssistant, unique_id: str, client: OnvifClient) -> bool:
    """Withdraw ``client`` if the entry's setup did not claim it; return whether it was there."""
    handed = hass.data.get(_HANDED_OVER, {})
    if handed.get(unique_id) is not client:
        return False
    del handed[unique_id]
    return True


async def async_entry_client(
    hass: HomeAssistant, unique_id: str | None, data: Mapping[str, Any]
) -> OnvifClient:
    """Return the client the config flow handed over for this entry, or a new one."""
    handed = hass.data.get(_HANDED_OVER, {})
    client = handed.pop(unique_id, None) if unique_id is not None else None
    if client is not None:
        if client.connected and _address(data) == (
            client.host,
            client.port,
            client.username,
            client.password,
        ):
            return client
        await client.async_close()
    return async_client(hass, data)
