"""The one place a camera client is made from a config entry's data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .device import OnvifClient


def async_client(hass: HomeAssistant, data: Mapping[str, Any]) -> OnvifClient:
    """Return an OnvifClient for the camera ``data`` describes, on Home Assistant's HTTP session.

    Cameras serve snapshots over HTTPS with self-signed certificates, if at all: the session
    does not verify certificates (the camera is addressed on the LAN by the user).
    """
    return OnvifClient(
        data[CONF_HOST],
        int(data[CONF_PORT]),
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        async_get_clientsession(hass, verify_ssl=False),
    )
